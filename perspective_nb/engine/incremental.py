"""Incremental group_by / split_by: per-group partial sums updated from row deltas.

A streaming table changes by a few rows per write; recomputing every group
of a million-row table each time wastes the work done before. For views
whose aggregates decompose into sums (sum, sum or zero, count, avg/mean,
abs sums, percentages, var and stddev from sums of powers, weighted mean)
or running extremes (high, low, high minus low, min, max),
:class:`GroupState` keeps, per group_by level, one slot per group holding
partial sums (row count, value sum, non-null count, abs sum) and maxima /
minima in numpy arrays, and for split_by views one slot per (group, split
values) cell as well. An extreme cannot be "un-added": a write that removes
the last row tied at a group's current high or low (see extremes.py) makes
the view recompute (rare for a group of many rows).

- Group values get stable integer ids (:class:`.group_index.Coder`: 0 is null, then
  first-seen order), so a group is a (parent group slot, own id) pair packed
  into one int64; each level keeps those keys sorted, and finding the groups
  of a batch is a binary search (O(batch log groups)), never a rebuild.
- A write's delta rows (added +1, removed -1) are added into the slots with
  ``np.add.at``: O(delta) per level. Groups whose row count falls to zero
  stay as slots but are not shown.
- Reads (:class:`.group_outputs.GroupOutputs`, the read side) turn the
  slots into the tables :func:`.pivot.arrange` orders as a tree
  (value-ordered codes from the ids: a sort of the distinct values, redone
  only when a new value appears), together with each group's parent, so
  arranging needs no join.

The first state of a view is aggregated with Arrow's hash aggregation over
the id columns (one pass per level), as a fresh view is.

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .aggregate_registry import AGGREGATES, PERCENT, names_where
from .config import ViewConfig
from .distinct import DistinctCounts
from .dtypes import decoded
from .extremes import count_part, extreme_values, plan, seed_counts, touched_slots
from .group_index import Coder, Slots, part_identity
from .group_outputs import GroupOutputs
from .pivot import row_sort_specs

__all__ = ["GroupState", "supports_incremental"]

# Running maxima / minima: added rows fold in with np.maximum / np.minimum;
# removing a row that holds its group's extreme makes the view recompute.
_EXTREMES = names_where(incremental="extreme")
# Extremes over the non-null values only (high / low count a null as 0).
_SKIP_NULLS = names_where(incremental="extreme", null_as_zero=False)
# Population variance from sums of powers: kept as sums of (x - K) and
# (x - K)^2 around a per-column K (the column's mean when the view was made),
# so the difference of the two terms does not cancel away the variance of
# values far from zero.
_MOMENTS = names_where(incremental="moments")
# Sums of x * w and of w over the rows where both are set (and their count).
_WEIGHTED = names_where(incremental="weighted")


_FOLD = {"#hi": "max", "#lo": "min"}  # how a part of finer groups folds into coarser ones


def _value_columns(config: ViewConfig) -> list[str]:
    return list(dict.fromkeys([*config.columns, *(c for c, _ in row_sort_specs(config))]))


def supports_incremental(
    config: ViewConfig, schema: dict[str, str], row_local_expressions: bool = False
) -> bool:
    """True when every aggregate of this grouped view is a sum of parts (and
    its expressions, if any, read only their own row)."""
    if not config.group_by or (config.expressions and not row_local_expressions):
        return False
    if config.split_by and config.split_rollup_mode == "rollup":
        return False  # the rollup columns are pivots of their own (pivot.compute_pivot)
    aggs = config.aggregate_map
    if len(config.split_by) > 1 and any(aggs[c] in PERCENT for c in config.columns):
        return False  # split percentages divide by other split levels (pivot.compute_pivot)
    split = bool(config.split_by)
    args = config.aggregate_arg_map
    # Sums, moments and extremes of numbers, counts, distinct counts without
    # split_by (counts per (group, value): see distinct.py), weighted means
    # of numbers by numbers: the registry's "incremental".
    return all(
        AGGREGATES[aggs[c]].incremental_for(schema[c], split)
        and (aggs[c] not in _WEIGHTED or schema.get(args.get(c, "")) in ("integer", "float"))
        for c in _value_columns(config)
    )


class GroupState(GroupOutputs):
    """Partial sums of every group_by level (and split cell) of one view."""

    def __init__(self, data: pa.Table, config: ViewConfig, schema: dict[str, str]) -> None:
        self._config = config
        self._schema = schema
        self._aggs = config.aggregate_map
        self._distinct = [c for c in _value_columns(config) if self._aggs[c] == "distinct count"]
        self._values = [
            c for c in _value_columns(config) if self._aggs[c] not in ("count", "distinct count")
        ]
        self._counts = [c for c in _value_columns(config) if self._aggs[c] == "count"]
        self._n = len(config.group_by)
        self._coders = [Coder(data.schema.field(c).type) for c in config.group_by]
        self._split_coders = [Coder(data.schema.field(c).type) for c in config.split_by]
        parts = {"#rows": np.dtype(np.int64)}
        for c in self._values:
            float_col = self._schema[c] == "float"
            parts[f"{c}#s"] = np.dtype(np.float64 if float_col else np.int64)
            parts[f"{c}#n"] = np.dtype(np.int64)
            if self._aggs[c] == "sum abs":
                parts[f"{c}#a"] = parts[f"{c}#s"]
            if self._aggs[c] in _MOMENTS:
                parts[f"{c}#e"] = parts[f"{c}#q"] = np.dtype(np.float64)
            if self._aggs[c] in _WEIGHTED:
                parts[f"{c}#x"] = parts[f"{c}#w"] = np.dtype(np.float64)
                parts[f"{c}#m"] = np.dtype(np.int64)
            if self._aggs[c] in ("high", "high minus low", "max"):
                parts[f"{c}#hi"] = parts[f"{c}#s"]
                parts[count_part(f"{c}#hi")] = np.dtype(np.int64)  # rows tied at the high
            if self._aggs[c] in ("low", "high minus low", "min"):
                parts[f"{c}#lo"] = parts[f"{c}#s"]
                parts[count_part(f"{c}#lo")] = np.dtype(np.int64)
        for c in self._distinct:
            parts[f"{c}#d"] = np.dtype(np.int64)  # kept by DistinctCounts, not summed
        self._distincts = {
            c: DistinctCounts(data.schema.field(c).type, self._n + 1) for c in self._distinct
        }
        self._part_types = parts
        self._has_extremes = any(self._aggs[c] in _EXTREMES for c in self._values)
        # Output types of high / low (a column's own type, as Arrow's max keeps it).
        self._value_types = {c: decoded(data.column(c)).type for c in self._values}
        # The weight column of each weighted mean.
        self._weights = {
            c: config.aggregate_arg_map[c] for c in self._values if self._aggs[c] in _WEIGHTED
        }
        # The centre K of each variance's sums (see _MOMENTS).
        self._centre = {
            c: float(pc.mean(decoded(data.column(c))).as_py() or 0.0)
            for c in self._values
            if self._aggs[c] in _MOMENTS
        }
        self._levels = [Slots(k, parts) for k in range(self._n + 1)]
        total = self._levels[0]  # the grand total: one slot, always there
        total.keys, total.slot_of_key, total.parent = (np.zeros(1, np.int64) for _ in range(3))
        total.path = np.zeros((1, 0), np.int64)
        total.parts = {name: np.full(1, part_identity(name, dt), dt) for name, dt in parts.items()}
        # Split values chain like group levels; cells are (group slot, combo slot).
        self._combos = [Slots(j + 1, {}) for j in range(len(config.split_by))]
        self._cells = [Slots(1, parts) for _ in range(self._n + 1)] if config.split_by else []
        # Bumped whenever a group or cell appears or empties: while it holds
        # still, the tree order of the groups (and a cached layout) is valid.
        self.shape = 0
        self._shown_memo: tuple[int, dict] = (-1, {})
        self._names_of: dict[str, list[str]] = {}  # parts each output reads
        self._build(data)

    # -- building ------------------------------------------------------------
    def _ids(self, rows: pa.Table) -> tuple[list[np.ndarray], list[np.ndarray]]:
        g = [
            cd.ids(rows.column(c))
            for cd, c in zip(self._coders, self._config.group_by, strict=True)
        ]
        s = [
            cd.ids(rows.column(c))
            for cd, c in zip(self._split_coders, self._config.split_by, strict=True)
        ]
        return g, s

    def _slots(self, gids: list[np.ndarray], sids: list[np.ndarray], n: int):
        """Slots of ``n`` rows (or groups) at every level, and their cells."""
        slots = self._group_slots(gids, n, self._n)
        cells = []
        if self._combos:
            combo = self._combo_slots(sids, n)
            cells = [self._cells[k].locate(slots[k], combo, None) for k in range(self._n + 1)]
        return slots, cells

    def _group_slots(self, gids: list[np.ndarray], n: int, depth: int) -> list[np.ndarray]:
        """Slots of ``n`` rows (or groups) at levels 0 .. ``depth``."""
        slots = [np.zeros(n, np.int64)]
        for k in range(depth):
            slots.append(self._levels[k + 1].locate(slots[k], gids[k], self._levels[k].path))
        return slots

    def _combo_slots(self, sids: list[np.ndarray], n: int) -> np.ndarray:
        """The split-values combination slot of each of ``n`` rows."""
        combo = np.zeros(n, np.int64)
        for j, lvl in enumerate(self._combos):
            prev_path = self._combos[j - 1].path if j else np.zeros((1, 0), np.int64)
            combo = lvl.locate(combo, sids[j], prev_path)
        return combo

    def _parts(self, rows: pa.Table, sign: int | np.ndarray) -> dict[str, np.ndarray]:
        n = rows.num_rows
        out = {"#rows": sign if isinstance(sign, np.ndarray) else np.full(n, sign, np.int64)}
        for c in self._values:
            v = decoded(rows.column(c))
            dt = self._part_types[f"{c}#s"]
            if v.null_count:
                filled = pc.fill_null(v, 0).to_numpy(zero_copy_only=False).astype(dt)
                valid = pc.is_valid(v).to_numpy(zero_copy_only=False).astype(np.int64)
            else:
                filled = v.to_numpy().astype(dt, copy=False)
                valid = None  # every row counts: the count is the sign
            out[f"{c}#s"] = filled * sign
            out[f"{c}#n"] = out["#rows"] if valid is None else valid * sign
            if self._aggs[c] == "sum abs":
                out[f"{c}#a"] = np.abs(filled) * sign
            if c in self._centre:
                d = filled.astype(np.float64) - self._centre[c]
                if valid is not None:
                    d *= valid  # nulls add nothing
                out[f"{c}#e"] = d * sign
                out[f"{c}#q"] = d * d * sign
            if c in self._weights:
                x, w, both = self._weighted(rows, c)
                out[f"{c}#x"] = np.where(both, x * w, 0.0) * sign
                out[f"{c}#w"] = np.where(both, w, 0.0) * sign
                out[f"{c}#m"] = both.astype(np.int64) * sign
        return out

    def _weighted(self, rows: pa.Table, c: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Column ``c`` and its weight column as floats, and where both are set."""
        x = decoded(rows.column(c))
        w = decoded(rows.column(self._weights[c]))
        both = pc.and_(pc.is_valid(x), pc.is_valid(w)).to_numpy(zero_copy_only=False)
        as_float = [
            pc.fill_null(a, 0).cast(pa.float64()).to_numpy(zero_copy_only=False) for a in (x, w)
        ]
        return as_float[0], as_float[1], both

    def _extreme_values(self, rows: pa.Table, c: str) -> tuple[np.ndarray, np.ndarray]:
        """Column ``c`` of ``rows`` as an extreme reads it: (values, whether each counts)."""
        dtype = self._part_types[f"{c}#s"]
        return extreme_values(decoded(rows.column(c)), dtype, self._aggs[c] in _SKIP_NULLS)

    def _extreme_parts(self):
        """(column, part, the part counting the rows that take part) of each extreme."""
        for c in self._values:
            known = f"{c}#n" if self._aggs[c] in _SKIP_NULLS else "#rows"
            for p in (f"{c}#hi", f"{c}#lo"):
                if p in self._part_types:
                    yield c, p, known

    def _apply_extremes(self, rows: pa.Table, sign: np.ndarray, slots, cells) -> bool:
        """Move the extremes and their tie counts; False when one is lost (recompute)."""
        signs = np.broadcast_to(np.asarray(sign, np.int64), (rows.num_rows,))
        plans = []
        targets = [(self._levels[k], touched_slots(slots[k])) for k in range(self._n + 1)]
        targets += [(self._cells[k], touched_slots(cells[k])) for k in range(len(cells))]
        for c, p, known in self._extreme_parts():
            values, valid = self._extreme_values(rows, c)
            for lvl, at in targets:  # a loop over levels, not rows
                step = plan(lvl, at, values, valid, signs, p, lvl.parts[known])
                if step is None:
                    return False
                plans.append((lvl, p, step))
        for lvl, p, (touched, new, counts) in plans:
            lvl.parts[p][touched] = new
            lvl.parts[count_part(p)][touched] = counts
        return True

    def _build(self, data: pa.Table) -> None:
        # One pass of Arrow's hash aggregation over the rows gives the finest
        # cells (every group and split key); partial sums add up, so every
        # coarser level is aggregated from those (few) cells, not the rows.
        gids, sids = self._ids(data)
        cols: dict[str, object] = {f"g{i}": ids for i, ids in enumerate(gids)}
        cols.update({f"s{j}": ids for j, ids in enumerate(sids)})
        keys = list(cols)
        skeys = [f"s{j}" for j in range(len(sids))]
        aggs: list[tuple] = [([], "count_all")]
        for i, c in enumerate(self._values):
            v = decoded(data.column(c))
            cols[f"v{i}"] = v
            aggs += [(f"v{i}", "sum"), (f"v{i}", "count")]
            if self._aggs[c] == "sum abs":
                cols[f"a{i}"] = pc.abs(v)
                aggs.append((f"a{i}", "sum"))
            if c in self._weights:
                x, w, both = self._weighted(data, c)
                cols[f"wx{i}"] = np.where(both, x * w, 0.0)
                cols[f"ww{i}"] = np.where(both, w, 0.0)
                cols[f"wm{i}"] = both.astype(np.int64)
                aggs += [(f"wx{i}", "sum"), (f"ww{i}", "sum"), (f"wm{i}", "sum")]
            if c in self._centre:
                d = pc.subtract(v.cast(pa.float64()), self._centre[c])
                cols[f"e{i}"], cols[f"q{i}"] = d, pc.multiply(d, d)
                aggs += [(f"e{i}", "sum"), (f"q{i}", "sum")]
            if self._aggs[c] in _EXTREMES:
                # high / low count a null as 0; high minus low skips nulls.
                cols[f"x{i}"] = v if self._aggs[c] in _SKIP_NULLS else pc.fill_null(v, 0)
                aggs += [(f"x{i}", "max"), (f"x{i}", "min")]
        finest = pa.table(cols).group_by(keys, use_threads=False).aggregate(aggs)
        out = {k: finest.column(k) for k in keys}
        out["#rows"] = finest.column("count_all")
        for i, c in enumerate(self._values):
            dt = pa.from_numpy_dtype(self._part_types[f"{c}#s"])
            out[f"{c}#s"] = pc.fill_null(finest.column(f"v{i}_sum"), 0).cast(dt)
            out[f"{c}#n"] = finest.column(f"v{i}_count").cast(pa.int64())
            if self._aggs[c] == "sum abs":
                out[f"{c}#a"] = pc.fill_null(finest.column(f"a{i}_sum"), 0).cast(dt)
            for m in ("e", "q") if c in self._centre else ():
                out[f"{c}#{m}"] = pc.fill_null(finest.column(f"{m}{i}_sum"), 0.0)
            for m in ("x", "w", "m") if c in self._weights else ():
                out[f"{c}#{m}"] = pc.fill_null(finest.column(f"w{m}{i}_sum"), 0)
            for p, fn in ((f"{c}#hi", "max"), (f"{c}#lo", "min")):
                if p in self._part_types:
                    empty = part_identity(p, self._part_types[p])
                    out[p] = pc.fill_null(finest.column(f"x{i}_{fn}").cast(dt), empty)
        work = pa.table(out)
        for k in range(self._n + 1):
            gkeys = [f"g{i}" for i in range(k)]
            self._place(work, gkeys, [])
            if skeys:
                self._place(work, gkeys, skeys)
        if self._distinct:
            slots = self._group_slots(gids, data.num_rows, self._n)
            for c, counts in self._distincts.items():
                counts.apply(data.column(c), slots, self._levels, f"{c}#d", 1)
        if self._has_extremes:
            slots, cells = self._slots(gids, sids, data.num_rows)
            for c, p, _ in self._extreme_parts():
                values, valid = self._extreme_values(data, c)
                for k in range(self._n + 1):  # a loop over levels, not rows
                    seed_counts(self._levels[k], slots[k], values, valid, p)
                    if cells:
                        seed_counts(self._cells[k], cells[k], values, valid, p)

    def _place(self, work: pa.Table, gkeys: list[str], skeys: list[str]) -> None:
        # Distinct counts and tie counts are kept from rows, not folded.
        names = [p for p in self._part_types if not p.endswith(("#d", "#hic", "#loc"))]
        fns = {p: _FOLD.get(p[p.rfind("#") :], "sum") for p in names}
        out = work.group_by(gkeys + skeys, use_threads=False).aggregate(
            [(p, fns[p]) for p in names]
        )
        n = out.num_rows
        gids = [out.column(g).to_numpy() for g in gkeys]
        sids = [out.column(s).to_numpy() for s in skeys]
        k = len(gkeys)
        slots = self._group_slots(gids, n, k)[k]
        cells = self._cells[k].locate(slots, self._combo_slots(sids, n), None) if skeys else None
        parts = {
            p: pc.fill_null(
                out.column(f"{p}_{fns[p]}").cast(pa.from_numpy_dtype(dt)), part_identity(p, dt)
            )
            .to_numpy()
            .astype(dt)
            for p, dt in self._part_types.items()
            if p in fns
        }
        if skeys:
            self._cells[k].assign(cells, parts)
        else:
            self._levels[k].assign(slots, parts)

    def is_empty(self) -> bool:
        """True when no rows are aggregated (the total row then shows Perspective's empties)."""
        return int(self._levels[0].parts["#rows"][0]) == 0

    # -- deltas --------------------------------------------------------------
    def apply(self, added: pa.Table | None, removed: pa.Table | None) -> bool:
        """Add rows added to and subtract rows removed from the (filtered) table.

        Returns False, changing nothing, when a removed row held its group's
        current high or low: the view then recomputes (the state cannot
        know the next extreme without the group's rows).
        """
        batches = [(r, s) for r, s in ((added, 1), (removed, -1)) if r is not None and r.num_rows]
        if len(batches) == 2 and added.schema == removed.schema:
            # One pass over both: half the lookups (an upsert removes and adds).
            sign = np.repeat(np.array([1, -1], np.int64), [added.num_rows, removed.num_rows])
            batches = [(pa.concat_tables([added, removed]), sign)]
        located = []
        for rows, sign in batches:
            gids, sids = self._ids(rows)
            slots, cells = self._slots(gids, sids, rows.num_rows)
            located.append((rows, sign, slots, cells))
        for rows, sign, slots, cells in located:
            # Extremes first: they read the row counts before the batch.
            if self._has_extremes and not self._apply_extremes(rows, sign, slots, cells):
                return False
            for c, counts in self._distincts.items():
                counts.apply(rows.column(c), slots, self._levels, f"{c}#d", sign)
            parts = self._parts(rows, sign)
            changed = False
            for k in range(self._n + 1):
                changed |= self._levels[k].add(slots[k], parts)
                if cells:
                    changed |= self._cells[k].add(cells[k], parts)
            self.shape += changed
        return True
