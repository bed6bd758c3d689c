"""Expand / collapse / set_depth on grouped views: the same rows appear on every engine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.oracle.strategies import tables

from .compare import assert_same_columns
from .strategies import DUCKDB_FEW

CFG = {"group_by": ["region", "product", "flag"], "columns": ["qty", "price"],
       "sort": [["qty", "desc"]], "group_by_depth": 1}  # fmt: skip
# (expand | collapse | set_depth, row or depth), applied in order.
STEPS = [("expand", 1), ("expand", 2), ("expand", 0), ("collapse", 1), ("set_depth", 2),
         ("collapse", 3), ("expand", 3), ("set_depth", 3), ("collapse", 0),
         ("expand", 0)]  # fmt: skip


def _step(view, op: str, arg: int):
    return getattr(view, op)(arg)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.slow)])
def test_expand_collapse_sequence(fixed_tables, engine):
    ours = fixed_tables(engine).view(**CFG)
    theirs = fixed_tables("memory").view(**CFG)
    try:
        # Spark takes the first steps only (three queries a step, ~0.5 s each).
        for op, arg in STEPS if engine != "spark" else STEPS[:4]:
            assert _step(ours, op, arg) == _step(theirs, op, arg), (op, arg)
            assert ours.num_rows() == theirs.num_rows(), (op, arg)
            assert_same_columns(ours.to_columns(), theirs.to_columns(), (op, arg))
    finally:
        ours.delete()
        theirs.delete()


@DUCKDB_FEW
@given(tables(min_rows=1), st.data())
def test_expand_collapse_on_random_tables(engines, data, draw):
    names = data.column_names
    gb = draw.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    cfg = {"group_by": gb, "columns": names, "group_by_depth": draw.draw(st.integers(0, len(gb)))}
    ours = engines.make("duckdb", data).view(**cfg)
    theirs = engines.make("memory", data).view(**cfg)
    try:
        for _ in range(4):
            n = theirs.num_rows()
            assert ours.num_rows() == n
            row = draw.draw(st.integers(0, n - 1))
            op = draw.draw(st.sampled_from(["expand", "collapse"]))
            assert _step(ours, op, row) == _step(theirs, op, row)
            assert_same_columns(ours.to_columns(), theirs.to_columns(), cfg)
    finally:
        ours.delete()
        theirs.delete()
        engines.close()
