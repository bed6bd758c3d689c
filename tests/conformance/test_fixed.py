"""The fixed cases (cases.py) on every engine, compared with the in-memory engine."""

from __future__ import annotations

import pytest

from .cases import DATA, FIXED, RELATION, Case
from .compare import assert_same_view


def _params(engine: str, cases=FIXED) -> list:
    out = []
    for case in cases:
        if engine == "spark" and not case.spark:
            continue
        m = []
        reason = case.reason(engine)
        if reason:
            m.append(pytest.mark.xfail(strict=True, reason=reason))
        out.append(pytest.param(case, id=case.id, marks=m))
    return out


def _check(engines, engine: str, case: Case) -> None:
    expected = engines.make("memory", DATA)
    actual = engines.make(engine, DATA)
    assert_same_view(expected, actual, case.cfg, case.window, case.outputs)


@pytest.mark.parametrize("case", _params("duckdb"))
def test_duckdb_table(engines, case):
    _check(engines, "duckdb", case)


@pytest.mark.parametrize("case", _params("duckdb_relation", RELATION))
def test_duckdb_relation(engines, case):
    _check(engines, "duckdb_relation", case)


@pytest.mark.slow
@pytest.mark.parametrize("case", _params("spark"))
def test_spark(engines, case):
    _check(engines, "spark", case)
