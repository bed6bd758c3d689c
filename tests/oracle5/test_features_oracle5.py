"""``get_features``: each type's aggregates and filter ops against 5.6.1's.

perspective-python 5.6.1's Python client does not expose ``get_features``,
so the 5.6.1 server is asked over the wire: a raw ``GetFeaturesReq`` through
``Server().new_session(callback).handle_request(bytes)``, decoded with
perspective_nb's generated protobuf module.
"""

from __future__ import annotations

import pytest

import perspective_nb
from perspective_nb.protocol import perspective_pb2 as pb

_ASK = """
got = []
session = perspective.Server().new_session(got.append)
session.handle_request(data)
session.close()
result = bytes(got[0])
"""

# What 5.6.1 lists and perspective_nb does not compute (ARCHITECTURE.md,
# "Differences from perspective-python": refused with a ConfigError).
# Every aggregate and filter op 5.6.1 lists is computed, except avg of dates
# (5.6.1 lists it, then aborts on it).
_NOT_COMPUTED_AGGREGATES: set[str] = set()
_NOT_COMPUTED_TEMPORAL = {"avg"}
_NOT_COMPUTED_FILTERS: set[str] = set()


def _features(raw: bytes) -> pb.GetFeaturesResp:
    response = pb.Response()
    response.ParseFromString(raw)
    assert response.WhichOneof("client_resp") == "get_features_resp"
    return response.get_features_resp


@pytest.fixture(scope="module")
def features(oracle5):
    request = pb.Request(msg_id=1, entity_id="")
    request.get_features_req.SetInParent()
    raw = request.SerializeToString()
    theirs = _features(oracle5.code(_ASK, raw))
    # Ours over the wire the same way, and through the Python client.
    got: list[bytes] = []
    session = perspective_nb.Server().new_session(got.append)
    session.handle_request(raw)
    client = perspective_nb.Server().new_local_client().get_features()
    return _features(got[0]), client, theirs


_TYPES = {pb.STRING: "string", pb.DATE: "date", pb.DATETIME: "datetime"}
_TYPES |= {pb.INTEGER: "integer", pb.FLOAT: "float", pb.BOOLEAN: "boolean"}


def test_flags_and_rollup_modes(features):
    ours, client, theirs = features
    assert client == ours
    for flag in ("group_by", "split_by", "expressions", "on_update", "sort"):
        assert getattr(ours, flag) == getattr(theirs, flag)
    assert list(ours.group_rollup_mode) == list(theirs.group_rollup_mode)
    assert list(ours.split_rollup_mode) == list(theirs.split_rollup_mode)


@pytest.mark.parametrize("ctype", list(_TYPES), ids=_TYPES.get)
def test_aggregates_in_5x_order(features, ctype):
    ours, _, theirs = features
    names = [a.name for a in ours.aggregates[ctype].aggregates]
    listed = [a.name for a in theirs.aggregates[ctype].aggregates]
    skip = _NOT_COMPUTED_AGGREGATES
    if ctype in (pb.DATE, pb.DATETIME):
        skip = skip | _NOT_COMPUTED_TEMPORAL
    shared = [name for name in listed if name not in skip]
    # 5.x's names first, in 5.x's order (so the default is 5.x's), extras after.
    assert names[: len(shared)] == shared
    assert not set(names[len(shared) :]) & set(listed)
    assert names[0] == listed[0]


@pytest.mark.parametrize("ctype", list(_TYPES), ids=_TYPES.get)
def test_filter_ops_in_5x_order(features, ctype):
    ours, _, theirs = features
    ops = list(ours.filter_ops[ctype].options)
    listed = list(theirs.filter_ops[ctype].options)
    skip = _NOT_COMPUTED_FILTERS
    shared = [op for op in listed if op not in skip]
    # "in" / "not in" on numbers are extras of ours; the rest follows 5.x's order.
    assert [op for op in ops if op in listed] == shared
    extras = {"in", "not in"} if ctype in (pb.INTEGER, pb.FLOAT) else set()
    assert set(ops) - set(listed) <= extras
