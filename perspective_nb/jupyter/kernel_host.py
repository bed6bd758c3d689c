"""The kernel side: an engine server on its own thread, linked up to the hub.

:class:`KernelHost` owns this kernel's :class:`~perspective_nb.server.Server`
(every table the kernel hosts by name), an asyncio event loop on a daemon
thread, and, when the Jupyter server that started this kernel gave it hub
credentials (``PERSPECTIVE_NB_HUB_URL``, ``PERSPECTIVE_NB_KERNEL_ID`` and
this kernel's own ``PERSPECTIVE_NB_HUB_TOKEN`` in its environment), an
outbound websocket to it. Browser requests arrive over that uplink and are
answered on the host thread, so viewers stay live while a notebook cell
runs. The kernel never listens on a port. When the hub cannot be reached
the kernel says so (a log warning, and a :class:`HubUnreachableWarning`
when a table is hosted meanwhile) and keeps retrying.

Must not import jupyter_server, ipywidgets or IPython (the widget and the
magics build on this module, not the other way round).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import threading
import urllib.parse
import uuid
import warnings
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from ..errors import PerspectiveError
from ..server import Server
from .hub import NameClashError
from .uplink_frames import (
    ENV_HUB_URL,
    ENV_KERNEL_ID,
    ENV_TOKEN,
    TOKEN_HEADER,
    decode_control,
    encode_control,
    pack_frame,
    unpack_frame,
)

__all__ = ["HubUnreachableWarning", "KernelHost", "current_host", "stop_host", "table"]

log = logging.getLogger(__name__)

#: How long a kernel waits for the hub to connect or answer a registration.
HUB_TIMEOUT = 15.0


# Backoff between attempts to reach the hub again after the uplink dropped (seconds).
RECONNECT_FIRST = 0.2
RECONNECT_MAX = 10.0


class HubUnreachableWarning(UserWarning):
    """A table was hosted while the Jupyter server's hub was out of reach."""


def _kernel_id() -> str:
    """This kernel's Jupyter id: as its token names it, else from its connection file."""
    if os.environ.get(ENV_KERNEL_ID):
        return os.environ[ENV_KERNEL_ID]
    try:
        from ipykernel.connect import get_connection_file

        match = re.search(r"kernel-(.+)\.json$", os.path.basename(get_connection_file()))
        if match:
            return match.group(1)
    except Exception:  # not in an ipykernel: any id unique to this process works
        pass
    return f"pid-{os.getpid()}"


class KernelHost:
    """This kernel's engine server, its event-loop thread and its hub uplink.

    Parameters
    ----------
    hub_url, token : str, optional
        Where the hub listens for kernels, and this kernel's token. Default:
        what the Jupyter server put in this kernel's environment.
    kernel_id : str, optional
        The kernel id the token was issued for (default: this kernel's id).

    Examples
    --------
    >>> host = KernelHost(hub_url="")  # no hub: tables are local only
    >>> host.start()
    >>> table = host.table({"a": [1, 2]}, name="numbers")
    >>> host.server.get_hosted_table_names()
    ['numbers']
    >>> host.stop()
    """

    def __init__(
        self, hub_url: str | None = None, token: str | None = None, kernel_id: str | None = None
    ) -> None:
        self.hub_url = os.environ.get(ENV_HUB_URL, "") if hub_url is None else hub_url
        self._token = os.environ.get(ENV_TOKEN, "") if token is None else token
        self.kernel_id = kernel_id or _kernel_id()
        self.server = Server()
        self.client = self.server.new_local_client()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="perspective-nb-host", daemon=True
        )
        self._ws: WebSocketClientConnection | None = None
        self._sessions: dict[int, Any] = {}
        self._replies: dict[int, asyncio.Future] = {}
        self._rids = itertools.count(1)
        self._registered: set[str] = set()
        self._lock = threading.Lock()
        self._listener: int | None = None
        self._reader: asyncio.Future | None = None
        self._reconnecting: asyncio.Future | None = None
        self._stopping = False

    # --- lifecycle --------------------------------------------------------
    @property
    def connected(self) -> bool:
        """True while the uplink to the hub is open."""
        return self._ws is not None

    def start(self) -> None:
        """Start the host thread and, if a hub is configured, connect to it."""
        self._thread.start()
        self._listener = self.server.on_hosted_tables_update(self._hosted_changed)
        if self.hub_url:
            try:
                self._call(self._connect(), HUB_TIMEOUT)
            except Exception as exc:
                log.warning(
                    "perspective_nb: could not reach the Jupyter server's hub at %s (%s); "
                    "tables stay in this kernel and widgets carry their data over the comm "
                    "until it answers (retrying in the background).",
                    self.hub_url,
                    _reason(exc),
                )
                self._loop.call_soon_threadsafe(self._start_reconnecting)

    def stop(self) -> None:
        """Close the uplink and every session, and end the host thread."""
        if self._listener is not None:
            self.server.remove_hosted_tables_update(self._listener)
            self._listener = None
        if self._thread.is_alive():
            self._call(self._disconnect(), HUB_TIMEOUT)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()

    def _call(self, coro: Any, timeout: float) -> Any:
        """Run ``coro`` on the host loop and wait for its result (not on the host thread)."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # --- tables -----------------------------------------------------------
    def table(
        self,
        data: Any,
        name: str | None = None,
        index: str | None = None,
        limit: int | None = None,
    ) -> Any:
        """Host ``data`` as a table named ``name`` (reserved with the hub first).

        Raises
        ------
        NameClashError
            When another kernel already hosts a table called ``name``.
        """
        name = name or f"table-{uuid.uuid4().hex[:8]}"
        if self.hub_url and not self.connected:
            warnings.warn(
                f"table {name!r} is hosted only in this kernel for now: the Jupyter server's "
                f"hub at {self.hub_url} is not reachable. Browsers will see it once the kernel "
                "reconnects (it retries in the background); restart the kernel if the "
                "server was restarted on another port.",
                HubUnreachableWarning,
                stacklevel=3,
            )
        if name in self.server.get_hosted_table_names():
            return self._rehost(name, data)
        self.reserve(name, index=index, limit=limit)
        try:
            return self.client.table(data, name=name, index=index, limit=limit)
        except BaseException:
            self.release(name)
            raise

    def _rehost(self, name: str, data: Any) -> Any:
        """Re-running a cell that hosts ``name``: swap the data in place.

        Replacing (rather than deleting and re-creating) keeps every open
        viewer attached. Only a schema change needs a new table, which
        requires the old one to have no open views.
        """
        existing = self.client.open_table(name)
        try:
            existing.replace(data)
            return existing
        except PerspectiveError as replace_error:
            try:
                existing.delete()
            except PerspectiveError as exc:
                raise PerspectiveError(
                    f"table {name!r} is already hosted with a different schema "
                    f"({replace_error}) and cannot be deleted while viewers use it ({exc}); "
                    "close those viewers, or host the new data under another name"
                ) from exc
        return self.table(data, name=name)

    def reserve(self, name: str, index: str | None = None, limit: int | None = None) -> None:
        """Claim ``name`` in the hub (no-op without one); raise on a clash."""
        if not self.connected:
            return
        with self._lock:
            if name in self._registered:
                return
        reply = self._call(
            self._control("register", name=name, index=index, limit=limit), HUB_TIMEOUT
        )
        if not reply.get("ok"):
            raise NameClashError(reply.get("error") or f"the hub refused table name {name!r}")
        with self._lock:
            self._registered.add(name)

    def release(self, name: str) -> None:
        """Give ``name`` back to the hub."""
        with self._lock:
            if name not in self._registered:
                return
            self._registered.discard(name)
        self._post(encode_control("unregister", name=name))

    def _hosted_changed(self) -> None:
        """Keep the hub's view of our names in step with the server's tables.

        Called from whichever thread hosted or deleted a table, possibly the
        host thread itself, so it never waits for the hub's reply.
        """
        if not self.connected:
            return
        hosted = set(self.server.get_hosted_table_names())
        with self._lock:
            added = hosted - self._registered
            removed = self._registered - hosted
            self._registered |= added
            self._registered -= removed
        for name in sorted(added):
            future = asyncio.run_coroutine_threadsafe(
                self._control("register", name=name), self._loop
            )
            future.add_done_callback(lambda f, n=name: self._report_clash(n, f))
        for name in sorted(removed):
            self._post(encode_control("unregister", name=name))

    def _report_clash(self, name: str, future: Any) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        if not future.result().get("ok"):
            with self._lock:
                self._registered.discard(name)
            log.warning("perspective_nb: %s", future.result().get("error"))

    # --- uplink (runs on the host loop) -------------------------------------
    async def _connect(self) -> None:
        url = f"{self.hub_url}?{urllib.parse.urlencode({'kernel_id': self.kernel_id})}"
        request = HTTPRequest(url, headers={TOKEN_HEADER: self._token})
        self._ws = await websocket_connect(request, max_message_size=1 << 30)
        self._reader = asyncio.ensure_future(self._read())
        for name in self.server.get_hosted_table_names():
            with self._lock:
                self._registered.add(name)
            await self._control("register", name=name)

    async def _disconnect(self) -> None:
        self._stopping = True  # a deliberate close: no reconnect
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self._reader is not None:
            await asyncio.wait([self._reader], timeout=HUB_TIMEOUT)

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
        self._ws = None
        for future in self._replies.values():
            if not future.done():
                future.set_exception(PerspectiveError("the hub connection closed"))
        if not self._stopping:
            # The hub went away (server restart, dropped connection): the
            # browser sessions it carried are gone; reconnect and re-register.
            for session in self._sessions.values():
                session.close()
            self._sessions.clear()
            self._start_reconnecting()

    def _start_reconnecting(self) -> None:
        if not self._stopping and (self._reconnecting is None or self._reconnecting.done()):
            self._reconnecting = self._loop.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = RECONNECT_FIRST
        warned = False
        while not self._stopping:
            await asyncio.sleep(delay)
            if self._stopping:
                return
            with self._lock:
                self._registered.clear()  # the hub forgot our names with the link
            try:
                await self._connect()
            except Exception as exc:  # any failure to reach the hub: retry later
                if not warned:
                    # Once per outage: the user should know browsers cannot
                    # see this kernel's tables, not only the debug log.
                    log.warning(
                        "perspective_nb: cannot reach the Jupyter server's hub at %s (%s); "
                        "tables hosted in this kernel are not visible to browsers until it "
                        "reconnects (retrying every %g s at most).",
                        self.hub_url,
                        _reason(exc),
                        RECONNECT_MAX,
                    )
                    warned = True
                delay = min(delay * 2, RECONNECT_MAX)
            else:
                log.info("perspective_nb: reconnected to the hub at %s", self.hub_url)
                return

    def _on_request(self, frame: bytes) -> None:
        number, payload = unpack_frame(frame)
        session = self._sessions.get(number)
        if session is None:
            session = self.server.new_session(
                lambda data, n=number: self._post(pack_frame(n, data))
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

    async def _control(self, op: str, **fields: Any) -> dict[str, Any]:
        rid = next(self._rids)
        future = self._loop.create_future()
        self._replies[rid] = future
        if self._ws is None:
            raise PerspectiveError("not connected to the Jupyter server's perspective hub")
        self._ws.write_message(encode_control(op, rid=rid, **fields))
        return await future

    def _post(self, message: bytes | str) -> None:
        """Write a frame to the uplink from any thread."""

        def write() -> None:
            if self._ws is not None:
                self._ws.write_message(message, binary=isinstance(message, bytes))

        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(write)


def _reason(exc: BaseException) -> str:
    """Why the hub refused or could not be reached, with the fix when known."""
    if getattr(exc, "code", None) == 403:
        return (
            "the hub refused this kernel's token: the Jupyter server was restarted with a "
            "new key (another port or root directory, or its runtime directory was cleared), "
            "or this kernel was not started by it; restart the kernel from that server"
        )
    return str(exc) or type(exc).__name__


_HOST: KernelHost | None = None
_HOST_LOCK = threading.Lock()


def current_host() -> KernelHost:
    """This process's :class:`KernelHost`, started on first use."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            host = KernelHost()
            host.start()
            _HOST = host
        return _HOST


def stop_host() -> None:
    """Stop this process's host (``%unload_ext perspective_nb``)."""
    global _HOST
    with _HOST_LOCK:
        host, _HOST = _HOST, None
    if host is not None:
        host.stop()


def table(
    data: Any, name: str | None = None, index: str | None = None, limit: int | None = None
) -> Any:
    """Host ``data`` by name in this kernel, reachable from every browser tab.

    Parameters
    ----------
    data : DataFrame, pyarrow.Table, dict, list, CSV/Arrow bytes...
        Anything the engine ingests.
    name : str, optional
        The name browsers open it by (default: a random ``table-xxxxxxxx``).
    index, limit : optional
        As in Perspective: a primary-key column, or a row limit.

    Returns
    -------
    Table
        The local client's table: ``update``, ``replace``, ``view``...

    Examples
    --------
    >>> import perspective_nb
    >>> trades = perspective_nb.table({"price": [1.5, 2.5]}, name="trades")  # doctest: +SKIP
    """
    return current_host().table(data, name=name, index=index, limit=limit)
