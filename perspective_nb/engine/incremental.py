"""Incremental group_by: per-group partial sums updated from row deltas.

A streaming table changes by a few rows per update; recomputing every
group of a million-row table each time wastes the work done before. For
views whose aggregates decompose into sums (sum, count, avg/mean, abs sums,
percentages), :class:`GroupState` keeps, per group_by level, one row per
group with partial sums (row count, value sum, non-null count, abs sum),
keyed by the group values. A table write reports the rows it added and the
rows it removed (old versions of upserted keys, rows dropped by a limit,
removed keys); the state aggregates just those rows, signed +1 / -1, and
merges them in: O(groups + delta) instead of O(table).

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .config import ViewConfig
from .dtypes import decoded
from .encoding import Encoded, encode
from .pivot import row_sort_specs

__all__ = ["GroupState", "supports_incremental"]

_SUMMABLE = frozenset(
    {
        "sum",
        "avg",
        "mean",
        "sum abs",
        "abs sum",
        "sum not null",
        "pct sum parent",
        "pct sum grand total",
    }
)


def _value_columns(config: ViewConfig) -> list[str]:
    return list(dict.fromkeys([*config.columns, *(c for c, _ in row_sort_specs(config))]))


def supports_incremental(config: ViewConfig, schema: dict[str, str]) -> bool:
    """True when every aggregate of this (group_by, no split_by) view is a sum of parts."""
    if not config.group_by or config.split_by or config.expressions:
        return False
    aggs = config.aggregate_map
    for c in _value_columns(config):
        if aggs[c] == "count":
            continue
        if aggs[c] not in _SUMMABLE or schema[c] not in ("integer", "float"):
            return False
    return True


class GroupState:
    """Partial sums of every group_by level of one view."""

    def __init__(self, data: pa.Table, config: ViewConfig, schema: dict[str, str]) -> None:
        self._config = config
        self._schema = schema
        self._aggs = config.aggregate_map
        self._values = [c for c in _value_columns(config) if self._aggs[c] != "count"]
        self._counts = [c for c in _value_columns(config) if self._aggs[c] == "count"]
        self._n_levels = len(config.group_by)
        # The first state comes from value-ordered codes (grouping integers is
        # much faster than grouping strings); keys are then decoded to values.
        encs = [encode(data.column(c)) for c in config.group_by]
        codes = pa.table({f"k{i}": pa.array(e.codes) for i, e in enumerate(encs)})
        work = self._parts(data, codes, 1)
        self._levels = []
        for k in range(self._n_levels + 1):
            level = self._sum_by(work, k)
            keys = {f"k{i}": encs[i].decode(level.column(f"k{i}").to_numpy()) for i in range(k)}
            parts = {n: level.column(n) for n in level.column_names if n not in keys}
            self._levels.append(self._ensure_total(pa.table({**keys, **parts}), k))

    # -- partial sums ------------------------------------------------------
    def _parts(self, data: pa.Table, keys: pa.Table, sign: int) -> pa.Table:
        n = data.num_rows
        cols = {name: keys.column(name) for name in keys.column_names}
        cols["#rows"] = pa.array(np.full(n, sign, np.int64))
        for c in self._values:
            v = data.column(c)
            zero = 0.0 if self._schema[c] == "float" else 0
            target = pa.float64() if self._schema[c] == "float" else pa.int64()
            filled = pc.fill_null(v, zero).cast(target)
            cols[f"{c}#s"] = pc.multiply(filled, sign)
            cols[f"{c}#n"] = pc.multiply(pc.is_valid(v).cast(pa.int64()), sign)
            if self._aggs[c] == "sum abs":
                cols[f"{c}#a"] = pc.multiply(pc.abs(filled), sign)
        return pa.table(cols)

    def _sum_by(self, work: pa.Table, k: int) -> pa.Table:
        """Partial sums of ``work`` (delta rows or a level) grouped by the first k keys."""
        keys = [f"k{i}" for i in range(k)]
        all_keys = {f"k{i}" for i in range(self._n_levels)}
        parts = [n for n in work.column_names if n not in all_keys]
        return _summed(work, keys, parts)

    def _ensure_total(self, level: pa.Table, k: int) -> pa.Table:
        if k or level.num_rows:
            return level
        # No rows at all: the total row still exists, with zero partials.
        return pa.table({n: pa.array([0], level.schema.field(n).type) for n in level.column_names})

    def is_empty(self) -> bool:
        """True when no rows are aggregated (the total row then shows Perspective's empties)."""
        return self._levels[0].column("#rows")[0].as_py() == 0

    # -- deltas --------------------------------------------------------------
    def apply(self, added: pa.Table | None, removed: pa.Table | None) -> None:
        """Merge rows added to and removed from the (filtered) table."""
        work = []
        for rows, sign in ((added, 1), (removed, -1)):
            if rows is not None and rows.num_rows:
                keys = pa.table(
                    {f"k{i}": decoded(rows.column(c)) for i, c in enumerate(self._config.group_by)}
                )
                work.append(self._parts(rows, keys, sign))
        if not work:
            return
        delta = pa.concat_tables(work, promote_options="permissive")
        for k in range(self._n_levels + 1):
            merged = pa.concat_tables(
                [self._levels[k], self._sum_by(delta, k)], promote_options="permissive"
            )
            merged = self._sum_by(merged, k)
            if k:
                merged = merged.filter(pc.not_equal(merged.column("#rows"), 0))
            self._levels[k] = self._ensure_total(merged, k)

    # -- output ----------------------------------------------------------------
    def levels(self) -> tuple[list[pa.Table], list[Encoded]]:
        """Levels in the form :func:`~.pivot.arrange` takes, and their encodings."""
        leaf = self._levels[self._n_levels]
        genc = []
        for i in range(self._n_levels):
            values = pc.unique(pc.drop_null(leaf.column(f"k{i}")))
            values = values.take(pc.sort_indices(values))
            if isinstance(values, pa.ChunkedArray):
                values = values.combine_chunks()
            genc.append(Encoded(np.zeros(0, np.int32), values))
        out = []
        for k, level in enumerate(self._levels):
            cols = {}
            for i in range(k):
                idx = pc.index_in(level.column(f"k{i}"), value_set=genc[i].values)
                cols[f"__g{i}"] = pc.add(pc.fill_null(idx, -1), 1).cast(pa.int32())
            rows = level.column("#rows")
            for c in self._counts:
                cols[c] = rows
            for c in self._values:
                cols[c] = self._output(level, c)
            out.append(pa.table(cols))
        return out, genc

    def _output(self, level: pa.Table, c: str) -> pa.ChunkedArray:
        a = self._aggs[c]
        total = level.column(f"{c}#s")
        if a in ("avg", "mean"):
            n = level.column(f"{c}#n")
            # A group with no non-null values has no mean (null), as in Arrow's mean.
            return pc.divide(total.cast(pa.float64()), pc.if_else(pc.equal(n, 0), None, n))
        if a == "abs sum":
            return pc.abs(total)
        if a == "sum abs":
            return level.column(f"{c}#a")
        return total


def _summed(table: pa.Table, keys: list[str], parts: list[str]) -> pa.Table:
    """Sum ``parts`` by ``keys``; a sum over no rows is 0 (Arrow would say null)."""
    out = table.group_by(keys, use_threads=False).aggregate([(p, "sum") for p in parts])
    cols = {k: out.column(k) for k in keys}
    cols.update({p: pc.fill_null(out.column(f"{p}_sum"), 0) for p in parts})
    return pa.table(cols)
