"""DuckDB-backed views equal the in-memory engine's, row for row (tree order included)."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspective_nb.engine.table import Table
from tests.oracle.compare import assert_same_columns
from tests.oracle.strategies import ptype, tables, view_configs

from .compare import assert_same_view, duckdb_table, supported

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw, pivots=True):
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


@SETTINGS
@given(cases())
def test_views_equal_in_memory_views(duckdb, case):
    data, cfg, window = case
    virtual, con = duckdb_table(duckdb, data)
    try:
        assert_same_view(Table(data, name="t"), virtual, cfg, **window)
    finally:
        con.close()


def _plain(data: pa.Table) -> pa.Table:
    cols = [
        c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in data.columns
    ]
    return pa.table(dict(zip(data.column_names, cols, strict=True)))


@SETTINGS
@given(cases(pivots=False), st.booleans())
def test_flat_views_with_ids_equal(duckdb, case, indexed):
    data, cfg, window = case
    keys = [c for c in data.column_names if ptype(c) != "boolean"]
    index = keys[0] if indexed and keys else None
    mem = Table(data, name="t", index=index)
    # An indexed table keeps one row per key: DuckDB gets the rows it kept.
    virtual, con = duckdb_table(duckdb, _plain(mem.data), index=index)
    try:
        assert_same_view(mem, virtual, cfg, id=True, **window)
    finally:
        con.close()


@settings(max_examples=40, deadline=None)
@given(tables(min_rows=1), st.data())
def test_expand_collapse_follow_the_engine(duckdb, data, draw):
    names = data.column_names
    gb = draw.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    cfg = {"group_by": gb, "columns": names, "group_by_depth": draw.draw(st.integers(0, len(gb)))}
    virtual, con = duckdb_table(duckdb, data)
    ours, theirs = virtual.view(**cfg), Table(data, name="t").view(**cfg)
    try:
        for _ in range(4):
            n = theirs.num_rows()
            assert ours.num_rows() == n
            row = draw.draw(st.integers(0, n - 1))
            if draw.draw(st.booleans()):
                assert ours.expand(row) == theirs.expand(row)
            else:
                assert ours.collapse(row) == theirs.collapse(row)
            assert_same_columns(ours.to_columns(), theirs.to_columns(), cfg)
    finally:
        con.close()


EXPRESSIONS = [
    '"a" + "b"',
    '"a" * 2 - "b" / 4',
    '"a" % 3',
    'if ("a" > "b") { "a" } else { "b" }',
    '"a" > 0 and "b" < 10',
    'abs("b") + pow("a", 2)',
    'upper("s")',
    "concat(\"s\", '!')",
    'length("s")',
    'is_null("a")',
]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-50, 50)),
            st.one_of(st.none(), st.integers(-400, 400).map(lambda i: i / 8)),
            st.one_of(st.none(), st.sampled_from(["x", "Yz", ""])),
        ),
        max_size=12,
    ),
    st.sampled_from(EXPRESSIONS),
    st.booleans(),
)
def test_translated_expressions_equal_the_engines(duckdb, rows, expression, grouped):
    data = pa.table(
        {
            "a": pa.array([r[0] for r in rows], pa.int64()),
            "b": pa.array([r[1] for r in rows], pa.float64()),
            "s": pa.array([r[2] for r in rows], pa.string()),
        }
    )
    cfg = {"columns": ["e"], "expressions": {"e": expression}}
    if grouped:
        cfg["group_by"] = ["s"]
        cfg["aggregates"] = {"e": "count"}
    virtual, con = duckdb_table(duckdb, data)
    try:
        assert_same_view(Table(data, name="t"), virtual, cfg)
    finally:
        con.close()


_rows = st.lists(
    st.fixed_dictionaries(
        {"k": st.integers(0, 6)},
        optional={
            "v": st.one_of(st.none(), st.integers(-9, 9)),
            "s": st.one_of(st.none(), st.sampled_from(["a", "b"])),
        },
    ),
    min_size=1,
    max_size=5,
)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("update"), _rows),
        st.tuples(st.just("remove"), st.lists(st.integers(0, 7), max_size=3)),
    ),
    max_size=5,
)


@settings(max_examples=40, deadline=None)
@given(_ops, st.booleans())
def test_writes_into_duckdb_match_the_engines(duckdb, ops, indexed):
    data = pa.table({"k": [0, 1, 2], "v": [1, 2, 3], "s": ["a", None, "b"]})
    index = "k" if indexed else None
    mem = Table(data, name="t", index=index)
    virtual, con = duckdb_table(duckdb, data, index=index)
    views = [
        ({"columns": ["k", "v", "s"]}, {}),
        ({"group_by": ["s"], "columns": ["v", "k"], "sort": [["v", "desc"]]}, {}),
        ({"group_by": ["s"], "columns": ["v"], "aggregates": {"v": "first"}}, {}),
    ]
    try:
        for op, arg in ops:
            getattr(mem, op)(arg)
            getattr(virtual, op)(arg)
        for cfg, window in views:
            assert_same_view(mem, virtual, cfg, **window)
    finally:
        con.close()


@settings(max_examples=40, deadline=None)
@given(tables(min_rows=0), st.data())
def test_split_cells_equal_the_engines(duckdb, data, draw):
    names = data.column_names
    numeric = [c for c in names if ptype(c) in ("integer", "float")]
    if not numeric:
        return
    cfg = {
        "group_by": draw.draw(
            st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)
        ),
        "split_by": [draw.draw(st.sampled_from(names))],
        "columns": [draw.draw(st.sampled_from(numeric))],
        "group_rollup_mode": draw.draw(st.sampled_from(["rollup", "flat", "total"])),
    }
    aggs = ["pct sum parent", "pct sum grand total", "any", "first", "last", "unique"]
    cfg["aggregates"] = {cfg["columns"][0]: draw.draw(st.sampled_from(aggs))}
    virtual, con = duckdb_table(duckdb, data)
    try:
        assert_same_view(Table(data, name="t"), virtual, cfg)
    finally:
        con.close()
