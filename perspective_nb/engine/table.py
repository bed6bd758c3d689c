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
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import ConfigError, PerspectiveError, UpdateError
from .arguments import check_keys_argument, check_remove_keys
from .callbacks import DeleteCallbacks, Subscribers, call_safely
from .dtypes import arrow_type_to_perspective
from .ingest import is_schema, schema_to_empty_table, to_arrow_batch, to_arrow_table
from .nested import check_list_flatten, check_list_index, flatten_nested, has_nested
from .paging import DiskPager
from .storage import cast_batch, dedupe_last, dedupe_partial, to_storage
from .store import Store
from .upsert import key_order
from .view import View

__all__ = ["Table"]

# Views further behind than this many writes recompute from scratch.
_MAX_CHANGES = 64


# Arrow type ids of integer and temporal keys (numpy compares them as numbers).
_ORDERED_KEYS = frozenset(
    t.id
    for t in (
        *(pa.int8(), pa.int16(), pa.int32(), pa.int64()),
        *(pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()),
        *(pa.date32(), pa.date64(), pa.timestamp("ms"), pa.time32("s"), pa.time64("us")),
        *(pa.duration("s"),),
    )
)


def _unique_keys(keys: pa.ChunkedArray, in_order: bool = False) -> bool:
    """True for distinct, non-null integer or temporal keys (already in key
    order, with ``in_order``): rows that need no de-duplication (the store
    sorts just the keys of a batch) or, in order, no sort at all."""
    if keys.null_count or keys.type.id not in _ORDERED_KEYS:
        return False
    k = keys.to_numpy()
    if (k[1:] > k[:-1]).all():  # array methods: this runs on every update
        return True
    if in_order:
        return False
    k = np.sort(k)
    return bool((k[1:] > k[:-1]).all())


class Table(DeleteCallbacks):
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
    list_flatten
        How list columns of Arrow input become rows: ``"zip"`` (default),
        ``"cartesian"`` or ``"stringify"`` (see :mod:`~perspective_nb.engine.nested`).
    page_to_disk
        Keep the table's main columns in a memory-mapped temporary file
        (see :mod:`~perspective_nb.engine.paging`); results are the same.

    Examples
    --------
    >>> t = Table({"a": [1, 2]}, name="t")
    >>> t.size()
    2
    """

    def __init__(
        self,
        data: Any,
        *,
        name: str,
        index: str | None = None,
        limit: int | None = None,
        list_flatten: str | None = None,
        page_to_disk: bool = False,
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
        self._delete_callbacks = Subscribers(self._callback_ids)
        self._views: list[View] = []
        # Tables derived from this one (joins): name and what to call on a write.
        self._dependents: dict[int, tuple[str, Callable[[], None]]] = {}
        self._deleted = False
        # Recent writes as (version, added rows, removed rows); None for a
        # write that is not a row delta (replace, clear). Views use it to
        # update their aggregates incrementally.
        self._changes: collections.deque = collections.deque(maxlen=_MAX_CHANGES)

        self._list_flatten = check_list_flatten(list_flatten)
        if not isinstance(page_to_disk, bool):
            raise ConfigError(f"page_to_disk must be True or False, got {page_to_disk!r}")
        self._pager = DiskPager(name) if page_to_disk else None
        tbl = schema_to_empty_table(data) if is_schema(data) else to_arrow_table(data)
        if has_nested(tbl.schema):
            check_list_index(tbl.schema, index, self._list_flatten)
            tbl = flatten_nested(tbl, self._list_flatten)
        storage = to_storage(tbl, key=index)
        self._schema = {f.name: arrow_type_to_perspective(f.type) for f in storage.schema}
        if index is not None and index not in self._schema:
            raise ConfigError(
                f"index column {index!r} is not in the data; its columns are {list(self._schema)}"
            )
        if index is not None and self._schema[index] == "boolean":
            raise ConfigError(
                f"index column {index!r} is boolean, which Perspective cannot key rows by; "
                "index by an integer, float, string, date or datetime column"
            )
        self._storage_schema = storage.schema
        self._storage_names = storage.schema.names
        # (version, Store), published as one reference: a reader takes both
        # together without locking.
        self._state: tuple[int, Store] = (0, self._paged(self._fresh_store(storage), None))

    # -- metadata --------------------------------------------------------
    def schema(self) -> dict[str, str]:
        """``{column: type}`` in table column order."""
        return dict(self._schema)

    def columns(self) -> list[str]:
        """Column names in table order."""
        return list(self._schema)

    def size(self) -> int:
        """Number of rows."""
        return self._state[1].num_rows

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
        """Every row, in the table's order (an immutable snapshot; safe from any thread)."""
        return self._state[1].table()

    @property
    def version(self) -> int:
        """Increments with every write; views use it to invalidate caches."""
        return self._state[0]

    # -- writes ----------------------------------------------------------
    def update(self, data: Any, port_id: int = 0) -> None:
        """Append rows, or upsert them by key on an indexed table.

        As Perspective does: columns the table lacks are ignored; partial
        updates of an indexed table keep the columns (and, for row dicts,
        the cells) not given, while an explicit null sets null; rows without
        the index column upsert the null key; values are cast to the
        column types (:func:`~perspective_nb.engine.storage.cast_column`).
        A failed update leaves the table unchanged.

        Raises
        ------
        UpdateError
            For a value that does not fit its column's type.
        """
        self._check_alive()
        batch, unset = to_arrow_batch(data, self._schema)
        if has_nested(batch.schema):  # Arrow input only: no row-wise ``unset``
            batch = flatten_nested(batch, self._list_flatten)
        if batch.num_rows == 0 and not batch.num_columns:
            return
        with self._lock:
            cols = cast_batch(batch, self._storage_schema, self._schema, self._name)
            if self._index is not None and self._index not in cols:
                key_type = self._storage_schema.field(self._index).type
                cols[self._index] = pa.chunked_array([pa.nulls(batch.num_rows, key_type)])
            unset = {c: m for c, m in (unset or {}).items() if c in cols} or None
            store, added, removed = self._write(cols, batch.num_rows, unset)
            self._swap(store, (added, removed))
        self._notify(port_id, added, removed)

    def remove(self, keys: list[Any], port_id: int = 0) -> None:
        """Remove rows by key (indexed tables) or by row number (others)."""
        self._check_alive()
        check_keys_argument(keys)
        check_remove_keys(list(keys), self._index)
        with self._lock:
            store = self._state[1]
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
                new, removed = store.remove_keys(arr)
            else:
                idx = pa.array(list(keys), pa.int64()).to_numpy(zero_copy_only=False)
                idx = np.unique(idx[(idx >= 0) & (idx < store.num_rows)])
                new, removed = store.remove_positions(idx)
            self._swap(new, (None, removed))
        self._notify(port_id, None, removed)

    def replace(self, data: Any) -> None:
        """Replace every row with ``data`` (same schema); on failure nothing changes.

        Readers see the old rows until the new ones are complete, then the new.
        """
        self._check_alive()
        batch = to_arrow_table(data, self._schema)
        if has_nested(batch.schema):
            batch = flatten_nested(batch, self._list_flatten)
        with self._lock:
            cols = cast_batch(batch, self._storage_schema, self._schema, self._name)
            store = self._fresh_store(self._full_batch(batch.num_rows, cols))
            self._swap(store, None)
        self._notify(0, store.table(), None, reset=True)

    def clear(self) -> None:
        """Remove every row, keeping the schema."""
        self._check_alive()
        with self._lock:
            self._swap(self._fresh_store(self._storage_schema.empty_table()), None)
        self._notify(0, None, None, reset=True)

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
            if self._dependents:
                names = sorted({name for name, _ in self._dependents.values()})
                raise PerspectiveError(
                    f"cannot delete table {self._name!r}: table(s) {names} derived from it "
                    "(joins, tables made from its views) follow it; delete those first"
                )
            if self._views:
                raise PerspectiveError(
                    f"cannot delete table {self._name!r}: {len(self._views)} view(s) are still "
                    "open on it; delete them first"
                )
            self._deleted = True
            if self._pager is not None:
                self._pager.close()
            callbacks = self._delete_callbacks.drain()
        self._fire_delete(callbacks, f"on_delete of table {self._name!r}")

    # -- derived tables --------------------------------------------------
    def add_dependent(self, name: str, on_change: Callable[[], None]) -> int:
        """Call ``on_change()`` after every write, for the derived table ``name``.

        The table cannot be deleted while it has dependents. Returns an id for
        :meth:`remove_dependent`.
        """
        self._check_alive()
        with self._lock:
            cid = next(self._callback_ids)
            self._dependents[cid] = (name, on_change)
            return cid

    def remove_dependent(self, dependent_id: int) -> None:
        """Stop notifying a dependent registered with :meth:`add_dependent`."""
        with self._lock:
            self._dependents.pop(dependent_id, None)

    # -- views -----------------------------------------------------------
    def view(self, **config: Any) -> View:
        """Create a :class:`~perspective_nb.engine.view.View` with a Perspective view config."""
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

    def release_view(self, view: View) -> None:
        """Forget a deleted view: it gets no more update notifications."""
        with self._lock:
            if view in self._views:
                self._views.remove(view)

    # -- internals -------------------------------------------------------
    def _check_alive(self) -> None:
        if self._deleted:
            raise PerspectiveError(f"table {self._name!r} has been deleted")

    def _swap(self, store: Store, delta: tuple[pa.Table | None, pa.Table | None] | None) -> None:
        """Publish a new store; ``delta`` is (added rows, removed rows) or None."""
        version, old = self._state
        version += 1
        store = self._paged(store, old.main)
        self._changes.append((version, delta))
        self._state = (version, store)

    def current(self) -> tuple[int, Store]:
        """The current version and its store, read together (no lock taken)."""
        return self._state

    def _paged(self, store: Store, old_main: pa.Table | None) -> Store:
        """With ``page_to_disk``: a store whose new main part lives in a mapped file."""
        return store if self._pager is None else self._pager.page_store(store, old_main)

    def is_paged_to_disk(self) -> bool:
        """Whether the table was made with ``page_to_disk=True``."""
        return self._pager is not None

    def snapshot(self) -> tuple[int, pa.Table]:
        """The current version and every row, read together (no lock taken)."""
        version, store = self._state
        return version, store.table()

    def changes_since(self, version: int) -> tuple[int, list] | None:
        """The current version and the row deltas written since ``version``.

        Returns ``(version, [(added, removed), ...])``, or None when a write
        since then was not a row delta or is no longer remembered.
        """
        with self._lock:
            current = self._state[0]
            if version == current:
                return current, []
            recent = [entry for entry in self._changes if entry[0] > version]
            if len(recent) != current - version or any(d is None for _, d in recent):
                return None
            return current, [d for _, d in recent]

    def _full_batch(self, n: int, cols: dict[str, pa.ChunkedArray]) -> pa.Table:
        storage = self._storage_schema
        if len(cols) == len(storage):  # every column given (a name list: no Field objects)
            arrays = [cols[name] for name in self._storage_names]
        else:
            arrays = [cols[f.name] if f.name in cols else pa.nulls(n, f.type) for f in storage]
        return pa.Table.from_arrays(arrays, schema=storage)

    def _fresh_store(self, rows: pa.Table) -> Store:
        """A store holding ``rows`` as a table's initial (or replacing) data.

        Duplicate keys merge value-wise, as Perspective loads data: a later
        null does not erase an earlier value (in updates, the last row wins).
        """
        if self._index is not None and rows.num_rows:
            if _unique_keys(rows.column(self._index), in_order=True):
                return Store(rows, self._index)  # already one row per key, in key order
            rows = dedupe_last(rows, self._index, keep_values=True)
            rows = rows.take(key_order(rows.column(self._index)))
        elif self._limit is not None and rows.num_rows > self._limit:
            rows = rows.slice(rows.num_rows - self._limit)
        return Store(rows, self._index)

    def _write(
        self, cols: dict[str, pa.ChunkedArray], n: int, unset: dict[str, np.ndarray] | None
    ) -> tuple[Store, pa.Table, pa.Table | None]:
        """Apply an update's ``n`` rows of (cast) columns; returns (store,
        added rows, removed rows). ``unset`` marks cells rows left out."""
        store = self._state[1]
        if self._index is None:
            # Left-out cells of appended rows are null.
            return store.append(self._full_batch(n, cols), self._limit)
        key = self._index
        if unset:
            return self._write_partial(pa.table(cols), unset)
        if _unique_keys(cols[key]):
            full = self._full_batch(n, cols)
        else:
            upd = dedupe_last(pa.table(cols), key)
            upd = upd.take(key_order(upd.column(key)))
            named = dict(zip(upd.column_names, upd.columns, strict=True))
            full = self._full_batch(upd.num_rows, named)
        return store.upsert(full, set(cols))

    def _write_partial(
        self, upd: pa.Table, unset: dict[str, np.ndarray]
    ) -> tuple[Store, pa.Table, pa.Table]:
        """Upsert rows that leave some cells out: those keep their old values.

        The rows (one per key) are grouped by which columns they give, and
        each group is upserted as a partial update of those columns: keys
        are distinct, so the groups' order does not matter. Usually one or
        two groups; at most one per row.
        """
        key = self._index
        assert key is not None
        upd, unset = dedupe_partial(upd, key, unset)
        names = list(unset)
        given = ~np.stack([unset[c] for c in names], axis=1)
        patterns, group = np.unique(given, axis=0, return_inverse=True)
        store, added, removed = self._state[1], [], []
        for g, pattern in enumerate(patterns):
            rows = upd.take(pa.array(np.flatnonzero(group.ravel() == g)))
            rows = rows.take(key_order(rows.column(key)))
            left_out = {c for c, on in zip(names, pattern, strict=True) if not on}
            present = set(upd.column_names) - left_out
            given_cols = dict(zip(rows.column_names, rows.columns, strict=True))
            full = self._full_batch(rows.num_rows, given_cols)
            store, changed, replaced = store.upsert(full, present)
            added.append(changed)
            removed.append(replaced)
        return store, pa.concat_tables(added), pa.concat_tables(removed)

    def _notify(
        self,
        port_id: int,
        added: pa.Table | None,
        removed: pa.Table | None,
        reset: bool = False,
    ) -> None:
        """Tell the views of a write: rows added (new versions), rows removed
        (old versions), or ``reset`` when every row was replaced or cleared."""
        with self._lock:
            views = list(self._views)
        what = f"update of table {self._name!r}"
        for v in views:
            # A view's own bookkeeping failing must not undo the write either.
            call_safely(v._table_updated, port_id, added, removed, reset, what=what)
        with self._lock:
            dependents = list(self._dependents.values())
        for name, on_change in dependents:
            call_safely(on_change, what=f"recompute of {name!r} after a write to {self._name!r}")
