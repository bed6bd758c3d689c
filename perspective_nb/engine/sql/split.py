"""Split columns of a grouped view: every cell aggregated once, then pivoted.

A grouped view with ``split_by`` has one output column per split value
combination and value column. Aggregating each cell as a conditional
aggregate over every row (``SUM(CASE WHEN <split matches> THEN x END)``)
evaluates every condition on every row: ``values x columns`` expressions a
row, the cost of the whole query on a large table. Instead one ``GROUPING
SETS`` aggregates the rows by the group path *and* the split columns (each
cell exactly, whatever the aggregate: no re-aggregation), next to the plain
group sets (the row count and the sort keys, over every split value); a
second, small ``GROUP BY`` over those rows pivots each cell into its column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .dialect import Dialect


def split_match(
    split_by: Sequence[str], values: Sequence[Any], d: Dialect, names: Sequence[str] = ()
) -> str:
    """The condition a row meets for one split combination (``names``: the
    split columns' names in the row, when not their own)."""
    names = names or [d.ident(c) for c in split_by]
    return " AND ".join(d.same(n, d.literal(v)) for n, v in zip(names, values, strict=True))


def _select(items: list[tuple[str, str]]) -> str:
    return ", ".join(f"{expr} AS {alias}" for expr, alias in items)


def split_cells_sql(
    gb: Sequence[str],
    split_by: Sequence[str],
    split_values: Sequence[Sequence[Any]],
    values: list[str],
    keys: list[str],
    d: Dialect,
) -> tuple[str, list[tuple[str, str]]]:
    """``(cells CTE body, pivot select items)`` for a grouped, split view.

    Parameters
    ----------
    gb
        The group_by columns.
    split_by
        The split_by columns.
    split_values
        The split value combinations, in column order.
    values
        One aggregate expression per value column (over ``__pnb_base``).
    keys
        One aggregate expression per row sort (over every split value).
    d
        The SQL dialect.

    Returns
    -------
    The cells query (reads ``__pnb_base``; a row per group path per depth,
    ``__pnb_sg = 1``, and per group path and split combination,
    ``__pnb_sg = 0``), and the pivot's select items over it: the paths,
    ``__pnb_depth``, ``__pnb_rows``, ``__pnb_c{j}_{i}`` per split combination
    ``j`` and value column ``i``, and ``__pnb_k{s}`` per sort. The caller
    groups them by the paths and depth.
    """
    k_max = len(gb)
    # The split columns under names of their own: one may also be a group_by
    # column, and GROUPING() must tell its two roles apart.
    split = [f"__pnb_s{m}" for m in range(len(split_by))]
    copies = ", ".join(f"{d.ident(c)} AS {s}" for c, s in zip(split_by, split, strict=True))
    items = [(d.ident(g), f"__pnb_p{i}") for i, g in enumerate(gb)]
    items += [(s, s) for s in split]
    items.append((f"GROUPING({split[0]})", "__pnb_sg"))
    flags = " + ".join(f"GROUPING({d.ident(g)})" for g in gb)
    items.append((f"{k_max} - ({flags})", "__pnb_depth"))
    items.append(("COUNT(*)", "__pnb_rows"))
    items += [(v, f"__pnb_v{i}") for i, v in enumerate(values)]
    items += [(k, f"__pnb_k{s}") for s, k in enumerate(keys)]
    first = 0 if d.empty_set_total else 1
    plain = [[d.ident(g) for g in gb[:k]] for k in range(first, k_max + 1)]
    cells = [[*(d.ident(g) for g in gb[:k]), *split] for k in range(k_max + 1)]
    sets = ", ".join("(" + ", ".join(s) + ")" for s in plain + cells)
    rows = f"(SELECT *, {copies} FROM __pnb_base) AS __pnb_split"
    sql = f"SELECT {_select(items)} FROM {rows} GROUP BY GROUPING SETS ({sets})"
    if not d.empty_set_total:
        # The total row as a plain aggregate, which exists even over no rows.
        n = k_max + len(split)
        total = [("NULL", a) for _, a in items[:n]] + [("1", "__pnb_sg"), ("0", "__pnb_depth")]
        sql += f" UNION ALL SELECT {_select(total + items[n + 2 :])} FROM {rows}"
    whole = "__pnb_sg = 1"
    pivot = [(f"__pnb_p{i}", f"__pnb_p{i}") for i in range(k_max)]
    pivot.append(("__pnb_depth", "__pnb_depth"))
    pivot.append((f"MAX(CASE WHEN {whole} THEN __pnb_rows END)", "__pnb_rows"))
    for j, combo in enumerate(split_values):
        match = f"__pnb_sg = 0 AND {split_match(split_by, combo, d, split)}"
        for i in range(len(values)):
            pivot.append((f"MAX(CASE WHEN {match} THEN __pnb_v{i} END)", f"__pnb_c{j}_{i}"))
    for s in range(len(keys)):
        pivot.append((f"MAX(CASE WHEN {whole} THEN __pnb_k{s} END)", f"__pnb_k{s}"))
    return sql, pivot
