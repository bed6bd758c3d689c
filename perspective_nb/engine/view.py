"""View: a query over a Table (expressions -> filter -> group/split -> sort -> rows).

A view computes lazily: the first read after a table write recomputes the
result from the table's current snapshot (cached per table version), so
``update()`` itself stays cheap and every read reflects every update that
returned before it. Flat views keep only a row order (indices) and gather
the requested viewport on read; pivoted views materialise their (much
smaller) aggregated rows.

Lock discipline: ``View._lock`` guards the cache and the callback registry;
it is never held while calling user callbacks.

Pure pyarrow + numpy: no I/O, no asyncio.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError, PerspectiveError
from .aggregate_registry import result_type
from .arguments import check_window_bound
from .callbacks import Subscribers, UpdateCallbacks
from .column_paths import column_path_levels
from .config import ViewConfig, normalize_config
from .config_shape import check_config_shape
from .deltas import row_delta
from .dtypes import decoded
from .filters import filter_mask
from .flat import FlatFrame, compute_flat, split_window
from .flat_topk import KeyedRows, KeyIds, RowsMemo, TopK, TopKOrder
from .incremental import GroupState, supports_incremental
from .outputs import Window, WindowOutputs, group_naming, jsonable
from .pivot import (
    LazyColumns,
    PivotFrame,
    arrange,
    compute_pivot,
    empty_total,
    row_sort_specs,
)
from .store_window import RowNumbers, StoreKeys, StoreRows
from .windows import normalize_windows

if TYPE_CHECKING:
    from .source import TableSource

__all__ = ["View"]

_ROW_CONTEXT = re.compile(r"\b(index|vlookup|now|today|random)\s*\(")


def _bound(kw: dict[str, Any], key: str, default: int) -> int:
    """A window bound: fractional starts floor and ends ceil, negatives are 0."""
    value = check_window_bound(key, kw.get(key))
    return default if value is None else value


class View(UpdateCallbacks, WindowOutputs):
    """A Perspective view over a :class:`~perspective_nb.engine.table.Table`.

    Create with ``table.view(**config)``.

    Examples
    --------
    >>> from perspective_nb.engine.table import Table
    >>> t = Table({"g": ["a", "b", "a"], "x": [1, 2, 3]}, name="t")
    >>> t.view(group_by=["g"]).to_columns()["x"]
    [6, 4, 2]
    """

    def __init__(self, table: TableSource, config: dict[str, Any]) -> None:
        check_config_shape(config)  # before any work: bounded lists, no repeats
        self._table = table
        self._lock = threading.RLock()
        exprs: dict[str, str] = {}
        self._expr_types: dict[str, str] = {}
        if config.get("expressions"):
            from .expressions import expression_schema, normalize_expressions

            exprs = normalize_expressions(config.get("expressions"))
            index = table.get_index()
            index_type = table.schema()[index] if index else "integer"
            self._expr_types = (
                expression_schema(table.schema(), exprs, index_type=index_type) if exprs else {}
            )
        windows, self._window_types = normalize_windows(
            config.get("windows"), table.schema(), self._expr_types
        )
        self._config: ViewConfig = normalize_config(
            config, table.schema(), exprs, self._expr_types, windows, self._window_types
        )
        self._schema_all = {**table.schema(), **self._expr_types, **self._window_types}
        self._cache: tuple[int, Any] | None = None
        # (table version, GroupState) for views whose aggregates update incrementally.
        self._state: tuple[int, GroupState] | None = None
        # (GroupState.shape, PivotFrame.layout) of the last arranged state.
        self._layout: tuple[int, tuple] | None = None
        self._value_sorts = any(d != "none" for _, d in self._config.sort)
        # Expressions that read only their own row can be computed for row
        # deltas; index(), vlookup() and the clock and random functions cannot.
        self._row_local = not any(_ROW_CONTEXT.search(text) for _, text in self._config.expressions)
        # Window columns read other rows too: the view recomputes from the
        # whole table (its windows update incrementally, see window_state), so
        # no path that computes from row deltas or reads the store in place applies.
        # (window column, table version) per alias; None until first computed.
        self._window_state: dict[str, Any] = {}
        self._window_version: int | None = None
        # A window over an expression that reads other rows (index(), now()...)
        # can change everywhere on a write: such views recompute their windows.
        self._windows_incremental = self._row_local or not any(
            spec.column in self._expr_types for _, spec in self._config.windows
        )
        if self._config.windows:
            self._row_local = False
        cfg = self._config
        # Rows shown in the table's own order: read straight from the store
        # (expressions that read only their row are computed for the window).
        self._plain_flat = not (
            cfg.group_by
            or cfg.group_rollup_mode == "total"
            or cfg.split_by
            or cfg.filter
            or (cfg.expressions and not self._row_local)
            or cfg.windows
            or row_sort_specs(cfg)
        )
        # Sorted or filtered flat views of indexed tables keep their top rows
        # (flat_topk); their filters and expressions read only their own row.
        self._sorted_flat = bool(
            table.get_index()
            and (row_sort_specs(cfg) or cfg.filter)
            and not (cfg.group_by or cfg.split_by or cfg.windows)
            and (self._row_local or not cfg.expressions)
            and cfg.group_rollup_mode != "total"
        )
        self._top: tuple[int, TopK] | None = None
        self._rows_memo = RowsMemo()  # the last rows a keyed flat read fetched
        # (rows, (columns, flags), Window) of the last flat read: see _window_of.
        self._window_memo: tuple | None = None
        self._expanded: set[tuple] = set()
        # (the frame's row paths, rows read, those rows' paths): see _pivot_window.
        self._paths_memo: tuple | None = None
        self._collapsed: set[tuple] = set()
        # group_by_depth=0 shows every level, as in Perspective (3.8 and 5.x),
        # which reads 0 as "not set"; set_depth(0) does collapse to the total.
        self._depth: int | None = self._config.group_by_depth or None
        self._ids = itertools.count(1)
        # (callback, mode) and callbacks; one id sequence for both kinds.
        self._update_callbacks = Subscribers(self._ids)
        self._delete_callbacks = Subscribers(self._ids)
        self._deleted = False

    # -- computation -----------------------------------------------------
    def _frame(self) -> FlatFrame | PivotFrame:
        self._check_alive()
        with self._lock:
            version = self._table.version
            if self._cache is not None and self._cache[0] == version:
                return self._cache[1]
            if self._state is not None:
                changes = self._table.changes_since(self._state[0])
                if changes is not None:
                    # Apply just the rows written since the last read.
                    version, deltas = changes
                    applied = True
                    for added, removed in deltas:
                        # Expressions are computed for the delta rows only.
                        added, removed = self._shown_pair(added, removed)
                        # False: a removed row held a group's high or low, which
                        # only the group's rows can replace: recompute below.
                        applied = self._state[1].apply(added, removed)
                        if not applied:
                            break
                    if applied:
                        self._state = (version, self._state[1])
                        frame = self._arrange_state()
                        self._cache = (version, frame)
                        return frame
            if self._plain_flat:
                # Rows in table order: a read takes its window from the store,
                # so a write never makes the next read materialise every row.
                version, store = self._table.current()
                rows = StoreRows(store, self._with_expressions)
                index = self._table.get_index()
                ids = StoreKeys(rows, index) if index else RowNumbers()
                frame = FlatFrame(rows, None, ids)  # type: ignore[arg-type]
                self._cache = (version, frame)
                return frame
            if self._sorted_flat:
                frame = self._top_frame()
                if frame is not None:
                    return frame
            version, data = self._table.snapshot()
            frame = self._compute(data, version)
            self._cache = (version, frame)
            return frame

    def _top_frame(self) -> FlatFrame | None:
        """A sorted or filtered flat view's frame from its maintained top rows (flat_topk).

        None when the table's keys cannot be searched (the general path then).
        """
        version, store = self._table.current()
        if store._main_keys() is None:
            return None
        index = self._table.get_index()
        assert index is not None
        top = self._top[1] if self._top is not None else None
        fresh = top is None
        cfg = self._config
        # The rows the view shows, with the columns it sorts by.
        keep = self._shown_rows if (cfg.filter or cfg.expressions) else None
        if top is not None and self._top[0] != version:
            changes = self._table.changes_since(self._top[0])
            if changes is None or changes[0] != version:
                fresh = True  # an unknown write, or one newer than ``store``
            else:
                written = []
                for added, removed in changes[1]:
                    written += [decoded(t.column(index)) for t in (added, removed) if t is not None]
                    if keep is not None:
                        added, removed = self._shown_pair(added, removed)
                    if not top.apply(added, removed):
                        fresh = True
                        break
                self._rows_memo.advance(self._top[0], version, written)
        if fresh:
            self._rows_memo.clear()
            top = TopK(row_sort_specs(cfg), index)
            top.rebuild(store.table() if keep is None else keep(store.table()))
        self._top = (version, top)
        full: list[FlatFrame] = []

        def fallback() -> FlatFrame:  # reads past the kept rows: the full order, once
            if not full:
                full.append(self._compute(store.table(), version))
            return full[0]

        extend = self._with_expressions if cfg.expressions else None
        rows = KeyedRows(store, index, top.count, extend, (self._rows_memo, version))
        frame = FlatFrame(rows, TopKOrder(top, fallback), KeyIds())  # type: ignore[arg-type]
        self._cache = (version, frame)
        return frame

    def _shown_pair(
        self, added: pa.Table | None, removed: pa.Table | None
    ) -> tuple[pa.Table | None, pa.Table | None]:
        """A write's added and removed rows as the view shows them (with its
        expressions, those its filter keeps): one pass over both."""
        cfg = self._config
        if not (cfg.filter or cfg.expressions):
            return added, removed
        if added is None or removed is None or added.schema != removed.schema:
            return self._shown_rows(added), self._shown_rows(removed)
        n = added.num_rows
        both = self._with_expressions(pa.concat_tables([added, removed]))
        shown, gone = both.slice(0, n), both.slice(n)
        if not cfg.filter:
            return shown, gone
        mask = filter_mask(both, self._schema_all, cfg.filter, cfg.filter_op)
        return shown.filter(mask.slice(0, n)), gone.filter(mask.slice(n))

    def _shown_rows(self, rows: pa.Table) -> pa.Table:
        """``rows`` with the view's expression columns, those its filter keeps."""
        return self._filtered(self._with_expressions(rows))

    def _filtered(self, rows: pa.Table | None) -> pa.Table | None:
        if rows is None or not self._config.filter:
            return rows
        mask = filter_mask(rows, self._schema_all, self._config.filter, self._config.filter_op)
        return rows.filter(mask)

    def _arrange_state(self) -> PivotFrame:
        state = self._state[1]
        # The tree order depends on the set of groups alone unless a sort looks
        # at aggregate values: then it is recomputed (O(groups log groups)).
        reuse = None
        if self._layout is not None and self._layout[0] == state.shape and not self._value_sorts:
            reuse = self._layout[1]
        if reuse is not None and not state.is_empty():
            # Same groups, same order: only the values changed, and a read
            # computes them for the rows it shows.
            return self._lazy_frame(state, reuse)
        levels, genc, parents = state.levels()
        if state.is_empty():
            levels[0] = empty_total(levels[0], self._config.aggregate_map, self._schema_all)
        split = None
        if self._config.split_by:
            cells, senc = state.split_levels()
            split = (cells.__getitem__, senc)
        frame = arrange(
            levels,
            genc,
            self._config,
            self._depth,
            self._expanded,
            self._collapsed,
            split,
            parents,
            reuse,
        )
        self._layout = (state.shape, frame.layout)
        return frame

    def _lazy_frame(self, state: GroupState, layout: tuple) -> PivotFrame:
        """A frame over a cached layout whose columns are computed per read."""
        level_arr, row_arr, paths, split_layout = layout
        n = len(level_arr)
        cfg = self._config
        if not cfg.split_by:

            def fetch(names: list[str], rows: np.ndarray) -> list[pa.Array]:
                return state.columns_at(names, level_arr[rows], row_arr[rows])

            return PivotFrame(
                level_arr, paths, LazyColumns(list(cfg.columns), fetch, n), [], layout
            )
        if split_layout is None:  # no split values at all
            return PivotFrame(level_arr, paths, {}, [], layout)
        labels = split_layout[0]
        split_values = [tuple(lab[j] for lab in labels) for j in range(len(labels[0]))]
        where = {
            "|".join((*values, c)): (c, j)
            for j, values in enumerate(split_values)
            for c in cfg.columns
        }

        def fetch_split(names: list[str], rows: np.ndarray) -> list[pa.Array]:
            wanted = [where[name] for name in names]
            return state.split_columns_at(
                wanted, split_layout, rows, level_arr[rows], row_arr[rows]
            )

        columns = LazyColumns(list(where), fetch_split, n)
        return PivotFrame(level_arr, paths, columns, split_values, layout)

    def _with_expressions(self, data: pa.Table | None) -> pa.Table | None:
        """``data`` with the view's expression columns appended."""
        cfg = self._config
        if data is None or not cfg.expressions:
            return data
        from .expressions import compute_expressions

        index = self._table.get_index()
        computed = compute_expressions(
            data,
            self._table.schema(),
            dict(cfg.expressions),
            index=data.column(index) if index else None,
            index_type=self._table.schema()[index] if index else "integer",
        )
        for name, arr in computed.items():
            data = data.append_column(name, arr)
        return data

    def _with_windows(self, data: pa.Table, version: int) -> pa.Table:
        """``data`` (every row of the table at ``version``) with the window columns appended.

        Each window is kept from the last computation and updated from the
        writes since (only the partitions they touched, see window_state);
        the first computation, or one after a write that is not a row delta,
        computes it over every row.
        """
        if not self._config.windows:
            return data
        from .dtypes import canonical_arrow_type
        from .window_state import WindowColumn

        changes = None
        if self._window_version is not None and self._windows_incremental:
            changes = self._table.changes_since(self._window_version)
            if changes is not None and changes[0] != version:
                changes = None  # written again since ``data`` was read
        for alias, spec in self._config.windows:
            column = self._window_state.get(alias)
            if column is None:
                # min / max / lag / lead keep their input's Arrow type; the rest these.
                out_type = canonical_arrow_type(self._window_types[alias])
                column = WindowColumn(spec, out_type, self._table.get_index())
                self._window_state[alias] = column
            if changes is None:
                values = column.build(data)
            else:
                values = column.update(changes[1], data)
            data = data.append_column(alias, values)
        self._window_version = version
        return data

    def _compute(self, data: pa.Table, version: int) -> FlatFrame | PivotFrame:
        cfg = self._config
        # Windows see every row: they are computed before the filter.
        data = self._with_windows(self._with_expressions(data), version)
        mask = filter_mask(data, self._schema_all, cfg.filter, cfg.filter_op)
        rownums = None
        if mask is not None:
            rownums = pc.indices_nonzero(mask)
            data = data.filter(mask)
        incremental = not cfg.windows and supports_incremental(
            cfg, self._schema_all, self._row_local
        )
        if cfg.group_by and incremental:
            self._state = (version, GroupState(data, cfg, self._schema_all))
            self._layout = None  # a new state counts its shape from zero
            return self._arrange_state()
        if cfg.group_by or cfg.group_rollup_mode == "total":
            return compute_pivot(
                data, self._schema_all, cfg, self._depth, self._expanded, self._collapsed
            )
        return compute_flat(data, self._schema_all, cfg, self._table.get_index(), rownums)

    # -- shape -----------------------------------------------------------
    def column_paths(self) -> list[str]:
        """Output column names (split columns as ``a|b|col``)."""
        frame = self._frame()
        if isinstance(frame, PivotFrame):
            return list(frame.columns)
        if self._config.split_by:
            return list(frame.split_cols)
        return list(self._config.columns)

    def column_path_levels(self) -> list[list[Any]]:
        """Column paths as Perspective 5.x returns them: one typed level per
        ``split_by`` column, then the column names (see :mod:`.column_paths`)."""
        cfg = self._config
        if not cfg.split_by:
            return [self.column_paths()]
        frame = self._frame()
        if isinstance(frame, PivotFrame):
            pairs = [(values, c) for values in frame.split_values for c in cfg.columns]
        else:
            pairs = frame.split_paths
        return column_path_levels(pairs, [self._schema_all[c] for c in cfg.split_by])

    def num_rows(self) -> int:
        """Rows in the view (a grouped view counts its total row)."""
        return self._frame().num_rows

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
        aggs = cfg.aggregate_map
        out: dict[str, str] = {}
        if cfg.split_by and not self.column_paths():
            return out  # no split values: no columns at all
        for c in cfg.columns:
            t = self._schema_all[c]
            if cfg.group_by or cfg.group_rollup_mode == "total":
                # "join" keeps the column's type in Perspective's schema, though its
                # values are text.
                t = result_type(aggs[c], t)
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
        """Min and max of an output column (the total row excluded)."""
        w = self._window({})
        # The total row is left out of every split column, not only the first.
        skip = 1 if w.depth is not None and len(w.depth) and w.depth[0] == 0 else 0
        arr = None
        for name, values in w.columns.items():
            if name == column or name.endswith(f"|{column}"):
                if isinstance(values, pa.ChunkedArray):  # flat split columns
                    values = values.combine_chunks()
                values = values.slice(skip)
                arr = values if arr is None else pa.concat_arrays([arr, values])
        if arr is None:
            raise ConfigError(
                f"column {column!r} is not in this view; it has {self.column_paths()}"
            )
        mm = pc.min_max(jsonable(arr)).as_py()
        return mm["min"], mm["max"]

    # -- expand / collapse -------------------------------------------------
    def _path_at(self, row: int) -> tuple:
        frame = self._frame()
        if not isinstance(frame, PivotFrame) or not 0 <= row < frame.num_rows:
            raise ConfigError(f"row {row} is not a group row of this view")
        d = int(frame.depth[row])
        return tuple(frame.paths[i][row].as_py() for i in range(d))

    def expand(self, row: int) -> int:
        """Show the children of group row ``row``; returns how many rows appeared."""
        path = self._path_at(row)
        before = self.num_rows()
        with self._lock:
            self._collapsed.discard(path)
            self._expanded.add(path)
            self._cache = self._layout = None
        return self.num_rows() - before

    def collapse(self, row: int) -> int:
        """Hide the children of group row ``row``; returns how many rows disappeared."""
        path = self._path_at(row)
        before = self.num_rows()
        with self._lock:
            self._expanded.discard(path)
            self._collapsed.add(path)
            self._cache = self._layout = None
        return before - self.num_rows()

    def set_depth(self, depth: int) -> None:
        """Show group levels up to ``depth`` (expand/collapse state is reset)."""
        with self._lock:
            self._depth = depth
            self._expanded.clear()
            self._collapsed.clear()
            self._cache = self._layout = None

    # -- reads -------------------------------------------------------------
    def _window(self, kw: dict[str, Any]) -> Window:
        return self._window_of(self._frame(), kw)

    def _window_of(self, frame: FlatFrame | PivotFrame, kw: dict[str, Any]) -> Window:
        n = frame.num_rows
        start = _bound(kw, "start_row", 0)
        end = _bound(kw, "end_row", n)
        end = min(max(end, start), n)
        start = min(start, end)
        names = (
            list(frame.columns)
            if isinstance(frame, PivotFrame)
            else (frame.split_cols if self._config.split_by else list(self._config.columns))
        )
        c0 = _bound(kw, "start_col", 0)
        c1 = max(_bound(kw, "end_col", len(names)), c0)
        names = names[c0:c1]
        want_id, want_index = bool(kw.get("id")), bool(kw.get("index"))
        if isinstance(frame, PivotFrame):
            rows = np.arange(start, end)
            if kw.get("leaves_only"):
                rows = rows[frame.depth[rows] == len(self._config.group_by)]
            return self._pivot_window(frame, rows, names, kw)
        if frame.order is None:
            part = frame.source.slice(start, end - start)
            ids = frame.ids.slice(start, end - start)
        else:
            sel = frame.order.window(start, end)
            part = frame.source.take(sel)
            ids = frame.ids.take(sel)
        if self._config.split_by:
            paths = frame.split_paths[c0:c1]
            cols = split_window(part, paths, self._config, self._schema_all)
            return Window(cols, ids=ids, want_id=want_id, want_index=want_index)
        # The same rows (a write touched none of them, see RowsMemo) and the
        # same columns: the same window, whose serialised forms it keeps.
        shape = (tuple(names), want_id, want_index)
        memo = self._window_memo
        if memo is not None and memo[0] is part and memo[1] == shape:
            return memo[2]
        cols = {c: part.column(c) for c in names}
        window = Window(cols, ids=ids, want_id=want_id, want_index=want_index)
        self._window_memo = (part, shape, window)
        return window

    def _pivot_window(
        self, frame: PivotFrame, rows: np.ndarray, names: list[str], kw: dict[str, Any]
    ) -> Window:
        """The given rows (positions in ``frame``) of a pivoted view."""
        idx = pa.array(rows, pa.int64())
        if isinstance(frame.columns, LazyColumns):
            columns = frame.columns.take(names, rows)
        else:
            columns = {c: frame.columns[c].take(idx) for c in names}
        paths = None  # a "total" view without group_by has one row and no row paths (as 5.x)
        if self._config.group_by:
            # A layout's row paths do not change with the values: a grid
            # re-reading its viewport after each write takes them once.
            key = rows.tobytes()
            memo = self._paths_memo
            if memo is not None and memo[0] is frame.paths and memo[1] == key:
                paths = memo[2]
            else:
                paths = [p.take(idx) for p in frame.paths]
                self._paths_memo = (frame.paths, key, paths)
        return Window(
            columns,
            self._config.group_by,
            paths,
            frame.depth[rows],
            want_id=bool(kw.get("id")),
            want_index=bool(kw.get("index")),
            aggregates=self._config.aggregate_map,
            group_naming=group_naming(kw),
        )

    # -- callbacks -----------------------------------------------------------
    def on_update(self, callback: Callable[..., None], mode: str | None = None) -> int:
        """Call ``callback(port_id, delta)`` after every table write.

        ``delta`` is ``None``, or with ``mode="row"`` Arrow IPC bytes of the
        view's columns for the view rows the write changed, in view order,
        as Perspective 5.x reports them (see :mod:`.deltas`).
        """
        if mode == "row" and self._config.group_by:
            # Row deltas compare a group's values before and after a write;
            # reading now gives the first write its "before".
            self._frame()
        return self._add_update(callback, mode)

    def delete(self) -> None:
        """Release the view; its callbacks are dropped."""
        with self._lock:
            if self._deleted:
                return
            self._deleted = True
            self._cache = None
            self._update_callbacks.drain()
            callbacks = self._delete_callbacks.drain()
        self._table.release_view(self)
        self._fire_delete(callbacks, "on_delete of a view")

    def _check_alive(self) -> None:
        if self._deleted:
            raise PerspectiveError("this view has been deleted; create a new one with table.view()")

    def _table_updated(
        self,
        port_id: int,
        added: pa.Table | None,
        removed: pa.Table | None,
        reset: bool = False,
    ) -> None:
        self._fire_update(
            port_id,
            lambda: row_delta(self, added, removed, reset),
            f"on_update of a view on table {self._table.get_name()!r}",
        )
