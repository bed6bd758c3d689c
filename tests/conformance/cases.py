"""The fixed, readable conformance cases: one small table and the views opened on it.

Each :class:`Case` is a view config (and a viewport) every engine must
answer as the in-memory engine does. A case an engine cannot answer carries
the reason per engine (``xfail``); the tests turn it into a strict xfail,
so the day the engine learns it, the case must be promoted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa

from perspective_nb.engine.features import (
    AGGREGATE_ALIASES,
    AGGREGATES_BY_TYPE,
    AGGREGATES_WITH_ARG,
)
from perspective_nb.engine.sql.aggregates import SQL_AGGREGATES

VIRTUAL = ("duckdb", "duckdb_relation", "spark")

_D = dt.date
_T = dt.datetime

#: 14 rows: every type, nulls in every column, duplicates, mixed case text,
#: negative numbers and zeros. Floats are multiples of 1/8, so sums are exact.
DATA = pa.table(
    {
        "id": pa.array(range(14), pa.int64()),
        "region": ["eu", "us", "asia", "eu", None, "us", "EU", "eu", "asia", "us", "eu", None,
                   "Asia", "us"],
        "product": ["apple", "pear", "fig", "apple", "pear", None, "fig", "kiwi", "apple", "pear",
                    "fig", "kiwi", "apple", "Pear"],
        "qty": pa.array([5, 3, None, 8, 2, -4, 7, None, 1, 6, 0, 9, 3, -2], pa.int64()),
        "price": pa.array([1.5, None, 2.25, 0.5, 3.0, -1.25, None, 4.75, 1.5, 2.0, 0.0, 6.125,
                           None, 2.5], pa.float64()),
        "flag": [True, False, None, True, True, False, None, False, True, False, True, None,
                 False, True],
        "day": pa.array([_D(2024, 1, 3), _D(2024, 1, 1), None, _D(2024, 2, 29), _D(2023, 12, 31),
                         _D(2024, 1, 3), _D(2024, 3, 1), None, _D(2024, 1, 1), _D(2024, 2, 1),
                         _D(2024, 1, 3), _D(2024, 5, 5), _D(2023, 7, 4), _D(2024, 2, 1)],
                        pa.date32()),
        "ts": pa.array([_T(2024, 1, 3, 9, 30), None, _T(2024, 1, 3, 17, 5, 1), _T(2024, 1, 1),
                        _T(2024, 1, 3, 9, 30), _T(2023, 6, 1, 12), None, _T(2024, 2, 2, 2, 2, 2),
                        _T(2024, 1, 1), _T(2024, 3, 3, 3), _T(2024, 1, 3, 9, 30), None,
                        _T(2022, 1, 1), _T(2024, 4, 4, 4, 4)], pa.timestamp("ms")),
    }
)  # fmt: skip

#: The column of each type the aggregate matrix aggregates.
TYPED_COLUMN = {"integer": "qty", "float": "price", "string": "product", "boolean": "flag",
                "date": "day", "datetime": "ts"}  # fmt: skip

ALL_OUTPUTS = ("columns", "json", "arrow", "csv", "min_max")


@dataclass(frozen=True)
class Case:
    """A view config and viewport; ``xfail`` maps an engine (or ``"*"``) to why it fails."""

    id: str
    cfg: dict
    window: dict = field(default_factory=dict)
    outputs: tuple[str, ...] = ("columns",)
    xfail: dict = field(default_factory=dict)
    spark: bool = True  # also run on Spark (each Spark query costs ~0.3 s)

    def reason(self, engine: str) -> str | None:
        return self.xfail.get(engine) or self.xfail.get("*")


def _c(id, cfg, window=None, **kw) -> Case:
    return Case(id, cfg, window or {}, **kw)


_NO_SPLIT_ROLLUP = "split_rollup_mode 'rollup' is not compiled to SQL (refused)"
_NO_SPLIT_PCT = "'pct sum parent' / 'pct sum grand total' with split_by are not compiled to SQL"

SHAPES = [
    _c("flat all columns", {}, outputs=ALL_OUTPUTS),
    _c("flat some columns", {"columns": ["product", "qty", "price"]}),
    _c("flat with __ID__", {"columns": ["region", "qty"]}, {"id": True}),
    _c(
        "group_by 1",
        {"group_by": ["region"], "columns": ["qty", "price", "day"]},
        outputs=ALL_OUTPUTS,
    ),
    _c(
        "group_by 2",
        {"group_by": ["region", "product"], "columns": ["qty", "price", "flag"]},
        outputs=ALL_OUTPUTS,
    ),
    _c(
        "group_by column also aggregated",
        {
            "group_by": ["region", "product"],
            "columns": ["qty", "product"],
            "aggregates": {"qty": "first", "product": "last"},
        },
        outputs=ALL_OUTPUTS,
    ),
    _c("group_by 3", {"group_by": ["region", "product", "flag"], "columns": ["qty", "ts"]}),
    _c("group_by date and datetime", {"group_by": ["day", "ts"], "columns": ["qty"]}),
    _c(
        "group_by_depth 1 of 2",
        {"group_by": ["region", "product"], "group_by_depth": 1, "columns": ["qty"]},
    ),
    _c("split_by flat", {"split_by": ["flag"], "columns": ["qty", "product"]}, outputs=ALL_OUTPUTS),
    _c("split_by 2 flat", {"split_by": ["flag", "region"], "columns": ["qty"]}),
    _c(
        "group and split",
        {"group_by": ["region"], "split_by": ["flag"], "columns": ["qty", "price"]},
        outputs=ALL_OUTPUTS,
    ),
    _c(
        "group 2 and split by date",
        {"group_by": ["region", "product"], "split_by": ["day"], "columns": ["qty"]},
    ),
]

SORTS = [
    _c("flat sort asc", {"sort": [["qty", "asc"]]}),
    _c("flat sort desc", {"sort": [["price", "desc"]]}),
    _c("flat sort text desc", {"sort": [["product", "desc"]]}),
    _c("flat sort two keys", {"sort": [["region", "asc"], ["qty", "desc"]]}),
    _c("flat sort asc abs", {"sort": [["qty", "asc abs"]]}),
    _c("flat sort desc abs", {"sort": [["price", "desc abs"]]}),
    _c("flat sort by a hidden column", {"columns": ["product"], "sort": [["qty", "desc"]]}),
    _c(
        "flat sort date, datetime, boolean",
        {"sort": [["flag", "desc"], ["day", "asc"], ["ts", "desc"]]},
    ),
    _c("group sort asc", {"group_by": ["region"], "columns": ["qty"], "sort": [["qty", "asc"]]}),
    _c(
        "groups sorted within groups",
        {"group_by": ["region", "product"], "columns": ["qty"], "sort": [["qty", "desc"]]},
    ),
    _c(
        "groups sorted by a group column",
        {
            "group_by": ["region", "product"],
            "columns": ["product", "qty"],
            "sort": [["product", "desc"]],
        },
    ),
    _c(
        "groups sorted by avg desc abs",
        {
            "group_by": ["region", "product"],
            "columns": ["price"],
            "aggregates": {"price": "avg"},
            "sort": [["price", "desc abs"]],
        },
    ),
    _c(
        "groups sorted by two keys",
        {
            "group_by": ["region", "flag"],
            "columns": ["qty", "price"],
            "sort": [["price", "asc"], ["qty", "desc"]],
        },
    ),
    _c(
        "split sorted by a column",
        {
            "group_by": ["region"],
            "split_by": ["flag"],
            "columns": ["qty"],
            "sort": [["qty", "desc"]],
        },
    ),
    _c(
        "split column sort col asc",
        {
            "group_by": ["region"],
            "split_by": ["product"],
            "columns": ["qty"],
            "sort": [["qty", "col asc"]],
        },
    ),
    _c(
        "split column sort col desc",
        {
            "group_by": ["region"],
            "split_by": ["product"],
            "columns": ["qty", "price"],
            "sort": [["price", "col desc"]],
        },
    ),
    _c(
        "split column sort and row sort",
        {
            "group_by": ["region"],
            "split_by": ["flag"],
            "columns": ["qty"],
            "sort": [["qty", "col desc"], ["qty", "asc"]],
        },
    ),
]

_FILTERS = {
    "qty": [["==", 3], ["!=", 3], [">", 3], [">=", 3], ["<", 3], ["<=", 0], ["in", [3, 5, 100]],
            ["not in", [3, 5]], ["is null", None], ["is not null", None]],
    "price": [["==", 1.5], ["!=", 1.5], [">", 0.0], ["<=", 2.25], ["in", [1.5, 0.0]],
              ["not in", [1.5]], ["is null", None], ["is not null", None]],
    "region": [["==", "eu"], ["!=", "eu"], [">", "eu"], ["<", "eu"], ["begins with", "e"],
               ["not begins with", "E"], ["ends with", "IA"], ["not ends with", "a"],
               ["contains", "S"], ["not contains", "s"], ["in", ["eu", "asia"]],
               ["not in", ["eu", "asia"]], ["is null", None], ["is not null", None],
               ["matches", "^[ae]"], ["not matches", "a$"], ["matches", "^\\w{2}$"],
               ["matches", "("], ["not matches", "("]],
    "flag": [["==", True], ["!=", True], ["is null", None], ["is not null", None]],
    "day": [["==", "2024-01-03"], [">=", "2024-01-03"], ["<", "2024-02-01"], ["is null", None]],
    "ts": [["==", "2024-01-03 09:30:00"], [">", "2024-01-03 09:30:00"],
           ["<=", "2024-01-01 00:00:00"], ["is not null", None]],
}  # fmt: skip

FILTERS = [
    _c(
        f"filter {col} {op} {value!r}",
        {"filter": [[col, op, value]]},
        spark=col in ("region", "ts"),
    )
    for col, terms in _FILTERS.items()
    for op, value in terms
] + [
    _c("filter two terms", {"filter": [["qty", ">", 0], ["region", "!=", "us"]]}),
    _c("filter_op or", {"filter": [["qty", ">", 5], ["region", "==", "asia"]], "filter_op": "or"}),
    _c(
        "filter_op or with null ops",
        {"filter": [["price", "is null", None], ["flag", "==", False]], "filter_op": "or"},
    ),
    _c(
        "filter a grouped view",
        {
            "group_by": ["region"],
            "columns": ["qty", "price"],
            "filter": [["product", "not in", ["fig"]]],
        },
    ),
    _c(
        "filter a split view",
        {
            "group_by": ["product"],
            "split_by": ["flag"],
            "columns": ["qty"],
            "filter": [["qty", ">=", 1]],
        },
    ),
    _c(
        "filter removes every row",
        {"group_by": ["region"], "columns": ["qty", "product"], "filter": [["qty", ">", 1000]]},
    ),
]

ROLLUPS = (
    [
        _c(
            f"group_rollup_mode {mode}",
            {"group_by": ["region", "product"], "columns": ["qty"], "group_rollup_mode": mode},
        )
        for mode in ("rollup", "flat", "total")
    ]
    + [
        _c(
            f"group_rollup_mode {mode} with split",
            {
                "group_by": ["region"],
                "split_by": ["flag"],
                "columns": ["qty"],
                "group_rollup_mode": mode,
            },
        )
        for mode in ("rollup", "flat", "total")
    ]
    + [
        _c(
            "group_rollup_mode flat sorted",
            {
                "group_by": ["region", "product"],
                "columns": ["qty"],
                "group_rollup_mode": "flat",
                "sort": [["qty", "desc"]],
            },
        ),
        _c(
            "split_rollup_mode flat",
            {
                "group_by": ["region"],
                "split_by": ["flag"],
                "columns": ["qty"],
                "split_rollup_mode": "flat",
            },
        ),
        _c(
            "split_rollup_mode rollup",
            {
                "group_by": ["region"],
                "split_by": ["flag", "product"],
                "columns": ["qty"],
                "split_rollup_mode": "rollup",
            },
            xfail=dict.fromkeys(VIRTUAL, _NO_SPLIT_ROLLUP),
        ),
    ]
)

VIEWPORTS = [
    _c("flat rows 3-7", {}, {"start_row": 3, "end_row": 7}, outputs=ALL_OUTPUTS),
    _c("flat columns 1-3", {}, {"start_col": 1, "end_col": 3}, outputs=ALL_OUTPUTS),
    _c("flat window past the end", {"sort": [["qty", "desc"]]}, {"start_row": 10, "end_row": 50}),
    _c(
        "grouped rows 2-5",
        {"group_by": ["region", "product"], "columns": ["qty"]},
        {"start_row": 2, "end_row": 5},
        outputs=ALL_OUTPUTS,
    ),
    _c(
        "split columns 1-4",
        {"group_by": ["region"], "split_by": ["product"], "columns": ["qty", "price"]},
        {"start_row": 1, "end_row": 4, "start_col": 1, "end_col": 4},
        outputs=ALL_OUTPUTS,
    ),
]


def _agg_case(ptype: str, agg: str) -> Case:
    col = TYPED_COLUMN[ptype]
    spec = (
        [agg, ["price" if agg == "weighted mean" else "qty"]] if agg in AGGREGATES_WITH_ARG else agg
    )
    gb = ["region", "product"] if col == "flag" else ["region", "flag"]
    cfg = {"group_by": gb, "columns": [col], "aggregates": {col: spec}}
    xfail = {}
    if AGGREGATE_ALIASES.get(agg, agg) not in SQL_AGGREGATES[ptype]:
        reason = f"aggregate {agg!r} of {ptype} columns is not compiled to SQL"
        xfail = dict.fromkeys(VIRTUAL, reason)
    # Spark runs the compiled aggregates together (AGGREGATES_TOGETHER); the
    # refusals cost no query.
    return _c(f"aggregate {agg} of {ptype}", cfg, outputs=("columns", "min_max"), xfail=xfail,
              spark=bool(xfail))  # fmt: skip


AGGREGATES = [_agg_case(t, a) for t, aggs in AGGREGATES_BY_TYPE.items() for a in aggs]


def _together(ptype: str) -> Case:
    """Every compiled aggregate of one column type in one view (one alias per aggregate)."""
    col = TYPED_COLUMN[ptype]
    aggs = SQL_AGGREGATES[ptype]
    exprs = {f"{col} {a}": f'"{col}"' for a in aggs}
    cfg = {"group_by": ["region", "flag"], "columns": list(exprs), "expressions": exprs,
           "aggregates": {f"{col} {a}": a for a in aggs}}  # fmt: skip
    return _c(f"every compiled aggregate of {ptype}", cfg, outputs=("columns",))


AGGREGATES_TOGETHER = [_together(t) for t in TYPED_COLUMN]

SPLIT_AGGREGATES = [
    _c(
        f"split aggregate {agg}",
        {
            "group_by": ["region"],
            "split_by": ["flag"],
            "columns": ["qty"],
            "aggregates": {"qty": agg},
        },
        xfail=dict.fromkeys(VIRTUAL, _NO_SPLIT_PCT) if agg.startswith("pct") else {},
    )
    for agg in (
        "first",
        "last",
        "any",
        "unique",
        "count",
        "avg",
        "pct sum parent",
        "pct sum grand total",
    )
]

#: Expressions the SQL compiler translates: each must agree with the engine.
EXPRESSIONS = [
    '"qty" + "price"',
    '"qty" * 2 - "price" / 4',
    '"qty" % 3',
    '"price" / ("qty" - 3)',
    'if ("qty" > "price") { "qty" } else { "price" }',
    '"qty" > 0 and "price" < 3',
    'not ("qty" == 3) or "flag"',
    'abs("price") + pow("qty", 2)',
    'sqrt(abs("price")) + floor("price") + ceil("price")',
    'upper("region")',
    'lower("product")',
    'concat("region", \'-\', "product")',
    'length("product")',
    'is_null("qty")',
    '"region" == "product"',
    '"qty" > 3 ? "region" : "product"',
]

EXPRESSION_CASES = [
    _c(
        f"expression {e}",
        {"columns": ["e", "qty"], "expressions": {"e": e}, "sort": [["e", "asc"]]},
        spark=i % 2 == 0,
    )
    for i, e in enumerate(EXPRESSIONS)
] + [
    _c(
        "expression grouped",
        {
            "group_by": ["e"],
            "columns": ["qty", "f"],
            "expressions": {"e": 'upper("region")', "f": '"price" * 2'},
        },
    ),
    _c(
        "expression filtered",
        {"columns": ["e"], "expressions": {"e": '"qty" * "price"'}, "filter": [["e", ">", 2]]},
    ),
]

#: The cases a DuckDB relation also runs: those that read table order.
RELATION = [*SHAPES, *SORTS, *VIEWPORTS, *SPLIT_AGGREGATES]

FIXED = [*SHAPES, *SORTS, *FILTERS, *ROLLUPS, *VIEWPORTS, *AGGREGATES, *AGGREGATES_TOGETHER,
         *SPLIT_AGGREGATES, *EXPRESSION_CASES]  # fmt: skip
