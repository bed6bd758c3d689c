"""Generated tables and view configs: DuckDB and Spark answer as the in-memory engine does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perspective_nb.engine.table import Table
from perspective_nb.errors import PerspectiveError
from tests.oracle.strategies import ptype, tables

from .backends import plain
from .compare import assert_same_view, refused_on_virtual_tables
from .strategies import DUCKDB, DUCKDB_FEW, SPARK, cases


def _same(engines, engine: str, data, cfg: dict, window: dict, index=None, kept=None) -> None:
    expected = engines.make("memory", data, index=index)
    actual = engines.make(engine, data if kept is None else kept, index=index)
    try:
        if refused_on_virtual_tables(cfg):
            # Perspective 5.x's split percentages: a virtual table refuses them.
            with pytest.raises(
                PerspectiveError, match="with split_by is not supported on a virtual"
            ):
                actual.view(**cfg)
            return
        assert_same_view(expected, actual, cfg, window)
    finally:
        engines.close()


@DUCKDB
@given(cases())
def test_duckdb_views(engines, case):
    data, cfg, window = case
    _same(engines, "duckdb", data, cfg, window)


@DUCKDB_FEW
@given(cases(pivots=False), st.booleans())
def test_duckdb_flat_views_with_ids(engines, case, indexed):
    data, cfg, window = case
    keys = [c for c in data.column_names if ptype(c) != "boolean"]
    index = keys[0] if indexed and keys else None
    # An indexed table keeps one row per key: DuckDB gets the rows it kept.
    kept = plain(Table(data, name="t", index=index).data)
    _same(engines, "duckdb", data, cfg, {**window, "id": True}, index=index, kept=kept)


@DUCKDB_FEW
@given(tables(min_rows=0), st.data())
def test_duckdb_split_cells(engines, data, draw):
    names = data.column_names
    numeric = [c for c in names if ptype(c) in ("integer", "float")]
    if not numeric:
        return
    col = draw.draw(st.sampled_from(numeric))
    aggs = ["pct sum parent", "pct sum grand total", "any", "first", "last", "unique"]
    cfg = {
        "group_by": draw.draw(
            st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)
        ),
        "split_by": [draw.draw(st.sampled_from(names))],
        "columns": [col],
        "group_rollup_mode": draw.draw(st.sampled_from(["rollup", "flat", "total"])),
        "aggregates": {col: draw.draw(st.sampled_from(aggs))},
    }
    _same(engines, "duckdb", data, cfg, {})


@pytest.mark.slow
@SPARK
@given(cases())
def test_spark_views(engines, case):
    data, cfg, window = case
    _same(engines, "spark", data, cfg, window)
