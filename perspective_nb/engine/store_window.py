"""A window of a table's rows, read from a :class:`~.store.Store` without materialising it.

A flat view with no filter, sort, split or expression shows the table's rows
in the table's order, and a grid reads a hundred of them at a time. Before,
every write made the next read materialise all rows (``Store.table()``,
O(N): ~30 ms at a million rows); :func:`window` finds the rows of ranks
``start`` to ``end`` directly, in O(window + log N) plus the delta's index:

- unindexed tables: live main rows, then live delta rows, in insertion order
  (``LiveMask.select`` finds the k-th live row by page counts);
- indexed tables: main (key-sorted, minus dead rows) and the delta's sorted
  key index are two sorted runs with distinct keys. The number of delta keys
  ranked before ``start`` is found by binary search (the rank of delta key j
  is j plus the live main keys below it), then ``end - start`` candidates of
  each run are merged.

Pure pyarrow + numpy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from .store import Store, _concat, _sortable_keys, _take

__all__ = [
    "RowNumbers",
    "StoreKeys",
    "StoreRows",
    "rows_for_keys",
    "window",
    "window_positions",
]


def _main_rank(store: Store, position: int) -> int:
    """Live main rows before main row ``position``."""
    if store.main_live is None:
        return min(position, store.main.num_rows)
    return store.main_live.rank(position)


def _main_select(store: Store, start: int, end: int) -> np.ndarray:
    """Main positions of the live main rows of ranks ``start`` to ``end``."""
    if store.main_live is None:
        return np.arange(start, min(end, store.main.num_rows), dtype=np.int64)
    return store.main_live.select(start, end)


def _live_main_count(store: Store) -> int:
    return store.main.num_rows if store.main_live is None else store.main_live.count


def window_positions(
    store: Store, start: int, end: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of ranks ``start`` to ``end``: (main positions, delta positions, order).

    ``order`` arranges the concatenation main rows + delta rows in table order.
    """
    end = min(end, store.num_rows)
    empty = np.zeros(0, np.int64)
    if start >= end:
        return empty, empty, empty
    n_main_live = _live_main_count(store)
    if store.key is None:
        # Insertion order: the live main rows, then the live delta rows.
        main_pos = _main_select(store, start, min(end, n_main_live))
        lo, hi = max(start - n_main_live, 0), max(end - n_main_live, 0)
        if hi > lo:
            live = store.delta_live
            delta_pos = (
                np.arange(lo, hi, dtype=np.int64)
                if live is None
                else np.flatnonzero(live)[lo:hi].astype(np.int64)
            )
        else:
            delta_pos = empty
        return main_pos, delta_pos, np.arange(len(main_pos) + len(delta_pos))
    dkeys, drows = store.delta_index.merged() if store.delta_index is not None else (None, None)
    if dkeys is None or len(dkeys) == 0:
        main_pos = _main_select(store, start, end)
        return main_pos, empty, np.arange(len(main_pos))
    main_keys = store.main_keys
    n_delta = len(dkeys)

    def rank_of_delta(j: int) -> int:  # merged rank of delta key j
        return j + _main_rank(store, int(np.searchsorted(main_keys, dkeys[j])))

    # Smallest j whose merged rank is >= start (binary search: O(log^2)).
    lo, hi = 0, n_delta
    while lo < hi:
        mid = (lo + hi) // 2
        if rank_of_delta(mid) < start:
            lo = mid + 1
        else:
            hi = mid
    j0 = lo
    i0 = start - j0  # live main rows ranked before ``start``
    size = end - start
    main_pos = _main_select(store, i0, min(i0 + size, n_main_live))
    delta_idx = np.arange(j0, min(j0 + size, n_delta))
    keys = np.concatenate([main_keys[main_pos], dkeys[delta_idx]])
    order = np.argsort(keys, kind="stable")[:size]
    # Keep only the candidates that made the window (both runs were cut to size).
    take_main = order[order < len(main_pos)]
    take_delta = order[order >= len(main_pos)] - len(main_pos)
    main_pos, delta_idx = main_pos[np.sort(take_main)], delta_idx[np.sort(take_delta)]
    keys = np.concatenate([main_keys[main_pos], dkeys[delta_idx]])
    return main_pos, drows[delta_idx], np.argsort(keys, kind="stable")


def window(store: Store, start: int, end: int) -> pa.Table:
    """The live rows of ranks ``start`` to ``end`` in table order (``store.table()[start:end]``)."""
    main_pos, delta_pos, order = window_positions(store, start, end)
    parts = [_take(store.main, main_pos), _take(store.delta, delta_pos)]
    rows = _concat([p for p in parts if p.num_rows] or parts[:1])
    if len(order) and not np.array_equal(order, np.arange(len(order))):
        rows = rows.take(pa.array(order))
    return rows


class StoreRows:
    """The rows of one store version as a flat view's source: ``slice`` reads a window.

    Remembers the last window, so a read's rows and its ids cost one lookup.
    """

    __slots__ = ("_extend", "_last", "num_rows", "store")

    def __init__(self, store: Store, extend: Callable[[pa.Table], pa.Table] | None = None) -> None:
        self.store = store
        self.num_rows = store.num_rows
        self._extend = extend  # adds a view's expression columns to a window's rows
        self._last: tuple[int, int, pa.Table] | None = None

    def slice(self, start: int, length: int) -> pa.Table:
        last = self._last
        if last is not None and last[0] == start and last[1] == length:
            return last[2]
        rows = window(self.store, start, start + length)
        if self._extend is not None:
            rows = self._extend(rows)
        self._last = (start, length, rows)
        return rows


class StoreKeys:
    """The index column of a :class:`StoreRows`' windows (a flat view's ``__ID__``)."""

    __slots__ = ("key", "rows")

    def __init__(self, rows: StoreRows, key: str) -> None:
        self.rows, self.key = rows, key

    def slice(self, start: int, length: int) -> pa.ChunkedArray:
        return self.rows.slice(start, length).column(self.key)


class RowNumbers:
    """Row numbers as a flat view's ids (unindexed tables)."""

    __slots__ = ()

    def slice(self, start: int, length: int) -> pa.Array:
        return pa.array(np.arange(start, start + length, dtype=np.int64))


def rows_for_keys(store: Store, keys: pa.Array) -> pa.Table | None:
    """The live rows holding ``keys`` (each present once), in the order given.

    Binary search in main's sorted keys and in the delta's key index:
    O(len(keys) log N). None when the keys cannot be searched (see
    ``store._sortable_keys``).
    """
    main_keys = store._main_keys()
    wanted = _sortable_keys(keys)
    if main_keys is None or wanted is None:
        return None
    n = len(wanted)
    if n == 0:
        return store.main.schema.empty_table()
    n_main = len(main_keys)
    pos = np.searchsorted(main_keys, wanted)
    in_main = pos < n_main
    in_main[in_main] = main_keys[pos[in_main]] == wanted[in_main]
    if store.main_live is not None and in_main.any():
        in_main[in_main] = store.main_live.gather(pos[in_main])
    drow = (
        store.delta_index.find(wanted)
        if store.delta_index is not None
        else np.full(n, -1, np.int64)
    )
    in_delta = drow >= 0
    if not (in_main | in_delta).all():
        return None  # a key not in the table (a stale order): the caller recomputes
    from_main, from_delta = np.flatnonzero(in_main), np.flatnonzero(~in_main)
    parts = [_take(store.main, pos[from_main])]
    if len(from_delta):
        parts.append(_take(store.delta, drow[from_delta]))
    rows = _concat(parts)
    order = np.empty(n, np.int64)
    order[np.concatenate([from_main, from_delta])] = np.arange(n)
    return rows.take(pa.array(order))
