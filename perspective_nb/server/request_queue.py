"""Scheduling one connection's requests: in order, fairly, bounded, with a time limit.

A transport hands each request frame of a connection to its
:class:`RequestQueue` on the connection's asyncio loop. The queue runs the
requests one at a time, in arrival order (an update is applied before the
view read that follows it), on a worker pool shared by all connections:

- *fair*: a connection occupies at most one worker, and it gives the worker
  back after every request, so a new connection's cheap request is queued
  behind at most one request per busy connection, never behind another
  connection's whole backlog;
- *bounded*: :class:`Limits` caps the requests received but not started and
  the reply bytes written but not yet taken by the client. Past the reply
  budget no request starts; past the request cap :meth:`RequestQueue.put`
  waits, so the transport stops reading and the client's sends block
  (backpressure) instead of the server's memory growing;
- *time-limited*: a request running longer than ``request_timeout`` is
  answered with ``server_error`` and its late reply is dropped. Python cannot
  interrupt a running computation, so the connection's next request starts
  when it ends;
- *cancelled on close*: requests not yet started are dropped, the running
  one's reply is discarded, and the session releases its views and callbacks.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .session import Session

__all__ = ["Limits", "RequestQueue", "peek_ids"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """Per-connection limits of a :class:`RequestQueue`.

    Parameters
    ----------
    max_pending_requests : int, default 32
        Requests received but not yet started; past it the transport stops
        reading from the connection until one starts.
    max_pending_bytes : int, default 64 MiB
        Budget for request bytes queued and for reply bytes not yet taken by
        the client; past it no further request starts (replies to a client
        that does not read are not piled up in memory). One reply larger than
        the budget is still sent whole.
    request_timeout : float or None, default 300
        Seconds a request may run before the client gets a ``server_error``
        instead of its reply. None: no limit.
    """

    max_pending_requests: int = 32
    max_pending_bytes: int = 64 * 1024 * 1024
    request_timeout: float | None = 300.0

    def __post_init__(self) -> None:
        if self.max_pending_requests < 1:
            raise ValueError(
                f"max_pending_requests must be at least 1, not {self.max_pending_requests!r}"
            )
        if self.max_pending_bytes < 1:
            raise ValueError(
                f"max_pending_bytes must be a positive byte count, not {self.max_pending_bytes!r}"
            )
        if self.request_timeout is not None and self.request_timeout <= 0:
            raise ValueError(
                f"request_timeout must be positive seconds or None, not {self.request_timeout!r}"
            )


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise ValueError("truncated varint")


def peek_ids(data: bytes) -> tuple[int, str]:
    """``(msg_id, entity_id)`` of an encoded ``Request`` or ``Response``, from its first bytes.

    Both fields lead the message (field numbers 1 and 2), so a prefix is
    enough: used to answer a request too large to decode, or one abandoned
    after its time limit. Returns ``(0, "")`` for what it cannot read.
    """
    msg_id, entity_id, pos = 0, "", 0
    try:
        while pos < len(data):
            key, pos = _varint(data, pos)
            field, wire = key >> 3, key & 7
            if field == 1 and wire == 0:
                msg_id, pos = _varint(data, pos)
            elif field == 2 and wire == 2:
                size, pos = _varint(data, pos)
                if pos + size > len(data):
                    break
                entity_id = data[pos : pos + size].decode("utf-8", "replace")
                pos += size
            else:
                break
    except ValueError:
        pass
    return msg_id, entity_id


class _Run:
    """One request being executed."""

    __slots__ = ("abandoned", "entity_id", "msg_id", "timer")

    def __init__(self, data: bytes) -> None:
        self.msg_id, self.entity_id = peek_ids(data[:512])
        self.abandoned = False
        self.timer: asyncio.TimerHandle | None = None


class RequestQueue:
    """Runs one connection's requests on a shared pool (see the module docstring).

    Create and use it on the connection's event loop thread; only
    :meth:`dropping` is called from other threads.

    Parameters
    ----------
    session : Session
        The connection's session; requests go to its ``handle_request``.
    executor : concurrent.futures.Executor
        The worker pool shared by the connections.
    loop : asyncio.AbstractEventLoop
        The connection's loop (where replies are written).
    limits : Limits
        This connection's bounds.
    """

    def __init__(
        self,
        session: Session,
        executor: concurrent.futures.Executor,
        loop: asyncio.AbstractEventLoop,
        limits: Limits,
    ) -> None:
        self._session = session
        self._executor = executor
        self._loop = loop
        self.limits = limits
        self._queue: collections.deque[bytes] = collections.deque()
        self.queued_bytes = 0
        #: Reply bytes handed to the transport and not yet taken by the client.
        self.unflushed_bytes = 0
        self._running: _Run | None = None
        self._space: list[asyncio.Future[None]] = []
        self._closed = False
        self._local = threading.local()

    # -- requests in ------------------------------------------------------

    @property
    def pending(self) -> int:
        """Requests received and not yet started."""
        return len(self._queue)

    def _full(self) -> bool:
        return (
            len(self._queue) >= self.limits.max_pending_requests
            or self.queued_bytes >= self.limits.max_pending_bytes
        )

    async def put(self, data: bytes) -> None:
        """Queue one request; return when the connection may read the next one."""
        if self._closed:
            return
        self._queue.append(data)
        self.queued_bytes += len(data)
        self._pump()
        while self._full() and not self._closed:
            space = self._loop.create_future()
            self._space.append(space)
            await space

    def _wake(self) -> None:
        if self._full() and not self._closed:
            return
        space, self._space = self._space, []
        for future in space:
            if not future.done():
                future.set_result(None)

    # -- running ----------------------------------------------------------

    def _pump(self) -> None:
        if self._running is not None or self._closed or not self._queue:
            return
        if self.unflushed_bytes >= self.limits.max_pending_bytes:
            return  # resumed by written() once the client reads
        data = self._queue.popleft()
        self.queued_bytes -= len(data)
        run = self._running = _Run(data)
        try:
            future = self._loop.run_in_executor(self._executor, self._execute, run, data)
        except RuntimeError:  # the pool was shut down: the server is stopping
            self._running = None
            self._queue.clear()
            self.queued_bytes = 0
            self._wake()
            self._session.send_error(
                run.msg_id, run.entity_id, "the server is shutting down; reconnect later"
            )
            return
        future.add_done_callback(lambda f: self._finished(run, f))
        if self.limits.request_timeout is not None:
            run.timer = self._loop.call_later(self.limits.request_timeout, self._expire, run)
        self._wake()

    def _execute(self, run: _Run, data: bytes) -> None:
        self._local.run = run
        try:
            self._session.handle_request(data)
        finally:
            self._local.run = None

    def _finished(self, run: _Run, future: asyncio.Future[None]) -> None:
        if run.timer is not None:
            run.timer.cancel()
        if not future.cancelled() and future.exception() is not None:
            log.error("a perspective request failed", exc_info=future.exception())
        self._running = None
        self._pump()

    def _expire(self, run: _Run) -> None:
        if self._running is not run or self._closed:
            return
        run.abandoned = True
        seconds = self.limits.request_timeout
        self._session.send_error(
            run.msg_id,
            run.entity_id,
            f"the request took longer than {seconds:g} s and was abandoned; ask for less "
            "(a smaller viewport, fewer columns) or raise the server's request_timeout",
        )

    def dropping(self, reply: bytes) -> bool:
        """Whether ``reply``, sent from the calling thread, answers an abandoned request.

        Streaming replies to other requests that the abandoned one triggers
        (an update firing this connection's ``on_update``) still go out.
        """
        run = getattr(self._local, "run", None)
        return run is not None and run.abandoned and peek_ids(reply[:16])[0] == run.msg_id

    # -- replies out ------------------------------------------------------

    def written(self, size: int, flushed: Any) -> None:
        """Account a reply of ``size`` bytes until ``flushed`` (a future) is done."""
        self.unflushed_bytes += size

        def done(future: Any) -> None:
            if not future.cancelled():
                future.exception()  # a closed stream; on_close handles it
            self.unflushed_bytes -= size
            self._pump()

        flushed.add_done_callback(done)

    # -- closing ----------------------------------------------------------

    def close(self, release: Callable[[Callable[[], None]], Any]) -> None:
        """Drop the requests not started, abandon the running one, close the session.

        ``release(fn)`` runs ``fn`` (the session's close) off the loop thread.
        """
        if self._closed:
            return
        self._closed = True
        self._queue.clear()
        self.queued_bytes = 0
        if self._running is not None:
            self._running.abandoned = True
        self._wake()
        release(self._session.close)
