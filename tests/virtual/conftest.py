"""Fixtures for virtual-table tests: DuckDB, and one local Spark session.

Without duckdb / pyspark these tests skip, except when
``PERSPECTIVE_NB_REQUIRE_BROWSER=1`` (set by scripts/test.sh, as in CI):
then a missing backend fails the run instead of hiding it.
"""

from __future__ import annotations

import pytest

from .backends import require


@pytest.fixture(scope="session")
def duckdb():
    return require("duckdb")


@pytest.fixture(scope="session")
def spark():
    """One local[*] SparkSession for the session (Spark takes seconds to start)."""
    require("pyspark")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("perspective_nb tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()
