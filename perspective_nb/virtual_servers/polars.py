"""PolarsVirtualServer: polars frames served by name, queried where they are.

perspective-python 5.x's ``PolarsVirtualServer(tables)`` takes a dict of
``name -> DataFrame`` and answers views with polars expressions. Ours
answers them with the SQL our virtual tables already compile
(:mod:`perspective_nb.engine.sql`), run by an in-process DuckDB database
in which each frame is registered: DuckDB scans a polars frame through its
Arrow memory (polars' ``to_arrow`` shares its buffers), so the rows are
never copied into our engine and one SQL path serves DuckDB, Spark and
polars alike. A ``LazyFrame`` is accepted too (DuckDB collects it when it
scans it).

The dict is kept by reference, as 5.x keeps it: a frame added later is
listed (and can be opened) from the next listing on, a removed one stops
being served, and a name bound to a new frame serves the new frame once
the old one's views are closed. The frames are read-only, as in 5.x.

polars and duckdb are imported only when a server is made.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from ..errors import PerspectiveError
from ..server.server import DEFAULT_MAX_WORKERS
from ..virtual.backends import DuckDBBackend
from ..virtual.table import VirtualTable
from .catalog import CatalogServer

__all__ = ["PolarsVirtualServer"]

_names = itertools.count(1)


def _is_frame(frame: Any) -> bool:
    """True for a polars ``DataFrame`` or ``LazyFrame`` (checked without importing polars)."""
    t = type(frame)
    return t.__name__ in ("DataFrame", "LazyFrame") and t.__module__.startswith("polars")


class PolarsVirtualServer(CatalogServer):
    """Serve polars frames by name, each queried in place through DuckDB.

    A drop-in for perspective-python 5.x's
    ``perspective.virtual_servers.polars.PolarsVirtualServer``.

    Parameters
    ----------
    tables : dict of str to polars.DataFrame or polars.LazyFrame
        The frames to serve, by the names clients open them with. Kept by
        reference: later changes to the dict are followed.
    on_poll_request, max_workers
        As for :class:`~perspective_nb.server.Server`.

    Raises
    ------
    PerspectiveError
        When ``tables`` is not a mapping of names to polars frames, or
        duckdb is not installed.

    Examples
    --------
    >>> import polars as pl  # doctest: +SKIP
    >>> server = PolarsVirtualServer({"trades": pl.DataFrame({"qty": [1, 2]})})  # doctest: +SKIP
    >>> client = server.new_local_client()  # doctest: +SKIP
    >>> client.open_table("trades").view(group_by=["qty"]).to_columns()  # doctest: +SKIP
    {'__ROW_PATH__': [[], [1], [2]], 'qty': [3, 1, 2]}
    """

    def __init__(
        self,
        tables: Mapping[str, Any],
        *,
        on_poll_request: Callable[[Any], Any] | None = None,
        max_workers: int = DEFAULT_MAX_WORKERS,
    ) -> None:
        if not isinstance(tables, Mapping):
            raise PerspectiveError(
                f"PolarsVirtualServer takes a dict of table name -> polars DataFrame, "
                f"not {type(tables).__name__}; e.g. PolarsVirtualServer({{'trades': df}})"
            )
        for name, frame in tables.items():
            _check_entry(name, frame)
        try:
            import duckdb
        except ImportError as exc:
            raise PerspectiveError(
                "PolarsVirtualServer queries frames through DuckDB, which is not installed: "
                "pip install duckdb"
            ) from exc
        super().__init__(on_poll_request=on_poll_request, max_workers=max_workers)
        self.tables = tables
        self._database = duckdb.connect()

    def catalog(self) -> dict[str, Hashable]:
        """``{name: frame identity}`` of the dict's valid entries now."""
        return {
            name: id(frame)
            for name, frame in list(self.tables.items())
            if isinstance(name, str) and _is_frame(frame)
        }

    def host_entry(self, name: str) -> VirtualTable:
        """The frame named ``name``, registered in DuckDB as a read-only virtual table."""
        frame = self.tables[name]
        _check_entry(name, frame)
        # One cursor (a connection to the shared in-memory database) per
        # frame: registrations are per connection, and each backend runs
        # its queries on its own connection under its own lock.
        cursor = self._database.cursor()
        registered = f"__pnb_polars_{next(_names)}"
        cursor.register(registered, frame)
        try:
            table = VirtualTable(DuckDBBackend(cursor.table(registered)), name=name)
        except Exception:
            cursor.close()
            raise
        table.on_delete(cursor.close)
        return table


def _check_entry(name: Any, frame: Any) -> None:
    if not isinstance(name, str):
        raise PerspectiveError(f"table names must be strings, not {name!r}")
    if not _is_frame(frame):
        raise PerspectiveError(
            f"table {name!r} is a {type(frame).__name__}, not a polars DataFrame or LazyFrame"
        )
