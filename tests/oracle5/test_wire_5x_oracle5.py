"""5.x wire messages as perspective-python 5.6.1's client encodes them, served by perspective_nb.

The 5.6.1 client runs in the oracle interpreter against its own server and
its requests are captured; the same bytes then go to a perspective_nb
session, which must answer each without error and build the same tables.
"""

from __future__ import annotations

import pyarrow as pa

from perspective_nb import Server
from perspective_nb.protocol import pb

# Runs in 5.6.1: ``result`` is every request its client sent, as bytes.
_CAPTURE = """
server = perspective.Server()
sent = []
def handle_request(msg):
    sent.append(bytes(msg))
    session.handle_request(msg)
remote = perspective.Client(handle_request)
session = server.new_session(lambda msg: remote.handle_response(msg))
""".strip()


def _replay(requests: list[bytes]) -> tuple[Server, list[pb.Response]]:
    server = Server()
    responses: list[pb.Response] = []

    def send(data: bytes) -> None:
        msg = pb.Response()
        msg.ParseFromString(data)
        responses.append(msg)

    session = server.new_session(send)
    for raw in requests:
        session.handle_request(raw)
    return server, responses


def _errors(responses: list[pb.Response]) -> list[str]:
    return [r.server_error.message for r in responses if r.HasField("server_error")]


def test_make_join_table_from_a_5x_client(oracle5):
    source = (
        _CAPTURE
        + """
a = remote.table({"k": [1, 2], "x": [1.5, 2.5]}, name="A")
b = remote.table({"kk": [1, 3], "y": ["a", "b"]}, name="B")
for how in ("inner", "left", "outer"):
    remote.join(a, b, "k", how, name="J" + how, right_on="kk")
expected = {
    how: remote.open_table("J" + how).view().to_columns() for how in ("inner", "left", "outer")
}
result = (sent, expected)
"""
    )
    sent, expected = oracle5.code(source)
    server, responses = _replay(sent)
    assert _errors(responses) == []
    assert any(r.HasField("make_join_table_resp") for r in responses)
    for how, columns in expected.items():
        table = server.get_table("J" + how)
        assert table.get_index() == "k"
        assert table.view().to_columns() == columns


def test_page_to_disk_and_list_flatten_options_from_a_5x_client(oracle5):
    source = (
        _CAPTURE
        + """
import pyarrow as pa
nested = pa.table({"p": pa.array([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])})
sink = pa.BufferOutputStream()
with pa.ipc.new_stream(sink, nested.schema) as w:
    w.write_table(nested)
arrow = sink.getvalue().to_pybytes()
remote.table({"z": [1, 2]}, name="P", page_to_disk=True)
remote.table(arrow, name="N", list_flatten="stringify")
result = (sent, remote.open_table("N").view().to_columns())
"""
    )
    sent, nested = oracle5.code(source)
    make = [r for r in (pb.Request.FromString(raw) for raw in sent) if r.HasField("make_table_req")]
    options = {r.entity_id: r.make_table_req.options for r in make}
    assert options["P"].page_to_disk is True
    assert options["N"].list_flatten == pb.STRINGIFY
    server, responses = _replay(sent)
    assert _errors(responses) == []
    assert server.get_table("P").view().to_columns() == {"z": [1, 2]}
    assert server.get_table("P").is_paged_to_disk()
    assert not server.get_table("N").is_paged_to_disk()
    assert server.get_table("N").view().to_columns() == nested


def test_to_arrow_compression_from_a_5x_client(oracle5):
    source = (
        _CAPTURE
        + """
t = remote.table({"a": list(range(100))}, name="T")
v = t.view()
sizes = {c: len(v.to_arrow(compression=c)) for c in ("lz4", "zstd")}
result = (sent, sizes)
"""
    )
    sent, sizes = oracle5.code(source)
    _server, responses = _replay(sent)
    assert _errors(responses) == []
    arrows = [r.view_to_arrow_resp.arrow for r in responses if r.HasField("view_to_arrow_resp")]
    assert [len(a) for a in arrows] == [sizes["lz4"], sizes["zstd"]]
    for arrow in arrows:
        assert pa.ipc.open_stream(arrow).read_all().column("a").to_pylist() == list(range(100))
