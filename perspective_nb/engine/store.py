"""Row storage of a table: an immutable main part plus a small delta.

A :class:`Store` is one immutable version of a table's rows. Writes never
touch the arrays a reader may hold; each returns a new ``Store`` that
shares almost everything with the old one, so a write costs O(batch):

- ``main``: a ``pa.Table`` (key-sorted for indexed tables, insertion
  ordered otherwise) with a liveness mask (``None`` while every row lives);
- ``delta``: rows written since the last compaction, appended as chunks
  (new keys, and the new versions of upserted keys), with its own mask;
- for indexed tables, two sorted key indexes: ``main``'s key column as a
  numpy array (row i of main holds key i: binary search needs no extra
  memory and main is kept in key order anyway) and the live delta keys
  with their delta rows (small, copied on write).

An upsert finds each key by binary search in both indexes (O(batch log N)),
marks the old versions dead (a copy of a bit mask: memcpy speed), builds
the new versions of the touched rows (old values for columns the batch
leaves out) and appends them to the delta. The row order Perspective shows
(by key, or by insertion) is recovered by :meth:`table`, computed once per
version and only when a reader needs all rows (views that recompute); views
that update incrementally read only the row deltas a write reports.

When the delta outgrows a fraction of main (or holds too many chunks) the
writer compacts: one O(N) materialisation, amortised over the writes that
filled the delta, which also keeps memory flat over a long stream.

Keys that binary search cannot order (nulls, NaN, booleans, mixed
chunks of other types) take :func:`.upsert.upsert`, the full-rewrite path.

Pure pyarrow + numpy: no I/O, no asyncio.
"""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .delta_index import DeltaIndex
from .live_mask import LiveMask
from .upsert import key_order, upsert

__all__ = ["Store"]

# Compact when the delta holds more rows than this fraction of main (and at
# least _MIN_DELTA rows); recombine the delta alone past _MAX_CHUNKS chunks
# (compute kernels slow down with thousands of small chunks).
_DELTA_FRACTION = 0.125
_MIN_DELTA = 65_536
_MAX_CHUNKS = 64


def _sortable_keys(col: pa.ChunkedArray | pa.Array) -> np.ndarray | None:
    """Keys as a numpy array binary search can use, or None where it cannot."""
    t = col.type
    if col.null_count:
        return None
    if pa.types.is_integer(t):
        return col.to_numpy()
    if pa.types.is_floating(t):
        arr = col.to_numpy()
        return None if np.isnan(arr).any() else arr
    if pa.types.is_date32(t):
        return col.cast(pa.int32()).to_numpy()
    if pa.types.is_timestamp(t) or pa.types.is_date64(t):
        return col.cast(pa.int64()).to_numpy()
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        # UTF-8 byte order (Arrow's sort) is code point order (Python's).
        return col.to_numpy(zero_copy_only=False)
    return None


class Store:
    """One immutable version of a table's rows (see the module docstring)."""

    __slots__ = (
        "_cache",
        "_cache_lock",
        "delta",
        "delta_index",
        "delta_live",
        "key",
        "main",
        "main_keys",
        "main_live",
        "num_rows",
    )

    def __init__(
        self,
        main: pa.Table,
        key: str | None,
        *,
        main_live: LiveMask | None = None,
        delta: pa.Table | None = None,
        delta_live: np.ndarray | None = None,
        main_keys: np.ndarray | None = None,
        delta_index: DeltaIndex | None = None,
        num_rows: int | None = None,
    ) -> None:
        self.main = main
        self.key = key
        self.main_live = main_live
        self.delta = delta if delta is not None else main.schema.empty_table()
        self.delta_live = delta_live
        self.main_keys = main_keys
        self.delta_index = delta_index
        if num_rows is None:
            num_rows = main.num_rows if main_live is None else main_live.count
            num_rows += self.delta.num_rows if delta_live is None else int(delta_live.sum())
        self.num_rows = num_rows
        self._cache: pa.Table | None = None
        self._cache_lock = threading.Lock()
        if self.delta.num_rows == 0 and main_live is None:
            self._cache = main

    # -- reading -------------------------------------------------------------
    def table(self) -> pa.Table:
        """Every live row in the table's order (computed once per version)."""
        if self._cache is not None:
            return self._cache
        with self._cache_lock:
            if self._cache is None:
                self._cache = self._materialise()
            return self._cache

    def _materialise(self) -> pa.Table:
        n_main = self.main.num_rows
        main_pos = np.flatnonzero(self.main_live.array()) if self.main_live is not None else None
        if self.key is None:
            if main_pos is None and self.delta_live is None:
                return _concat([self.main, self.delta])  # appends only: zero-copy
            live = self._live_mask()
            return _combine(_concat([self.main, self.delta])).take(pa.array(np.flatnonzero(live)))
        delta_keys, delta_rows = (
            self.delta_index.merged() if self.delta_index is not None else (None, None)
        )
        if delta_rows is None or len(delta_rows) == 0:
            return self.main if main_pos is None else self.main.take(pa.array(main_pos))
        if main_pos is None:
            main_pos = np.arange(n_main)
        main_keys = self.main_keys[main_pos]
        delta_pos = n_main + delta_rows  # live delta rows in key order
        if len(main_keys) == 0 or delta_keys[0] > main_keys[-1]:
            idx = np.concatenate([main_pos, delta_pos])  # an append-only key stream
        else:
            # Merge two key-sorted runs: delta row i lands after the main keys below it.
            at = np.searchsorted(main_keys, delta_keys) + np.arange(len(delta_pos))
            idx = np.empty(len(main_pos) + len(delta_pos), np.int64)
            from_main = np.ones(len(idx), bool)
            from_main[at] = False
            idx[from_main] = main_pos
            idx[at] = delta_pos
        # One take over one chunk (a take over many chunks concatenates them per call).
        return _combine(_concat([self.main, self.delta])).take(pa.array(idx))

    # -- writing ---------------------------------------------------------------
    def append(self, rows: pa.Table, limit: int | None) -> tuple[Store, pa.Table, pa.Table | None]:
        """Append ``rows`` (unindexed tables); a ``limit`` drops the oldest rows.

        Returns the new store, the rows added and the rows dropped (or None).
        """
        delta = _append(self.delta, rows)
        delta_live = None
        if self.delta_live is not None:
            delta_live = np.concatenate([self.delta_live, np.ones(rows.num_rows, bool)])
        store = Store(
            self.main,
            None,
            main_live=self.main_live,
            delta=delta,
            delta_live=delta_live,
            num_rows=self.num_rows + rows.num_rows,
        )
        dropped = None
        if limit is not None and store.num_rows > limit:
            # Limit tables drop their oldest live rows: found by rank in the
            # paged live mask, O(dropped + pages + delta), not O(N).
            overflow = store.num_rows - limit
            live = store._first_live(overflow)
            dropped = store._rows_at(live)
            store = store._without(live)
        return store._maybe_compact(), rows, dropped

    def remove_positions(self, positions: np.ndarray) -> tuple[Store, pa.Table]:
        """Remove rows by position in the table's order (unindexed tables)."""
        # O(N) over the liveness mask: positions are logical row numbers.
        slots = np.flatnonzero(self._live_mask())[positions]
        return self._without(slots)._maybe_compact(), self._rows_at(slots)

    def upsert(self, upd: pa.Table, present: set[str]) -> tuple[Store, pa.Table, pa.Table]:
        """Upsert ``upd`` (unique keys in any order, storage types, every
        column); only the columns in ``present`` overwrite old values (the
        others are placeholders: a partial update keeps what it leaves out).

        Returns the new store, the new versions of the touched rows (in the
        batch's order) and the old versions of the rows that were overwritten.
        """
        bk = _sortable_keys(upd.column(self.key))
        main_keys = self._main_keys()
        if bk is None or main_keys is None or (len(main_keys) and bk.dtype != main_keys.dtype):
            return self._rewrite(upd, present)
        n_main = len(main_keys)
        order = np.argsort(bk, kind="stable")  # the batch need not come in key order
        # Sorted needles: numpy's binary search starts each from the last hit.
        pos = np.empty(len(bk), np.int64)
        pos[order] = np.searchsorted(main_keys, bk[order])
        ok = pos < n_main
        ok[ok] = main_keys[pos[ok]] == bk[ok]
        if self.main_live is not None:
            ok[ok] = self.main_live.gather(pos[ok])
        in_main = pos[ok]
        index = self.delta_index if self.delta_index is not None else DeltaIndex.empty(bk.dtype)
        drow = index.find(bk)
        dok = drow >= 0
        in_delta = drow[dok]

        # Old versions of the overwritten rows, aligned with the batch rows.
        n = upd.num_rows
        old_src = np.full(n, -1, np.int64)
        old_src[ok] = in_main
        old_src[dok] = n_main + in_delta
        hit = old_src >= 0
        # The old versions, main's first: replaced rows need no particular order.
        hits = np.flatnonzero(hit)
        from_main = old_src[hits] < n_main
        # Each part in source order: a sorted gather needs no reordering.
        hits_main, hits_delta = hits[from_main], hits[~from_main]
        hits_main = hits_main[np.argsort(old_src[hits_main], kind="stable")]
        hits_delta = hits_delta[np.argsort(old_src[hits_delta], kind="stable")]
        hits = np.concatenate([hits_main, hits_delta])
        parts = [_take(self.main, old_src[hits_main])]
        if len(hits_delta):
            parts.append(_take(self.delta, old_src[hits_delta] - n_main))
        replaced = _concat(parts)

        # New versions: the batch's columns, the old values of the others.
        if len(present) == upd.num_columns:
            rows = upd
        else:
            at = np.full(n, -1, np.int64)
            at[hits] = np.arange(len(hits))
            old_rows = replaced.take(pa.array(at, mask=~hit))
            cols = [
                upd.column(f.name) if f.name in present else old_rows.column(f.name)
                for f in upd.schema
            ]
            rows = pa.Table.from_arrays(cols, schema=upd.schema)

        main_live = self.main_live
        if len(in_main):
            # Copies only the mask pages these rows are on (see live_mask).
            main_live = (LiveMask(n_main) if main_live is None else main_live).kill(in_main)
        n_delta = self.delta.num_rows
        delta_live = np.ones(n_delta, bool) if self.delta_live is None else self.delta_live
        delta_live = np.concatenate([delta_live, np.ones(n, bool)])
        delta_live[in_delta] = False
        # The delta key index: these keys now name their new rows (O(batch + small run)).
        index = index.with_writes(bk[order], n_delta + order)
        store = Store(
            self.main,
            self.key,
            main_live=main_live,
            delta=_append(self.delta, rows),
            delta_live=delta_live,
            main_keys=main_keys,
            delta_index=index,
            num_rows=self.num_rows + int((~hit).sum()),
        )
        return store._maybe_compact(), rows, replaced

    def remove_keys(self, keys: pa.Array) -> tuple[Store, pa.Table]:
        """Remove rows by key (indexed tables); unknown keys are ignored."""
        data = self.table()
        gone = pc.is_in(data.column(self.key), value_set=keys)
        removed = data.filter(gone)
        if removed.num_rows == 0:
            return self, removed
        # O(N) filter: removes are rare next to upserts; the result is compact.
        return Store(data.filter(pc.invert(gone)), self.key), removed

    # -- internals ---------------------------------------------------------------
    def _main_keys(self) -> np.ndarray | None:
        if self.main_keys is None and self.main.num_rows:
            self.main_keys = _sortable_keys(self.main.column(self.key))
            if self.main_keys is None:
                return None
        if self.main_keys is None:
            return np.zeros(0, np.int64) if self.main.num_rows == 0 else None
        return self.main_keys

    def _rewrite(self, upd: pa.Table, present: set[str]) -> tuple[Store, pa.Table, pa.Table]:
        """The full-rewrite upsert (keys binary search cannot order)."""
        data = self.table()
        partial = upd.select([c for c in upd.column_names if c in present])
        partial = partial.take(key_order(partial.column(self.key)))
        new, changed, replaced = upsert(data, partial, self.key, data.schema)
        return Store(new, self.key), changed, replaced

    def _live_mask(self) -> np.ndarray:
        main = (
            np.ones(self.main.num_rows, bool) if self.main_live is None else self.main_live.array()
        )
        delta = np.ones(self.delta.num_rows, bool) if self.delta_live is None else self.delta_live
        return np.concatenate([main, delta])

    def _rows_at(self, slots: np.ndarray) -> pa.Table:
        """Rows at ``slots`` (positions in main, then delta), in that order."""
        return _take(_concat([self.main, self.delta]), slots)

    def _first_live(self, count: int) -> np.ndarray:
        """Slots (main positions, then n_main + delta positions) of the first live rows."""
        n_main = self.main.num_rows
        if self.main_live is None:
            main_part = np.arange(min(count, n_main), dtype=np.int64)
        else:
            main_part = self.main_live.select(0, count)
        rest = count - len(main_part)
        if rest <= 0:
            return main_part
        live = self.delta_live
        delta_part = np.arange(rest) if live is None else np.flatnonzero(live)[:rest]
        return np.concatenate([main_part, n_main + delta_part.astype(np.int64)])

    def _without(self, slots: np.ndarray) -> Store:
        """This store with the rows at ``slots`` dead: O(len(slots) + touched pages + delta)."""
        n_main = self.main.num_rows
        slots = np.asarray(slots, np.int64)
        in_main, in_delta = slots[slots < n_main], slots[slots >= n_main] - n_main
        main_live = self.main_live
        if len(in_main):
            main_live = (LiveMask(n_main) if main_live is None else main_live).kill(in_main)
        delta_live = self.delta_live
        if len(in_delta):
            n_delta = self.delta.num_rows
            delta_live = np.ones(n_delta, bool) if delta_live is None else delta_live.copy()
            delta_live[in_delta] = False
        live_main = n_main if main_live is None else main_live.count
        live_delta = self.delta.num_rows if delta_live is None else int(delta_live.sum())
        return Store(
            self.main,
            self.key,
            main_live=main_live,
            delta=self.delta,
            delta_live=delta_live,
            num_rows=live_main + live_delta,
        )

    def _maybe_compact(self) -> Store:
        n_delta = self.delta.num_rows
        if n_delta > max(_MIN_DELTA, _DELTA_FRACTION * self.main.num_rows):
            return Store(_combine(self.table()), self.key)  # O(N), amortised
        chunks = self.delta.column(0).num_chunks if self.delta.num_columns else 0
        if chunks > _MAX_CHUNKS:
            # Many small writes: one chunk for the delta (O(delta); rows keep their places).
            self.delta = _combine(self.delta)
        return self


def _append(delta: pa.Table, rows: pa.Table) -> pa.Table:
    """``delta`` with ``rows`` appended, its chunks kept few by tiered merging.

    As an LSM tree's levels do: chunks fall in tiers by size (powers of 4),
    and four chunks of one tier at the end merge into one of the next. A row
    is copied O(log4(delta / batch)) times, the delta holds O(log) chunks,
    and three appends in four copy nothing.
    """
    if rows.num_rows == 0:
        return delta
    batches = [b for b in delta.to_batches() if b.num_rows]
    batches += _combine(rows).to_batches()
    while len(batches) >= 4 and len({_tier(b.num_rows) for b in batches[-4:]}) == 1:
        merged = pa.Table.from_batches(batches[-4:]).unify_dictionaries().combine_chunks()
        batches[-4:] = merged.to_batches()
    return pa.Table.from_batches(batches, schema=rows.schema)


def _tier(n: int) -> int:
    return (max(n, 1).bit_length() - 1) // 2  # floor(log4(n))


def _concat(tables: list[pa.Table]) -> pa.Table:
    tables = [t for t in tables if t.num_rows] or tables[:1]
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def _take(tbl: pa.Table, idx: np.ndarray) -> pa.Table:
    """``tbl.take(idx)`` in O(len(idx) + chunks).

    Arrow's ``take`` on a chunked table concatenates every chunk first
    (O(N)); this takes from each record batch the rows it holds instead.
    """
    idx = np.asarray(idx, np.int64)
    batches = tbl.to_batches()
    if len(batches) <= 1 or len(idx) == 0:
        return tbl.take(pa.array(idx))
    offsets = np.cumsum([0] + [b.num_rows for b in batches])
    which = np.searchsorted(offsets, idx, side="right") - 1
    order = np.argsort(which, kind="stable")
    parts = []
    touched = np.unique(which)
    starts = np.searchsorted(which[order], touched)
    ends = np.searchsorted(which[order], touched, side="right")
    for b, lo, hi in zip(touched, starts, ends, strict=True):  # chunks holding rows, not rows
        sel = order[lo:hi]
        parts.append(batches[b].take(pa.array(idx[sel] - offsets[b])))
    gathered = pa.Table.from_batches(parts, schema=tbl.schema)
    if len(idx) < 2 or bool(np.all(idx[1:] >= idx[:-1])):
        return gathered  # sorted indices: the chunks' parts are already in order
    inverse = np.empty(len(idx), np.int64)
    inverse[order] = np.arange(len(idx))
    return gathered.take(pa.array(inverse))


def _combine(tbl: pa.Table) -> pa.Table:
    """One chunk per column, one dictionary per dictionary column."""
    if tbl.num_columns and tbl.column(0).num_chunks > 1:
        return tbl.unify_dictionaries().combine_chunks()
    return tbl
