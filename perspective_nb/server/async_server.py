"""perspective-python's ``AsyncServer``: sessions for asyncio transports.

``AsyncServer().new_session(response_cb)`` gives an :class:`AsyncSession`
whose ``handle_request(bytes)`` is a coroutine and whose ``response_cb`` may
be a coroutine function. Replies to a request are awaited, in order, before
``handle_request`` returns; streaming replies (``on_update`` fired by a
write on another thread) are scheduled on the loop the session was last
used from, thread-safely.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from .server import Server
from .session import Session

__all__ = ["AsyncServer", "AsyncSession"]

log = logging.getLogger(__name__)


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class AsyncSession:
    """One asyncio connection to an :class:`AsyncServer`."""

    def __init__(self, server: Server, response_cb: Callable[[bytes], Any]) -> None:
        self._respond = response_cb
        self._loop: asyncio.AbstractEventLoop | None = None
        # Replies produced while handle_request runs on the loop: awaited by it.
        self._outbox: list[Awaitable[Any]] | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self.session: Session = Server.new_session(server, self._send)

    def _send(self, data: bytes) -> None:
        outcome = self._respond(data)
        if not inspect.isawaitable(outcome):
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        loop = self._loop
        if running is not None and (loop is None or running is loop):
            if self._outbox is not None:
                self._outbox.append(outcome)
            else:
                task = asyncio.ensure_future(outcome)
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        elif loop is not None and not loop.is_closed():
            asyncio.run_coroutine_threadsafe(_await(outcome), loop)
        else:
            log.warning("a reply was produced with no event loop to send it on; dropped")
            if inspect.iscoroutine(outcome):
                outcome.close()

    async def handle_request(self, data: bytes) -> None:
        """Answer one encoded request; its replies are awaited before this returns."""
        self._loop = asyncio.get_running_loop()
        outbox: list[Awaitable[Any]] = []
        self._outbox = outbox
        try:
            self.session.handle_request(data)
        finally:
            self._outbox = None
        for reply in outbox:
            await reply

    def close(self) -> None:
        """Release the views and callbacks of this connection."""
        self.session.close()


class AsyncServer(Server):
    """A :class:`~.server.Server` whose sessions are awaited from an asyncio loop.

    Examples
    --------
    >>> import asyncio
    >>> from perspective_nb import AsyncClient
    >>> async def main():
    ...     server = AsyncServer()
    ...     session = server.new_session(lambda response: client.handle_response(response))
    ...     client = AsyncClient(session.handle_request)
    ...     table = await client.table("x\\n1\\n2\\n")
    ...     return await table.size()
    >>> asyncio.run(main())
    2
    """

    def new_session(  # type: ignore[override]
        self, response_cb: Callable[[bytes], Any], *args: Any, **kwargs: Any
    ) -> AsyncSession:
        """Open a session; ``response_cb(bytes)`` (function or coroutine function) gets replies."""
        if args or kwargs:
            return Server.new_session(self, response_cb, *args, **kwargs)  # type: ignore[return-value]
        return AsyncSession(self, response_cb)

    async def poll(self) -> None:  # type: ignore[override]
        """Apply the writes queued since the last poll (see ``on_poll_request``)."""
        Server.poll(self)
