"""Perspective's aggregates, computed per group with Arrow's hash aggregation.

``aggregate(work, keys, specs)`` groups ``work`` (a table whose key columns
are int32 codes, see :mod:`.encoding`) and returns one row per group with
one column per spec. Most aggregates map onto one Arrow kernel plus a
vectorised fix-up for Perspective's conventions (a sum of only nulls is
null, ``count`` counts nulls, variance needs two values...). Those without
an Arrow kernel (median, q1, q3, dominant, join, gmv above the leaf level,
min by, max by) are computed with numpy in :mod:`.group_stats`.

Pure pyarrow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError
from .aggregate_registry import AGGREGATES, names_where
from .dtypes import decoded, zero_scalar
from .group_stats import extreme_by, gmv, order_statistic

__all__ = ["AggSpec", "aggregate"]

_ALL = pc.CountOptions(mode="all")
_NULLS = pc.CountOptions(mode="only_null")
_KEEP_NULLS = pc.ScalarAggregateOptions(skip_nulls=False)
_SKIP_NULLS = pc.ScalarAggregateOptions(skip_nulls=True)
_POP = pc.VarianceOptions(ddof=0, min_count=2)

_NUMERIC = ("integer", "float")
# Aggregates Arrow has no kernel for, computed with numpy (group_stats.py).
_GROUP_STATS = names_where(compute="group_stats")
_WITH_ARG = frozenset(n for n, a in AGGREGATES.items() if a.arg_types)


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
            # Perspective's "any" is the first truthy value: a number other
            # than 0, true, any text or date (the type's zero when there is none).
            src = decoded(col)
            if numeric:
                src = pc.if_else(pc.equal(src, 0), pa.scalar(None, src.type), src)
            elif spec.ptype == "boolean":
                src = pc.if_else(pc.fill_null(src, False), src, pa.scalar(None, src.type))
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
        elif a in _GROUP_STATS and (spec.arg is not None or a not in _WITH_ARG):
            slow.append(spec)
        else:
            raise ConfigError(f"aggregate {a!r} is not supported for column {spec.column!r}")

    tbl = pa.table(inputs)
    if not keys and any(fn == "count_distinct" for _, fn, _ in requests):
        # Arrow 26's keyless count_distinct counts a null in one batch and a
        # value in another as one value: give it one batch (O(N)). Every
        # column: the batches are cut where any column's chunks end.
        tbl = tbl.combine_chunks()
    result = tbl.group_by(keys, use_threads=False).aggregate(requests)
    out = {k: result.column(k) for k in keys}
    for spec, names in post:
        out[spec.out] = _finish(spec, [result.column(n) for n in names])
    for spec in slow:
        if spec.agg == "gmv":
            out[spec.out] = gmv(work, keys, spec.column, result, child_key)
        elif spec.agg in ("min by", "max by"):
            out[spec.out] = extreme_by(
                work, keys, spec.column, spec.agg, spec.arg, result, tie_keys
            )
        else:
            out[spec.out] = order_statistic(work, keys, spec.column, spec.agg, result)
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
    if a == "any":
        return pc.fill_null(c, zero_scalar(spec.ptype, c.type))
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
