"""VirtualTable: a table whose rows live in DuckDB or Spark, with the engine Table's interface.

The server hosts it beside in-memory tables and its handlers call the same
methods (``schema``, ``size``, ``view``, ``update``, ``on_delete``...).
Nothing is loaded into Python: views compile to SQL
(:mod:`perspective_nb.engine.sql`) and run in the database.

Writes (DuckDB tables hosted with their connection) go into the database in
one transaction each and fire ``on_update`` of the open views. Changes made
by others are picked up by :meth:`VirtualTable.refresh`, or every
``poll_interval`` seconds when a fingerprint of the rows (count and an XOR
of row hashes, one scan) changed.
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Any

import pyarrow as pa

from ..engine.arguments import check_keys_argument, check_remove_keys
from ..engine.callbacks import DeleteCallbacks, Subscribers
from ..engine.ingest import to_arrow_batch, to_arrow_table
from ..engine.sql.filters import ARROW_OF
from ..engine.storage import dedupe_last, dedupe_partial
from ..errors import ConfigError, PerspectiveError, UpdateError
from .backends import Backend
from .view import VirtualView

__all__ = ["VirtualTable"]

log = logging.getLogger("perspective_nb")


def _typed(batch: pa.Table, schema: dict[str, str]) -> pa.Table:
    """``batch`` with all-null (untyped) columns given their column's type."""
    for i, f in enumerate(batch.schema):
        if pa.types.is_null(f.type):
            batch = batch.set_column(i, f.name, batch.column(i).cast(ARROW_OF[schema[f.name]]))
    return batch


class VirtualTable(DeleteCallbacks):
    """A Perspective table backed by a database (see :func:`perspective_nb.virtual.virtual_table`).

    Parameters
    ----------
    backend
        The database side (:class:`~.backends.DuckDBBackend`, :class:`~.backends.SparkBackend`).
    name
        The name the table is hosted under.
    poll_interval
        Seconds between checks for changes made by others (None: only
        :meth:`refresh`).
    """

    def __init__(self, backend: Backend, *, name: str, poll_interval: float | None = None) -> None:
        self.backend = backend
        self._name = name
        self._lock = threading.RLock()
        self._version = 0
        self._size: tuple[int, int] | None = None
        self._ports = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._delete_callbacks = Subscribers(self._callback_ids)
        self._views: list[VirtualView] = []
        self._deleted = False
        self._stop = threading.Event()
        self._fingerprint: Any = None
        if poll_interval is not None:
            if not isinstance(poll_interval, (int, float)) or poll_interval <= 0:
                raise ConfigError(f"poll_interval must be a positive number, got {poll_interval!r}")
            self._fingerprint = self._read_fingerprint()
            threading.Thread(
                target=self._poll, args=(float(poll_interval),), daemon=True,
                name=f"perspective_nb poll {name}",
            ).start()  # fmt: skip

    # -- metadata ------------------------------------------------------------
    def schema(self) -> dict[str, str]:
        """``{column: type}`` in column order."""
        return dict(self.backend.source.schema)

    def columns(self) -> list[str]:
        """Column names."""
        return list(self.backend.source.schema)

    def size(self) -> int:
        """Number of rows (one ``COUNT(*)`` per table version)."""
        self._check_alive()
        with self._lock:
            if self._size is None or self._size[0] != self._version:
                n = self.run(f"SELECT COUNT(*) AS n FROM {self.backend.source.sql}").column(0)[0]
                self._size = (self._version, int(n.as_py()))
            return self._size[1]

    def get_index(self) -> str | None:
        """The key column, or None."""
        return self.backend.source.index

    def get_limit(self) -> int | None:
        """Always None: a virtual table has no row limit."""
        return None

    def get_name(self) -> str:
        """The name the table is hosted under."""
        return self._name

    def make_port(self) -> int:
        """A new port id, passed back to ``on_update`` callbacks of writes sent through it."""
        return next(self._ports)

    @property
    def version(self) -> int:
        """Increments with every write and every refresh that found changes."""
        return self._version

    def run(self, sql: str) -> pa.Table:
        """Run a query in the table's database."""
        self._check_alive()
        return self.backend.run(sql)

    # -- views ---------------------------------------------------------------
    def view(self, **config: Any) -> VirtualView:
        """A view computed in the database (same config as an in-memory table's views)."""
        self._check_alive()
        v = VirtualView(self, config)
        with self._lock:
            self._views.append(v)
        return v

    def validate_expressions(self, expressions: dict[str, str] | list[str]) -> dict[str, Any]:
        """Type-check expressions; those with no SQL translation are reported as errors."""
        from ..engine.expressions import validate_expressions
        from ..engine.sql.translate import untranslatable

        result = validate_expressions(self.schema(), expressions)
        for alias, text in dict(result.get("expression_alias", {})).items():
            if alias in result.get("expression_schema", {}):
                reason = untranslatable(text, self.schema(), self.backend.dialect)
                if reason is not None:
                    result["expression_schema"].pop(alias)
                    result.setdefault("errors", {})[alias] = {
                        "error_message": reason, "line": 0, "column": 0,
                    }  # fmt: skip
        return result

    def release_view(self, view: VirtualView) -> None:
        """Forget a deleted view."""
        with self._lock:
            if view in self._views:
                self._views.remove(view)

    # -- writes --------------------------------------------------------------
    def _writable(self) -> Any:
        self._check_alive()
        b = self.backend
        if not b.writable:
            raise UpdateError(
                f"table {self._name!r} reads a query or DataFrame, which cannot be written; "
                "host a DuckDB table with its connection "
                "(client.table('t', connection=con)) to write into it"
            )
        return b

    def update(self, data: Any, port_id: int = 0) -> None:
        """Insert rows, or upsert them by key on an indexed table (in one transaction).

        Columns the table lacks are ignored; on an indexed table, columns an
        update leaves out keep their values.

        Raises
        ------
        UpdateError
            When the database refuses the rows (the table is unchanged).
        """
        b = self._writable()
        batch, unset = to_arrow_batch(data, self.schema())
        cols = [c for c in batch.column_names if c in self.backend.source.schema]
        if not cols or batch.num_rows == 0:
            return
        batch = _typed(batch.select(cols), self.schema())
        d, target, index = b.dialect, b.target, b.source.index
        names = ", ".join(d.ident(c) for c in cols)
        if index is None:
            statements = [f"INSERT INTO {target} ({names}) SELECT {names} FROM __pnb_update"]
        else:
            if index not in cols:
                raise UpdateError(
                    f"rows written into indexed table {self._name!r} need its key {index!r}"
                )
            unset = {c: m for c, m in (unset or {}).items() if c in cols and c != index}
            # One row per key; per column the last row that gives a value wins.
            batch, unset = dedupe_partial(batch, index, unset) if unset else (
                dedupe_last(batch, index), {}
            )  # fmt: skip
            keep = {}
            for i, c in enumerate(cols):
                if c in unset:
                    # Cells the rows leave out keep their value.
                    keep[c] = f"__pnb_keep{i}"
                    batch = batch.append_column(keep[c], pa.array(unset[c], pa.bool_()))
            key = d.ident(index)
            same = d.same(f"{target}.{key}", f"__pnb_update.{key}")
            statements = []
            sets = []
            for c in cols:
                if c == index:
                    continue
                new, old = f"__pnb_update.{d.ident(c)}", f"{target}.{d.ident(c)}"
                if c in keep:
                    new = f"CASE WHEN __pnb_update.{keep[c]} THEN {old} ELSE {new} END"
                sets.append(f"{d.ident(c)} = {new}")
            if sets:
                statements.append(
                    f"UPDATE {target} SET {', '.join(sets)} FROM __pnb_update WHERE {same}"
                )
            statements.append(
                f"INSERT INTO {target} ({names}) SELECT {names} FROM __pnb_update "
                f"WHERE NOT EXISTS (SELECT 1 FROM {target} WHERE {same})"
            )
        b.execute(statements, __pnb_update=batch)
        self._changed(port_id)

    def remove(self, keys: list[Any], port_id: int = 0) -> None:
        """Delete rows by key (indexed tables) or by row number in table order."""
        b = self._writable()
        check_keys_argument(keys)
        check_remove_keys(list(keys), self.get_index())
        d, target, index = b.dialect, b.target, b.source.index
        if index is not None:
            ktable = pa.table({"k": pa.array(list(keys))})
            stmt = (
                f"DELETE FROM {target} WHERE EXISTS (SELECT 1 FROM __pnb_keys "
                f"WHERE {d.same(f'{target}.{d.ident(index)}', '__pnb_keys.k')})"
            )
        else:
            ktable = pa.table({"k": pa.array([int(k) for k in keys], pa.int64())})
            stmt = (
                f"DELETE FROM {target} WHERE rowid IN (SELECT rowid FROM (SELECT rowid, "
                f"ROW_NUMBER() OVER (ORDER BY rowid) - 1 AS rn FROM {target}) AS numbered "
                "WHERE rn IN (SELECT k FROM __pnb_keys))"
            )
        b.execute([stmt], __pnb_keys=ktable)
        self._changed(port_id)

    def replace(self, data: Any) -> None:
        """Replace every row with ``data`` (one transaction: readers see old or new rows)."""
        b = self._writable()
        batch = to_arrow_table(data, self.schema())
        cols = [c for c in batch.column_names if c in self.backend.source.schema]
        names = ", ".join(b.dialect.ident(c) for c in cols)
        target = b.target
        b.execute(
            [
                f"DELETE FROM {target}",
                f"INSERT INTO {target} ({names}) SELECT {names} FROM __pnb_update",
            ],
            __pnb_update=_typed(batch.select(cols), self.schema()),
        )
        self._changed(0)

    def clear(self) -> None:
        """Delete every row."""
        b = self._writable()
        b.execute([f"DELETE FROM {b.target}"])
        self._changed(0)

    def refresh(self) -> None:
        """Re-read: views recompute and ``on_update`` fires (after others wrote to the database)."""
        self._check_alive()
        self._changed(0)

    def _changed(self, port_id: int) -> None:
        with self._lock:
            self._version += 1
            views = list(self._views)
        for v in views:
            v._table_updated(port_id)

    # -- polling -------------------------------------------------------------
    def _read_fingerprint(self) -> Any:
        cols = ", ".join(self.backend.dialect.ident(c) for c in self.columns())
        sql = f"SELECT COUNT(*) AS n, BIT_XOR(HASH({cols})) AS h FROM {self.backend.source.sql}"
        return tuple(self.backend.run(sql).to_pylist()[0].values())

    def _poll(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                fingerprint = self._read_fingerprint()
            except Exception as exc:  # a closed connection ends polling
                log.warning("polling table %r stopped: %s", self._name, exc)
                return
            if fingerprint != self._fingerprint:
                self._fingerprint = fingerprint
                self._changed(0)

    # -- lifetime ------------------------------------------------------------
    def delete(self) -> None:
        """Stop hosting the table (the database's data stays); fails while views are open."""
        with self._lock:
            if self._deleted:
                return
            if self._views:
                raise PerspectiveError(
                    f"cannot delete table {self._name!r}: {len(self._views)} view(s) are still "
                    "open on it; delete them first"
                )
            self._deleted = True
            self._stop.set()
            callbacks = self._delete_callbacks.drain()
        self.backend.close()
        self._fire_delete(callbacks, f"on_delete of table {self._name!r}")

    def _check_alive(self) -> None:
        if self._deleted:
            raise PerspectiveError(f"table {self._name!r} has been deleted")
