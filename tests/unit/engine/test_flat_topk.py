"""Sorted and filtered flat views keep their top rows from row deltas: every read equals a
recomputed view."""

from __future__ import annotations

import contextlib

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspective_nb.engine.flat_topk import TopK
from perspective_nb.engine.table import Table

SORTS = [
    [["v", "desc"]],
    [["v", "asc"], ["s", "desc"]],
    [["s", "asc"]],
    [["f", "desc abs"]],
    [["s", "desc"], ["f", "asc"]],
]

F64 = pa.float64()
_vals = st.one_of(st.none(), st.integers(-5, 5))
_strs = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "dd"]))


@contextlib.contextmanager
def few_kept(cap: int, floor: int):
    saved = TopK.CAP, TopK.FLOOR
    TopK.CAP, TopK.FLOOR = cap, floor
    try:
        yield
    finally:
        TopK.CAP, TopK.FLOOR = saved


def _rows(keys, draw):
    return pa.table(
        {
            "k": pa.array(keys, pa.int64()),
            "v": pa.array([draw(_vals) for _ in keys], pa.int64()),
            "s": pa.array([draw(_strs) for _ in keys], pa.string()),
            "f": pa.array(
                [None if (x := draw(_vals)) is None else x / 2 for _ in keys], pa.float64()
            ),
        }
    )


FILTERS = [
    [["v", ">", 0]],
    [["s", "in", ["a", "dd"]]],
    [["f", "is not null"], ["s", "!=", "b"]],
    [["twice", "<=", 4]],
]
EXPRESSIONS = {"twice": '"v" * 2'}


def _live_view_follows_writes(draw, config: dict, cap: int) -> None:
    """Random upserts, partial updates and removes; after each, the view kept
    from deltas reads as a view that filters and sorts every row."""
    with few_kept(cap, cap // 2):
        initial = draw(st.lists(st.integers(0, 60), unique=True, max_size=40))
        table = Table(_rows(initial, draw), name="t", index="k")
        live = table.view(**config)
        assert live._sorted_flat
        live.to_columns()
        for _ in range(draw(st.integers(1, 6))):
            op = draw(st.sampled_from(["update", "update", "remove", "partial"]))
            keys = draw(st.lists(st.integers(0, 60), min_size=1, max_size=12, unique=True))
            if op == "remove":
                table.remove(keys)
            elif op == "partial":
                table.update({"k": keys, "v": [draw(_vals) for _ in keys]})
            else:
                table.update(_rows(keys, draw))
            fresh = table.view(**config)
            fresh._sorted_flat = False  # the general path: filter and sort every row
            assert live.num_rows() == fresh.num_rows()
            end = draw(st.integers(0, 70))
            for window in (
                {"start_row": 0, "end_row": min(end, cap)},
                {"start_row": 1, "end_row": end},
                {},
            ):
                assert live.to_columns(index=True, **window) == fresh.to_columns(
                    index=True, **window
                ), (op, window)
            fresh.delete()


@settings(max_examples=80, deadline=None)
@given(data=st.data(), sort=st.sampled_from(SORTS), cap=st.sampled_from([4, 8, 64]))
def test_sorted_flat_views_match_recomputed_views(data, sort, cap):
    _live_view_follows_writes(data.draw, {"sort": sort, "columns": ["v", "s", "f"]}, cap)


def test_a_tick_does_not_resort_the_table():
    n = 200_000
    table = Table(
        {"k": list(range(n)), "v": [float(i % 997) for i in range(n)]}, name="t", index="k"
    )
    view = table.view(sort=[["v", "desc"]], columns=["v"])
    assert view.to_columns(start_row=0, end_row=3)["v"] == [996.0, 996.0, 996.0]
    top = view._top[1]
    table.update({"k": [5, n + 1], "v": [5000.0, 4000.0]})
    assert view.to_columns(start_row=0, end_row=3, index=True) == {
        "__INDEX__": [[5], [n + 1], [996]],
        "v": [5000.0, 4000.0, 996.0],
    }
    assert view._top[1] is top, "the kept rows were updated, not rebuilt"
    store = table._state[1]
    assert store._cache is None, "nor were all rows materialised"


@settings(max_examples=80, deadline=None)
@given(
    data=st.data(),
    sort=st.sampled_from([[], *SORTS, [["twice", "desc"]]]),
    filt=st.sampled_from(FILTERS),
    cap=st.sampled_from([4, 8, 64]),
)
def test_filtered_flat_views_match_recomputed_views(data, sort, filt, cap):
    columns = ["v", "s", "twice"]
    config = {"sort": sort, "filter": filt, "columns": columns, "expressions": EXPRESSIONS}
    _live_view_follows_writes(data.draw, config, cap)


def test_a_tick_into_a_filtered_view_does_not_refilter_the_table():
    n = 200_000
    table = Table(
        {"k": list(range(n)), "v": [float(i % 997) for i in range(n)]}, name="t", index="k"
    )
    view = table.view(filter=[["v", ">", 990.0]], columns=["v"])
    assert view.num_rows() == 6 * (n // 997) + max(0, n % 997 - 991)
    before = view.num_rows()
    top = view._top[1]
    table.update({"k": [992, n + 1, n + 2], "v": [0.0, 995.0, 1.0]})  # one leaves, one joins
    assert view.num_rows() == before
    assert view.to_columns(start_row=0, end_row=2, index=True) == {
        "__INDEX__": [[991], [993]],
        "v": [991.0, 993.0],
    }
    assert view._top[1] is top, "the kept rows were updated, not rebuilt"
    assert table._state[1]._cache is None, "nor were all rows materialised"


@pytest.mark.parametrize("end", [10, 20_000])
def test_reads_past_the_kept_rows_fall_back_to_the_full_order(end):
    table = Table(
        {"k": list(range(30_000)), "v": [i % 7 for i in range(30_000)]}, name="t", index="k"
    )
    view = table.view(sort=[["v", "asc"]], columns=["v"])
    fresh = table.view(sort=[["v", "asc"]], columns=["v"])
    fresh._sorted_flat = False
    window = {"start_row": end - 5, "end_row": end}
    assert view.to_columns(index=True, **window) == fresh.to_columns(index=True, **window)


def test_a_reread_shows_a_write_to_a_row_it_holds_and_reuses_rows_no_write_touched():
    table = Table({"k": list(range(10)), "v": [float(i) for i in range(10)]}, name="t", index="k")
    view = table.view(sort=[["v", "desc"]], columns=["v"])
    first = view.to_columns(start_row=0, end_row=3, index=True)
    assert first == {"__INDEX__": [[9], [8], [7]], "v": [9.0, 8.0, 7.0]}
    # The caller changes what it got: the next read is not affected.
    first["v"].append(1.0)
    first["__INDEX__"][0].append(99)
    table.update({"k": [2], "v": [5.5]})  # a row below the window
    assert view.to_columns(start_row=0, end_row=3, index=True) == {
        "__INDEX__": [[9], [8], [7]],
        "v": [9.0, 8.0, 7.0],
    }
    rows = view._rows_memo._entry[2]
    table.update({"k": [3], "v": [0.5]})
    view.to_columns(start_row=0, end_row=3)
    assert view._rows_memo._entry[2] is rows, "untouched rows were not fetched again"
    table.update({"k": [8], "v": [8.5]})  # a row in the window, new value, same rank
    assert view.to_columns(start_row=0, end_row=3) == {"v": [9.0, 8.5, 7.0]}
    table.replace({"k": [1], "v": [1.0]})  # not a row delta: nothing is reused
    assert view.to_columns(start_row=0, end_row=3) == {"v": [1.0]}
