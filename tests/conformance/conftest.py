"""Fixtures of the conformance suite: the backends, one Spark session, the engines.

The Spark session is made once per run, and only when a Spark test asks for
it. Hypothesis examples are counted for a 2-core machine: the profile
``conformance`` (loaded by the tests through ``SETTINGS``) keeps the suite
within a few minutes.
"""

from __future__ import annotations

import pytest

import perspective_nb

from .backends import Engines, require, spark_session
from .cases import DATA


@pytest.fixture(scope="session")
def duckdb():
    return require("duckdb")


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole run (Spark takes seconds to start)."""
    session = spark_session()
    yield session
    session.stop()


@pytest.fixture
def engines(request):
    """An :class:`Engines` on a fresh server; backends are imported only when used."""
    client = perspective_nb.Server().new_local_client()
    made = Engines(
        client,
        duckdb=lambda: request.getfixturevalue("duckdb"),
        spark=lambda: request.getfixturevalue("spark"),
    )
    yield made
    made.close()
    client.terminate()


@pytest.fixture(scope="session")
def fixed_tables(request):
    """``fixed_tables(engine)``: the fixed table (``cases.DATA``) on ``engine``, made
    once per run on first use and shared (tests only open and delete views on it)."""
    client = perspective_nb.Server().new_local_client()
    made = Engines(
        client,
        duckdb=lambda: request.getfixturevalue("duckdb"),
        spark=lambda: request.getfixturevalue("spark"),
    )
    tables: dict[str, object] = {}

    def get(engine: str):
        if engine not in tables:
            tables[engine] = made.make(engine, DATA)
        return tables[engine]

    yield get
    made.close()
    client.terminate()
