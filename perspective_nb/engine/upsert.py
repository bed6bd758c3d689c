"""Upserts into an indexed table: rows matched by key, kept sorted by key.

An indexed table's snapshot is sorted by its key column (Perspective's row
order). An update batch (de-duplicated, sorted by key) splits into rows
whose key exists and rows with new keys:

- existing keys are found by binary search (``np.searchsorted``) when the
  key is numeric or temporal without nulls, else by ``index_in``; only the
  columns the batch carries are rewritten (``replace_with_mask``, or one
  ``take`` for dictionary columns), the others are shared with the previous
  snapshot untouched — a partial update copies only what it changes;
- new keys are appended; only when they do not all sort after the existing
  keys is the table re-ordered (a stable sort of two sorted runs).

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["key_order", "upsert"]


def key_order(keys: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Row order of an indexed table: by key, nulls first (stable)."""
    return pc.sort_indices(pa.table({"k": keys}), sort_keys=[("k", "ascending", "at_start")])


def _searchable(col: pa.ChunkedArray) -> bool:
    t = col.type
    numeric = pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_temporal(t)
    return numeric and col.null_count == 0


def _numpy_keys(col: pa.ChunkedArray) -> np.ndarray:
    t = col.type
    if pa.types.is_temporal(t):
        col = col.cast(pa.int64()) if not pa.types.is_date32(t) else col.cast(pa.int32())
    return col.to_numpy()


def _positions(old_keys: pa.ChunkedArray, new_keys: pa.ChunkedArray) -> np.ndarray:
    """Row of each new key in the (key-sorted) snapshot, -1 where absent."""
    if len(old_keys) == 0:
        return np.full(len(new_keys), -1, np.int64)
    if _searchable(old_keys) and _searchable(new_keys) and old_keys.type == new_keys.type:
        old = _numpy_keys(old_keys)
        new = _numpy_keys(new_keys)
        pos = np.searchsorted(old, new)
        hit = pos < len(old)
        hit[hit] = old[pos[hit]] == new[hit]
        return np.where(hit, pos, -1).astype(np.int64)
    found = pc.index_in(new_keys, value_set=old_keys)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _rewrite(col: pa.ChunkedArray, rows: np.ndarray, values: pa.ChunkedArray) -> pa.Array:
    """``col`` with ``col[rows[i]] = values[i]`` (``rows`` ascending)."""
    n = len(col)
    if pa.types.is_dictionary(col.type) and col.num_chunks > 1:
        # One shared dictionary, one chunk: the indices concatenate (O(N) int32).
        col = pa.table({"c": col}).unify_dictionaries().column("c")
        col = pa.chunked_array([col.combine_chunks()])
    if pa.types.is_dictionary(col.type):
        # Usually every new value is already in the dictionary: rewrite just the
        # int32 indices (a memcpy-speed mask replace) and keep the dictionary.
        chunk = col.chunk(0)
        codes = pc.index_in(values.cast(chunk.type.value_type), value_set=chunk.dictionary)
        if codes.null_count == values.null_count:
            mask = np.zeros(n, dtype=bool)
            mask[rows] = True
            indices = pc.replace_with_mask(
                chunk.indices, pa.array(mask), codes.combine_chunks().cast(pa.int32())
            )
            return pa.DictionaryArray.from_arrays(indices, chunk.dictionary)
        # New values: append them to the dictionary through one take.
        idx = np.arange(n, dtype=np.int64)
        idx[rows] = n + np.arange(len(rows))
        both = pa.chunked_array([*col.chunks, *values.chunks], col.type)
        return both.take(pa.array(idx))
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(col.combine_chunks(), pa.array(mask), values.combine_chunks())


def upsert(
    data: pa.Table, upd: pa.Table, key: str, schema: pa.Schema
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Apply ``upd`` (unique keys, sorted by key, storage types) to ``data``.

    Returns
    -------
    (new snapshot, changed rows, replaced rows)
        ``changed rows`` are the rows of the new snapshot the batch touched;
        ``replaced rows`` the previous versions of the rows it overwrote.
    """
    pos = _positions(data.column(key), upd.column(key))
    existing = pos >= 0
    n_old = data.num_rows
    new = data
    replaced = data.take(pa.array(np.sort(pos[existing])))
    if existing.any():
        src_rows = np.nonzero(existing)[0]
        order = np.argsort(pos[src_rows], kind="stable")
        rows, src_rows = pos[src_rows][order], src_rows[order]
        src = pa.array(src_rows)
        cols = []
        for f in schema:
            col = data.column(f.name)
            if f.name != key and f.name in upd.column_names:
                col = _rewrite(col, rows, upd.column(f.name).take(src))
            cols.append(col)
        new = pa.Table.from_arrays(cols, schema=schema)
    added = np.nonzero(~existing)[0]
    changed_rows = pos[existing]
    if len(added):
        take = pa.array(added)
        cols = [
            upd.column(f.name).take(take)
            if f.name in upd.column_names
            else pa.nulls(len(added), f.type)
            for f in schema
        ]
        appended = pa.Table.from_arrays(cols, schema=schema)
        if n_old and not _all_after(new.column(key), appended.column(key)):
            new = pa.concat_tables([new, appended])
            new = new.take(key_order(new.column(key)))
            changed = new.filter(pc.is_in(new.column(key), value_set=upd.column(key)))
            return new, changed, replaced
        new = pa.concat_tables([new, appended])
        changed_rows = np.concatenate([changed_rows, n_old + np.arange(len(added))])
    return new, new.take(pa.array(np.sort(changed_rows))), replaced


def _all_after(before: pa.ChunkedArray, after: pa.ChunkedArray) -> bool:
    """True when every key in ``after`` sorts strictly after every key in ``before``."""
    if len(after) == 0 or len(before) == 0:
        return True
    if before.null_count or after.null_count:
        return False
    try:
        return bool(pc.greater(pc.min(after), pc.max(before)).as_py())
    except pa.ArrowNotImplementedError:
        return False
