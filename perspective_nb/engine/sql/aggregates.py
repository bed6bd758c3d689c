"""Perspective's aggregates as SQL aggregate expressions.

Each aggregate follows the in-memory engine's semantics (``engine/aggregates.py``):
a sum over only nulls is null (``sum not null``: 0), as is the total row of
an empty view; ``count`` counts nulls; ``distinct count`` counts null as a value;
numeric ``high`` / ``low`` count a null as 0; ``var`` / ``stddev`` are the
population statistics, null under two values.

With a ``match`` predicate (split_by) the aggregate covers only the rows
where it holds, and a cell with no such rows is null.
"""

from __future__ import annotations

from ...errors import ConfigError
from ..aggregate_registry import AGGREGATES, PERCENT, PTYPES, Aggregate, advertised
from .dialect import Dialect

__all__ = [
    "ORDERED_AGGREGATES",
    "PERCENT_AGGREGATES",
    "ROLLUP_AGGREGATES",
    "SQL_AGGREGATES",
    "aggregate_sql",
    "check_aggregate",
]

#: Aggregates that read rows in table order.
ORDERED_AGGREGATES = tuple(n for n, a in AGGREGATES.items() if a.table_order)
#: Aggregates whose group rows take a child's value (Perspective rolls "last"
#: up from the last child in value order, "any" from the first truthy one):
#: see :mod:`.tree`.
ROLLUP_AGGREGATES = tuple(n for n, a in AGGREGATES.items() if a.tree_rollup)

#: Percentages of the parent's / total's sum: :func:`aggregate_sql` gives the
#: sum; the query divides it by the ancestor's (a window over the tree).
PERCENT_AGGREGATES = tuple(sorted(PERCENT))

_NUMERIC = ("integer", "float")


def _compiles(record: Aggregate, ptype: str) -> bool:
    # Aliases are renamed before compiling (config.py): not listed twice.
    return bool(record.sql) and ptype in record.sql_types and record.alias_of is None


#: Aggregates a virtual table computes, per column type (the registry's
#: records with a SQL template), in the type's advertised order.
SQL_AGGREGATES: dict[str, tuple[str, ...]] = {
    t: tuple(n for n in advertised(t) if _compiles(AGGREGATES[n], t)) for t in PTYPES
}


def check_aggregate(column: str, agg: object, ptype: str) -> None:
    """Raise a ConfigError naming ``agg`` when a virtual table cannot compute it."""
    if not isinstance(agg, str) or agg not in SQL_AGGREGATES[ptype]:
        raise ConfigError(
            f"aggregate {agg!r} of {ptype} column {column!r} is not supported on a virtual "
            f"(DuckDB / Spark) table; use one of {list(SQL_AGGREGATES[ptype])}"
        )


def aggregate_sql(
    agg: str,
    ptype: str,
    col: str,
    d: Dialect,
    match: str | None = None,
    order: str = "__pnb_rn",
) -> str:
    """The SQL of aggregate ``agg`` of column expression ``col`` (type ``ptype``).

    ``order`` is an expression in table order (for ``first``). The
    template is the registry's ``sql`` key of ``agg``.
    """
    record = AGGREGATES.get(agg)
    template = record.sql if record is not None else None

    def only(expr: str) -> str:
        # The value where ``match`` holds (split cells), else null.
        return expr if match is None else f"CASE WHEN {match} THEN {expr} END"

    rows = "COUNT(*)" if match is None else f"COUNT(CASE WHEN {match} THEN 1 END)"
    num = f"CAST({col} AS INTEGER)" if ptype == "boolean" else col
    int_out = ptype in ("integer", "boolean")
    if template == "sum":
        # A sum over only nulls (or no rows at all) is null, as in Perspective 5.x.
        out = f"SUM({only(f'ABS({num})' if agg == 'sum abs' else num)})"
        if agg == "abs sum":
            out = f"ABS({out})"
        out = f"CAST({out} AS {'BIGINT' if int_out else 'DOUBLE'})"
        if agg in ("sum not null", "sum or zero"):
            # 0 over rows that are all null; null without rows (an empty cell or total).
            return f"CASE WHEN {rows} = 0 THEN NULL ELSE COALESCE({out}, 0) END"
        return out
    if template == "count":
        return rows if match is None else f"CASE WHEN {rows} = 0 THEN NULL ELSE {rows} END"
    has_null = f"COALESCE(MAX(CASE WHEN {only('TRUE')} AND {col} IS NULL THEN 1 ELSE 0 END), 0)"
    distinct = f"(COUNT(DISTINCT {only(col)}) + {has_null})"
    if template == "unique":
        # The one value all rows share (null counts as a value), else null;
        # the total row of an empty view shows the type's zero.
        out = f"CASE WHEN {distinct} = 1 THEN MAX({only(col)}) END"
        if match is None:
            return f"CASE WHEN {rows} = 0 THEN {d.zero(ptype)} ELSE {out} END"
        return out
    if template == "distinct count":
        out = f"CAST({distinct} AS BIGINT)"
        return out if match is None else f"CASE WHEN {rows} = 0 THEN NULL ELSE {out} END"
    if template == "mean":
        return f"AVG({only(f'CAST({num} AS DOUBLE)')})"
    if template == "extreme":
        fn = "MAX" if agg == "high" else "MIN"
        value = f"COALESCE({col}, 0)" if ptype in _NUMERIC else col
        return f"{fn}({only(value)})"
    if template == "ordered":
        # The value of the group's first (last) row in table order, null
        # included; "any" takes the first non-zero value.
        conds = [x for x in (match, f"{col} <> 0" if agg == "any" else None) if x]
        at = f"CASE WHEN {' AND '.join(conds)} THEN {order} END" if conds else order
        value = f"CASE WHEN {col} <> 0 THEN {col} END" if agg == "any" else col
        out = d.last(value, at) if agg.startswith("last") else d.first(value, at)
        if agg == "any":
            out = f"COALESCE({out}, 0)"  # 0 when no value is truthy
        # The total of an empty view shows the type's zero; a split cell
        # without rows is null.
        empty = d.zero(ptype) if match is None else "NULL"
        return f"CASE WHEN {rows} = 0 THEN {empty} ELSE {out} END"
    if template == "high minus low":
        # Null when any value is null (and over no rows).
        x = only(col)
        return f"CASE WHEN {rows} > COUNT({x}) THEN NULL ELSE MAX({x}) - MIN({x}) END"
    if template == "variance":
        fn = "VAR_POP" if agg == "var" else "STDDEV_POP"
        x = only(f"CAST({num} AS DOUBLE)")
        return f"CASE WHEN COUNT({x}) < 2 THEN NULL ELSE {fn}({x}) END"
    raise ConfigError(f"aggregate {agg!r} is not supported on a virtual (DuckDB / Spark) table")
