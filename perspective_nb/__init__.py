"""perspective_nb: Perspective's data engine and server on pyarrow, woven into Jupyter.

The public API follows perspective-python::

    import perspective_nb
    server = perspective_nb.Server()
    client = server.new_local_client()
    table = client.table({"a": [1, 2, 3]}, name="numbers")
    view = table.view(group_by=["a"])
    view.to_columns()

``perspective_nb.websocket(url)`` connects to a remote server with the same
API; ``perspective_nb.handlers.tornado.PerspectiveTornadoHandler`` serves a
``Server`` to the official JavaScript client; in Jupyter,
``%load_ext perspective_nb`` and ``PerspectiveWidget`` show live tables.
"""

from __future__ import annotations

from typing import Any

from .client import (
    AsyncClient,
    Client,
    ProxySession,
    Table,
    View,
    async_websocket,
    websocket,
)
from .errors import (
    ArgumentError,
    ConfigError,
    ConnectionClosedError,
    ExpressionError,
    PerspectiveError,
    ProtocolError,
    SchemaError,
    TableNotFoundError,
    UpdateError,
)
from .server import AsyncServer, Server

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "AsyncClient",
    "AsyncServer",
    "Client",
    "ConfigError",
    "ConnectionClosedError",
    "ExpressionError",
    "PerspectiveError",
    "PerspectiveTornadoHandler",
    "PerspectiveWidget",
    "ProtocolError",
    "ProxySession",
    "SchemaError",
    "Server",
    "Table",
    "TableNotFoundError",
    "UpdateError",
    "View",
    "async_websocket",
    "load_ipython_extension",
    "table",
    "unload_ipython_extension",
    "websocket",
]

# Names whose modules pull in tornado / Jupyter: imported on first use, so
# the engine and server work without those packages.
_LAZY = {
    "PerspectiveTornadoHandler": ("perspective_nb.handlers.tornado", "PerspectiveTornadoHandler"),
    "PerspectiveWidget": ("perspective_nb.jupyter", "PerspectiveWidget"),
    "table": ("perspective_nb.jupyter", "table"),
    "load_ipython_extension": ("perspective_nb.jupyter", "load_ipython_extension"),
    "unload_ipython_extension": ("perspective_nb.jupyter", "unload_ipython_extension"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'perspective_nb' has no attribute {name!r}")
