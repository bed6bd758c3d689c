"""Live writes: a DuckDB table and an in-memory table get the same updates and removes
through their clients; every view then reads the same, and views opened before the
writes see them."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from .cases import DATA
from .compare import assert_same_columns, assert_same_view
from .strategies import DUCKDB_FEW

VIEWS = [
    {},
    {"columns": ["id", "region", "qty"], "sort": [["qty", "desc"]]},
    {"group_by": ["region"], "columns": ["qty", "price"], "sort": [["qty", "desc"]]},
    {"group_by": ["region", "product"], "columns": ["qty", "product"],
     "aggregates": {"qty": "first", "product": "last"}},
    {"group_by": ["region"], "split_by": ["flag"], "columns": ["qty"]},
    {"filter": [["qty", ">", 2]], "columns": ["id", "qty"]},
]  # fmt: skip

WRITES = [
    ("update", [{"id": 3, "qty": 100, "region": "mars"}, {"id": 20, "qty": 1, "price": 0.5}]),
    ("remove", [0, 5, 99]),
    ("update", {"id": [7, 7, 21], "qty": [None, 12, 4], "product": ["fig", None, "kiwi"]}),
    ("update", [{"id": 2, "flag": True}]),
    ("remove", [20]),
]


@pytest.mark.parametrize("index", ["id", None])
def test_writes_match_the_engine(engines, index):
    expected = engines.make("memory", DATA, index=index)
    actual = engines.make("duckdb", DATA, index=index)
    open_views = [(actual.view(**cfg), expected.view(**cfg)) for cfg in VIEWS]
    ticks = {"actual": 0, "expected": 0}
    open_views[0][0].on_update(lambda *_: ticks.__setitem__("actual", ticks["actual"] + 1))
    open_views[0][1].on_update(lambda *_: ticks.__setitem__("expected", ticks["expected"] + 1))
    for op, arg in WRITES:
        if op == "remove" and index is None:
            arg = [k for k in arg if k < 14]  # row numbers of an unindexed table
        getattr(expected, op)(arg)
        getattr(actual, op)(arg)
        assert actual.size() == expected.size(), (op, arg)
        for (ours, theirs), cfg in zip(open_views, VIEWS, strict=True):
            assert ours.num_rows() == theirs.num_rows(), (op, cfg)
            assert_same_columns(ours.to_columns(), theirs.to_columns(), (op, cfg))
    assert ticks["actual"] == ticks["expected"] == len(WRITES)
    for ours, theirs in open_views:
        ours.delete()
        theirs.delete()
    for cfg in VIEWS:  # views opened after the writes
        assert_same_view(expected, actual, cfg, outputs=("columns", "json", "csv"))


_rows = st.lists(
    st.fixed_dictionaries(
        {"k": st.integers(0, 6)},
        optional={
            "v": st.one_of(st.none(), st.integers(-9, 9)),
            "s": st.one_of(st.none(), st.sampled_from(["a", "b"])),
        },
    ),
    min_size=1,
    max_size=5,
)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("update"), _rows),
        st.tuples(st.just("remove"), st.lists(st.integers(0, 7), max_size=3)),
    ),
    max_size=5,
)


@DUCKDB_FEW
@given(_ops, st.booleans())
def test_random_writes_match_the_engine(engines, ops, indexed):
    data = pa.table({"k": [0, 1, 2], "v": [1, 2, 3], "s": ["a", None, "b"]})
    index = "k" if indexed else None
    expected = engines.make("memory", data, index=index)
    actual = engines.make("duckdb", data, index=index)
    views = [
        {"columns": ["k", "v", "s"]},
        {"group_by": ["s"], "columns": ["v", "k"], "sort": [["v", "desc"]]},
        {"group_by": ["s"], "columns": ["v"], "aggregates": {"v": "first"}},
    ]
    try:
        for op, arg in ops:
            getattr(expected, op)(arg)
            getattr(actual, op)(arg)
        for cfg in views:
            assert_same_view(expected, actual, cfg)
    finally:
        engines.close()
