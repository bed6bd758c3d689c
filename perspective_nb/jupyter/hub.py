"""The hub: which kernel hosts which table name, and routing between them.

The Jupyter server holds one :class:`Hub`. Kernels attach over their uplink
(:class:`KernelLink`) and register the names they host; browsers attach
:class:`BrowserSession` objects (``hub_session.py``), one per
``/perspective/ws`` connection. The
hub answers ``get_hosted_tables`` (including 5.x's subscription) itself,
``get_features`` through an engine session of its own, and forwards every
table or view request, unchanged, to the kernel hosting its entity,
multiplexing browser sessions over each kernel's uplink. The hub's own
engine also hosts tables of the server itself (data files opened from
JupyterLab, :meth:`Hub.host_local`); requests on those run on the engine's
worker pool, one at a time per browser session, never on the event loop.

Views belong to the browser session that made them: a view id is unique
across the hub (a ``table_make_view`` reusing one is refused before it
reaches a kernel) and requests on a view are routed only from its maker's
session, so one browser can neither read nor delete another's view.

Everything runs on the Jupyter server's event loop and nothing here blocks,
except :meth:`Hub.host_local`, which callers run on a worker thread.
This module must not import tornado handlers, jupyter_server or IPython: the
handlers are thin adapters over it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from ..errors import PerspectiveError
from ..protocol import pb
from .hub_session import BrowserSession, ViewRecord
from .kernel_link import KernelLink, NameClashError
from .uplink_frames import HUB_SESSION

__all__ = ["BrowserSession", "Hub", "KernelLink", "NameClashError", "ViewRecord"]


class Hub:
    """Table name -> hosting kernel, plus the browser sessions that use them.

    Parameters
    ----------
    engine_server : object, optional
        A ``perspective_nb.server.Server``; it answers ``get_features`` so the
        hub reports exactly what the engine supports, and hosts the server's
        own tables (:meth:`host_local`).
    """

    def __init__(self, engine_server: Any = None) -> None:
        self.kernels: dict[int, KernelLink] = {}
        self.names: dict[str, KernelLink] = {}
        self.sessions: dict[int, BrowserSession] = {}
        # Every view a browser made through the hub, by view id: ids are
        # unique across sessions, and only the maker may use its view.
        self.views: dict[str, ViewRecord] = {}
        self._engine_server = engine_server
        # What each of the hub's own tables was loaded from (see host_local).
        self._local_stamps: dict[str, Any] = {}
        self._numbers = itertools.count(HUB_SESSION + 1)

    def new_engine_session(self, send: Callable[[bytes], None]) -> Any:
        if self._engine_server is None:
            return None
        return self._engine_server.new_session(send)

    def engine_executor(self) -> Any:
        """The worker pool of the hub's engine (requests on its own tables)."""
        return self._engine_server.executor()

    # --- the server's own tables -----------------------------------------
    def local_names(self) -> set[str]:
        """Names of the tables the hub's own engine hosts."""
        if self._engine_server is None:
            return set()
        return set(self._engine_server.get_hosted_table_names())

    def is_local(self, session: int, entity_id: str) -> bool:
        """Whether ``entity_id`` is one of the hub's own tables, or ``session``'s view of one."""
        record = self.views.get(entity_id)
        if record is not None and record.session == session:
            return record.local
        return entity_id in self.local_names()

    def local_rows(self, name: str, stamp: Any) -> int | None:
        """Rows of the hub's table ``name`` if it holds the data ``stamp`` names, else None."""
        if stamp is None or self._local_stamps.get(name) != stamp:
            return None
        if name not in self.local_names():
            return None  # deleted meanwhile (e.g. by a browser)
        return self._engine_server.new_local_client().open_table(name).size()

    def host_local(self, name: str, data: Any, stamp: Any = None) -> int:
        """Host ``data`` in the hub's own engine as ``name``; return its row count.

        ``stamp`` (e.g. a file's modification time and size) names the data
        for :meth:`local_rows`, so unchanged data need not be read again.

        Hosting a name again replaces the rows (open viewers stay attached);
        a new schema needs a new table, possible once no view is open on the
        old one. Blocking (ingests the data): call it from a worker thread,
        then :meth:`hosted_changed` on the loop.

        Raises
        ------
        NameClashError
            When a kernel hosts ``name``.
        PerspectiveError
            When the data cannot be hosted.
        """
        if self._engine_server is None:
            raise PerspectiveError("this hub has no engine to host tables in")
        owner = self.names.get(name)
        if owner is not None:
            raise NameClashError(
                f"Table name {name!r} is already hosted by kernel {owner.kernel_id}; "
                "delete that table in its kernel first."
            )
        self._local_stamps.pop(name, None)
        rows = self._host_local(name, data)
        self._local_stamps[name] = stamp
        return rows

    def _host_local(self, name: str, data: Any) -> int:
        client = self._engine_server.new_local_client()
        if name not in self.local_names():
            return client.table(data, name=name).size()
        table = client.open_table(name)
        try:
            table.replace(data)
        except PerspectiveError as replace_error:
            try:
                table.delete()
            except PerspectiveError as exc:
                raise PerspectiveError(
                    f"{name!r} changed schema ({replace_error}) and is open in a viewer; "
                    "close its tabs and open it again"
                ) from exc
            return client.table(data, name=name).size()
        return table.size()

    def hosted_changed(self) -> None:
        """Tell subscribed browsers the hosted names changed (call on the loop)."""
        self._hosted_changed()

    # --- browsers ---------------------------------------------------------
    def open_browser_session(self, send: Callable[[bytes], None]) -> BrowserSession:
        """A new browser connection; call ``close()`` on it when it ends."""
        session = BrowserSession(self, next(self._numbers), send)
        self.sessions[session.number] = session
        return session

    def route(self, session: int, entity_id: str) -> KernelLink | None:
        """The kernel serving ``entity_id`` for browser ``session``, if any.

        A table name reaches its hosting kernel from any session; a view id
        only from the session that made the view.
        """
        record = self.views.get(entity_id)
        if record is not None and record.session == session:
            return record.link
        return self.names.get(entity_id)

    def claim_view(self, view_id: str, record: ViewRecord) -> str | None:
        """Reserve ``view_id`` for ``record.session``; the reason why not, if refused."""
        if not view_id:
            return "table_make_view needs a view_id; the Perspective client picks one."
        if view_id in self.views or view_id in self.names:
            return (
                f"View id {view_id!r} is already in use; make the view under a fresh id "
                "(the Perspective client does so when left to choose)."
            )
        self.views[view_id] = record
        return None

    def release_view(self, view_id: str, session: int) -> None:
        """The kernel refused or deleted ``session``'s view ``view_id``."""
        record = self.views.get(view_id)
        if record is not None and record.session == session:
            del self.views[view_id]

    # --- kernels ----------------------------------------------------------
    def attach_kernel(
        self, kernel_id: str, send_binary: Callable[[bytes], None], send_text: Callable[[str], None]
    ) -> KernelLink:
        """A kernel's uplink connected."""
        link = KernelLink(self, kernel_id, send_binary, send_text)
        self.kernels[id(link)] = link
        return link

    def detach_kernel(self, link: KernelLink) -> None:
        """Forget a kernel and every name it hosted."""
        self.kernels.pop(id(link), None)
        released = [name for name, owner in self.names.items() if owner is link]
        for name in released:
            del self.names[name]
        for record in self.views.values():
            if record.link is link:
                record.link = None  # kept, to re-attach when the table is back
        if released:
            self._hosted_changed()

    def register(self, link: KernelLink, name: str, info: dict[str, Any]) -> None:
        """Host ``name`` on ``link``'s kernel; raise :class:`NameClashError` if taken.

        ``info["ready"]`` is false while the kernel only reserved the name
        (its table does not exist yet): browsers see the name, and views of
        it re-attach, once the kernel registers it ready.
        """
        owner = self.names.get(name)
        if owner is not None and owner is not link:
            raise NameClashError(
                f"Table name {name!r} is already hosted by kernel {owner.kernel_id}; "
                f"pick another name, or delete that table in its kernel first."
            )
        if name in self.local_names():
            raise NameClashError(
                f"Table name {name!r} is already hosted by the Jupyter server (a file opened "
                "in JupyterLab); pick another name."
            )
        previous = link.names.get(name, {})
        info = {**info, "ready": bool(info.get("ready", True) or previous.get("ready"))}
        self.names[name] = link
        link.names[name] = info
        if not info["ready"]:
            return
        self._hosted_changed()
        for view_id, record in self.views.items():
            if record.link is None and not record.local and record.table == name:
                record.link = link
                link.replay_view(record.session, view_id, record.make_view)

    def unregister(self, link: KernelLink, name: str) -> None:
        """Stop hosting ``name`` (only its own kernel can release it)."""
        if self.names.get(name) is link:
            del self.names[name]
            link.names.pop(name, None)
            self._hosted_changed()

    # --- answers ----------------------------------------------------------
    def hosted(self) -> list[str]:
        """Names whose tables exist (not only reserved), sorted; the hub's own included."""
        kernels = {n for n, link in self.names.items() if link.names[n].get("ready", True)}
        return sorted(kernels | self.local_names())

    def hosted_tables_response(self, msg_id: int) -> bytes:
        response = pb.Response(msg_id=msg_id)
        infos = response.get_hosted_tables_resp.table_infos
        response.get_hosted_tables_resp.SetInParent()
        for name in self.hosted():
            link = self.names.get(name)
            info = link.names.get(name, {}) if link is not None else {}
            entry = infos.add(entity_id=name)
            if info.get("index") is not None:
                entry.index = str(info["index"])
            if info.get("limit") is not None:
                entry.limit = int(info["limit"])
        return response.SerializeToString()

    def not_found(self, request: pb.Request) -> str:
        hosted = ", ".join(repr(n) for n in self.hosted()) or "none"
        return (
            f"No table or view {request.entity_id!r} is hosted (hosted tables: {hosted}); "
            "host it from a kernel with perspective_nb.table(data, name=...)."
        )

    def _hosted_changed(self) -> None:
        for session in list(self.sessions.values()):
            for msg_id in session.subscriptions:
                session.send(self.hosted_tables_response(msg_id))

    async def describe(self) -> list[dict[str, Any]]:
        """Name, kernel id, row count and schema of every hosted table."""
        from ..protocol import column_type_name

        tables = []
        local = self.local_names()
        for name in self.hosted():
            if name in local:
                table = self._engine_server.new_local_client().open_table(name)
                size, schema = table.size(), table.schema()
                tables.append({"name": name, "kernel": None, "rows": size, "schema": schema})
                continue
            link = self.names[name]
            entry: dict[str, Any] = {"name": name, "kernel": link.kernel_id}
            try:
                size = await link.query(pb.Request(entity_id=name, table_size_req={}))
                schema = await link.query(pb.Request(entity_id=name, table_schema_req={}))
            except (PerspectiveError, asyncio.TimeoutError) as exc:
                entry.update(rows=None, schema=None, error=str(exc))
            else:
                entry["rows"] = size.table_size_resp.size
                entry["schema"] = {
                    pair.name: column_type_name(pair.type)
                    for pair in schema.table_schema_resp.schema.schema
                }
                if size.WhichOneof("client_resp") == "server_error":
                    entry["error"] = size.server_error.message
            tables.append(entry)
        return tables
