"""The Server: tables hosted by name, the views opened on them, and their sessions.

A :class:`Server` owns the registry every :class:`~.session.Session` reads
and writes: ``name -> engine Table`` and ``view id -> engine View`` (with the
session that opened it), plus the subscriptions to changes of the hosted
set. It is transport-free: connections reach it only through
``new_session(send).handle_request(bytes)``, and the in-process client
through :meth:`Server.new_local_client`. It also owns the worker pool that
network transports run requests on (:meth:`Server.executor`), shared by all
of its connections, and :meth:`Server.close` stops it.

Imports the engine and the protocol; must not import handlers or jupyter.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import PerspectiveError, TableNotFoundError

if TYPE_CHECKING:
    from .local import LocalClient
    from .session import Session

__all__ = ["DEFAULT_MAX_WORKERS", "Server"]

#: Default size of the worker pool shared by a server's connections. More
#: threads than cores on purpose: a connection holds at most one worker, and
#: heavy requests release the GIL in Arrow, so a spare worker lets a cheap
#: request of another connection run while heavy ones compute.
DEFAULT_MAX_WORKERS = 16


def _engine_table_class() -> type:
    from ..engine.table import Table

    return Table


class Server:
    """Hosts engine tables by name and serves them over Perspective's protocol.

    Examples
    --------
    >>> server = Server()
    >>> client = server.new_local_client()
    >>> table = client.table({"a": [1, 2, 3]}, name="numbers")
    >>> server.get_hosted_table_names()
    ['numbers']

    Parameters
    ----------
    max_workers : int, default 16
        Threads of the pool network connections run their requests on.
    """

    def __init__(self, max_workers: int = DEFAULT_MAX_WORKERS) -> None:
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, not {max_workers!r}")
        self.max_workers = max_workers
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.RLock()
        self._tables: dict[str, Any] = {}
        self._delete_hooks: dict[str, int] = {}
        self._views: dict[str, tuple[Any, Session]] = {}
        self._sessions: set[Session] = set()
        self._hosted_listeners: dict[int, Callable[[], None]] = {}
        self._next_listener = 0

    # -- sessions ---------------------------------------------------------

    def new_session(
        self,
        send: Callable[..., None],
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
        from .session import Session

        session = Session(self, send, generation, out_of_band)
        with self._lock:
            self._sessions.add(session)
        return session

    def new_local_client(self) -> LocalClient:
        """Return an in-process :class:`~.client.Client` backed by a new session."""
        from .local import LocalClient

        return LocalClient(self)

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

    def _forget_session(self, session: Session) -> None:
        with self._lock:
            self._sessions.discard(session)

    @property
    def sessions(self) -> list[Session]:
        """The open sessions (a snapshot)."""
        with self._lock:
            return list(self._sessions)

    # -- tables -----------------------------------------------------------

    def make_table(self, name: str, data: Any, index: str | None, limit: int | None) -> Any:
        """Create an engine table from ``data`` and host it under ``name``."""
        with self._lock:
            if name in self._tables:
                raise PerspectiveError(
                    f"a table named {name!r} is already hosted; pick another name "
                    "or delete the existing table first"
                )
        table = _engine_table_class()(data, name=name, index=index, limit=limit)
        self.host_table(table)
        return table

    def host_table(self, table: Any, name: str | None = None) -> None:
        """Host an existing engine table under ``name`` (default: its own name)."""
        name = table.get_name() if name is None else name
        with self._lock:
            if name in self._tables:
                raise PerspectiveError(
                    f"a table named {name!r} is already hosted; pick another name"
                )
            self._tables[name] = table
            self._delete_hooks[name] = table.on_delete(lambda: self._on_table_deleted(name))
        self._notify_hosted()

    def _on_table_deleted(self, name: str) -> None:
        with self._lock:
            removed = self._tables.pop(name, None)
            self._delete_hooks.pop(name, None)
        if removed is not None:
            self._notify_hosted()

    def get_table(self, name: str) -> Any:
        """Return the engine table hosted as ``name``.

        Raises
        ------
        TableNotFoundError
            When no table has that name.
        """
        with self._lock:
            table = self._tables.get(name)
        if table is None:
            raise TableNotFoundError(
                f"no table named {name!r} is hosted; hosted tables: {self.get_hosted_table_names()}"
            )
        return table

    def get_hosted_table_names(self) -> list[str]:
        """Names of the hosted tables, in creation order."""
        with self._lock:
            return list(self._tables)

    def hosted_tables(self) -> list[tuple[str, Any]]:
        """``(name, engine table)`` pairs, in creation order (a snapshot)."""
        with self._lock:
            return list(self._tables.items())

    # -- hosted-set subscriptions ------------------------------------------

    def on_hosted_tables_update(self, callback: Callable[[], None]) -> int:
        """Call ``callback()`` whenever a table is hosted or deleted; return an id."""
        with self._lock:
            self._next_listener += 1
            self._hosted_listeners[self._next_listener] = callback
            return self._next_listener

    def remove_hosted_tables_update(self, listener_id: int) -> None:
        """Stop a callback registered with :meth:`on_hosted_tables_update`."""
        with self._lock:
            self._hosted_listeners.pop(listener_id, None)

    def _notify_hosted(self) -> None:
        with self._lock:
            listeners = list(self._hosted_listeners.values())
        for listener in listeners:
            listener()

    # -- views ------------------------------------------------------------

    def register_view(self, view_id: str, view: Any, session: Session) -> None:
        """Record a view opened by ``session`` under the client-chosen ``view_id``."""
        with self._lock:
            if view_id in self._views:
                raise PerspectiveError(
                    f"a view with id {view_id!r} already exists; choose a fresh view id"
                )
            self._views[view_id] = (view, session)

    def get_view(self, view_id: str) -> Any:
        """Return the engine view registered as ``view_id``."""
        with self._lock:
            entry = self._views.get(view_id)
        if entry is None:
            raise TableNotFoundError(
                f"no view with id {view_id!r}; it was deleted or never created"
            )
        return entry[0]

    def forget_view(self, view_id: str) -> None:
        """Drop ``view_id`` from the registry (the engine view is deleted by the caller)."""
        with self._lock:
            self._views.pop(view_id, None)

    def view_ids(self) -> list[str]:
        """Ids of every open view (a snapshot)."""
        with self._lock:
            return list(self._views)
