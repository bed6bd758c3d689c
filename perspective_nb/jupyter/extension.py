"""The Jupyter server extension: mounts the hub under ``<base_url>/perspective/``.

The load hook creates the :class:`~perspective_nb.jupyter.hub.Hub`, the
hub key (:mod:`.hub_keys`) and the routes, and makes the server's kernel
manager hand every kernel it starts its own uplink token: the hub URL, the
kernel's id and ``HMAC(hub key, kernel id)`` go into *that kernel's*
environment only. Nothing is put in ``os.environ``, so terminals and other
children of the server hold no credential, and no kernel holds another's.
The (async) start hook, the first place the real bound port is known, fixes
the URL and the key (kept in the runtime directory per root and port, so a
restarted server accepts the kernels it left running).

This module must not import IPython or ipywidgets (the server process has
no kernel).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_path, jupyter_runtime_dir
from jupyter_server.utils import url_path_join
from tornado import web

from ..server import Server
from .handlers import (
    BrowserSocketHandler,
    KernelUplinkHandler,
    OpenFileHandler,
    TablesApiHandler,
    ViewPageHandler,
)
from .hub import Hub
from .hub_keys import hub_key, kernel_token
from .uplink_frames import ENV_HUB_URL, ENV_KERNEL_ID, ENV_TOKEN

__all__ = [
    "hub_uplink_url",
    "install_kernel_env",
    "kernel_env",
    "load_extension",
    "publish_hub",
    "start_extension",
]

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


def publish_hub(serverapp: Any, *, persistent: bool = True) -> None:
    """Fix the uplink URL and the hub key for the server's current port.

    ``persistent=False`` (the load hook, when the port may still change)
    uses a throwaway key rather than one saved under a port that is not ours.
    """
    settings = serverapp.web_app.settings
    settings["perspective_hub_url"] = hub_uplink_url(serverapp)
    if persistent:
        runtime_dir = getattr(serverapp, "runtime_dir", "") or jupyter_runtime_dir()
        key = hub_key(runtime_dir, serverapp.root_dir, serverapp.port)
    else:
        key = secrets.token_bytes(32)
    settings["perspective_hub_key"] = key


def kernel_env(settings: dict[str, Any], kernel_id: str) -> dict[str, str]:
    """The environment variables that let kernel ``kernel_id`` reach the hub.

    Empty when kernels cannot reach it (a unix-socket server).
    """
    url = settings.get("perspective_hub_url")
    if not url:
        return {}
    return {
        ENV_HUB_URL: url,
        ENV_KERNEL_ID: kernel_id,
        ENV_TOKEN: kernel_token(settings["perspective_hub_key"], kernel_id),
    }


def install_kernel_env(serverapp: Any) -> None:
    """Give each kernel the server starts its own hub credentials.

    ``MultiKernelManager.pre_start_kernel(kernel_name, kwargs)`` is the one
    step where the new kernel's id is known and its launch ``kwargs`` (which
    carry ``env``, kept for restarts) can still change; it is wrapped on this
    server's kernel manager instance only.
    """
    manager = serverapp.kernel_manager
    settings = serverapp.web_app.settings
    original = manager.pre_start_kernel

    def pre_start_kernel(kernel_name: str | None, kwargs: dict[str, Any]) -> Any:
        km, name, kernel_id = original(kernel_name, kwargs)
        env = dict(kwargs.get("env") or os.environ)
        # Never pass on credentials this server inherited from another one.
        for variable in (ENV_HUB_URL, ENV_KERNEL_ID, ENV_TOKEN):
            env.pop(variable, None)
        env.update(kernel_env(settings, kernel_id))
        kwargs["env"] = env
        return km, name, kernel_id

    manager.pre_start_kernel = pre_start_kernel


def load_extension(serverapp: Any) -> None:
    """Create the hub and mount its routes (the server's load hook)."""
    web_app = serverapp.web_app
    # The hub's engine answers get_features, so browsers see exactly what the
    # kernels' engines support, and hosts the data files opened in JupyterLab.
    web_app.settings["perspective_hub"] = Hub(Server())
    base = url_path_join(web_app.settings["base_url"], "perspective")
    routes: list[tuple[Any, ...]] = [
        (url_path_join(base, "ws"), BrowserSocketHandler),
        (url_path_join(base, "kernel"), KernelUplinkHandler),
        (url_path_join(base, "api", "tables"), TablesApiHandler),
        (url_path_join(base, "open"), OpenFileHandler),
        (url_path_join(base, "view", "(.+)"), ViewPageHandler),
    ]
    assets = page_assets_dir()
    if assets is not None:
        routes.append(
            (url_path_join(base, "static", "(.*)"), web.StaticFileHandler, {"path": str(assets)})
        )
    web_app.add_handlers(".*$", routes)
    # Provisional (the port may still change): the start hook publishes the
    # real URL and the saved key once the server listens.
    publish_hub(serverapp, persistent=False)
    install_kernel_env(serverapp)
    serverapp.log.info("perspective_nb hub mounted at %s", base)


async def start_extension(serverapp: Any) -> None:
    """Publish the hub's real URL and key for kernels (the server's start hook)."""
    publish_hub(serverapp)
