"""What the engine supports, per column type: aggregates and filter operators.

The protocol layer reports these tables to clients (``get_features``), and
the view config validates against them, so what is advertised is exactly
what works.
"""

from __future__ import annotations

__all__ = [
    "AGGREGATES_BY_TYPE",
    "DEFAULT_AGGREGATE",
    "FILTER_OPS_BY_TYPE",
    "GROUP_ROLLUP_MODES",
    "SORT_DIRECTIONS",
    "SPLIT_ROLLUP_MODES",
]

_COMMON = [
    "count",
    "distinct count",
    "any",
    "first",
    "first by index",
    "last",
    "last by index",
    "dominant",
    "unique",
    "join",
    "high",
    "low",
    "median",
    "q1",
    "q3",
]
_NUMERIC = [
    "sum",
    "abs sum",
    "sum abs",
    "sum not null",
    "avg",
    "mean",
    "high minus low",
    "last minus first",
    "pct sum parent",
    "pct sum grand total",
    "stddev",
    "var",
    *_COMMON,
]

AGGREGATES_BY_TYPE: dict[str, list[str]] = {
    "integer": _NUMERIC,
    "float": _NUMERIC,
    "boolean": ["sum", "avg", "mean", *_COMMON],
    "string": list(_COMMON),
    "date": ["high minus low", "last minus first", *_COMMON],
    "datetime": ["high minus low", "last minus first", *_COMMON],
}

DEFAULT_AGGREGATE = {
    "integer": "sum",
    "float": "sum",
    "boolean": "count",
    "string": "count",
    "date": "count",
    "datetime": "count",
}

_ORDERED = ["==", "!=", ">", ">=", "<", "<=", "is null", "is not null"]

FILTER_OPS_BY_TYPE: dict[str, list[str]] = {
    "integer": [*_ORDERED, "in", "not in"],
    "float": [*_ORDERED, "in", "not in"],
    "boolean": ["==", "!=", "is null", "is not null"],
    "string": [
        *_ORDERED,
        "begins with",
        "contains",
        "ends with",
        "in",
        "not in",
    ],
    "date": list(_ORDERED),
    "datetime": list(_ORDERED),
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
