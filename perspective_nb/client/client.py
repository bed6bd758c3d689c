"""perspective-python's ``Client``: create, open and list tables on a server.

:class:`Client` works over any transport. Constructed directly,
``Client(handle_request, close_cb=None, name=None)`` passes each encoded
request to ``handle_request(bytes)`` and expects the transport to bring each
response back through :meth:`Client.handle_response` (from any thread; a
synchronous call blocks until its reply arrives). :meth:`Client.from_server`
and ``Server.new_local_client()`` give an in-process client
(:class:`~.local.LocalClient`); :func:`~perspective_nb.websocket` a remote
one (:mod:`.remote`). All share this API and the
:class:`~.table_proxy.Table` / :class:`~.view_proxy.View` proxies, so there is
one implementation of every operation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..engine.arguments import check_callback, check_index, check_limit, check_table_name
from ..engine.derived import check_no_options
from ..engine.dtypes import parse_type_name
from ..engine.join import check_join_type
from ..engine.nested import check_list_flatten
from ..errors import ArgumentError, PerspectiveError, TableNotFoundError
from ..protocol import pb
from ..protocol.column_types import schema_to_pairs
from .connection import Connection
from .table_proxy import INHERITED, Table
from .view_proxy import View

__all__ = ["Client"]

_LIST_FLATTEN = {"zip": pb.ZIP, "cartesian": pb.CARTESIAN, "stringify": pb.STRINGIFY}
_JOIN_TYPES = {"inner": pb.INNER, "left": pb.LEFT, "outer": pb.OUTER}


def _table_name(table: Any, side: str) -> str:
    """The hosted name of a join source (a Table proxy or a name)."""
    if isinstance(table, Table):
        return table.get_name()
    if isinstance(table, str):
        return table
    raise ArgumentError(
        f"the {side} table of a join must be a Table or a hosted table's name (str), "
        f"got {type(table).__name__}"
    )


class Client(Connection):
    """A connection to a perspective_nb (or Perspective) server.

    Parameters
    ----------
    handle_request : callable, optional
        ``handle_request(bytes)`` delivers one encoded request to the server
        (e.g. ``session.handle_request`` of ``Server.new_session``); feed its
        responses to :meth:`handle_response`. Clients made by
        :meth:`from_server`, ``Server.new_local_client()`` and
        :func:`perspective_nb.websocket` bring their own transport.
    close_cb : callable, optional
        Called once by :meth:`terminate`.
    name : str, optional
        A label for this client (shown in its ``repr``).

    Examples
    --------
    >>> from perspective_nb import Server
    >>> server = Server()
    >>> session = server.new_session(lambda response: client.handle_response(response))
    >>> client = Client(session.handle_request)
    >>> client.table({"a": [1, 2]}, name="t").size()
    2
    """

    #: Whether table data reaches the server by reference (in-process clients).
    _in_process = False

    def __init__(
        self,
        handle_request: Callable[[bytes], Any] | None = None,
        close_cb: Callable[[], Any] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__()
        self._handle_request = handle_request
        self._close_cb = close_cb
        self.name = name
        #: Runs callbacks as ``loop_callback(function, *args)`` (see :meth:`from_server`).
        self._loop_callback: Callable[..., Any] | None = None

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<{type(self).__name__}{label}>"

    def _send(self, data: bytes) -> None:
        if self._handle_request is None:
            raise PerspectiveError(
                "this Client has no transport; construct it as Client(handle_request) "
                "or use Server().new_local_client()"
            )
        self._handle_request(data)

    def _dispatch_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        if self._loop_callback is not None:
            self._loop_callback(callback, *args)
        else:
            callback(*args)

    @classmethod
    def from_server(cls, server: Any, loop_callback: Callable[..., Any] | None = None) -> Client:
        """An in-process client of ``server`` (the same as ``server.new_local_client()``).

        Parameters
        ----------
        server : Server
            The server to connect to.
        loop_callback : callable, optional
            Runs the client's callbacks (``on_update`` and friends):
            ``loop_callback(function, *args)``, e.g.
            ``loop.call_soon_threadsafe`` to run them on an event loop.
        """
        return server.new_local_client(loop_callback=loop_callback)

    # -- public API -------------------------------------------------------

    def table(
        self,
        data: Any,
        limit: int | None = None,
        index: str | None = None,
        name: str | None = None,
        format: str | None = None,
        page_to_disk: bool | None = None,
        list_flatten: str | None = None,
        schema: dict[str, Any] | None = None,
        connection: Any = None,
        poll_interval: float | None = None,
    ) -> Any:
        """Create a table on the server from ``data`` and return its proxy.

        Parameters
        ----------
        data
            A pyarrow Table/RecordBatch, Arrow IPC bytes, a pandas or polars
            DataFrame, a dict of columns, a list of row dicts, CSV/JSON/NDJSON
            text, a schema ``{column: type name}``, or a View of this client:
            a read-only table of the view's rows that follows every update of
            the view's table (its ``index`` and ``limit`` are inherited).
        name
            The name to host it under (default: a random id).
        index
            A primary-key column: updates with an existing key replace rows.
        limit
            Keep at most this many rows (oldest rows are overwritten).
        format
            How to read ``str``/``bytes`` data: ``csv``, ``json``, ``columns``,
            ``ndjson`` or ``arrow`` (default: inferred).
        page_to_disk
            Keep the table's columns in a memory-mapped temporary file
            instead of memory (same results; see ARCHITECTURE.md).
        list_flatten
            How list columns of Arrow input become rows: ``"zip"`` (default:
            a row per list element, lists of a row side by side),
            ``"cartesian"`` (a row per combination) or ``"stringify"`` (each
            list as JSON text). Struct columns always become dotted columns
            (``p.a``, ``p.b``).
        schema
            For a table made from a View: its columns ``{name: type}``
            (a column the view lacks is null, one left out is dropped).
        connection
            With an in-process client: ``data`` is a table name (or relation)
            of this DuckDB connection or Spark session, hosted as a virtual
            table (its rows stay in the database; a DuckDB table is written
            by ``update``/``remove``). A DuckDB relation or Spark DataFrame
            passed as ``data`` is hosted the same way without it (read-only).
        poll_interval
            Seconds between checks of a virtual table for changes made by
            others (see ``VirtualTable.refresh``).

        Examples
        --------
        >>> table = client.table({"x": [1, 2]}, name="xs")  # doctest: +SKIP
        >>> table.size()  # doctest: +SKIP
        2
        """
        if index is not None and limit is not None:
            raise PerspectiveError("a table takes index or limit, not both; drop one")
        if isinstance(data, View):
            check_no_options(index, limit)
        elif schema is not None:
            raise ArgumentError(
                "schema= applies to a table made from a View; for other data pass the "
                "schema itself as the data, then update() with the rows"
            )
        types = None if schema is None else {str(k): parse_type_name(v) for k, v in schema.items()}
        if connection is not None or poll_interval is not None:
            from ..virtual import Hosted

            if name is None and isinstance(data, str):
                name = data
            if not self._in_process:
                raise PerspectiveError(
                    "connection= hosts a database table, which needs an in-process client "
                    "(server.new_local_client()); a remote client can open_table() it once "
                    "the server hosts it"
                )
            data = Hosted(data, connection, poll_interval)
        name = str(uuid.uuid4()) if name is None else check_table_name(name)
        index, limit = check_index(index), check_limit(limit)
        flatten = None if list_flatten is None else check_list_flatten(list_flatten)
        if page_to_disk is not None and not isinstance(page_to_disk, bool):
            raise ArgumentError(f"page_to_disk must be True or False, got {page_to_disk!r}")

        def fill(body: pb.MakeTableReq) -> None:
            if isinstance(data, View):  # a copy of a view on the same server
                body.data.from_view = data.id
            else:
                self._encode_data(data, body.data, format)
            if index is not None:
                body.options.make_index_table = index
            elif limit is not None:
                body.options.make_limit_table = limit
            if page_to_disk:
                body.options.page_to_disk = True
            if flatten is not None:
                body.options.list_flatten = _LIST_FLATTEN[flatten]
            if types is not None:
                schema_to_pairs(types, body.options.schema)
                body.options.schema.SetInParent()

        return self._call(
            name,
            "make_table_req",
            fill,
            lambda _: (
                Table._bind(self, name, index=INHERITED, limit=INHERITED)
                if isinstance(data, View)
                else Table._bind(self, name, index=index, limit=limit)
            ),
        )

    def join(
        self,
        left: Any,
        right: Any,
        on: str,
        join_type: str | None = None,
        name: str | None = None,
        right_on: str | None = None,
    ) -> Any:
        """Host a read-only table joining ``left`` and ``right`` on a key column.

        The join follows its sources: every update, remove, replace or clear
        of either recomputes it, and views of it fire ``on_update``. Its
        columns are the key (named ``on``), the left table's other columns,
        then the right table's other columns; rows keep the left table's
        order (each followed by its matches in the right table's order), an
        outer join's unmatched right rows last.

        Parameters
        ----------
        left, right
            Tables of this client (proxies) or the names of hosted tables.
        on
            The key column of ``left`` (and of ``right`` unless ``right_on``).
        join_type : {"inner", "left", "outer"}, optional
            Default ``"inner"``.
        name
            The name to host the join under (default: a random id).
        right_on
            The key column of ``right``, when named differently.

        Raises
        ------
        PerspectiveError
            For a key column a table lacks, key columns of different types,
            a non-key column name both tables have, or an unknown table.

        Examples
        --------
        >>> joined = client.join(orders, products, "product_id", "left")  # doctest: +SKIP
        """
        kind = check_join_type(join_type)
        left_name, right_name = _table_name(left, "left"), _table_name(right, "right")
        for arg, value in (("on", on), ("right_on", right_on)):
            if value is not None and not isinstance(value, str):
                raise ArgumentError(f"{arg} must be a column name (str), got {value!r}")
        name = str(uuid.uuid4()) if name is None else check_table_name(name)

        def fill(body: pb.MakeJoinTableReq) -> None:
            body.left_table_id = left_name
            body.right_table_id = right_name
            body.on_column = on
            body.join_type = _JOIN_TYPES[kind]
            if right_on is not None:
                body.right_on_column = right_on

        return self._call(
            name, "make_join_table_req", fill, lambda _: Table._bind(self, name, index=on)
        )

    def open_table(self, name: str) -> Any:
        """Return a proxy of the hosted table ``name``.

        Raises
        ------
        TableNotFoundError
            When no table of that name is hosted.
        """

        def decode(body: pb.GetHostedTablesResp) -> Table:
            for info in body.table_infos:
                if info.entity_id == name:
                    index = info.index if info.HasField("index") else None
                    limit = info.limit if info.HasField("limit") else None
                    return Table._bind(self, name, index=index, limit=limit)
            names = [info.entity_id for info in body.table_infos]
            raise TableNotFoundError(f"no table named {name!r} is hosted; hosted: {names}")

        return self._call("", "get_hosted_tables_req", None, decode)

    def get_hosted_table_names(self) -> Any:
        """Names of every table the server hosts."""
        return self._call(
            "",
            "get_hosted_tables_req",
            None,
            lambda body: [info.entity_id for info in body.table_infos],
        )

    def on_hosted_tables_update(self, callback: Callable[[], Any]) -> Any:
        """Call ``callback()`` whenever a table is created or deleted; return an id."""
        check_callback(callback, "on_hosted_tables_update")

        def on_message(response: pb.Response, body: Any) -> None:
            self._dispatch_callback(callback)

        return self._subscribe(
            "", "get_hosted_tables_req", on_message, lambda body: setattr(body, "subscribe", True)
        )

    def remove_hosted_tables_update(self, callback_id: int) -> Any:
        """Stop a callback registered with :meth:`on_hosted_tables_update`."""
        return self._unsubscribe("", "remove_hosted_tables_update_req", callback_id)

    def get_features(self) -> Any:
        """The server's features message (filter ops and aggregates per type)."""
        return self._call("", "get_features_req")

    def system_info(self) -> Any:
        """Memory and CPU figures of the server process."""

        def decode(body: pb.ServerSystemInfoResp) -> dict[str, Any]:
            return {
                "heap_size": body.heap_size,
                "used_size": body.used_size,
                "cpu_time": body.cpu_time,
                "cpu_time_epoch": body.cpu_time_epoch,
            }

        return self._call("", "server_system_info_req", None, decode)

    def terminate(self) -> None:
        """Close the connection: waiting calls fail, and ``close_cb`` (if given) runs."""
        self._fail_pending("this client was closed with terminate()")
        close_cb, self._close_cb = self._close_cb, None
        if close_cb is not None:
            close_cb()
