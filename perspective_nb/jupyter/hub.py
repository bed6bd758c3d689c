"""The hub: which kernel hosts which table name, and routing between them.

The Jupyter server holds one :class:`Hub`. Kernels attach over their uplink
(:class:`KernelLink`) and register the names they host; browsers attach
:class:`BrowserSession` objects, one per ``/perspective/ws`` connection. The
hub answers ``get_hosted_tables`` (including 5.x's subscription) itself,
``get_features`` through an engine session of its own (it hosts no tables),
and forwards every table or view request, unchanged, to the kernel hosting
its entity, multiplexing browser sessions over each kernel's uplink.

Views belong to the browser session that made them: a view id is unique
across the hub (a ``table_make_view`` reusing one is refused before it
reaches a kernel) and requests on a view are routed only from its maker's
session, so one browser can neither read nor delete another's view.

Everything runs on the Jupyter server's event loop; nothing here blocks.
This module must not import tornado handlers, jupyter_server or IPython: the
handlers are thin adapters over it.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import PerspectiveError
from ..protocol import pb
from .kernel_link import KernelLink, NameClashError, error_response
from .uplink_frames import HUB_SESSION

__all__ = ["BrowserSession", "Hub", "KernelLink", "NameClashError", "ViewRecord"]

_PENDING: set[asyncio.Future] = set()


def _run(result: Any) -> None:
    """Schedule ``result`` if the engine session returned a coroutine."""
    if inspect.isawaitable(result):
        # Keep a reference until done, or the task may be garbage collected.
        future = asyncio.ensure_future(result)
        _PENDING.add(future)
        future.add_done_callback(_PENDING.discard)


@dataclass
class ViewRecord:
    """Who made a view (only that browser session may use it) and where it lives."""

    session: int
    #: The kernel holding the view; None while its table's kernel is gone.
    link: KernelLink | None
    table: str
    #: The ``table_make_view`` request, replayed to re-create the view.
    make_view: bytes


class BrowserSession:
    """One browser websocket: the Perspective protocol, routed per entity.

    Parameters
    ----------
    hub : Hub
        The hub routing this session's requests.
    send : callable
        Write one binary Perspective ``Response`` to the browser.
    """

    def __init__(self, hub: Hub, number: int, send: Callable[[bytes], None]) -> None:
        self.hub = hub
        self.number = number
        self.send = send
        self.subscriptions: set[int] = set()
        self._local = hub.new_engine_session(send)

    def handle_request(self, data: bytes) -> None:
        """Answer or forward one binary Perspective ``Request``."""
        try:
            request = pb.Request.FromString(data)
        except Exception:  # protobuf raises DecodeError and friends
            self.send(error_response(0, "", "The hub received a malformed Perspective request."))
            return
        kind = request.WhichOneof("client_req")
        if kind == "get_hosted_tables_req":
            if request.get_hosted_tables_req.subscribe:
                # 5.x keeps this request pending and is answered on each change.
                self.subscriptions.add(request.msg_id)
            else:
                self.send(self.hub.hosted_tables_response(request.msg_id))
            return
        if kind == "remove_hosted_tables_update_req":
            self.subscriptions.discard(request.remove_hosted_tables_update_req.id)
            response = pb.Response(msg_id=request.msg_id)
            response.remove_hosted_tables_update_resp.SetInParent()
            self.send(response.SerializeToString())
            return
        if kind in ("get_features_req", "server_system_info_req") and self._local is not None:
            _run(self._local.handle_request(data))
            return
        record = self.hub.views.get(request.entity_id)
        if record is not None and record.session == self.number and record.link is None:
            self._orphaned(request, record)
            return
        link = self.hub.route(self.number, request.entity_id)
        if link is None:
            self._refuse(request, self.hub.not_found(request))
            return
        if kind == "table_make_view_req":
            view = ViewRecord(self.number, link, request.entity_id, data)
            refusal = self.hub.claim_view(request.table_make_view_req.view_id, view)
            if refusal:
                self._refuse(request, refusal)
                return
        link.forward(self, request, data)

    def _orphaned(self, request: pb.Request, record: ViewRecord) -> None:
        """A request on a view whose kernel is gone (it re-attaches when re-hosted)."""
        if request.WhichOneof("client_req") == "view_delete_req":
            del self.hub.views[request.entity_id]
            response = pb.Response(msg_id=request.msg_id, entity_id=request.entity_id)
            response.view_delete_resp.SetInParent()
            self.send(response.SerializeToString())
            return
        self._refuse(
            request,
            f"View {request.entity_id!r} lost its kernel: table {record.table!r} is not hosted "
            f"right now. The view comes back when {record.table!r} is hosted again "
            "(re-run the cell that hosts it), or make a new view then.",
        )

    def _refuse(self, request: pb.Request, message: str) -> None:
        self.send(error_response(request.msg_id, request.entity_id, message))

    def close(self) -> None:
        """The browser went away: close its sessions in every kernel."""
        self.hub.sessions.pop(self.number, None)
        for view_id in [v for v, record in self.hub.views.items() if record.session == self.number]:
            del self.hub.views[view_id]
        for link in list(self.hub.kernels.values()):
            link.close_session(self.number)
        if self._local is not None:
            self._local.close()


class Hub:
    """Table name -> hosting kernel, plus the browser sessions that use them.

    Parameters
    ----------
    engine_server : object, optional
        A ``perspective_nb.server.Server`` hosting no tables; it answers
        ``get_features`` so the hub reports exactly what the engine supports.
    """

    def __init__(self, engine_server: Any = None) -> None:
        self.kernels: dict[int, KernelLink] = {}
        self.names: dict[str, KernelLink] = {}
        self.sessions: dict[int, BrowserSession] = {}
        # Every view a browser made through the hub, by view id: ids are
        # unique across sessions, and only the maker may use its view.
        self.views: dict[str, ViewRecord] = {}
        self._engine_server = engine_server
        self._numbers = itertools.count(HUB_SESSION + 1)

    def new_engine_session(self, send: Callable[[bytes], None]) -> Any:
        if self._engine_server is None:
            return None
        return self._engine_server.new_session(send)

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
        previous = link.names.get(name, {})
        info = {**info, "ready": bool(info.get("ready", True) or previous.get("ready"))}
        self.names[name] = link
        link.names[name] = info
        if not info["ready"]:
            return
        self._hosted_changed()
        for view_id, record in self.views.items():
            if record.link is None and record.table == name:
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
        """Names whose tables exist (not only reserved), sorted."""
        return sorted(n for n, link in self.names.items() if link.names[n].get("ready", True))

    def hosted_tables_response(self, msg_id: int) -> bytes:
        response = pb.Response(msg_id=msg_id)
        infos = response.get_hosted_tables_resp.table_infos
        response.get_hosted_tables_resp.SetInParent()
        for name in self.hosted():
            info = self.names[name].names.get(name, {})
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
        for name in self.hosted():
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
