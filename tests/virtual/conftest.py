"""Fixtures for virtual-table tests: DuckDB and the run's one local Spark session
(defined with the conformance suite, tests/conformance/conftest.py).

Without duckdb / pyspark these tests skip, except when
``PERSPECTIVE_NB_REQUIRE_BROWSER=1`` (set by scripts/test.sh, as in CI):
then a missing backend fails the run instead of hiding it.
"""

from __future__ import annotations

from tests.conformance.conftest import duckdb, spark

__all__ = ["duckdb", "spark"]
