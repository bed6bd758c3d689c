"""Window columns (``view(windows=...)``): results, errors and updates."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError


def _table(**kwargs) -> Table:
    return Table(
        {
            "k": [1, 2, 3, 4, 5, 6],
            "g": ["x", "y", "x", "y", "y", "x"],
            "v": [1.0, 2.0, 3.0, None, 5.0, 6.0],
            "o": [6, 5, 4, 3, 2, 1],
        },
        name="t",
        **kwargs,
    )


def _window(table: Table, **spec) -> list:
    return table.view(windows={"w": spec}, columns=["w"]).to_columns()["w"]


def test_cumulative_sum_restarts_per_partition():
    t = _table()
    assert _window(t, column="v", aggregate="sum", partition_by=["g"], cumulative=True) == [
        1.0, 2.0, 4.0, 2.0, 7.0, 10.0,
    ]  # fmt: skip


def test_rows_frame_counts_the_preceding_rows_and_skips_nulls():
    t = _table()
    assert _window(t, column="v", aggregate="avg", rows=1) == [1.0, 1.5, 2.5, 3.0, 5.0, 5.5]
    assert _window(t, column="v", aggregate="count", rows=2) == [1, 2, 3, 2, 2, 2]


def test_order_by_orders_the_frame_not_the_view():
    t = _table()
    view = t.view(windows={"w": {"column": "k", "aggregate": "lag", "order_by": ["o", "asc"]}})
    assert view.to_columns()["k"] == [1, 2, 3, 4, 5, 6]
    assert view.to_columns()["w"] == [2, 3, 4, 5, 6, None]


def test_range_frame_on_datetimes_is_in_milliseconds():
    t = Table(
        pa.table(
            {
                "t": [dt.datetime(2024, 1, 1, 0, 0, s) for s in (0, 1, 3, 6)],
                "x": [1, 2, 3, 4],
            }
        ),
        name="times",
    )
    spec = {"column": "x", "aggregate": "sum", "order_by": ["t", "asc"], "range": 2000}
    assert _window(t, **spec) == [1.0, 3.0, 5.0, 4.0]


def test_ema_carries_its_value_over_nulls():
    t = _table()
    assert _window(t, column="v", aggregate="ema", alpha=0.5) == [
        1.0, 1.5, 2.25, 2.25, 3.625, 4.8125,
    ]  # fmt: skip


def test_min_max_and_lag_keep_the_input_type():
    t = _table()
    view = t.view(
        windows={
            "lo": {"column": "g", "aggregate": "min", "rows": 1},
            "prev": {"column": "k", "aggregate": "lag"},
            "n": {"column": "g", "aggregate": "count"},
        }
    )
    assert view.schema()["lo"] == "string"
    assert view.schema()["prev"] == "integer"
    assert view.schema()["n"] == "integer"
    assert view.to_columns()["lo"] == ["x", "x", "x", "x", "y", "x"]


def test_windows_follow_updates_and_removes():
    t = _table(index="k")
    view = t.view(windows={"w": {"column": "v", "aggregate": "sum", "cumulative": True}})
    assert view.to_columns()["w"][-1] == 17.0
    t.update({"k": [0, 3], "v": [10.0, 30.0]})
    assert view.to_columns()["w"] == [10.0, 11.0, 13.0, 43.0, 43.0, 48.0, 54.0]
    t.remove([1])
    assert view.to_columns()["w"] == [10.0, 12.0, 42.0, 42.0, 47.0, 53.0]


def test_windows_are_computed_before_the_filter_and_can_be_filtered_and_sorted():
    t = _table()
    windows = {"w": {"column": "k", "aggregate": "sum", "cumulative": True}}
    view = t.view(windows=windows, filter=[["k", ">", 4]], columns=["k", "w"])
    assert view.to_columns() == {"k": [5, 6], "w": [15.0, 21.0]}
    view = t.view(windows=windows, filter=[["w", "<", 4]], sort=[["w", "desc"]], columns=["w"])
    assert view.to_columns() == {"w": [3.0, 1.0]}


def test_window_over_an_expression_and_get_config():
    t = _table()
    view = t.view(
        expressions={"k2": '"k" * 2'},
        windows={"w": {"column": "k2", "aggregate": "max", "rows": 1}},
    )
    assert view.to_columns()["w"] == [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    assert view.get_config()["windows"] == {"w": {"column": "k2", "aggregate": "max", "rows": 1}}
    assert "windows" not in t.view().get_config()


def test_empty_table():
    t = Table({"x": "float", "g": "string"}, name="empty")
    view = t.view(windows={"w": {"column": "x", "aggregate": "avg", "partition_by": ["g"]}})
    assert view.to_columns() == {"x": [], "g": [], "w": []}


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ({"column": "v", "aggregate": "sum", "rows": 2, "cumulative": True}, "mutually exclusive"),
        ({"column": "v", "aggregate": "rate", "rows": 2}, "requires a `range` frame"),
        ({"column": "v", "aggregate": "sum", "range": 2}, "explicit `order_by`"),
        ({"column": "v", "aggregate": "sum", "range": 2, "order_by": ["g", "asc"]}, "numeric"),
        ({"column": "v", "aggregate": "sum", "range": -1, "order_by": ["o", "asc"]}, "positive"),
        ({"column": "g", "aggregate": "avg"}, "numeric `source`"),
        ({"column": "v", "aggregate": "ema"}, "alpha"),
        ({"column": "v", "aggregate": "lag", "rows": 1}, "use `offset`"),
        ({"column": "v", "aggregate": "first"}, "not implemented"),
        ({"column": "v", "aggregate": "median"}, "not implemented in this build: median"),
        ({"column": "nope", "aggregate": "sum"}, "not found: nope"),
        ({"column": "v", "aggregate": "sum", "partition_by": ["nope"]}, "`Table` column: nope"),
        ({"column": "v", "aggregate": "sum", "order_by": ["o"]}, "[column, 'asc' | 'desc']"),
        ({"column": "v", "aggregate": "sum", "rows": 1.5}, "whole number"),
        ({"column": "v", "aggregate": "sum", "size": 3}, "unknown field `size`"),
        ({"aggregate": "sum"}, "missing field `column`"),
    ],
    ids=str,
)
def test_bad_windows_name_the_problem(spec, fragment):
    with pytest.raises(ConfigError, match=None) as info:
        _table().view(windows={"w": spec})
    assert fragment in str(info.value)


def test_window_alias_may_not_shadow_a_column():
    with pytest.raises(ConfigError, match="collides with an existing column: v"):
        _table().view(windows={"v": {"column": "v", "aggregate": "sum"}})


def test_window_names_reserved_by_the_outputs_are_refused():
    with pytest.raises(ConfigError, match="reserved"):
        _table().view(windows={"__ROW_PATH__": {"column": "v", "aggregate": "sum"}})
