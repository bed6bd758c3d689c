"""5.x's virtual servers: the same user code against perspective-python 5.6.1 and perspective_nb.

The scenarios of ``tests/virtual/virtual_server_scenarios.py`` (a DuckDB
connection, a dict of polars frames, each served through
``server.new_session`` and ``Client``) run as source in the 5.6.1
interpreter and as functions here; what the user sees must be equal.
They need duckdb and polars in both interpreters (scripts/test.sh
installs them in the oracle's).
"""

from __future__ import annotations

import inspect
import os
import textwrap

import pytest

import perspective_nb
from tests.conformance.backends import require
from tests.virtual.virtual_server_scenarios import HELPERS, SCENARIOS

from .conftest import OracleError


def _oracle_has(oracle5, module: str) -> None:
    try:
        oracle5.code(f"import {module}\nresult = None")
    except OracleError:
        message = f"the perspective-python 5.6.1 interpreter lacks {module}: pip install {module}"
        if os.environ.get("PERSPECTIVE_NB_REQUIRE_ORACLE5") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_same_as_perspective_5(oracle5, scenario):
    for module in ("duckdb", "polars"):
        require(module)
        _oracle_has(oracle5, module)
    source = "\n".join(textwrap.dedent(inspect.getsource(f)) for f in [*HELPERS, scenario])
    theirs = oracle5.code(f"{source}\nresult = {scenario.__name__}(perspective)")
    ours = scenario(perspective_nb)
    # Spelled out key by key, so a failure names the part that differs.
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        assert ours[key] == theirs[key], key
