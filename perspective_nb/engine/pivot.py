"""group_by / split_by: the pivoted result of a view, in Perspective's row order.

Each group_by level k (0 = the grand total) is aggregated separately from
the filtered rows (so every aggregate is exact, not a re-aggregation), on
value-ordered integer codes (:mod:`.encoding`). Rows are then ordered as a
tree: a parent before its children, siblings by the view's sort (on their
own aggregate values) and then by value, nulls first. Split columns are a
scatter of the (group, split) aggregates into one column per split path.

Pure pyarrow + numpy; no Python loop over rows (loops run over levels,
columns and split combinations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .aggregate_registry import AGGREGATES
from .aggregates import AggSpec, aggregate
from .config import ViewConfig
from .dtypes import decoded, zero_scalar
from .encoding import Encoded, encode, value_labels
from .split_columns import PCT, rollup_columns, split_percentages

__all__ = [
    "LazyColumns",
    "PivotFrame",
    "arrange",
    "compute_pivot",
    "empty_total",
    "row_sort_specs",
    "split_pct",
]


class LazyColumns(Mapping):
    """Output columns computed for just the rows a read asks for.

    ``fetch(names, rows)`` returns columns ``names`` at output rows ``rows``
    (one call for every column a read shows: the rows' positions are worked
    out once); a whole column is computed (and kept) only when asked for by name.
    """

    def __init__(self, names: list[str], fetch, n_rows: int) -> None:
        self._names = names
        self._fetch = fetch
        self._n = n_rows
        self._full: dict[str, pa.Array] = {}

    def __getitem__(self, name: str) -> pa.Array:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._full:
            self._full[name] = self._fetch([name], np.arange(self._n))[0]
        return self._full[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def take(self, names: list[str], rows: np.ndarray) -> dict[str, pa.Array]:
        """Columns ``names`` at output rows ``rows``."""
        return dict(zip(names, self._fetch(names, rows), strict=True))


@dataclass
class PivotFrame:
    """A materialised pivot: ``num_rows`` rows, each with a depth and a row path."""

    depth: np.ndarray
    paths: list[pa.Array]
    columns: dict[str, pa.Array] | LazyColumns
    split_values: list[tuple] = field(default_factory=list)
    # What arrange() derived from the set of groups alone (tree order, row
    # paths, split cell positions): reusable while that set is unchanged and
    # no sort looks at aggregate values.
    layout: tuple | None = None

    @property
    def num_rows(self) -> int:
        return len(self.depth)


def row_sort_specs(config: ViewConfig) -> list[tuple[str, str]]:
    """The sort entries that order rows (``col asc``/``col desc`` order columns)."""
    return [(c, d) for c, d in config.sort if d != "none" and not d.startswith("col")]


def _rank(values: pa.ChunkedArray | pa.Array, direction: str) -> np.ndarray:
    if direction.endswith("abs"):
        values = pc.fill_null(pc.abs(values), 0)  # abs sorts count a null as 0
    desc = direction.startswith("desc")
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if pa.types.is_floating(values.type):
        values = _significant(values)
    key = ("", "descending", "at_end") if desc else ("", "ascending", "at_start")
    r = pc.rank(values, sort_keys=[key], tiebreaker="dense")
    return r.to_numpy().astype(np.int64)


def _significant(values: pa.ChunkedArray | pa.Array, digits: int = 12) -> pa.Array:
    """Floats rounded to ``digits`` significant digits, so aggregates that are
    equal but for rounding noise (0.25 vs 0.24999999999999997) tie when groups
    are sorted, and keep their value order as Perspective shows them."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    a = values.to_numpy(zero_copy_only=False).astype(np.float64)
    finite = np.isfinite(a) & (a != 0)
    mag = np.zeros_like(a)
    mag[finite] = np.floor(np.log10(np.abs(a[finite])))
    scale = 10.0 ** (digits - 1 - mag)
    rounded = np.where(finite, np.round(a * scale) / scale, a)
    return pa.array(rounded, mask=values.is_null().to_numpy(zero_copy_only=False))


def _parent_index(child: pa.Table, parent: pa.Table, keys: list[str]) -> np.ndarray:
    """For each row of ``child``, the row of ``parent`` with the same ``keys`` codes."""
    if not keys:
        return np.zeros(child.num_rows, np.int64)
    left = child.select(keys).append_column("__row", pa.array(np.arange(child.num_rows)))
    right = parent.select(keys).append_column("__prow", pa.array(np.arange(parent.num_rows)))
    joined = left.join(right, keys, join_type="inner", use_threads=False)
    out = np.empty(child.num_rows, np.int64)
    out[joined.column("__row").to_numpy()] = joined.column("__prow").to_numpy()
    return out


def compute_pivot(
    data: pa.Table,
    schema: dict[str, str],
    config: ViewConfig,
    depth_limit: int | None,
    expanded: set[tuple],
    collapsed: set[tuple],
    rolled_up: tuple[str, ...] = (),
) -> PivotFrame:
    """Group, split, aggregate and order ``data`` (already filtered) per ``config``.

    ``rolled_up`` names the split_by columns a ``split_rollup_mode="rollup"``
    view splits further than ``config`` does: this pivot's cells roll up
    their cells (no leaf groups; ties broken in their order).
    """
    gb = list(config.group_by)
    n_levels = len(gb)
    aggs = config.aggregate_map
    sorts = row_sort_specs(config)
    value_cols = list(dict.fromkeys([*config.columns, *(c for c, _ in sorts)]))
    args = config.aggregate_arg_map
    specs = [AggSpec(c, c, aggs[c], schema[c], args.get(c)) for c in value_cols]

    genc = [encode(data.column(c)) for c in gb]
    senc = [encode(data.column(c)) for c in config.split_by]
    work_cols: dict[str, object] = {f"__g{i}": pa.array(e.codes) for i, e in enumerate(genc)}
    work_cols.update({f"__s{j}": pa.array(e.codes) for j, e in enumerate(senc)})
    ties = [f"__t{j}" for j in range(len(rolled_up))]
    for j, c in enumerate(rolled_up):
        work_cols[f"__t{j}"] = pa.array(encode(data.column(c)).codes)
    for c in [*value_cols, *(args[c] for c in value_cols if c in args)]:
        work_cols[c] = data.column(c)
    work = pa.table(work_cols)

    levels: list[pa.Table] = []
    for k in range(n_levels + 1):
        child = f"__g{k}" if k < n_levels else None
        agg_k = aggregate(
            work,
            [f"__g{i}" for i in range(k)],
            specs,
            child,
            False if rolled_up else None,
            # Rolled-up rows break ties by their children: groups in value
            # order, then split cells (the total row: split cells only).
            (ties if k == 0 else [*(f"__g{i}" for i in range(n_levels)), *ties])
            if rolled_up
            else None,
        )
        if k == 0 and work.num_rows == 0:
            agg_k = empty_total(agg_k, aggs, schema)
        levels.append(agg_k)
    split = None
    if config.split_by:
        skeys = [f"__s{j}" for j in range(len(senc))]
        value_specs = [s for s in specs if s.out in config.columns]

        done: dict[int, pa.Table] = {}

        def split_level(k: int) -> pa.Table:
            if k not in done:
                child = f"__g{k}" if k < n_levels else None
                gkeys = [f"__g{i}" for i in range(k)]
                done[k] = aggregate(work, gkeys + skeys, value_specs, child, True, ties)
            return done[k]

        split = (split_level, senc)
    frame = arrange(levels, genc, config, depth_limit, expanded, collapsed, split)
    if not config.split_by:
        return frame

    def again(cfg: ViewConfig, rolled_up: tuple[str, ...] = ()) -> PivotFrame:
        # The same rows pivoted with fewer split_by columns (split_columns.py)
        return compute_pivot(data, schema, cfg, depth_limit, expanded, collapsed, rolled_up)

    columns, split_values = frame.columns, frame.split_values
    if len(config.split_by) > 1 and any(aggs[c] in PCT for c in config.columns):
        columns = split_percentages(columns, split_values, data, config, again)
    if config.split_rollup_mode == "rollup":
        columns, split_values = rollup_columns(columns, split_values, config, again)
    return PivotFrame(frame.depth, frame.paths, columns, split_values, frame.layout)


def arrange(
    levels: list[pa.Table],
    genc: list[Encoded],
    config: ViewConfig,
    depth_limit: int | None,
    expanded: set[tuple],
    collapsed: set[tuple],
    split: tuple | None = None,
    parents: list[np.ndarray] | None = None,
    layout: tuple | None = None,
) -> PivotFrame:
    """Order aggregated levels as a tree and build the view's rows and columns.

    ``levels[k]`` holds one row per group at depth k: int32 code columns
    ``__g0..__g{k-1}`` (see :mod:`.encoding`) and one column per aggregated
    value column. ``split`` is ``(split_level, split encodings)`` for views
    with split_by, where ``split_level(k)`` aggregates level k by group and
    split codes (``__g*``, ``__s*``). ``parents[k]`` is each group's row in
    level k - 1, where the caller knows it (else it is found by a join).
    ``layout`` is a previous frame's ``layout`` over the same groups.
    """
    n_levels = len(config.group_by)
    aggs = config.aggregate_map
    sorts = row_sort_specs(config)
    value_cols = list(dict.fromkeys([*config.columns, *(c for c, _ in sorts)]))

    # Each group's parent; then the rolled-up values the view sorts by.
    if parents is None:
        parents = [np.zeros(1, np.int64)] + [
            _parent_index(levels[k], levels[k - 1], [f"__g{i}" for i in range(k - 1)])
            for k in range(1, n_levels + 1)
        ]
    _tree_order_aggregates(levels, parents, aggs, value_cols, n_levels)
    if layout is None:
        level_arr, row_arr, paths = _tree(
            levels, parents, genc, config, depth_limit, expanded, collapsed
        )
        split_layout = None
    else:
        level_arr, row_arr, paths, split_layout = layout
    if not config.split_by:
        columns = {
            c: _gather(
                [_pct(levels, parents, k, c, aggs[c]) for k in range(n_levels + 1)],
                level_arr,
                row_arr,
            )
            for c in config.columns
        }
        return PivotFrame(level_arr, paths, columns, layout=(level_arr, row_arr, paths, None))
    split_level, senc = split
    if split_layout is None:
        split_layout = _split_layout(
            split_level, senc, levels, parents, level_arr, row_arr, n_levels
        )

    def row_sums(c: str) -> tuple[pa.Array, pa.Scalar]:
        # Each shown row's own (unsplit) sum, and the grand total's.
        per_level = [levels[k].column(c) for k in range(n_levels + 1)]
        return _gather(per_level, level_arr, row_arr), levels[0].column(c)[0]

    columns, split_values = _split_columns(
        split_layout, split_level, config, level_arr, aggs, row_sums
    )
    return PivotFrame(
        level_arr, paths, columns, split_values, layout=(level_arr, row_arr, paths, split_layout)
    )


def _tree(levels, parents, genc, config, depth_limit, expanded, collapsed):
    """The shown rows in tree order: (level of each row, its row in that level, row paths)."""
    n_levels = len(config.group_by)
    sorts = row_sort_specs(config)

    # Rank siblings within their parent.
    ranks: list[np.ndarray] = [np.zeros((1, 0), np.int64)]  # ranks[k]: (n_k, k) path ranks
    for k in range(1, n_levels + 1):
        agg_k = levels[k]
        parent_ranks = ranks[k - 1][parents[k]]
        primary = [parent_ranks[:, i] for i in range(k - 1)]
        primary += [_rank(agg_k.column(c), d) for c, d in sorts]
        primary.append(agg_k.column(f"__g{k - 1}").to_numpy().astype(np.int64))
        order = np.lexsort(primary[::-1])
        own = np.empty(agg_k.num_rows, np.int64)
        own[order] = np.arange(agg_k.num_rows)
        ranks.append(np.column_stack([parent_ranks, own]) if k > 1 else own[:, None])
    shown = _shown_levels(config, n_levels)
    if config.group_rollup_mode == "flat":
        # Flat mode shows every leaf whatever the depth or expansion (as 5.x).
        visible = [np.ones(lvl.num_rows, bool) for lvl in levels]
    else:
        visible = _visibility(levels, parents, genc, depth_limit, expanded, collapsed, n_levels)

    # Order the union of the shown levels as a tree (parents first: pad with -1).
    path_rows, level_of, row_of = [], [], []
    for k in shown:
        keep = np.nonzero(visible[k])[0]
        padded = np.full((len(keep), n_levels), -1, np.int64)
        padded[:, :k] = ranks[k][keep]
        path_rows.append(padded)
        level_of.append(np.full(len(keep), k, np.int64))
        row_of.append(keep)
    all_paths = np.concatenate(path_rows) if path_rows else np.zeros((0, n_levels), np.int64)
    level_arr = np.concatenate(level_of) if level_of else np.zeros(0, np.int64)
    row_arr = np.concatenate(row_of) if row_of else np.zeros(0, np.int64)
    order = np.lexsort(all_paths.T[::-1]) if n_levels else np.arange(len(level_arr))
    level_arr, row_arr = level_arr[order], row_arr[order]
    return level_arr, row_arr, _row_paths(levels, genc, level_arr, row_arr, n_levels)


def _shown_levels(config: ViewConfig, n_levels: int) -> list[int]:
    if config.group_rollup_mode == "total":
        return [0]
    if config.group_rollup_mode == "flat":
        return [n_levels]
    return list(range(n_levels + 1))


def _visibility(levels, parents, genc, depth_limit, expanded, collapsed, n_levels):
    """Which rows of each level are visible, given depth limit and expand/collapse state."""
    limit = n_levels if depth_limit is None else depth_limit
    visible = [np.ones(1, bool)]
    is_open = [np.array([(limit > 0 and () not in collapsed) or () in expanded])]
    for k in range(1, n_levels + 1):
        pidx = parents[k]
        vis = visible[k - 1][pidx] & is_open[k - 1][pidx]
        opened = np.full(levels[k].num_rows, k < limit)
        for path in collapsed:
            if len(path) == k:
                opened &= ~_match(levels[k], genc, path)
        for path in expanded:
            if len(path) == k:
                opened |= _match(levels[k], genc, path)
        visible.append(vis)
        is_open.append(opened)
    return visible


def _match(level: pa.Table, genc: list[Encoded], path: tuple) -> np.ndarray:
    hit = np.ones(level.num_rows, bool)
    for i, value in enumerate(path):
        codes = level.column(f"__g{i}").to_numpy()
        hit &= codes == genc[i].code_of(value)
    return hit


def _row_paths(levels, genc, level_arr, row_arr, n_levels) -> list[pa.Array]:
    paths = []
    for i in range(n_levels):
        codes = np.zeros(len(level_arr), np.int64)
        for k in range(i + 1, n_levels + 1):
            sel = level_arr == k
            if sel.any():
                codes[sel] = levels[k].column(f"__g{i}").to_numpy()[row_arr[sel]]
        paths.append(genc[i].decode(codes))
    return paths


def _concat(columns: list[pa.ChunkedArray]) -> pa.Array:
    # Chunks, not ChunkedArrays: pa.chunked_array() would iterate those value by value.
    chunks = [
        chunk
        for col in columns
        for chunk in (col.chunks if isinstance(col, pa.ChunkedArray) else [col])
    ]
    return pa.chunked_array(chunks, columns[0].type).combine_chunks()


def _gather(per_level: list[pa.ChunkedArray], level_arr, row_arr) -> pa.Array:
    """Pick ``per_level[level][row]`` for each output row (vectorised via one take)."""
    offsets = np.concatenate([[0], np.cumsum([len(c) for c in per_level])])
    flat = _concat([decoded(c) for c in per_level])
    return flat.take(pa.array(offsets[level_arr] + row_arr))


def _pct(levels, parents, k, col, agg) -> pa.ChunkedArray:
    values = levels[k].column(col)
    if agg not in ("pct sum parent", "pct sum grand total"):
        return values
    base = (
        levels[0].column(col)
        if agg == "pct sum grand total" or k == 0
        else levels[k - 1].column(col)
    )
    if agg == "pct sum parent" and k == 0:
        # The root is all of itself (null when its sum is: only nulls).
        full = pa.array(np.full(len(values), 100.0))
        return pc.if_else(pc.is_valid(values), full, pa.nulls(len(values), pa.float64()))
    idx = np.zeros(len(values), np.int64) if agg == "pct sum grand total" else parents[k]
    denom = base.take(pa.array(idx)).cast(pa.float64())
    return pc.multiply(pc.divide(values.cast(pa.float64()), denom), 100.0)


def _split_layout(split_level, senc, levels, parents, level_arr, row_arr, n_levels):
    """Where each (row, split combination) cell's aggregates sit: the part of the
    columns that depends only on which cells exist."""
    skeys = [f"__s{j}" for j in range(len(senc))]
    # The total level holds one cell per split combination present.
    combos = split_level(0).select(skeys)
    if combos.num_rows == 0:
        return None
    cmat = np.column_stack([combos.column(k).to_numpy().astype(np.int64) for k in skeys])
    corder = np.lexsort(cmat.T[::-1])
    cmat = cmat[corder]
    radix = [int(cmat[:, j].max()) + 1 for j in range(cmat.shape[1])]

    def ckey(m):
        acc = np.zeros(len(m), np.int64)
        for j, r in enumerate(radix):
            acc = acc * r + m[:, j]
        return acc

    combo_keys = ckey(cmat)
    labels = [value_labels(e, cmat[:, j]) for j, e in enumerate(senc)]
    n_out = len(level_arr)
    # final position of (level, row) pairs
    final_pos = {k: np.full(levels[k].num_rows, -1, np.int64) for k in range(n_levels + 1)}
    for k in range(n_levels + 1):
        sel = np.nonzero(level_arr == k)[0]
        final_pos[k][row_arr[sel]] = sel

    used: list[int] = []
    pos = np.full((n_out, len(combo_keys)), -1, np.int64)
    offset = 0
    for k in range(n_levels + 1):
        if not (level_arr == k).any():
            continue
        gkeys = [f"__g{i}" for i in range(k)]
        s_k = split_level(k)
        pidx = _parent_index(s_k, levels[k], gkeys)
        rows = final_pos[k][pidx]
        smat = np.column_stack([s_k.column(c).to_numpy().astype(np.int64) for c in skeys])
        cidx = np.searchsorted(combo_keys, ckey(smat))
        ok = rows >= 0
        pos[rows[ok], cidx[ok]] = offset + np.nonzero(ok)[0]
        used.append(k)
        offset += s_k.num_rows
    denominators = _pct_denominators(level_arr, row_arr, parents, final_pos, n_levels)
    return labels, pos, used, denominators


def _split_columns(split_layout, split_level, config, level_arr, aggs, row_sums):
    """One column per (split combination, value column), filled from the cells.

    A percentage is of the row's own sum (``pct sum parent``) or of the
    grand total (``pct sum total``), as 5.x divides a split cell; with
    more than one split_by column, :func:`_split_percentages` redoes them.
    """
    if split_layout is None:
        return {}, []
    labels, pos, used, _ = split_layout
    parts = [split_level(k) for k in used]
    columns: dict[str, pa.Array] = {}
    split_values = []
    flats = {c: _concat([decoded(p.column(c)) for p in parts]) for c in config.columns}
    for j in _column_order(config, flats, pos, level_arr):
        label = "|".join(lab[j] for lab in labels)
        split_values.append(tuple(lab[j] for lab in labels))
        idx = pa.array(pos[:, j], mask=pos[:, j] < 0)
        for c in config.columns:
            values = flats[c].take(idx)
            if aggs[c] in PCT:
                own, grand = row_sums(c)
                if aggs[c] == "pct sum parent":
                    denom = own.cast(pa.float64())
                else:
                    denom = pa.array(np.full(len(values), grand.as_py() or 0.0))
                    denom = denom if grand.is_valid else pa.nulls(len(values), pa.float64())
                values = split_pct(values, denom, aggs[c])
            columns[f"{label}|{c}"] = values
    return columns, split_values


def split_pct(values: pa.Array, denom: pa.Array, agg: str) -> pa.Array:
    """A split cell's percentage of ``denom``."""
    return pc.multiply(pc.divide(values.cast(pa.float64()), denom), 100.0)


def _pct_denominators(level_arr, row_arr, parents, final_pos, n_levels) -> dict[str, np.ndarray]:
    """Output row of each row's parent and of the total (-1 where not shown)."""
    parent_out = np.arange(len(level_arr))  # the total row is its own parent
    for k in range(1, n_levels + 1):
        sel = np.nonzero(level_arr == k)[0]
        parent_out[sel] = final_pos[k - 1][parents[k][row_arr[sel]]]
    totals = np.nonzero(level_arr == 0)[0]
    total_out = np.full(len(level_arr), totals[0] if len(totals) else -1)
    return {"pct sum parent": parent_out, "pct sum grand total": total_out}


def _column_order(config, flats, pos, level_arr) -> list[int]:
    """Split paths in value order, or by their total for a ``col asc``/``col desc`` sort."""
    n_combos = pos.shape[1]
    col_sorts = [(c, d) for c, d in config.sort if d.startswith("col") and c in flats]
    totals = np.nonzero(level_arr == 0)[0]
    if not col_sorts or not len(totals) or not n_combos:
        return list(range(n_combos))
    col, direction = col_sorts[0]
    at = pos[totals[0]]
    values = flats[col].take(pa.array(at, mask=at < 0))
    if direction.endswith("abs"):
        values = pc.abs(values)
    desc = "desc" in direction
    key = ("v", "descending" if desc else "ascending", "at_end" if desc else "at_start")
    return pc.sort_indices(pa.table({"v": values}), sort_keys=[key]).to_pylist()


# Aggregates whose group rows take a child's value: Perspective rolls "last"
# and "any" up from the last / first child in value order.
_TREE_ORDER = {
    n: -1 if a.tree_rollup == "last" else 0 for n, a in AGGREGATES.items() if a.tree_rollup
}


def _tree_order_aggregates(levels, parents, aggs, value_cols, n_levels) -> None:
    cols = [c for c in value_cols if aggs[c] in _TREE_ORDER]
    if not cols or n_levels == 0:
        return
    for k in range(n_levels - 1, -1, -1):
        child, pidx = levels[k + 1], parents[k + 1]
        if child.num_rows == 0:
            continue
        # Children in value order (the view's sort does not change the rollup).
        own = child.column(f"__g{k}").to_numpy()
        for c in cols:
            if aggs[c] == "any":
                # The first child (as shown) holding a truthy value, else the
                # first: not the type's zero (what a child with none shows).
                values = decoded(child.column(c))
                if pa.types.is_boolean(values.type):
                    truthy = values
                else:
                    truthy = pc.not_equal(values, _zero_like(values.type))
                truthy = pc.fill_null(truthy, False).to_numpy(zero_copy_only=False)
                order = np.lexsort((own, ~truthy, pidx))
            else:
                order = np.lexsort((own, pidx))  # children by parent, then as shown
            p_sorted = pidx[order]
            starts = np.flatnonzero(np.r_[True, p_sorted[1:] != p_sorted[:-1]])
            ends = np.r_[starts[1:], len(order)] - 1
            pick = order[starts] if _TREE_ORDER[aggs[c]] == 0 else order[ends]
            rows = np.full(levels[k].num_rows, -1, np.int64)
            rows[p_sorted[starts]] = pick
            values = child.column(c).take(pa.array(rows, mask=rows < 0))
            idx = levels[k].column_names.index(c)
            levels[k] = levels[k].set_column(idx, c, values)


def _zero_like(t: pa.DataType) -> pa.Scalar:
    """The zero "any" shows for a group with no truthy value, as a scalar of type ``t``."""
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return zero_scalar("string", t)
    if pa.types.is_date(t):
        return zero_scalar("date", t)
    if pa.types.is_timestamp(t):
        return zero_scalar("datetime", t)
    return zero_scalar("float" if pa.types.is_floating(t) else "integer", t)


# The total row of an empty view: counts are 0, "pick a value" aggregates
# show the type's zero, sums and statistics are null (as Perspective does).
_EMPTY = {n: a.empty for n, a in AGGREGATES.items()}


def empty_total(agg: pa.Table, aggs: dict[str, str], schema: dict[str, str]) -> pa.Table:
    """The total row of a view with no rows, from a one-row table of its aggregates."""
    cols = {}
    for c in agg.column_names:
        col = agg.column(c)
        empty = _EMPTY.get(aggs.get(c))
        if empty == "own":
            cols[c] = col
        elif empty == "zero":
            # pa.repeat: the date zero (year 0) has no Python value
            cols[c] = pa.repeat(zero_scalar(schema[c], decoded(col).type), 1)
        elif empty == "empty text":
            cols[c] = pa.array([""])
        elif empty in ("true", "false"):
            cols[c] = pa.array([empty == "true"])  # all of nothing is true, any false
        else:
            cols[c] = pa.nulls(1, col.type)
    return pa.table(cols)
