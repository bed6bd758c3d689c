"""The kernel side: an engine server on its own thread, linked up to the hub.

:class:`KernelHost` owns this kernel's :class:`~perspective_nb.server.Server`
(every table the kernel hosts by name), an asyncio event loop on a daemon
thread, and, when the Jupyter server that started this kernel gave it hub
credentials (``PERSPECTIVE_NB_HUB_URL``, ``PERSPECTIVE_NB_KERNEL_ID`` and
this kernel's own ``PERSPECTIVE_NB_HUB_TOKEN`` in its environment), a
:class:`~.kernel_uplink.KernelUplink` to it. Browser requests arrive over
that uplink and are answered on the host thread, so viewers stay live while
a notebook cell runs. The kernel never listens on a port. When the hub
cannot be reached the kernel says so (a log warning, and a
:class:`HubUnreachableWarning` when a table is hosted meanwhile) and keeps
retrying; hosted names are registered again once it answers.

Must not import jupyter_server, ipywidgets or IPython (the widget and the
magics build on this module, not the other way round).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import uuid
import warnings
from typing import Any

from ..engine.dtypes import arrow_type_to_perspective
from ..engine.ingest import to_arrow_table
from ..errors import PerspectiveError
from ..server import Server
from .hub import NameClashError
from .kernel_uplink import HUB_TIMEOUT, KernelUplink, unreachable_reason
from .uplink_frames import ENV_HUB_URL, ENV_KERNEL_ID, ENV_TOKEN, encode_control

__all__ = ["HubUnreachableWarning", "KernelHost", "current_host", "stop_host", "table"]

log = logging.getLogger(__name__)


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
        token = os.environ.get(ENV_TOKEN, "") if token is None else token
        self.kernel_id = kernel_id or _kernel_id()
        self.server = Server()
        self.client = self.server.new_local_client()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="perspective-nb-host", daemon=True
        )
        self.uplink: KernelUplink | None = None
        if self.hub_url:
            self.uplink = KernelUplink(
                self._loop, self.server, self.hub_url, token, self.kernel_id, self._register_all
            )
        # Names the hub holds for us, with the index/limit to register them by.
        self._registered: set[str] = set()
        self._options: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._listener: int | None = None

    # --- lifecycle --------------------------------------------------------
    @property
    def connected(self) -> bool:
        """True while the uplink to the hub is open."""
        return self.uplink is not None and self.uplink.connected

    def start(self) -> None:
        """Start the host thread and, if a hub is configured, connect to it."""
        self._thread.start()
        self._listener = self.server.on_hosted_tables_update(self._hosted_changed)
        if self.uplink is not None:
            try:
                self._call(self.uplink.connect(), HUB_TIMEOUT)
            except Exception as exc:
                log.warning(
                    "perspective_nb: could not reach the Jupyter server's hub at %s (%s); "
                    "tables stay in this kernel and widgets carry their data over the comm "
                    "until it answers (retrying in the background).",
                    self.hub_url,
                    unreachable_reason(exc),
                )
                self._loop.call_soon_threadsafe(self.uplink.start_reconnecting)

    def stop(self) -> None:
        """Close the uplink and every session, and end the host thread."""
        if self._listener is not None:
            self.server.remove_hosted_tables_update(self._listener)
            self._listener = None
        if self._thread.is_alive():
            if self.uplink is not None:
                self._call(self.uplink.disconnect(), HUB_TIMEOUT)
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
            hosted = self.client.table(data, name=name, index=index, limit=limit)
        except BaseException:
            self.release(name)
            raise
        self._announce(name)
        return hosted

    def _rehost(self, name: str, data: Any) -> Any:
        """Re-running a cell that hosts ``name``: swap the data in place.

        Replacing (rather than deleting and re-creating) keeps every open
        viewer attached. Only a schema change needs a new table, which
        requires the old one to have no open views.
        """
        existing = self.client.open_table(name)
        # The new data read as a new table would read it: a replace only
        # when its schema is the same (Perspective's replace would silently
        # drop columns the table lacks and null the others).
        incoming = to_arrow_table(data)
        schema = {f.name: arrow_type_to_perspective(f.type) for f in incoming.schema}
        old_schema = existing.schema()
        if schema == old_schema:
            existing.replace(incoming)
            return existing
        try:
            existing.delete()
        except PerspectiveError as exc:
            raise PerspectiveError(
                f"table {name!r} is already hosted with a different schema ({old_schema}; "
                f"the new data has {schema}) and cannot be deleted while viewers use it "
                f"({exc}); close those viewers, or host the new data under another name"
            ) from exc
        data = incoming
        return self.table(data, name=name)

    def reserve(self, name: str, index: str | None = None, limit: int | None = None) -> None:
        """Claim ``name`` in the hub before its table exists (no-op without a hub).

        Browsers see the name once :meth:`table` announces it; raises
        :class:`NameClashError` when another kernel hosts it.
        """
        with self._lock:
            self._options[name] = {"index": index, "limit": limit}
        if self.uplink is None or not self.uplink.connected:
            return
        with self._lock:
            if name in self._registered:
                return
        reply = self._call(
            self.uplink.control("register", name=name, index=index, limit=limit, reserve=True),
            HUB_TIMEOUT,
        )
        if not reply.get("ok"):
            with self._lock:
                self._options.pop(name, None)
            raise NameClashError(reply.get("error") or f"the hub refused table name {name!r}")
        with self._lock:
            self._registered.add(name)

    def _announce(self, name: str) -> None:
        """The reserved ``name`` now has its table: browsers may open it."""
        with self._lock:
            if name not in self._registered or self.uplink is None:
                return
            options = self._options.get(name, {})
        self.uplink.post(encode_control("register", name=name, **options))

    def release(self, name: str) -> None:
        """Give ``name`` back to the hub."""
        with self._lock:
            self._options.pop(name, None)
            if name not in self._registered:
                return
            self._registered.discard(name)
        if self.uplink is not None:
            self.uplink.post(encode_control("unregister", name=name))

    def _hosted_changed(self) -> None:
        """Keep the hub's view of our names in step with the server's tables.

        Called from whichever thread hosted or deleted a table, possibly the
        host thread itself, so it never waits for the hub's reply.
        """
        uplink = self.uplink
        if uplink is None or not uplink.connected:
            return
        hosted = set(self.server.get_hosted_table_names())
        with self._lock:
            added = hosted - self._registered
            removed = self._registered - hosted
            self._registered |= added
            self._registered -= removed
            for name in removed:
                self._options.pop(name, None)
            options = {name: self._options.get(name, {}) for name in added}
        for name in sorted(added):
            future = asyncio.run_coroutine_threadsafe(
                uplink.control("register", name=name, **options[name]), self._loop
            )
            future.add_done_callback(lambda f, n=name: self._report_clash(n, f))
        for name in sorted(removed):
            uplink.post(encode_control("unregister", name=name))

    def _report_clash(self, name: str, future: Any) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        if not future.result().get("ok"):
            with self._lock:
                self._registered.discard(name)
            log.warning("perspective_nb: %s", future.result().get("error"))

    async def _register_all(self) -> None:
        """After each (re)connection: the hub forgot our names; claim them again."""
        assert self.uplink is not None
        with self._lock:
            self._registered.clear()
        for name in self.server.get_hosted_table_names():
            with self._lock:
                self._registered.add(name)
                options = self._options.get(name, {})
            reply = await self.uplink.control("register", name=name, **options)
            if not reply.get("ok"):
                # Another kernel took the name while we were away: ours stays local.
                with self._lock:
                    self._registered.discard(name)
                log.warning(
                    "perspective_nb: %s (table stays in this kernel only)", reply.get("error")
                )


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
