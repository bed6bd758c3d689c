"""store_window.window: any window of a store equals the same slice of its materialised rows."""

from __future__ import annotations

import contextlib

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from perspective_nb.engine import live_mask
from perspective_nb.engine.store_window import window
from perspective_nb.engine.table import Table


@contextlib.contextmanager
def small_pages():
    """Pages of 8 rows (and the few-rows path only for 2), so small tables span pages."""
    saved = live_mask._SHIFT, live_mask.PAGE, live_mask._FEW
    live_mask._SHIFT, live_mask.PAGE, live_mask._FEW = 3, 8, 2
    try:
        yield
    finally:
        live_mask._SHIFT, live_mask.PAGE, live_mask._FEW = saved


ops = st.lists(
    st.one_of(
        st.tuples(st.just("upsert"), st.lists(st.integers(0, 300), min_size=1, max_size=40)),
        st.tuples(st.just("remove"), st.lists(st.integers(0, 300), min_size=1, max_size=10)),
    ),
    max_size=12,
)


def _check(table: Table, windows: list[tuple[int, int]]) -> None:
    store = table._state[1]
    whole = store.table()
    n = whole.num_rows
    for a, b in [*windows, (0, n), (0, 1), (max(n - 3, 0), n + 5)]:
        start, end = min(a, b) % (n + 2), max(a, b) % (n + 7)
        start = min(start, end)
        got = window(store, start, end)
        expected = whole.slice(start, max(min(end, n) - start, 0))
        assert got.column("k").to_pylist() == expected.column("k").to_pylist(), (start, end)
        assert got.column("v").to_pylist() == expected.column("v").to_pylist(), (start, end)


@settings(max_examples=80, deadline=None)
@given(
    initial=st.lists(st.integers(0, 300), unique=True, max_size=200),
    ops=ops,
    windows=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=5),
)
def test_indexed_windows(initial, ops, windows):
    with small_pages():
        _indexed(initial, ops, windows)


def _indexed(initial, ops, windows):
    table = Table(
        {"k": sorted(initial), "v": [float(k) for k in sorted(initial)]}, name="t", index="k"
    )
    for i, (op, keys) in enumerate(ops):
        if op == "upsert":
            table.update({"k": keys, "v": [k * 10.0 + i for k in keys]})
        else:
            table.remove(keys)
    _check(table, windows)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 60), max_size=8),
    removals=st.lists(st.integers(0, 200), max_size=10),
    limit=st.one_of(st.none(), st.integers(5, 120)),
    windows=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=5),
)
def test_unindexed_windows(sizes, removals, limit, windows):
    with small_pages():
        _unindexed(sizes, removals, limit, windows)


def _unindexed(sizes, removals, limit, windows):
    table = Table({"k": [0, 1, 2], "v": [0.0, 1.0, 2.0]}, name="t", limit=limit)
    n = 3
    for size in sizes:
        table.update({"k": list(range(n, n + size)), "v": [float(x) for x in range(size)]})
        n += size
    if removals and limit is None:
        table.remove([r % max(table.size(), 1) for r in removals])
    _check(table, windows)


def test_a_million_rows_window_reads_only_the_window():
    n = 1_000_000
    table = Table({"k": np.arange(n), "v": np.zeros(n)}, name="t", index="k")
    table.update(pa.table({"k": [5, n + 1, 17], "v": [1.0, 2.0, 3.0]}))
    store = table._state[1]
    assert store._cache is None, "the write did not materialise the rows"
    got = window(store, 0, 6)
    assert got.column("k").to_pylist() == [0, 1, 2, 3, 4, 5]
    assert got.column("v").to_pylist() == [0, 0, 0, 0, 0, 1.0]
    assert window(store, n, n + 1).column("k").to_pylist() == [n + 1]
    assert store._cache is None, "nor did the reads"


FLAT_CONFIGS = [
    {},
    {"columns": ["v"]},
    {"columns": ["e", "k"], "expressions": {"e": '"v" * 2 + 1'}},
]


@settings(max_examples=60, deadline=None)
@given(
    cfg=st.sampled_from(FLAT_CONFIGS),
    kind=st.sampled_from(["index", "limit", "plain"]),
    ops=ops,
    window_end=st.integers(0, 400),
)
def test_flat_views_read_from_the_store_match_a_recomputed_view(cfg, kind, ops, window_end):
    with small_pages():
        options = {"index": {"index": "k"}, "limit": {"limit": 50}, "plain": {}}[kind]
        table = Table({"k": [1, 2, 3], "v": [1.0, 2.0, 3.0]}, name="t", **options)
        live = table.view(**cfg)
        assert live._plain_flat
        live.to_columns()
        for i, (op, keys) in enumerate(ops):
            if op == "upsert":
                table.update({"k": keys, "v": [k * 10.0 + i for k in keys]})
            elif kind == "index":
                table.remove(keys)
            else:
                table.remove([k % max(table.size(), 1) for k in keys[:3]])
            recomputed = table.view(**cfg)
            recomputed._plain_flat = False  # the general path: every row, then a slice
            for window in ({}, {"start_row": 1, "end_row": window_end}):
                got = live.to_columns(id=True, index=True, **window)
                expected = recomputed.to_columns(id=True, index=True, **window)
                assert got == expected, (op, window)
            recomputed.delete()
