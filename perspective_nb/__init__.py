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
    "get_hosted_table_names",
    "join",
    "load_ipython_extension",
    "num_cpus",
    "open_table",
    "set_num_cpus",
    "system_info",
    "table",
    "unload_ipython_extension",
    "websocket",
]


def open_table(name: str) -> Table:
    """Open a table of this process's global server (see :func:`table`).

    Examples
    --------
    >>> import perspective_nb
    >>> _ = perspective_nb.table({"a": [1]}, name="opened")  # doctest: +SKIP
    >>> perspective_nb.open_table("opened").size()  # doctest: +SKIP
    1
    """
    from .jupyter.kernel_host import current_host

    return current_host().client.open_table(name)


def join(
    left: Any,
    right: Any,
    on: str,
    join_type: str | None = None,
    name: str | None = None,
    right_on: str | None = None,
) -> Table:
    """Join two tables of this process's global server (see :meth:`Client.join`).

    Examples
    --------
    >>> import perspective_nb
    >>> orders = perspective_nb.table({"p": [1, 2], "qty": [5, 6]})  # doctest: +SKIP
    >>> products = perspective_nb.table({"p": [1], "name": ["pen"]})  # doctest: +SKIP
    >>> perspective_nb.join(orders, products, "p", "left").size()  # doctest: +SKIP
    2
    """
    from .jupyter.kernel_host import current_host

    return current_host().client.join(left, right, on, join_type, name=name, right_on=right_on)


def get_hosted_table_names() -> list[str]:
    """Names of the tables of this process's global server (see :func:`table`)."""
    from .jupyter.kernel_host import current_host

    return current_host().client.get_hosted_table_names()


def system_info() -> dict[str, Any]:
    """Memory and CPU figures of this process (as ``Client.system_info``)."""
    from .jupyter.kernel_host import current_host

    return current_host().client.system_info()


def num_cpus() -> int:
    """Threads the engine's Arrow compute may use."""
    import pyarrow as pa

    return pa.cpu_count()


def set_num_cpus(count: int) -> None:
    """Limit the threads the engine's Arrow compute may use (at least 1)."""
    import pyarrow as pa

    from .engine.arguments import check_thread_count

    pa.set_cpu_count(check_thread_count(count))


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
