"""Table: Perspective's columnar table on pyarrow (storage, update, remove, limit).

A table holds one immutable ``pa.Table`` snapshot; every write builds a new
snapshot and swaps it in under the table's lock, so readers (views, other
threads) always see a consistent table without locking. Indexed tables keep
their rows sorted by the index column (Perspective's row order); limit
tables keep the last ``limit`` rows.

Lock discipline: ``Table._lock`` (an RLock) serialises writers and the
view/callback registries. Callbacks run after the lock is released, in the
thread that wrote, so a callback may read or write any table.

Pure pyarrow: no I/O, no asyncio, nothing from the server or jupyter layers.
"""

from __future__ import annotations

import collections
import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError, PerspectiveError, UpdateError
from .dtypes import arrow_type_to_perspective
from .ingest import is_schema, schema_to_empty_table, to_arrow_table
from .storage import cast_batch, dedupe_last, to_storage
from .upsert import key_order, upsert

if TYPE_CHECKING:
    from .view import View

__all__ = ["Table"]

# Above this many chunks, a write recombines them: compute kernels slow down
# with thousands of small chunks, and one O(N) copy every N/1000-row updates
# is amortised away.
_MAX_CHUNKS = 64
# Views further behind than this many writes recompute from scratch.
_MAX_CHANGES = 64


class Table:
    """A Perspective table.

    Parameters
    ----------
    data
        Initial data or a schema (see :func:`perspective_nb.engine.ingest.to_arrow_table`).
    name
        The name the table is hosted under.
    index
        Column whose values are row keys: updates upsert by key.
    limit
        Keep only the last ``limit`` rows (cannot be combined with ``index``).

    Examples
    --------
    >>> t = Table({"a": [1, 2]}, name="t")
    >>> t.size()
    2
    """

    def __init__(
        self, data: Any, *, name: str, index: str | None = None, limit: int | None = None
    ) -> None:
        if index is not None and limit is not None:
            raise ConfigError(
                f"a table takes index ({index!r}) or limit ({limit!r}), not both; drop one"
            )
        if limit is not None and (not isinstance(limit, int) or limit <= 0):
            raise ConfigError(f"limit must be a positive integer, got {limit!r}")
        self._name = name
        self._index = index
        self._limit = limit
        self._lock = threading.RLock()
        self._ports = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._delete_callbacks: dict[int, Callable[[], None]] = {}
        self._views: list[View] = []
        self._deleted = False
        self._last_changed: pa.Table | None = None
        self._last_removed: pa.Table | None = None
        # Recent writes as (version, added rows, removed rows); None for a
        # write that is not a row delta (replace, clear). Views use it to
        # update their aggregates incrementally.
        self._changes: collections.deque = collections.deque(maxlen=_MAX_CHANGES)

        tbl = schema_to_empty_table(data) if is_schema(data) else to_arrow_table(data)
        storage = to_storage(tbl, key=index)
        self._schema = {f.name: arrow_type_to_perspective(f.type) for f in storage.schema}
        if index is not None and index not in self._schema:
            raise ConfigError(
                f"index column {index!r} is not in the data; its columns are {list(self._schema)}"
            )
        self._storage_schema = storage.schema
        self._data = storage.schema.empty_table()
        self._version = 0
        if storage.num_rows:
            cols = dict(zip(storage.column_names, storage.columns, strict=False))
            # Duplicate keys in the initial data merge value-wise (a later null
            # does not erase an earlier value); in updates the last row wins.
            self._data = self._merge(storage, cols, keep_values=True)

    # -- metadata --------------------------------------------------------
    def schema(self) -> dict[str, str]:
        """``{column: type}`` in table column order."""
        return dict(self._schema)

    def columns(self) -> list[str]:
        """Column names in table order."""
        return list(self._schema)

    def size(self) -> int:
        """Number of rows."""
        return self._data.num_rows

    def get_index(self) -> str | None:
        """The index column, or ``None``."""
        return self._index

    def get_limit(self) -> int | None:
        """The row limit, or ``None``."""
        return self._limit

    def get_name(self) -> str:
        """The name the table is hosted under."""
        return self._name

    def make_port(self) -> int:
        """A new port id, passed back to ``on_update`` callbacks of updates sent through it."""
        return next(self._ports)

    @property
    def data(self) -> pa.Table:
        """The current immutable snapshot (safe to read from any thread)."""
        return self._data

    @property
    def version(self) -> int:
        """Increments with every write; views use it to invalidate caches."""
        return self._version

    # -- writes ----------------------------------------------------------
    def update(self, data: Any, port_id: int = 0) -> None:
        """Append rows, or upsert them by key on an indexed table.

        Partial updates of an indexed table keep the columns not given;
        an explicit null sets null. A failed update leaves the table unchanged.

        Raises
        ------
        UpdateError
            For a column the table lacks, a value of the wrong type, or a
            missing index column.
        """
        self._check_alive()
        batch = to_arrow_table(data, self._schema)
        if batch.num_rows == 0 and not batch.num_columns:
            return
        with self._lock:
            cols = cast_batch(batch, self._storage_schema, self._schema, self._name)
            if self._index is not None and self._index not in cols:
                raise UpdateError(
                    f"update to indexed table {self._name!r} lacks its index column "
                    f"{self._index!r}; include it so rows can be matched"
                )
            new = self._merge(batch, cols)
            changed = self._changed_rows(new, batch.num_rows)
            self._swap(new, (changed, self._last_removed))
        self._notify(port_id, changed)

    def remove(self, keys: list[Any], port_id: int = 0) -> None:
        """Remove rows by key (indexed tables) or by row number (others)."""
        self._check_alive()
        with self._lock:
            data = self._data
            if self._index is not None:
                key_type = self._storage_schema.field(self._index).type
                if pa.types.is_dictionary(key_type):
                    key_type = key_type.value_type
                try:
                    arr = pa.array(list(keys)).cast(key_type)
                except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                    raise UpdateError(
                        f"cannot remove keys {keys!r} from index {self._index!r} of type "
                        f"{self._schema[self._index]} ({exc})"
                    ) from exc
                keep = pc.invert(pc.is_in(data.column(self._index), value_set=arr))
            else:
                rows = pa.array(list(keys), pa.int64())
                mask = np.ones(data.num_rows, dtype=bool)
                idx = rows.to_numpy(zero_copy_only=False)
                mask[idx[(idx >= 0) & (idx < data.num_rows)]] = False
                keep = pa.array(mask)
            self._swap(data.filter(keep), (None, data.filter(pc.invert(keep))))
        self._notify(port_id, None)

    def replace(self, data: Any) -> None:
        """Replace every row with ``data`` (same schema); on failure nothing changes."""
        self._check_alive()
        batch = to_arrow_table(data, self._schema)
        with self._lock:
            cols = cast_batch(batch, self._storage_schema, self._schema, self._name)
            empty = self._storage_schema.empty_table()
            saved, self._data = self._data, empty
            try:
                new = self._merge(batch, cols, keep_values=True)
            finally:
                self._data = saved
            self._swap(new, None)
        self._notify(0, None)

    def clear(self) -> None:
        """Remove every row, keeping the schema."""
        self._check_alive()
        with self._lock:
            self._swap(self._storage_schema.empty_table(), None)
        self._notify(0, None)

    def delete(self) -> None:
        """Delete the table; fails while views on it are open.

        Raises
        ------
        PerspectiveError
            When views are still open (delete them first).
        """
        with self._lock:
            if self._deleted:
                return
            if self._views:
                raise PerspectiveError(
                    f"cannot delete table {self._name!r}: {len(self._views)} view(s) are still "
                    "open on it; delete them first"
                )
            self._deleted = True
            callbacks = list(self._delete_callbacks.values())
            self._delete_callbacks.clear()
        for cb in callbacks:
            cb()

    def on_delete(self, callback: Callable[[], None]) -> int:
        """Call ``callback()`` when the table is deleted; returns an id for ``remove_delete``."""
        with self._lock:
            cid = next(self._callback_ids)
            self._delete_callbacks[cid] = callback
            return cid

    def remove_delete(self, callback_id: int) -> None:
        """Unregister an ``on_delete`` callback."""
        with self._lock:
            self._delete_callbacks.pop(callback_id, None)

    # -- views -----------------------------------------------------------
    def view(self, **config: Any) -> View:
        """Create a :class:`~perspective_nb.engine.view.View` with a Perspective view config."""
        from .view import View

        self._check_alive()
        v = View(self, config)
        with self._lock:
            self._views.append(v)
        return v

    def validate_expressions(self, expressions: dict[str, str] | list[str]) -> dict[str, Any]:
        """Type-check expressions against this table; Perspective's result shape."""
        from .expressions import validate_expressions

        index_type = self._schema[self._index] if self._index else "integer"
        return validate_expressions(self.schema(), expressions, index_type=index_type)

    def _release_view(self, view: View) -> None:
        with self._lock:
            if view in self._views:
                self._views.remove(view)

    # -- internals -------------------------------------------------------
    def _check_alive(self) -> None:
        if self._deleted:
            raise PerspectiveError(f"table {self._name!r} has been deleted")

    def _swap(self, new: pa.Table, delta: tuple[pa.Table | None, pa.Table | None] | None) -> None:
        """Publish a new snapshot; ``delta`` is (added rows, removed rows) or None."""
        if new.column(0).num_chunks > _MAX_CHUNKS if new.num_columns else False:
            new = new.combine_chunks()
        self._data = new
        self._version += 1
        self._changes.append((self._version, delta))

    def snapshot(self) -> tuple[int, pa.Table]:
        """The current version and snapshot, read together."""
        with self._lock:
            return self._version, self._data

    def changes_since(self, version: int) -> tuple[int, pa.Table, list] | None:
        """The current snapshot and the row deltas since ``version``.

        Returns ``(version, snapshot, [(added, removed), ...])``, or None when
        a write since then was not a row delta or is no longer remembered.
        """
        with self._lock:
            current, data = self._version, self._data
            if version == current:
                return current, data, []
            recent = [entry for entry in self._changes if entry[0] > version]
            if len(recent) != current - version or any(d is None for _, d in recent):
                return None
            return current, data, [d for _, d in recent]

    def _full_batch(self, n: int, cols: dict[str, pa.ChunkedArray]) -> pa.Table:
        arrays = [
            cols[f.name] if f.name in cols else pa.nulls(n, f.type) for f in self._storage_schema
        ]
        return pa.Table.from_arrays(arrays, schema=self._storage_schema)

    def _merge(
        self, batch: pa.Table, cols: dict[str, pa.ChunkedArray], keep_values: bool = False
    ) -> pa.Table:
        """The table after applying ``cols`` (already cast); does not modify state."""
        n = batch.num_rows
        data = self._data
        self._last_removed = None
        if self._index is None:
            new = pa.concat_tables([data, self._full_batch(n, cols)])
            if self._limit is not None and new.num_rows > self._limit:
                overflow = new.num_rows - self._limit
                self._last_removed = data.slice(0, min(overflow, data.num_rows))
                new = new.slice(overflow)
            return new
        key = self._index
        upd = dedupe_last(pa.table(cols), key, keep_values=keep_values)
        upd = upd.take(key_order(upd.column(key)))
        new, self._last_changed, self._last_removed = upsert(data, upd, key, self._storage_schema)
        return new

    def _changed_rows(self, new: pa.Table, n: int) -> pa.Table:
        if self._index is None:
            return new.slice(max(new.num_rows - n, 0))
        return self._last_changed

    def _notify(self, port_id: int, changed: pa.Table | None) -> None:
        with self._lock:
            views = list(self._views)
        for v in views:
            v._table_updated(port_id, changed)
