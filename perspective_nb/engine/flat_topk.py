"""The top rows of a sorted or filtered flat view, maintained from row deltas.

A grid sorted by a column shows its first hundred rows; recomputing the
order of a million rows for every ten-row tick (materialise, then a top-k
selection: O(N)) is what made sorted flat views cost ~60 ms a tick.
:class:`TopK` keeps the sort values and keys of the first ``m`` rows of the
view's order (``m`` up to ``CAP``) for an indexed table. A write's delta
(new versions added, old versions removed) changes it in O(delta + m):

- rows whose key was removed (or overwritten) leave;
- the added rows and the remaining top rows are sorted together, with the
  old last top row ``B`` as a boundary: every row outside the top set ranks
  after ``B``, so the rows sorted before ``B`` are exactly the first rows of
  the new order, and they become the new top set.

When that leaves fewer than ``FLOOR`` rows (many top rows removed) while the
view has more, the caller rebuilds from all rows (one O(N) selection).
The order is the view's sort keys, then the key ascending: a stable sort of
an indexed table's rows (which are in key order), as Perspective shows it.
A filtered view hands both steps only the rows its filter keeps: only
those are kept or sorted in, and the view's row count moves by the
passing rows each write adds and removes. A filtered view without a sort is
ordered by the key alone (the table's order).

Pure pyarrow + numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .dtypes import decoded
from .store import Store
from .store_window import rows_for_keys

__all__ = ["KeyIds", "KeyedRows", "RowsMemo", "TopK", "TopKOrder"]

_KEY = "__key"


class TopK:
    """The first rows (sort values and keys) of a sorted flat view over an indexed table."""

    CAP = 8192  # rows kept
    FLOOR = 2048  # fewer than this (with more rows in the table): rebuild

    def __init__(self, sorts: list[tuple[str, str]], key: str) -> None:
        self._sorts = sorts
        self._key = key
        self._top: pa.Table | None = None  # sort columns k0.. and __key, in view order
        self._complete = False  # the top set holds every row of the view
        self.count = 0  # the view's rows (those passing its filter)

    # -- ordering ----------------------------------------------------------
    def _keyed(self, rows: pa.Table) -> pa.Table:
        """The sort columns as they order (abs, decoded strings) and the key."""
        cols = {}
        for i, (c, d) in enumerate(self._sorts):
            col = decoded(rows.column(c))
            if d.endswith("abs"):
                col = pc.fill_null(pc.abs(col), 0)  # abs sorts count a null as 0
            cols[f"k{i}"] = col
        cols[_KEY] = decoded(rows.column(self._key))
        return pa.table(cols)

    def _sort_keys(self) -> list[tuple[str, str, str]]:
        keys = []
        for i, (_, d) in enumerate(self._sorts):
            desc = d.startswith("desc")
            keys.append(
                (f"k{i}", "descending" if desc else "ascending", "at_end" if desc else "at_start")
            )
        keys.append((_KEY, "ascending", "at_end"))
        return keys

    # -- state ---------------------------------------------------------------
    def rebuild(self, rows: pa.Table) -> None:
        """Take the top rows from every row of the view (O(N))."""
        keyed = self._keyed(rows)
        n = self.count = keyed.num_rows
        if n > self.CAP and not any(c.null_count for c in keyed.columns):
            # select_k cannot place nulls first; without nulls it is O(N).
            spec = [(k, o) for k, o, _ in self._sort_keys()]
            idx = pc.select_k_unstable(keyed, k=self.CAP, sort_keys=spec)
        else:
            idx = pc.sort_indices(keyed, sort_keys=self._sort_keys())[: self.CAP]
        self._top = keyed.take(idx).combine_chunks()
        self._complete = n <= self.CAP

    def apply(self, added: pa.Table | None, removed: pa.Table | None) -> bool:
        """Fold in a write's row delta; False when the caller must :meth:`rebuild`.

        ``added`` are the new versions of the written rows, ``removed`` the
        rows they replaced and the rows removed, both as the view shows
        them (a filtered view passes the rows its filter keeps, with the
        columns it sorts by).
        """
        top = self._top
        if top is None:
            return False
        self.count += (added.num_rows if added is not None else 0) - (
            removed.num_rows if removed is not None else 0
        )
        boundary = None if self._complete or top.num_rows == 0 else top.slice(top.num_rows - 1)
        gone = []
        if removed is not None and removed.num_rows:
            gone.append(decoded(removed.column(self._key)))
        if added is not None and added.num_rows:
            gone.append(decoded(added.column(self._key)))  # upserted keys: old versions go
        if gone:
            keys = pa.chunked_array(gone).combine_chunks()
            hit = pc.is_in(top.column(_KEY), value_set=keys)
            if pc.any(hit).as_py():  # most writes touch no top row: no copy then
                top = top.filter(pc.invert(hit))
        new = self._keyed(added).cast(top.schema) if added is not None and added.num_rows else None
        if boundary is not None and (new is None or self._after(new, boundary)):
            # Nothing enters the top set (a tick's rows mostly rank past it):
            # the kept rows, less those that left, are still the first rows.
            self._top = top
            return self._top.num_rows >= min(self.FLOOR, self.count)
        parts = [top]
        if new is not None:
            parts.append(new)
        if boundary is not None:
            parts.append(boundary)  # last, so it sorts after rows equal to it
        merged = pa.concat_tables(parts).combine_chunks()
        order = pc.sort_indices(merged, sort_keys=self._sort_keys()).to_numpy()
        if boundary is not None:
            at = int(np.flatnonzero(order == merged.num_rows - 1)[0])
            order = order[:at]  # rows ranked before the boundary: the true first rows
        self._top = merged.take(pa.array(order[: self.CAP])).combine_chunks()
        if boundary is None:
            self._complete = self._top.num_rows == self.count
        # Too few rows left to serve a grid's window: rebuild from all rows.
        return self._complete or self._top.num_rows >= min(self.FLOOR, self.count)

    def _after(self, rows: pa.Table, boundary: pa.Table) -> bool:
        """Whether every row of ``rows`` ranks after ``boundary`` (one row):
        a sort of the few rows, not of the kept ones."""
        probe = pa.concat_tables([boundary, rows])
        return pc.sort_indices(probe, sort_keys=self._sort_keys())[0].as_py() == 0

    def covers(self, end: int) -> bool:
        """Whether rows up to ``end`` (exclusive) are known."""
        return self._top is not None and (self._complete or end <= self._top.num_rows)

    def keys(self, start: int, end: int) -> pa.Array:
        """Keys of the rows of ranks ``start`` to ``end`` (see :meth:`covers`)."""
        assert self._top is not None
        return self._top.column(_KEY).slice(start, max(end - start, 0)).combine_chunks()


class RowsMemo:
    """The rows a keyed flat view's last read fetched, kept across writes
    that touch none of them.

    A grid re-reads its viewport after every tick, and a tick seldom writes
    a row the viewport shows; then the read returns the same rows (the same
    ``pa.Table``, so its serialised form can be reused too) instead of
    finding them again. Entries are tagged with the table version they hold
    for: :meth:`advance` carries the entry over the writes a view applies.
    """

    def __init__(self) -> None:
        self._entry: tuple[int, pa.ChunkedArray, pa.Table] | None = None

    def get(self, version: int, keys: pa.Array | pa.ChunkedArray) -> pa.Table | None:
        entry = self._entry
        if entry is not None and entry[0] == version and entry[1].equals(_chunked(keys)):
            return entry[2]
        return None

    def put(self, version: int, keys: pa.Array | pa.ChunkedArray, rows: pa.Table) -> None:
        self._entry = (version, _chunked(keys), rows)

    def advance(self, old: int, new: int, written: list[pa.Array]) -> None:
        """Carry the entry from version ``old`` to ``new`` unless a key
        ``written`` in between is one of its rows'."""
        entry = self._entry
        self._entry = None
        if entry is None or entry[0] != old:
            return
        if written:
            keys = pa.chunked_array(written).combine_chunks()
            if pc.any(pc.is_in(entry[1], value_set=keys)).as_py():
                return
        self._entry = (new, entry[1], entry[2])

    def clear(self) -> None:
        self._entry = None


def _chunked(keys: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    return keys if isinstance(keys, pa.ChunkedArray) else pa.chunked_array([keys])


class KeyedRows:
    """A flat view's rows of one store version, fetched by key (``take(keys)``).

    ``num_rows`` is the view's row count; ``extend`` adds the view's
    expression columns to the fetched rows; ``memo`` (with the store's
    ``version``) remembers the last rows fetched.
    """

    def __init__(
        self,
        store: Store,
        key: str,
        num_rows: int,
        extend: Callable[[pa.Table], pa.Table] | None = None,
        memo: tuple[RowsMemo, int] | None = None,
    ) -> None:
        self.store, self.key = store, key
        self.num_rows = num_rows
        self._extend = extend
        self._memo = memo

    def take(self, keys: pa.Array) -> pa.Table:
        if self._memo is not None:
            memo, version = self._memo
            rows = memo.get(version, keys)
            if rows is not None:
                return rows
        rows = rows_for_keys(self.store, keys)
        if rows is None:  # keys binary search cannot order: find them in all rows (O(N))
            data = self.store.table()
            at = pc.index_in(keys, value_set=decoded(data.column(self.key)))
            rows = data.take(at)
        if self._extend is not None:
            rows = self._extend(rows)
        if self._memo is not None:
            memo.put(version, keys, rows)
        return rows


class KeyIds:
    """A flat view's ids when its order yields keys: the keys themselves."""

    def take(self, keys: pa.Array) -> pa.Array:
        return keys


class TopKOrder:
    """A sorted or filtered flat view's order as keys: from the :class:`TopK`
    while it covers the window, else from ``fallback()``, the view's full frame."""

    def __init__(self, topk: TopK, fallback: Callable[[], Any]) -> None:
        self._topk = topk
        self._fallback = fallback

    def window(self, start: int, end: int) -> pa.Array:
        if self._topk.covers(end):
            return self._topk.keys(start, end)
        full = self._fallback()  # reading past the kept rows: the full sort (cached)
        if full.order is None:  # a filtered view in the table's order
            return full.ids.slice(start, end - start)
        return full.ids.take(full.order.window(start, end))
