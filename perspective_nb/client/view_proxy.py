"""Client-side ``View`` proxy: perspective-python's View API over the wire.

Serialisers take perspective-python's window keywords (``start_row``,
``end_row``, ``start_col``, ``end_col``, ``id``, ``index``, ``leaves_only``);
subscriptions (``on_update``, ``on_delete``) return ids for their removal.
With an asynchronous client every method returns an awaitable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..engine.arguments import (
    check_callback,
    check_column_name,
    check_depth,
    check_row_index,
    check_window_bound,
)
from ..engine.arrow_ipc import check_compression
from ..errors import ArgumentError, ConfigError, PerspectiveError
from ..protocol import pb
from ..protocol.column_types import column_type_name
from ..protocol.json_text import json_value
from ..protocol.view_config import decode_scalar, decode_view_config

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["View"]


def _min_max_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        # A 5.x server sends a Scalar message here; when its bytes happen to
        # be valid UTF-8 they parse as this (3.x) string field, so re-read them.
        return decode_scalar(pb.Scalar.FromString(text.encode("utf-8")))


def _read_arrow(data: bytes) -> Any:
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


class View:
    """A view opened on a server, seen through a :class:`~.client.Client`.

    Made by ``table.view(...)``, never by calling ``View(...)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ArgumentError(
            "do not call View's constructor directly: open a view with table.view(...)"
        )

    @classmethod
    def _bind(cls, client: Connection, view_id: str, table: Any = None) -> View:
        """The proxy of the view ``view_id`` opened behind ``client`` (on proxy ``table``)."""
        self = cls.__new__(cls)
        self._client = client
        self._id = view_id
        self._table = table  # keeps the Table proxy alive as long as its views
        return self

    def __repr__(self) -> str:
        return f"<View {self._id!r}>"

    @property
    def id(self) -> str:
        """The view's id on the server."""
        return self._id

    def _call(self, field: str, fill=None, decode=None) -> Any:
        return self._client._call(self._id, field, fill, decode)

    def to_sql(self) -> str:
        """The SQL a view of a virtual (DuckDB / Spark) table runs.

        Available from an in-process client (the wire protocol carries no SQL).

        Raises
        ------
        PerspectiveError
            For a view of an in-memory table, or over a websocket.
        """
        server = getattr(self._client, "server", None)
        view = server.get_view(self._id) if hasattr(server, "get_view") else None
        if view is None or not hasattr(view, "to_sql"):
            raise PerspectiveError(
                "to_sql() is for views of virtual (DuckDB / Spark) tables, read through an "
                "in-process client (server.new_local_client())"
            )
        return view.to_sql()

    def _window(
        self,
        field: str,
        decode: Callable[[Any], Any],
        start_row: int | None = None,
        end_row: int | None = None,
        start_col: int | None = None,
        end_col: int | None = None,
        id: bool | None = None,
        index: bool | None = None,
        formatted: bool | None = None,
        leaves_only: bool | None = None,
        compression: str | None = None,
        emit_legacy_row_path_names: bool | None = None,
        **_ignored: Any,
    ) -> Any:
        def fill(body: Any) -> None:
            port = body.viewport
            port.SetInParent()
            if emit_legacy_row_path_names is not None:
                port.emit_legacy_row_path_names = bool(emit_legacy_row_path_names)
            for name, value in (
                ("start_row", start_row),
                ("end_row", end_row),
                ("start_col", start_col),
                ("end_col", end_col),
            ):
                bound = check_window_bound(name, value)
                if bound is not None:
                    setattr(port, name, bound)
            fields = body.DESCRIPTOR.fields_by_name
            for name, value in (
                ("id", id),
                ("index", index),
                ("formatted", formatted),
                ("leaves_only", leaves_only),
            ):
                if value is not None and name in fields:
                    setattr(body, name, bool(value))
            if compression is not None and "compression" in fields:
                body.compression = compression

        return self._call(field, fill, decode)

    # -- serialisers --------------------------------------------------------

    def to_arrow(self, compression: str | None = None, **window: Any) -> Any:
        """The viewport as Arrow IPC stream bytes.

        Parameters
        ----------
        compression : {"lz4", "zstd"}, optional
            Compress the record batch bodies (uncompressed when omitted).
        """
        check_compression(compression)
        return self._window(
            "view_to_arrow_req", lambda body: body.arrow, compression=compression, **window
        )

    def to_columns_string(self, **window: Any) -> Any:
        """The viewport as a JSON object of columns."""
        return self._window("view_to_columns_string_req", lambda b: str(b.json_string), **window)

    def to_columns(self, **window: Any) -> Any:
        """The viewport as ``{column: [values]}``."""
        return self._window(
            "view_to_columns_string_req", lambda b: json_value(b.json_string), **window
        )

    def to_json_string(self, **window: Any) -> Any:
        """The viewport as a JSON array of row objects."""
        return self._window("view_to_rows_string_req", lambda b: str(b.json_string), **window)

    def to_records(self, **window: Any) -> Any:
        """The viewport as a list of row dicts."""
        return self._window(
            "view_to_rows_string_req", lambda b: json_value(b.json_string), **window
        )

    to_json = to_records

    def to_ndjson(self, **window: Any) -> Any:
        """The viewport as newline-delimited JSON rows."""
        return self._window("view_to_ndjson_string_req", lambda b: b.ndjson_string, **window)

    def to_csv(self, **window: Any) -> Any:
        """The viewport as CSV text."""
        return self._window("view_to_csv_req", lambda b: b.csv, **window)

    def to_pandas(self, **window: Any) -> Any:
        """The viewport as a pandas DataFrame (via Arrow)."""
        return self._window(
            "view_to_arrow_req", lambda b: _read_arrow(b.arrow).to_pandas(), **window
        )

    to_dataframe = to_pandas

    def to_polars(self, **window: Any) -> Any:
        """The viewport as a polars DataFrame (via Arrow)."""

        def decode(body: pb.ViewToArrowResp) -> Any:
            import polars

            return polars.from_arrow(_read_arrow(body.arrow))

        return self._window("view_to_arrow_req", decode, **window)

    # -- metadata -----------------------------------------------------------

    def schema(self) -> Any:
        """``{column: type name}`` of the view's columns."""
        return self._call(
            "view_schema_req",
            None,
            lambda b: {k: column_type_name(v) for k, v in b.schema.items()},
        )

    def expression_schema(self) -> Any:
        """``{alias: type name}`` of the view's expressions."""
        return self._call(
            "view_expression_schema_req",
            None,
            lambda b: {k: column_type_name(v) for k, v in b.schema.items()},
        )

    def dimensions(self) -> Any:
        """Row and column counts of the table and of the view."""

        def decode(b: pb.ViewDimensionsResp) -> dict[str, int]:
            return {
                "num_table_rows": b.num_table_rows,
                "num_table_columns": b.num_table_columns,
                "num_view_rows": b.num_view_rows,
                "num_view_columns": b.num_view_columns,
            }

        return self._call("view_dimensions_req", None, decode)

    def num_rows(self) -> Any:
        """Rows in the view (a grouped view counts its total row)."""
        return self._call("view_dimensions_req", None, lambda b: b.num_view_rows)

    def num_columns(self) -> Any:
        """Columns in the view."""
        return self._call("view_dimensions_req", None, lambda b: b.num_view_columns)

    def column_paths(self, start_col: int | None = None, end_col: int | None = None) -> Any:
        """The column paths as Perspective 5.x returns them: one list per
        ``split_by`` column holding each column's split value (typed: numbers,
        dates and datetimes as floats, epoch milliseconds for the latter),
        then the list of column names. ``[["x", "y"]]`` without ``split_by``.
        """

        def fill(body: pb.ViewColumnPathsReq) -> None:
            for name, value in (("start_col", start_col), ("end_col", end_col)):
                bound = check_window_bound(name, value)
                if bound is not None:
                    setattr(body, name, bound)

        return self._call("view_column_paths_req", fill, _column_path_levels)

    def get_config(self) -> Any:
        """The view's config, as the engine normalised it."""
        return self._call("view_get_config_req", None, lambda b: decode_view_config(b.config))

    def get_min_max(self, column: str) -> Any:
        """``(min, max)`` of a column of the view."""
        check_column_name("get_min_max", column)
        return self._call(
            "view_get_min_max_req",
            lambda body: setattr(body, "column_name", column),
            lambda b: (_min_max_value(b.min), _min_max_value(b.max)),
        )

    # -- tree state -----------------------------------------------------------

    def expand(self, row_index: int) -> Any:
        """Expand a collapsed group row; return how many rows changed."""
        row_index = check_row_index(row_index)
        return self._call(
            "view_expand_req",
            lambda body: setattr(body, "row_index", row_index),
            lambda b: b.num_changed,
        )

    def collapse(self, row_index: int) -> Any:
        """Collapse a group row; return how many rows changed."""
        row_index = check_row_index(row_index)
        return self._call(
            "view_collapse_req",
            lambda body: setattr(body, "row_index", row_index),
            lambda b: b.num_changed,
        )

    def set_depth(self, depth: int) -> Any:
        """Expand every group down to ``depth``."""
        depth = check_depth(depth)
        return self._call(
            "view_set_depth_req", lambda body: setattr(body, "depth", depth), lambda _: None
        )

    # -- subscriptions and lifetime -----------------------------------------

    def on_update(self, callback: Callable[..., Any], mode: str | None = None) -> Any:
        """Call ``callback(port_id)`` after each table update; return an id.

        With ``mode="row"`` the callback gets ``(port_id, delta)``, ``delta``
        being the changed rows as Arrow IPC bytes.
        """
        check_callback(callback, "on_update")
        if mode not in (None, "row"):
            raise ConfigError(f"unknown on_update mode {mode!r}; use None or 'row'")
        client = self._client

        def on_message(response: pb.Response, body: Any) -> None:
            if mode == "row":
                delta = body.delta if body.HasField("delta") else None
                client._dispatch_callback(callback, body.port_id, delta)
            else:
                client._dispatch_callback(callback, body.port_id)

        def fill(body: pb.ViewOnUpdateReq) -> None:
            if mode == "row":
                body.mode = pb.ViewOnUpdateReq.ROW

        return client._subscribe(self._id, "view_on_update_req", on_message, fill)

    def remove_update(self, callback_id: int) -> Any:
        """Stop a callback registered with :meth:`on_update`."""
        return self._client._unsubscribe(self._id, "view_remove_on_update_req", callback_id)

    def on_delete(self, callback: Callable[[], Any]) -> Any:
        """Call ``callback()`` when the view is deleted; return an id."""
        check_callback(callback, "on_delete")
        return self._client._subscribe_delete(self._id, "view_on_delete_req", callback)

    def remove_delete(self, callback_id: int) -> Any:
        """Stop a callback registered with :meth:`on_delete`."""
        return self._client._unsubscribe(self._id, "view_remove_delete_req", callback_id)

    def delete(self) -> Any:
        """Delete the view on the server."""
        return self._call("view_delete_req", None, lambda _: self._client._drop_streams(self._id))


def _column_path_levels(body: pb.ViewColumnPathsResp) -> list[list[Any]]:
    if body.levels:
        return [[decode_scalar(v) for v in level.values] for level in body.levels]
    # A server that sends joined names only: one level of names.
    return [list(body.paths)]
