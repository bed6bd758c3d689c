"""Every aggregate the engine knows, one record per name: the single source of aggregate facts.

Both view compilers read this module and keep no aggregate lists of their own:

- what is advertised and accepted per column type, in Perspective 5.x's
  order (``features.py`` -> ``get_features``, ``config.py``'s validation);
- the result type (``view.py`` / ``virtual/view.py`` schemas);
- how the in-memory engine computes it (``aggregates.py``: Arrow's hash
  aggregation, or numpy in ``group_stats.py``), what the total row of an
  empty view shows and how group rows roll a child's value up (``pivot.py``);
- whether and how it is kept from row deltas (``incremental.py``);
- whether the SQL compiler computes it, for which types, with split_by,
  and by which template of ``sql/aggregates.py``.

A record is plain data; :data:`AGGREGATES` maps every accepted name (5.x's
aliases included) to its record. Pure Python: no pyarrow, no engine imports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "AGGREGATES",
    "ALIASES",
    "PERCENT",
    "PTYPES",
    "Aggregate",
    "advertised",
    "names_where",
    "result_type",
]

PTYPES = ("integer", "float", "boolean", "string", "date", "datetime")
_NUM = ("integer", "float")
_TEMPORAL = ("date", "datetime")


@dataclass(frozen=True)
class Aggregate:
    """What the engine knows of one aggregate.

    Attributes
    ----------
    name
        The name a view config gives (``"sum"``, ``"weighted mean"``...).
    types
        Column types it applies to (filled from the advertised lists below).
    result
        Its result type: ``"float"``, ``"integer"``, ``"span"`` (integer
        milliseconds for dates and datetimes, else the column's type), or
        None for the column's own type.
    compute
        How the in-memory engine computes it: ``"hash"`` (an Arrow hash
        aggregation kernel plus a vectorised fix-up, ``aggregates.py``) or
        ``"group_stats"`` (numpy per group, ``group_stats.py``).
    arg_types
        For a parametrised form (``["weighted mean", ["w"]]``): the column
        types its argument may name; empty when it takes none.
    incremental
        How a view keeps it from row deltas (``incremental.py``): ``"sum"``
        (partial sums), ``"moments"`` (sums of centred values and their
        squares), ``"weighted"`` (sums of ``x * w`` and ``w``), ``"extreme"``
        (running high / low with the rows tied at it), ``"count"``,
        ``"distinct"`` (rows per (group, value)), or None (the view
        recomputes).
    null_as_zero
        A numeric null counts as 0 (``high`` / ``low``), else nulls are skipped.
    percent
        ``"parent"`` / ``"total"``: a percentage of the parent's / the grand
        total's sum (the sum is aggregated, the tree divides).
    tree_rollup
        Group rows take a child's value rather than aggregating their rows:
        ``"last"`` (the last child in value order) or ``"first truthy"``.
    table_order
        Reads rows in table order (first / last / any).
    empty
        What the total row of a view with no rows shows: ``"null"``,
        ``"zero"`` (the type's zero), ``"own"`` (the computed value, a count),
        ``"empty text"``, ``"true"`` or ``"false"``.
    sql
        The template of ``sql/aggregates.aggregate_sql`` that compiles it,
        or None when virtual tables refuse it.
    sql_types
        Column types the SQL template covers.
    sql_split
        Whether the SQL compiler computes it in a split_by view.
    alias_of
        The name the engine computes it by (5.x's ``pct sum total``), or None.
    """

    name: str
    types: tuple[str, ...] = ()
    result: str | None = None
    compute: str = "hash"
    arg_types: tuple[str, ...] = ()
    incremental: str | None = None
    null_as_zero: bool = False
    percent: str | None = None
    tree_rollup: str | None = None
    table_order: bool = False
    empty: str = "null"
    sql: str | None = None
    sql_types: tuple[str, ...] = ()
    sql_split: bool = True
    alias_of: str | None = None

    def result_type(self, ptype: str) -> str:
        """The Perspective type of this aggregate over a ``ptype`` column."""
        if self.result == "span":
            return "integer" if ptype in _TEMPORAL else ptype
        return self.result or ptype

    def incremental_for(self, ptype: str, split: bool) -> bool:
        """Whether a view keeps it over a ``ptype`` column from row deltas."""
        if self.incremental in ("sum", "moments", "weighted", "extreme"):
            return ptype in _NUM  # partial sums and extremes are numpy numbers
        if self.incremental == "distinct":
            return not split  # counts per (group, value), not per split cell
        return self.incremental == "count"


_A = Aggregate
_SUM_SQL = {"sql": "sum", "sql_types": _NUM}
_ALL_TYPES = (*_NUM, "boolean", "string", "date", "datetime")
_ORDERED = {"table_order": True, "empty": "zero", "sql": "ordered", "sql_types": _ALL_TYPES}
_STATS = {"compute": "group_stats"}
_RECORDS = (
    _A("sum", incremental="sum", sql="sum", sql_types=(*_NUM, "boolean")),
    _A("sum not null", incremental="sum", **_SUM_SQL),
    _A("sum or zero", incremental="sum", empty="zero", **_SUM_SQL),
    _A("abs sum", incremental="sum", **_SUM_SQL),
    _A("sum abs", incremental="sum", **_SUM_SQL),
    _A("pct sum parent", result="float", incremental="sum", percent="parent", sql_split=False,
       **_SUM_SQL),
    _A("pct sum grand total", result="float", incremental="sum", percent="total",
       sql_split=False, **_SUM_SQL),
    _A("avg", result="float", incremental="sum", sql="mean", sql_types=(*_NUM, "boolean")),
    _A("mean", result="float", incremental="sum", sql="mean", sql_types=(*_NUM, "boolean")),
    _A("count", result="integer", incremental="count", empty="own", sql="count",
       sql_types=PTYPES),
    _A("distinct count", result="integer", incremental="distinct", empty="own",
       sql="distinct count", sql_types=PTYPES),
    _A("high", incremental="extreme", null_as_zero=True, sql="extreme",
       sql_types=(*_NUM, "string", *_TEMPORAL)),
    _A("low", incremental="extreme", null_as_zero=True, sql="extreme",
       sql_types=(*_NUM, "string", *_TEMPORAL)),
    _A("max", incremental="extreme", empty="zero"),
    _A("min", incremental="extreme", empty="zero"),
    _A("high minus low", result="span", incremental="extreme", sql="high minus low",
       sql_types=_NUM),
    _A("last minus first", result="span"),
    _A("var", result="float", incremental="moments", sql="variance", sql_types=_NUM),
    _A("stddev", result="float", incremental="moments", sql="variance", sql_types=_NUM),
    _A("mul"),
    _A("and", empty="true"),
    _A("or", empty="false"),
    _A("unique", empty="zero", sql="unique", sql_types=_ALL_TYPES),
    _A("distinct leaf"),
    _A("first", **_ORDERED),
    _A("first by index", **_ORDERED),
    _A("last", tree_rollup="last", **_ORDERED),
    _A("last by index", **_ORDERED),
    _A("any", tree_rollup="first truthy", **{**_ORDERED, "sql_types": _NUM}),
    _A("median", **_STATS),
    _A("q1", **_STATS),
    _A("q3", **_STATS),
    _A("dominant", empty="zero", **_STATS),
    _A("join", empty="empty text", **_STATS),
    _A("gmv", empty="zero", **_STATS),
    _A("weighted mean", result="float", arg_types=("float",), incremental="weighted"),
    _A("min by", arg_types=("float",), empty="zero", **_STATS),
    _A("max by", arg_types=("float",), empty="zero", **_STATS),
)  # fmt: skip

#: Names Perspective gives one aggregate -> the name the engine computes it by.
ALIASES = {"pct sum total": "pct sum grand total"}

# Each type's aggregates in Perspective 5.x's order (its ``get_features``
# reply); the viewer offers them in this order and a column added to a
# grouped view takes the first one (Perspective's documented default: "sum"
# for numbers, "count" otherwise). Aggregates Perspective lists that the
# engine does not compute are left out; those the engine computes that
# Perspective does not list (older names, extras) follow.
_NUMERIC_LIST = (
    "sum", "abs sum", "any", "avg", "count", "distinct count", "distinct leaf", "dominant",
    "first", "gmv", "high", "low", "max", "min", "high minus low", "last by index",
    "last minus first", "last", "mean", "median", "mul", "q1", "q3", "pct sum parent",
    "pct sum total", "stddev", "sum abs", "sum or zero", "unique", "var", "weighted mean",
    "min by", "max by",
    # not listed by Perspective 5.x
    "sum not null", "pct sum grand total", "first by index", "join",
)  # fmt: skip
_BOOLEAN_LIST = (
    "count", "and", "any", "distinct count", "distinct leaf", "dominant", "first", "last",
    "last by index", "or", "unique",
    # not listed by Perspective 5.x
    "sum", "avg", "mean", "first by index", "join", "high", "low", "min", "max", "median",
    "q1", "q3",
)  # fmt: skip
_STRING_LIST = (
    "count", "any", "distinct count", "distinct leaf", "dominant", "first", "join", "last",
    "last by index", "median", "q1", "q3", "unique", "min by", "max by",
    # not listed by Perspective 5.x
    "first by index", "high", "low", "min", "max",
)  # fmt: skip
_TEMPORAL_LIST = (
    "count", "any", "distinct count", "distinct leaf", "dominant", "first", "high", "low",
    "min", "max", "last by index", "last", "median", "q1", "q3", "unique",
    # not listed by Perspective 5.x
    "high minus low", "last minus first", "first by index", "join",
)  # fmt: skip
_ADVERTISED = {
    "integer": _NUMERIC_LIST,
    "float": _NUMERIC_LIST,
    "boolean": _BOOLEAN_LIST,
    "string": _STRING_LIST,
    "date": _TEMPORAL_LIST,
    "datetime": _TEMPORAL_LIST,
}


def _build() -> dict[str, Aggregate]:
    out: dict[str, Aggregate] = {}
    for record in _RECORDS:
        types = tuple(t for t in PTYPES if record.name in _ADVERTISED[t])
        out[record.name] = replace(record, types=types)
    for alias, name in ALIASES.items():
        canonical = out[name]
        types = tuple(t for t in PTYPES if alias in _ADVERTISED[t])
        out[alias] = replace(canonical, name=alias, types=types, alias_of=name)
    return out


#: Every aggregate name a view config accepts -> its record.
AGGREGATES: dict[str, Aggregate] = _build()


def advertised(ptype: str) -> list[str]:
    """The aggregates of a ``ptype`` column, in Perspective 5.x's order (default first)."""
    return list(_ADVERTISED[ptype])


def names_where(**fields: object) -> frozenset[str]:
    """The canonical names whose records have every given field value.

    ``names_where(incremental="sum")`` -> the aggregates kept as partial sums.
    """
    return frozenset(
        a.name
        for a in AGGREGATES.values()
        if a.alias_of is None and all(getattr(a, k) == v for k, v in fields.items())
    )


#: The percentages (of the parent's / the grand total's sum), canonical names.
PERCENT = frozenset(n for n, a in AGGREGATES.items() if a.percent and a.alias_of is None)


def result_type(agg: str, ptype: str) -> str:
    """The type of aggregate ``agg`` over a ``ptype`` column (the column's own if unknown)."""
    record = AGGREGATES.get(agg)
    return record.result_type(ptype) if record is not None else ptype
