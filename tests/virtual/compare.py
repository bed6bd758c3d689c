"""Load one Arrow table into the in-memory engine and into DuckDB; compare their views."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.engine.sql.aggregates import SQL_AGGREGATES
from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError
from perspective_nb.virtual import Hosted, virtual_table
from tests.oracle.compare import assert_same_columns
from tests.oracle.strategies import ptype


def duckdb_table(duckdb, data: pa.Table, name: str = "t", index: str | None = None):
    """``data`` as a writable DuckDB table hosted virtually, and its connection."""
    con = duckdb.connect()
    con.register("__src", data)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM __src')
    con.unregister("__src")
    return virtual_table(Hosted(name, con), name=name, index=index), con


def supported(cfg: dict) -> dict:
    """``cfg`` without what virtual tables refuse (other aggregates)."""
    cfg = dict(cfg)
    aggs = {c: a for c, a in cfg.get("aggregates", {}).items() if a in SQL_AGGREGATES[ptype(c)]}
    cfg.pop("aggregates", None)
    if aggs:
        cfg["aggregates"] = aggs
    return cfg


# Compiled for virtual tables in Perspective 3.x's meaning only: refused there
# (a ConfigError naming them), checked by test_duckdb_equality.
SPLIT_PERCENTAGES = ("pct sum parent", "pct sum grand total")


def refused_on_virtual_tables(cfg: dict) -> bool:
    """A split view with a percentage aggregate: virtual tables refuse it."""
    aggs = cfg.get("aggregates") or {}
    return bool(cfg.get("split_by")) and any(a in SPLIT_PERCENTAGES for a in aggs.values())


def assert_same_view(mem: Table, virtual, cfg: dict, **window) -> None:
    if refused_on_virtual_tables(cfg):
        with pytest.raises(ConfigError, match="with split_by is not supported on a virtual"):
            virtual.view(**cfg)
        return
    ours = virtual.view(**cfg)
    theirs = mem.view(**cfg)
    assert ours.num_rows() == theirs.num_rows(), cfg
    assert ours.column_paths() == theirs.column_paths(), cfg
    assert ours.schema() == theirs.schema(), cfg
    assert_same_columns(ours.to_columns(**window), theirs.to_columns(**window), (cfg, window))
    ours.delete()
    theirs.delete()
