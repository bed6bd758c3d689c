"""Stable integer ids for group values, and slots of groups keyed by them.

:class:`Coder` gives each distinct value of a group_by / split_by column a
stable id (0 is null, then first-seen order), so a group can be named by
integers that never change while a view lives. :class:`Slots` keeps the
groups of one level: each group is a (parent slot, own id) pair packed into
one int64, found by binary search over the sorted packed keys, with
numpy arrays of partial sums per slot. Used by :mod:`.incremental`.

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .dtypes import value_type

__all__ = ["Coder", "Slots", "part_identity"]

# Ids are packed with their parent slot into one int64: (parent << 32) | id.
_ID_BITS = 32


class Coder:
    """Stable ids for one column's values: 0 is null, 1.. in first-seen order.

    Rows arrive dictionary-encoded, so ids are found for a chunk's distinct
    values only and spread to its rows with one numpy ``take``. The
    dictionary of a table's main part comes back with every write that
    replaces its rows, so its ids are remembered (keyed by the buffers, which
    the memo keeps alive, so an address cannot be reused).
    """

    _SMALL = 64  # distinct values looked up in a Python dict (cheaper than a hash kernel)
    _MEMO = 8

    def __init__(self, dtype: pa.DataType) -> None:
        self.values = pa.array([], value_type(dtype))
        vt = self.values.type
        # Values whose Python objects compare as Arrow compares them (not floats: NaN).
        self._hashable = (
            pa.types.is_string(vt)
            or pa.types.is_integer(vt)
            or pa.types.is_boolean(vt)
            or pa.types.is_date32(vt)
        )
        self._index: dict | None = {} if self._hashable else None
        self._memo: dict[tuple, tuple[pa.Array, np.ndarray]] = {}
        self._ranked: tuple[np.ndarray, pa.Array] | None = None
        self._boolean = pa.types.is_boolean(vt)
        if self._boolean:
            self._append(pa.array([False, True]))  # ids 1 and 2, mapped without lookups

    def ids(self, col: pa.ChunkedArray | pa.Array) -> np.ndarray:
        """The id of every value of ``col`` (O(len) + a lookup of its distinct values)."""
        chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        out = []
        for chunk in chunks:  # a loop over chunks, not rows
            if self._boolean:
                if not chunk.null_count:  # no nulls: numpy reads the bits directly
                    out.append(np.where(chunk.to_numpy(zero_copy_only=False), 2, 1))
                    continue
                truth = pc.fill_null(chunk, False).to_numpy(zero_copy_only=False)
                ids = np.where(truth, 2, 1)
                ids[pc.is_null(chunk).to_numpy(zero_copy_only=False)] = 0
                out.append(ids)
                continue
            if not pa.types.is_dictionary(chunk.type):
                chunk = pc.dictionary_encode(chunk)
            dict_ids = self._dictionary_ids(chunk.dictionary)
            idx = chunk.indices
            if idx.null_count:
                idx = pc.fill_null(idx, -1)  # index -1 (null) -> the appended 0
            out.append(dict_ids[idx.to_numpy(zero_copy_only=False)])
        if len(out) == 1:
            return out[0]
        return np.concatenate(out) if out else np.zeros(0, np.int64)

    def _dictionary_ids(self, dictionary: pa.Array) -> np.ndarray:
        # Rows taken from the table share its dictionary (same buffers), so
        # its ids are remembered; a batch's own small dictionary is new.
        key = (len(dictionary), *(b.address for b in dictionary.buffers() if b is not None))
        hit = self._memo.pop(key, None)
        if hit is not None:
            self._memo[key] = hit  # most recently used last: evicted last
            return hit[1]
        ids = np.append(self._lookup(dictionary), 0)
        if len(self._memo) >= self._MEMO:
            self._memo.pop(next(iter(self._memo)))
        self._memo[key] = (dictionary, ids)
        return ids

    def _lookup(self, values: pa.Array) -> np.ndarray:
        if values.type != self.values.type:
            values = values.cast(self.values.type)
        if self._index is not None and len(values) <= self._SMALL:
            # A loop over at most _SMALL distinct values of a delta, not over rows.
            pylist = values.to_pylist()
            missing = [v for v in dict.fromkeys(pylist) if v is not None and v not in self._index]
            if missing:
                self._append(pa.array(missing, self.values.type))
            return np.array([0 if v is None else self._index[v] for v in pylist], np.int64)
        pos = pc.index_in(values, value_set=self.values)
        if pos.null_count > values.null_count:
            self._append(pc.unique(values.filter(pc.and_(pc.is_null(pos), pc.is_valid(values)))))
            pos = pc.index_in(values, value_set=self.values)
        return pc.add(pc.fill_null(pos, -1), 1).to_numpy(zero_copy_only=False).astype(np.int64)

    def _append(self, new: pa.Array) -> None:
        start = len(self.values)
        self.values = pa.concat_arrays([self.values, new])
        self._ranked = None
        if self._index is not None:
            self._index.update(
                zip(new.to_pylist(), range(start + 1, start + 1 + len(new)), strict=True)
            )

    def ranked(self) -> tuple[np.ndarray, pa.Array]:
        """``(code of each id, values in ascending order)``: codes as :mod:`.encoding` has them."""
        if self._ranked is None:
            order = pc.sort_indices(self.values).to_numpy()
            code = np.zeros(len(self.values) + 1, np.int32)
            code[order + 1] = np.arange(1, len(order) + 1, dtype=np.int32)
            self._ranked = (code, self.values.take(pa.array(order)))
        return self._ranked


def part_identity(name: str, dtype: np.dtype) -> object:
    """What an empty slot holds for part ``name``: 0 for sums, the dtype's
    lowest value for a running maximum (``#hi``), its highest for a minimum (``#lo``)."""
    if name.endswith("#hi"):
        return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min
    if name.endswith("#lo"):
        return np.inf if dtype.kind == "f" else np.iinfo(dtype).max
    return 0


def _combine(name: str) -> np.ufunc:
    if name.endswith("#hi"):
        return np.maximum
    if name.endswith("#lo"):
        return np.minimum
    return np.add


class Slots:
    """Groups keyed by (parent slot, own id), with their partial sums
    (and running maxima ``#hi`` / minima ``#lo``, see :func:`part_identity`)."""

    def __init__(self, depth: int, parts: dict[str, np.dtype]) -> None:
        self.keys = np.zeros(0, np.int64)  # sorted packed keys
        self.slot_of_key = np.zeros(0, np.int64)
        self.parent = np.zeros(0, np.int64)
        self.path = np.zeros((0, depth), np.int64)  # ids from the top level down
        self.parts = {name: np.zeros(0, dt) for name, dt in parts.items()}
        self._ops: dict[str, np.ufunc] = {}  # how each part combines (see _combine)

    @property
    def size(self) -> int:
        return len(self.parent)

    def locate(
        self, parent: np.ndarray, own: np.ndarray, parent_path: np.ndarray | None
    ) -> np.ndarray:
        """The slot of each (parent, own) pair, creating slots for new ones.

        A new slot's path is its parent's path and its own id (just its own
        id where ``parent_path`` is None).
        """
        packed = (parent << _ID_BITS) | own
        pos = np.searchsorted(self.keys, packed)
        found = pos < len(self.keys)
        found[found] = self.keys[pos[found]] == packed[found]
        if not found.all():
            new, first = np.unique(packed[~found], return_index=True)
            src = np.flatnonzero(~found)[first]
            start = self.size
            self.parent = np.concatenate([self.parent, parent[src]])
            if parent_path is None:
                own_path = own[src][:, None]
            else:
                own_path = np.column_stack([parent_path[parent[src]], own[src]])
            self.path = np.concatenate([self.path, own_path])
            for name, arr in self.parts.items():
                fill = np.full(len(src), part_identity(name, arr.dtype), arr.dtype)
                self.parts[name] = np.concatenate([arr, fill])
            at = np.searchsorted(self.keys, new)
            self.keys = np.insert(self.keys, at, new)
            self.slot_of_key = np.insert(self.slot_of_key, at, start + np.arange(len(new)))
            pos = np.searchsorted(self.keys, packed)
        return self.slot_of_key[pos]

    def add(self, slots: np.ndarray, parts: dict[str, np.ndarray]) -> bool:
        """Add ``parts`` into ``slots``; True when a slot became empty or non-empty."""
        rows = self.parts["#rows"]
        before = rows[slots] != 0
        ops = self._ops
        for name, values in parts.items():
            op = ops.get(name)
            if op is None:
                op = ops[name] = _combine(name)
            op.at(self.parts[name], slots, values)
        # Array methods, not np.any: this runs per level on every write.
        return bool(((rows[slots] != 0) != before).any())

    def assign(self, slots: np.ndarray, parts: dict[str, np.ndarray]) -> None:
        for name, values in parts.items():
            self.parts[name][slots] = values
