"""What a server hosts: tables by name, views by id, the sessions, and queued writes.

:class:`Registry` is the state every :class:`~.session.Session` reads and
writes through its request handlers, and it owns the bookkeeping of each
entry: hosting and deleting tables (with subscriptions to changes of the
hosted set), registering and deleting views (telling every session), and the
writes held back until :meth:`Registry.poll` when the server was made with
``on_poll_request``. :class:`~.server.Server` adds sessions, clients and the
worker pool on top.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from ..errors import PerspectiveError, TableNotFoundError

__all__ = ["Registry"]

log = logging.getLogger(__name__)


class Registry:
    """Hosted tables, open views, open sessions and queued writes of one server.

    Parameters
    ----------
    on_poll_request : callable, optional
        When given, table writes arriving through sessions (update, remove,
        replace, clear) are queued, ``on_poll_request(server)`` is called,
        and the writes apply (firing ``on_update``) when :meth:`poll` runs.
    """

    def __init__(self, on_poll_request: Callable[[Any], Any] | None = None) -> None:
        self._lock = threading.RLock()
        self._tables: dict[str, Any] = {}
        self._delete_hooks: dict[str, int] = {}
        self._views: dict[str, tuple[Any, Any]] = {}
        self._sessions: set[Any] = set()
        self._hosted_listeners: dict[int, Callable[[], None]] = {}
        self._next_listener = 0
        self._on_poll_request = on_poll_request
        self._queued_writes: list[Callable[[], None]] = []

    # -- sessions -----------------------------------------------------------

    def add_session(self, session: Any) -> None:
        """Record an open session (done by ``new_session``)."""
        with self._lock:
            self._sessions.add(session)

    def forget_session(self, session: Any) -> None:
        """Drop a closed session."""
        with self._lock:
            self._sessions.discard(session)

    @property
    def sessions(self) -> list[Any]:
        """The open sessions (a snapshot)."""
        with self._lock:
            return list(self._sessions)

    # -- tables -------------------------------------------------------------

    def make_table(
        self,
        name: str,
        data: Any,
        index: str | None,
        limit: int | None,
        *,
        list_flatten: str | None = None,
        page_to_disk: bool = False,
    ) -> Any:
        """Create an engine table from ``data`` and host it under ``name``.

        A DuckDB relation, a Spark DataFrame or a
        :class:`~perspective_nb.virtual.Hosted` name becomes a
        :class:`~perspective_nb.virtual.VirtualTable` (its rows stay in the
        database); anything else an in-memory engine table.
        """
        from ..engine.table import Table
        from ..virtual import is_virtual, virtual_table

        with self._lock:
            if name in self._tables:
                raise PerspectiveError(
                    f"a table named {name!r} is already hosted; pick another name "
                    "or delete the existing table first"
                )
        if is_virtual(data):
            if limit is not None:
                raise PerspectiveError(
                    f"table {name!r} lives in a database, which keeps every row; drop limit"
                )
            table = virtual_table(data, name=name, index=index)
        else:
            table = Table(
                data,
                name=name,
                index=index,
                limit=limit,
                list_flatten=list_flatten,
                page_to_disk=page_to_disk,
            )
        self.host_table(table)
        return table

    def make_join(
        self,
        name: str,
        left: str,
        right: str,
        on: str,
        join_type: str = "inner",
        right_on: str | None = None,
    ) -> Any:
        """Host under ``name`` the read-only join of the hosted tables ``left`` and ``right``.

        The join follows every write to either table (see
        :class:`~perspective_nb.engine.join.JoinTable`).
        """
        from ..engine.join import JoinTable

        with self._lock:
            if name in self._tables:
                raise PerspectiveError(
                    f"a table named {name!r} is already hosted; pick another name "
                    "or delete the existing table first"
                )
        table = JoinTable(
            self.get_table(left),
            self.get_table(right),
            on,
            name=name,
            join_type=join_type,
            right_on=right_on,
        )
        try:
            self.host_table(table)
        except Exception:
            table.delete()  # a race for the name: stop following the sources
            raise
        return table

    def make_view_table(self, name: str, view_id: str, schema: dict[str, str] | None = None) -> Any:
        """Host under ``name`` a read-only table following the view ``view_id``.

        See :class:`~perspective_nb.engine.derived.ViewTable`; the view cannot
        be deleted while the table lives.
        """
        from ..engine.derived import ViewTable

        with self._lock:
            if name in self._tables:
                raise PerspectiveError(
                    f"a table named {name!r} is already hosted; pick another name "
                    "or delete the existing table first"
                )
        table = ViewTable(self.get_view(view_id), name=name, schema=schema)
        try:
            self.host_table(table)
        except Exception:
            table.delete()
            raise
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

    # -- views --------------------------------------------------------------

    def register_view(self, view_id: str, view: Any, session: Any) -> None:
        """Record a view opened by ``session`` under the client-chosen ``view_id``."""
        with self._lock:
            if view_id in self._views:
                raise PerspectiveError(
                    f"a view with id {view_id!r} already exists; choose a fresh view id"
                )
            self._views[view_id] = (view, session)
        session.add_view(view_id)

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

    def delete_view(self, view_id: str) -> None:
        """Delete a view: fire its ``on_delete``, forget it, and tell every session.

        Raises
        ------
        PerspectiveError
            While a table made from the view (``client.table(view)``) is hosted.
        """
        view = self.get_view(view_id)
        derived = [
            name
            for name, table in self.hosted_tables()
            if getattr(table, "source_view", None) is view
        ]
        if derived:
            raise PerspectiveError(
                f"cannot delete view {view_id!r}: table(s) {derived} are made from it; "
                "delete those first"
            )
        view.delete()  # fires on_delete subscribers before the sessions forget them
        self.forget_view(view_id)
        for session in self.sessions:
            session.forget_entity(view_id)

    def view_ids(self) -> list[str]:
        """Ids of every open view (a snapshot)."""
        with self._lock:
            return list(self._views)

    # -- writes held for poll() -----------------------------------------------

    def run_write(self, write: Callable[[], None]) -> None:
        """Apply a table write now, or queue it for :meth:`poll` (``on_poll_request``)."""
        if self._on_poll_request is None:
            write()
            return
        with self._lock:
            first = not self._queued_writes
            self._queued_writes.append(write)
        if first:
            self._on_poll_request(self)

    def poll(self) -> None:
        """Apply the queued table writes in arrival order, firing their notifications.

        Only needed with ``on_poll_request``; otherwise writes apply at once.
        A queued write that fails (bad data) is logged and leaves its table
        unchanged; the later ones still apply.
        """
        with self._lock:
            writes, self._queued_writes = self._queued_writes, []
        for write in writes:
            try:
                write()
            except Exception as exc:
                log.error("a queued table write failed and was not applied: %s", exc)
