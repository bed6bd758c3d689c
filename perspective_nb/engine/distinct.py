"""Incremental ``distinct count``: rows per (group, value), and each group's distinct values.

A distinct count cannot be kept as a partial sum: a value seen again in a
group adds nothing, and a removed row lowers the count only when it was its
value's last row in that group. :class:`DistinctCounts` keeps, per group_by
level, a :class:`~.group_index.Slots` of (group slot, value id) pairs with
their row counts; a write adds its rows' signs into their pairs and moves
each group's distinct count by the pairs that became non-empty or empty
(O(delta log pairs) per level). Null counts as a value, as the recomputed
aggregate counts it.

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .group_index import Coder, Slots

__all__ = ["DistinctCounts"]


class DistinctCounts:
    """Row counts per (group, value) of one column, at every group_by level."""

    def __init__(self, dtype: pa.DataType, levels: int) -> None:
        self._coder = Coder(dtype)
        self._pairs = [Slots(1, {"#c": np.dtype(np.int64)}) for _ in range(levels)]

    def apply(
        self,
        values: pa.ChunkedArray,
        level_slots: list[np.ndarray],
        levels: list[Slots],
        part: str,
        sign: int | np.ndarray,
    ) -> None:
        """Add rows (``sign`` +1) or remove them (-1): ``level_slots[k]`` are
        the rows' group slots at level k; ``levels[k].parts[part]`` the groups'
        distinct counts, moved by the pairs that appeared or emptied."""
        ids = self._coder.ids(values)
        signs = np.broadcast_to(np.asarray(sign, np.int64), (len(ids),))
        for k, pairs in enumerate(self._pairs):  # a loop over levels, not rows
            at = pairs.locate(level_slots[k], ids, None)
            touched = np.unique(at)
            counts = pairs.parts["#c"]
            before = counts[touched] > 0
            np.add.at(counts, at, signs)
            moved = (counts[touched] > 0).astype(np.int64) - before
            np.add.at(levels[k].parts[part], pairs.parent[touched], moved)
