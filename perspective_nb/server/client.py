"""The client half of the protocol: requests out, responses matched back by msg_id.

:class:`Client` is perspective-python's client API (``table``,
``open_table``, ``get_hosted_table_names``, ``on_hosted_tables_update``,
``system_info``), whatever carries its bytes: the in-process
:class:`~.local.LocalClient` feeds a :class:`~.session.Session` directly,
the websocket clients in :mod:`.remote` send over a socket. Subclasses
provide ``_send`` and a waiter; everything else, including the
:class:`~.table_proxy.Table` / :class:`~.view_proxy.View` proxies, is shared, so
there is one implementation of every operation. Asynchronous clients return
awaitables from the very same methods.

Imports the protocol; must not import handlers or jupyter.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from google.protobuf.message import DecodeError

from ..engine.arguments import (
    check_callback,
    check_callback_id,
    check_index,
    check_limit,
    check_table_name,
)
from ..errors import PerspectiveError, ProtocolError, TableNotFoundError
from ..protocol import pb
from ..protocol.table_data import encode_table_data
from ..protocol.view_config import decode_scalar

__all__ = ["Client"]

log = logging.getLogger(__name__)

Decoder = Callable[[Any], Any]


#: A response and its out-of-band payload ``(field, value)``, if any.
Reply = tuple[pb.Response, "tuple[str, Any] | None"]


class _BodyWithPayload:
    """A response body whose large field travelled beside it, not inside it."""

    __slots__ = ("_body", "_field", "_value")

    def __init__(self, body: Any, field: str, value: Any) -> None:
        self._body, self._field, self._value = body, field, value

    def __getattr__(self, name: str) -> Any:
        return self._value if name == self._field else getattr(self._body, name)

    def HasField(self, name: str) -> bool:  # noqa: N802 - protobuf's name
        return name == self._field or self._body.HasField(name)


def reply_body(response: pb.Response, payload: tuple[str, Any] | None) -> Any:
    """The body of ``response`` (its set oneof field), with ``payload`` in place."""
    kind = response.WhichOneof("client_resp")
    body = getattr(response, kind) if kind else None
    if payload is None or body is None:
        return body
    return _BodyWithPayload(body, *payload)


def _parse_response(data: bytes) -> Any:
    try:
        return pb.Response.FromString(data)
    except DecodeError:
        # A 5.x server answers get_min_max with Scalars where 3.x sends JSON.
        return pb.ScalarMinMaxResponse.FromString(data)


def _from_scalar_min_max(scalar: pb.ScalarMinMaxResponse) -> pb.Response:
    response = pb.Response(msg_id=scalar.msg_id, entity_id=scalar.entity_id)
    body = scalar.view_get_min_max_resp
    response.view_get_min_max_resp.min = json.dumps(decode_scalar(body.min))
    response.view_get_min_max_resp.max = json.dumps(decode_scalar(body.max))
    return response


class Client:
    """A connection to a perspective_nb (or Perspective) server.

    Not constructed directly: use :meth:`Server.new_local_client`,
    :func:`perspective_nb.websocket` or :func:`perspective_nb.async_websocket`.
    """

    #: Whether methods return awaitables instead of values.
    is_async = False

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._id_lock = threading.Lock()
        self._pending: dict[int, Any] = {}
        # subscribing msg_id -> (entity id, handler of each streamed reply)
        self._streams: dict[int, tuple[str, Callable[[pb.Response], None]]] = {}

    # -- transport hooks (overridden) ----------------------------------------

    def _send(self, data: bytes) -> None:
        raise NotImplementedError

    def _send_request(self, request: pb.Request) -> None:
        """Hand one request to the transport (in-process clients skip the encoding)."""
        self._send(request.SerializeToString())

    def _encode_data(self, data: Any, into: pb.MakeTableData, format: str | None) -> None:
        """Put table data into a request (in-process clients pass objects by reference)."""
        encode_table_data(data, into, format)

    def _make_waiter(self) -> Any:
        raise NotImplementedError

    def _finish(self, waiter: Any, decode: Callable[[Reply], Any]) -> Any:
        raise NotImplementedError

    def _immediate(self, value: Any) -> Any:
        """Return ``value`` the way this client returns results (awaitable if async)."""
        return value

    def _dispatch_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        callback(*args)

    # -- requests ---------------------------------------------------------

    def _next_id(self) -> int:
        with self._id_lock:
            while True:
                msg_id = next(self._ids) & 0xFFFFFFFF
                if msg_id and msg_id not in self._pending and msg_id not in self._streams:
                    return msg_id

    def _build(self, entity_id: str, field: str, fill: Callable[[Any], Any] | None) -> pb.Request:
        request = pb.Request(msg_id=self._next_id(), entity_id=entity_id)
        body = getattr(request, field)
        body.SetInParent()
        if fill is not None:
            fill(body)
        return request

    def _call(
        self,
        entity_id: str,
        field: str,
        fill: Callable[[Any], Any] | None = None,
        decode: Decoder | None = None,
    ) -> Any:
        """Send one request and return ``decode(<its response body>)``."""
        request = self._build(entity_id, field, fill)
        expected = field[: -len("_req")] + "_resp"
        waiter = self._make_waiter()
        self._pending[request.msg_id] = waiter
        try:
            self._send_request(request)
        except BaseException:
            self._pending.pop(request.msg_id, None)
            raise

        def unwrap(reply: Reply) -> Any:
            response, payload = reply
            kind = response.WhichOneof("client_resp")
            if kind == "server_error":
                raise PerspectiveError(response.server_error.message)
            if kind != expected:
                raise ProtocolError(f"expected {expected} for {field}, got {kind}")
            body = reply_body(response, payload)
            return body if decode is None else decode(body)

        return self._finish(waiter, unwrap)

    def _subscribe(
        self,
        entity_id: str,
        field: str,
        on_message: Callable[[pb.Response, Any], None],
        fill: Callable[[Any], Any] | None = None,
    ) -> Any:
        """Send a streaming request; return its id.

        ``on_message(response, body)`` gets every reply, ``body`` being the
        reply's (oneof) body with any out-of-band payload in place.
        """
        request = self._build(entity_id, field, fill)
        self._streams[request.msg_id] = (entity_id, on_message)
        self._send_request(request)
        return self._immediate(request.msg_id)

    def _end_stream(self, stream_id: int) -> None:
        """Forget a one-shot subscription once it has fired."""
        self._streams.pop(stream_id, None)

    def _drop_streams(self, entity_id: str) -> None:
        """Forget every subscription on a deleted table or view."""
        for stream_id in [k for k, (entity, _) in self._streams.items() if entity == entity_id]:
            self._streams.pop(stream_id, None)

    def _unsubscribe(self, entity_id: str, field: str, stream_id: int) -> Any:
        stream_id = check_callback_id(stream_id)
        self._streams.pop(stream_id, None)
        return self._call(entity_id, field, lambda body: setattr(body, "id", stream_id))

    def handle_response(self, data: bytes) -> None:
        """Route one encoded ``Response`` to its waiting call or subscription."""
        self._route(_parse_response(data), None)

    def _route(self, response: Any, payload: tuple[str, Any] | None) -> None:
        if not isinstance(response, pb.Response):
            response = _from_scalar_min_max(response)
        waiter = self._pending.pop(response.msg_id, None)
        if waiter is not None:
            waiter.set((response, payload))
            return
        stream = self._streams.get(response.msg_id)
        if stream is not None:
            if response.WhichOneof("client_resp") == "server_error":
                log.warning("subscription %s failed: %s", response.msg_id, response.server_error)
                return
            stream[1](response, reply_body(response, payload))
        else:
            log.debug("dropping a response to unknown msg_id %s", response.msg_id)

    def _fail_pending(self, message: str) -> None:
        """Answer every waiting call with an error (the connection is gone)."""
        pending, self._pending = self._pending, {}
        for msg_id, waiter in pending.items():
            response = pb.Response(msg_id=msg_id)
            response.server_error.message = message
            waiter.set((response, None))

    # -- public API -------------------------------------------------------

    def table(
        self,
        data: Any,
        limit: int | None = None,
        index: str | None = None,
        name: str | None = None,
        format: str | None = None,
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

        Examples
        --------
        >>> table = client.table({"x": [1, 2]}, name="xs")  # doctest: +SKIP
        >>> table.size()  # doctest: +SKIP
        2
        """
        from .table_proxy import Table
        from .view_proxy import View

        if index is not None and limit is not None:
            raise PerspectiveError("a table takes index or limit, not both; drop one")
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
            name, "make_table_req", fill, lambda _: Table(self, name, index=index, limit=limit)
        )

    def open_table(self, name: str) -> Any:
        """Return a proxy of the hosted table ``name``.

        Raises
        ------
        TableNotFoundError
            When no table of that name is hosted.
        """
        from .table_proxy import Table

        def decode(body: pb.GetHostedTablesResp) -> Table:
            for info in body.table_infos:
                if info.entity_id == name:
                    index = info.index if info.HasField("index") else None
                    limit = info.limit if info.HasField("limit") else None
                    return Table(self, name, index=index, limit=limit)
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
        """Close the connection (subclasses release their transport)."""
