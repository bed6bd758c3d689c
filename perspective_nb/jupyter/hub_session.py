"""A browser's connection to the hub: one ``/perspective/ws`` websocket, routed per entity.

:class:`BrowserSession` answers what the hub knows itself (hosted tables,
features), forwards table and view requests to the kernel hosting their
entity (through its :class:`~perspective_nb.jupyter.kernel_link.KernelLink`),
and runs requests on the hub's own tables on the engine's worker pool.
:class:`ViewRecord` says who made a view and where it lives.

Runs on the Jupyter server's event loop; must not import tornado handlers,
jupyter_server or IPython.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..protocol import pb
from ..server.request_queue import Limits, RequestQueue
from .kernel_link import KernelLink, error_response

__all__ = ["BrowserSession", "Hub", "ViewRecord"]


class Hub(Protocol):
    """What a browser session asks of the hub (:class:`~.hub.Hub` implements it;
    a protocol, so this module does not import the hub, which imports it)."""

    views: dict[str, Any]
    sessions: dict[int, Any]
    kernels: dict[str, KernelLink]

    def new_engine_session(self, send: Callable[[bytes], None]) -> Any: ...

    def hosted_tables_response(self, msg_id: int) -> bytes: ...

    def is_local(self, session: int, entity_id: str) -> bool: ...

    def route(self, session: int, entity_id: str) -> KernelLink | None: ...

    def not_found(self, request: pb.Request) -> str: ...

    def claim_view(self, view_id: str, view: Any) -> str | None: ...

    def release_view(self, view_id: str, session: int) -> None: ...

    def engine_executor(self) -> Any: ...


_PENDING: set[asyncio.Future] = set()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


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
    #: A view of a table the hub's own engine hosts (``link`` is then None).
    local: bool = False


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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: RequestQueue | None = None
        self._local = hub.new_engine_session(self._send_from_any_thread)

    def _send_from_any_thread(self, payload: bytes) -> None:
        """Engine replies come from worker threads; the browser is written on the loop."""
        loop = self._loop
        if loop is None or _running_loop() is loop:
            self.send(payload)
        else:
            loop.call_soon_threadsafe(self.send, payload)

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
        if self.hub.is_local(self.number, request.entity_id):
            self._handle_local(request, kind, data)
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

    def _handle_local(self, request: pb.Request, kind: str | None, data: bytes) -> None:
        """A request on a table (or a view of one) the hub's own engine hosts."""
        if kind == "table_make_view_req":
            view = ViewRecord(self.number, None, request.entity_id, data, local=True)
            refusal = self.hub.claim_view(request.table_make_view_req.view_id, view)
            if refusal:
                self._refuse(request, refusal)
                return
        elif kind == "view_delete_req":
            self.hub.release_view(request.entity_id, self.number)
        if self._queue is None:
            self._loop = asyncio.get_running_loop()
            self._queue = RequestQueue(
                self._local, self.hub.engine_executor(), self._loop, Limits()
            )
        _run(self._queue.put(data))

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
        if self._queue is not None:
            loop, executor = self._loop, self.hub.engine_executor()
            self._queue.close(lambda close: loop.run_in_executor(executor, close))
        elif self._local is not None:
            self._local.close()
