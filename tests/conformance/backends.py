"""The engines under test: one Arrow table hosted in memory, in DuckDB and in Spark.

Every table is made through an in-process client
(``perspective_nb.Server().new_local_client()``), as a user makes it: the
in-memory engine from the Arrow table, DuckDB from a table of a connection
(writable) or a relation (read-only), Spark from a DataFrame.

Without duckdb / pyspark a test skips, except when
``PERSPECTIVE_NB_REQUIRE_BROWSER=1`` (set by scripts/test.sh, as in CI):
then a missing backend fails the run instead of hiding it.
"""

from __future__ import annotations

import importlib
import itertools
import os
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from perspective_nb.engine.dtypes import arrow_type_to_perspective

_names = itertools.count()


def require(module: str):
    """Import ``module``, or skip; with ``PERSPECTIVE_NB_REQUIRE_BROWSER=1`` (set by
    scripts/test.sh, as in CI) a missing backend fails the run instead of hiding it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed: pip install perspective_nb[test]"
        if os.environ.get("PERSPECTIVE_NB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def spark_session():
    """A local Spark session sized for tiny test tables (seconds to start: share it)."""
    require("pyspark")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("perspective_nb tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.enabled", "false")
        # On tables of a few rows compiling generated code costs more than it
        # saves: interpreted plans run these queries about twice as fast.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_frame(spark, data: pa.Table):
    """``data`` as a Spark DataFrame with the same column types (nulls included)."""
    from pyspark.sql.types import (
        BooleanType,
        DateType,
        DoubleType,
        LongType,
        StringType,
        StructField,
        StructType,
        TimestampType,
    )  # fmt: skip

    kinds = {"integer": LongType(), "float": DoubleType(), "string": StringType(),
             "boolean": BooleanType(), "date": DateType(), "datetime": TimestampType()}  # fmt: skip
    fields = [StructField(f.name, kinds[arrow_type_to_perspective(f.type)]) for f in data.schema]
    rows = [tuple(r.values()) for r in plain(data).to_pylist()]
    return spark.createDataFrame(rows, StructType(fields))


def plain(data: pa.Table) -> pa.Table:
    """``data`` with dictionary columns decoded (what a database stores)."""
    cols = [
        c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in data.columns
    ]
    return pa.table(dict(zip(data.column_names, cols, strict=True)))


class Engines:
    """Makes the same Arrow table on each engine, through one in-process client.

    ``make(engine, data, index=None)`` returns the client's table proxy;
    ``close()`` deletes every table made and closes the DuckDB connections.
    """

    KINDS = ("memory", "duckdb", "duckdb_relation", "spark")

    def __init__(self, client: Any, duckdb: Callable[[], Any], spark: Callable[[], Any]) -> None:
        self.client = client
        self._duckdb, self._spark = duckdb, spark
        self._tables: list[Any] = []
        self._connections: list[Any] = []

    def make(self, engine: str, data: pa.Table, index: str | None = None) -> Any:
        name = f"t{next(_names)}"
        if engine == "memory":
            table = self.client.table(data, name=name, index=index)
        elif engine in ("duckdb", "duckdb_relation"):
            con = self._duckdb().connect()
            self._connections.append(con)
            con.register("__src", plain(data))
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM __src')
            con.unregister("__src")
            if engine == "duckdb":
                table = self.client.table(name, connection=con, index=index)
            else:
                table = self.client.table(con.sql(f'SELECT * FROM "{name}"'), name=name)
        elif engine == "spark":
            table = self.client.table(spark_frame(self._spark(), data), name=name, index=index)
        else:
            raise ValueError(f"unknown engine {engine!r}; use one of {self.KINDS}")
        self._tables.append(table)
        return table

    def close(self) -> None:
        for table in self._tables:
            table.delete()
        for con in self._connections:
            con.close()
        self._tables.clear()
        self._connections.clear()
