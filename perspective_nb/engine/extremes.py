"""Running highs and lows of grouped views, with the number of rows tied at them.

An extreme cannot be "un-added": when a write removes a row holding its
group's high, only the group's rows can tell the next one. Counting the
rows tied at each slot's extreme (part ``#hic`` beside ``#hi``, ``#loc``
beside ``#lo``) makes that rare: removing one of several rows at the high
leaves the high as it is, and only removing the last of them, while older
rows remain, is a loss the view must recompute (``plan`` returns None).
Small integer columns tie at their extreme on thousands of rows, so
without the count nearly every batch recomputed.

Numpy (and Arrow to read a column): the per-slot work is ``np.unique`` / ``ufunc.at`` over a batch.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .group_index import Slots, part_identity

__all__ = ["count_part", "extreme_values", "plan", "seed_counts", "touched_slots"]


def count_part(part: str) -> str:
    """The name of the tie-count part of extreme part ``part`` (``#hi`` -> ``#hic``)."""
    return part + "c"


def _ufunc(part: str) -> np.ufunc:
    return np.maximum if part.endswith("#hi") else np.minimum


def seed_counts(
    slots: Slots, row_slots: np.ndarray, values: np.ndarray, valid: np.ndarray, part: str
) -> None:
    """Count the rows equal to each slot's extreme (after a build placed the extremes)."""
    at = valid & (values == slots.parts[part][row_slots])
    np.add.at(slots.parts[count_part(part)], row_slots[at], 1)


def extreme_values(
    col: pa.Array | pa.ChunkedArray, dtype: np.dtype, skip_nulls: bool
) -> tuple[np.ndarray, np.ndarray]:
    """A column as an extreme reads it: its values, and whether each takes
    part (``skip_nulls``: nulls do not; else a null counts as 0, as high / low have it)."""
    if not col.null_count:
        return col.to_numpy().astype(dtype, copy=False), np.ones(len(col), bool)
    if skip_nulls:
        valid = pc.is_valid(col).to_numpy(zero_copy_only=False)
    else:
        valid = np.ones(len(col), bool)
    return pc.fill_null(col, 0).to_numpy(zero_copy_only=False).astype(dtype), valid


def touched_slots(row_slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct slots of a batch's rows, and each row's index among them
    (worked out once per level, shared by every extreme part)."""
    if len(row_slots) and (row_slots == row_slots[0]).all():  # the grand total, one group
        return row_slots[:1], np.zeros(len(row_slots), np.intp)
    touched, inv = np.unique(row_slots, return_inverse=True)
    return touched, inv.ravel()


def plan(
    slots: Slots,
    touched: tuple[np.ndarray, np.ndarray],
    values: np.ndarray,
    valid: np.ndarray,
    sign: np.ndarray,
    part: str,
    known: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """A batch's new extreme and tie count for every slot it touches.

    ``touched`` is :func:`touched_slots` of the batch's rows; ``values`` /
    ``valid`` / ``sign`` are per row of the batch (sign +1 added, -1
    removed); ``known[slot]`` counts the rows that take part in the extreme
    before the batch (rows, or non-null rows). Returns ``(touched slots,
    extremes, counts)``, or None when a slot lost the last row at its
    extreme while other rows remain.
    """
    touched, inv = touched
    dtype = slots.parts[part].dtype
    identity = part_identity(part, dtype)
    cur = slots.parts[part][touched]
    ties = slots.parts[count_part(part)][touched].copy()
    removed = (sign < 0) & valid
    added = (sign > 0) & valid
    at_extreme = removed & (values == cur[inv])
    np.subtract.at(ties, inv[at_extreme], 1)
    old_left = known[touched].copy()
    np.subtract.at(old_left, inv[removed], 1)
    lost = ties <= 0
    if (lost & (old_left > 0)).any():
        return None  # the next extreme is among the group's other rows
    base = np.where(lost, identity, cur).astype(dtype)
    batch = np.full(len(touched), identity, dtype)
    _ufunc(part).at(batch, inv[added], values[added])
    new = _ufunc(part)(base, batch)
    hits = np.zeros(len(touched), np.int64)
    np.add.at(hits, inv[added & (values == new[inv])], 1)
    kept = np.where(lost, 0, ties)
    counts = np.where(new == base, kept, 0) + hits
    return touched, new, counts
