"""Generated conformance cases: random tables and view configs (tests/oracle/strategies.py),
and how many examples each engine runs.

The example counts keep the whole suite within a few minutes on a 2-core
machine (a Spark view costs ~1 s, a DuckDB view ~30 ms).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.oracle.strategies import ptype, tables, view_configs

from .compare import supported

# The ``engines`` fixture is reused by every example (each closes what it made).
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
DUCKDB = settings(max_examples=80, deadline=None, suppress_health_check=_QUIET)
DUCKDB_FEW = settings(max_examples=40, deadline=None, suppress_health_check=_QUIET)
SPARK = settings(max_examples=8, deadline=None, suppress_health_check=_QUIET)


@st.composite
def cases(draw, pivots=True):
    """A random table, a config every engine supports, and a viewport."""
    data = draw(tables())
    cfg = supported(draw(view_configs(data, pivots=pivots)))
    if cfg.get("group_by") and draw(st.booleans()):
        cfg["group_rollup_mode"] = draw(st.sampled_from(["rollup", "flat", "total"]))
    elif cfg.get("group_by") and draw(st.booleans()):
        cfg["group_by_depth"] = draw(st.integers(0, len(cfg["group_by"])))
    if cfg.get("sort") and draw(st.booleans()):
        c, d = cfg["sort"][0]
        if ptype(c) in ("integer", "float") and d in ("asc", "desc"):
            cfg["sort"] = [[c, d + " abs"]]
    if cfg.get("filter") and draw(st.booleans()):
        cfg["filter_op"] = "or"
    start = draw(st.integers(0, 6))
    window = draw(
        st.sampled_from([{}, {"start_row": start, "end_row": start + draw(st.integers(0, 8))}])
    )
    return data, cfg, window
