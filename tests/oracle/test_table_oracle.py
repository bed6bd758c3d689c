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
            assert_same_columns(ov.to_columns(), gv.to_columns(), context)
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
