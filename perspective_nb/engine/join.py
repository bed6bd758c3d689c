"""Joins: ``JoinTable``, a read-only table that follows two source tables.

``client.join(left, right, on, join_type, right_on)`` hosts a table whose
rows are the join of its sources' current rows, as Perspective 5.x does:

- columns: the key (named as the left key), the left table's other columns,
  then the right table's other columns (its key column is dropped); a right
  column whose name the left table already has is an error, not a rename;
- rows: in the left table's row order, each left row followed by its matches
  in the right table's row order; an outer join then appends the right rows
  no left row matched, in right order, their key taken from the right side;
- keys match by value, nulls included (a null key matches a null key);
- the index reported is the left key, but rows are not unique by it: views
  number rows by position (``__INDEX__`` is the row number), as Perspective's.

Every write to either source recomputes the join from the sources' current
snapshots (:func:`join_rows`) and publishes it as a new version, so the
views on the join see it as a ``replace``; appends to an unindexed left
table of an inner or left join are followed by appending their matches
(:meth:`JoinTable._appended_rows`). The computation is vectorised: each
distinct key gets a dense code (by offset for dense integer and temporal
keys, else one Arrow hash pass, ``dictionary_encode``, over both key
columns), and the matching rows are expanded with numpy (counting sort of
the right codes, ``repeat`` and one gather per column); cost
O(left + right + output).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ArgumentError, PerspectiveError, SchemaError
from .storage import to_storage
from .table import Table
from .view import View

__all__ = ["JOIN_TYPES", "JoinTable", "check_join_type", "join_rows"]

JOIN_TYPES = ("inner", "left", "outer")


def check_join_type(join_type: str | None) -> str:
    """``join_type`` (default ``"inner"``) if it is one Perspective knows.

    Raises
    ------
    ArgumentError
        For anything but ``"inner"``, ``"left"`` or ``"outer"``.
    """
    if join_type is None:
        return "inner"
    if join_type not in JOIN_TYPES:
        raise ArgumentError(f'unknown join type "{join_type}"; use "inner", "left" or "outer"')
    return join_type


def _plain(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """The column without dictionary encoding (keys compare by value)."""
    if pa.types.is_dictionary(col.type):
        return col.cast(col.type.value_type)
    return col


def _join_columns(
    left: dict[str, str], right: dict[str, str], on: str, right_on: str
) -> tuple[list[str], list[str]]:
    """The left and right non-key columns of the join; checks the key rules."""
    if on not in left:
        raise SchemaError(
            f"join column {on!r} is not in the left table; its columns are {list(left)}"
        )
    if right_on not in right:
        raise SchemaError(
            f"join column {right_on!r} is not in the right table; its columns are {list(right)}"
        )
    if left[on] != right[right_on]:
        raise SchemaError(
            f"join column type mismatch: left {on!r} is {left[on]}, right {right_on!r} is "
            f"{right[right_on]}; join on columns of the same type"
        )
    left_cols = [c for c in left if c != on]
    right_cols = [c for c in right if c != right_on]
    both = [c for c in right_cols if c in left]
    if both:
        raise SchemaError(
            f"column(s) {both} exist in both tables; a join keeps every column under its "
            "own name, so rename or drop them in one of the tables first"
        )
    return left_cols, right_cols


def _key_codes(keys: pa.ChunkedArray) -> np.ndarray:
    """A dense non-negative code per distinct key (null included), equal keys equal codes.

    Integer and temporal keys spanning a range no wider than a few times
    their count are coded by offset from the minimum (no hashing); any
    other key takes one Arrow hash pass (``dictionary_encode``).
    """
    t = keys.type
    n = len(keys)
    if n and (pa.types.is_integer(t) or pa.types.is_temporal(t)):
        ints = keys.combine_chunks()
        if not pa.types.is_integer(t):
            ints = ints.view(pa.int64() if t.bit_width == 64 else pa.int32())
        bounds = pc.min_max(ints).as_py()
        lo, hi = bounds["min"], bounds["max"]
        if lo is None:  # every key null
            return np.zeros(n, dtype=np.int64)
        if hi - lo <= 4 * n:
            codes = pc.fill_null(ints, lo).to_numpy().astype(np.int64) - lo
            if ints.null_count:
                codes[ints.is_null().to_numpy(zero_copy_only=False)] = hi - lo + 1
            return codes
    codes = pc.dictionary_encode(keys, null_encoding="encode").combine_chunks().indices
    return codes.to_numpy(zero_copy_only=False)


def _match(lk: pa.ChunkedArray, rk: pa.ChunkedArray, join_type: str) -> tuple:
    """Row ids of the joined rows: ``(left ids, right ids, right-only ids)``.

    Left and right ids pair up (-1: no match, for left/outer joins); the
    right-only ids are the right rows no left row matched (outer joins).
    """
    nl = len(lk)
    codes = _key_codes(pa.chunked_array(lk.chunks + rk.chunks, type=lk.type))
    lcodes, rcodes = codes[:nl], codes[nl:]
    ncodes = int(codes.max()) + 1 if len(codes) else 0
    rcount = np.bincount(rcodes, minlength=ncodes)
    rstart = np.cumsum(rcount) - rcount
    rsorted = np.argsort(rcodes, kind="stable")  # right rows grouped by code, in right order
    matches = rcount[lcodes]
    reps = matches if join_type == "inner" else np.maximum(matches, 1)
    total = int(reps.sum())
    lids = np.repeat(np.arange(nl, dtype=np.int64), reps)
    # Position of each output row within its left row's matches.
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    matched = np.repeat(matches > 0, reps)
    rids = np.full(total, -1, dtype=np.int64)
    rids[matched] = rsorted[np.repeat(rstart[lcodes], reps)[matched] + offset[matched]]
    if join_type == "outer":
        lcount = np.bincount(lcodes, minlength=ncodes)
        only = np.flatnonzero(lcount[rcodes] == 0)
    else:
        only = np.empty(0, dtype=np.int64)
    return lids, rids, only


def _gather(col: pa.ChunkedArray, ids: np.ndarray) -> pa.ChunkedArray:
    """``col[ids]``, null where an id is -1."""
    missing = ids < 0
    index = pa.array(ids, mask=missing) if missing.any() else pa.array(ids)
    return col.take(index)


def join_rows(
    left: pa.Table,
    right: pa.Table,
    on: str,
    join_type: str = "inner",
    right_on: str | None = None,
) -> pa.Table:
    """The join of two tables' rows (see the module docstring for its shape).

    Parameters
    ----------
    left, right
        The rows of the two tables, in their tables' order.
    on
        The left key column (and the right one, unless ``right_on``).
    join_type
        ``"inner"``, ``"left"`` or ``"outer"``.
    right_on
        The right key column, when it is named differently.
    """
    right_on = on if right_on is None else right_on
    lk, rk = _plain(left.column(on)), _plain(right.column(right_on))
    if rk.type != lk.type:
        rk = rk.cast(lk.type)
    lids, rids, only = _match(lk, rk, join_type)
    if len(only):
        lids = np.concatenate([lids, np.full(len(only), -1, dtype=np.int64)])
        rids = np.concatenate([rids, only])
        # Right-only rows take their key from the right side.
        key_src = pa.chunked_array(lk.chunks + rk.chunks, type=lk.type)
        key = _gather(key_src, np.where(lids >= 0, lids, len(lk) + rids))
    else:
        key = _gather(lk, lids)
    names, cols = [on], [key]
    for name in left.column_names:
        if name != on:
            names.append(name)
            cols.append(_gather(left.column(name), lids))
    for name in right.column_names:
        if name != right_on:
            names.append(name)
            cols.append(_gather(right.column(name), rids))
    return pa.Table.from_arrays(cols, names=names)


class _RowNumbered:
    """What a view of a join reads: the join, with rows numbered by position.

    The join reports its left key as its index, but its rows are not unique
    by it, so views treat it as an unindexed table.
    """

    def __init__(self, table: JoinTable) -> None:
        self._table = table

    @property
    def version(self) -> int:
        return self._table.version

    def get_index(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)


class JoinTable(Table):
    """A read-only table holding the join of two tables, kept up to date.

    Parameters
    ----------
    left, right
        The source tables.
    on
        The key column of ``left`` (and of ``right``, unless ``right_on``).
    name
        The name the join is hosted under.
    join_type
        ``"inner"`` (default), ``"left"`` or ``"outer"``.
    right_on
        The key column of ``right``, when named differently.

    Raises
    ------
    SchemaError
        For a key column missing from its table, key columns of different
        types, or a non-key column name both tables have.
    """

    def __init__(
        self,
        left: Table,
        right: Table,
        on: str,
        *,
        name: str,
        join_type: str | None = "inner",
        right_on: str | None = None,
    ) -> None:
        self._join_type = check_join_type(join_type)
        self._on = on
        self._right_on = on if right_on is None else right_on
        _join_columns(left.schema(), right.schema(), on, self._right_on)
        self._sources = (left, right)
        self._seen = (-1, -1)  # the source versions the rows were computed from
        super().__init__(self._rows(), name=name)
        self._hooks = [
            (src, src.add_dependent(name, self._source_changed)) for src in self._sources
        ]
        if (left.version, right.version) != self._seen:
            self._source_changed()  # a write landed before the hooks did

    def _rows(self) -> pa.Table:
        (lv, ldata), (rv, rdata) = (src.snapshot() for src in self._sources)
        self._seen = (lv, rv)
        return join_rows(ldata, rdata, self._on, self._join_type, self._right_on)

    def _to_storage(self, rows: pa.Table) -> pa.Table:
        rows = to_storage(rows)
        return rows if rows.schema == self._storage_schema else rows.cast(self._storage_schema)

    def _source_changed(self) -> None:
        """Follow a write to a source (runs in the writer's thread)."""
        with self._lock:
            if self._deleted:
                return
            appended = self._appended_rows()
            if appended is None:
                store, delta = self._fresh_store(self._to_storage(self._rows())), None
            elif appended.num_rows == 0:
                return
            else:
                store, added, removed = self._state[1].append(appended, None)
                delta = (added, removed)
            self._swap(store, delta)
        if delta is None:  # recomputed: every row replaced, as a replace() reports it
            self._notify(0, self._state[1].table(), None, reset=True)
        else:
            self._notify(0, delta[0], delta[1])

    def _appended_rows(self) -> pa.Table | None:
        """The rows the join gains, when it can follow by appending; else None.

        That is when every write since the last computation appended rows to
        an unindexed, unlimited left table of an inner or left join (the
        right table unchanged): the join then gains each new left row's
        matches, at its end. Cost O(new rows + right rows) instead of a full
        recompute; views of the join get the rows as an update's delta.
        """
        left, right = self._sources
        if self._join_type == "outer" or left is right:
            return None
        if left.get_index() is not None or left.get_limit() is not None:
            return None
        seen_left, seen_right = self._seen
        right_version, right_rows = right.snapshot()
        changes = left.changes_since(seen_left)
        if right_version != seen_right or changes is None:
            return None
        left_version, deltas = changes
        if any(added is None or removed is not None for added, removed in deltas):
            return None
        self._seen = (left_version, right_version)
        if not deltas:
            return self._storage_schema.empty_table()
        new_rows = pa.concat_tables([added for added, _ in deltas])
        joined = join_rows(new_rows, right_rows, self._on, self._join_type, self._right_on)
        return self._to_storage(joined)

    # -- what a join reports -------------------------------------------------
    def get_index(self) -> str:
        """The left key column (rows are not unique by it)."""
        return self._on

    def get_join_type(self) -> str:
        """``"inner"``, ``"left"`` or ``"outer"``."""
        return self._join_type

    # -- read-only -------------------------------------------------------------
    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        left, right = (src.get_name() for src in self._sources)
        raise PerspectiveError(
            f"cannot update the read-only join table {self._name!r}: it follows tables "
            f"{left!r} and {right!r}; update those instead"
        )

    update = remove = replace = clear = _refuse  # type: ignore[assignment]

    def view(self, **config: Any) -> View:
        """A view of the join (rows numbered by position, as an unindexed table's)."""
        self._check_alive()
        v = View(_RowNumbered(self), config)
        with self._lock:
            self._views.append(v)
        return v

    def delete(self) -> None:
        """Delete the join and stop following its sources."""
        was_deleted = self._deleted
        super().delete()
        if not was_deleted:
            for src, hook in self._hooks:
                src.remove_dependent(hook)
