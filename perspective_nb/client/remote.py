"""Python websocket clients: :func:`websocket` (synchronous) and :func:`async_websocket`.

Both return a :class:`~.client.Client` whose tables and views are proxies
over a websocket to any server speaking Perspective's protocol (ours, or
perspective-python's). The synchronous client runs its own IO thread with
an asyncio loop, and runs user callbacks on one separate thread so a
callback may call back into the client; the asynchronous client lives on the
caller's running loop and its methods return awaitables.

When the connection drops (server stopped, network gone, a keep-alive ping
unanswered), every waiting call and every later call raises
:class:`~perspective_nb.errors.ConnectionClosedError` at once; reconnecting
is explicit (a new client).

Uses tornado's websocket client.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClientConnection, WebSocketClosedError, websocket_connect

from ..errors import ConnectionClosedError
from .async_client import AsyncClient
from .client import Client

__all__ = ["AsyncWebsocketClient", "WebsocketClient", "async_websocket", "websocket"]

log = logging.getLogger(__name__)

#: Largest message either client accepts (big Arrow payloads).
MAX_MESSAGE_SIZE = 1024 * 1024 * 1024

#: Seconds between keep-alive pings: a peer that vanished without closing the
#: connection (network loss) is noticed within PING_INTERVAL + PING_TIMEOUT seconds.
PING_INTERVAL = 30.0
PING_TIMEOUT = 30.0

_CALLBACK_THREAD = "perspective-nb-callback"
_TERMINATED = "this client was closed with terminate()"


def _connect_kwargs(on_message: Callable[[str | bytes | None], Any]) -> dict[str, Any]:
    return {
        "max_message_size": MAX_MESSAGE_SIZE,
        "on_message_callback": on_message,
        "ping_interval": PING_INTERVAL,
        "ping_timeout": PING_TIMEOUT,
    }


def _widen_buffer(conn: WebSocketClientConnection) -> None:
    # tornado's client stream buffers at most 100 MB whatever max_message_size
    # says; a larger reply would otherwise reset the connection.
    stream = getattr(conn.protocol, "stream", None)
    if stream is not None:
        stream.max_buffer_size = max(stream.max_buffer_size or 0, MAX_MESSAGE_SIZE + (1 << 20))


class _TornadoTransport:
    """What both websocket clients do with an incoming frame, and with a lost connection."""

    url: str
    _conn: WebSocketClientConnection | None = None
    #: Why the connection is gone (None while it is open).
    _closed_reason: str | None = None

    def _on_message(self, message: str | bytes | None) -> None:
        if message is None:
            self._connection_lost()
            return
        if isinstance(message, str):
            message = message.encode()
        self.handle_response(message)

    def _connection_lost(self, reason: str | None = None) -> None:
        """Mark the connection gone and fail every waiting call (idempotent)."""
        if self._closed_reason is None:
            self._closed_reason = reason or self._describe_close()
        self._fail_pending(self._closed_reason)

    def _describe_close(self) -> str:
        conn = self._conn
        detail = ""
        if conn is not None and conn.close_code is not None:
            detail = f" (close code {conn.close_code}"
            detail += f": {conn.close_reason})" if conn.close_reason else ")"
        return f"the websocket connection to {self.url} closed{detail}"

    def _closed_error(self) -> ConnectionClosedError:
        return ConnectionClosedError(
            f"{self._closed_reason}; connect again with perspective_nb.websocket(url)"
        )

    def _fail_pending(self, message: str) -> None:
        # Raise ConnectionClosedError from every waiting call, not a server error.
        pending, self._pending = self._pending, {}
        for waiter in pending.values():
            waiter.fail(self._closed_error())

    def _written(self, future: Any) -> None:
        # write_message's future fails when the stream closed under the write.
        if future.cancelled() or future.exception() is not None:
            self._connection_lost()


class WebsocketClient(_TornadoTransport, Client):
    """A synchronous client over a websocket, with its own IO thread."""

    def __init__(self, url: str, connect_timeout: float | None = 30.0) -> None:
        super().__init__()
        self.url = url
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="perspective-nb-websocket", daemon=True
        )
        self._thread.start()
        self._callbacks = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=_CALLBACK_THREAD
        )
        self._conn: WebSocketClientConnection | None = None
        try:
            future = asyncio.run_coroutine_threadsafe(self._connect(), self._loop)
            self._conn = future.result(connect_timeout)
        except BaseException:
            self._stop_threads()
            raise

    async def _connect(self) -> WebSocketClientConnection:
        conn = await websocket_connect(self.url, **_connect_kwargs(self._on_message))
        _widen_buffer(conn)
        return conn

    def _write(self, data: bytes) -> None:
        conn = self._conn
        if self._closed_reason is not None or conn is None or conn.protocol is None:
            self._connection_lost()
            return
        try:
            future = conn.write_message(data, binary=True)
        except (WebSocketClosedError, StreamClosedError):
            self._connection_lost()
            return
        future.add_done_callback(self._written)

    def _send(self, data: bytes) -> None:
        if threading.current_thread() is self._thread:
            raise RuntimeError(
                "a synchronous call was made on the websocket IO thread; "
                "use async_websocket() inside an event loop"
            )
        if self._closed_reason is not None:
            raise self._closed_error()
        try:
            self._loop.call_soon_threadsafe(self._write, data)
        except RuntimeError as exc:  # the IO loop is already closed
            self._connection_lost(_TERMINATED)
            raise self._closed_error() from exc

    def _dispatch_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        def run() -> None:
            try:
                callback(*args)
            except Exception:
                log.exception("a perspective callback raised")

        # After terminate() the executor refuses work: late callbacks are dropped.
        with contextlib.suppress(RuntimeError):
            self._callbacks.submit(run)

    async def _wind_down(self) -> None:
        # Close the socket and let tornado's tasks (the keep-alive ping) end,
        # rather than destroying them pending when the loop stops.
        if self._conn is not None:
            self._conn.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _stop_threads(self) -> None:
        if threading.current_thread() is not self._thread:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._wind_down(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        # From inside a callback, waiting for the callback thread would deadlock.
        on_callback_thread = threading.current_thread().name.startswith(_CALLBACK_THREAD)
        self._callbacks.shutdown(wait=not on_callback_thread)

    def terminate(self) -> None:
        """Close the connection and stop this client's threads."""
        if not self._thread.is_alive():
            return
        self._connection_lost(_TERMINATED)
        self._stop_threads()

    close = terminate

    def __enter__(self) -> WebsocketClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.terminate()


class AsyncWebsocketClient(_TornadoTransport, AsyncClient):
    """An asyncio client over a websocket: every method returns an awaitable."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._conn: WebSocketClientConnection | None = None

    async def _connect(self) -> AsyncWebsocketClient:
        self._loop = asyncio.get_running_loop()
        self._conn = await websocket_connect(self.url, **_connect_kwargs(self._on_message))
        _widen_buffer(self._conn)
        return self

    def _send_request(self, request: Any) -> None:
        self._send(request.SerializeToString())

    def _send(self, data: bytes) -> None:
        conn = self._conn
        if self._closed_reason is None and (conn is None or conn.protocol is None):
            self._connection_lost()
        if self._closed_reason is not None:
            raise self._closed_error()
        assert conn is not None
        try:
            future = conn.write_message(data, binary=True)
        except (WebSocketClosedError, StreamClosedError) as exc:
            self._connection_lost()
            raise self._closed_error() from exc
        future.add_done_callback(self._written)

    def terminate(self) -> None:
        """Close the connection; waiting calls fail."""
        self._connection_lost(_TERMINATED)
        if self._conn is not None:
            self._conn.close()

    close = terminate


def websocket(url: str) -> WebsocketClient:
    """Connect to a Perspective websocket server; return a synchronous client.

    Examples
    --------
    >>> client = websocket("ws://localhost:8080/websocket")  # doctest: +SKIP
    >>> client.open_table("trades").view(group_by=["region"]).to_records()  # doctest: +SKIP
    """
    return WebsocketClient(url)


async def async_websocket(url: str) -> AsyncWebsocketClient:
    """Connect to a Perspective websocket server from a running asyncio loop.

    Examples
    --------
    >>> client = await async_websocket("ws://localhost:8080/websocket")  # doctest: +SKIP
    >>> table = await client.open_table("trades")  # doctest: +SKIP
    """
    return await AsyncWebsocketClient(url)._connect()
