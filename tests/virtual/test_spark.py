"""Spark DataFrames hosted as virtual tables (local Spark): views equal the in-memory engine's."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings

import perspective_nb
from perspective_nb.engine.table import Table
from perspective_nb.virtual import virtual_table
from tests.oracle.strategies import ptype

from .compare import assert_same_view
from .test_duckdb_equality import cases

pytestmark = pytest.mark.slow


def _frame(spark, data: pa.Table):
    """``data`` as a Spark DataFrame of the same column types (nulls included)."""
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
    fields = [StructField(c, kinds[ptype(c)]) for c in data.column_names]
    rows = [tuple(r.values()) for r in data.to_pylist()]
    return spark.createDataFrame(rows, StructType(fields))


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases())
def test_spark_views_equal_in_memory_views(spark, case):
    data, cfg, window = case
    virtual = virtual_table(_frame(spark, data), name="t")
    try:
        assert_same_view(Table(data, name="t"), virtual, cfg, **window)
    finally:
        virtual.backend.close()


def test_a_dataframe_is_served_by_a_client(spark):
    client = perspective_nb.Server().new_local_client()
    frame = spark.range(100).selectExpr("id", "id % 4 AS bucket", "CAST(id AS DOUBLE) / 2 AS x")
    table = client.table(frame, name="events")
    assert table.size() == 100
    view = table.view(group_by=["bucket"], columns=["x"], sort=[["x", "desc"]])
    out = view.to_columns(start_row=0, end_row=3)
    assert out["__ROW_PATH__"] == [[], [3], [2]]
    assert out["x"] == [sum(range(100)) / 2, sum(range(3, 100, 4)) / 2, sum(range(2, 100, 4)) / 2]
    assert "GROUPING SETS" in view.to_sql()
    with pytest.raises(perspective_nb.PerspectiveError, match="cannot be written"):
        table.update([{"id": 1}])
    view.delete()
    client.terminate()
