"""One client connection's state, and the decode -> dispatch -> encode loop.

``Session.handle_request(bytes)`` is the only transport seam: it decodes one
``Request``, runs it against the engine through the handler its server gave
it for that type (see :mod:`.dispatch`) and passes the encoded ``Response``
to ``send``. Streaming replies (view
``on_update``, ``on_delete``, subscribed ``get_hosted_tables``) are sent
later, from whatever thread triggers them, with the request's ``msg_id``.

A session remembers what it opened (views) and subscribed to (callbacks),
and :meth:`Session.close` releases all of it, so nothing leaks when a client
disconnects mid-stream. Every failure becomes a ``server_error`` reply and
the session stays usable.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from google.protobuf.message import DecodeError

from ..errors import PerspectiveError
from ..protocol import pb
from .registry import Registry

__all__ = ["Session"]

log = logging.getLogger(__name__)

# request field -> handler(session, request, response) -> bool (reply now?)
Handlers = Mapping[str, Callable[["Session", pb.Request, pb.Response], bool]]


# Table data an in-process client passed by reference with the request
# being handled (per thread of execution, so concurrent requests never mix).
_REQUEST_PAYLOAD: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "perspective_nb_request_payload", default=None
)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, PerspectiveError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class Session:
    """A connection to a :class:`~.server.Server`, speaking protobuf bytes.

    Create with :meth:`Server.new_session`. Thread-safe: requests may arrive
    from several threads (the local client) while streaming replies are sent
    from the threads that update tables.
    """

    def __init__(
        self,
        server: Registry,
        send: Callable[..., None],
        handlers: Handlers,
        generation: int | None = None,
        out_of_band: bool = False,
    ) -> None:
        #: What the session's requests act on (the server's tables and views).
        self.server = server
        self._send = send
        self._handlers = handlers
        # In-process clients take (message, payload) pairs: no encoding, and
        # large values passed by reference (see put_large).
        self._out_of_band = out_of_band
        self._payloads: dict[int, tuple[str, Any]] = {}
        #: Client generation (3 or 5) where the two encode a reply differently;
        #: None until the client's requests reveal it (3.x encoding meanwhile).
        self.generation = generation
        self._lock = threading.RLock()
        self._closed = False
        self.views: set[str] = set()
        # (entity id, subscribing msg_id) -> function that cancels it
        self.subscriptions: dict[tuple[str, int], Callable[[], None]] = {}

    # -- the transport seam -------------------------------------------------

    def handle_request(self, data: bytes) -> None:
        """Decode and answer one ``Request``; replies go to ``send``.

        Never raises for bad input: malformed bytes, unknown requests and
        engine failures are each answered with ``server_error``.
        """
        request = pb.Request()
        try:
            request.ParseFromString(data)
        except (DecodeError, TypeError, ValueError) as exc:
            self.send_error(0, "", f"malformed request ({exc}); expected a protobuf Request")
            return
        self.handle_message(request)

    def handle_message(self, request: pb.Request, payload: Any = None) -> None:
        """Answer an already decoded ``Request`` (in-process clients skip the bytes).

        ``payload`` is table data passed by reference in place of the
        request's empty ``MakeTableData`` (a DataFrame, pyarrow Table, ...).
        """
        token = _REQUEST_PAYLOAD.set(payload)
        try:
            self._dispatch(request)
        finally:
            _REQUEST_PAYLOAD.reset(token)
            if self._closed:
                # Closed while this request ran: release what it opened after close().
                self._release()

    @staticmethod
    def request_payload() -> Any:
        """The by-reference table data of the request being handled, if any."""
        return _REQUEST_PAYLOAD.get()

    def _dispatch(self, request: pb.Request) -> None:
        kind = request.WhichOneof("client_req")
        handler = self._handlers.get(kind) if kind else None
        if handler is None:
            self.send_error(
                request.msg_id,
                request.entity_id,
                f"unsupported request type {kind or 'unknown'!r} "
                "(this server speaks Perspective's 3.x/5.x protocol)",
            )
            return
        response = pb.Response(msg_id=request.msg_id, entity_id=request.entity_id)
        if self._closed:
            # Answered even though closed: a caller blocked on this reply
            # (a client over a custom transport) must not wait forever.
            response.server_error.message = "this session is closed; open a new connection"
            try:
                self._deliver(response, None)
            except Exception:
                log.debug("the transport of a closed session refused a reply", exc_info=True)
            return
        try:
            reply_now = handler(self, request, response)
        except Exception as exc:
            if not isinstance(exc, PerspectiveError):
                log.exception("request %s on %r failed", kind, request.entity_id)
            self.send_error(request.msg_id, request.entity_id, _error_text(exc))
            return
        if reply_now:
            self.send_response(response)

    # -- replies --------------------------------------------------------------

    def send_response(self, response: pb.Response) -> None:
        """Encode and send ``response`` unless the session is closed."""
        self.send_message(response)

    def send_message(self, message: Any) -> None:
        """Encode and send any response-shaped message unless the session is closed."""
        payload = self._payloads.pop(id(message), None)
        if self._closed:
            return
        self._deliver(message, payload)

    def _deliver(self, message: Any, payload: Any) -> None:
        if self._out_of_band:
            self._send(message, payload)
        else:
            self._send(message.SerializeToString())

    @property
    def out_of_band(self) -> bool:
        """True for in-process clients: replies travel as objects, large values by reference."""
        return self._out_of_band

    def put_large(self, response: Any, body: Any, field: str, value: Any) -> None:
        """Set ``body.field = value``, or for in-process clients pass it beside ``response``.

        For big Arrow / JSON / CSV replies this skips copying the value into
        and out of the protobuf message.
        """
        if self._out_of_band:
            body.SetInParent()
            self._payloads[id(response)] = (field, value)
        else:
            setattr(body, field, value)

    def hint_generation(self, generation: int) -> None:
        """Record the client generation a request revealed (the first hint wins)."""
        if self.generation is None:
            self.generation = generation

    def send_error(self, msg_id: int, entity_id: str, message: str) -> None:
        """Send a ``server_error`` reply for ``msg_id``."""
        response = pb.Response(msg_id=msg_id, entity_id=entity_id)
        response.server_error.message = message
        self.send_response(response)

    def stream(self, msg_id: int, entity_id: str) -> Callable[[Callable[[pb.Response], Any]], None]:
        """Return ``emit(fill)`` that sends a reply to ``msg_id`` filled by ``fill``."""

        def emit(fill: Callable[[pb.Response], Any]) -> None:
            if self._closed:
                return
            response = pb.Response(msg_id=msg_id, entity_id=entity_id)
            fill(response)
            self.send_response(response)

        return emit

    # -- bookkeeping ------------------------------------------------------

    def add_subscription(self, entity_id: str, msg_id: int, cancel: Callable[[], None]) -> None:
        """Remember how to cancel the streaming reply to ``msg_id`` on ``entity_id``."""
        with self._lock:
            self.subscriptions[(entity_id, msg_id)] = cancel

    def cancel_subscription(self, entity_id: str, msg_id: int) -> bool:
        """Cancel one streaming reply; return whether it existed."""
        with self._lock:
            cancel = self.subscriptions.pop((entity_id, msg_id), None)
        if cancel is None:
            return False
        cancel()
        return True

    def drop_subscriptions_of(self, entity_id: str) -> None:
        """Forget (without cancelling) every subscription on a deleted entity."""
        with self._lock:
            for key in [k for k in self.subscriptions if k[0] == entity_id]:
                del self.subscriptions[key]

    def add_view(self, view_id: str) -> None:
        """Remember a view this session opened (released by :meth:`close`)."""
        with self._lock:
            self.views.add(view_id)

    def forget_entity(self, entity_id: str) -> None:
        """Forget a deleted table or view: its subscriptions, and the view if ours."""
        with self._lock:
            self.views.discard(entity_id)
        self.drop_subscriptions_of(entity_id)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run."""
        return self._closed

    def close(self) -> None:
        """Release every view this session opened and every callback it set.

        Idempotent; after it, requests are answered with an error and
        streaming replies are dropped.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._release()
        self.server.forget_session(self)

    def _release(self) -> None:
        with self._lock:
            cancels = list(self.subscriptions.values())
            self.subscriptions.clear()
            views = list(self.views)
            self.views.clear()
        for cancel in cancels:
            try:
                cancel()
            except Exception:  # an entity already gone has nothing to cancel
                log.debug("cancel failed during close", exc_info=True)
        for view_id in views:
            try:
                view = self.server.get_view(view_id)
                self.server.forget_view(view_id)
                view.delete()
            except Exception:
                log.debug("view %s already gone during close", view_id, exc_info=True)
