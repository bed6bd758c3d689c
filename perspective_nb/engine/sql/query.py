"""A whole view as SQL: flat rows, or group_by at every depth in Perspective's tree order.

Shapes (``__pnb_`` names are the compiler's own):

- ``__pnb_src``: the source with the view's expression columns (and, when
  asked, each row's number in table order, the ``__ID__`` of unindexed
  flat views); ``__pnb_base``: its rows that pass the filter.
- flat: the columns (split columns as ``CASE WHEN <split values match>``),
  ordered by the sort (asc nulls first, desc nulls last), then table order.
- grouped: one ``GROUP BY GROUPING SETS ((), (g0), (g0, g1), ...)`` computes
  every depth exactly (no re-aggregation); a row's depth is the number of
  group columns minus its ``GROUPING()`` flags. Split columns (one per
  split value combination, found first by :func:`split_values_sql`) are
  aggregated by path and split values, then pivoted (``split.py``). Tree
  order: for each depth k, the sort values of the row's depth-k ancestor
  (a window ``MIN`` over the rows sharing the ancestor's path), then the
  ancestor's value ascending, nulls first; a parent precedes its children.
  Depth limits and expand/collapse are a WHERE over the row paths.

The viewport is ``LIMIT`` / ``OFFSET`` on that order, so only the rows a
read shows leave the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...errors import ConfigError
from ..aggregate_registry import AGGREGATES
from ..config import ViewConfig
from ..encoding import format_label
from ..pivot import row_sort_specs
from .aggregates import (
    ORDERED_AGGREGATES,
    PERCENT_AGGREGATES,
    ROLLUP_AGGREGATES,
    aggregate_sql,
    check_aggregate,
)
from .dialect import Dialect
from .filters import where_clause
from .split import split_cells_sql, split_match
from .tree import TreeState, percent_sql, rollup_sql, visible_terms

__all__ = [
    "Source",
    "TreeState",
    "ViewQuery",
    "compile_view",
    "split_order_sql",
    "split_values_sql",
]


@dataclass(frozen=True)
class Source:
    """What a view reads: a FROM item and how its rows are ordered.

    Parameters
    ----------
    sql
        A FROM item: a quoted table or view name, or ``(SELECT ...)``.
    schema
        ``{column: Perspective type}`` of the source.
    index
        The key column (rows in key order), or None.
    order
        An expression giving table order for unindexed sources (DuckDB's
        ``rowid``), or None for the source's own scan order.
    """

    sql: str
    schema: dict[str, str]
    index: str | None = None
    order: str | None = None


@dataclass(frozen=True)
class ViewQuery:
    """A compiled view: its ordered query and what its result columns mean.

    ``columns`` maps output names (``a|b|col`` for split columns) to result
    aliases; grouped queries also return ``depth``, one ``paths`` alias
    per group_by level; with ``total`` (grouped queries), every row carries
    ``__pnb_total``, the view's row count; ``ids`` is the ``__ID__`` alias
    when asked for.
    """

    sql: str
    count_sql: str
    columns: dict[str, str]
    grouped: bool
    depth: str | None = None
    paths: list[str] = field(default_factory=list)
    ids: str | None = None
    total: bool = True

    def page(self, start: int, end: int | None) -> str:
        """The query for rows ``start`` to ``end`` (the viewport)."""
        if end is None:
            return f"{self.sql} OFFSET {int(start)}" if start else self.sql
        return f"{self.sql} LIMIT {max(int(end) - int(start), 0)} OFFSET {int(start)}"


def _cte(
    source: Source,
    config: ViewConfig,
    schema: dict[str, str],
    expressions: dict[str, str],
    d: Dialect,
    rownum: bool,
    tiebreak: bool = False,
    ordered: bool = False,
) -> str:
    """The two CTEs every query starts with. ``rownum`` numbers rows in table
    order before the filter (``__ID__``); ``tiebreak`` numbers the filtered
    rows only (enough to keep ties in table order, and cheaper); ``ordered``
    keeps the source's order column (``__pnb_order``) for the query's own
    ORDER BY. Without any of them the order column is left out: reading it
    (DuckDB's ``rowid``) costs a scan time even when nothing uses it."""
    extra = [f"{sql} AS {d.ident(alias)}" for alias, sql in expressions.items()]
    if source.order and (ordered or tiebreak):
        extra.append(f"{source.order} AS __pnb_order")
    if rownum:
        over = f"ORDER BY {source.order}" if source.order else ""
        extra.append(f"ROW_NUMBER() OVER ({over}) - 1 AS __pnb_rn")
    select = ", ".join(["*", *extra])
    where = where_clause(config.filter, config.filter_op, schema, d)
    # Table order: the key (nulls first), the source's order, else scan order.
    if source.index is not None:
        over = f"ORDER BY {d.ident(source.index)} ASC NULLS FIRST"
    else:
        over = "ORDER BY __pnb_order" if source.order else ""
    star = f"*, ROW_NUMBER() OVER ({over}) AS __pnb_rn" if tiebreak and not rownum else "*"
    base = f"SELECT {star} FROM __pnb_src" + (f" WHERE {where}" if where else "")
    return f"WITH __pnb_src AS (SELECT {select} FROM {source.sql}), __pnb_base AS ({base})"


def split_values_sql(
    source: Source, config: ViewConfig, schema: dict[str, str], expressions: dict[str, str],
    d: Dialect,
) -> str:  # fmt: skip
    """The distinct split_by value combinations of the filtered rows, in value order."""
    cols = ", ".join(d.ident(c) for c in config.split_by)
    order = ", ".join(f"{d.ident(c)} ASC NULLS FIRST" for c in config.split_by)
    head = _cte(source, config, schema, expressions, d, False)
    return f"{head} SELECT DISTINCT {cols} FROM __pnb_base ORDER BY {order}"


def split_order_sql(
    source: Source, config: ViewConfig, schema: dict[str, str], expressions: dict[str, str],
    d: Dialect, split_values: Sequence[Sequence[Any]],
) -> tuple[str, str] | None:  # fmt: skip
    """A ``col asc`` / ``col desc`` sort's query and direction, or None.

    Perspective orders the split columns of a grouped view by their value in
    the total row (when the total row is shown): the query returns that
    value for each split combination, as one row.
    """
    sorts = [(c, s) for c, s in config.sort if s.startswith("col") and c in config.columns]
    if not sorts or not config.group_by or config.group_rollup_mode == "flat":
        return None
    if not split_values:
        return None
    column, direction = sorts[0]
    agg = config.aggregate_map[column]
    check_aggregate(column, agg, schema[column])
    col = d.ident(column)
    cells = [
        f"{aggregate_sql(agg, schema[column], col, d, split_match(config.split_by, v, d))}"
        f" AS __pnb_s{j}"
        for j, v in enumerate(split_values)
    ]
    head = _cte(source, config, schema, expressions, d, False, agg in ORDERED_AGGREGATES)
    return f"{head} SELECT {', '.join(cells)} FROM __pnb_base", direction


def _split_name(values: Sequence[Any], column: str) -> str:
    return "|".join((*(format_label(v) for v in values), column))


def _sort_key(expr: str, direction: str) -> str:
    if direction.endswith("abs"):
        expr = f"COALESCE(ABS({expr}), 0)"  # abs sorts count a null as 0
    if direction.startswith("desc"):
        return f"{expr} DESC NULLS LAST"
    return f"{expr} ASC NULLS FIRST"


def compile_view(
    source: Source,
    config: ViewConfig,
    dialect: Dialect,
    *,
    expressions: dict[str, str] | None = None,
    expression_types: dict[str, str] | None = None,
    split_values: Sequence[Sequence[Any]] | None = None,
    tree: TreeState | None = None,
    with_ids: bool = False,
) -> ViewQuery:
    """Compile ``config`` over ``source`` into a :class:`ViewQuery`.

    Parameters
    ----------
    expressions
        ``{alias: SQL expression}`` of the view's expression columns
        (see :mod:`.translate`).
    split_values
        The split value combinations (rows of :func:`split_values_sql`);
        required with split_by.
    tree
        Depth limit and expanded / collapsed paths of a grouped view.
    with_ids
        Also return each flat row's ``__ID__`` (its key, or row number).

    Raises
    ------
    ConfigError
        For an aggregate or sort the SQL backends do not compute.
    """
    d = dialect
    expressions = expressions or {}
    schema = {**source.schema, **(expression_types or {})}
    if getattr(config, "windows", ()):
        names = [alias for alias, _ in config.windows]
        raise ConfigError(
            f"window columns {names} are not supported on a virtual (DuckDB / Spark) table "
            "yet; load the data into memory to use them"
        )
    if config.split_by and config.split_rollup_mode == "rollup":
        raise ConfigError(
            "split_rollup_mode 'rollup' is not supported on a virtual (DuckDB / Spark) table "
            "yet; use 'flat', or load the data into memory"
        )
    if config.split_by and split_values is None:
        raise ConfigError("a split_by view needs its split values (run split_values_sql first)")
    if config.group_by:
        return _grouped(source, config, schema, expressions, d, split_values, tree or TreeState())
    return _flat(source, config, schema, expressions, d, split_values, with_ids)


def _flat(source, config, schema, expressions, d, split_values, with_ids) -> ViewQuery:
    sorts = row_sort_specs(config)
    index = source.index
    rownum = with_ids and index is None
    tiebreak = bool(sorts) and index is None and not source.order
    head = _cte(source, config, schema, expressions, d, rownum, tiebreak, ordered=True)
    select, columns = [], {}
    if config.split_by:
        for j, values in enumerate(split_values):
            match = split_match(config.split_by, values, d)
            for i, c in enumerate(config.columns):
                # Each row is aggregated alone: its own cell shows the type's zero for null.
                own = f"COALESCE({d.ident(c)}, {d.zero(schema[c])})"
                alias = f"__pnb_c{j}_{i}"
                select.append(f"CASE WHEN {match} THEN {own} END AS {alias}")
                columns[_split_name(values, c)] = alias
    else:
        for i, c in enumerate(config.columns):
            select.append(f"{d.ident(c)} AS __pnb_c{i}")
            columns[c] = f"__pnb_c{i}"
    ids = None
    if with_ids:
        ids = "__pnb_id"
        select.append(f"{d.ident(index) if index else '__pnb_rn'} AS {ids}")
    order = []
    for c, direction in sorts:
        expr = d.ident(c)
        if config.split_by:
            expr = f"COALESCE({expr}, {d.zero(schema[c])})"
        order.append(_sort_key(expr, direction))
    if index is not None:
        order.append(f"{d.ident(index)} ASC NULLS FIRST")
    elif source.order:
        order.append("__pnb_order")
    elif rownum or tiebreak:
        order.append("__pnb_rn")
    sql = f"{head} SELECT {', '.join(select) or 'NULL AS __pnb_none'} FROM __pnb_base"
    if order:
        sql += f" ORDER BY {', '.join(order)}"
    plain = _cte(source, config, schema, expressions, d, False)  # no row numbers to count
    count = f"{plain} SELECT COUNT(*) AS n FROM __pnb_base"
    # No row count in the page: ORDER BY + LIMIT runs as a top-k, which a
    # window over every row would turn into a full sort.
    return ViewQuery(sql, count, columns, False, ids=ids, total=False)


def _select(items: list[tuple[str, str]]) -> str:
    return ", ".join(f"{expr} AS {alias}" for expr, alias in items)


def _grouped(source, config, schema, expressions, d, split_values, tree) -> ViewQuery:
    gb = list(config.group_by)
    k_max = len(gb)
    aggs = config.aggregate_map
    sorts = row_sort_specs(config)
    for c in dict.fromkeys([*config.columns, *(c for c, _ in sorts)]):
        check_aggregate(c, aggs[c], schema[c])
        if config.split_by and not AGGREGATES[aggs[c]].sql_split:
            # Perspective 5.x divides a split cell by its own row's sum (or
            # the grand total) over every split value; not compiled yet.
            raise ConfigError(
                f"aggregate {aggs[c]!r} of column {c!r} with split_by is not supported on a "
                "virtual (DuckDB / Spark) table; use it without split_by, or load the data "
                "into memory"
            )
    ordered = any(
        aggs[c] in ORDERED_AGGREGATES
        for c in dict.fromkeys([*config.columns, *(c for c, _ in sorts)])
    )
    order = "__pnb_rn"  # rows numbered in table order, after the filter
    head = _cte(source, config, schema, expressions, d, False, ordered)
    value_of: dict[str, str] = {}  # output name -> the value column it aggregates
    columns: dict[str, str] = {}

    def aggregate(c: str) -> str:
        return aggregate_sql(aggs[c], schema[c], d.ident(c), d, order=order)

    key_aggs = [aggregate(c) for c, _ in sorts]
    if config.split_by:
        values = [aggregate(c) for c in config.columns]
        cells, pivot = split_cells_sql(gb, config.split_by, split_values, values, key_aggs, d)
        for j, combo in enumerate(split_values):
            for i, c in enumerate(config.columns):
                columns[_split_name(combo, c)] = f"__pnb_c{j}_{i}"
                value_of[_split_name(combo, c)] = c
        by = ", ".join([*(f"__pnb_p{i}" for i in range(k_max)), "__pnb_depth"])
        agg = f"{cells}), __pnb_agg AS (SELECT {_select(pivot)} FROM __pnb_cells GROUP BY {by}"
        agg_cte = "__pnb_cells"
    else:
        # (expression, alias) pairs; the total row repeats the aggregates alone.
        items = [(d.ident(g), f"__pnb_p{i}") for i, g in enumerate(gb)]
        flags = " + ".join(f"GROUPING({d.ident(g)})" for g in gb)
        items.append((f"{k_max} - ({flags})", "__pnb_depth"))
        # An aggregate in every row: the total row must exist over no rows at all.
        items.append(("COUNT(*)", "__pnb_rows"))
        for i, c in enumerate(config.columns):
            items.append((aggregate(c), f"__pnb_c{i}"))
            columns[c] = f"__pnb_c{i}"
            value_of[c] = c
        items += [(k, f"__pnb_k{s}") for s, k in enumerate(key_aggs)]
        first = 0 if d.empty_set_total else 1
        sets = ", ".join(
            "(" + ", ".join(d.ident(g) for g in gb[:k]) + ")" for k in range(first, k_max + 1)
        )
        agg = f"SELECT {_select(items)} FROM __pnb_base GROUP BY GROUPING SETS ({sets})"
        if not d.empty_set_total:
            # The total row as a plain aggregate, which exists even over no rows.
            total = [("NULL", a) for _, a in items[:k_max]] + [("0", "__pnb_depth")]
            agg += f" UNION ALL SELECT {_select(total + items[k_max + 1 :])} FROM __pnb_base"
        agg_cte = "__pnb_agg"
    # last / any group rows take a leaf's value (split cells do not roll up).
    rolled = []
    for name, alias in list(columns.items()):
        if not config.split_by and aggs[value_of[name]] in ROLLUP_AGGREGATES:
            rolled.append(f"{rollup_sql(alias, aggs[value_of[name]], k_max)} AS {alias}_r")
            columns[name] = f"{alias}_r"
    keys = []
    for s, (c, _) in enumerate(sorts):
        keys.append(f"__pnb_k{s}")
        if aggs[c] in ROLLUP_AGGREGATES:
            rolled.append(f"{rollup_sql(keys[s], aggs[c], k_max)} AS {keys[s]}_r")
            keys[s] += "_r"
    ranks, order = [], []
    for k in range(1, k_max + 1):
        part = ", ".join([*(f"__pnb_p{i}" for i in range(k)), f"(__pnb_depth >= {k})"])
        order.append(f"CASE WHEN __pnb_depth >= {k} THEN 1 ELSE 0 END")
        for s, (_, direction) in enumerate(sorts):
            alias = f"__pnb_r{k}_{s}"
            ranks.append(
                f"MIN(CASE WHEN __pnb_depth = {k} THEN {keys[s]} END) "
                f"OVER (PARTITION BY {part}) AS {alias}"
            )
            order.append(_sort_key(alias, direction))
        order.append(f"__pnb_p{k - 1} ASC NULLS FIRST")
    for name, c in list(value_of.items()):
        if aggs[c] not in PERCENT_AGGREGATES:
            continue
        # Percentages of the parent's (or the total's) value, in the same
        # split column, over every row (before depth limits or collapsed
        # rows hide any).
        alias = columns[name]
        expr = percent_sql(alias, aggs[c], k_max, bool(config.split_by))
        if config.split_by and config.group_rollup_mode == "flat":
            # Split percentages divide by the row shown as the parent (or
            # total), and a flat rollup shows neither.
            expr = "CAST(NULL AS DOUBLE)"
        ranks.append(f"{expr} AS {alias}_pct")
        columns[name] = f"{alias}_pct"
    source_cte = "__pnb_agg"
    if rolled:
        source_cte = "__pnb_roll"
        agg = f"{agg}), __pnb_roll AS (SELECT *, {', '.join(rolled)} FROM __pnb_agg"
    tree_sql = f"SELECT *{''.join(', ' + r for r in ranks)} FROM {source_cte}"
    where = visible_terms(k_max, tree, [schema[g] for g in gb], d)
    if config.group_rollup_mode == "flat":
        where.append(f"__pnb_depth = {k_max}")
    elif config.group_rollup_mode == "total":
        where.append("__pnb_depth = 0")
    out_cols = ["__pnb_depth", *(f"__pnb_p{i}" for i in range(k_max)), *columns.values()]
    # The view's row count with every page: a grid's first read is one query.
    out_cols.append("COUNT(*) OVER () AS __pnb_total")
    body = f"{head}, {agg_cte} AS ({agg}), __pnb_tree AS ({tree_sql}) "
    filt = f" WHERE {' AND '.join(where)}" if where else ""
    sql = f"{body}SELECT {', '.join(out_cols)} FROM __pnb_tree{filt} ORDER BY {', '.join(order)}"
    count = f"{body}SELECT COUNT(*) AS n FROM __pnb_tree{filt}"
    return ViewQuery(
        sql, count, columns, True, depth="__pnb_depth", paths=[f"__pnb_p{i}" for i in range(k_max)]
    )
