"""CatalogServer: a Server whose hosted tables follow an outside catalog.

A DuckDB connection's tables, or a dict of polars frames, change after the
server is made. perspective-python 5.x's virtual servers read the catalog
on every listing, so a table created later is listed and can be opened;
:class:`CatalogServer` does the same on top of our :class:`Server`: every
listing (and every open of a name not hosted yet) re-reads the catalog,
hosts what is new as a :class:`~perspective_nb.virtual.VirtualTable` and
stops hosting what is gone. Tables made through a client
(``client.table(...)``) are hosted beside them and never touched.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable
from typing import Any

from ..errors import PerspectiveError
from ..server import Server

__all__ = ["CatalogServer"]

log = logging.getLogger(__name__)


class CatalogServer(Server):
    """A :class:`Server` whose hosted set follows :meth:`catalog` (see the module docstring).

    Subclasses say what the catalog holds (:meth:`catalog`: ``{name: key}``,
    where a changed key means a changed object) and how to host one entry
    (:meth:`host_entry`).
    """

    def __init__(self, **server_kwargs: Any) -> None:
        super().__init__(**server_kwargs)
        self._sync_lock = threading.RLock()
        self._syncing = False
        #: Names hosted from the catalog, with the key they were hosted for.
        self._from_catalog: dict[str, Hashable] = {}
        #: Entries that could not be hosted, with their key (not retried until it changes).
        self._refused: dict[str, Hashable] = {}
        #: The catalog's names in its own order (as 5.x lists them).
        self._order: list[str] = []

    def features(self) -> Any:
        """What the SQL compiler computes, so the viewer offers only that.

        Its aggregates per column type (``engine.sql.aggregates``), every
        filter op, no window columns and split rollup mode ``flat`` only.
        Tables made through a client are hosted beside the catalog's, but a
        features reply is per server: a catalog server's are its tables'.
        """
        from ..engine.sql.aggregates import SQL_AGGREGATES
        from ..protocol.features import features_response

        return features_response(
            aggregates=SQL_AGGREGATES, windows=False, split_rollup_modes=("flat",)
        )

    # -- what subclasses provide ------------------------------------------------
    def catalog(self) -> dict[str, Hashable]:
        """``{table name: key}`` of the catalog now."""
        raise NotImplementedError

    def host_entry(self, name: str) -> Any:
        """A new virtual table for the catalog entry ``name`` (not hosted yet)."""
        raise NotImplementedError

    # -- following the catalog ------------------------------------------------------
    def sync(self) -> None:
        """Host the catalog's new entries and stop hosting its removed or replaced ones.

        An entry whose table still has open views stays hosted (on the old
        object) until they close. Called by every listing; call it after
        changing the catalog to tell subscribed clients at once.
        """
        with self._sync_lock:
            if self._syncing:  # a listing made by a hosted-tables callback of this sync
                return
            self._syncing = True
            try:
                self._sync()
            finally:
                self._syncing = False

    def _sync(self) -> None:
        current = self.catalog()
        self._order = list(current)
        for name, key in list(self._from_catalog.items()):
            table = self.hosted_table(name)
            if table is None:  # a client deleted it: the catalog hosts it again
                del self._from_catalog[name]
                continue
            if current.get(name, _GONE) == key:
                continue
            try:
                table.delete()  # fires on_delete: the registry forgets it
            except PerspectiveError as exc:  # views still open on it
                log.debug("keeping %r hosted until its views close: %s", name, exc)
                continue
            del self._from_catalog[name]
        hosted = set(super().get_hosted_table_names())
        for name, key in current.items():
            if name in self._from_catalog or name in hosted:
                continue  # a client-made table of the same name wins
            if self._refused.get(name) == key:
                continue  # already logged
            try:
                table = self.host_entry(name)
            except Exception as exc:
                # One table we cannot host (e.g. a column type Perspective
                # lacks) must not hide the others.
                log.warning("not hosting %r: %s", name, exc)
                self._refused[name] = key
                continue
            self.host_table(table, name)
            self._from_catalog[name] = key

    # -- the Registry's reads, following the catalog ---------------------------------
    def get_hosted_table_names(self) -> list[str]:
        """Names of the hosted tables: the catalog's (read now, in its order), then client-made."""
        return [name for name, _ in self.hosted_tables()]

    def hosted_tables(self) -> list[tuple[str, Any]]:
        """``(name, table)`` pairs: the catalog's (read now, in its order), then client-made."""
        self.sync()
        hosted = dict(super().hosted_tables())
        ordered = [(name, hosted.pop(name)) for name in self._order if name in hosted]
        return ordered + list(hosted.items())

    def hosted_table(self, name: str) -> Any:
        """The table hosted as ``name``, or None (without reading the catalog)."""
        with self._lock:
            return self._tables.get(name)

    def get_table(self, name: str) -> Any:
        """The table hosted as ``name``; a name new to the catalog is hosted first."""
        if self.hosted_table(name) is None:
            self.sync()
        return super().get_table(name)


_GONE = object()
