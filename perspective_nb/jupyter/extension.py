"""The Jupyter server extension: mounts the hub under ``<base_url>/perspective/``.

The load hook creates the :class:`~perspective_nb.jupyter.hub.Hub`, a random
per-server secret and the routes; the (async) start hook, which is the
first place the server's real bound port is known, publishes the uplink URL
and the secret in ``os.environ`` so every kernel the server starts from then
on inherits them and can connect back.

This module must not import IPython or ipywidgets (the server process has
no kernel).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_path
from jupyter_server.utils import url_path_join
from tornado import web

from ..server import Server
from .handlers import BrowserSocketHandler, KernelUplinkHandler, TablesApiHandler, ViewPageHandler
from .hub import Hub
from .uplink_frames import ENV_HUB_URL, ENV_SECRET

__all__ = ["hub_uplink_url", "load_extension", "publish_hub_env", "start_extension"]

LAB_EXTENSION_NAME = "perspective-nb-labextension"


def page_assets_dir() -> Path | None:
    """Where the full-page viewer's built script lives (dev tree or installed)."""
    candidates = [Path(__file__).resolve().parent.parent / "labextension" / "page"]
    candidates += [Path(p) / "page" for p in jupyter_path("labextensions", LAB_EXTENSION_NAME)]
    for candidate in candidates:
        if (candidate / "page.js").is_file():
            return candidate
    return None


def hub_uplink_url(serverapp: Any) -> str | None:
    """The ``ws://`` URL kernels on this machine use to reach the hub.

    Kernels run beside the server, so the URL is on loopback unless the
    server listens on one specific address. ``None`` for a unix-socket
    server (kernels then fall back to the widget comm).
    """
    if getattr(serverapp, "sock", ""):
        return None
    ip = serverapp.ip
    if ip in ("", "0.0.0.0", "localhost", "*"):
        host = "127.0.0.1"
    elif ip == "::":
        host = "[::1]"
    else:
        host = f"[{ip}]" if ":" in ip else ip
    scheme = "wss" if serverapp.certfile else "ws"
    path = url_path_join(serverapp.base_url, "perspective", "kernel")
    return f"{scheme}://{host}:{serverapp.port}{path}"


def publish_hub_env(serverapp: Any) -> None:
    """Put the uplink URL and secret where kernels started later find them."""
    url = hub_uplink_url(serverapp)
    if url is None:
        os.environ.pop(ENV_HUB_URL, None)
        os.environ.pop(ENV_SECRET, None)
        return
    os.environ[ENV_HUB_URL] = url
    os.environ[ENV_SECRET] = serverapp.web_app.settings["perspective_secret"]


def load_extension(serverapp: Any) -> None:
    """Create the hub and mount its routes (the server's load hook)."""
    web_app = serverapp.web_app
    # An engine server hosting no tables answers get_features, so browsers see
    # exactly what the kernels' engines support.
    web_app.settings["perspective_hub"] = Hub(Server())
    web_app.settings["perspective_secret"] = secrets.token_urlsafe(32)
    base = url_path_join(web_app.settings["base_url"], "perspective")
    routes: list[tuple[Any, ...]] = [
        (url_path_join(base, "ws"), BrowserSocketHandler),
        (url_path_join(base, "kernel"), KernelUplinkHandler),
        (url_path_join(base, "api", "tables"), TablesApiHandler),
        (url_path_join(base, "view", "(.+)"), ViewPageHandler),
    ]
    assets = page_assets_dir()
    if assets is not None:
        routes.append(
            (url_path_join(base, "static", "(.*)"), web.StaticFileHandler, {"path": str(assets)})
        )
    web_app.add_handlers(".*$", routes)
    # Provisional: correct whenever the port was fixed up front; the start
    # hook re-publishes once the real bound port is known.
    publish_hub_env(serverapp)
    serverapp.log.info("perspective_nb hub mounted at %s", base)


async def start_extension(serverapp: Any) -> None:
    """Publish the hub's real URL for kernels (the server's start hook)."""
    publish_hub_env(serverapp)
