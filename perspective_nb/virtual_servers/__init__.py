"""perspective-python 5.x's virtual servers: DuckDB connections and polars frames, served.

``DuckDBVirtualServer(conn)`` (:mod:`.duckdb`) and
``PolarsVirtualServer(tables)`` (:mod:`.polars`) take the arguments 5.x's
``perspective.virtual_servers`` classes take and are
:class:`~perspective_nb.server.Server` subclasses, so our handlers,
``server.new_session(send)``, ``Client(handle_request)`` and
``server.new_local_client()`` serve them. Their tables are
:class:`~perspective_nb.virtual.VirtualTable` objects: views run as SQL
where the rows live. duckdb and polars are optional and imported only when
a server is made.
"""

from __future__ import annotations

from .duckdb import DuckDBVirtualServer
from .polars import PolarsVirtualServer

__all__ = ["DuckDBVirtualServer", "PolarsVirtualServer"]
