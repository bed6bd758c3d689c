"""Perspective 5.x's aggregates and rollup modes, with the values
perspective-python 5.6.1 answers for the same table."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError

ROWS = {
    "g": ["a", "a", "a", "b", "b", "b", "c", "c"],
    "h": ["x", "y", "x", "x", "x", "y", "y", "y"],
    "i": [3, 3, 3, 5, None, 0, None, None],
    "f": [1.5, -2.5, None, -4.0, 4.0, 2.0, None, None],
    "b": [True, True, True, True, True, False, None, None],
    "s": ["p", "p", "p", "q", "q", "r", None, None],
    "w": [1.0, 1.0, -2.0, 0.0, 0.0, 1.0, 0.0, 0.0],
}
# Rows: total, a, a|x, a|y, b, b|x, b|y, c, c|y
EXPECTED = {
    ("i", "sum"): [14, 9, 6, 3, 5, 5, 0, None, None],
    ("i", "sum or zero"): [14, 9, 6, 3, 5, 5, 0, 0, 0],
    ("f", "pct sum parent"): [100.0, -100.0, -150.0, 250.0, 200.0, 0.0, 100.0, None, None],
    ("i", "min"): [None, 3, 3, 3, None, None, 0, None, None],
    ("i", "max"): [5, 3, 3, 3, 5, 5, 0, None, None],
    ("s", "min"): [None, "p", "p", "p", "q", "q", "r", None, None],
    ("f", "gmv"): [3.0, 4.0, 1.5, -2.5, 2.0, 0.0, 2.0, 0.0, 0.0],
    ("i", "mul"): [0, 27, 9, 3, 0, 0, 0, 0, 0],
    ("b", "and"): [False, True, True, True, False, True, False, False, False],
    ("b", "or"): [True, True, True, True, True, True, False, False, False],
    ("i", "distinct leaf"): [None, None, 3, 3, None, None, 0, None, None],
    ("s", "distinct leaf"): ["", "", "p", "p", "", "q", "r", "", None],
    ("i", ("weighted mean", "w")): [0.0, None, 3.0, 3.0, 0.0, None, 0.0, None, None],
    ("i", ("min by", "w")): [3, 3, 3, 3, 5, 5, 0, None, None],
    ("i", ("max by", "w")): [3, 3, 3, 3, 0, 5, 0, None, None],
    ("s", ("min by", "i")): ["q", "p", "p", "p", "q", "q", "r", None, None],
}


@pytest.mark.parametrize(("column", "aggregate"), list(EXPECTED), ids=str)
def test_5x_aggregates(column, aggregate):
    table = Table(pa.table(ROWS), name="t")
    agg = [aggregate[0], [aggregate[1]]] if isinstance(aggregate, tuple) else aggregate
    view = table.view(group_by=["g", "h"], columns=[column], aggregates={column: agg})
    assert view.to_columns()[column] == EXPECTED[column, aggregate]


def test_sums_over_only_nulls_stay_null_as_rows_come_and_go():
    table = Table({"k": [1, 2], "g": ["a", "b"], "v": [1, None]}, name="t", index="k")
    view = table.view(group_by=["g"], columns=["v"])  # kept as partial sums
    assert view.to_columns()["v"] == [1, 1, None]
    table.update({"k": [2], "v": [4]})
    assert view.to_columns()["v"] == [5, 1, 4]
    table.update({"k": [2], "v": [None]})
    assert view.to_columns()["v"] == [1, 1, None]


def test_weighted_mean_needs_its_weight_column():
    table = Table(pa.table(ROWS), name="t")
    with pytest.raises(ConfigError, match="weighted mean"):
        table.view(group_by=["g"], columns=["i"], aggregates={"i": "weighted mean"})
    with pytest.raises(ConfigError, match="nope"):
        table.view(group_by=["g"], columns=["i"], aggregates={"i": ["weighted mean", ["nope"]]})
    view = table.view(group_by=["g"], columns=["i"], aggregates={"i": ["weighted mean", "w"]})
    assert view.schema() == {"i": "float"}


def test_rollup_modes():
    table = Table(pa.table(ROWS), name="t")
    total = table.view(group_rollup_mode="total", columns=["i", "s"])
    # as 5.6.1: one row, no row paths
    assert total.to_columns() == {"i": [14], "s": [8]}
    flat = table.view(group_by=["g", "h"], group_rollup_mode="flat", group_by_depth=1)
    assert flat.to_columns(columns=["i"])["__ROW_PATH__"] == [
        ["a", "x"], ["a", "y"], ["b", "x"], ["b", "y"], ["c", "y"],
    ]  # fmt: skip
    rollup = table.view(
        group_by=["g"], split_by=["h"], columns=["i"], split_rollup_mode="rollup"
    ).to_columns()
    assert list(rollup) == ["__ROW_PATH__", "i", "x|i", "y|i"]
    assert rollup["i"] == [14, 9, 5, None]


def test_date_extremes():
    days = [dt.date(2020, 1, 1), None, dt.date(2021, 5, 6)]
    table = Table(pa.table({"g": ["a", "a", "b"], "d": days}), name="t")
    view = table.view(group_by=["g"], columns=["d"], aggregates={"d": "max"})
    assert view.to_columns()["d"] == [1620259200000, 1577836800000, 1620259200000]


def test_empty_view_totals_of_dates_are_the_year_zero():
    days = pa.array([dt.date(2020, 1, 1)], pa.date32())
    table = Table(pa.table({"g": ["a"], "d": days}), name="t")
    view = table.view(
        group_by=["g"], columns=["d"], aggregates={"d": "min"}, filter=[["g", "==", "z"]]
    )
    # as perspective-python 5.6.1 answers
    assert view.to_columns() == {"__ROW_PATH__": [[]], "d": [-62167305600000]}


def test_any_rolls_up_the_first_truthy_child_of_every_type():
    # 5.6.1: the first child holding a value that is not the type's zero
    # (true for booleans); the type's zero when none has one.
    t = Table(
        {
            "g": ["a", "a", "a", "b", "b"],
            "h": ["x", "y", "z", "x", "y"],
            "s": [None, "q", "r", None, "z"],
            "b": [None, False, True, False, False],
            "d": [None, "2020-01-02", "2020-01-01", None, None],
        },
        name="t",
    )
    view = t.view(
        group_by=["g", "h"],
        columns=["s", "b", "d"],
        aggregates={"s": "any", "b": "any", "d": "any"},
    )
    out = view.to_columns()
    assert out["s"] == ["q", "q", "", "q", "r", "z", "", "z"]
    assert out["b"] == [True, True, False, False, True, False, False, False]
    zero, jan2 = -62167305600000, 1577923200000
    assert out["d"] == [jan2, jan2, zero, jan2, 1577836800000, zero, zero, zero]
