"""Which rows of a table's main part are live: a paged, copy-on-write bit mask.

A write that overwrites k rows of main must publish a new mask without
changing the one older readers hold. Copying one flat mask costs O(N) per
write (1 MB at 1M rows: most of a ten-row tick); :class:`LiveMask` keeps the
mask in pages of ``PAGE`` rows instead, shared between versions, and a
write copies only the pages it touches (at most k pages of 16 KB). A page
that was never written is ``None``: all of its rows live.
"""

from __future__ import annotations

import numpy as np

__all__ = ["LiveMask"]

_SHIFT = 14
PAGE = 1 << _SHIFT  # rows per page
_FEW = 32  # up to this many positions, a plain loop beats grouping them by page


class LiveMask:
    """Liveness of ``size`` rows; immutable (``kill`` returns a new mask).

    Examples
    --------
    >>> m = LiveMask(5).kill(np.array([1, 3]))
    >>> m.array().tolist(), m.count
    ([True, False, True, False, True], 3)
    """

    __slots__ = ("_array", "_cum", "count", "pages", "size")

    def __init__(self, size: int, pages: list | None = None, count: int | None = None) -> None:
        self.size = size
        self.pages: list[np.ndarray | None] = (
            pages if pages is not None else [None] * ((size + PAGE - 1) >> _SHIFT)
        )
        self.count = size if count is None else count
        self._array: np.ndarray | None = None
        self._cum: np.ndarray | None = None

    @classmethod
    def from_array(cls, live: np.ndarray) -> LiveMask:
        """A mask holding ``live`` (a bool array, copied into pages)."""
        size = len(live)
        pages: list[np.ndarray | None] = []
        for start in range(0, size, PAGE):  # a loop over pages, not rows
            page = live[start : start + PAGE]
            pages.append(None if page.all() else page.copy())
        return cls(size, pages, int(np.count_nonzero(live)))

    def _page(self, p: int) -> np.ndarray:
        page = self.pages[p]
        if page is None:
            return np.ones(min(PAGE, self.size - (p << _SHIFT)), bool)
        return page

    def kill(self, positions: np.ndarray) -> LiveMask:
        """A new mask with the rows at ``positions`` dead (copies only their pages)."""
        if len(positions) == 0:
            return self
        if len(positions) <= _FEW:
            return self._kill_few(positions)
        positions = np.asarray(positions, np.int64)
        if len(positions) * 4 >= len(self.pages):
            return self._kill_many(positions)
        page_of = positions >> _SHIFT
        order = np.argsort(page_of, kind="stable")
        page_of, positions = page_of[order], positions[order]
        touched, starts = np.unique(page_of, return_index=True)
        bounds = np.append(starts, len(positions))
        pages = list(self.pages)  # references: O(N / PAGE)
        died = 0
        for i, p in enumerate(touched.tolist()):  # a loop over touched pages, not rows
            page = self._page(p).copy()
            offsets = positions[bounds[i] : bounds[i + 1]] & (PAGE - 1)
            before = np.count_nonzero(page)  # positions may repeat: count what changed
            page[offsets] = False
            died += int(before - np.count_nonzero(page))
            pages[p] = page
        return LiveMask(self.size, pages, self.count - died)

    def _kill_many(self, positions: np.ndarray) -> LiveMask:
        # Positions on most pages: one copy of the whole mask (memcpy speed)
        # beats copying page by page; the new pages are views of that copy,
        # which no older mask shares.
        flat = self.array().copy()
        died = int(np.count_nonzero(flat[np.unique(positions)]))
        flat[positions] = False
        pages: list[np.ndarray | None] = [
            flat[start : start + PAGE] for start in range(0, self.size, PAGE)
        ]  # a loop over pages, not rows
        mask = LiveMask(self.size, pages, self.count - died)
        mask._array = flat
        return mask

    def _kill_few(self, positions: np.ndarray) -> LiveMask:
        # A loop over at most _FEW positions (a tick of a live feed): a few
        # microseconds, where the vectorised grouping by page costs ~50.
        pages = list(self.pages)
        copied: set[int] = set()
        died = 0
        for pos in positions.tolist():
            p, offset = pos >> _SHIFT, pos & (PAGE - 1)
            if p not in copied:
                pages[p] = self._page(p).copy()
                copied.add(p)
            page = pages[p]
            if page[offset]:
                page[offset] = False
                died += 1
        return LiveMask(self.size, pages, self.count - died)

    def gather(self, positions: np.ndarray) -> np.ndarray:
        """Liveness of the rows at ``positions`` (O(len(positions)) plus touched pages)."""
        positions = np.asarray(positions, np.int64)
        out = np.ones(len(positions), bool)
        if len(positions) == 0 or self.count == self.size:
            return out
        if self._array is not None:
            return self._array[positions]
        if len(positions) <= 8 * _FEW:
            # A loop over at most 8 * _FEW positions (~0.2 us each); see _kill_few.
            pages = self.pages
            for i, pos in enumerate(positions.tolist()):
                page = pages[pos >> _SHIFT]
                if page is not None:
                    out[i] = page[pos & (PAGE - 1)]
            return out
        if len(positions) > self.size >> 6:
            return self.array()[positions]  # a large batch: one flat mask is cheaper
        page_of = positions >> _SHIFT
        order = np.argsort(page_of, kind="stable")
        touched, starts = np.unique(page_of[order], return_index=True)
        bounds = np.append(starts, len(positions))
        for i, p in enumerate(touched.tolist()):  # a loop over touched pages, not rows
            page = self.pages[p]
            if page is not None:
                at = order[bounds[i] : bounds[i + 1]]
                out[at] = page[positions[at] & (PAGE - 1)]
        return out

    def _cumulative(self) -> np.ndarray:
        """Live rows before each page (and in all, last): O(pages), once per mask."""
        if self._cum is None:
            counts = [PAGE if page is None else int(np.count_nonzero(page)) for page in self.pages]
            if self.pages and self.pages[-1] is None:
                counts[-1] = self.size - ((len(self.pages) - 1) << _SHIFT)
            self._cum = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
        return self._cum

    def rank(self, position: int) -> int:
        """Live rows at positions before ``position``."""
        p, offset = position >> _SHIFT, position & (PAGE - 1)
        if p >= len(self.pages):
            return self.count
        page = self.pages[p]
        within = offset if page is None else int(np.count_nonzero(page[:offset]))
        return int(self._cumulative()[p]) + within

    def select(self, start: int, end: int) -> np.ndarray:
        """Positions of the live rows of ranks ``start`` to ``end`` (exclusive)."""
        end = min(end, self.count)
        if start >= end:
            return np.zeros(0, np.int64)
        cum = self._cumulative()
        p = int(np.searchsorted(cum, start, side="right")) - 1
        out, need, skip = [], end - start, start - int(cum[p])
        while need > 0:  # a loop over the pages the window spans, not rows
            page = self.pages[p]
            base = p << _SHIFT
            if page is None:
                n = min(PAGE, self.size - base)
                live = np.arange(base + skip, base + min(n, skip + need), dtype=np.int64)
            else:
                live = np.flatnonzero(page)[skip : skip + need] + base
            out.append(live)
            need -= len(live)
            skip = 0
            p += 1
        return np.concatenate(out)

    def array(self) -> np.ndarray:
        """The whole mask as one bool array (made once per mask; do not modify it)."""
        if self._array is None:
            if not self.pages:
                self._array = np.ones(0, bool)
            else:
                self._array = np.concatenate([self._page(p) for p in range(len(self.pages))])
        return self._array
