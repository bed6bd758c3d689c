"""Which client generation a Session answers for, and the reply that depends on it."""

from __future__ import annotations

import pytest

from perspective_nb.client.replies import from_scalar_min_max as _from_scalar_min_max
from perspective_nb.client.replies import parse_response as _parse_response
from perspective_nb.protocol import pb
from perspective_nb.server import Server


def _min_max_reply(server: Server, generation=None, hint=None) -> bytes:
    replies: list[bytes] = []
    session = server.new_session(replies.append, generation)
    if hint is not None:
        session.handle_request(hint.SerializeToString())
    make = pb.Request(msg_id=1, entity_id="t")
    make.table_make_view_req.view_id = "v"
    session.handle_request(make.SerializeToString())
    ask = pb.Request(msg_id=2, entity_id="v")
    ask.view_get_min_max_req.column_name = "x"
    session.handle_request(ask.SerializeToString())
    session.close()
    return replies[-1]


@pytest.fixture
def server():
    srv = Server()
    srv.make_table("t", {"x": [1.5, 4.0]}, index=None, limit=None)
    return srv


def test_default_is_json_text_as_3x_clients_expect(server):
    reply = pb.Response.FromString(_min_max_reply(server))
    assert (reply.view_get_min_max_resp.min, reply.view_get_min_max_resp.max) == ("1.5", "4.0")


def test_explicit_5x_answers_with_scalars(server):
    reply = pb.ScalarMinMaxResponse.FromString(_min_max_reply(server, generation=5))
    assert reply.msg_id == 2
    assert reply.view_get_min_max_resp.min.float == 1.5
    assert reply.view_get_min_max_resp.max.float == 4.0
    # the Python client reads either form
    parsed = _from_scalar_min_max(_parse_response(_min_max_reply(server, generation=5)))
    assert parsed.view_get_min_max_resp.max == "4.0"


def test_a_hosted_tables_subscription_reveals_a_5x_client(server):
    hint = pb.Request(msg_id=9)
    hint.get_hosted_tables_req.subscribe = True
    reply = pb.ScalarMinMaxResponse.FromString(_min_max_reply(server, hint=hint))
    assert reply.view_get_min_max_resp.min.float == 1.5


def test_rollup_modes_in_a_view_config_reveal_a_5x_client(server):
    replies: list[bytes] = []
    session = server.new_session(replies.append)
    make = pb.Request(msg_id=1, entity_id="t")
    make.table_make_view_req.view_id = "v"
    make.table_make_view_req.config.split_rollup_mode = pb.SPLIT_FLAT
    session.handle_request(make.SerializeToString())
    assert session.generation == 5
    session.hint_generation(3)  # the first hint wins
    assert session.generation == 5
    session.close()


def test_local_client_reads_min_max_from_either_generation(server):
    client = server.new_local_client()
    client.session.generation = 5
    view = client.open_table("t").view()
    assert view.get_min_max("x") == (1.5, 4.0)
    view.delete()
    client.terminate()


def test_scalar_bytes_that_parse_as_text_are_recognised():
    # A float Scalar's bytes are often valid UTF-8, so a 3.x-shaped parse
    # succeeds and yields text that is not JSON; the client re-reads it.
    from perspective_nb.client.view_proxy import _min_max_value

    for value in (2.0, "x", True, None):
        scalar = pb.Scalar()
        if value is None:
            scalar.null = 0
        elif isinstance(value, bool):
            scalar.bool = value
        elif isinstance(value, float):
            scalar.float = value
        else:
            scalar.string = value
        raw = scalar.SerializeToString()
        assert _min_max_value(raw.decode("utf-8")) == value
    assert _min_max_value("4.5") == 4.5
    assert _min_max_value('"x"') == "x"
