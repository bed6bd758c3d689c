"""Perspective's aggregates, computed per group with Arrow's hash aggregation.

``aggregate(work, keys, specs)`` groups ``work`` (a table whose key columns
are int32 codes, see :mod:`.encoding`) and returns one row per group with
one column per spec. Most aggregates map onto one Arrow kernel plus a
vectorised fix-up for Perspective's conventions (a sum of nulls is 0,
``count`` counts nulls, variance needs two values...). Order statistics
(median, q1, q3, dominant, join) sort rows by (group, value) with numpy.

Pure pyarrow + numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError
from .dtypes import decoded
from .encoding import format_label

__all__ = ["AggSpec", "aggregate"]

_ALL = pc.CountOptions(mode="all")
_NULLS = pc.CountOptions(mode="only_null")
_KEEP_NULLS = pc.ScalarAggregateOptions(skip_nulls=False)
_SKIP_NULLS = pc.ScalarAggregateOptions(skip_nulls=True)
_POP = pc.VarianceOptions(ddof=0, min_count=2)

_NUMERIC = ("integer", "float")
_ORDER_STATS = {"median": 0.5, "q1": 0.25, "q3": 0.75}


@dataclass(frozen=True)
class AggSpec:
    """One output column: ``agg`` of column ``column`` (of Perspective type ``ptype``)."""

    out: str
    column: str
    agg: str
    ptype: str
    #: the column an aggregate with an argument reads (``weighted mean``, ``min by``...)
    arg: str | None = None


def _codes(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Dictionary columns as their (unified) indices: counting needs no strings."""
    if not pa.types.is_dictionary(col.type):
        return col
    unified = pa.table({"c": col}).unify_dictionaries().column("c")
    return pa.chunked_array([c.indices for c in unified.chunks], col.type.index_type)


def aggregate(
    work: pa.Table,
    keys: list[str],
    specs: list[AggSpec],
    child_key: str | None = None,
    leaf: bool | None = None,
    tie_keys: list[str] | None = None,
) -> pa.Table:
    """Aggregate ``work`` grouped by ``keys`` (int32 code columns).

    ``child_key`` is the key of the next group_by level (``None`` at the
    leaf level): ``gmv`` of a group depends on it. ``leaf`` says whether
    ``distinct leaf`` shows the groups' single value (default: at the leaf
    level); Perspective shows it in every split cell, and never in the
    columns without a split of a split view. ``tie_keys``: code columns
    whose value order breaks ``min by`` / ``max by`` ties before row order
    (default: the group_by levels' codes, ``__g*``).

    Returns
    -------
    pa.Table
        The key columns followed by one column per spec, one row per group
        present in ``work``, in no particular order.
    """
    inputs: dict[str, pa.ChunkedArray] = {k: work.column(k) for k in keys}
    requests: list[tuple[str, str, object]] = []
    post: list[tuple[AggSpec, list[str]]] = []
    slow: list[AggSpec] = []
    seen: set[tuple[str, str]] = set()

    def request(col_name: str, values: pa.ChunkedArray, fn: str, opts: object = None) -> str:
        name = f"{col_name}#{fn}#{id(opts) if opts is not None else ''}"
        if name not in inputs:
            inputs[name] = values
        if (name, fn) not in seen:
            seen.add((name, fn))
            requests.append((name, fn, opts))
        return f"{name}_{fn}"

    for spec in specs:
        col = work.column(spec.column)
        numeric = spec.ptype in _NUMERIC
        a = spec.agg
        if a in (
            "sum",
            "sum or zero",
            "sum not null",
            "abs sum",
            "pct sum parent",
            "pct sum grand total",
        ):
            post.append((spec, [request(spec.column, col, "sum")]))
        elif a == "min":
            # Perspective 5.x ranks a null below every value: a group holding one has min null.
            post.append(
                (
                    spec,
                    [
                        request(spec.column, decoded(col), "min"),
                        request(spec.column + "|codes", _codes(col), "count", _NULLS),
                    ],
                )
            )
        elif a == "max":
            post.append((spec, [request(spec.column, decoded(col), "max")]))
        elif a in ("and", "or"):
            # A null is false.
            src = pc.fill_null(col, False)
            post.append((spec, [request(spec.column + "|b", src, "all" if a == "and" else "any")]))
        elif a == "mul":
            # A null multiplies as 0, except that a group of one null row is null.
            post.append(
                (
                    spec,
                    [
                        request(spec.column + "|z", pc.fill_null(col, 0), "product"),
                        request(spec.column + "|codes", _codes(col), "count", _ALL),
                        request(spec.column + "|codes", _codes(col), "count", _NULLS),
                    ],
                )
            )
        elif a == "distinct leaf" and (child_key is None if leaf is None else leaf):
            post.append(
                (
                    spec,
                    [
                        request(spec.column + "|codes", _codes(col), "count_distinct", _ALL),
                        request(spec.column, decoded(col), "first", _KEEP_NULLS),
                    ],
                )
            )
        elif a == "distinct leaf":
            # Above the leaf level Perspective shows nothing ("" for strings).
            post.append((spec, [request(spec.column + "|codes", _codes(col), "count", _ALL)]))
        elif a == "gmv" and child_key is None:
            post.append((spec, [request(spec.column, col, "sum")]))
        elif a == "weighted mean" and spec.arg is not None:
            # sum(x * w) / sum(w) over the rows where both are set; null when sum(w) is 0.
            x = col.cast(pa.float64())
            w = work.column(spec.arg).cast(pa.float64())
            both = pc.and_(pc.is_valid(x), pc.is_valid(w))
            xw = pc.if_else(both, pc.multiply(x, w), None)
            ww = pc.if_else(both, w, None)
            post.append(
                (
                    spec,
                    [
                        request(spec.column + "|xw|" + spec.arg, xw, "sum"),
                        request(spec.arg + "|w|" + spec.column, ww, "sum"),
                    ],
                )
            )
        elif a == "sum abs":
            post.append((spec, [request(spec.column + "|abs", pc.abs(col), "sum")]))
        elif a == "count":
            post.append((spec, [request(spec.column + "|codes", _codes(col), "count", _ALL)]))
        elif a in ("avg", "mean"):
            src = col.cast(pa.float64()) if spec.ptype == "boolean" else col
            post.append((spec, [request(spec.column + "|f", src, "mean")]))
        elif a == "distinct count":
            codes = _codes(col)
            post.append((spec, [request(spec.column + "|codes", codes, "count_distinct", _ALL)]))
        elif a == "any":
            # Perspective's "any" is the first truthy value (0 when there is none).
            src = decoded(col)
            if numeric:
                src = pc.if_else(pc.equal(src, 0), pa.scalar(None, src.type), src)
            post.append((spec, [request(spec.column + "|any", src, "first", _SKIP_NULLS)]))
        elif a in ("first", "first by index"):
            post.append((spec, [request(spec.column, decoded(col), "first", _KEEP_NULLS)]))
        elif a in ("last", "last by index"):
            post.append((spec, [request(spec.column, decoded(col), "last", _KEEP_NULLS)]))
        elif a in ("high", "low"):
            # Perspective counts a null as 0 in numeric high/low.
            src = pc.fill_null(col, 0) if numeric else decoded(col)
            fn = "max" if a == "high" else "min"
            post.append((spec, [request(spec.column + "|z" * numeric, src, fn)]))
        elif a == "high minus low":
            post.append(
                (
                    spec,
                    [
                        request(spec.column, decoded(col), "max"),
                        request(spec.column, decoded(col), "min"),
                        request(spec.column + "|codes", _codes(col), "count", _NULLS),
                    ],
                )
            )
        elif a == "last minus first":
            post.append(
                (
                    spec,
                    [
                        request(spec.column, decoded(col), "last", _KEEP_NULLS),
                        request(spec.column, decoded(col), "first", _KEEP_NULLS),
                    ],
                )
            )
        elif a in ("var", "stddev"):
            fn = "variance" if a == "var" else "stddev"
            src = col.cast(pa.float64())
            post.append((spec, [request(spec.column + "|f", src, fn, _POP)]))
        elif a == "unique":
            post.append(
                (
                    spec,
                    [
                        request(spec.column + "|codes", _codes(col), "count_distinct", _ALL),
                        request(spec.column, decoded(col), "first", _KEEP_NULLS),
                    ],
                )
            )
        elif a in ("median", "q1", "q3", "dominant", "join", "gmv") or (
            a in ("min by", "max by") and spec.arg is not None
        ):
            slow.append(spec)
        else:
            raise ConfigError(f"aggregate {a!r} is not supported for column {spec.column!r}")

    tbl = pa.table(inputs)
    result = tbl.group_by(keys, use_threads=False).aggregate(requests)
    out = {k: result.column(k) for k in keys}
    for spec, names in post:
        out[spec.out] = _finish(spec, [result.column(n) for n in names])
    for spec in slow:
        if spec.agg == "gmv":
            out[spec.out] = _gmv(work, keys, spec, result, child_key)
        elif spec.agg in ("min by", "max by"):
            out[spec.out] = _extreme_by(work, keys, spec, result, tie_keys)
        else:
            out[spec.out] = _order_statistic(work, keys, spec, result)
    return pa.table(out)


def _finish(spec: AggSpec, cols: list[pa.ChunkedArray]) -> pa.ChunkedArray:
    a = spec.agg
    c = cols[0]
    if a in ("sum or zero", "sum not null", "gmv"):
        return pc.fill_null(c, 0)
    if a == "min":
        return pc.if_else(pc.greater(cols[1], 0), pa.nulls(len(c), c.type), c)
    if a == "mul":
        lone_null = pc.and_(pc.equal(cols[1], 1), pc.equal(cols[2], 1))
        return pc.if_else(lone_null, pa.nulls(len(c), c.type), c)
    if a == "distinct leaf":
        if len(cols) == 1:  # above the leaf level
            return _nothing(spec, len(c))
        return pc.if_else(pc.equal(cols[0], 1), cols[1], _nothing(spec, len(c)))
    if a == "weighted mean":
        zero = pc.fill_null(pc.equal(cols[1], 0.0), True)
        return pc.if_else(zero, pa.nulls(len(c), pa.float64()), pc.divide(c, cols[1]))
    if a == "distinct count":
        return c.cast(pa.uint32())  # Perspective's type for distinct counts
    if a == "any" and spec.ptype in _NUMERIC:
        return pc.fill_null(c, 0)
    if a == "abs sum":
        return pc.abs(c)
    if a == "high minus low":
        diff = _difference(cols[0], cols[1])
        return pc.if_else(pc.greater(cols[2], 0), pa.nulls(len(diff), diff.type), diff)
    if a == "last minus first":
        return _difference(cols[0], cols[1])
    if a == "unique":
        return pc.if_else(pc.equal(cols[0], 1), cols[1], pa.nulls(len(cols[1]), cols[1].type))
    return c


def _nothing(spec: AggSpec, n: int) -> pa.Array:
    """``distinct leaf`` of a group that has no single value: ``""`` for strings, else null."""
    if spec.ptype == "string":
        return pa.array([""] * n, pa.string())
    return pa.nulls(n, _OUTPUT_TYPES.get(spec.ptype, pa.null()))


_OUTPUT_TYPES = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
}


def _difference(hi: pa.ChunkedArray, lo: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_timestamp(hi.type) or pa.types.is_date(hi.type):
        # Perspective reports temporal spans as milliseconds.
        ms_hi = hi.cast(pa.timestamp("ms")).cast(pa.int64())
        ms_lo = lo.cast(pa.timestamp("ms")).cast(pa.int64())
        return pc.subtract(ms_hi, ms_lo)
    if pa.types.is_string(hi.type) or pa.types.is_boolean(hi.type):
        return pa.nulls(len(hi), hi.type)
    return pc.subtract(hi, lo)


def _group_ids(work: pa.Table, keys: list[str], groups: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """Row -> group position (into ``groups``) for every row of ``work``."""
    if not keys:
        return np.zeros(work.num_rows, np.int64), np.zeros(1, np.int64)
    radix = [int(pc.max(work.column(k)).as_py() or 0) + 1 for k in keys]
    if float(np.prod([float(r) for r in radix])) >= 2.0**62:
        raise ConfigError(
            "too many distinct group combinations for an order-statistic aggregate "
            "(median, q1, q3, dominant, join); group by fewer or lower-cardinality columns"
        )

    def combined(tbl: pa.Table) -> np.ndarray:
        acc = np.zeros(tbl.num_rows, np.int64)
        for k, r in zip(keys, radix, strict=False):
            acc = acc * r + tbl.column(k).to_numpy().astype(np.int64)
        return acc

    gkeys = combined(groups)
    order = np.argsort(gkeys)
    pos = np.searchsorted(gkeys[order], combined(work))
    return order[pos], gkeys


def _order_statistic(work: pa.Table, keys: list[str], spec: AggSpec, groups: pa.Table) -> pa.Array:
    n_groups = groups.num_rows
    col = decoded(work.column(spec.column)).combine_chunks()
    if work.num_rows == 0:
        return pa.nulls(n_groups, pa.string() if spec.agg == "join" else col.type)
    gid, _ = _group_ids(work, keys, groups)
    if spec.agg == "join":
        return _join(col, gid, n_groups)
    # Dense ranks of the values, nulls ranked first (rank 0).
    rank = pc.rank(col, sort_keys=[("", "ascending", "at_start")], tiebreaker="dense")
    rank = rank.to_numpy().astype(np.int64)
    if spec.agg == "dominant":
        return _dominant(col, rank, gid, n_groups)
    order = np.lexsort((rank, gid))
    counts = np.bincount(gid, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pick = starts + (counts * _ORDER_STATS[spec.agg]).astype(np.int64)
    pick = np.minimum(pick, starts + np.maximum(counts - 1, 0))
    return col.take(pa.array(order[pick]))


def _dominant(col: pa.Array, rank: np.ndarray, gid: np.ndarray, n_groups: int) -> pa.Array:
    """Most frequent value per group; ties go to the smallest (null smallest)."""
    nvals = int(rank.max()) + 2 if len(rank) else 1
    pair = gid * nvals + rank
    uniq, first_row, counts = np.unique(pair, return_index=True, return_counts=True)
    g = uniq // nvals
    # Sort by group, then count descending, then rank ascending; first per group wins.
    order = np.lexsort((uniq % nvals, -counts, g))
    g_sorted = g[order]
    firsts = np.ones(len(order), dtype=bool)
    firsts[1:] = g_sorted[1:] != g_sorted[:-1]
    rows = np.full(n_groups, -1, np.int64)
    rows[g_sorted[firsts]] = first_row[order][firsts]
    return col.take(pa.array(rows, mask=rows < 0))


def _join(col: pa.Array, gid: np.ndarray, n_groups: int) -> pa.Array:
    """Distinct values per group, sorted, joined with ', ' (nulls shown as 'null')."""
    rank = pc.rank(col, sort_keys=[("", "ascending", "at_start")], tiebreaker="dense")
    pair = gid * (len(col) + 2) + rank.to_numpy().astype(np.int64)
    uniq, first_row = np.unique(pair, return_index=True)
    g = uniq // (len(col) + 2)
    values = col.take(pa.array(first_row)).to_pylist()
    # One Python pass over distinct (group, value) pairs, not over rows; values
    # print as in split column names (format_label).
    out: list[list[str]] = [[] for _ in range(n_groups)]
    for gi, value in zip(g.tolist(), values, strict=True):
        out[gi].append(format_label(value))
    return pa.array([", ".join(p) for p in out], pa.string())


def _gmv(
    work: pa.Table, keys: list[str], spec: AggSpec, groups: pa.Table, child_key: str
) -> pa.Array:
    """``gmv`` above the leaf level: the sum of the absolute sums of a group's
    children (the next level's groups), as Perspective 5.x rolls it up."""
    col = work.column(spec.column)
    sub_keys = [*keys, child_key]
    child = pa.table({**{k: work.column(k) for k in sub_keys}, "v": col})
    child = child.group_by(sub_keys, use_threads=False).aggregate([("v", "sum")])
    magnitude = pc.abs(pc.fill_null(child.column("v_sum"), 0))
    if groups.num_rows == 0:
        return pa.nulls(0, magnitude.type)
    gid, _ = _group_ids(child, keys, groups)
    if pa.types.is_integer(magnitude.type):
        # Exact integer sums: one np.add.at over the child groups.
        total = np.zeros(groups.num_rows, np.int64)
        np.add.at(total, gid, magnitude.to_numpy().astype(np.int64))
    else:
        weights = magnitude.to_numpy()
        # (np.bincount answers int64 for no weights at all)
        total = np.bincount(gid, weights=weights, minlength=groups.num_rows).astype(np.float64)
    return pa.array(total)


def _extreme_by(
    work: pa.Table, keys: list[str], spec: AggSpec, groups: pa.Table, tie_keys: list[str] | None
) -> pa.Array:
    """``min by`` / ``max by``: the value on the row whose ``arg`` is least /
    greatest (a null ranks lowest)."""
    col = decoded(work.column(spec.column)).combine_chunks()
    if work.num_rows == 0:
        return pa.nulls(groups.num_rows, col.type)
    by = decoded(work.column(spec.arg)).combine_chunks()
    rank = pc.rank(by, sort_keys=[("", "ascending", "at_start")], tiebreaker="dense")
    rank = rank.to_numpy().astype(np.int64)
    gid, _ = _group_ids(work, keys, groups)
    rows = np.arange(work.num_rows)
    # Perspective rolls a group up from its children in value order: among
    # rows tied on ``arg``, the first of the first leaf group wins (in split
    # cells, the first row; in a rollup of split cells, of the first cell).
    if tie_keys is None:
        tie_keys = sorted(c for c in work.column_names if c.startswith("__g"))
    ties = [work.column(c).to_numpy() for c in reversed(tie_keys)]
    order = np.lexsort((rows, *ties, rank if spec.agg == "min by" else -rank, gid))
    g_sorted = gid[order]
    firsts = np.ones(len(order), dtype=bool)
    firsts[1:] = g_sorted[1:] != g_sorted[:-1]
    pick = np.full(groups.num_rows, -1, np.int64)
    pick[g_sorted[firsts]] = order[firsts]
    return col.take(pa.array(pick, mask=pick < 0))
