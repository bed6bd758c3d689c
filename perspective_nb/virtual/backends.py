"""Where a virtual table's rows live: a DuckDB relation or table, or a Spark DataFrame.

A backend runs SQL text written by :mod:`perspective_nb.engine.sql` and
returns Arrow; the DuckDB backend also writes (update, remove, replace,
clear) into a DuckDB table. ``duckdb`` and ``pyspark`` are never imported
here: backends work on the objects the caller passes (duck typing), so
neither is needed unless used.

Each backend serialises its queries on a lock: a DuckDB connection and a
Spark session's SQL entry point are shared by the server's threads.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from typing import Any, Protocol

import pyarrow as pa

from ..engine.dtypes import arrow_type_to_perspective
from ..engine.sql import DUCKDB, SPARK, Dialect
from ..engine.sql.query import Source
from ..errors import PerspectiveError, SchemaError, UpdateError

__all__ = ["Backend", "DuckDBBackend", "SparkBackend", "is_duckdb_relation", "is_spark_dataframe"]

_names = itertools.count(1)


def is_duckdb_relation(data: Any) -> bool:
    """True for a ``duckdb.DuckDBPyRelation`` (checked without importing duckdb)."""
    t = type(data)
    return t.__name__ == "DuckDBPyRelation" and t.__module__.startswith("duckdb")


def is_spark_dataframe(data: Any) -> bool:
    """True for a ``pyspark.sql.DataFrame`` (classic or Spark Connect)."""
    return any(
        c.__name__ == "DataFrame" and c.__module__.startswith("pyspark.sql")
        for c in type(data).__mro__
    )


class Backend(Protocol):
    """What a virtual table needs from a database."""

    dialect: Dialect
    source: Source
    writable: bool

    def run(self, sql: str) -> pa.Table:
        """Run a query; its result as Arrow."""
        ...

    def close(self) -> None:
        """Drop what the backend registered in the database."""
        ...


def _perspective_schema(schema: pa.Schema) -> dict[str, str]:
    out = {}
    for f in schema:
        try:
            out[f.name] = arrow_type_to_perspective(f.type)
        except SchemaError as exc:
            raise SchemaError(
                f"column {f.name!r} of type {f.type} has no Perspective type; cast it in the "
                f"query (e.g. CAST({f.name} AS VARCHAR)) before hosting it"
            ) from exc
    return out


def _as_doubles(base: str, schema: pa.Schema, order: str | None) -> tuple[str, str | None]:
    """``(FROM item, order)`` reading DECIMAL / HUGEINT columns as DOUBLE.

    Perspective has no decimal type: they are floats, computed as doubles.
    """
    if not any(pa.types.is_decimal(f.type) for f in schema):
        return base, order
    cols = [
        f"CAST({DUCKDB.ident(f.name)} AS DOUBLE) AS {DUCKDB.ident(f.name)}"
        if pa.types.is_decimal(f.type)
        else DUCKDB.ident(f.name)
        for f in schema
    ]
    if order is not None:
        cols.append(f"{order} AS __pnb_rowid")
        order = "__pnb_rowid"
    return f"(SELECT {', '.join(cols)} FROM {base}) AS __pnb_doubles", order


def _naive_timestamps(table: pa.Table) -> pa.Table:
    """``table`` with zoned timestamps as the engine's naive ones (the same UTC
    instants: Arrow keeps UTC values either way, so this only drops the zone)."""
    for i, f in enumerate(table.schema):
        if pa.types.is_timestamp(f.type) and f.type.tz is not None:
            table = table.set_column(i, f.name, table.column(i).cast(pa.timestamp(f.type.unit)))
    return table


class DuckDBBackend:
    """A DuckDB relation (a query, a file scan, a table).

    Parameters
    ----------
    relation
        A ``DuckDBPyRelation``; queries run through ``relation.query`` (on
        the relation's own connection) with the relation named as a view.
    connection
        The relation's connection. With it, a relation over one base table
        (``con.table("t")``) is writable: updates write into that table.
    index
        The key column (updates upsert by it), or None.
    table_path
        The table's qualified name, e.g. ``("memory", "main", "trades")``,
        when it may not be the connection's default database and schema (a
        relation only knows its table's bare name).
    """

    dialect = DUCKDB

    def __init__(
        self,
        relation: Any,
        connection: Any = None,
        index: str | None = None,
        table_path: tuple[str, ...] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._relation = relation
        # Our own cursor (a second connection to the same database), so a
        # result the user left open on theirs does not block our queries.
        self._con = connection.cursor() if connection is not None else None
        self._view = f"__pnb_virtual_{next(_names)}"
        self.table_name: str | None = None
        if connection is not None and getattr(relation, "type", "") == "TABLE_RELATION":
            self.table_name = relation.alias
        self.writable = self.table_name is not None
        with self._lock:
            empty = self._relation.query(self._view, f"SELECT * FROM {self._view} LIMIT 0")
            arrow_schema = empty.to_arrow_table().schema
            names = _perspective_schema(arrow_schema)
        if index is not None and index not in names:
            raise PerspectiveError(
                f"index column {index!r} is not in the relation; its columns are {list(names)}"
            )
        #: What writes name (a writable table), else None.
        self.target = None
        if self.writable:
            path = table_path or (self.table_name,)
            self.target = ".".join(DUCKDB.ident(part) for part in path)
            self.table_name = ".".join(path)
        # Reads of a writable table name the table itself, so they see every
        # write; rowid is its table order.
        base, order = (self.target, "rowid") if self.writable else (self._view, None)
        sql, order = _as_doubles(base, arrow_schema, order)
        self.source = Source(sql, names, index, order)

    def run(self, sql: str) -> pa.Table:
        with self._lock:
            if self.writable:
                return _naive_timestamps(self._con.sql(sql).to_arrow_table())
            return _naive_timestamps(self._relation.query(self._view, sql).to_arrow_table())

    def execute(self, statements: list[str], **arrow: pa.Table) -> None:
        """Run statements in one transaction, with Arrow tables registered by name.

        Raises
        ------
        UpdateError
            When a statement fails (the transaction is rolled back).
        """
        con = self._con
        with self._lock:
            for name, tbl in arrow.items():
                con.register(name, tbl)
            try:
                con.execute("BEGIN TRANSACTION")
                try:
                    for sql in statements:
                        con.execute(sql)
                except Exception as exc:
                    con.execute("ROLLBACK")
                    raise UpdateError(
                        f"the write into DuckDB table {self.table_name!r} failed and was "
                        f"undone: {exc}"
                    ) from exc
                con.execute("COMMIT")
            finally:
                for name in arrow:
                    con.unregister(name)

    def close(self) -> None:
        if self._con is not None:
            with self._lock, contextlib.suppress(Exception):  # may be closed already
                self._con.close()


def _spark_doubles(base: str, schema: pa.Schema) -> str:
    """``base`` with DECIMAL columns read as DOUBLE (Perspective has no decimals)."""
    if not any(pa.types.is_decimal(f.type) for f in schema):
        return base
    cols = [
        f"CAST({SPARK.ident(f.name)} AS DOUBLE) AS {SPARK.ident(f.name)}"
        if pa.types.is_decimal(f.type)
        else SPARK.ident(f.name)
        for f in schema
    ]
    return f"(SELECT {', '.join(cols)} FROM {base}) AS __pnb_doubles"


class SparkBackend:
    """A Spark DataFrame, queried with Spark SQL through a temporary view (read-only)."""

    dialect = SPARK
    writable = False
    table_name = None
    target = None

    def __init__(self, frame: Any, index: str | None = None) -> None:
        self._lock = threading.RLock()
        self._spark = frame.sparkSession
        self._view = f"__pnb_virtual_{next(_names)}"
        frame.createOrReplaceTempView(self._view)
        schema = self.run(f"SELECT * FROM {SPARK.ident(self._view)} LIMIT 0").schema
        names = _perspective_schema(schema)
        if index is not None and index not in names:
            raise PerspectiveError(
                f"index column {index!r} is not in the DataFrame; its columns are {list(names)}"
            )
        # Spark has no scan order to rely on: the row id it assigns is table order.
        self.source = Source(
            _spark_doubles(SPARK.ident(self._view), schema),
            names,
            index,
            "monotonically_increasing_id()",
        )

    def run(self, sql: str) -> pa.Table:
        with self._lock:
            df = self._spark.sql(sql)
            if hasattr(df, "toArrow"):
                # Spark zones timestamps in the session's time zone.
                return _naive_timestamps(df.toArrow())
            return _naive_timestamps(pa.Table.from_pandas(df.toPandas(), preserve_index=False))

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the session may be stopped already
            self._spark.catalog.dropTempView(self._view)
