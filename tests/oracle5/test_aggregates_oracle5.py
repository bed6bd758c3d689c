"""Perspective 5.x's aggregates and rollup modes as perspective-python 5.6.1
computes them: random small tables, group_by / split_by configs and updates,
compared with a fresh view and with a view kept open across the updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspective_nb.engine.table import Table

from .compare import assert_same

_ROWS = {
    "g": st.sampled_from(["a", "b", "c", None]),
    "h": st.sampled_from(["x", "y", None]),
    "i": st.one_of(st.none(), st.integers(-4, 4)),
    "f": st.one_of(st.none(), st.sampled_from([-2.5, -1.0, 0.0, 0.5, 1.5, 3.0])),
    "b": st.one_of(st.none(), st.booleans()),
    "s": st.one_of(st.none(), st.sampled_from(["p", "q", "r"])),
    "d": st.one_of(st.none(), st.sampled_from([dt.date(2020, 1, 1), dt.date(2021, 6, 30)])),
}
_TYPES = {
    "g": pa.string(),
    "h": pa.string(),
    "i": pa.int64(),
    "f": pa.float64(),
    "b": pa.bool_(),
    "s": pa.string(),
    "d": pa.date32(),
}
_AGGREGATES = {
    "i": ["sum", "sum or zero", "min", "max", "mul", "gmv", "distinct leaf", "avg",
          "abs sum", "sum abs", "pct sum parent", ["weighted mean", ["f"]],
          ["min by", ["f"]], ["max by", ["s"]]],
    "f": ["sum", "sum or zero", "min", "max", "mul", "gmv", "distinct leaf",
          ["weighted mean", ["i"]], ["min by", ["i"]], ["max by", ["i"]]],
    "b": ["and", "or", "distinct leaf", "count"],
    "s": ["min", "max", "distinct leaf", ["min by", ["i"]], ["max by", ["f"]]],
    "d": ["min", "max", "distinct leaf"],
}  # fmt: skip


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.table({c: pa.array([r[c] for r in rows], t) for c, t in _TYPES.items()})


_rows = st.lists(st.fixed_dictionaries(_ROWS), min_size=1, max_size=10)


@st.composite
def _configs(draw) -> dict[str, Any]:
    columns = draw(
        st.lists(st.sampled_from(list(_AGGREGATES)), min_size=1, max_size=3, unique=True)
    )
    aggregates = {c: draw(st.sampled_from(_AGGREGATES[c])) for c in columns}
    group_by = draw(st.sampled_from([["g"], ["g", "h"], ["h", "g"]]))
    split_by = draw(st.sampled_from([[], [], ["h"], ["s"]]))
    split_by = [c for c in split_by if c not in group_by]
    config = {"group_by": group_by, "split_by": split_by, "columns": columns,
              "aggregates": aggregates}  # fmt: skip
    config["group_rollup_mode"] = draw(st.sampled_from(["rollup", "rollup", "flat", "total"]))
    if split_by:
        config["split_rollup_mode"] = draw(st.sampled_from(["flat", "rollup"]))
    # sometimes a filter, which may leave no rows at all
    term = draw(st.sampled_from([None, None, ["s", "matches", "p|q"], ["g", "not contains", "A"]]))
    if term is not None:
        config["filter"] = [term]
    return config


_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(rows=_rows, more=st.lists(st.fixed_dictionaries(_ROWS), max_size=4), config=_configs())
def test_5x_aggregates_and_rollup_modes_match(oracle5, rows, more, config):
    updates = [_table(more)] if more else []
    expected = assert_same(oracle5, _table(rows), updates=updates, view=config)
    # A view open across the update answers as a fresh one.
    table = Table(_table(rows), name="t")
    view = table.view(**config)
    view.to_columns()
    for upd in updates:
        table.update(upd)
    assert view.to_columns() == expected["to_columns"]


@_SETTINGS
@given(rows=_rows, more=st.lists(st.fixed_dictionaries(_ROWS), max_size=4))
def test_sums_over_only_nulls_are_null_in_kept_views(oracle5, rows, more):
    # "sum" views are maintained incrementally: their null sums follow writes.
    config = {"group_by": ["g"], "split_by": ["h"], "columns": ["i", "f"],
              "aggregates": {"i": "sum", "f": "pct sum parent"}}  # fmt: skip
    table = Table(_table(rows), name="t", index=None)
    view = table.view(**config)
    view.to_columns()
    table.update(_table(more))
    expected = oracle5.run(_table(rows), updates=[_table(more)], view=config)
    assert view.to_columns() == expected["to_columns"]


@pytest.mark.parametrize(
    "config",
    [
        {"group_rollup_mode": "total"},
        {"group_rollup_mode": "total", "split_by": ["s"]},
        {"split_by": ["s"], "split_rollup_mode": "rollup"},
        {"split_by": ["s", "h"], "split_rollup_mode": "rollup", "group_by": ["g"]},
        {"group_by": ["g", "h"], "group_rollup_mode": "flat", "group_by_depth": 1},
    ],
    ids=str,
)
def test_rollup_mode_shapes(oracle5, config):
    rows = [
        {"g": "a", "h": "x", "i": 1, "f": 1.5, "b": True, "s": "p", "d": None},
        {"g": "a", "h": "y", "i": None, "f": 2.5, "b": None, "s": "q", "d": None},
        {"g": None, "h": "x", "i": 3, "f": None, "b": False, "s": None, "d": None},
    ]
    assert_same(oracle5, _table(rows), view=config, outputs=("to_columns", "schema"))
