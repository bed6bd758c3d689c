"""Group rows that take a child's value: Perspective's ``last`` and ``any`` roll-ups.

Perspective does not aggregate ``last`` and ``any`` over a group's rows: a
group row shows the value of its last child (``last``) or of its first
child holding a truthy value (``any``), children in value order (nulls
first) whatever the view's sort, recursively down to the leaves. So a group
row's value is one leaf's: the leaf with the greatest path (``last``), or
the truthy leaf with the least path, else the least leaf (``any``). A window over the row and
its descendants (partitioned by the row's path, as the tree order's windows
are) picks that leaf.
"""

from __future__ import annotations

__all__ = ["rollup_sql"]


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
