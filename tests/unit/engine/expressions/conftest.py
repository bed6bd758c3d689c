"""Shared fixtures for the expression-language unit tests: one small table of every type."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.engine.expressions import compute_expressions, expression_schema

SCHEMA = {
    "i": "integer",
    "f": "float",
    "b": "boolean",
    "s": "string",
    "d": "date",
    "t": "datetime",
}


@pytest.fixture
def table() -> pa.Table:
    return pa.table(
        {
            "i": pa.array([1, 2, None, -4, 5], pa.int64()),
            "f": [1.5, -2.25, None, 0.0, 3.75],
            "b": [True, False, None, True, False],
            "s": ["abc", "Hello", None, "", "xyz abc"],
            "d": [
                dt.date(2020, 1, 1),
                dt.date(2021, 2, 28),
                None,
                dt.date(1999, 12, 31),
                dt.date(2024, 2, 29),
            ],
            "t": pa.array(
                [
                    dt.datetime(2020, 1, 1, 12, 30, 15),
                    dt.datetime(2021, 2, 28, 23, 59, 59),
                    None,
                    dt.datetime(1999, 12, 31, 0, 0, 1),
                    dt.datetime(2024, 2, 29, 6, 7, 8),
                ],
                pa.timestamp("ms"),
            ),
        }
    )


@pytest.fixture
def run(table):
    """Compute one expression over the fixture table: returns (type, values)."""

    def _run(text: str, tbl: pa.Table | None = None, schema: dict | None = None):
        tbl = table if tbl is None else tbl
        schema = SCHEMA if schema is None else schema
        ptype = expression_schema(schema, {"x": text})["x"]
        values = compute_expressions(tbl, schema, {"x": text})["x"].to_pylist()
        return ptype, values

    return _run


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Calendar functions read the local zone; pin it so results do not depend on the host."""
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def schema() -> dict[str, str]:
    """Perspective schema of the fixture table."""
    return dict(SCHEMA)
