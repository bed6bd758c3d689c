"""Hypothesis strategies shared by the oracle tests: random tables and view configs."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import strategies as st

TYPES = ("integer", "float", "string", "boolean", "date", "datetime")

_ARROW = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
}

_values = {
    "integer": st.integers(-1000, 1000),
    # Floats with few significant digits keep sums exact enough to compare.
    "float": st.integers(-100000, 100000).map(lambda i: i / 8),
    "string": st.sampled_from(["a", "b", "c", "Zoë", "日本", "", "a b", "B"]),
    "boolean": st.booleans(),
    "date": st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    "datetime": st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 1, 1)).map(
        lambda d: d.replace(microsecond=(d.microsecond // 1000) * 1000)
    ),
}


@st.composite
def tables(draw, min_rows=0, max_rows=25, nulls=True):
    """A pa.Table with 1-5 columns of random Perspective types (with nulls and duplicates)."""
    ncols = draw(st.integers(1, 5))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=ncols, max_size=ncols))
    nrows = draw(st.integers(min_rows, max_rows))
    cols = {}
    for i, t in enumerate(types):
        elem = _values[t]
        if nulls:
            elem = st.one_of(st.none(), elem) if draw(st.booleans()) else elem
        # Small pools of values give duplicates, so groups have several rows.
        pool = draw(st.lists(elem, min_size=1, max_size=6))
        vals = draw(st.lists(st.sampled_from(pool), min_size=nrows, max_size=nrows))
        cols[f"c{i}_{t}"] = pa.array(vals, _ARROW[t])
    return pa.table(cols)


def ptype(name: str) -> str:
    return name.split("_", 1)[1]


# Aggregates whose results agree with perspective-python on every input.
_PICKS = ["first", "first by index", "last", "join", "unique"]
_QUANTILES = ["median", "q1", "q3"]
_NUMERIC = [
    "sum", "count", "distinct count", "avg", "high", "low", "any", "var", "stddev",
    "pct sum parent", "pct sum grand total", "high minus low", "abs sum", "sum abs", *_PICKS,
]  # fmt: skip
SAFE_AGGREGATES = {
    "integer": [*_NUMERIC, *_QUANTILES],
    # Float median/q1/q3 are not compared: perspective-python 3.8 averages two
    # elements picked by a partial sort (its q3 of [1.0, 2.0, 3.0, 4.0] is 2.5).
    "float": _NUMERIC,
    "string": ["count", "distinct count", *_QUANTILES, *_PICKS],
    "boolean": ["count", "distinct count"],
    "date": ["count", "distinct count"],
    "datetime": ["count", "distinct count"],
}


FILTER_OPS = {
    "integer": ["==", "!=", ">", ">=", "<", "<=", "is null", "is not null"],
    "float": ["==", "!=", ">", ">=", "<", "<=", "is null", "is not null"],
    "string": ["==", "!=", "in", "not in", "begins with", "ends with", "contains", "is null"],
    "boolean": ["==", "is null", "is not null"],
    "date": ["==", ">", "<=", "is null"],
    "datetime": ["==", ">", "<=", "is not null"],
}


def _filter_value(value, t):
    if t == "date":
        return value.isoformat()
    if t == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


@st.composite
def view_configs(draw, table: pa.Table, pivots=True):
    names = table.column_names
    cfg = {}
    cfg["columns"] = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    if pivots:
        cfg["group_by"] = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        cfg["split_by"] = draw(st.lists(st.sampled_from(names), max_size=1, unique=True))
    aggs = {}
    for c in cfg["columns"]:
        if draw(st.booleans()):
            choices = SAFE_AGGREGATES[ptype(c)]
            if cfg.get("split_by"):
                # Split percentages of 0 / 0 come out as 0 or null in perspective-python
                # 3.8 depending on the row; tests/unit covers split percentages.
                choices = [a for a in choices if not a.startswith("pct")]
            aggs[c] = draw(st.sampled_from(choices))
    if aggs:
        cfg["aggregates"] = aggs
    filters = []
    for _ in range(draw(st.integers(0, 2))):
        col = draw(st.sampled_from(names))
        t = ptype(col)
        op = draw(st.sampled_from(FILTER_OPS[t]))
        if op in ("is null", "is not null"):
            filters.append([col, op, None])
            continue
        pool = [v for v in table.column(col).to_pylist() if v is not None] or [None]
        value = draw(st.sampled_from(pool))
        if value is None:
            continue
        value = _filter_value(value, t)
        if op in ("in", "not in"):
            value = [value]
        elif t == "string" and op in ("begins with", "ends with", "contains"):
            value = value[: draw(st.integers(0, len(value)))]
        filters.append([col, op, value])
    if filters:
        cfg["filter"] = filters
        # filter_op "or" is not compared: perspective-python 3.8 returns no rows
        # for ["c", "==", "a"] or ["c", "==", "a"]; tests/unit covers "or".
    # Sorting groups by a variance compares floating-point noise (two ways of
    # computing 2/9 differ in the last bit), so those columns are not sort keys.
    noisy = ("var", "stddev", "pct sum parent", "pct sum grand total")
    sortable = [c for c in cfg["columns"] if aggs.get(c) not in noisy]
    if sortable and draw(st.booleans()):
        col = draw(st.sampled_from(sortable))
        directions = ["asc", "desc"]
        # abs sorts are not compared: perspective-python 3.8 orders equal
        # magnitudes inconsistently (tests/unit covers them).
        if pivots and cfg.get("group_by") and cfg.get("split_by"):
            directions += ["col asc", "col desc"]
        cfg["sort"] = [[col, draw(st.sampled_from(directions))]]
    return cfg
