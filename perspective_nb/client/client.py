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
from ..errors import PerspectiveError, TableNotFoundError
from ..protocol import pb
from .connection import Connection
from .table_proxy import Table
from .view_proxy import View

__all__ = ["Client"]


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
        connection: Any = None,
        poll_interval: float | None = None,
    ) -> Any:
        """Create a table on the server from ``data`` and return its proxy.

        Parameters
        ----------
        data
            A pyarrow Table/RecordBatch, Arrow IPC bytes, a pandas or polars
            DataFrame, a dict of columns, a list of row dicts, CSV/JSON/NDJSON
            text, a schema ``{column: type name}``, or a View of this client
            (its rows are copied on the server).
        name
            The name to host it under (default: a random id).
        index
            A primary-key column: updates with an existing key replace rows.
        limit
            Keep at most this many rows (oldest rows are overwritten).
        format
            How to read ``str``/``bytes`` data: ``csv``, ``json``, ``columns``,
            ``ndjson`` or ``arrow`` (default: inferred).
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

        def fill(body: pb.MakeTableReq) -> None:
            if isinstance(data, View):  # a copy of a view on the same server
                body.data.from_view = data.id
            else:
                self._encode_data(data, body.data, format)
            if index is not None:
                body.options.make_index_table = index
            elif limit is not None:
                body.options.make_limit_table = limit

        return self._call(
            name,
            "make_table_req",
            fill,
            lambda _: Table._bind(self, name, index=index, limit=limit),
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
