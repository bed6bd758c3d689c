"""The standalone tornado application: a viewer page over a hosted table.

``make_app(server)`` builds a :class:`tornado.web.Application` with three
kinds of route:

- ``/`` renders the page (``?table=NAME`` picks the hosted table,
  ``?client=finos|perspective-dev`` the generation of the npm packages);
- ``/node_modules/@finos/...`` and ``/node_modules/@perspective-dev/...``
  serve the packages' files (ES modules, wasm, css) unchanged;
- ``/websocket`` is the Perspective websocket the page's client talks to.

One setting, ``max_message_size``, bounds an incoming websocket message end
to end: the handler's frame limit and, through :func:`http_server`, the
HTTP server's read buffer (tornado's 100 MB default would otherwise reset
connections well below the limit).

Every route answers only requests whose ``Host`` is ``localhost``, an IP
address or a name in ``allowed_hosts``, and, when ``token`` is set, only
requests carrying it (see :mod:`.access`).

This is the top of the standalone stack: it uses the server layer's tornado
handler and nothing from the jupyter layer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import tornado.httpserver
import tornado.web

from ..errors import ConfigError
from .access import Access, GuardedApplication
from .assets import (
    DEFAULT_GENERATION,
    GENERATIONS,
    ClientGeneration,
    find_node_modules,
    missing_assets,
)

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "http_server", "make_app"]

#: Largest websocket message by default (big Arrow updates must fit).
DEFAULT_MAX_MESSAGE_SIZE = 1 << 30
# Room in the read buffer for a frame's header and the next frame's start.
_FRAME_SLACK = 1 << 20
# The page and the npm files are GETs: a large request body is never needed.
_MAX_BODY_SIZE = 1 << 20

_HERE = Path(__file__).resolve().parent
_NODE_MODULES_PREFIX = "/node_modules/"


class _PageHandler(tornado.web.RequestHandler):
    """Render the viewer page for one client generation and table."""

    def initialize(
        self, node_modules: Path, table: str | None, websocket_path: str, default_client: str
    ) -> None:
        self._node_modules = node_modules
        self._table = table
        self._websocket_path = websocket_path
        self._default_client = default_client

    def get(self) -> None:
        key = self.get_query_argument("client", self._default_client)
        generation = GENERATIONS.get(key)
        if generation is None:
            raise tornado.web.HTTPError(
                400, reason=f"unknown client {key!r}; use one of {', '.join(GENERATIONS)}"
            )
        missing = missing_assets(self._node_modules, generation)
        if missing:
            # A page without its scripts would only show a blank viewer;
            # say what is missing and how to get it instead.
            self.set_status(500)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                f"The {key} {generation.version} browser packages are missing from "
                f"{self._node_modules}: {', '.join(missing)}.\n"
                "An installed perspective_nb ships them: reinstall it (pip install "
                "perspective_nb). In a source checkout, run scripts/setup-js.sh (npm ci).\n"
            )
            return
        table = self.get_query_argument("table", self._table)
        websocket = self._websocket_path
        access: Access | None = self.settings.get("perspective_access")
        if access is not None and access.token is not None:
            # The page was let in with the token; its websocket needs it too.
            websocket += "?" + urlencode({"token": access.token})
        config = {
            "websocket": websocket,
            "table": table,
            "client": generation.key,
            "adapt_legacy_plugins": generation.legacy_plugins,
            "load_by_name": generation.load_by_name,
            "urls": {
                "client": _asset_url(generation.client),
                "viewer": _asset_url(generation.viewer),
                "datagrid": _asset_url(generation.datagrid),
                "d3fc": _asset_url(generation.d3fc),
            },
        }
        self.render(
            "index.html",
            title=f"{table or 'tables'} · perspective_nb",
            themes_css=_asset_url(generation.themes_css),
            generation=generation,
            config_json=_script_json(config),
        )


class _NodeModulesHandler(tornado.web.StaticFileHandler):
    """Serve npm package files with the MIME types browsers insist on."""

    # Module scripts must be JavaScript and wasm must be application/wasm
    # (or streaming compilation fails); the host's mime.types may disagree.
    _TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def get_content_type(self) -> str:
        suffix = os.path.splitext(self.absolute_path or "")[1]
        return self._TYPES.get(suffix) or super().get_content_type()

    def set_extra_headers(self, path: str) -> None:
        # Package files change when `npm ci` installs another version under
        # the same path: revalidate instead of caching them for a long time.
        self.set_header("Cache-Control", "no-cache")


def _asset_url(path: str) -> str:
    return _NODE_MODULES_PREFIX + path


def _script_json(value: Any) -> str:
    # JSON inside <script>: "</" would end the element early.
    return json.dumps(value).replace("</", "<\\/")


def _scopes(generations: list[ClientGeneration]) -> str:
    return "|".join(sorted({scope for g in generations for scope in g.scopes}))


def make_app(
    server: Any,
    *,
    table: str | None = None,
    node_modules: str | os.PathLike[str] | None = None,
    websocket_path: str = "/websocket",
    default_client: str = DEFAULT_GENERATION,
    check_origin: bool = False,
    websocket_handler: type[tornado.web.RequestHandler] | None = None,
    websocket_kwargs: dict[str, Any] | None = None,
    max_message_size: int | None = None,
    allowed_hosts: Iterable[str] | None = None,
    token: str | None = None,
    **settings: Any,
) -> tornado.web.Application:
    """Build the standalone application serving a viewer page for ``server``.

    Parameters
    ----------
    server : perspective_nb.Server
        The server whose hosted tables the page's websocket reaches.
    table : str, optional
        The hosted table the page opens when the URL has no ``?table=``;
        without it the page opens the first hosted table.
    node_modules : path-like, optional
        Directory holding the npm packages of ``package.json``; defaults to
        ``$PERSPECTIVE_NB_NODE_MODULES``, then a source checkout's
        ``node_modules``, then the browser files the installed package ships.
    websocket_path : str
        Route of the Perspective websocket.
    default_client : {"finos", "perspective-dev"}
        npm generation the page uses when the URL has no ``?client=``.
    check_origin : bool
        Whether the websocket accepts connections from other origins.
    websocket_handler : type, optional
        The websocket handler class; defaults to
        :class:`perspective_nb.handlers.tornado.PerspectiveTornadoHandler`.
        Another handler receives ``perspective_server`` plus
        ``websocket_kwargs``.
    websocket_kwargs : dict, optional
        Extra initialisation arguments for the websocket handler.
    max_message_size : int, optional
        Largest incoming websocket message in bytes (default: the
        ``websocket_max_message_size`` setting if given, else 1 GiB). Stored
        as that setting, which the handler follows.
        A larger message is answered with ``server_error``. Serve the app
        with :func:`http_server` so the HTTP server's buffer fits it.
    allowed_hosts : iterable of str, optional
        Host names the app answers to besides ``localhost`` and IP
        addresses (``Host`` header check against DNS rebinding); ``["*"]``
        accepts any, e.g. behind a proxy that checks the name itself.
    token : str, optional
        When set, the page and the websocket (every route but the package
        and static files) need ``?token=<token>`` or the header
        ``Authorization: token <token>``.
    **settings
        Passed to :class:`tornado.web.Application` (e.g. ``debug=True``).

    Returns
    -------
    tornado.web.Application

    Raises
    ------
    AssetsNotFoundError
        When no directory of browser files is found.
    ConfigError
        When ``default_client`` is not a known generation.

    Examples
    --------
    >>> import perspective_nb  # doctest: +SKIP
    >>> server = perspective_nb.Server()  # doctest: +SKIP
    >>> server.new_local_client().table("a,b\\n1,2", name="t")  # doctest: +SKIP
    >>> http_server(make_app(server, table="t")).listen(8080)  # doctest: +SKIP
    """
    if max_message_size is None:
        max_message_size = int(settings.get("websocket_max_message_size", DEFAULT_MAX_MESSAGE_SIZE))
    if max_message_size < 1:
        raise ConfigError(
            f"max_message_size must be a positive number of bytes, not {max_message_size!r}"
        )
    if default_client not in GENERATIONS:
        raise ConfigError(
            f"unknown client generation {default_client!r}; use one of {', '.join(GENERATIONS)}"
        )
    modules = find_node_modules(node_modules)
    if websocket_handler is None:
        from ..handlers.tornado import PerspectiveTornadoHandler

        websocket_handler = PerspectiveTornadoHandler
        ws_kwargs: dict[str, Any] = {"perspective_server": server, "check_origin": check_origin}
    else:
        ws_kwargs = {"perspective_server": server}
    ws_kwargs.update(websocket_kwargs or {})
    scopes = _scopes(list(GENERATIONS.values()))
    routes: list[Any] = [
        (
            r"/",
            _PageHandler,
            {
                "node_modules": modules,
                "table": table,
                "websocket_path": websocket_path,
                "default_client": default_client,
            },
        ),
        (
            rf"{_NODE_MODULES_PREFIX}((?:{scopes})/.*)",
            _NodeModulesHandler,
            {"path": str(modules)},
        ),
        (websocket_path, websocket_handler, ws_kwargs),
    ]
    settings.setdefault("template_path", str(_HERE / "templates"))
    settings.setdefault("static_path", str(_HERE / "static"))
    # The one size limit: the handler reads it, http_server() sizes buffers from it.
    settings["websocket_max_message_size"] = max_message_size
    try:
        settings["perspective_access"] = Access.build(
            allowed_hosts,
            token,
            public=(_NODE_MODULES_PREFIX, settings.get("static_url_prefix", "/static/")),
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return GuardedApplication(routes, **settings)


def http_server(app: tornado.web.Application, **kwargs: Any) -> tornado.httpserver.HTTPServer:
    """Return an HTTP server for ``app`` whose read buffer fits its largest websocket message.

    tornado's ``HTTPServer`` buffers at most 100 MB per connection by
    default: a larger websocket frame resets the connection even when the
    handler accepts it. This sizes ``max_buffer_size`` from the app's
    ``websocket_max_message_size`` (see :func:`make_app`), and keeps plain
    HTTP request bodies small (the app only serves GETs).

    Parameters
    ----------
    app : tornado.web.Application
        Usually from :func:`make_app`.
    **kwargs
        Passed to :class:`tornado.httpserver.HTTPServer` (they win).

    Examples
    --------
    >>> http = http_server(make_app(server, max_message_size=2 << 30))  # doctest: +SKIP
    >>> http.listen(8080, "127.0.0.1")  # doctest: +SKIP
    """
    limit = int(app.settings.get("websocket_max_message_size", DEFAULT_MAX_MESSAGE_SIZE))
    kwargs.setdefault("max_buffer_size", limit + _FRAME_SLACK)
    kwargs.setdefault("max_body_size", _MAX_BODY_SIZE)
    return tornado.httpserver.HTTPServer(app, **kwargs)
