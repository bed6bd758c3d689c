"""Per-row bookkeeping of incrementally updated window columns (see :mod:`.window_state`).

- :class:`Partitions`: stable dense ids for partition value tuples, found per
  batch with ``pc.index_in`` against the values seen so far;
- :func:`order_keys`: a window's order key as one sortable numpy value;
- :func:`context_size` / :func:`span`: how far a frame reaches, which bounds
  the rows a new or changed row affects;
- :func:`gather`: the kept values re-aligned with the new rows.

Pure pyarrow + numpy.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .windows import WindowSpec

__all__ = ["Partitions", "Unsupported", "context_size", "gather", "order_keys", "plain", "span"]

_PACK_BITS = 21  # per partition column when several pack into one int64


class Unsupported(Exception):
    """The incremental path cannot serve this write: recompute everything."""


def plain(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return arr.dictionary_decode() if pa.types.is_dictionary(arr.type) else arr


class Partitions:
    """Stable dense ids for partition value tuples (new tuples get the next id)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        if len(columns) > 3:
            raise Unsupported("more partition columns than pack into an int64")
        self.columns = columns
        self.known: dict[str, pa.Array | None] = dict.fromkeys(columns)
        self.packed = np.empty(0, np.int64)  # sorted packed tuples
        self.dense = np.empty(0, np.int64)  # their ids
        self.count = 1 if not columns else 0

    def _codes(self, c: str, col: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Stable per-column codes of ``col`` (the distinct values seen so far, in order)."""
        chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        out = []
        for chunk in chunks:  # one pass per chunk (a handful), each vectorised
            if pa.types.is_dictionary(chunk.type):
                # Code the chunk's dictionary, then index it (nulls -> the null code).
                values = pa.concat_arrays([chunk.dictionary, pa.nulls(1, chunk.dictionary.type)])
                idx = chunk.indices.fill_null(len(chunk.dictionary)).to_numpy(zero_copy_only=False)
                out.append(self._index(c, values)[idx])
            else:
                out.append(self._index(c, chunk))
        return np.concatenate(out) if out else np.empty(0, np.int64)

    def _index(self, c: str, values: pa.Array) -> np.ndarray:
        known = self.known[c]
        if known is None:
            known = pc.unique(values)
        at = pc.index_in(values, value_set=known, skip_nulls=False)
        if at.null_count:
            known = pa.concat_arrays([known, pc.unique(values.filter(at.is_null()))])
            at = pc.index_in(values, value_set=known, skip_nulls=False)
        self.known[c] = known
        if len(self.columns) > 1 and len(known) >= 1 << _PACK_BITS:
            raise Unsupported("too many distinct partition values to pack")
        return at.to_numpy(zero_copy_only=False).astype(np.int64)

    def ids(self, rows: pa.Table) -> np.ndarray:
        """The partition id of every row of ``rows`` (assigning ids to new tuples)."""
        n = rows.num_rows
        if not self.columns:
            return np.zeros(n, np.int64)
        if len(self.columns) == 1:  # the column's codes are dense already
            codes = self._codes(self.columns[0], rows.column(self.columns[0]))
            known = self.known[self.columns[0]]
            self.count = 0 if known is None else len(known)
            return codes
        packed = np.zeros(n, np.int64)
        for i, c in enumerate(self.columns):
            packed |= self._codes(c, rows.column(c)) << (_PACK_BITS * i)
        uniq, inv = np.unique(packed, return_inverse=True)
        at = np.minimum(np.searchsorted(self.packed, uniq), max(len(self.packed) - 1, 0))
        found = self.packed[at] == uniq if len(self.packed) else np.zeros(len(uniq), bool)
        ids = np.empty(len(uniq), np.int64)
        ids[found] = self.dense[at[found]]
        fresh = np.arange(self.count, self.count + int((~found).sum()))
        ids[~found] = fresh
        self.count += len(fresh)
        if len(fresh):
            packed_all = np.concatenate([self.packed, uniq[~found]])
            dense_all = np.concatenate([self.dense, fresh])
            o = np.argsort(packed_all)
            self.packed, self.dense = packed_all[o], dense_all[o]
        return ids[inv.reshape(-1)]


def order_keys(col: pa.Array | pa.ChunkedArray, desc: bool) -> np.ndarray | None:
    """Order keys as one sortable numpy value (nulls smallest), or None for strings."""
    arr = plain(col)
    t = arr.type
    if pa.types.is_floating(t):
        nulls = arr.is_null(nan_is_null=True).to_numpy(zero_copy_only=False)
        keys = arr.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False).copy()
        sentinel: float | int = -np.inf
    elif pa.types.is_integer(t) or pa.types.is_boolean(t) or pa.types.is_temporal(t):
        if pa.types.is_date(t):
            arr = arr.cast(pa.date32()).cast(pa.int32())
        elif pa.types.is_timestamp(t):
            arr = arr.cast(pa.timestamp("ms")).cast(pa.int64())
        nulls = arr.is_null().to_numpy(zero_copy_only=False)
        keys = arr.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False).copy()
        sentinel = np.iinfo(np.int64).min
    else:
        return None
    if desc:
        keys = -keys
    keys[nulls] = sentinel
    return keys


def context_size(spec: WindowSpec) -> int | None:
    """Rows before a new row that its value reads, when bounded (else None)."""
    if spec.aggregate in ("lag", "lead", "diff"):
        return spec.offset
    if spec.aggregate == "row_number":
        return 0
    if spec.frame == "rows" and spec.aggregate != "rate":
        return int(spec.size)
    return None  # cumulative, range, no frame, ema: the whole partition


def gather(pieces: list[pa.Array], src: np.ndarray) -> pa.Array:
    """Rows ``src`` of ``pieces`` laid end to end.

    Rows rewritten in place replace theirs in one masked copy; a write that
    leaves a few runs of consecutive rows (the kept values, then the new ones)
    is sliced and copied once (one Python step per run, at most 64);
    otherwise one Arrow take.
    """
    if not len(src):
        return pieces[0].slice(0, 0)
    kept = pieces[0]
    if len(src) == len(kept) and len(pieces) > 1:
        # Rows rewritten in place: every other row keeps its value and position.
        moved = src != np.arange(len(src))
        if (src[moved] >= len(kept)).all():
            fresh = pa.concat_arrays(pieces[1:]).take(pa.array(src[moved] - len(kept)))
            try:
                return pc.replace_with_mask(kept, pa.array(moved), fresh)
            except pa.ArrowNotImplementedError:  # a type the kernel lacks: slices or take
                pass
    values = pa.chunked_array(pieces)
    breaks = np.flatnonzero(np.diff(src) != 1) + 1
    if len(breaks) > 64:
        return values.take(pa.array(src)).combine_chunks()
    bounds = np.concatenate([[0], breaks, [len(src)]])
    chunks = [
        chunk
        for s, e in itertools.pairwise(bounds)
        for chunk in values.slice(int(src[s]), int(e - s)).chunks
    ]
    return pa.concat_arrays(chunks)


def span(spec: WindowSpec, context: int | None) -> tuple[int, int, int, int] | None:
    """For a row changed in place at frame position f: the rows whose value
    changes are [f - a, f + b] and they read [f - c, f + d], as (a, b, c, d);
    None when unbounded.
    """
    if context is None or spec.aggregate == "row_number":
        return None
    if spec.aggregate == "lead":
        return context, 0, context, context
    return 0, context, context, context  # rows: k, lag / diff: offset
