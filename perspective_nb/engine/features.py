"""What the engine supports, per column type: aggregates and filter operators.

The protocol layer reports these tables to clients (``get_features``), and
the view config validates against them, so what is advertised is exactly
what works. The aggregate tables are views of :mod:`.aggregate_registry`,
which holds every fact about an aggregate.
"""

from __future__ import annotations

from .aggregate_registry import AGGREGATES, ALIASES, PTYPES, advertised

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

#: Each type's aggregates in Perspective 5.x's order (see :mod:`.aggregate_registry`).
AGGREGATES_BY_TYPE: dict[str, list[str]] = {t: advertised(t) for t in PTYPES}

#: Aggregates that read a second column, named by their argument:
#: ``["weighted mean", ["w"]]`` (5.x's shape) or ``["weighted mean", "w"]``.
AGGREGATES_WITH_ARG = frozenset(n for n, a in AGGREGATES.items() if a.arg_types)

#: Names Perspective gives one aggregate -> the name the engine computes it by.
AGGREGATE_ALIASES = dict(ALIASES)

#: Perspective's default per type (documented: "sum" for numbers, "count"
#: otherwise); always the first entry of the type's list.
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
