"""Per-group statistics that Arrow's hash aggregation has no kernel for.

Order statistics (``median``, ``q1``, ``q3``), ``dominant``, ``join``,
``gmv`` above the leaf level and ``min by`` / ``max by``: rows are mapped
to their group (:func:`group_ids`) and ranked or sorted with numpy, one
``lexsort`` per aggregate, never a Python loop over rows.

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError
from .dtypes import decoded
from .encoding import format_label

__all__ = ["extreme_by", "gmv", "group_ids", "order_statistic"]

_ORDER_STATS = {"median": 0.5, "q1": 0.25, "q3": 0.75}


def group_ids(work: pa.Table, keys: list[str], groups: pa.Table) -> tuple[np.ndarray, np.ndarray]:
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


def order_statistic(
    work: pa.Table, keys: list[str], column: str, agg: str, groups: pa.Table
) -> pa.Array:
    """``median`` / ``q1`` / ``q3`` / ``dominant`` / ``join`` of ``column`` per group."""
    n_groups = groups.num_rows
    col = decoded(work.column(column)).combine_chunks()
    if work.num_rows == 0:
        return pa.nulls(n_groups, pa.string() if agg == "join" else col.type)
    gid, _ = group_ids(work, keys, groups)
    if agg == "join":
        return _join(col, gid, n_groups)
    # Dense ranks of the values, nulls ranked first (rank 0).
    rank = pc.rank(col, sort_keys=[("", "ascending", "at_start")], tiebreaker="dense")
    rank = rank.to_numpy().astype(np.int64)
    if agg == "dominant":
        return _dominant(col, rank, gid, n_groups)
    order = np.lexsort((rank, gid))
    counts = np.bincount(gid, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pick = starts + (counts * _ORDER_STATS[agg]).astype(np.int64)
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


def gmv(work: pa.Table, keys: list[str], column: str, groups: pa.Table, child_key: str) -> pa.Array:
    """``gmv`` above the leaf level: the sum of the absolute sums of a group's
    children (the next level's groups), as Perspective 5.x rolls it up."""
    col = work.column(column)
    sub_keys = [*keys, child_key]
    child = pa.table({**{k: work.column(k) for k in sub_keys}, "v": col})
    child = child.group_by(sub_keys, use_threads=False).aggregate([("v", "sum")])
    magnitude = pc.abs(pc.fill_null(child.column("v_sum"), 0))
    if groups.num_rows == 0:
        return pa.nulls(0, magnitude.type)
    gid, _ = group_ids(child, keys, groups)
    if pa.types.is_integer(magnitude.type):
        # Exact integer sums: one np.add.at over the child groups.
        total = np.zeros(groups.num_rows, np.int64)
        np.add.at(total, gid, magnitude.to_numpy().astype(np.int64))
    else:
        weights = magnitude.to_numpy()
        # (np.bincount answers int64 for no weights at all)
        total = np.bincount(gid, weights=weights, minlength=groups.num_rows).astype(np.float64)
    return pa.array(total)


def extreme_by(
    work: pa.Table,
    keys: list[str],
    column: str,
    agg: str,
    arg: str,
    groups: pa.Table,
    tie_keys: list[str] | None,
) -> pa.Array:
    """``min by`` / ``max by``: the value on the row whose ``arg`` is least /
    greatest (a null ranks lowest)."""
    col = decoded(work.column(column)).combine_chunks()
    if work.num_rows == 0:
        return pa.nulls(groups.num_rows, col.type)
    by = decoded(work.column(arg)).combine_chunks()
    rank = pc.rank(by, sort_keys=[("", "ascending", "at_start")], tiebreaker="dense")
    rank = rank.to_numpy().astype(np.int64)
    gid, _ = group_ids(work, keys, groups)
    rows = np.arange(work.num_rows)
    # Perspective rolls a group up from its children in value order: among
    # rows tied on ``arg``, the first of the first leaf group wins (in split
    # cells, the first row; in a rollup of split cells, of the first cell).
    if tie_keys is None:
        tie_keys = sorted(c for c in work.column_names if c.startswith("__g"))
    ties = [work.column(c).to_numpy() for c in reversed(tie_keys)]
    order = np.lexsort((rows, *ties, rank if agg == "min by" else -rank, gid))
    g_sorted = gid[order]
    firsts = np.ones(len(order), dtype=bool)
    firsts[1:] = g_sorted[1:] != g_sorted[:-1]
    pick = np.full(groups.num_rows, -1, np.int64)
    pick[g_sorted[firsts]] = order[firsts]
    return col.take(pa.array(pick, mask=pick < 0))
