"""``PerspectiveTornadoHandler``: a Tornado websocket route onto a perspective_nb Server.

One :class:`~perspective_nb.server.Session` per connection, fed through a
:class:`~perspective_nb.server.request_queue.RequestQueue`: requests of a
connection run one after another, in order, on a worker pool shared with
the other connections (never on the IOLoop), a connection holds at most one
worker at a time, and what a connection may queue is bounded (reading stops
while it is full). Every reply, and every streaming reply fired from
whichever thread updated a table, is written back on the IOLoop thread.

A frame over ``max_message_size`` is read past and discarded (see
:mod:`.oversized`) and answered with ``server_error``; the connection stays
usable.

Imports the server package; must not import jupyter.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any

from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError, WebSocketHandler, WebSocketProtocol

from ..server.request_queue import Limits, RequestQueue, peek_ids
from ..server.server import Server
from ..server.session import Session
from .oversized import DiscardingProtocol

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "PerspectiveTornadoHandler"]

log = logging.getLogger(__name__)

#: Default largest incoming message: big Arrow updates must fit.
DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024 * 1024

_DEFAULT_LIMITS = Limits()


class PerspectiveTornadoHandler(WebSocketHandler):
    """Serve a :class:`~perspective_nb.server.Server` over a Tornado websocket.

    Route keyword arguments (``initialize``):

    perspective_server : Server
        The server whose tables this route exposes (required).
    check_origin : bool, default False
        True accepts connections from any origin (a page served elsewhere);
        False keeps Tornado's same-origin rule.
    executor : concurrent.futures.Executor, optional
        Where requests run; default: the server's shared pool
        (:meth:`Server.executor`, ``Server(max_workers=16)``).
    loop : tornado.ioloop.IOLoop or asyncio.AbstractEventLoop, optional
        The loop that writes replies; default: the loop the connection opened on.
    max_message_size : int, optional
        Largest incoming message in bytes; default: the application's
        ``websocket_max_message_size`` setting, else 1 GiB. A larger message
        is discarded and answered with ``server_error``. The HTTP server's
        ``max_buffer_size`` must be larger (see
        :func:`perspective_nb.app.http_server`).
    client_generation : {None, 3, 5}, default None
        The Perspective client generation connecting here (``@finos/*`` 3.x
        or ``@perspective-dev/*`` 5.x), for the one reply they decode
        differently (``get_min_max``). None infers it from the client's
        requests, answering as 3.x until a 5.x-only request is seen.
    max_pending_requests : int, default 32
        Requests of one connection received but not started; past it the
        handler stops reading from that connection.
    max_pending_bytes : int, default 64 MiB
        Per connection: queued request bytes, and reply bytes the client has
        not read yet, past which no further request starts (backpressure).
    request_timeout : float or None, default 300
        Seconds a request may run before its client gets ``server_error``
        instead of the reply; None: no limit.

    Examples
    --------
    >>> import tornado.web
    >>> from perspective_nb.server import Server
    >>> SERVER = Server()
    >>> app = tornado.web.Application([
    ...     (r"/websocket", PerspectiveTornadoHandler,
    ...      {"perspective_server": SERVER, "check_origin": True}),
    ... ])
    """

    def initialize(
        self,
        perspective_server: Server | None = None,
        check_origin: bool = False,
        executor: concurrent.futures.Executor | None = None,
        loop: IOLoop | asyncio.AbstractEventLoop | None = None,
        max_message_size: int | None = None,
        client_generation: int | None = None,
        max_pending_requests: int = _DEFAULT_LIMITS.max_pending_requests,
        max_pending_bytes: int = _DEFAULT_LIMITS.max_pending_bytes,
        request_timeout: float | None = _DEFAULT_LIMITS.request_timeout,
    ) -> None:
        if perspective_server is None:
            raise TypeError(
                "PerspectiveTornadoHandler needs a server: route it with "
                '{"perspective_server": Server()}'
            )
        self._server = perspective_server
        self._any_origin = bool(check_origin)
        self._executor = executor
        self._loop = loop
        self._max_message_size = max_message_size
        if client_generation not in (None, 3, 5):
            raise ValueError(f"client_generation must be None, 3 or 5, not {client_generation!r}")
        self._generation = client_generation
        self._limits = Limits(max_pending_requests, max_pending_bytes, request_timeout)
        self._session: Session | None = None
        self._requests: RequestQueue | None = None
        self._pool: concurrent.futures.Executor | None = None
        self._oversized: int | None = None
        self._open = False

    # Tornado reads this for the incoming frame limit.
    @property
    def max_message_size(self) -> int:
        if self._max_message_size is not None:
            return self._max_message_size
        return int(self.settings.get("websocket_max_message_size", DEFAULT_MAX_MESSAGE_SIZE))

    def get_websocket_protocol(self) -> WebSocketProtocol | None:
        protocol = super().get_websocket_protocol()
        if (
            protocol is not None
            and self.get_compression_options() is None
            and DiscardingProtocol.supported()
        ):
            return DiscardingProtocol(self, False, protocol.params)  # type: ignore[attr-defined]
        return protocol

    def check_origin(self, origin: str) -> bool:
        """Accept any origin when routed with ``check_origin=True``."""
        if self._any_origin:
            return True
        return super().check_origin(origin)

    def open(self, *args: Any, **kwargs: Any) -> None:
        self._loop = self._loop or IOLoop.current()
        self._open = True
        session = self._server.new_session(self._send_threadsafe, self._generation)
        self._session = session
        self._pool = self._executor or self._server.executor()
        self._requests = RequestQueue(session, self._pool, asyncio.get_running_loop(), self._limits)

    async def on_message(self, message: str | bytes) -> None:
        if isinstance(message, str):
            message = message.encode()
        if self._requests is None or self._session is None:
            return
        if self._oversized is not None:
            size, self._oversized = self._oversized, None
            msg_id, entity_id = peek_ids(message)
            self._session.send_error(
                msg_id,
                entity_id,
                f"the message of {size} bytes exceeds this server's limit of "
                f"{self.max_message_size} bytes (max_message_size); send the data in "
                "smaller updates, or raise the server's max_message_size",
            )
            return
        await self._requests.put(message)

    def oversized_frame(self, size: int) -> None:
        """Called by the protocol: the next message is the head of a discarded frame."""
        self._oversized = size

    def on_close(self) -> None:
        self._open = False
        if self._requests is not None:
            self._requests.close(self._release)
        elif self._session is not None:
            self._session.close()

    def _release(self, close: Callable[[], None]) -> None:
        # Deleting views takes table locks: keep it off the IOLoop when possible.
        try:
            future = asyncio.get_running_loop().run_in_executor(self._pool, close)
        except RuntimeError:  # the pool is shutting down
            close()
            return
        future.add_done_callback(_log_failure)

    # -- replies: always written on the IOLoop thread -------------------------

    def _send_threadsafe(self, data: bytes) -> None:
        if not self._open or self._loop is None:
            return
        requests = self._requests
        if requests is not None and requests.dropping(data):
            return  # the reply of an abandoned request
        if isinstance(self._loop, IOLoop):
            self._loop.add_callback(self._write, data)
        else:
            self._loop.call_soon_threadsafe(self._write, data)

    def _write(self, data: bytes) -> None:
        if not self._open:
            return
        try:
            flushed = self.write_message(data, binary=True)
        except WebSocketClosedError:
            self._open = False
            return
        if self._requests is not None:
            self._requests.written(len(data), flushed)


def _log_failure(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("closing a perspective session failed", exc_info=future.exception())
