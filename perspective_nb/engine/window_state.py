"""Window columns kept up to date across table writes (kernels: :mod:`.window_compute`).

A window's value depends only on the rows of its own partition, so after a
write only the partitions the write touched can change. :class:`WindowColumn`
keeps, for one window of a view and one table version:

- the window's values in table order (``result``);
- per table row: its partition id (:class:`.window_rows.Partitions`), its
  order key (numbers, dates and times as one sortable numpy value), its
  position in its partition's frame order and, for indexed tables, its key
  (the table's rows are in key order);
- per partition: its size, and the last ``context`` rows in frame order (the
  rows a row appended after them reads: ``rows: k`` reads k, ``lag`` /
  ``lead`` / ``diff`` ``offset``).

A write's row deltas (added rows, removed rows: an upsert removes the old
version and adds the new one) move those per-row arrays to the new row
positions (appends and a limit's drops by slicing; otherwise one
searchsorted merge of the written keys, O(N) numpy gathers) and name the
partitions touched (those of every added and removed row). Then, against
the new table:

- a partition whose new rows all sort after its old last row and that lost
  no row (the streaming case: order by time, new rows arrive later) is
  computed over its kept context rows plus the new rows only: O(batch +
  frame); for ``lead`` the context rows are rewritten too (they now see the
  new rows ahead), for ``row_number`` the old size is added;
- a partition whose only change is rows upserted in place (same partition
  and order key, so every frame position stays) is computed over the
  frames that hold those rows only (``rows: k``: positions f - k .. f + k);
- any other touched partition is recomputed whole (one kernel call over
  the rows of all of them), and only those rows are written back;
- cumulative / range frames, ``ema`` and (in place) ``row_number`` have no
  bounded reach, so their touched partitions are recomputed whole.

The view falls back to a full recompute (:meth:`WindowColumn.build`) when
the table was replaced or cleared, rows were removed by position from an
unindexed table, keys are not orderable (null keys), more than half the rows
sit in touched partitions (one sort of everything is then cheaper), or the
window reads an expression that is not row-local (its every value may change).

Pure pyarrow + numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .store import _sortable_keys
from .window_compute import FrameOrder, compute_window
from .window_rows import (
    Partitions,
    Unsupported,
    context_size,
    gather,
    order_keys,
    plain,
    span,
)
from .windows import WindowSpec

__all__ = ["WindowColumn"]

_MAX_CONTEXT = 1024  # larger frames recompute their touched partitions whole
# Past this fraction of the rows in touched partitions, recompute everything.
FULL_FRACTION = 0.5


class WindowColumn:
    """One window's values, kept in step with the table (see the module docstring).

    ``stats`` counts full builds and the rows the last write computed over
    (``rows``: recomputed partitions, context and new rows) out of the
    table's (``of``), for tests and benchmarks.
    """

    def __init__(self, spec: WindowSpec, out_type: pa.DataType, index: str | None) -> None:
        self.spec = spec
        self.out_type = out_type
        self.index = index
        self.needed = list(
            dict.fromkeys(
                [spec.column, *spec.partition_by, *([spec.order_by[0]] if spec.order_by else [])]
            )
        )
        context = context_size(spec)
        self.context = context if context is not None and context <= _MAX_CONTEXT else None
        self.span = span(spec, self.context)
        self.stats = {"builds": 0, "rows": 0, "of": 0}

    # -- full computation ------------------------------------------------------
    def build(self, data: pa.Table) -> pa.Array:
        """Compute the window over every row of ``data`` and keep its state."""
        self.stats["builds"] += 1
        self.stats["rows"] = self.stats["of"] = data.num_rows
        sub = data.select(self.needed)
        order = FrameOrder(sub, self.spec)
        self.result = plain(
            compute_window(sub, self.spec, self.out_type, order)
        )  # decoded: parts concatenate
        self.ok = True
        try:
            self.parts = Partitions(self.spec.partition_by)
            self.pid = self.parts.ids(sub)
            spec = self.spec
            self.okey = (
                order_keys(sub.column(spec.order_by[0]), spec.order_by[1] == "desc")
                if spec.order_by
                else None
            )
            self.keys = None
            if self.index is not None:
                self.keys = _sortable_keys(data.column(self.index))
                if self.keys is None:
                    raise Unsupported("keys binary search cannot order")
        except Unsupported:
            self.ok = False
            return self.result
        k = self.context or 0
        self.size = np.zeros(self.parts.count, np.int64)
        self.tail = np.full((self.parts.count, max(k, 1)), -1, np.int64)
        self.fpos = np.full(data.num_rows, -1, np.int64)  # position in its partition's frame order
        self._refresh(np.arange(data.num_rows), order, whole=True)
        return self.result

    def _grow(self) -> None:
        extra = self.parts.count - len(self.size)
        if extra > 0:
            self.size = np.concatenate([self.size, np.zeros(extra, np.int64)])
            self.tail = np.vstack([self.tail, np.full((extra, self.tail.shape[1]), -1, np.int64)])

    def _refresh(self, rows: np.ndarray, order: FrameOrder, whole: bool) -> None:
        """Partition sizes, frame positions and last rows from a computation over ``rows``.

        ``whole``: ``rows`` hold whole partitions (else a context plus new rows).
        """
        if not len(rows):
            return
        pid_sorted = self.pid[rows][order.perm]
        local = np.bincount(order.pid)
        from_end = local[order.pid] - 1 - (np.arange(order.n) - order.start)
        last = from_end == 0
        if whole:
            self.size[pid_sorted[last]] = local
        self.fpos[rows[order.perm]] = self.size[pid_sorted] - 1 - from_end
        width = self.tail.shape[1]
        self.tail[pid_sorted[last]] = -1
        keep = from_end < width
        self.tail[pid_sorted[keep], width - 1 - from_end[keep]] = rows[order.perm[keep]]

    # -- incremental update ------------------------------------------------------
    def update(self, deltas: list, data: pa.Table) -> pa.Array:
        """The window over ``data`` after ``deltas`` (``(added, removed)`` per write)."""
        if not self.ok:
            return self.build(data)
        try:
            return self._update(deltas, data)
        except Unsupported:
            return self.build(data)

    def _move(self, added: pa.Table | None, removed: pa.Table | None):
        """Move the per-row arrays to the row positions after one write.

        Returns how to move other per-row arrays (``moved(old, new rows)``),
        whether the survivors stayed one run at the front, the rows dropped
        from the front (then), the rows added, and the partitions of the rows
        removed other than by an upsert in place (same partition and order
        key: such a new version takes over the old one's frame position).
        """
        n = len(self.pid)
        new_pid = self.parts.ids(added) if added is not None else np.empty(0, np.int64)
        self._grow()
        new_okey = self.okey[:0] if self.okey is not None else None
        if self.okey is not None and added is not None:
            spec = self.spec
            new_okey = order_keys(added.column(spec.order_by[0]), spec.order_by[1] == "desc")
        m = len(new_pid)
        # Survivors either stay in one run (rows [drop, n) -> [0, n - drop), new
        # rows after them: appends, a limit's drops, an append-only key stream),
        # which moves by slicing (memcpy speed), or are scattered (O(N) gathers).
        drop, keep_idx, mid_pos = 0, None, None
        rewrite = None  # positions rewritten when a write's keys are all old ones
        add_order = np.arange(m)
        add_keys = None
        if self.keys is None:  # unindexed: appends at the end; a limit drops the oldest rows
            if added is None and removed is not None:
                raise Unsupported("rows removed by position")
            drop = removed.num_rows if removed is not None else 0
            add_pos = np.arange(n - drop, n - drop + m)
            lost = self.pid[:drop]
            new_fpos = np.full(m, -1, np.int64)
            rep_old = rep_new = np.empty(0, np.int64)
        else:
            keep = None
            if removed is not None and removed.num_rows:
                gone = _sortable_keys(removed.column(self.index))
                if gone is None:
                    raise Unsupported("removed keys are not orderable")
                at = np.searchsorted(self.keys, gone)
                if (at >= n).any() or (self.keys[np.minimum(at, n - 1)] != gone).any():
                    raise Unsupported("a removed key is not in the kept keys")
                keep = np.ones(n, bool)
                keep[at] = False
            else:
                at = np.empty(0, np.int64)
            add_keys = (
                _sortable_keys(added.column(self.index))
                if added is not None
                else self.keys[:0].copy()
            )
            if add_keys is None:
                raise Unsupported("added keys are not orderable")
            add_order = np.argsort(add_keys, kind="stable")
            if m and m == len(at):
                rows = np.sort(at)
                if np.array_equal(self.keys[rows], add_keys[add_order]):
                    # The same keys rewritten: every row keeps its position.
                    rewrite = rows
            if rewrite is None:
                mid = self.keys if keep is None else self.keys[keep]
                ins = np.searchsorted(mid, add_keys[add_order])
                add_pos = ins + np.arange(m)
            else:
                add_pos = rewrite
            # Upserts in place: a new version of a removed key in the same
            # partition with the same order key keeps its frame position.
            new_fpos = np.full(m, -1, np.int64)
            rep_old = rep_new = np.empty(0, np.int64)
            replaced = np.zeros(len(at), bool)
            if len(at) and m:
                gone_keys = self.keys[at]
                _, gi, ai = np.intersect1d(gone_keys, add_keys, return_indices=True)
                same = self.pid[at[gi]] == new_pid[ai]
                if self.okey is not None:
                    same &= self.okey[at[gi]] == new_okey[ai]
                elif self.spec.order_by:
                    same[:] = False  # text order keys are not kept: cannot tell
                gi, ai = gi[same], ai[same]
                replaced[gi] = True
                new_fpos[ai] = self.fpos[at[gi]]
                where_added = np.empty(m, np.int64)
                where_added[add_order] = add_pos
                rep_old, rep_new = at[gi], where_added[ai]
            lost = self.pid[at[~replaced]]
            if rewrite is None and (keep is not None or (m and ins[0] < len(mid))):
                keep_idx = np.arange(n) if keep is None else np.flatnonzero(keep)
                # Survivor j moves right by the number of new keys below it.
                shift = np.cumsum(np.bincount(ins, minlength=len(mid) + 1))[: len(mid)]
                mid_pos = np.arange(len(mid)) + shift
        total = n - drop + m if keep_idx is None else len(keep_idx) + m

        def moved(old: np.ndarray, new: np.ndarray) -> np.ndarray:
            if rewrite is not None:  # one copy, then the rewritten rows
                out = old.copy()
                out[rewrite] = new[add_order]
                return out
            if keep_idx is None:
                return np.concatenate([old[drop:], new[add_order]])
            out = np.empty(total, dtype=old.dtype)
            out[mid_pos] = old[keep_idx]
            out[add_pos] = new[add_order]
            return out

        def remap(rows: np.ndarray) -> np.ndarray:
            """Kept table rows (-1: none) at their new positions (-1: removed)."""
            if rewrite is not None:
                return rows  # a rewritten row's new version sits where it was
            if keep_idx is None:
                return np.where(rows >= drop, rows - drop, -1)
            out = np.full_like(rows, -1)
            if len(keep_idx):
                at = np.minimum(np.searchsorted(keep_idx, rows), len(keep_idx) - 1)
                out = np.where((rows >= 0) & (keep_idx[at] == rows), mid_pos[at], -1)
            if len(rep_old):  # a row upserted in place: its new version's position
                o = np.argsort(rep_old)
                at = np.minimum(np.searchsorted(rep_old[o], rows), len(o) - 1)
                out = np.where((rows >= 0) & (rep_old[o][at] == rows), rep_new[o][at], out)
            return out

        self.pid = moved(self.pid, new_pid)
        if self.okey is not None:
            self.okey = moved(self.okey, new_okey)
        if add_keys is not None and rewrite is None:
            self.keys = moved(self.keys, add_keys)
        self.fpos = moved(self.fpos, new_fpos)
        self.tail = remap(self.tail)
        return moved, keep_idx is None and rewrite is None, drop, m, lost

    def _update(self, deltas: list, data: pa.Table) -> pa.Array:
        n_old = len(self.pid)
        # The cached row of every current row (-1: written since). While every
        # write keeps the survivors as one run at the front (appends, a limit's
        # drops, new keys past the last), it is just rows [first, first + kept)
        # followed by ``appended`` new rows, and no O(N) array is needed.
        orig: np.ndarray | None = None
        first, kept, appended = 0, n_old, 0
        lost = [np.empty(0, np.int64)]  # partitions that lost a row (not in place)
        for added, removed in deltas:
            moved, in_run, drop, m, gone_parts = self._move(added, removed)
            lost.append(gone_parts)
            if orig is None and in_run:
                gone = min(drop, kept)  # the oldest rows go first, then new ones
                first, kept, appended = first + gone, kept - gone, appended - (drop - gone) + m
                continue
            if orig is None:
                orig = np.concatenate([np.arange(first, first + kept), np.full(appended, -1)])
            orig = moved(orig, np.full(m, -1, np.int64))
        n = kept + appended if orig is None else len(orig)
        if n != data.num_rows:
            raise Unsupported("the deltas do not add up to the table")
        written = np.arange(kept, n) if orig is None else np.flatnonzero(orig < 0)
        lost_parts = np.unique(np.concatenate(lost))
        # New rows (no frame position yet) and new versions of rows in place.
        in_place = self.fpos[written] >= 0
        fresh, changed = written[~in_place], written[in_place]
        fresh_parts, changed_parts = np.unique(self.pid[fresh]), np.unique(self.pid[changed])
        touched = np.union1d(np.union1d(fresh_parts, changed_parts), lost_parts)
        tail_parts = self._tail_parts(fresh, np.union1d(lost_parts, changed_parts))
        inplace_parts = np.empty(0, np.int64)
        if self.span is not None:
            inplace_parts = np.setdiff1d(changed_parts, np.union1d(lost_parts, fresh_parts))
        whole = np.zeros(self.parts.count, bool)
        whole[touched] = True
        whole[tail_parts] = False
        whole[inplace_parts] = False
        # O(N) gather of one flag per row: which rows lie in recomputed partitions.
        whole_rows = np.flatnonzero(whole[self.pid]) if whole.any() else np.empty(0, np.int64)
        if len(whole_rows) > FULL_FRACTION * n:
            # Most rows move: one sort of everything is cheaper than gathering them.
            raise Unsupported("the write touches most of the table")
        if (
            orig is None
            and not len(whole_rows)
            and not len(inplace_parts)
            and self.spec.aggregate != "lead"
        ):
            # The streaming case: the kept values, then the new rows' own.
            values, rows, computed = (
                self._tail_values(data, fresh, tail_parts) if len(tail_parts) else (None, [], 0)
            )
            if len(rows) != appended:
                raise Unsupported("a written row was not recomputed")
            kept_values = self.result.slice(first, kept)
            self.result = pa.concat_arrays([kept_values, values]) if appended else kept_values
            self.stats["rows"], self.stats["of"] = computed, n
            return self.result
        if orig is None:
            orig = np.concatenate([np.arange(first, first + kept), np.full(appended, -1)])
        pieces, src = [self.result], orig.copy()
        offset = n_old
        if len(whole_rows):
            sub = data.select(self.needed).take(pa.array(whole_rows))
            order = FrameOrder(sub, self.spec)
            pieces.append(plain(compute_window(sub, self.spec, self.out_type, order)))
            src[whole_rows] = offset + np.arange(len(whole_rows))
            offset += len(whole_rows)
            self.size[touched[whole[touched]]] = 0
            self._refresh(whole_rows, order, whole=True)
        tail_rows = 0
        if len(tail_parts):
            values, rows, computed = self._tail_values(data, fresh, tail_parts)
            pieces.append(values)
            src[rows] = offset + np.arange(len(rows))
            offset += len(rows)
            tail_rows = computed
        if len(inplace_parts):
            values, rows, computed = self._inplace_values(data, changed, inplace_parts)
            pieces.append(values)
            src[rows] = offset + np.arange(len(rows))
            tail_rows += computed
        if (src < 0).any():
            raise Unsupported("a written row was not recomputed")
        self.stats["rows"] = len(whole_rows) + tail_rows
        self.stats["of"] = n
        self.result = gather(pieces, src)
        return self.result

    def _tail_parts(self, fresh: np.ndarray, lost_parts: np.ndarray) -> np.ndarray:
        """Partitions whose only change is new rows after every old row (frame order)."""
        if self.context is None or not len(fresh) or (self.spec.order_by and self.okey is None):
            return np.empty(0, np.int64)
        pids = self.pid[fresh]
        last = self.tail[pids, -1]  # the partition's last row in frame order
        ok = last >= 0  # the partition had rows before (else recompute it whole)
        ok &= self.size[pids] > 0
        safe = np.where(ok, last, 0)
        after = fresh > safe  # ties of the order key keep table order
        if self.okey is not None:
            new_k, old_k = self.okey[fresh], self.okey[safe]
            null = np.iinfo(np.int64).min if self.okey.dtype == np.int64 else -np.inf
            after = (new_k > old_k) | ((new_k == old_k) & (new_k != null) & after)
        ok &= after
        parts = np.unique(pids)
        bad = np.union1d(np.unique(pids[~ok]), lost_parts)
        return np.setdiff1d(parts, bad)

    def _tail_values(self, data: pa.Table, fresh: np.ndarray, parts: np.ndarray):
        """Values of the new rows of ``parts`` from their context rows (and, for
        ``lead``, the context rows' own new values), with their table rows."""
        in_part = np.zeros(self.parts.count, bool)
        in_part[parts] = True
        new_rows = fresh[in_part[self.pid[fresh]]]
        k = self.context or 0
        ctx = self.tail[parts, self.tail.shape[1] - k :].ravel() if k else np.empty(0, np.int64)
        ctx = ctx[ctx >= 0]
        rows = np.sort(np.concatenate([ctx, new_rows]))  # table order: ties as the table has
        sub = data.select(self.needed).take(pa.array(rows))
        order = FrameOrder(sub, self.spec)
        values = plain(compute_window(sub, self.spec, self.out_type, order))
        counts = np.bincount(self.pid[new_rows], minlength=self.parts.count)
        if self.spec.aggregate == "row_number":
            # Numbered from 1 in the context-free computation: shift by the old size.
            base = pa.array(self.size[self.pid[rows]], pa.int64())
            values = pc.add(values.cast(pa.int64()), base).cast(values.type)
        self.size[parts] += counts[parts]
        self._refresh(rows, order, whole=False)
        if self.spec.aggregate == "lead":
            keep = np.arange(len(rows))  # the context rows now lead into the new ones
        else:
            keep = np.flatnonzero(np.isin(rows, new_rows))
        return values.take(pa.array(keep)), rows[keep], len(rows)

    def _inplace_values(self, data: pa.Table, changed: np.ndarray, parts: np.ndarray):
        """Values of the rows whose frames hold a row of ``parts`` upserted in
        place (frame positions unchanged), from those frames' rows only."""
        back, ahead, reach_back, reach_ahead = self.span
        sizes = self.size[parts]
        base = np.zeros(self.parts.count, np.int64)
        base[parts] = np.cumsum(sizes) - sizes  # the parts' positions laid end to end
        total = int(sizes.sum())
        in_part = np.zeros(self.parts.count, bool)
        in_part[parts] = True
        changed = changed[in_part[self.pid[changed]]]
        pid, f = self.pid[changed], self.fpos[changed]

        def marks(back: int, ahead: int) -> np.ndarray:
            # Positions within [f - back, f + ahead] of a changed row, by a difference array.
            d = np.zeros(total + 1, np.int64)
            np.add.at(d, base[pid] + np.maximum(f - back, 0), 1)
            np.add.at(d, base[pid] + np.minimum(f + ahead, self.size[pid] - 1) + 1, -1)
            return np.cumsum(d[:total]) > 0

        need, write = marks(reach_back, reach_ahead), marks(back, ahead)
        rows = np.flatnonzero(in_part[self.pid])  # O(N) gather of one flag per row
        at = base[self.pid[rows]] + self.fpos[rows]
        rows, at = rows[need[at]], at[need[at]]
        sub = data.select(self.needed).take(pa.array(rows))
        values = plain(compute_window(sub, self.spec, self.out_type))
        keep = np.flatnonzero(write[at])
        return values.take(pa.array(keep)), rows[keep], len(rows)
