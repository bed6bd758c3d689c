"""5.x's columns of split views made from more pivots of the same rows.

``split_rollup_mode="rollup"`` shows, before each split value's columns,
those of its shorter split paths (the unsplit columns first), and the
percentages of a split_by of several columns divide a cell by the cell one
split level up. Both take the cells of the same view pivoted with fewer
split_by columns: the groups, and so the rows and their order, are the same
in each. The caller pivots (``pivot(config, rolled_up)``), so this module
does not import :mod:`.pivot`.

Pure pyarrow + numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .aggregate_registry import PERCENT
from .config import ViewConfig

__all__ = ["PCT", "rollup_columns", "split_percentages"]

#: The percentage aggregates (of the parent's / the total's sum).
PCT = PERCENT

#: ``pivot(config, rolled_up)``: the view's rows pivoted per ``config``; its
#: ``columns`` map ``"a|b|col"`` names to arrays over those rows.
Pivot = Callable[..., Any]


def split_percentages(
    columns: Mapping[str, pa.Array],
    split_values: list[tuple],
    data: pa.Table,
    config: ViewConfig,
    pivot: Pivot,
) -> dict[str, pa.Array]:
    """Percentages in the cells of a split_by of several columns, as 5.x
    computes them: ``pct sum parent`` of the cell one split level up in the
    same row, ``pct sum total`` of the grand total of all rows.

    Costs one pivot of the sums per split level."""
    m = len(config.split_by)
    aggs = config.aggregate_map
    pct_cols = [c for c in config.columns if aggs[c] in PCT]
    sums = tuple((c, "sum" if a in PCT else a) for c, a in config.aggregates)
    raw = [
        pivot(
            replace(config, aggregates=sums, split_by=config.split_by[:j], split_rollup_mode="flat")
        )
        for j in range(m + 1)
    ]
    out = dict(columns)
    for values in split_values:
        for c in pct_cols:
            name = "|".join((*values, c))
            numerator = raw[m].columns[name].cast(pa.float64())
            if aggs[c] == "pct sum parent":
                denom = raw[m - 1].columns["|".join((*values[:-1], c))].cast(pa.float64())
            else:
                total = pc.sum(data.column(c)).cast(pa.float64())
                denom = pa.array(np.full(len(numerator), total.as_py() or 0.0))
                if not total.is_valid:
                    denom = pa.nulls(len(numerator), pa.float64())
            out[name] = pc.multiply(pc.divide(numerator, denom), 100.0)
    return out


def rollup_columns(
    columns: Mapping[str, pa.Array],
    split_values: list[tuple],
    config: ViewConfig,
    pivot: Pivot,
) -> tuple[dict[str, pa.Array], list[tuple]]:
    """``split_rollup_mode="rollup"``: before the split columns of each split
    value, the columns of its shorter split paths, totals first, as 5.x
    lays them out (``x``, ``a|x``, ``a|p|x``, ``a|q|x``, ``b|x``...).

    Returns the columns and their split paths (``()`` for the unsplit ones).
    """
    m = len(config.split_by)
    prefixes = [
        pivot(
            replace(config, split_by=config.split_by[:j], split_rollup_mode="flat"),
            config.split_by[j:],
        ).columns
        for j in range(m)
    ]
    out = {c: prefixes[0][c] for c in config.columns}
    paths: list[tuple] = [()]
    for values in split_values:
        for j in range(1, m + 1):
            if values[:j] in paths:
                continue
            paths.append(values[:j])
            source = columns if j == m else prefixes[j]
            for c in config.columns:
                name = "|".join((*values[:j], c))
                out[name] = source[name]
    return out, paths
