"""A kernel's websocket to the hub: connect, serve, reconnect, and say when it cannot.

:class:`KernelUplink` runs on the kernel host's event loop. It presents this
kernel's own token, answers each browser session the hub multiplexes over
the socket with a session of the kernel's engine server, and, when the
connection drops without being asked to, reconnects with backoff. While the
hub is out of reach it tells the user once per outage (a log warning naming
the reason and, for a refused token, the fix), not only the debug log.

Must not import jupyter_server, ipywidgets or IPython.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from ..errors import PerspectiveError
from .uplink_frames import TOKEN_HEADER, decode_control, encode_control, pack_frame, unpack_frame

__all__ = ["KernelUplink", "unreachable_reason"]

log = logging.getLogger("perspective_nb.jupyter.kernel_host")

#: How long a kernel waits for the hub to connect or answer a registration.
HUB_TIMEOUT = 15.0
# Backoff between attempts to reach the hub again after the uplink dropped (seconds).
RECONNECT_FIRST = 0.2
RECONNECT_MAX = 10.0


def unreachable_reason(exc: BaseException) -> str:
    """Why the hub refused or could not be reached, with the fix when known."""
    if getattr(exc, "code", None) == 403:
        return (
            "the hub refused this kernel's token: the Jupyter server was restarted with a "
            "new key (another port or root directory, or its runtime directory was cleared), "
            "or this kernel was not started by it; restart the kernel from that server"
        )
    return str(exc) or type(exc).__name__


class KernelUplink:
    """This kernel's connection to the hub (every method runs on ``loop``).

    Parameters
    ----------
    loop : asyncio.AbstractEventLoop
        The kernel host's loop.
    server : perspective_nb.server.Server
        The kernel's engine server: a session of it answers each browser.
    hub_url, token, kernel_id : str
        Where the hub listens, this kernel's token and the id it was issued for.
    on_connect : callable
        Awaited after each (re)connection, to register the hosted names.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        server: Any,
        hub_url: str,
        token: str,
        kernel_id: str,
        on_connect: Callable[[], Awaitable[None]],
    ) -> None:
        self.hub_url = hub_url
        self._loop = loop
        self._server = server
        self._token = token
        self._kernel_id = kernel_id
        self._on_connect = on_connect
        self._ws: WebSocketClientConnection | None = None
        self._sessions: dict[int, Any] = {}
        self._replies: dict[int, asyncio.Future] = {}
        self._rids = itertools.count(1)
        self._reader: asyncio.Future | None = None
        self._reconnecting: asyncio.Future | None = None
        self._stopping = False

    @property
    def connected(self) -> bool:
        """True while the websocket to the hub is open."""
        return self._ws is not None

    async def connect(self) -> None:
        """Open the websocket and register this kernel's names."""
        query = urllib.parse.urlencode({"kernel_id": self._kernel_id})
        request = HTTPRequest(f"{self.hub_url}?{query}", headers={TOKEN_HEADER: self._token})
        self._ws = await websocket_connect(request, max_message_size=1 << 30)
        self._reader = asyncio.ensure_future(self._read())
        await self._on_connect()

    async def disconnect(self) -> None:
        """Close deliberately (no reconnect) and end every browser session."""
        self._stopping = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        self._close_sessions()
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self._reader is not None:
            await asyncio.wait([self._reader], timeout=HUB_TIMEOUT)

    def start_reconnecting(self) -> None:
        """Keep trying to reach the hub in the background (once at a time)."""
        if not self._stopping and (self._reconnecting is None or self._reconnecting.done()):
            self._reconnecting = self._loop.create_task(self._reconnect())

    async def control(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send a control message and await the hub's reply."""
        if self._ws is None:
            raise PerspectiveError("not connected to the Jupyter server's perspective hub")
        rid = next(self._rids)
        future = self._loop.create_future()
        self._replies[rid] = future
        self._ws.write_message(encode_control(op, rid=rid, **fields))
        return await future

    def post(self, message: bytes | str) -> None:
        """Write a frame to the hub from any thread (dropped while disconnected)."""

        def write() -> None:
            if self._ws is not None:
                self._ws.write_message(message, binary=isinstance(message, bytes))

        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(write)

    # --- internals ----------------------------------------------------------
    def _close_sessions(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()

    async def _read(self) -> None:
        ws = self._ws
        while ws is not None:
            message = await ws.read_message()
            if message is None:
                break
            try:
                if isinstance(message, bytes):
                    self._on_request(message)
                else:
                    self._on_control(decode_control(message))
            except PerspectiveError as exc:
                log.warning("perspective_nb uplink: %s", exc)
        if self._ws is ws:
            self._ws = None
        for future in self._replies.values():
            if not future.done():
                future.set_exception(PerspectiveError("the hub connection closed"))
        self._replies.clear()
        if not self._stopping:
            # The hub went away (server restart, dropped connection, or it
            # closed us): the browser sessions it carried are gone.
            if ws is not None and ws.close_code not in (None, 1000, 1001):
                log.warning(
                    "perspective_nb: the hub closed this kernel's uplink (%s %s); reconnecting",
                    ws.close_code,
                    ws.close_reason or "",
                )
            self._close_sessions()
            self.start_reconnecting()

    async def _reconnect(self) -> None:
        delay = RECONNECT_FIRST
        warned = False
        while not self._stopping:
            await asyncio.sleep(delay)
            if self._stopping:
                return
            try:
                await self.connect()
            except Exception as exc:  # any failure to reach the hub: retry later
                if self._ws is not None:  # connected, but registering failed
                    self._ws.close()
                    self._ws = None
                if not warned:
                    # Once per outage: the user should know browsers cannot
                    # see this kernel's tables, not only the debug log.
                    log.warning(
                        "perspective_nb: cannot reach the Jupyter server's hub at %s (%s); "
                        "tables hosted in this kernel are not visible to browsers until it "
                        "reconnects (retrying every %g s at most).",
                        self.hub_url,
                        unreachable_reason(exc),
                        RECONNECT_MAX,
                    )
                    warned = True
                delay = min(delay * 2, RECONNECT_MAX)
            else:
                log.log(
                    logging.WARNING if warned else logging.INFO,
                    "perspective_nb: reconnected to the hub at %s",
                    self.hub_url,
                )
                return

    def _on_request(self, frame: bytes) -> None:
        number, payload = unpack_frame(frame)
        session = self._sessions.get(number)
        if session is None:
            session = self._server.new_session(
                lambda data, n=number: self.post(pack_frame(n, data))
            )
            self._sessions[number] = session
        session.handle_request(payload)

    def _on_control(self, message: dict[str, Any]) -> None:
        if message["op"] == "reply":
            future = self._replies.pop(message.get("rid"), None)
            if future is not None and not future.done():
                future.set_result(message)
        elif message["op"] == "close":
            session = self._sessions.pop(message.get("session"), None)
            if session is not None:
                session.close()
