"""Client-side ``Table`` proxy: perspective-python's Table API over the wire.

Every method builds one request, sends it through its :class:`~.client.Client`
and decodes the reply, so local and remote clients share this code. With an
asynchronous client the same methods return awaitables.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..engine.arguments import check_callback, check_keys_argument, check_port_id
from ..engine.config_shape import check_config_shape
from ..engine.expressions import normalize_expressions
from ..errors import ArgumentError, PerspectiveError
from ..protocol import pb
from ..protocol.column_types import column_type_name, schema_from_pairs
from ..protocol.table_data import encode_keys, encode_table_data
from ..protocol.view_config import encode_view_config
from .view_proxy import View

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ["Table"]

_ID_ALPHABET = string.ascii_letters

#: The index / limit of a table made from a view: the server knows them.
INHERITED = object()


def _new_view_id() -> str:
    # Same shape as the JS client's ids: 21 random letters.
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(21))


class Table:
    """A table hosted by a server, seen through a :class:`~.client.Client`.

    Made by ``client.table(data)`` or ``client.open_table(name)``, never by
    calling ``Table(...)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ArgumentError(
            "do not call Table's constructor directly: create a table with "
            "client.table(data) or open a hosted one with client.open_table(name)"
        )

    @classmethod
    def _bind(
        cls, client: Connection, name: str, index: str | None = None, limit: int | None = None
    ) -> Table:
        """The proxy of the table ``name`` hosted behind ``client``."""
        self = cls.__new__(cls)
        self._client = client
        self._name = name
        self._index = index
        self._limit = limit
        return self

    def __repr__(self) -> str:
        return f"<Table {self._name!r}>"

    def _call(self, field: str, fill=None, decode=None) -> Any:
        return self._client._call(self._name, field, fill, decode)

    def get_name(self) -> str:
        """The name the table is hosted under."""
        return self._name

    def get_index(self) -> Any:
        """The primary-key column, if any."""
        if self._index is INHERITED:
            return self._hosted_info(lambda info: info.index if info.HasField("index") else None)
        return self._index

    def get_limit(self) -> Any:
        """The row limit, if any."""
        if self._limit is INHERITED:
            return self._hosted_info(lambda info: info.limit if info.HasField("limit") else None)
        return self._limit

    def _hosted_info(self, pick: Callable[[Any], Any]) -> Any:
        """Ask the server for this table's index or limit (tables made from a view
        inherit them from the view's table)."""

        def decode(body: pb.GetHostedTablesResp) -> Any:
            for info in body.table_infos:
                if info.entity_id == self._name:
                    return pick(info)
            return None

        return self._client._call("", "get_hosted_tables_req", None, decode)

    def get_client(self) -> Connection:
        """The client this proxy talks through."""
        return self._client

    def schema(self) -> Any:
        """``{column: type name}`` in table column order."""
        return self._call("table_schema_req", None, lambda body: schema_from_pairs(body.schema))

    def columns(self) -> Any:
        """Column names in table order."""
        return self._call(
            "table_schema_req", None, lambda body: list(schema_from_pairs(body.schema))
        )

    def size(self) -> Any:
        """Number of rows."""
        return self._call("table_size_req", None, lambda body: body.size)

    def make_port(self) -> Any:
        """Open a new input port; updates sent through it report its id."""
        return self._call("table_make_port_req", None, lambda body: body.port_id)

    def update(self, data: Any, port_id: int | None = None, format: str | None = None) -> Any:
        """Append (or, with an index, upsert) ``data``, reported as from ``port_id``."""
        port = check_port_id(port_id)

        def fill(body: pb.TableUpdateReq) -> None:
            self._client._encode_data(data, body.data, format)
            body.port_id = port

        return self._call("table_update_req", fill, lambda _: None)

    def remove(self, keys: Any, format: str | None = None) -> Any:
        """Remove the rows whose primary keys are in ``keys`` (row numbers without an index)."""
        if format is None or not isinstance(keys, (str, bytes)):
            check_keys_argument(keys)

        def fill(body: pb.TableRemoveReq) -> None:
            if format is not None and isinstance(keys, (str, bytes)):
                encode_table_data(keys, body.data, format)
            else:
                encode_keys(keys, body.data)

        return self._call("table_remove_req", fill, lambda _: None)

    def replace(self, data: Any, format: str | None = None) -> Any:
        """Replace every row with ``data`` (same schema)."""
        return self._call(
            "table_replace_req",
            lambda body: self._client._encode_data(data, body.data, format),
            lambda _: None,
        )

    def clear(self) -> Any:
        """Remove every row, keeping the schema."""
        return self._call(
            "table_replace_req", lambda body: setattr(body.data, "from_rows", "[]"), lambda _: None
        )

    def refresh(self) -> None:
        """Re-read a virtual (DuckDB / Spark) table after others changed its rows.

        Its views recompute and fire ``on_update``. Available from an
        in-process client; a server-side ``poll_interval`` does the same for
        remote clients.

        Raises
        ------
        PerspectiveError
            For an in-memory table, or over a websocket.
        """
        server = getattr(self._client, "server", None)
        table = server.get_table(self._name) if hasattr(server, "get_table") else None
        if table is None or not hasattr(table, "refresh"):
            raise PerspectiveError(
                "refresh() is for virtual (DuckDB / Spark) tables, through an in-process "
                "client (server.new_local_client())"
            )
        table.refresh()

    def delete(self, lazy: bool = False) -> Any:
        """Delete the table (fails while views are open on it)."""
        return self._call(
            "table_delete_req",
            lambda body: setattr(body, "is_immediate", not lazy),
            lambda _: self._client._drop_streams(self._name),
        )

    def on_delete(self, callback: Callable[[], Any]) -> Any:
        """Call ``callback()`` when the table is deleted; return an id."""
        check_callback(callback, "on_delete")
        return self._client._subscribe_delete(self._name, "table_on_delete_req", callback)

    def remove_delete(self, callback_id: int) -> Any:
        """Stop a callback registered with :meth:`on_delete`."""
        return self._client._unsubscribe(self._name, "table_remove_delete_req", callback_id)

    def validate_expressions(self, expressions: dict[str, str] | list[str]) -> Any:
        """Type-check expressions; return their schema, errors and aliases."""
        expressions = normalize_expressions(expressions)

        def decode(body: pb.TableValidateExprResp) -> dict[str, Any]:
            return {
                "expression_schema": {
                    k: column_type_name(v) for k, v in body.expression_schema.items()
                },
                "errors": {
                    k: {"error_message": e.error_message, "line": e.line, "column": e.column}
                    for k, e in body.errors.items()
                },
                "expression_alias": dict(body.expression_alias),
            }

        return self._call(
            "table_validate_expr_req",
            lambda body: body.column_to_expr.update(expressions),
            decode,
        )

    def view(self, **config: Any) -> Any:
        """Open a view (a query) on this table; see the engine's ``Table.view``."""
        check_config_shape(config)
        view_id = _new_view_id()
        message = encode_view_config(config)

        def fill(body: pb.TableMakeViewReq) -> None:
            body.view_id = view_id
            body.config.CopyFrom(message)

        return self._call(
            "table_make_view_req", fill, lambda body: View._bind(self._client, body.view_id, self)
        )
