"""The key index of a store's delta: each live delta row's key, sorted, in two runs.

An upsert looks up every key of its batch among the delta's rows, and adds
the batch's keys to the index. One sorted array would need a copy of the
whole index per write (an insertion shifts what follows): O(delta) per
write, which at a delta of 100,000 rows tripled the cost of a ten-row tick.
As a log-structured merge tree keeps a small sorted run beside a big one,
:class:`DeltaIndex` holds

- ``big``: sorted keys with their delta rows, rebuilt only when ``small``
  outgrows its limit (about ``8 * sqrt(len(big))`` entries, at least
  2,048): one O(delta) merge every O(sqrt(delta)) writes;
- ``small``: the keys written since, sorted, copied on each write
  (O(small + batch)).

A key written again is in ``small``, and ``small`` wins over ``big``: a
stale entry of ``big`` is dropped when the runs merge. Both runs are
immutable numpy arrays, so each store version keeps its own index and
readers need no lock. :meth:`merged` gives the one sorted run that ranked
reads (a flat view's window, a compaction) walk, computed once per version.

Pure numpy.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DeltaIndex", "merge_sorted"]

_MIN_SMALL = 2048


class DeltaIndex:
    """Keys of the live delta rows -> those rows (see the module docstring)."""

    __slots__ = ("_merged", "big_keys", "big_rows", "small_keys", "small_rows")

    def __init__(
        self,
        big_keys: np.ndarray,
        big_rows: np.ndarray,
        small_keys: np.ndarray,
        small_rows: np.ndarray,
    ) -> None:
        self.big_keys, self.big_rows = big_keys, big_rows
        self.small_keys, self.small_rows = small_keys, small_rows
        self._merged: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def empty(cls, dtype: np.dtype) -> DeltaIndex:
        keys, rows = np.zeros(0, dtype), np.zeros(0, np.int64)
        return cls(keys, rows, keys, rows)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The delta row holding each of ``keys``, -1 where none does."""
        rows = np.full(len(keys), -1, np.int64)
        # The small run last: a key in both was written again, and that wins.
        for run_keys, run_rows in (
            (self.big_keys, self.big_rows),
            (self.small_keys, self.small_rows),
        ):
            if len(run_keys):
                pos = np.searchsorted(run_keys, keys)
                ok = pos < len(run_keys)
                ok[ok] = run_keys[pos[ok]] == keys[ok]
                rows[ok] = run_rows[pos[ok]]
        return rows

    def with_writes(self, keys: np.ndarray, rows: np.ndarray) -> DeltaIndex:
        """This index with ``keys`` (sorted, distinct) now at delta ``rows``."""
        small_keys, small_rows = _supersede(self.small_keys, self.small_rows, keys, rows)
        limit = max(_MIN_SMALL, 8 * math.isqrt(len(self.big_keys)))
        if len(small_keys) <= limit:
            return DeltaIndex(self.big_keys, self.big_rows, small_keys, small_rows)
        big_keys, big_rows = _supersede(self.big_keys, self.big_rows, small_keys, small_rows)
        return DeltaIndex(big_keys, big_rows, small_keys[:0], small_rows[:0])

    def merged(self) -> tuple[np.ndarray, np.ndarray]:
        """Every live key, sorted, with its delta row (one run; kept per version)."""
        if self._merged is None:
            if len(self.small_keys) == 0:
                self._merged = (self.big_keys, self.big_rows)
            else:
                self._merged = _supersede(
                    self.big_keys, self.big_rows, self.small_keys, self.small_rows
                )
        return self._merged


def _supersede(
    keys: np.ndarray, rows: np.ndarray, new_keys: np.ndarray, new_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted ``keys`` with ``new_keys`` (sorted, distinct) added, replacing
    the entries of keys they repeat: O(len(keys) + len(new_keys))."""
    if len(keys) and len(new_keys):
        pos = np.searchsorted(keys, new_keys)
        dup = pos < len(keys)
        dup[dup] = keys[pos[dup]] == new_keys[dup]
        if dup.any():
            keep = np.ones(len(keys), bool)
            keep[pos[dup]] = False
            keys, rows = keys[keep], rows[keep]
    return merge_sorted(keys, rows, new_keys, new_rows)


def merge_sorted(
    keys: np.ndarray, rows: np.ndarray, new_keys: np.ndarray, new_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Insert sorted ``new_keys`` (with their rows) into sorted ``keys``: one pass each."""
    if len(new_keys) == 0:
        return keys, rows
    if len(keys) == 0:
        return new_keys, new_rows
    if new_keys[0] > keys[-1]:  # keys arriving in order (a growing id): an append
        return np.concatenate([keys, new_keys]), np.concatenate([rows, new_rows])
    at = np.searchsorted(keys, new_keys) + np.arange(len(new_keys))
    out_keys = np.empty(len(keys) + len(new_keys), keys.dtype)
    out_rows = np.empty(len(out_keys), np.int64)
    old = np.ones(len(out_keys), bool)
    old[at] = False
    out_keys[old], out_keys[at] = keys, new_keys
    out_rows[old], out_rows[at] = rows, new_rows
    return out_keys, out_rows
