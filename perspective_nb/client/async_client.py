"""perspective-python's ``AsyncClient``: the client API with awaitable methods.

``AsyncClient(handle_request, handle_close=None, name=None)`` is the
asyncio twin of :class:`~.client.Client`: every method of the client and of
its Table/View proxies returns an awaitable, ``handle_request(bytes)`` may be
a coroutine function (it is awaited, in request order, on the running loop),
and callbacks (``on_update`` and friends) may be coroutine functions too:
they are awaited as tasks on the client's loop.

Responses may arrive on any thread (a server's writer thread streams
``on_update`` replies): a reply for a waiting call resolves its future on
the client's loop, thread-safely.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Callable, Generator
from typing import Any

from ..protocol import pb
from .client import Client
from .replies import Reply

__all__ = ["AsyncClient"]

log = logging.getLogger(__name__)


class _Done:
    """An awaitable that is already finished (awaiting it is optional)."""

    __slots__ = ()

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield  # pragma: no cover - makes this a generator


_DONE = _Done()


class _LoopWaiter:
    """A reply slot awaited on ``loop``, set from any thread."""

    __slots__ = ("future", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.future: asyncio.Future[Any] = loop.create_future()

    def _on_loop(self, fn: Callable[[Any], Any], value: Any) -> None:
        def settle() -> None:
            if not self.future.done():
                fn(value)

        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            settle()
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(settle)

    def set(self, reply: Any) -> None:
        self._on_loop(self.future.set_result, reply)

    def fail(self, exc: BaseException) -> None:
        self._on_loop(self.future.set_exception, exc)


class AsyncClient(Client):
    """A client whose methods return awaitables, for use inside an asyncio loop.

    Parameters
    ----------
    handle_request : callable
        ``handle_request(bytes)``, a function or coroutine function, delivers
        one encoded request (e.g. ``session.handle_request`` of
        ``AsyncServer.new_session``); feed responses to :meth:`handle_response`.
    handle_close : callable, optional
        Called (and awaited if it is a coroutine function) by :meth:`terminate`.
    name : str, optional
        A label for this client.

    Examples
    --------
    >>> import asyncio
    >>> from perspective_nb import AsyncServer
    >>> async def main():
    ...     server = AsyncServer()
    ...     session = server.new_session(lambda response: client.handle_response(response))
    ...     client = AsyncClient(session.handle_request)
    ...     table = await client.table({"a": [1, 2, 3]})
    ...     return await table.size()
    >>> asyncio.run(main())
    3
    """

    is_async = True

    def __init__(
        self,
        handle_request: Callable[[bytes], Any] | None = None,
        handle_close: Callable[[], Any] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(handle_request, handle_close, name)
        self._loop: asyncio.AbstractEventLoop | None = None
        # Requests whose handle_request returned a coroutine run as tasks;
        # each awaits the one before it so the server sees them in order.
        self._last_send: asyncio.Future[Any] | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._loop_lock = threading.Lock()

    def _client_loop(self) -> asyncio.AbstractEventLoop:
        with self._loop_lock:
            if self._loop is None or self._loop.is_closed():
                self._loop = asyncio.get_running_loop()
            return self._loop

    def _keep(self, task: asyncio.Future[Any]) -> None:
        # Keep a reference until done, or the task may be collected mid-way.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _send_request(self, request: pb.Request) -> None:
        data = request.SerializeToString()
        if self._handle_request is None:
            self._send(data)  # raises: no transport
        outcome = self._handle_request(data)
        if not inspect.isawaitable(outcome):
            return
        previous = self._last_send
        msg_id = request.msg_id

        async def deliver() -> None:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            try:
                await outcome
            except Exception as exc:
                waiter = self._pending.pop(msg_id, None)
                if waiter is not None:
                    waiter.fail(exc)
                else:
                    log.exception("sending request %s failed", msg_id)

        task = asyncio.ensure_future(deliver(), loop=self._client_loop())
        self._last_send = task
        self._keep(task)

    def _make_waiter(self) -> _LoopWaiter:
        return _LoopWaiter(self._client_loop())

    def _finish(self, waiter: _LoopWaiter, decode: Callable[[Reply], Any]) -> Any:
        async def result() -> Any:
            return decode(await waiter.future)

        return result()

    def _immediate(self, value: Any) -> Any:
        async def result() -> Any:
            return value

        return result()

    def _dispatch_callback(self, callback: Callable[..., Any], *args: Any) -> None:
        loop = self._loop

        def run() -> None:
            try:
                outcome = callback(*args)
            except Exception:
                log.exception("a perspective callback raised")
                return
            if inspect.isawaitable(outcome):
                self._keep(asyncio.ensure_future(outcome))

        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop:
            run()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(run)

    def handle_response(self, data: bytes) -> _Done:
        """Route one encoded response; returns an awaitable (awaiting it is optional)."""
        super().handle_response(data)
        return _DONE

    def terminate(self) -> Any:
        """Close the client: waiting calls fail; ``handle_close`` runs (awaitable)."""
        self._fail_pending("this client was closed with terminate()")
        close_cb, self._close_cb = self._close_cb, None
        outcome = close_cb() if close_cb is not None else None

        async def done() -> None:
            if inspect.isawaitable(outcome):
                await outcome

        return done()
