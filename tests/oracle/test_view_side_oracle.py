"""The view-side scenarios of ``tests/oracle5/`` on perspective-python 3.8,
where the two generations agree (5.6.1 is compared there).

Left out where 3.8 differs from 5.6.1 (the Python API follows 5.x):
``num_columns`` (not in 3.8), null comparisons in expressions (3.8 types
``"s" == null`` as float), 3.8's wrong values for conditionals and for an
alias reused with another type in a grouped view, and a repeated
``group_by`` column (3.8 accepts it), 3.8's CSV and Arrow outputs of
grouped views and empty windows; and a flat split view past its last
column (a documented difference from both).
"""

from __future__ import annotations

import pytest

import perspective_nb
from tests.oracle5.test_config_errors_oracle5 import _CONFIGS, bad_outputs, raises
from tests.oracle5.test_expressions_oracle5 import _CASES, expressions
from tests.oracle5.test_sessions_oracle5 import (
    async_server_and_client,
    close_releases_views,
    from_server_and_sessions,
    proxy_session,
)
from tests.oracle5.test_viewports_oracle5 import (
    _EARLY,
    _WINDOWS,
    date_round_trip,
    early_dates,
    viewport,
)

perspective = pytest.importorskip("perspective")

pytestmark = pytest.mark.oracle


def _same(scenario, arg=None):
    assert scenario(perspective_nb, arg) == scenario(perspective, arg)


@pytest.mark.parametrize("config", [{}, {"group_by": ["g"], "columns": ["x", "k"]}], ids=str)
def test_viewport_bounds(config):
    for window in _WINDOWS:
        # JSON-like outputs only: 3.8's CSV and Arrow name group levels
        # "g (Group by 1)" and its CSV of an empty window raises.
        arg = (config, window)
        assert viewport(perspective_nb, arg)[:3] == viewport(perspective, arg)[:3]


def test_early_dates_and_round_trip():
    for arg in _EARLY:
        _same(early_dates, arg)
    _same(date_round_trip)


def test_bad_configs_and_outputs():
    agreed = [c for c in _CONFIGS if c != {"group_by": ["g", "g"]}]
    _same(raises, agreed)
    for method in ("to_columns", "to_records", "to_csv", "to_arrow"):
        _same(bad_outputs, method)


@pytest.mark.parametrize(
    "case", [c for c in _CASES if c not in ("string literals and null", "conditionals")]
)
def test_expressions(case):
    _same(expressions, _CASES[case])


@pytest.mark.parametrize(
    "scenario",
    [async_server_and_client, proxy_session, from_server_and_sessions, close_releases_views],
    ids=lambda f: f.__name__,
)
def test_sessions(scenario):
    _same(scenario)


def test_filter_ops_in_the_order_of_both_generations():
    # 3.8's aggregate lists differ from 5.x's (boolean ones, "sum not null");
    # its filter ops are 5.x's without the newer names.
    from perspective_nb.protocol import perspective_pb2 as pb

    request = pb.Request(msg_id=1, entity_id="")
    request.get_features_req.SetInParent()
    replies: dict[str, pb.GetFeaturesResp] = {}
    for name, lib in (("ours", perspective_nb), ("3.8", perspective)):
        got: list[bytes] = []
        session = lib.Server().new_session(got.append)
        session.handle_request(request.SerializeToString())
        session.close()
        replies[name] = pb.Response.FromString(bytes(got[0])).get_features_resp
    for ctype, listed in replies["3.8"].filter_ops.items():
        ours = list(replies["ours"].filter_ops[ctype].options)
        shared = [op for op in listed.options if op in ours]
        assert [op for op in ours if op in listed.options] == shared
        if ctype != pb.BOOLEAN:  # 3.8 lists ordering ops on booleans, not computed here
            assert set(listed.options) <= set(ours)
