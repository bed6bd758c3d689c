"""The request/response machinery every client shares, whatever its transport.

A :class:`Connection` numbers each request (``msg_id``), remembers who waits
for its reply, and routes every incoming response to that waiter or to the
subscription (``on_update``, ``on_delete``, hosted-table changes) that asked
for a stream of them. The public API (:class:`~.client.Client`) and the
Table/View proxies build on it; transports override a few hooks.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from ..engine.arguments import check_callback_id
from ..errors import PerspectiveError, ProtocolError
from ..protocol import pb
from ..protocol.table_data import encode_table_data
from .replies import Decoder, Reply, from_scalar_min_max, parse_response, reply_body

__all__ = ["Connection", "FutureWaiter"]

log = logging.getLogger(__name__)


class FutureWaiter:
    """A reply slot a thread can block on (``future.result()``)."""

    __slots__ = ("future",)

    def __init__(self) -> None:
        self.future: concurrent.futures.Future[Any] = concurrent.futures.Future()

    def set(self, reply: Any) -> None:
        if not self.future.done():
            self.future.set_result(reply)

    def fail(self, exc: BaseException) -> None:
        if not self.future.done():
            self.future.set_exception(exc)


class Connection:
    """Requests out, responses matched back by ``msg_id``; the base of every client.

    Subclasses provide the transport (``_send`` or ``_send_request``) and
    how a caller waits for its reply (``_make_waiter`` / ``_finish``).
    """

    #: Whether methods return awaitables instead of values.
    is_async = False

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._id_lock = threading.Lock()
        self._pending: dict[int, Any] = {}
        # subscribing msg_id -> (entity id, handler of each streamed reply)
        self._streams: dict[int, tuple[str, Callable[[pb.Response], None]]] = {}
        # msg_id -> handler of replies to a request sent for another peer
        # (ProxySession); the handler returns whether to keep listening.
        self._forwards: dict[int, Callable[[pb.Response, Any], bool]] = {}

    # -- transport hooks (overridden) ----------------------------------------

    def _send(self, data: bytes) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no transport")

    def _send_request(self, request: pb.Request) -> None:
        """Hand one request to the transport (in-process clients skip the encoding)."""
        self._send(request.SerializeToString())

    def _encode_data(self, data: Any, into: pb.MakeTableData, format: str | None) -> None:
        """Put table data into a request (in-process clients pass objects by reference)."""
        encode_table_data(data, into, format)

    def _make_waiter(self) -> Any:
        return FutureWaiter()

    def _finish(self, waiter: Any, decode: Callable[[Reply], Any]) -> Any:
        return decode(waiter.future.result())

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
                if (
                    msg_id
                    and msg_id not in self._pending
                    and msg_id not in self._streams
                    and msg_id not in self._forwards
                ):
                    return msg_id

    def _forward(self, request: pb.Request, on_reply: Callable[[pb.Response, Any], bool]) -> int:
        """Send ``request`` for another peer under a fresh ``msg_id``; return that id.

        Every reply goes to ``on_reply(response, payload)``, which returns
        whether more replies are expected (streams) or not.
        """
        request.msg_id = self._next_id()
        self._forwards[request.msg_id] = on_reply
        try:
            self._send_request(request)
        except BaseException:
            self._forwards.pop(request.msg_id, None)
            raise
        return request.msg_id

    def _stop_forward(self, msg_id: int) -> None:
        """Stop routing replies of a forwarded request."""
        self._forwards.pop(msg_id, None)

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

    def _subscribe_delete(self, entity_id: str, field: str, callback: Callable[[], Any]) -> Any:
        """Subscribe ``callback()`` to an entity's deletion (fires once, then ends)."""

        def on_message(response: pb.Response, body: Any) -> None:
            self._end_stream(response.msg_id)
            self._dispatch_callback(callback)

        return self._subscribe(entity_id, field, on_message)

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
        self._route(parse_response(data), None)

    def _route(self, response: Any, payload: tuple[str, Any] | None) -> None:
        if not isinstance(response, pb.Response):
            response = from_scalar_min_max(response)
        msg_id = response.msg_id
        forward = self._forwards.get(msg_id)
        if forward is not None:
            # By the id read before: a forward re-addresses the response to its peer.
            if not forward(response, payload):
                self._forwards.pop(msg_id, None)
            return
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
