"""Random update / remove sequences on indexed, limited and plain tables match Perspective."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspective_nb.engine.table import Table

from .compare import assert_same_columns

pytestmark = pytest.mark.oracle

_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_keys = st.integers(0, 12)
_vals = st.one_of(st.none(), st.integers(-50, 50))
_strs = st.one_of(st.none(), st.sampled_from(["x", "y", "zz", "é"]))


def _batch(draw, with_s=True, min_size=0):
    n = draw(st.integers(min_size, 6))
    cols = {
        "k": pa.array(draw(st.lists(_keys, min_size=n, max_size=n)), pa.int64()),
        "v": pa.array(draw(st.lists(_vals, min_size=n, max_size=n)), pa.int64()),
    }
    if with_s:
        cols["s"] = pa.array(draw(st.lists(_strs, min_size=n, max_size=n)), pa.string())
    return pa.table(cols)


def _both(oracle_client, first, **kw):
    return Table(first, name="t", **kw), oracle_client.table(first, **kw)


def _check(ours, theirs, context):
    tv = theirs.view()
    try:
        assert_same_columns(ours.view().to_columns(), tv.to_columns(), context)
        gv = theirs.view(group_by=["s"], columns=["v", "k"])
        try:
            ov = ours.view(group_by=["s"], columns=["v", "k"])
            grouped = {"group_by": ["s"], "columns": ["v", "k"]}
            assert_same_columns(ov.to_columns(), gv.to_columns(), (grouped, context))
        finally:
            gv.delete()
    finally:
        tv.delete()
    assert ours.size() == theirs.size()


@_SETTINGS
@given(data=st.data())
def test_indexed_upserts_match(oracle_client, data):
    first = _batch(data.draw, min_size=1)
    ours, theirs = _both(oracle_client, first, index="k")
    steps = [first]
    try:
        for _ in range(data.draw(st.integers(1, 4))):
            kind = data.draw(st.sampled_from(["update", "partial", "remove"]))
            if kind == "remove":
                keys = data.draw(st.lists(_keys, max_size=3))
                ours.remove(keys)
                theirs.remove(keys)
                steps.append(("remove", keys))
            else:
                batch = _batch(data.draw, with_s=kind == "update")
                ours.update(batch)
                theirs.update(batch)
                steps.append(batch.to_pydict())
            _check(ours, theirs, steps)
    finally:
        theirs.delete()


@_SETTINGS
@given(data=st.data())
def test_limit_and_append_match(oracle_client, data):
    limit = data.draw(st.one_of(st.none(), st.integers(1, 8)))
    first = _batch(data.draw, min_size=1)
    ours, theirs = (
        _both(oracle_client, first, limit=limit) if limit else _both(oracle_client, first)
    )
    steps = [limit, first.to_pydict()]
    try:
        for _ in range(data.draw(st.integers(1, 4))):
            batch = _batch(data.draw)
            ours.update(batch)
            theirs.update(batch)
            steps.append(batch.to_pydict())
            _check(ours, theirs, steps)
    finally:
        theirs.delete()


_OPEN_VIEWS = [
    {},
    {"sort": [["v", "desc"]]},
    {"filter": [["v", ">", 0]]},
    {"group_by": ["s"], "columns": ["v", "k"]},
    {"group_by": ["s", "k"], "columns": ["v"], "aggregates": {"v": "avg"}},
    {"group_by": ["s"], "split_by": ["k"], "columns": ["v"]},
    {"group_by": ["s"], "columns": ["v"], "aggregates": {"v": "pct sum parent"}},
    {"group_by": ["s"], "columns": ["v", "k"], "aggregates": {"v": "high", "k": "count"}},
    {"split_by": ["s"], "columns": ["v"]},
]


@_SETTINGS
@given(data=st.data(), kind=st.sampled_from(["index", "limit", "plain"]))
def test_open_views_follow_every_write(oracle_client, data, kind):
    options = {"index": {"index": "k"}, "limit": {"limit": 7}, "plain": {}}[kind]
    first = _batch(data.draw, min_size=1)
    ours, theirs = _both(oracle_client, first, **options)
    configs = data.draw(st.lists(st.sampled_from(_OPEN_VIEWS), min_size=1, max_size=3))
    live = [ours.view(**cfg) for cfg in configs]
    for v in live:
        v.to_columns()  # computed once, then kept up to date by the writes
    steps = [kind, first.to_pydict()]
    try:
        for _ in range(data.draw(st.integers(1, 5))):
            # No clear(): 3.8 then orders null groups last, as in a table created
            # empty (a known difference; views across clears are checked against
            # fresh views in tests/unit/engine/test_incremental.py).
            op = data.draw(st.sampled_from(["update", "update", "partial", "remove"]))
            if op == "remove" and kind == "index":
                keys = data.draw(st.lists(_keys, max_size=3))
                ours.remove(keys)
                theirs.remove(keys)
                steps.append(("remove", keys))
            else:
                batch = _batch(data.draw, with_s=not (op == "partial" and kind == "index"))
                ours.update(batch)
                theirs.update(batch)
                steps.append(batch.to_pydict())
            for cfg, v in zip(configs, live, strict=True):
                tv = theirs.view(**cfg)
                try:
                    assert_same_columns(v.to_columns(), tv.to_columns(), (cfg, steps))
                finally:
                    tv.delete()
    finally:
        for v in live:
            v.delete()
        theirs.delete()
