"""Window columns between perspective-python 5.6.1's client and a perspective_nb server.

The 5.6.1 client's requests are captured in the oracle interpreter and
replayed to a perspective_nb session; the window columns it reads back must
match what 5.6.1's own server answered. The features 5.6.1's server
advertises for window aggregates must match ours.
"""

from __future__ import annotations

import json
import math

from perspective_nb import Server
from perspective_nb.protocol import pb
from perspective_nb.protocol.features import features_response

_CAPTURE = """
server = perspective.Server()
sent = []
def handle_request(msg):
    sent.append(bytes(msg))
    session.handle_request(msg)
remote = perspective.Client(handle_request)
session = server.new_session(lambda msg: remote.handle_response(msg))
""".strip()


def _replay(requests: list[bytes]) -> list[pb.Response]:
    responses: list[pb.Response] = []
    session = Server().new_session(lambda data: responses.append(pb.Response.FromString(data)))
    for raw in requests:
        session.handle_request(raw)
    return responses


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return a == b


def test_window_views_from_a_5x_client(oracle5):
    source = (
        _CAPTURE
        + """
t = remote.table({"a": [1, 2, 3, 4], "s": ["x", "y", "x", "y"], "d": [4.0, 1.0, 2.5, 3.0]},
                 name="T", index="a")
v = t.view(windows={
    "w": {"column": "d", "aggregate": "avg", "partition_by": ["s"],
          "order_by": ["d", "desc"], "rows": 10},
    "e": {"column": "a", "aggregate": "ema", "alpha": 0.5},
    "c": {"column": "d", "aggregate": "sum", "cumulative": True},
    "r": {"column": "a", "aggregate": "rate", "range": 1.5, "order_by": ["d", "asc"]},
    "l": {"column": "a", "aggregate": "lag", "offset": 2},
}, sort=[["a", "desc"]])
first = v.to_columns_string()
t.update({"a": [2, 5], "d": [9.0, 0.5], "s": ["x", "x"]})
second = v.to_columns_string()
result = (sent, [first, second])
"""
    )
    sent, expected = oracle5.code(source)
    responses = _replay(sent)
    assert [r.server_error.message for r in responses if r.HasField("server_error")] == []
    got = [
        json.loads(r.view_to_columns_string_resp.json_string)
        for r in responses
        if r.HasField("view_to_columns_string_resp")
    ]
    assert _close(got, [json.loads(e) for e in expected])


def test_window_aggregates_in_features_match_5x(oracle5):
    source = """
server = perspective.Server()
replies = []
session = server.new_session(lambda msg: replies.append(bytes(msg)))
session.handle_request(bytes.fromhex("08011a00"))  # msg_id 1, get_features_req
result = replies[0]
"""
    theirs = pb.Response.FromString(oracle5.code(source)).get_features_resp
    ours = features_response()
    assert dict(ours.window_aggregates) == dict(theirs.window_aggregates)
