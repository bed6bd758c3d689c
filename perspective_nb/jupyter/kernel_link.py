"""The hub's side of one kernel's uplink: what that kernel may say, and to whom.

A :class:`KernelLink` exists for each authenticated uplink (a kernel holding
its own token, see :mod:`.hub_keys`). It forwards browser requests to its
kernel, tagged with the browser's session number, and routes the kernel's
replies back -- but only replies to requests the hub forwarded to *this*
kernel: a frame for a session or message id this link was never asked about
is dropped, so one kernel can never answer in another kernel's name. A
malformed frame or control message raises :class:`UplinkViolation`; the
handler then closes this uplink alone (browsers and other kernels go on).

No I/O and no tornado/jupyter_server imports: the handler passes in the
callables that write frames.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from ..errors import PerspectiveError, ProtocolError
from ..protocol import pb
from .uplink_frames import (
    HUB_SESSION,
    encode_control,
    pack_frame,
    parse_registration,
    unpack_frame,
)


class BrowserSession(Protocol):
    """A browser connection, as a kernel link sees it: a number and a way to reply."""

    number: int

    def send(self, data: bytes) -> None: ...


class Hub(Protocol):
    """What a kernel link needs of the hub (:class:`~.hub.Hub` implements it)."""

    sessions: dict[int, Any]

    def register(self, link: KernelLink, name: str, info: Any) -> None: ...

    def unregister(self, link: KernelLink, name: str) -> None: ...

    def release_view(self, view_id: str, session: int) -> None: ...

    def detach_kernel(self, link: KernelLink) -> None: ...


__all__ = ["KernelLink", "NameClashError", "UplinkViolation", "error_response"]

log = logging.getLogger(__name__)

# Requests that stay open after their first reply (the kernel answers them
# again on every update or on deletion).
_STREAMING = ("view_on_update_req", "table_on_delete_req", "view_on_delete_req")
# Requests that end one of those streams; their field ``id`` names it.
_REMOVALS = ("view_remove_on_update_req", "table_remove_delete_req", "view_remove_delete_req")


class NameClashError(PerspectiveError, ValueError):
    """A table name is already hosted by another kernel."""


class UplinkViolation(ProtocolError):
    """A kernel broke the uplink protocol: its uplink is closed."""


def error_response(msg_id: int, entity_id: str, message: str) -> bytes:
    """A serialized ``server_error`` response."""
    response = pb.Response(msg_id=msg_id, entity_id=entity_id)
    response.server_error.message = message
    return response.SerializeToString()


class _Pending(NamedTuple):
    """A forwarded request awaiting its one reply."""

    kind: str
    entity_id: str
    target: int | str  # the stream a removal ends, or the view a make_view makes


class KernelLink:
    """The hub's side of one kernel's uplink.

    Parameters
    ----------
    hub : Hub
        The hub this kernel attaches to.
    kernel_id : str
        The Jupyter kernel id the kernel's token was issued for.
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
        # (session, msg_id) of every request this kernel may still answer.
        self._pending: dict[tuple[int, int], _Pending] = {}
        self._streams: dict[tuple[int, int], _Pending] = {}
        self._hub_waiters: dict[int, asyncio.Future] = {}
        self._hub_ids = itertools.count(1)
        # Message ids of the hub's own requests on a browser's session (view
        # re-attachment): counted down from the top of the uint32 range, far
        # from the ids browser clients count up from.
        self._replay_ids = itertools.count(2**32 - 1, -1)
        self._sessions: set[int] = set()

    # --- browser -> kernel ------------------------------------------------
    def forward(self, session: BrowserSession, request: pb.Request, data: bytes) -> None:
        """Send a browser's request to this kernel, tagged with its session."""
        kind = request.WhichOneof("client_req") or ""
        target: int | str = 0
        if kind in _REMOVALS:
            target = getattr(request, kind).id
        elif kind == "table_make_view_req":
            target = request.table_make_view_req.view_id
        entry = _Pending(kind, request.entity_id, target)
        key = (session.number, request.msg_id)
        if kind in _STREAMING:
            self._streams[key] = entry
        else:
            self._pending[key] = entry
        self._sessions.add(session.number)
        self._send_binary(pack_frame(session.number, data))

    def close_session(self, number: int) -> None:
        """Tell the kernel a browser session ended (it drops its views)."""
        for table in (self._pending, self._streams):
            for key in [k for k in table if k[0] == number]:
                del table[key]
        if number in self._sessions:
            self._sessions.discard(number)
            self._send_text(encode_control("close", session=number))

    def replay_view(self, number: int, view_id: str, make_view: bytes) -> None:
        """Re-create browser session ``number``'s view on this kernel.

        The kernel's reply goes to the hub, not the browser (which had its
        answer when the view was first made); a refusal forgets the view.
        """
        request = pb.Request.FromString(make_view)
        request.msg_id = next(self._replay_ids)
        self._pending[(number, request.msg_id)] = _Pending("reattach", request.entity_id, view_id)
        self._sessions.add(number)
        self._send_binary(pack_frame(number, request.SerializeToString()))

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
        """A reply from the kernel: deliver it if this kernel was asked for it.

        Raises
        ------
        UplinkViolation
            When the frame is not a session header plus a Perspective response.
        """
        try:
            number, payload = unpack_frame(frame)
            response = pb.Response.FromString(payload)
        except Exception as exc:  # ProtocolError, or protobuf's DecodeError
            raise UplinkViolation(f"undecodable uplink frame ({exc})") from exc
        key = (number, response.msg_id)
        if number == HUB_SESSION:
            future = self._hub_waiters.get(response.msg_id)
            if future is not None and not future.done():
                future.set_result(response)
            return
        failed = response.WhichOneof("client_resp") == "server_error"
        entry = self._pending.pop(key, None)
        if entry is not None:
            self._settle(number, entry, failed)
            if entry.kind == "reattach":
                return
        elif key in self._streams:
            if failed:  # the kernel refused the subscription: it ends here
                del self._streams[key]
        else:
            # Not a request this kernel was given: a late reply for a closed
            # session, or a kernel answering for others. Never deliver it.
            log.debug("dropped a reply from kernel %s for %s", self.kernel_id, key)
            return
        session = self.hub.sessions.get(number)
        if session is not None:
            session.send(payload)

    def _settle(self, number: int, entry: _Pending, failed: bool) -> None:
        """Bookkeeping once a request has its reply."""
        if entry.kind in ("table_make_view_req", "reattach") and failed:
            self.hub.release_view(str(entry.target), number)
        elif entry.kind == "view_delete_req":
            # Even a failed delete frees the id: the kernel has no such view
            # (it would refuse a make_view reusing a live one anyway).
            self.hub.release_view(entry.entity_id, number)
            for key in [k for k, s in self._streams.items() if k[0] == number]:
                if self._streams[key].entity_id == entry.entity_id:
                    del self._streams[key]
        elif entry.kind in _REMOVALS:
            self._streams.pop((number, entry.target), None)

    def on_control(self, message: dict[str, Any]) -> None:
        """A JSON control message from the kernel (register / unregister).

        Raises
        ------
        UplinkViolation
            For an operation a kernel may not send.
        """
        op = message["op"]
        rid = message.get("rid")
        if op not in ("register", "unregister"):
            raise UplinkViolation(f"unknown uplink control op {op!r}; expected register/unregister")
        try:
            registration = parse_registration(message)
            if op == "register":
                info = {
                    "index": registration.index,
                    "limit": registration.limit,
                    "ready": not registration.reserve,
                }
                self.hub.register(self, registration.name, info)
            else:
                self.hub.unregister(self, registration.name)
        except (ProtocolError, NameClashError) as exc:
            self._send_text(encode_control("reply", rid=rid, ok=False, error=str(exc)))
            return
        if rid is not None or op == "register":
            self._send_text(encode_control("reply", rid=rid, ok=True))

    def on_close(self) -> None:
        """The kernel died or disconnected: release its names, end its requests."""
        self.hub.detach_kernel(self)
        message = (
            f"Kernel {self.kernel_id} disconnected (it died, restarted or was shut down); "
            "re-run the cell that hosts this table."
        )
        for (number, msg_id), entry in list(self._pending.items()):
            session = self.hub.sessions.get(number)
            if session is not None:
                session.send(error_response(msg_id, entry.entity_id, message))
        self._pending.clear()
        for (number, msg_id), entry in list(self._streams.items()):
            session = self.hub.sessions.get(number)
            if session is not None:
                session.send(_stream_end(msg_id, entry, message))
        self._streams.clear()
        for future in self._hub_waiters.values():
            if not future.done():
                future.set_exception(PerspectiveError(message))


def _stream_end(msg_id: int, entry: _Pending, message: str) -> bytes:
    """What an open subscription receives when its kernel is gone.

    ``on_delete`` subscriptions fire (the table and its views are gone);
    ``on_update`` ones end with a ``server_error`` saying why.
    """
    response = pb.Response(msg_id=msg_id, entity_id=entry.entity_id)
    if entry.kind == "table_on_delete_req":
        response.table_on_delete_resp.SetInParent()
    elif entry.kind == "view_on_delete_req":
        response.view_on_delete_resp.SetInParent()
    else:
        response.server_error.message = message
    return response.SerializeToString()
