"""Tornado handlers of the hub routes under ``<base_url>/perspective/``.

Thin adapters over :class:`~perspective_nb.jupyter.hub.Hub` (held in the
tornado settings as ``perspective_hub``):

- ``ws``: browser websocket, Jupyter-authenticated, the unchanged protocol;
- ``kernel``: kernel uplink, accepts only a kernel's own token (:mod:`.hub_keys`);
- ``view/<name>``: a full-page viewer of one hosted table;
- ``api/tables``: JSON list of hosted tables;
- ``open?path=<path>`` (POST): host a data file under the server's root as a
  table of the server itself (:mod:`.files`); answers its name;
- ``static/<path>``: the full-page viewer's script and wasm.

This module must not import IPython or ipywidgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import web
from tornado.escape import xhtml_escape
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ..errors import PerspectiveError, ProtocolError
from . import files
from .hub import BrowserSession, Hub, KernelLink
from .hub_keys import check_kernel_token
from .kernel_link import NameClashError, error_response
from .uplink_frames import TOKEN_HEADER, check_kernel_id, decode_control

_log = logging.getLogger(__name__)

__all__ = [
    "BrowserSocketHandler",
    "KernelUplinkHandler",
    "OpenFileHandler",
    "TablesApiHandler",
    "ViewPageHandler",
    "script_json",
]


class _HubMixin:
    settings: dict[str, Any]

    @property
    def hub(self) -> Hub:
        return self.settings["perspective_hub"]


class BrowserSocketHandler(_HubMixin, WebSocketMixin, WebSocketHandler, JupyterHandler):
    """``/perspective/ws``: a browser's Perspective websocket."""

    session: BrowserSession | None = None

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await super().get(*args, **kwargs)

    def open(self, *args: Any, **kwargs: Any) -> None:
        self.session = self.hub.open_browser_session(self._send)

    def _send(self, payload: bytes) -> None:
        # The browser may have left already; on_close then closes its session.
        with contextlib.suppress(WebSocketClosedError):
            self.write_message(payload, binary=True)

    def on_message(self, message: str | bytes) -> None:
        if self.session is None or not isinstance(message, bytes):
            return
        try:
            self.session.handle_request(message)
        except Exception:
            # A hub bug must cost one request, not this browser's connection.
            _log.exception("perspective hub failed on a browser request")
            self._send(error_response(0, "", "The hub failed on this request; see the server log."))

    def on_close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


class KernelUplinkHandler(_HubMixin, WebSocketHandler):
    """``/perspective/kernel?kernel_id=<id>``: one kernel's uplink.

    The upgrade request must carry the token the server issued to that
    kernel id (``X-Perspective-Kernel-Token``). Anything malformed the kernel
    sends afterwards closes this uplink, and only this one.
    """

    link: KernelLink | None = None

    @property
    def max_message_size(self) -> int:
        # Kernels send whole query results (e.g. a view as Arrow) in one frame:
        # tornado's 10 MiB default would drop the uplink on a large table.
        return self.settings.get("perspective_max_message_size", 1 << 30)

    async def get(self, *args: Any, **kwargs: Any) -> None:
        kernel_id = self.get_query_argument("kernel_id", "")
        offered = self.request.headers.get(TOKEN_HEADER, "")
        try:
            check_kernel_id(kernel_id)
        except ProtocolError as exc:
            raise web.HTTPError(403, "bad kernel id") from exc
        if not check_kernel_token(self.settings["perspective_hub_key"], kernel_id, offered):
            raise web.HTTPError(403, "bad or missing kernel token")
        await super().get(*args, **kwargs)

    def open(self, *args: Any, **kwargs: Any) -> None:
        kernel_id = self.get_query_argument("kernel_id")
        self.link = self.hub.attach_kernel(kernel_id, self._send_binary, self._send_text)

    def _send_binary(self, frame: bytes) -> None:
        with contextlib.suppress(WebSocketClosedError):
            self.write_message(frame, binary=True)

    def _send_text(self, text: str) -> None:
        with contextlib.suppress(WebSocketClosedError):
            self.write_message(text)

    def on_message(self, message: str | bytes) -> None:
        link = self.link
        if link is None:
            return
        try:
            if isinstance(message, bytes):
                link.on_binary(message)
            else:
                link.on_control(decode_control(message))
        except ProtocolError as exc:
            self._drop(link, str(exc))
        except Exception:
            _log.exception("perspective uplink from kernel %s", link.kernel_id)
            self._drop(link, "the hub failed on a message from this kernel")

    def _drop(self, link: KernelLink, reason: str) -> None:
        """Close this uplink (and only it); the kernel reconnects afresh."""
        _log.warning("perspective uplink from kernel %s closed: %s", link.kernel_id, reason)
        self.on_close()  # release its names now, not when the close completes
        # A close reason is at most 123 bytes of UTF-8.
        self.close(1008, reason.encode()[:120].decode(errors="ignore"))

    def on_close(self) -> None:
        if self.link is not None:
            self.link.on_close()
            self.link = None


class TablesApiHandler(_HubMixin, APIHandler):
    """``/perspective/api/tables``: JSON name, kernel, rows and schema.

    An API handler: without credentials it answers 403 (a JSON error), never
    a redirect to the login page.
    """

    @web.authenticated
    async def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(await self.hub.describe()))


class OpenFileHandler(_HubMixin, APIHandler):
    """``POST /perspective/open?path=<path>``: host a data file, answer its table's name.

    ``path`` is relative to the server's root directory, as the contents API
    names files. The file is read (pyarrow, on a worker thread) into a table
    of the hub's own engine named ``file:<path>``. Opening it again reads it
    again only if it changed (modification time or size) or ``reload=1`` is
    given; a reload replaces the rows in place. Browsers then view it
    through ``/perspective/ws`` like any table.
    Answers ``{"table", "path", "rows"}``, or ``{"message"}`` with 400
    (file type), 403 (outside the root, hidden), 404, 409 (a kernel holds
    the name) or 422 (unreadable).
    """

    @web.authenticated
    async def post(self) -> None:
        path = self.get_query_argument("path", "")
        root = self.settings.get("server_root_dir") or "."
        allow_hidden = bool(getattr(self.contents_manager, "allow_hidden", False))
        try:
            target, relative = files.resolve(root, path, allow_hidden)
            name = files.table_name(relative)
            version = files.stamp(target)
            forced = self.get_query_argument("reload", "") in ("1", "true")
            rows = None if forced else self.hub.local_rows(name, version)
            if rows is None:
                rows = await asyncio.get_running_loop().run_in_executor(
                    None, self._host, name, target, version
                )
        except files.FileOpenError as exc:
            self._fail(exc.status, str(exc))
            return
        except NameClashError as exc:
            self._fail(409, str(exc))
            return
        except PerspectiveError as exc:
            self._fail(422, f"could not open {path!r}: {exc}")
            return
        self.hub.hosted_changed()
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"table": name, "path": relative, "rows": rows}))

    def _host(self, name: str, target: Any, version: Any) -> int:
        return self.hub.host_local(name, files.read_file(target), version)

    def _fail(self, status: int, message: str) -> None:
        # Written here, not raised: tornado %-formats an HTTPError's message.
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"message": message}))


_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Perspective</title>
<link rel="stylesheet" href="{static}/page.css">
<style>
  html, body {{ margin: 0; height: 100%; }}
  perspective-viewer {{ position: absolute; inset: 0; }}
  #status {{ position: absolute; z-index: 1; right: 8px; bottom: 8px;
             font: 12px sans-serif; color: #b00; }}
</style>
</head>
<body>
<div id="status"></div>
<perspective-viewer theme="Pro Light"></perspective-viewer>
<script type="application/json" id="perspective-nb-page">{config}</script>
<script type="module" src="{static}/page.js"></script>
</body>
</html>
"""


# Characters that could end or re-open markup around JSON inside <script>
# ("</script>", "<!--") or end a JavaScript string literal (U+2028/2029).
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """JSON safe to embed in a ``<script>`` element.

    >>> script_json({"t": "</script><!--"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    return json.dumps(value).translate(_SCRIPT_ESCAPES)


class ViewPageHandler(_HubMixin, JupyterHandler):
    """``/perspective/view/<name>``: a full-page viewer of one hosted table."""

    @web.authenticated
    def get(self, name: str) -> None:
        base = self.base_url.rstrip("/")
        config = {
            "table": name,
            "ws": f"{base}/perspective/ws",
            "hosted": name in self.hub.names,
        }
        payload = script_json(config)
        self.finish(
            _PAGE.format(
                title=xhtml_escape(name),
                config=payload,
                static=f"{base}/perspective/static",
            )
        )
