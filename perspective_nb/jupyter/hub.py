"""The hub: which kernel hosts which table name, and routing between them.

The Jupyter server holds one :class:`Hub`. Kernels attach over their uplink
(:class:`KernelLink`) and register the names they host; browsers attach
:class:`BrowserSession` objects, one per ``/perspective/ws`` connection. The
hub answers ``get_hosted_tables`` (including 5.x's subscription) itself,
``get_features`` through an engine session of its own (it hosts no tables),
and forwards every table or view request, unchanged, to the kernel hosting
its entity, multiplexing browser sessions over each kernel's uplink.

Everything runs on the Jupyter server's event loop; nothing here blocks.
This module must not import tornado handlers, jupyter_server or IPython: the
handlers are thin adapters over it.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
from collections.abc import Callable
from typing import Any

from ..errors import PerspectiveError, ProtocolError
from ..protocol import pb
from .uplink_frames import HUB_SESSION, encode_control, pack_frame, unpack_frame

__all__ = ["BrowserSession", "Hub", "KernelLink", "NameClashError"]

# Requests that stay open after their first reply (the kernel answers them
# again on every update): they are not "in flight" for kernel-death errors.
_STREAMING = {"view_on_update_req", "table_on_delete_req", "view_on_delete_req"}


class NameClashError(PerspectiveError, ValueError):
    """A table name is already hosted by another kernel."""


def _error_response(msg_id: int, entity_id: str, message: str) -> bytes:
    response = pb.Response(msg_id=msg_id, entity_id=entity_id)
    response.server_error.message = message
    return response.SerializeToString()


_PENDING: set[asyncio.Future] = set()


def _run(result: Any) -> None:
    """Schedule ``result`` if the engine session returned a coroutine."""
    if inspect.isawaitable(result):
        # Keep a reference until done, or the task may be garbage collected.
        future = asyncio.ensure_future(result)
        _PENDING.add(future)
        future.add_done_callback(_PENDING.discard)


class KernelLink:
    """The hub's side of one kernel's uplink.

    Parameters
    ----------
    hub : Hub
        The hub this kernel attaches to.
    kernel_id : str
        The Jupyter kernel id the kernel reported.
    send_binary, send_text : callable
        Write one binary / text frame to the uplink websocket.
    """

    def __init__(
        self,
        hub: Hub,
        kernel_id: str,
        send_binary: Callable[[bytes], None],
        send_text: Callable[[str], None],
    ) -> None:
        self.hub = hub
        self.kernel_id = kernel_id
        self._send_binary = send_binary
        self._send_text = send_text
        self.names: dict[str, dict[str, Any]] = {}
        self._in_flight: dict[tuple[int, int], str] = {}
        self._hub_waiters: dict[int, asyncio.Future] = {}
        self._hub_ids = itertools.count(1)
        self._sessions: set[int] = set()

    # --- browser -> kernel ------------------------------------------------
    def forward(self, session: BrowserSession, request: pb.Request, data: bytes) -> None:
        """Send a browser's request to this kernel, tagged with its session."""
        kind = request.WhichOneof("client_req")
        if kind not in _STREAMING:
            self._in_flight[(session.number, request.msg_id)] = request.entity_id
        self._sessions.add(session.number)
        self._send_binary(pack_frame(session.number, data))

    def close_session(self, number: int) -> None:
        """Tell the kernel a browser session ended (it drops its views)."""
        if number in self._sessions:
            self._sessions.discard(number)
            self._send_text(encode_control("close", session=number))

    async def query(self, request: pb.Request, timeout: float = 10.0) -> pb.Response:
        """Ask the kernel one request on the hub's own session; await the reply."""
        request.msg_id = next(self._hub_ids)
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._hub_waiters[request.msg_id] = future
        self._send_binary(pack_frame(HUB_SESSION, request.SerializeToString()))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._hub_waiters.pop(request.msg_id, None)

    # --- kernel -> hub ----------------------------------------------------
    def on_binary(self, frame: bytes) -> None:
        """A reply from the kernel: route it to the browser session (or hub)."""
        number, payload = unpack_frame(frame)
        if number == HUB_SESSION:
            response = pb.Response.FromString(payload)
            future = self._hub_waiters.get(response.msg_id)
            if future is not None and not future.done():
                future.set_result(response)
            return
        response = pb.Response.FromString(payload)
        self._in_flight.pop((number, response.msg_id), None)
        session = self.hub.sessions.get(number)
        if session is not None:
            session.send(payload)

    def on_control(self, message: dict[str, Any]) -> None:
        """A JSON control message from the kernel (register / unregister)."""
        op = message["op"]
        rid = message.get("rid")
        if op == "register":
            name = str(message.get("name", ""))
            info = {"index": message.get("index"), "limit": message.get("limit")}
            try:
                self.hub.register(self, name, info)
            except NameClashError as exc:
                self._send_text(encode_control("reply", rid=rid, ok=False, error=str(exc)))
                return
            self._send_text(encode_control("reply", rid=rid, ok=True))
        elif op == "unregister":
            self.hub.unregister(self, str(message.get("name", "")))
            if rid is not None:
                self._send_text(encode_control("reply", rid=rid, ok=True))
        else:
            raise ProtocolError(f"unknown uplink control op {op!r}; expected register/unregister")

    def on_close(self) -> None:
        """The kernel died or disconnected: release its names, fail its requests."""
        self.hub.detach_kernel(self)
        message = (
            f"Kernel {self.kernel_id} disconnected (it died, restarted or was shut down); "
            "re-run the cell that hosts this table."
        )
        for (number, msg_id), entity_id in list(self._in_flight.items()):
            session = self.hub.sessions.get(number)
            if session is not None:
                session.send(_error_response(msg_id, entity_id, message))
        self._in_flight.clear()
        for future in self._hub_waiters.values():
            if not future.done():
                future.set_exception(PerspectiveError(message))


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
        self.views: dict[str, KernelLink] = {}
        self.subscriptions: set[int] = set()
        self._local = hub.new_engine_session(send)

    def handle_request(self, data: bytes) -> None:
        """Answer or forward one binary Perspective ``Request``."""
        try:
            request = pb.Request.FromString(data)
        except Exception:  # protobuf raises DecodeError and friends
            self.send(_error_response(0, "", "The hub received a malformed Perspective request."))
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
        link = self.hub.names.get(request.entity_id) or self.views.get(request.entity_id)
        if link is None:
            self.send(
                _error_response(request.msg_id, request.entity_id, self.hub.not_found(request))
            )
            return
        if kind == "table_make_view_req":
            self.views[request.table_make_view_req.view_id] = link
        link.forward(self, request, data)
        if kind == "view_delete_req":
            self.views.pop(request.entity_id, None)

    def close(self) -> None:
        """The browser went away: close its sessions in every kernel."""
        self.hub.sessions.pop(self.number, None)
        for link in self.hub.kernels.values():
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
        for session in self.sessions.values():
            for view_id in [v for v, owner in session.views.items() if owner is link]:
                del session.views[view_id]
        if released:
            self._hosted_changed()

    def register(self, link: KernelLink, name: str, info: dict[str, Any]) -> None:
        """Host ``name`` on ``link``'s kernel; raise :class:`NameClashError` if taken."""
        if not name:
            raise NameClashError("A hosted table needs a non-empty name.")
        owner = self.names.get(name)
        if owner is not None and owner is not link:
            raise NameClashError(
                f"Table name {name!r} is already hosted by kernel {owner.kernel_id}; "
                f"pick another name, or delete that table in its kernel first."
            )
        self.names[name] = link
        link.names[name] = info
        self._hosted_changed()

    def unregister(self, link: KernelLink, name: str) -> None:
        """Stop hosting ``name`` (only its own kernel can release it)."""
        if self.names.get(name) is link:
            del self.names[name]
            link.names.pop(name, None)
            self._hosted_changed()

    # --- answers ----------------------------------------------------------
    def hosted_tables_response(self, msg_id: int) -> bytes:
        response = pb.Response(msg_id=msg_id)
        infos = response.get_hosted_tables_resp.table_infos
        response.get_hosted_tables_resp.SetInParent()
        for name in sorted(self.names):
            info = self.names[name].names.get(name, {})
            entry = infos.add(entity_id=name)
            if info.get("index") is not None:
                entry.index = str(info["index"])
            if info.get("limit") is not None:
                entry.limit = int(info["limit"])
        return response.SerializeToString()

    def not_found(self, request: pb.Request) -> str:
        hosted = ", ".join(repr(n) for n in sorted(self.names)) or "none"
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
        for name in sorted(self.names):
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
