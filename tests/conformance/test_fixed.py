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


def _check(fixed_tables, engine: str, case: Case) -> None:
    expected, actual = fixed_tables("memory"), fixed_tables(engine)
    outputs = case.outputs
    if engine == "spark" and len(case.cfg.get("columns") or DATA.column_names) > 3:
        # get_min_max is a query per column: ~0.5 s each on Spark.
        outputs = tuple(o for o in outputs if o != "min_max")
    assert_same_view(expected, actual, case.cfg, case.window, outputs)


@pytest.mark.parametrize("case", _params("duckdb"))
def test_duckdb_table(fixed_tables, case):
    _check(fixed_tables, "duckdb", case)


@pytest.mark.parametrize("case", _params("duckdb_relation", RELATION))
def test_duckdb_relation(fixed_tables, case):
    _check(fixed_tables, "duckdb_relation", case)


@pytest.mark.slow
@pytest.mark.parametrize("case", _params("spark"))
def test_spark(fixed_tables, case):
    _check(fixed_tables, "spark", case)


@pytest.mark.parametrize(
    "engine", ["duckdb", "duckdb_relation", pytest.param("spark", marks=pytest.mark.slow)]
)
def test_table_shape(fixed_tables, engine):
    expected, actual = fixed_tables("memory"), fixed_tables(engine)
    assert actual.size() == expected.size() == DATA.num_rows
    assert actual.schema() == expected.schema()
    assert actual.columns() == expected.columns()
    cfg = {"group_by": ["region"], "split_by": ["flag"], "columns": ["qty", "price"]}
    ours, theirs = actual.view(**cfg), expected.view(**cfg)
    try:
        assert ours.dimensions() == theirs.dimensions()
        assert ours.num_columns() == theirs.num_columns()
        assert ours.get_config() == theirs.get_config()
    finally:
        ours.delete()
        theirs.delete()
