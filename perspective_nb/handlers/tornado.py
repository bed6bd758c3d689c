"""``PerspectiveTornadoHandler``: a Tornado websocket route onto a perspective_nb Server.

One :class:`~perspective_nb.server.Session` per connection. Requests of a
connection run one after another (so an update is applied before the view
read that follows it) on a worker thread, never on the IOLoop, so a large
Arrow response for one client does not stall the others. Every reply, and
every streaming reply fired from whichever thread updated a table, is
written back on the IOLoop thread via ``add_callback``.

Imports the server package; must not import jupyter.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import threading
from typing import Any

from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ..server.server import Server
from ..server.session import Session

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "PerspectiveTornadoHandler"]

log = logging.getLogger(__name__)

#: Default largest incoming message: big Arrow updates must fit.
DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024 * 1024

_CLOSE = object()  # queued after the last request of a closed connection


class PerspectiveTornadoHandler(WebSocketHandler):
    """Serve a :class:`~perspective_nb.server.Server` over a Tornado websocket.

    Route keyword arguments (``initialize``):

    perspective_server : Server
        The server whose tables this route exposes (required).
    check_origin : bool, default False
        True accepts connections from any origin (a page served elsewhere);
        False keeps Tornado's same-origin rule.
    executor : concurrent.futures.Executor, optional
        Where requests run; default: the IOLoop's default executor.
    loop : tornado.ioloop.IOLoop or asyncio.AbstractEventLoop, optional
        The loop that writes replies; default: the loop the connection opened on.
    max_message_size : int, default 1 GiB
        Largest incoming message.
    client_generation : {None, 3, 5}, default None
        The Perspective client generation connecting here (``@finos/*`` 3.x
        or ``@perspective-dev/*`` 5.x), for the one reply they decode
        differently (``get_min_max``). None infers it from the client's
        requests, answering as 3.x until a 5.x-only request is seen.

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
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        client_generation: int | None = None,
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
        self._session: Session | None = None
        self._queue: collections.deque[Any] = collections.deque()
        self._queue_lock = threading.Lock()
        self._draining = False
        self._open = False

    # Tornado reads this for the incoming frame limit.
    @property
    def max_message_size(self) -> int:
        return self._max_message_size

    def check_origin(self, origin: str) -> bool:
        """Accept any origin when routed with ``check_origin=True``."""
        if self._any_origin:
            return True
        return super().check_origin(origin)

    def open(self, *args: Any, **kwargs: Any) -> None:
        self._loop = self._loop or IOLoop.current()
        self._open = True
        self._session = self._server.new_session(self._send_threadsafe, self._generation)

    def on_message(self, message: str | bytes) -> None:
        if isinstance(message, str):
            message = message.encode()
        self._enqueue(message)

    def on_close(self) -> None:
        self._open = False
        self._enqueue(_CLOSE)

    # -- request queue: serial per connection, off the IOLoop -----------------

    def _enqueue(self, item: Any) -> None:
        with self._queue_lock:
            self._queue.append(item)
            if self._draining:
                return
            self._draining = True
        assert self._loop is not None
        future = self._loop.run_in_executor(self._executor, self._drain)
        future.add_done_callback(self._drained)

    def _drained(self, future: Any) -> None:
        exc = future.exception()
        if exc is not None:
            log.error("perspective request loop failed", exc_info=exc)

    def _drain(self) -> None:
        session = self._session
        while True:
            with self._queue_lock:
                if not self._queue:
                    self._draining = False
                    return
                item = self._queue.popleft()
            if session is None:
                continue
            if item is _CLOSE:
                session.close()
            else:
                session.handle_request(item)

    # -- replies: always written on the IOLoop thread -------------------------

    def _send_threadsafe(self, data: bytes) -> None:
        if not self._open or self._loop is None:
            return
        if isinstance(self._loop, IOLoop):
            self._loop.add_callback(self._write, data)
        else:
            self._loop.call_soon_threadsafe(self._write, data)

    def _write(self, data: bytes) -> None:
        if not self._open:
            return
        try:
            self.write_message(data, binary=True)
        except WebSocketClosedError:
            self._open = False
