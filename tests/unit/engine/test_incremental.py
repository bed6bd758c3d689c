"""Views kept open across writes (updated incrementally) equal views made afresh."""

from __future__ import annotations

import math
from unittest import mock

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspective_nb.engine.pivot import LazyColumns
from perspective_nb.engine.table import Table

_keys = st.integers(0, 15)
_groups = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
_nums = st.one_of(st.none(), st.integers(-20, 20))
_bools = st.one_of(st.none(), st.booleans())


@st.composite
def batches(draw, min_size=0):
    n = draw(st.integers(min_size, 6))
    return pa.table(
        {
            "k": pa.array(draw(st.lists(_keys, min_size=n, max_size=n)), pa.int64()),
            "g": pa.array(draw(st.lists(_groups, min_size=n, max_size=n)), pa.string()),
            "h": pa.array(draw(st.lists(_groups, min_size=n, max_size=n)), pa.string()),
            "v": pa.array(draw(st.lists(_nums, min_size=n, max_size=n)), pa.int64()),
            "b": pa.array(draw(st.lists(_bools, min_size=n, max_size=n)), pa.bool_()),
            "f": pa.array(
                [
                    None if x is None else x / 4
                    for x in draw(st.lists(_nums, min_size=n, max_size=n))
                ],
                pa.float64(),
            ),
        }
    )


CONFIGS = [
    {"group_by": ["g"], "columns": ["v", "f", "k"]},
    {"group_by": ["g", "h"], "columns": ["v", "f"], "aggregates": {"v": "avg", "f": "sum abs"}},
    {
        "group_by": ["h"],
        "columns": ["v", "f"],
        "aggregates": {"v": "pct sum parent", "f": "abs sum"},
        "sort": [["v", "desc"]],
        "filter": [["v", ">", -5]],
    },
    {"group_by": ["g"], "columns": ["v"], "aggregates": {"v": "mean"}, "group_by_depth": 0},
    {"group_by": ["g"], "split_by": ["h"], "columns": ["v", "f"]},
    {
        "group_by": ["g", "k"],
        "split_by": ["h"],
        "columns": ["v", "f"],
        "aggregates": {"v": "pct sum parent", "f": "avg"},
        "sort": [["f", "desc"], ["v", "col asc"]],
    },
    {"group_by": ["h"], "split_by": ["g", "h"], "columns": ["f"], "filter": [["v", "<", 8]]},
    {"group_by": ["g", "h"], "columns": ["v"], "group_rollup_mode": "flat"},
    {"group_by": ["b"], "split_by": ["g"], "columns": ["v"]},
    {"group_by": ["g"], "split_by": ["b"], "columns": ["f", "v"], "aggregates": {"v": "count"}},
    {
        "group_by": ["g"],
        "columns": ["e", "f"],
        "expressions": {"e": '"v" * 2 + 1'},
        "filter": [["e", ">", -9]],
    },
    {
        "group_by": ["gh"],
        "split_by": ["h"],
        "columns": ["v"],
        "expressions": {"gh": 'concat("g", \'-\', "h")'},
    },
    {"group_by": ["g"], "columns": ["v", "f"], "aggregates": {"v": "high", "f": "low"}},
    {
        "group_by": ["g", "h"],
        "split_by": ["b"],
        "columns": ["v", "f"],
        "aggregates": {"v": "min", "f": "max"},
    },
    {
        "group_by": ["g", "h"],
        "split_by": ["b"],
        "columns": ["v", "f"],
        "aggregates": {"v": "high minus low", "f": "high"},
        "sort": [["v", "desc"]],
    },
    {
        "group_by": ["h"],
        "columns": ["f", "v"],
        "aggregates": {"f": "high minus low", "v": "low"},
        "filter": [["v", ">", -5]],
    },
    {
        "group_by": ["g", "h"],
        "columns": ["v", "h", "f"],
        "aggregates": {"v": "distinct count", "h": "distinct count", "f": "sum"},
    },
    {"group_by": ["g", "h"], "columns": ["v", "f"], "aggregates": {"v": "var", "f": "stddev"}},
    {
        "group_by": ["g"],
        "split_by": ["b"],
        "columns": ["f", "v"],
        "aggregates": {"f": ["weighted mean", ["v"]], "v": ["weighted mean", "k"]},
    },
    {
        "group_by": ["g"],
        "split_by": ["h"],
        "columns": ["f", "v"],
        "aggregates": {"f": "var", "v": "stddev"},
        "sort": [["f", "desc"]],
    },
    {
        "group_by": ["h"],
        "columns": ["g", "v"],
        "aggregates": {"g": "distinct count"},
        "sort": [["g", "desc"]],
        "filter": [["v", "<", 8]],
    },
]


def _close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
    return a == b


def _assert_same(live, fresh, context):
    assert list(live) == list(fresh), context
    for col in live:
        assert len(live[col]) == len(fresh[col]), (col, context)
        for x, y in zip(live[col], fresh[col], strict=True):
            assert x == y or _close(x, y), (col, live[col], fresh[col], context)


@pytest.mark.parametrize("cfg", CONFIGS)
def test_configs_are_incremental(cfg):
    t = Table({"k": [1], "g": ["a"], "h": ["a"], "v": [1], "f": [1.0], "b": [True]}, name="t")
    v = t.view(**cfg)
    v.to_columns()
    assert v._state is not None  # kept as partial sums, updated from row deltas


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(), cfg=st.sampled_from(CONFIGS), kind=st.sampled_from(["index", "limit", "plain"])
)
def test_open_views_match_fresh_views_after_every_write(data, cfg, kind):
    first = data.draw(batches(min_size=1))
    options = {"index": {"index": "k"}, "limit": {"limit": 7}, "plain": {}}[kind]
    t = Table(first, name="t", **options)
    live = t.view(**cfg)
    live.to_columns()
    steps = []
    depth = None
    for _ in range(data.draw(st.integers(1, 5))):
        op = data.draw(st.sampled_from(["update", "update", "remove", "partial", "clear", "depth"]))
        if op == "depth":
            depth = data.draw(st.integers(0, len(cfg["group_by"])))
            live.set_depth(depth)
        elif op == "remove":
            keys = data.draw(st.lists(_keys, max_size=3))
            t.remove(keys)
        elif op == "partial" and kind == "index":
            b = data.draw(batches())
            t.update(b.select(["k", "v"]))
        elif op == "clear":
            t.clear()
        else:
            t.update(data.draw(batches()))
        steps.append(op)
        fresh = t.view(**cfg)
        if depth is not None:
            fresh.set_depth(depth)
        _assert_same(live.to_columns(), fresh.to_columns(), (kind, cfg, steps))
        fresh.delete()
        # ... and a view that recomputes from all rows (no incremental state).
        with mock.patch("perspective_nb.engine.view.supports_incremental", return_value=False):
            full = t.view(**cfg)
            if depth is not None:
                full.set_depth(depth)
            _assert_same(live.to_columns(), full.to_columns(), (kind, cfg, steps, "full"))
            full.delete()


@pytest.mark.parametrize(
    "cfg",
    [
        {"group_by": ["g", "h"], "columns": ["v", "f"], "aggregates": {"f": "pct sum parent"}},
        {
            "group_by": ["g"],
            "split_by": ["h"],
            "columns": ["v", "f"],
            "aggregates": {"v": "pct sum grand total", "f": "avg"},
        },
    ],
)
def test_ticks_that_keep_the_groups_read_only_the_rows_shown(cfg):
    rows = {
        "k": list(range(8)),
        "g": list("aabbccdd"),
        "h": list("xyxyxyxy"),
        "v": [1, 2, 3, 4, 5, 6, 7, 8],
        "f": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5],
    }
    t = Table(rows, name="t", index="k")
    live = t.view(**cfg)
    live.to_columns()
    for i in range(5):
        # New values for existing keys: no group appears or empties.
        t.update({"k": [i, 7 - i], "v": [10 * i, -i], "f": [i / 3, None]})
        window = live.to_columns(start_row=1, end_row=4)
        assert isinstance(live._frame().columns, LazyColumns)
        with mock.patch("perspective_nb.engine.view.supports_incremental", return_value=False):
            full = t.view(**cfg)
            _assert_same(window, full.to_columns(start_row=1, end_row=4), (cfg, i))
            _assert_same(live.to_columns(), full.to_columns(), (cfg, i))
            full.delete()


def test_high_and_low_keep_the_column_type_and_recompute_when_an_extreme_goes():
    t = Table(
        pa.table({"k": [1, 2, 3], "g": ["a", "a", "b"], "v": pa.array([5, 9, 7], pa.int32())}),
        name="t",
        index="k",
    )
    view = t.view(group_by=["g"], columns=["v"], aggregates={"v": "high"})
    assert view.to_columns()["v"] == [9, 9, 7]
    state = view._state[1]
    t.update({"k": [1], "g": ["a"], "v": [6]})  # not the extreme: folded in
    assert view.to_columns()["v"] == [9, 9, 7]
    assert view._state[1] is state
    t.update({"k": [2], "g": ["a"], "v": [1]})  # the extreme goes: recomputed
    assert view.to_columns()["v"] == [7, 6, 7]
    assert view._state[1] is not state
    assert pa.ipc.open_stream(view.to_arrow()).read_all().schema.field("v").type == pa.int32()


def test_distinct_counts_follow_rows_that_come_and_go():
    t = Table({"k": [1, 2, 3], "g": ["a", "a", "b"], "h": ["x", "y", "x"]}, name="t", index="k")
    view = t.view(group_by=["g"], columns=["h"], aggregates={"h": "distinct count"})
    assert view.to_columns()["h"] == [2, 2, 1]
    state = view._state[1]
    t.update({"k": [1], "g": ["a"], "h": ["y"]})  # a: y, y
    assert view.to_columns()["h"] == [2, 1, 1]
    t.update({"k": [4, 5], "g": ["b", "b"], "h": ["z", None]})  # b: x, z, null
    assert view.to_columns()["h"] == [4, 1, 3]
    t.remove([3])
    assert view.to_columns()["h"] == [3, 1, 2]
    assert view._state[1] is state, "kept incrementally"
    fresh = t.view(group_by=["g"], columns=["h"], aggregates={"h": "distinct count"})
    assert view.to_columns() == fresh.to_columns()


def test_distinct_count_of_a_null_and_a_value_in_different_chunks():
    # The grand total is aggregated without keys: Arrow's keyless
    # count_distinct once counted a null and a value in two chunks as one.
    t = Table(
        pa.table({"g": pa.array([None], pa.string()), "v": pa.array([None], pa.int64())}),
        name="t",
        limit=7,
    )
    t.update(pa.table({"g": pa.array([None], pa.string()), "v": [0]}))
    config = {"group_by": ["g"], "columns": ["v"], "aggregates": {"v": "distinct count"}}
    with mock.patch("perspective_nb.engine.view.supports_incremental", return_value=False):
        assert t.view(**config).to_columns()["v"] == [2, 2]
        # Another aggregated column's chunks cut the batches Arrow reads too.
        config = {
            **config,
            "columns": ["v", "g"],
            "aggregates": {**config["aggregates"], "g": "count"},
        }
        assert t.view(**config).to_columns()["v"] == [2, 2]
    assert t.view(**config).to_columns()["v"] == [2, 2]


def test_rows_tied_at_the_high_keep_the_view_incremental():
    t = Table(
        {"k": [1, 2, 3, 4], "g": ["a", "a", "a", "b"], "v": [9, 9, 5, 7]}, name="t", index="k"
    )
    view = t.view(group_by=["g"], columns=["v"], aggregates={"v": "high"})
    assert view.to_columns()["v"] == [9, 9, 7]
    state = view._state[1]
    t.update({"k": [1], "g": ["a"], "v": [1]})  # one of two rows at 9 goes: 9 stays
    assert view.to_columns()["v"] == [9, 9, 7]
    assert view._state[1] is state, "a tie at the high keeps the state"
    t.update({"k": [5], "g": ["b"], "v": [7]})  # a new row ties b's high
    t.update({"k": [4], "g": ["b"], "v": [2]})  # one of b's two 7s goes
    assert view.to_columns()["v"] == [9, 9, 7]
    assert view._state[1] is state
    t.update({"k": [2], "g": ["a"], "v": [0]})  # a's last 9 goes: recomputed
    assert view.to_columns()["v"] == [7, 5, 7]
    fresh = t.view(group_by=["g"], columns=["v"], aggregates={"v": "high"})
    assert view.to_columns() == fresh.to_columns()


def test_variance_of_values_far_from_zero_keeps_its_precision():
    # Sums of x and x^2 around zero would cancel to noise here (x ~ 1e9, var ~ 1).
    base = 1_000_000_000.0
    t = Table(
        {"k": [0, 1, 2], "g": ["a", "a", "a"], "f": [base, base + 1, base + 2]}, name="t", index="k"
    )
    v = t.view(group_by=["g"], columns=["f"], aggregates={"f": "var"})
    assert v.to_columns()["f"] == pytest.approx([2 / 3, 2 / 3], rel=1e-9)
    for i in range(3, 200):
        t.update({"k": [i], "g": ["a"], "f": [base + i % 3]})
        t.remove([i - 3])
    assert v._state is not None
    fresh = t.view(group_by=["g"], columns=["f"], aggregates={"f": "var"})
    assert v.to_columns()["f"] == pytest.approx(fresh.to_columns()["f"], rel=1e-9)
