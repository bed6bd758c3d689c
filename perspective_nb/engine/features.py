"""What the engine supports, per column type: aggregates and filter operators.

The protocol layer reports these tables to clients (``get_features``), and
the view config validates against them, so what is advertised is exactly
what works.
"""

from __future__ import annotations

__all__ = [
    "AGGREGATES_BY_TYPE",
    "AGGREGATES_WITH_ARG",
    "AGGREGATE_ALIASES",
    "DEFAULT_AGGREGATE",
    "FILTER_OPS_BY_TYPE",
    "GROUP_ROLLUP_MODES",
    "SORT_DIRECTIONS",
    "SPLIT_ROLLUP_MODES",
]

# Each type's aggregates in Perspective 5.x's order (its ``get_features``
# reply); the viewer offers them in this order and a column added to a
# grouped view takes the first one. Aggregates Perspective lists that the
# engine does not compute are left out; those the engine computes that
# Perspective does not list (older names, extras) follow.
_NUMERIC = [
    "sum",
    "abs sum",
    "any",
    "avg",
    "count",
    "distinct count",
    "distinct leaf",
    "dominant",
    "first",
    "gmv",
    "high",
    "low",
    "max",
    "min",
    "high minus low",
    "last by index",
    "last minus first",
    "last",
    "mean",
    "median",
    "mul",
    "q1",
    "q3",
    "pct sum parent",
    "pct sum total",
    "stddev",
    "sum abs",
    "sum or zero",
    "unique",
    "var",
    "weighted mean",
    "min by",
    "max by",
    # not listed by Perspective 5.x
    "sum not null",
    "pct sum grand total",
    "first by index",
    "join",
]
_BOOLEAN = [
    "count",
    "and",
    "any",
    "distinct count",
    "distinct leaf",
    "dominant",
    "first",
    "last",
    "last by index",
    "or",
    "unique",
    # not listed by Perspective 5.x
    "sum",
    "avg",
    "mean",
    "first by index",
    "join",
    "high",
    "low",
    "min",
    "max",
    "median",
    "q1",
    "q3",
]
_STRING = [
    "count",
    "any",
    "distinct count",
    "distinct leaf",
    "dominant",
    "first",
    "join",
    "last",
    "last by index",
    "median",
    "q1",
    "q3",
    "unique",
    "min by",
    "max by",
    # not listed by Perspective 5.x
    "first by index",
    "high",
    "low",
    "min",
    "max",
]
_TEMPORAL = [
    "count",
    "any",
    "distinct count",
    "distinct leaf",
    "dominant",
    "first",
    "high",
    "low",
    "min",
    "max",
    "last by index",
    "last",
    "median",
    "q1",
    "q3",
    "unique",
    # not listed by Perspective 5.x
    "high minus low",
    "last minus first",
    "first by index",
    "join",
]

#: Aggregates that read a second column, named by their argument:
#: ``["weighted mean", ["w"]]`` (5.x's shape) or ``["weighted mean", "w"]``.
AGGREGATES_WITH_ARG = frozenset({"weighted mean", "min by", "max by"})

AGGREGATES_BY_TYPE: dict[str, list[str]] = {
    "integer": _NUMERIC,
    "float": list(_NUMERIC),
    "boolean": _BOOLEAN,
    "string": _STRING,
    "date": _TEMPORAL,
    "datetime": list(_TEMPORAL),
}

#: Names Perspective gives one aggregate -> the name the engine computes it by.
AGGREGATE_ALIASES = {"pct sum total": "pct sum grand total"}

#: Perspective's default per type (documented: "sum" for numbers, "count"
#: otherwise); always the first entry of the type's list above.
DEFAULT_AGGREGATE = {ptype: names[0] for ptype, names in AGGREGATES_BY_TYPE.items()}

# Filter operators in Perspective 5.x's order; "in" / "not in" on numbers
# are extras the engine evaluates.
_ORDERED = ["==", "!=", ">", ">=", "<", "<="]
_NULLS = ["is not null", "is null"]

FILTER_OPS_BY_TYPE: dict[str, list[str]] = {
    "integer": [*_ORDERED, *_NULLS, "in", "not in"],
    "float": [*_ORDERED, *_NULLS, "in", "not in"],
    "boolean": [*_ORDERED, *_NULLS],
    "string": [
        *_ORDERED,
        "begins with",
        "not begins with",
        "contains",
        "not contains",
        "ends with",
        "not ends with",
        "matches",
        "not matches",
        "in",
        "not in",
        *_NULLS,
    ],
    "date": [*_ORDERED, *_NULLS],
    "datetime": [*_ORDERED, *_NULLS],
}

SORT_DIRECTIONS = (
    "none",
    "asc",
    "desc",
    "col asc",
    "col desc",
    "asc abs",
    "desc abs",
    "col asc abs",
    "col desc abs",
)
GROUP_ROLLUP_MODES = ("rollup", "flat", "total")
SPLIT_ROLLUP_MODES = ("flat", "rollup")
