"""The Server: a :class:`~.registry.Registry` that opens sessions and local clients.

A :class:`Server` is transport-free: connections reach it only through
``new_session(send).handle_request(bytes)``, and the in-process client
through :meth:`Server.new_local_client`. It also owns the worker pool that
network transports run requests on (:meth:`Server.executor`), shared by all
of its connections, and :meth:`Server.close` stops it.

With ``on_poll_request`` it follows Perspective's pattern for serving from
another thread or event loop: table writes queue, the callback is told, and
``server.poll()`` (called where the owner wants the work done) applies them.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

from ..client.local import LocalClient
from ..protocol import perspective_pb2 as pb
from ..protocol.features import features_response
from .dispatch import HANDLERS
from .registry import Registry
from .session import Session

__all__ = ["DEFAULT_MAX_WORKERS", "Server"]

#: Default size of the worker pool shared by a server's connections. More
#: threads than cores on purpose: a connection holds at most one worker, and
#: heavy requests release the GIL in Arrow, so a spare worker lets a cheap
#: request of another connection run while heavy ones compute.
DEFAULT_MAX_WORKERS = 16


class Server(Registry):
    """Hosts engine tables by name and serves them over Perspective's protocol.

    Examples
    --------
    >>> server = Server()
    >>> client = server.new_local_client()
    >>> table = client.table({"a": [1, 2, 3]}, name="numbers")
    >>> server.get_hosted_table_names()
    ['numbers']

    Serving from an event loop: writes wait for ``poll()`` on the loop.

    >>> import asyncio
    >>> loop = asyncio.new_event_loop()
    >>> server = Server(on_poll_request=lambda s: loop.call_soon_threadsafe(s.poll))

    Parameters
    ----------
    on_poll_request : callable, optional
        ``on_poll_request(server)`` is called when table writes are queued;
        they apply (and ``on_update`` fires) when :meth:`poll` is called.
        Without it, writes apply as they arrive.
    max_workers : int, default 16
        Threads of the pool network connections run their requests on.
    """

    def __init__(
        self,
        on_poll_request: Callable[[Server], Any] | None = None,
        max_workers: int = DEFAULT_MAX_WORKERS,
    ) -> None:
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, not {max_workers!r}")
        if on_poll_request is not None and not callable(on_poll_request):
            raise TypeError(
                f"on_poll_request must be a callable taking the server, not {on_poll_request!r}"
            )
        super().__init__(on_poll_request)
        self.max_workers = max_workers
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None

    def features(self) -> pb.GetFeaturesResp:
        """What this server's clients are told it supports (``get_features``).

        The in-memory engine's aggregates, filters, rollup modes and window
        columns; a server hosting only tables of another kind overrides it.
        """
        return features_response()

    # -- sessions and clients ---------------------------------------------------

    def new_session(
        self,
        send: Callable[..., Any],
        generation: int | None = None,
        out_of_band: bool = False,
    ) -> Session:
        """Open a session whose responses are passed, encoded, to ``send``.

        ``send`` may be called from any thread (streaming replies fire in the
        thread that updated the table), and after ``handle_request`` returns.
        ``generation`` (3 or 5) fixes the client generation for the few
        replies the two encode differently; by default it is inferred.
        ``out_of_band=True`` (in-process clients) makes ``send`` receive
        ``(Response message, payload)`` pairs instead of bytes.
        """
        session = Session(self, send, HANDLERS, generation, out_of_band)
        self.add_session(session)
        return session

    def new_local_client(self, loop_callback: Callable[..., Any] | None = None) -> LocalClient:
        """Return an in-process :class:`~perspective_nb.client.Client` backed by a new session.

        ``loop_callback(function, *args)``, if given, runs the client's
        callbacks (e.g. ``loop.call_soon_threadsafe``).
        """
        return LocalClient(self, loop_callback)

    def executor(self) -> concurrent.futures.Executor:
        """The worker pool shared by this server's network connections (made on first use)."""
        with self._lock:
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    self.max_workers, thread_name_prefix="perspective-nb-request"
                )
            return self._executor

    def close(self, wait: bool = True) -> None:
        """Close every session (releasing their views) and stop the worker pool.

        Hosted tables stay; a later connection starts a new pool. ``wait``
        waits for requests still running.
        """
        for session in self.sessions:
            session.close()
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)
