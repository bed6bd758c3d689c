"""Virtual tables: rows that live in DuckDB or Spark, served like in-memory tables.

``virtual_table(data, name=...)`` wraps a DuckDB relation or a Spark
DataFrame in a :class:`~.table.VirtualTable`; its views compile to SQL
(:mod:`perspective_nb.engine.sql`) and run in the database. ``duckdb`` and
``pyspark`` are imported lazily, only by code handling their objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .backends import DuckDBBackend, SparkBackend, is_duckdb_relation, is_spark_dataframe
from .table import VirtualTable
from .view import VirtualView

__all__ = ["Hosted", "VirtualTable", "VirtualView", "is_virtual", "virtual_table"]


@dataclass(frozen=True)
class Hosted:
    """A database object and the connection (or Spark session) it belongs to.

    ``client.table("trades", connection=con)`` passes one of these: a name
    (or a relation) together with its connection, which makes a DuckDB
    table writable.
    """

    data: Any
    connection: Any
    poll_interval: float | None = None


def is_virtual(data: Any) -> bool:
    """True for data a virtual table hosts (DuckDB relation, Spark DataFrame, :class:`Hosted`)."""
    return isinstance(data, Hosted) or is_duckdb_relation(data) or is_spark_dataframe(data)


def virtual_table(data: Any, *, name: str, index: str | None = None) -> VirtualTable:
    """Host ``data`` (see :func:`is_virtual`) as a :class:`VirtualTable` named ``name``.

    Examples
    --------
    >>> import duckdb  # doctest: +SKIP
    >>> con = duckdb.connect()  # doctest: +SKIP
    >>> t = virtual_table(con.sql("SELECT 1 AS x"), name="one")  # doctest: +SKIP
    >>> t.view().to_columns()  # doctest: +SKIP
    {'x': [1]}
    """
    connection, poll = None, None
    if isinstance(data, Hosted):
        connection, poll, data = data.connection, data.poll_interval, data.data
        if isinstance(data, str):
            data = connection.table(data)  # DuckDB connection and SparkSession alike
    if is_duckdb_relation(data):
        backend: Any = DuckDBBackend(data, connection, index)
    elif is_spark_dataframe(data):
        backend = SparkBackend(data, index)
    else:
        from ..errors import PerspectiveError

        raise PerspectiveError(
            f"cannot host {type(data).__name__} as a virtual table; pass a DuckDB relation, "
            "a Spark DataFrame, or a table name with connection="
        )
    return VirtualTable(backend, name=name, poll_interval=poll)
