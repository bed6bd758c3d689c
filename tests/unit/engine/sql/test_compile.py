"""View configs -> SQL text (pure: nothing runs; tests/conformance runs it in DuckDB and Spark)."""

from __future__ import annotations

import datetime as dt

import pytest

from perspective_nb.engine.config import normalize_config
from perspective_nb.engine.sql import DUCKDB, SPARK, compile_view
from perspective_nb.engine.sql.aggregates import aggregate_sql, check_aggregate
from perspective_nb.engine.sql.filters import where_clause
from perspective_nb.engine.sql.query import Source, TreeState, split_order_sql, split_values_sql
from perspective_nb.engine.sql.translate import translate_expressions, untranslatable
from perspective_nb.engine.windows import normalize_windows
from perspective_nb.errors import ConfigError, ExpressionError

SCHEMA = {"g": "string", "x": "integer", "f": "float", "d": "date", "t": "datetime", "b": "boolean"}
SOURCE = Source('"trades"', SCHEMA, None, "rowid")


def cfg(**config):
    return normalize_config(config, SCHEMA, {}, {})


def test_identifiers_and_literals_per_dialect():
    assert DUCKDB.ident('we"ird') == '"we""ird"'
    assert SPARK.ident("we`ird") == "`we``ird`"
    assert DUCKDB.literal("it's") == "'it''s'"
    assert SPARK.literal("a\\b") == "'a\\\\b'"  # Spark reads backslash escapes
    assert DUCKDB.literal(dt.date(2020, 1, 2)) == "DATE '2020-01-02'"
    assert DUCKDB.literal(dt.datetime(2020, 1, 2, 3, 4, 5)) == "TIMESTAMP '2020-01-02 03:04:05'"
    assert DUCKDB.literal(None) == "NULL"
    assert DUCKDB.literal(True) == "TRUE"
    assert SPARK.same("a", "b") == "(a <=> b)"
    assert DUCKDB.same("a", "b") == "(a IS NOT DISTINCT FROM b)"


def test_filters_follow_perspectives_null_rules():
    sql = where_clause((("x", "!=", 3), ("g", "not in", ["a"])), "and", SCHEMA, DUCKDB)
    # A null is "not equal" to every value and "not in" every set.
    assert 'COALESCE(("x" <> 3), TRUE)' in sql
    assert "COALESCE(NOT (\"g\" IN ('a')), TRUE)" in sql
    # Bare terms in a WHERE (null drops the row), so the scan can use them.
    assert sql.startswith("(")
    assert not sql.endswith(", FALSE)")
    assert " AND " in sql
    assert " OR " in where_clause((("x", ">", 1), ("x", "<", 0)), "or", SCHEMA, DUCKDB)
    # Dates are parsed as tables read them; unset comparison values keep every row.
    assert "DATE '2021-02-03'" in where_clause((("d", "==", "02/03/2021"),), "and", SCHEMA, DUCKDB)
    assert (
        where_clause((("x", "==", None),), "and", SCHEMA, DUCKDB) == "((1 = 1))"
    )  # not a bare literal: Spark refuses WHERE (TRUE)
    # Text matches lower ASCII letters only.
    text = where_clause((("g", "begins with", "ÉA"),), "and", SCHEMA, DUCKDB)
    assert "TRANSLATE" in text
    assert "'Éa'" in text
    with pytest.raises(ConfigError, match="'x'"):
        where_clause((("x", "==", "nope"),), "and", SCHEMA, DUCKDB)


def test_aggregates_keep_perspectives_quirks():
    total = aggregate_sql("sum", "integer", '"x"', DUCKDB)
    assert total == 'CAST(SUM("x") AS BIGINT)'  # a sum over only nulls is null (5.x)
    assert aggregate_sql("count", "string", '"g"', DUCKDB) == "COUNT(*)"  # nulls counted
    assert 'COALESCE("x", 0)' in aggregate_sql("high", "integer", '"x"', DUCKDB)
    assert "VAR_POP" in aggregate_sql("var", "float", '"f"', DUCKDB)
    split = aggregate_sql("sum", "integer", '"x"', DUCKDB, match="m")
    assert "CASE WHEN m THEN" in split
    with pytest.raises(ConfigError, match=r"'median'.*'x'"):
        check_aggregate("x", "median", "integer")


def test_flat_view_orders_by_sort_then_table_order_and_pages():
    q = compile_view(SOURCE, cfg(columns=["x", "g"], sort=[["g", "desc"]]), DUCKDB)
    assert q.columns == {"x": "__pnb_c0", "g": "__pnb_c1"}
    assert q.sql.endswith('ORDER BY "g" DESC NULLS LAST, __pnb_order')
    assert q.page(100, 150).endswith("LIMIT 50 OFFSET 100")
    assert "COUNT(*)" in q.count_sql
    assert "ORDER BY" not in q.count_sql
    keyed = compile_view(Source('"t"', SCHEMA, "x"), cfg(columns=["g"]), DUCKDB, with_ids=True)
    assert keyed.sql.endswith('ORDER BY "x" ASC NULLS FIRST')
    assert keyed.ids == "__pnb_id"


def test_grouped_view_is_one_grouping_sets_query_in_tree_order():
    config = cfg(group_by=["g", "b"], columns=["x"], sort=[["x", "desc"]])
    q = compile_view(SOURCE, config, DUCKDB)
    assert 'GROUPING SETS ((), ("g"), ("g", "b"))' in q.sql
    assert "GROUPING SETS ((), " in q.sql
    assert "UNION ALL" in compile_view(SOURCE, config, SPARK).sql  # a total row over no rows
    assert q.paths == ["__pnb_p0", "__pnb_p1"]
    assert q.depth == "__pnb_depth"
    # Siblings by their own sort value within the parent, then by value (nulls first).
    order = q.sql.rsplit("ORDER BY", 1)[1]
    assert order.index("__pnb_r1_0 DESC NULLS LAST") < order.index("__pnb_p0 ASC NULLS FIRST")
    assert order.index("__pnb_p0 ASC") < order.index("__pnb_r2_0") < order.index("__pnb_p1 ASC")
    assert "PARTITION BY __pnb_p0, (__pnb_depth >= 1)" in q.sql


def test_depth_expand_collapse_and_rollup_modes_are_where_terms():
    config = cfg(group_by=["g", "b"], columns=["x"])
    tree = TreeState(1, frozenset({("a",)}), frozenset())
    sql = compile_view(SOURCE, config, DUCKDB, tree=tree).sql
    assert "(__pnb_depth <= 1 OR (FALSE OR ((__pnb_p0 IS NOT DISTINCT FROM 'a'))))" in sql
    flat = compile_view(
        SOURCE, cfg(group_by=["g"], columns=["x"], group_rollup_mode="flat"), DUCKDB
    )
    assert "__pnb_depth = 1" in flat.sql


def test_split_columns_are_pivoted_cells_named_like_perspective():
    config = cfg(group_by=["g"], split_by=["f"], columns=["x"])
    with pytest.raises(ConfigError, match="split values"):
        compile_view(SOURCE, config, DUCKDB)
    assert 'SELECT DISTINCT "f"' in split_values_sql(SOURCE, config, SCHEMA, {}, DUCKDB)
    q = compile_view(SOURCE, config, DUCKDB, split_values=[(None,), (1000.125,)])
    assert list(q.columns) == ["null|x", "1000.12|x"]
    assert "__pnb_s0 IS NOT DISTINCT FROM NULL" in q.sql
    # Each cell is aggregated once, by path and split value, then pivoted:
    # the rows meet one aggregate per column however many split values.
    assert '("g", __pnb_s0)' in q.sql
    many = compile_view(SOURCE, config, DUCKDB, split_values=[(float(v),) for v in range(20)])
    assert many.sql.count('SUM("x")') == q.sql.count('SUM("x")') == 1
    assert "UNION ALL" in compile_view(SOURCE, config, SPARK, split_values=[(1.5,)]).sql
    order = split_order_sql(
        SOURCE, cfg(group_by=["g"], split_by=["f"], columns=["x"], sort=[["x", "col desc"]]),
        SCHEMA, {}, DUCKDB, [(None,), (1.5,)],
    )  # fmt: skip
    assert order[1] == "col desc"
    assert "AS __pnb_s0" in order[0]
    assert "AS __pnb_s1" in order[0]


def test_percentages_divide_by_the_ancestor_over_every_row():
    config = cfg(group_by=["g"], columns=["x"], aggregates={"x": "pct sum parent"})
    q = compile_view(SOURCE, config, DUCKDB)
    assert q.columns == {"x": "__pnb_c0_pct"}
    assert "CASE __pnb_depth WHEN 0 THEN 100.0" in q.sql
    split = cfg(group_by=["g"], split_by=["b"], columns=["x"], aggregates={"x": "pct sum parent"})
    with pytest.raises(ConfigError, match="'pct sum parent' of column 'x' with split_by"):
        compile_view(SOURCE, split, DUCKDB, split_values=[(True,)])


def test_expressions_translate_or_name_what_cannot():
    sql = translate_expressions({"e": '"x" * 2 + abs("f")'}, SCHEMA, SPARK, {"e": "float"})
    assert sql["e"].startswith("CAST(")
    assert "`x`" in sql["e"]
    assert "ABS(`f`)" in sql["e"]
    assert (
        "CASE WHEN"
        in translate_expressions({"c": 'if ("x" > 1) { 1 } else { 2 }'}, SCHEMA, DUCKDB)["c"]
    )
    with pytest.raises(ExpressionError, match=r"'e'.*bucket\(\)"):
        translate_expressions({"e": "bucket(\"t\", 'M')"}, SCHEMA, DUCKDB)
    assert "bucket()" in untranslatable("bucket(\"t\", 'M')", SCHEMA, DUCKDB)
    assert untranslatable('"x" + 1', SCHEMA, DUCKDB) is None


def test_first_reads_rows_numbered_in_table_order():
    keyed = Source('"t"', SCHEMA, "x")
    config = cfg(group_by=["g"], columns=["f"], aggregates={"f": "first"})
    sql = compile_view(keyed, config, DUCKDB).sql
    assert 'ROW_NUMBER() OVER (ORDER BY "x" ASC NULLS FIRST) AS __pnb_rn' in sql
    assert 'ARG_MIN_NULL("f", __pnb_rn)' in sql
    assert "MIN_BY(`f`, __pnb_rn)" in compile_view(keyed, config, SPARK).sql


def test_window_columns_are_refused_by_name():
    spec = {"w": {"column": "x", "aggregate": "sum", "cumulative": True}}
    windows, types = normalize_windows(spec, SCHEMA, {})
    config = normalize_config({"windows": spec}, SCHEMA, {}, {}, windows, types)
    with pytest.raises(ConfigError, match=r"window columns \['w'\]"):
        compile_view(SOURCE, config, DUCKDB)
