"""Windows over the tree of a grouped query: which rows show, roll-ups, percentages.

Every tree row carries its depth and its path (``__pnb_p0``...); a window
partitioned by the first k path values and ``depth >= k`` holds a depth-k
row and all its descendants, so a row can read its ancestors' values.

``visible_terms``: depth limits and expand / collapse as WHERE terms.
``percent_sql``: ``pct sum parent`` / ``pct sum grand total``.
``rollup_sql``: group rows that take a child's value, Perspective's
``last`` and ``any`` roll-ups:

Perspective does not aggregate ``last`` and ``any`` over a group's rows: a
group row shows the value of its last child (``last``) or of its first
child holding a truthy value (``any``), children in value order (nulls
first) whatever the view's sort, recursively down to the leaves. So a group
row's value is one leaf's: the leaf with the greatest path (``last``), or
the truthy leaf with the least path, else the least leaf (``any``); a
window over the row and its descendants picks that leaf.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dialect import Dialect

__all__ = ["TreeState", "percent_sql", "rollup_sql", "visible_terms"]


@dataclass(frozen=True)
class TreeState:
    """Which group rows are shown: the depth limit and expanded / collapsed paths."""

    depth: int | None = None
    expanded: frozenset = frozenset()
    collapsed: frozenset = frozenset()


def rollup_sql(alias: str, agg: str, k_max: int) -> str:
    """The rolled-up value of column ``alias`` (aggregate ``agg``) for every tree row."""
    leaf = f"CASE WHEN __pnb_depth = {k_max} THEN {alias} END"
    cases = []
    for k in range(k_max):
        part = ", ".join([*(f"__pnb_p{i}" for i in range(k)), f"(__pnb_depth >= {k})"])
        if agg == "last":
            first = f"CASE WHEN __pnb_depth = {k_max} THEN 0 ELSE 1 END"
            path = [f"__pnb_p{i} DESC NULLS LAST" for i in range(k, k_max)]
        else:  # any: the first truthy leaf
            first = (
                f"CASE WHEN __pnb_depth <> {k_max} THEN 2 "
                f"WHEN COALESCE({alias} <> 0, FALSE) THEN 0 ELSE 1 END"
            )
            path = [f"__pnb_p{i} ASC NULLS FIRST" for i in range(k, k_max)]
        window = f"PARTITION BY {part} ORDER BY {', '.join([first, *path])}"
        cases.append(f"WHEN {k} THEN FIRST_VALUE({leaf}) OVER ({window})")
    # A total row over no rows keeps its own value (the type's zero).
    return (
        f"CASE WHEN __pnb_rows = 0 THEN {alias} ELSE CASE __pnb_depth "
        f"{' '.join(cases)} ELSE {alias} END END"
    )


def percent_sql(value: str, agg: str, k_max: int, split: bool = False) -> str:
    """``value`` as a percentage of its parent's (or the total row's) value.

    The total row is 100% of itself, except in split columns, where it is
    divided by itself like any other row (0 / 0 is null).
    """
    x = f"CAST({value} AS DOUBLE)"

    def of(k: int) -> str:
        # The value of a row's depth-k ancestor, beside the row itself.
        part = ", ".join([*(f"__pnb_p{i}" for i in range(k)), f"(__pnb_depth >= {k})"])
        return f"MIN(CASE WHEN __pnb_depth = {k} THEN {x} END) OVER (PARTITION BY {part})"

    if agg == "pct sum grand total":
        return f"(100.0 * {x} / NULLIF({of(0)}, 0))"
    cases = " ".join(
        f"WHEN {k} THEN 100.0 * {x} / NULLIF({of(k - 1)}, 0)" for k in range(1, k_max + 1)
    )
    root = f"100.0 * {x} / NULLIF({x}, 0)" if split else "100.0"
    return f"(CASE __pnb_depth WHEN 0 THEN {root} {cases} END)"


def visible_terms(n_levels: int, tree: TreeState, group_types: list[str], d: Dialect) -> list[str]:
    """WHERE terms: every ancestor of a row is open (depth limit, expand, collapse)."""
    limit = n_levels if tree.depth is None else tree.depth
    out = []
    for j in range(n_levels):

        def hit(path: tuple, j: int = j) -> str:
            terms = [d.same(f"__pnb_p{i}", d.literal(v)) for i, v in enumerate(path)]
            return "(" + " AND ".join(terms) + ")" if terms else "TRUE"

        collapsed = [hit(p) for p in tree.collapsed if len(p) == j]
        expanded = [hit(p) for p in tree.expanded if len(p) == j]
        is_open = "TRUE" if j < limit else "FALSE"
        if collapsed:
            is_open = f"({is_open} AND NOT ({' OR '.join(collapsed)}))"
        if expanded:
            is_open = f"({is_open} OR {' OR '.join(expanded)})"
        if is_open != "TRUE":
            out.append(f"(__pnb_depth <= {j} OR {is_open})")
    return out
