"""Reading a GroupState: its groups as pivot levels and its aggregates per shown row.

:class:`GroupOutputs` is the read side of :class:`.incremental.GroupState`
(which keeps the partial sums, see that module): it turns each slot's
parts into aggregate values (sums, means, variances, weighted means,
extremes, counts, percentages), lays the shown groups out as the tables
:func:`.pivot.arrange` orders, and computes the aggregates of just the rows
a read shows once a layout is cached.

Pure pyarrow + numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .aggregate_registry import names_where
from .encoding import Encoded
from .pivot import split_pct

if TYPE_CHECKING:
    from .group_index import Slots

__all__ = ["GroupOutputs"]

_MOMENTS = names_where(incremental="moments")
_MEMO_LIMIT = 256  # entries of a state's read memo (viewports, shown slots) per shape
_WEIGHTED = names_where(incremental="weighted")


class GroupOutputs:
    """The read side of a GroupState (a mixin: the state holds the attributes read here)."""

    # -- output ----------------------------------------------------------------
    def levels(self) -> tuple[list[pa.Table], list[Encoded], list[np.ndarray]]:
        """Shown groups per level in the form :func:`~.pivot.arrange` takes,
        their encodings, and each group's parent row in the level above."""
        ranked = [cd.ranked() for cd in self._coders]
        genc = [Encoded(np.zeros(0, np.int32), values) for _, values in ranked]
        out, parents, shown_rows = [], [np.zeros(1, np.int64)], []
        for k, lvl in enumerate(self._levels):
            keep = self._shown(k)  # the rows a cached layout's lazy reads refer to
            shown_rows.append(keep)
            cols = {f"__g{i}": pa.array(ranked[i][0][lvl.path[keep, i]]) for i in range(k)}
            cols.update(self._outputs({p: a[keep] for p, a in lvl.parts.items()}))
            # A level table needs a column to have rows (a view may show no columns).
            out.append(pa.table(cols) if cols else pa.table({"#": np.zeros(len(keep))}))
            if k:
                row_in_parent = np.full(self._levels[k - 1].size, -1, np.int64)
                row_in_parent[shown_rows[k - 1]] = np.arange(len(shown_rows[k - 1]))
                parents.append(row_in_parent[lvl.parent[keep]])
        return out, genc, parents

    def split_levels(self) -> tuple[list[pa.Table], list[Encoded]]:
        """Per level, one row per shown (group, split values) cell: group codes
        ``__g*``, split codes ``__s*`` and the aggregates; and the split encodings."""
        granked = [cd.ranked() for cd in self._coders]
        sranked = [cd.ranked() for cd in self._split_coders]
        senc = [Encoded(np.zeros(0, np.int32), values) for _, values in sranked]
        combo_path = self._combos[-1].path
        out = []
        for k, cells in enumerate(self._cells):
            keep = self._shown_cells(k)
            group = cells.parent[keep]
            combo = cells.path[keep, 0]
            cols = {
                f"__g{i}": pa.array(granked[i][0][self._levels[k].path[group, i]]) for i in range(k)
            }
            for j in range(len(sranked)):
                cols[f"__s{j}"] = pa.array(sranked[j][0][combo_path[combo, j]])
            cols.update(self._outputs({p: a[keep] for p, a in cells.parts.items()}))
            out.append(pa.table(cols))
        return out, senc

    def _outputs(self, parts: dict[str, np.ndarray]) -> dict[str, pa.Array]:
        names = (*self._counts, *self._distinct, *self._values)
        return {c: self._output(c, parts) for c in names}

    def _output(self, c: str, parts: dict[str, np.ndarray]) -> pa.Array:
        """Aggregate ``c`` of the groups whose partial sums are ``parts``."""
        if c in self._counts:
            return pa.array(parts["#rows"])
        if c in self._distinct:
            return pa.array(parts[f"{c}#d"]).cast(pa.uint32())  # Perspective's type
        a = self._aggs[c]
        total = parts[f"{c}#s"]
        if a in ("high", "low"):
            return pa.array(parts[f"{c}#hi" if a == "high" else f"{c}#lo"]).cast(
                self._value_types[c]
            )
        if a in ("min", "max"):
            # max skips nulls; a group holding a null has min null (5.x).
            n = parts[f"{c}#n"]
            missing = (n == 0) | ((parts["#rows"] != n) if a == "min" else False)
            extreme = parts[f"{c}#hi" if a == "max" else f"{c}#lo"]
            return pa.array(np.where(missing, 0, extreme), mask=missing).cast(self._value_types[c])
        if a in _WEIGHTED:
            # Null where no row has both values, or the weights sum to 0.
            w = parts[f"{c}#w"]
            none = (parts[f"{c}#m"] == 0) | (w == 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                return pa.array(parts[f"{c}#x"] / np.where(none, 1.0, w), mask=none)
        if a in _MOMENTS:
            # Population variance of the non-null values; null below two (Arrow's min_count).
            n = parts[f"{c}#n"]
            m = np.where(n == 0, 1, n)
            with np.errstate(invalid="ignore"):
                e = parts[f"{c}#e"]
                var = np.maximum((parts[f"{c}#q"] - e * e / m) / m, 0.0)
            return pa.array(var if a == "var" else np.sqrt(var), mask=n < 2)
        if a == "high minus low":
            # Null where a group holds a null (or no value), as the recomputed path says.
            missing = (parts["#rows"] != parts[f"{c}#n"]) | (parts[f"{c}#n"] == 0)
            diff = parts[f"{c}#hi"] - parts[f"{c}#lo"]
            return pa.array(np.where(missing, 0, diff), mask=missing).cast(self._value_types[c])
        if a in ("avg", "mean"):
            n = parts[f"{c}#n"]
            # A group with no non-null values has no mean (null), as in Arrow's mean.
            with np.errstate(invalid="ignore", divide="ignore"):
                return pa.array(total / np.where(n == 0, 1, n), mask=n == 0)
        if a in ("sum or zero", "sum not null"):
            return pa.array(total)
        # A sum over no values (only nulls) is null, as in Perspective 5.x.
        none = parts[f"{c}#n"] == 0
        if a == "abs sum":
            return pa.array(np.abs(total), mask=none)
        if a == "sum abs":
            return pa.array(parts[f"{c}#a"], mask=none)
        return pa.array(total, mask=none)

    def columns_at(self, names: list[str], level: np.ndarray, row: np.ndarray) -> list[pa.Array]:
        """Output columns ``names`` at shown rows given as (level, row among
        that level's shown groups), as :func:`~.pivot.arrange` lays them out:
        O(rows asked for), not O(groups)."""
        wanted = list(dict.fromkeys(p for c in names for p in self._part_names(c)))
        pct = [c for c in names if self._aggs[c] in ("pct sum parent", "pct sum grand total")]
        parts = {p: np.zeros(len(level), self._part_types[p]) for p in wanted}
        where = self._level_rows(level, row)
        for at, k, slots in where:  # a loop over levels, not rows
            lvl = self._levels[k]
            for p in wanted:
                parts[p][at] = lvl.parts[p][slots]
        out = []
        for c in names:
            own = {p: parts[p] for p in self._part_names(c)}
            out.append(self._pct(c, own, where) if c in pct else self._output(c, own))
        return out

    def _pct(self, c: str, parts: dict[str, np.ndarray], where: list) -> pa.Array:
        """A percentage column: each row's sum over its parent's (or the grand total's)."""
        agg = self._aggs[c]
        base = np.zeros(len(parts[f"{c}#s"]), np.float64)
        root = np.zeros(len(base), bool)
        for at, k, slots in where:  # a loop over levels, not rows
            if agg == "pct sum parent" and k == 0:
                root[at] = True  # the root is all of itself
            elif agg == "pct sum grand total" or k == 0:
                base[at] = self._levels[0].parts[f"{c}#s"][0]
            else:
                lvl = self._levels[k]
                base[at] = self._levels[k - 1].parts[f"{c}#s"][lvl.parent[slots]]
        with np.errstate(invalid="ignore", divide="ignore"):
            values = parts[f"{c}#s"].astype(np.float64) / base * 100.0
        values[root] = 100.0
        return pa.array(values, mask=parts[f"{c}#n"] == 0)

    def split_columns_at(
        self,
        wanted: list[tuple[str, int]],
        layout: tuple,
        rows: np.ndarray,
        level: np.ndarray,
        row: np.ndarray,
    ) -> list[pa.Array]:
        """Split columns (value column ``c``, combination ``j``) at output
        rows ``rows`` of a cached split layout (see :func:`.pivot._split_layout`),
        which are rows ``row`` of levels ``level``. The cells of every
        column asked for are found together."""
        _, pos, used, _ = layout
        combos = list(dict.fromkeys(j for _, j in wanted))
        column = {j: i for i, j in enumerate(combos)}
        # Combination-major: the cells of combination i are rows [i*n, (i+1)*n).
        cells = pos[rows][:, combos].T.ravel()  # -1: no such cell
        names = list(dict.fromkeys(p for c, _ in wanted for p in self._part_names(c)))
        parts = self._cell_parts(names, cells, used, self._cell_offsets(used))
        missing = cells < 0
        by_column = {}  # one output per value column, for all its combinations
        for c in dict.fromkeys(c for c, _ in wanted):
            values = self._output(c, {p: parts[p] for p in self._part_names(c)})
            if missing.any():
                values = pc.if_else(pa.array(~missing), values, pa.nulls(len(cells), values.type))
            by_column[c] = values
        n = len(rows)
        return [
            self._split_pct(c, by_column[c].slice(column[j] * n, n), level, row) for c, j in wanted
        ]

    def _split_pct(self, c: str, values: pa.Array, level: np.ndarray, row: np.ndarray) -> pa.Array:
        agg = self._aggs[c]
        if agg == "pct sum parent":
            # A share of the row's own sum (5.x).
            return split_pct(values, self._row_sums(c, level, row), agg)
        if agg == "pct sum grand total":
            total = self._row_sums(c, np.zeros(1, np.int64), np.zeros(1, np.int64))[0]
            n = len(values)
            denom = pa.array(np.full(n, total.as_py() or 0.0), mask=np.full(n, not total.is_valid))
            return split_pct(values, denom, agg)
        return values

    def _row_sums(self, c: str, level: np.ndarray, row: np.ndarray) -> pa.Array:
        """The sums of ``c`` of shown rows (level, row among its shown groups)."""
        sums = np.zeros(len(level), np.float64)
        none = np.zeros(len(level), bool)
        for at, k, slots in self._level_rows(level, row):  # a loop over levels, not rows
            sums[at] = self._levels[k].parts[f"{c}#s"][slots]
            none[at] = self._levels[k].parts[f"{c}#n"][slots] == 0
        return pa.array(sums, mask=none)

    def _cell_parts(
        self, names: list[str], p: np.ndarray, used: list[int], offsets: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Parts ``names`` of the cells at positions ``p`` of the layout (-1:
        none, which reads as an empty cell)."""
        parts = {n: np.zeros(len(p), self._part_types[n]) for n in names}
        memo, key = self._memo(), ("cells", p.tobytes(), tuple(used))
        where = memo.get(key)
        if where is None:
            where = []
            ok = np.flatnonzero(p >= 0)
            which = np.searchsorted(offsets, p[ok], side="right") - 1
            for u in np.unique(which):  # a loop over levels, not rows
                at = ok[which == u]
                k = used[u]
                where.append((at, k, self._shown_cells(k)[p[at] - offsets[u]]))
            memo[key] = where
        for at, k, slots in where:  # a loop over levels, not rows
            cells = self._cells[k].parts
            for n in names:
                parts[n][at] = cells[n][slots]
        return parts

    def _level_rows(self, level: np.ndarray, row: np.ndarray) -> list:
        """(positions in the read, level k, slots) for each level among shown
        rows (level, row among its shown groups)."""
        memo, key = self._memo(), ("rows", level.tobytes(), row.tobytes())
        where = memo.get(key)
        if where is None:
            where = []
            for k in np.unique(level):  # a loop over levels, not rows
                at = np.flatnonzero(level == k)
                where.append((at, int(k), self._shown(k)[row[at]]))
            memo[key] = where
        return where

    def _memo(self) -> dict:
        """What reads work out from the set of shown groups alone (which slots
        are shown, where a viewport's rows and cells are): kept while that set
        holds still (``shape``), so a read after a write that moved only
        values gathers them and nothing else."""
        if self._shown_memo[0] != self.shape:
            self._shown_memo = (self.shape, {})
        memo = self._shown_memo[1]
        if len(memo) > _MEMO_LIMIT:  # many viewports between two shapes: start over
            memo.clear()
        return memo

    def _cell_offsets(self, used: list[int]) -> np.ndarray:
        """Where each used level's shown cells start in a split layout (per shape)."""
        memo = self._memo()
        key = ("offsets", tuple(used))
        if key not in memo:
            memo[key] = np.cumsum([0] + [len(self._shown_cells(k)) for k in used])
        return memo[key]

    def _shown_cells(self, k: int) -> np.ndarray:
        return self._shown_slots("cells", k, self._cells[k])

    def _part_names(self, c: str) -> list[str]:
        """The parts column ``c``'s output reads (fixed for a state: remembered)."""
        names = self._names_of.get(c)
        if names is None:
            if c in self._counts:
                names = ["#rows"]
            else:
                names = [p for p in self._part_types if p.startswith(f"{c}#")]
                if self._aggs[c] in ("high minus low", "min"):
                    names.append("#rows")  # a group holding a null shows null
            self._names_of[c] = names
        return names

    def _shown(self, k: int) -> np.ndarray:
        """Slots of level k's shown (non-empty) groups, in slot order."""
        if k == 0:
            return np.zeros(1, np.int64)
        return self._shown_slots("levels", k, self._levels[k])

    def _shown_slots(self, kind: str, k: int, slots: Slots) -> np.ndarray:
        # Non-empty slots change only with the shape: remember them per shape.
        memo = self._memo()
        if (kind, k) not in memo:
            memo[kind, k] = np.flatnonzero(slots.parts["#rows"] != 0)
        return memo[kind, k]
