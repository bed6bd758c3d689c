"""VirtualView: a view over a virtual table, answered by SQL in the table's database.

It has the engine View's interface (``to_columns``, ``to_arrow``, ...,
``num_rows``, ``schema``, ``expand``, ``on_update``), so the server's
handlers serve it unchanged. Every read runs the compiled query with the
read's viewport as ``LIMIT`` / ``OFFSET``: only the rows shown leave the
database. Counts and split values are cached per table version.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.aggregate_registry import result_type
from ..engine.callbacks import Subscribers, UpdateCallbacks
from ..engine.column_paths import column_path_levels
from ..engine.config import ViewConfig, normalize_config
from ..engine.config_shape import check_config_shape
from ..engine.encoding import format_label
from ..engine.outputs import Window, WindowOutputs, group_naming, jsonable
from ..engine.sql.query import (
    TreeState,
    ViewQuery,
    compile_view,
    split_order_sql,
    split_values_sql,
)
from ..errors import ConfigError, PerspectiveError

__all__ = ["VirtualView"]

#: Rows read (and cached) at once by a query that carries the row count:
#: what a grid shows first.
_FIRST_PAGE = 200


def _by_total(values: list[tuple], totals: list[Any], direction: str) -> list[tuple]:
    """Split combinations ordered by their total (nulls first ascending, last descending)."""
    key = pa.array(totals)
    if direction.endswith("abs"):
        key = pc.abs(key)
    desc = "desc" in direction
    sort = ("v", "descending" if desc else "ascending", "at_end" if desc else "at_start")
    order = pc.sort_indices(pa.table({"v": key}), sort_keys=[sort]).to_pylist()
    return [values[i] for i in order]


class VirtualView(UpdateCallbacks, WindowOutputs):
    """A Perspective view computed by a database. Create with ``virtual_table.view(**config)``."""

    def __init__(self, table: Any, config: dict[str, Any]) -> None:
        # ``table`` is the VirtualTable (typed Any: table.py imports this module).
        check_config_shape(config)
        self._table = table
        self._lock = threading.RLock()
        self._exprs: dict[str, str] = {}
        self._expr_types: dict[str, str] = {}
        self._expr_sql: dict[str, str] = {}
        if config.get("expressions"):
            from ..engine.expressions import expression_schema, normalize_expressions
            from ..engine.sql.translate import translate_expressions

            self._exprs = normalize_expressions(config.get("expressions"))
            self._expr_types = expression_schema(table.schema(), self._exprs) if self._exprs else {}
            self._expr_sql = translate_expressions(
                self._exprs, table.schema(), table.backend.dialect, self._expr_types
            )
        if config.get("windows"):
            raise ConfigError(
                f"window columns {sorted(config['windows'])} are not supported on a virtual "
                "(DuckDB / Spark) table yet; load the data into memory to use them"
            )
        self._config: ViewConfig = normalize_config(
            config, table.schema(), self._exprs, self._expr_types
        )
        self._schema_all = {**table.schema(), **self._expr_types}
        # group_by_depth=0 means "not set" (every level), as Perspective reads it.
        self._tree = TreeState(self._config.group_by_depth or None)
        self._cache: dict[Any, Any] = {}
        self._cache_version = -1
        self._ids = itertools.count(1)
        # (callback, mode) and callbacks; one id sequence for both kinds.
        self._update_callbacks = Subscribers(self._ids)
        self._delete_callbacks = Subscribers(self._ids)
        self._deleted = False
        self._query(False)  # compile now: an unsupported aggregate fails at creation

    # -- queries -------------------------------------------------------------
    def _cached(self, key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            version = self._table.version
            if version != self._cache_version:
                self._cache, self._cache_version = {}, version
            if key not in self._cache:
                self._cache[key] = make()
            return self._cache[key]

    def _split_values(self) -> list[tuple] | None:
        if not self._config.split_by:
            return None

        def fetch() -> list[tuple]:
            b = self._table.backend
            sql = split_values_sql(
                b.source, self._config, self._schema_all, self._expr_sql, b.dialect
            )
            rows = self._table.run(sql)
            cols = [rows.column(i).to_pylist() for i in range(rows.num_columns)]
            values = list(zip(*cols, strict=True))
            order = split_order_sql(
                b.source, self._config, self._schema_all, self._expr_sql, b.dialect, values
            )
            if order is not None:
                # A "col asc"/"col desc" sort: split columns by their total (one row).
                totals = self._table.run(order[0]).to_pylist()[0]
                values = _by_total(
                    values, [totals[f"__pnb_s{j}"] for j in range(len(values))], order[1]
                )
            return values

        return self._cached("split", fetch)

    def _query(self, with_ids: bool) -> ViewQuery:
        b = self._table.backend
        return compile_view(
            b.source,
            self._config,
            b.dialect,
            expressions=self._expr_sql,
            expression_types=self._expr_types,
            split_values=self._split_values(),
            tree=self._tree,
            with_ids=with_ids and not self._config.group_by,
        )

    def to_sql(self) -> str:
        """The SQL this view runs (without the viewport's LIMIT / OFFSET)."""
        self._check_alive()
        return self._query(False).sql

    # -- shape ---------------------------------------------------------------
    def column_paths(self) -> list[str]:
        """Output column names (split columns as ``a|b|col``)."""
        self._check_alive()
        return list(self._query(False).columns)

    def column_path_levels(self) -> list[list[Any]]:
        """Column paths as Perspective 5.x returns them: one typed level per
        ``split_by`` column, then the column names (see ``engine/column_paths.py``)."""
        self._check_alive()
        cfg = self._config
        if not cfg.split_by:
            return [self.column_paths()]
        pairs = [
            (tuple(format_label(v) for v in values), c)
            for values in self._split_values() or ()
            for c in cfg.columns
        ]
        return column_path_levels(pairs, [self._schema_all[c] for c in cfg.split_by])

    def num_rows(self) -> int:
        """Rows in the view (a grouped view counts its total row)."""
        self._check_alive()

        def count() -> int:
            q = self._query(False)
            if q.total:
                # The first page carries the count (and is kept for the read that follows).
                page = self._page(q, 0, _FIRST_PAGE)
                if page.num_rows:
                    return int(page.column("__pnb_total")[0].as_py())
            return int(self._table.run(q.count_sql).column(0)[0].as_py())

        return self._cached(("count", self._tree), count)

    def _page(self, q: ViewQuery, start: int, end: int | None) -> pa.Table:
        """Rows ``start`` to ``end`` of ``q`` (the first page is cached when it
        carries the row count)."""
        if q.total and start == 0 and end is not None and end <= _FIRST_PAGE:
            first = self._cached(
                ("page", self._tree, q.ids), lambda: self._table.run(q.page(0, _FIRST_PAGE))
            )
            return first.slice(0, end)
        return self._table.run(q.page(start, end))

    def num_columns(self) -> int:
        """Output columns (split columns counted one per path)."""
        return len(self.column_paths())

    def dimensions(self) -> dict[str, int]:
        """Table and view sizes, as Perspective's ``view.dimensions()``."""
        return {
            "num_table_rows": self._table.size(),
            "num_table_columns": len(self._table.schema()),
            "num_view_rows": self.num_rows(),
            "num_view_columns": self.num_columns(),
        }

    def schema(self) -> dict[str, str]:
        """``{column: type}`` of the view's columns after aggregation."""
        cfg = self._config
        if cfg.split_by and not self.column_paths():
            return {}
        out = {}
        for c in cfg.columns:
            t = self._schema_all[c]
            if cfg.group_by:
                t = result_type(cfg.aggregate_map[c], t)
            out[c] = t
        return out

    def expression_schema(self) -> dict[str, str]:
        """``{alias: type}`` of the view's expressions."""
        return dict(self._expr_types)

    def get_config(self) -> dict[str, Any]:
        """The view's config, as Perspective reports it."""
        return self._config.to_dict()

    @property
    def config(self) -> ViewConfig:
        """The normalised config."""
        return self._config

    def get_min_max(self, column: str) -> tuple[Any, Any]:
        """Min and max of an output column (the total row excluded), computed in the database."""
        q = self._query(False)
        names = [n for n in q.columns if n == column or n.endswith(f"|{column}")]
        if not names:
            raise ConfigError(f"column {column!r} is not in this view; it has {list(q.columns)}")
        parts = ", ".join(f"MIN({q.columns[n]}), MAX({q.columns[n]})" for n in names)
        where = " WHERE __pnb_depth > 0" if q.grouped else ""
        res = self._table.run(f"SELECT {parts} FROM ({q.sql}) AS __pnb_v{where}")
        values = pa.concat_arrays([jsonable(c.combine_chunks()) for c in res.columns])
        mm = pc.min_max(values).as_py()
        return mm["min"], mm["max"]

    # -- expand / collapse ---------------------------------------------------
    def _path_at(self, row: int) -> tuple:
        w = self._window({"start_row": row, "end_row": row + 1}) if row >= 0 else None
        if w is None or w.depth is None or w.num_rows != 1:
            raise ConfigError(f"row {row} is not a group row of this view")
        d = int(w.depth[0])
        return tuple(w.paths[i][0].as_py() for i in range(d))

    def _set_tree(self, tree: TreeState) -> None:
        with self._lock:
            self._tree = tree

    def expand(self, row: int) -> int:
        """Show the children of group row ``row``; returns how many rows appeared."""
        path, before, t = self._path_at(row), self.num_rows(), self._tree
        self._set_tree(TreeState(t.depth, t.expanded | {path}, t.collapsed - {path}))
        return self.num_rows() - before

    def collapse(self, row: int) -> int:
        """Hide the children of group row ``row``; returns how many rows disappeared."""
        path, before, t = self._path_at(row), self.num_rows(), self._tree
        self._set_tree(TreeState(t.depth, t.expanded - {path}, t.collapsed | {path}))
        return before - self.num_rows()

    def set_depth(self, depth: int) -> None:
        """Show group levels up to ``depth`` (expand/collapse state is reset)."""
        self._set_tree(TreeState(depth))

    # -- reads ---------------------------------------------------------------
    def _window(self, kw: dict[str, Any]) -> Window:
        self._check_alive()
        want_id, want_index = bool(kw.get("id")), bool(kw.get("index"))
        q = self._query(want_id or want_index)
        start = max(int(kw.get("start_row") or 0), 0)
        end = kw.get("end_row")
        end = None if end is None else max(int(end), start)
        res = self._page(q, start, end)
        names = list(q.columns)
        c0 = max(int(kw.get("start_col") or 0), 0)
        c1 = len(names) if kw.get("end_col") is None else int(kw["end_col"])
        names = names[c0:c1]
        if q.grouped:
            depth = res.column(q.depth).to_numpy().astype(np.int64)
            rows = np.arange(res.num_rows)
            if kw.get("leaves_only"):
                rows = rows[depth == len(self._config.group_by)]
                res, depth = res.take(pa.array(rows)), depth[rows]
            return Window(
                {n: res.column(q.columns[n]).combine_chunks() for n in names},
                self._config.group_by,
                [res.column(p).combine_chunks() for p in q.paths],
                depth,
                want_id=want_id,
                want_index=want_index,
                aggregates=self._config.aggregate_map,
                group_naming=group_naming(kw),
            )
        ids = res.column(q.ids).combine_chunks() if q.ids else None
        cols = {n: res.column(q.columns[n]).combine_chunks() for n in names}
        return Window(cols, ids=ids, want_id=want_id, want_index=want_index)

    # -- callbacks -----------------------------------------------------------
    def on_update(self, callback: Callable[..., None], mode: str | None = None) -> int:
        """Call ``callback(port_id, delta)`` after every table write or refresh.

        ``delta`` is None; with ``mode="row"`` it is the view's first rows
        as Arrow (a database reports no row delta).
        """
        return self._add_update(callback, mode)

    def delete(self) -> None:
        """Release the view; its callbacks are dropped."""
        with self._lock:
            if self._deleted:
                return
            self._deleted = True
            self._update_callbacks.drain()
            callbacks = self._delete_callbacks.drain()
        self._table.release_view(self)
        self._fire_delete(callbacks, "on_delete of a view")

    def _check_alive(self) -> None:
        if self._deleted:
            raise PerspectiveError("this view has been deleted; create a new one with table.view()")

    def _table_updated(self, port_id: int) -> None:
        self._fire_update(
            port_id,
            lambda: self._window({"start_row": 0, "end_row": 100}).to_arrow(),
            f"on_update of a view on table {self._table.get_name()!r}",
        )
