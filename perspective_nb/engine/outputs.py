"""Serialise a window of a view into Perspective's output formats.

A :class:`Window` is the rows and columns a caller asked for (already
sliced); this module turns it into columns dicts, records, JSON, NDJSON,
CSV and Arrow IPC exactly in Perspective's shapes: ``__ROW_PATH__`` first
for grouped views, ``__ID__`` / ``__INDEX__`` when asked, dates and
datetimes as epoch milliseconds in the JSON-like formats. In Arrow and CSV
a grouped view's row path becomes one column per group-by level, named as
Perspective 5.x names it: the column's own name, an aggregate of the same
column then being ``"<col> (<aggregate>)"``; ``group_naming`` gives 3.x's
``"<col> (Group by N)"`` instead.

Pure pyarrow.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .arrow_ipc import check_compression, compress_stream

__all__ = [
    "RESERVED_COLUMN_NAMES",
    "Window",
    "WindowOutputs",
    "group_by_column_name",
    "group_naming",
    "jsonable",
]

#: Names the JSON-like outputs add beside the view's columns; a table column
#: or expression of one of these names would be overwritten, so ingest and
#: config refuse them.
RESERVED_COLUMN_NAMES = ("__ROW_PATH__", "__ID__", "__INDEX__")


def group_by_column_name(column: str, level: int) -> str:
    """The 3.x Arrow / CSV name of group-by level ``level`` (0-based) of ``column``."""
    return f"{column} (Group by {level + 1})"


def group_naming(kw: dict[str, Any]) -> str:
    """How Arrow / CSV name group-by columns: ``emit_legacy_row_path_names``
    (5.x: True "<col> (Group by N)", False "__ROW_PATH_N__"), or
    ``legacy_group_names=True`` (3.x); by default as their columns."""
    emit = kw.get("emit_legacy_row_path_names")
    if emit is not None:
        return "legacy" if emit else "row_path"
    return "legacy" if kw.get("legacy_group_names") else "column"


def _arrow_names(
    group_by: tuple[str, ...], columns: list[str], aggregates: dict[str, Any], naming: str
) -> tuple[list[str], list[str]]:
    """Arrow / CSV names of the group-by levels and of the columns."""
    if naming == "legacy":
        return [group_by_column_name(c, i) for i, c in enumerate(group_by)], list(columns)
    if naming == "row_path":
        return [f"__ROW_PATH_{i}__" for i in range(len(group_by))], list(columns)
    grouped = set(group_by)
    named = [f"{c} ({aggregates.get(c, 'count')})" if c in grouped else c for c in columns]
    return list(group_by), named


# The to_columns entries whose cells are lists (row paths and keys).
_LIST_CELLS = frozenset({"__ROW_PATH__", "__ID__", "__INDEX__"})


@dataclass
class Window:
    """A slice of a computed view."""

    columns: dict[str, pa.Array]
    group_by: tuple[str, ...] = ()
    paths: list[pa.Array] | None = None  # one array per group_by level (grouped views)
    depth: Any = None  # numpy int array, row depth (grouped views)
    ids: pa.Array | None = None  # primary keys (flat views)
    want_id: bool = False
    want_index: bool = False
    aggregates: dict[str, Any] | None = None  # column -> aggregate (grouped views)
    # Arrow / CSV group-by column names: "column" (5.x), "legacy" ("<col>
    # (Group by N)", 3.x) or "row_path" ("__ROW_PATH_N__", 5.x on request)
    group_naming: str = "column"
    _lists: dict[str, list[Any]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def num_rows(self) -> int:
        if self.depth is not None:
            return len(self.depth)
        if self.columns:
            return len(next(iter(self.columns.values())))
        return 0 if self.ids is None else len(self.ids)

    # -- JSON-like ---------------------------------------------------------
    def _path_lists(self) -> list[list[Any]]:
        vals = [jsonable(p).to_pylist() for p in (self.paths or [])]
        depth = self.depth.tolist()
        # Building one list per row is inherent to this output format.
        return [[v[r] for v in vals[:d]] for r, d in enumerate(depth)]

    def to_columns(self) -> dict[str, list[Any]]:
        # A view hands out the same window while no write touches its rows:
        # its lists are made once and copied (a caller may change them).
        if self._lists is None:
            self._lists = self._make_columns()
        return {
            k: [list(x) for x in v] if k in _LIST_CELLS else list(v) for k, v in self._lists.items()
        }

    def _make_columns(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        if self.paths is not None:
            paths = self._path_lists()
            out["__ROW_PATH__"] = paths
            if self.want_id:
                out["__ID__"] = [list(p) for p in paths]
        for name, arr in self.columns.items():
            out[name] = _finite(jsonable(arr)).to_pylist()
        if self.paths is None and self.ids is not None and (self.want_id or self.want_index):
            # Flat views list the row keys after the columns.
            keys = [[k] for k in jsonable(self.ids).to_pylist()]
            if self.want_index:
                out["__INDEX__"] = keys
            if self.want_id:
                out["__ID__"] = [list(k) for k in keys]
        return out

    def to_records(self) -> list[dict[str, Any]]:
        cols = self.to_columns()
        names = list(cols)
        return (
            [dict(zip(names, row, strict=False)) for row in zip(*cols.values(), strict=False)]
            if names
            else []
        )

    def to_columns_string(self) -> str:
        return json.dumps(self.to_columns(), separators=(",", ":"))

    def to_json_string(self) -> str:
        return json.dumps(self.to_records(), separators=(",", ":"))

    def to_ndjson(self) -> str:
        return "\n".join(json.dumps(r, separators=(",", ":")) for r in self.to_records())

    # -- Arrow / CSV -------------------------------------------------------
    def to_table(self) -> pa.Table:
        names: list[str] = []
        arrays: list[pa.Array] = []
        column_names = list(self.columns)
        if self.paths is not None:
            group_names, column_names = _arrow_names(
                self.group_by, column_names, self.aggregates or {}, self.group_naming
            )
            for i, (name, p) in enumerate(zip(group_names, self.paths, strict=False)):
                shown = pa.array(self.depth > i)
                names.append(name)
                arrays.append(_arrow_out(pc.if_else(shown, p, pa.nulls(len(p), p.type))))
        for name, arr in zip(column_names, self.columns.values(), strict=True):
            names.append(name)
            arrays.append(_arrow_out(arr))
        return pa.Table.from_arrays(arrays, names=names) if names else pa.table({})

    def to_arrow(self) -> bytes:
        tbl = self.to_table()
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, tbl.schema) as writer:
            writer.write_table(tbl)
        return sink.getvalue()

    def to_csv(self) -> str:
        tbl = self.to_table()
        if tbl.num_columns == 0:
            return ""
        cols = []
        for col in tbl.columns:
            if pa.types.is_dictionary(col.type):
                col = col.cast(col.type.value_type)
            cols.append(col)
        tbl = pa.Table.from_arrays(cols, names=tbl.column_names)
        sink = io.BytesIO()
        pacsv.write_csv(tbl, sink, pacsv.WriteOptions(quoting_style="needed"))
        return sink.getvalue().decode()


def _arrow_out(arr: pa.Array) -> pa.Array:
    """Perspective's Arrow output types: ms timestamps, dictionary-encoded strings."""
    if pa.types.is_timestamp(arr.type) and arr.type.unit != "ms":
        return arr.cast(pa.timestamp("ms", arr.type.tz))
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return pc.dictionary_encode(arr.cast(pa.string())).cast(
            pa.dictionary(pa.int32(), pa.string())
        )
    return arr


def jsonable(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Dates and datetimes become epoch milliseconds, as Perspective's JSON has them."""
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_date(t):
        return pc.multiply(arr.cast(pa.date32()).cast(pa.int32()).cast(pa.int64()), 86_400_000)
    if pa.types.is_timestamp(t):
        return arr.cast(pa.timestamp("ms", t.tz)).cast(pa.int64())
    return arr


def _finite(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """NaN and infinities as null: JSON has neither, and Perspective reports null."""
    if not pa.types.is_floating(arr.type):
        return arr
    finite = pc.is_finite(arr)
    if pc.all(finite).as_py() is not False:
        return arr
    return pc.if_else(finite, arr, pa.nulls(len(arr), arr.type))


class WindowOutputs:
    """Every output format of a view, from its :class:`Window` (a mixin).

    The view provides ``_window(kw)``: the rows and columns a read asks for
    (``start_row``, ``end_row``, ``start_col``, ``end_col``, ``id``,
    ``index``, ``leaves_only``, naming options); each format here only
    serialises that window, so in-memory and virtual views answer alike.
    """

    def _window(self, kw: dict[str, Any]) -> Window:
        raise NotImplementedError

    def to_columns(self, **window: Any) -> dict[str, list[Any]]:
        """The view as ``{column: [values]}`` (Perspective's ``to_columns``)."""
        return self._window(window).to_columns()

    def to_columns_string(self, **window: Any) -> str:
        """``to_columns`` as a JSON string."""
        return self._window(window).to_columns_string()

    def to_records(self, **window: Any) -> list[dict[str, Any]]:
        """The view as a list of row dicts."""
        return self._window(window).to_records()

    to_json = to_records

    def to_json_string(self, **window: Any) -> str:
        """``to_records`` as a JSON string."""
        return self._window(window).to_json_string()

    def to_ndjson(self, **window: Any) -> str:
        """Newline-delimited JSON rows."""
        return self._window(window).to_ndjson()

    def to_csv(self, **window: Any) -> str:
        """CSV text with a quoted header row.

        A grouped view's row path comes first, one column per group-by level
        named as its column (Perspective 5.x); an aggregate of a group-by
        column is then named ``"<col> (<aggregate>)"``. With
        ``legacy_group_names=True`` (or ``emit_legacy_row_path_names=True``)
        the levels are named as Perspective 3.x names them, ``"<col> (Group
        by N)"``, with ``emit_legacy_row_path_names=False`` ``"__ROW_PATH_N__"``
        (N from 0); aggregates then keep their names.
        """
        return self._window(window).to_csv()

    def to_arrow(self, compression: str | None = None, **window: Any) -> bytes:
        """Arrow IPC stream bytes (columns named as :meth:`to_csv` names them);
        ``compression``: ``"lz4"``, ``"zstd"`` or None."""
        check_compression(compression)
        return compress_stream(self._window(window).to_arrow(), compression)

    def to_table(self, **window: Any) -> pa.Table:
        """The window as a ``pa.Table`` (what ``to_arrow`` serialises)."""
        return self._window(window).to_table()

    def to_pandas(self, **window: Any) -> Any:
        """A pandas DataFrame."""
        return self.to_table(**window).to_pandas()

    to_dataframe = to_pandas

    def to_polars(self, **window: Any) -> Any:
        """A polars DataFrame."""
        import polars as pl

        return pl.from_arrow(self.to_table(**window))
