"""Window columns computed over a whole table, vectorised (see :mod:`.windows`).

For each window: one stable ``np.lexsort`` by (partition, order key) puts
every partition's rows together in frame order (null order keys first in
both directions, ties in table order). Over that order:

- a frame is ``[lo, p]`` per row ``p``: the partition start (cumulative),
  ``p - rows`` clipped to it, or for ``range`` one ``searchsorted`` of
  ``(partition, key rank)`` pairs packed into one int64;
- sums, counts and sums of squares are prefix-sum differences;
- min / max are a sparse table (doubling) over value ranks offset by the
  partition number, so one frame never sees another partition's values;
- lag / lead / diff gather shifted positions checked to stay in the partition;
- ema is the recurrence ``y = a*y + b`` solved by a parallel prefix scan
  (log2(n) vectorised passes), nulls carrying the previous value.

Results are scattered back to table order. No Python loop runs per row or
per partition.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .windows import WindowSpec

__all__ = ["FrameOrder", "compute_window", "compute_windows"]


def _codes(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """``arr`` decoded, and int64 group codes (equal values, and all nulls, share one)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr, null_encoding="encode")
    else:
        arr = pc.dictionary_encode(arr.dictionary_decode(), null_encoding="encode")
    return arr, arr.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _dense_rank(arr: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Dense ranks (1-based, nulls 0) and the null mask of ``arr``.

    Strings rank their (small) dictionary, not every row.
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    nulls = arr.is_null(nan_is_null=True).to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(arr.type):
        rank = arr.cast(pa.int8()).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64) + 1
    elif pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        encoded, codes = _codes(arr)
        order = pc.rank(encoded.dictionary, sort_keys="ascending", tiebreaker="dense")
        rank = np.append(order.to_numpy(zero_copy_only=False).astype(np.int64), 0)[
            np.where(nulls, len(encoded.dictionary), codes)
        ]
    else:
        rank = pc.rank(arr, sort_keys="ascending", tiebreaker="dense")
        rank = rank.to_numpy(zero_copy_only=False).astype(np.int64)
    rank[nulls] = 0
    return rank, nulls


def _floats(arr: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Values as float64 (nulls 0) and their validity."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    if pa.types.is_floating(arr.type):
        valid &= ~arr.is_nan().fill_null(False).to_numpy(zero_copy_only=False)
    if not (pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)):
        return np.zeros(len(arr)), valid  # count reads only validity
    x = arr.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False).copy()
    x[~valid] = 0.0
    return x, valid


def _range_keys(arr: pa.ChunkedArray) -> np.ndarray:
    """Order keys in the units of ``range``: numbers, days for dates, ms for datetimes."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if pa.types.is_date(arr.type):
        arr = arr.cast(pa.date32()).cast(pa.int32())
    elif pa.types.is_timestamp(arr.type):
        arr = arr.cast(pa.timestamp("ms")).cast(pa.int64())
    return arr.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False)


def _stable_order(keys: list[np.ndarray], n: int) -> np.ndarray:
    """Row order by ``keys`` (last most significant), ties in table order.

    Keys whose ranges multiply to under 2**63 pack into one int64 and sort
    once (a radix sort when it fits 16 bits); otherwise ``np.lexsort``.
    """
    if not keys:
        return np.arange(n)
    packed = np.zeros(n, dtype=np.int64)
    span = 1
    for key in keys:
        size = int(key.max(initial=0)) + 1
        if span * size >= 2**62:
            return np.lexsort(keys)
        packed += key * span
        span *= size
    if span <= 2**16:
        return np.argsort(packed.astype(np.uint16), kind="stable")
    return np.argsort(packed, kind="stable")


class FrameOrder:
    """Rows of one (partition_by, order_by) in frame order, with partition bounds."""

    def __init__(self, data: pa.Table, spec: WindowSpec) -> None:
        n = data.num_rows
        keys: list[np.ndarray] = []
        self.key_nulls: np.ndarray | None = None
        if spec.order_by is not None:
            rank, nulls = _dense_rank(data.column(spec.order_by[0]))
            if spec.order_by[1] == "desc":
                rank = np.where(nulls, 0, rank.max(initial=0) + 1 - rank)
            keys.append(rank)  # nulls rank 0: first in both directions
            self.key_nulls = nulls
        # Partitions only group rows: any codes do, in any order.
        parts = [_codes(data.column(c))[1] for c in reversed(spec.partition_by)]
        keys.extend(parts)
        self.perm = _stable_order(keys, n)
        self.identity = not keys  # table order already
        new = np.zeros(n, dtype=bool)
        if n:
            new[0] = True
        for part in parts:
            p = part[self.perm]
            new[1:] |= p[1:] != p[:-1]
        self.pid = np.cumsum(new) - 1  # partition number per sorted position
        starts = np.flatnonzero(new)
        self.start = starts[self.pid]  # partition start per sorted position
        self.nparts = len(starts)
        self.n = n

    def gather(self, values: np.ndarray) -> np.ndarray:
        """``values`` (table order) in frame order."""
        return values if self.identity else values[self.perm]

    def unsort(self, sorted_values: np.ndarray) -> np.ndarray:
        if self.identity:
            return sorted_values
        out = np.empty_like(sorted_values)
        out[self.perm] = sorted_values
        return out


def _frame_lo(order: FrameOrder, spec: WindowSpec, data: pa.Table) -> np.ndarray:
    """First sorted position of each row's frame (the frame ends at the row)."""
    pos = np.arange(order.n)
    if spec.frame == "rows":
        return np.maximum(pos - int(spec.size), order.start)
    if spec.frame != "range":
        return order.start
    assert spec.order_by is not None
    assert order.key_nulls is not None
    k = order.gather(_range_keys(data.column(spec.order_by[0])))
    nulls = order.gather(order.key_nulls)
    if spec.order_by[1] == "desc":
        k = -k  # frames then reach back to keys <= k + range
    size = float(spec.size)
    uniq = np.unique(k[~nulls])
    width = len(uniq) + 1
    # Pack (partition, rank of key) into one sortable int64: within a
    # partition the non-null keys ascend, so this array is sorted.
    nn = np.flatnonzero(~nulls)
    packed = order.pid[nn] * width + np.searchsorted(uniq, k[nn])
    query = order.pid[nn] * width + np.searchsorted(uniq, k[nn] - size, side="left")
    lo = order.start.copy()  # null keys are peers: their frame is the nulls before them
    lo[nn] = nn[np.searchsorted(packed, query, side="left")]
    return lo


def _prefix(values: np.ndarray) -> np.ndarray:
    out = np.zeros(len(values) + 1, dtype=values.dtype)
    np.cumsum(values, out=out[1:])
    return out


def _framed_sums(
    x: np.ndarray,
    valid: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    agg: str,
    exact: np.ndarray | None,
    pid: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None]:
    """count / sum / avg / var / stddev of each frame ``[lo, hi]``, by prefix-sum differences.

    ``exact`` holds integer inputs as int64, whose prefix sums do not round.
    """
    count = _prefix(valid.astype(np.int64))
    n = count[hi + 1] - count[lo]
    if agg == "count":
        return n, None
    if agg in ("sum", "avg"):
        s1 = _prefix(exact) if exact is not None else _prefix(x)
        total = (s1[hi + 1] - s1[lo]).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (total if agg == "sum" else total / n), n > 0
    if exact is not None and len(exact) and (float(np.abs(exact).max()) * len(exact)) ** 2 < 2**62:
        # Integers small enough for exact int64 sums: n*sum(x^2) - sum(x)^2 has no rounding.
        e1, e2 = _prefix(exact), _prefix(exact * exact)
        t1, t2 = e1[hi + 1] - e1[lo], e2[hi + 1] - e2[lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            var = (n * t2 - t1 * t1) / (n * (n - 1.0))
    else:
        # Shift by each partition's first value so sums of squares cancel less, and
        # read what is left below the rounding noise of those sums as 0.
        at = np.flatnonzero(valid)
        parts, first = np.unique(pid[at], return_index=True)
        per_part = np.zeros(int(pid.max(initial=0)) + 1)
        per_part[parts] = x[at[first]]
        shift = per_part[pid]  # constant within a partition: its first valid value
        xs = np.where(valid, x - shift, 0.0)
        s1, s2 = _prefix(xs), _prefix(xs * xs)
        total, sq = s1[hi + 1] - s1[lo], s2[hi + 1] - s2[lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            dev = sq - total * total / n
            dev[np.abs(dev) <= 8 * np.finfo(float).eps * n * np.abs(sq)] = 0.0
            var = np.maximum(dev / (n - 1), 0.0)
    return (np.sqrt(var) if agg == "stddev" else var), n > 1


def _sparse_extreme(key: np.ndarray, lo: np.ndarray, hi: np.ndarray, fn) -> np.ndarray:
    """``fn`` (np.minimum / np.maximum) of ``key[lo..hi]`` per row, by doubling."""
    length = hi - lo + 1
    levels = [key]
    span = 1
    top = int(length.max(initial=1))
    while span * 2 <= top:
        prev = levels[-1]
        levels.append(fn(prev[:-span], prev[span:]))
        span *= 2
    level = np.floor(np.log2(length)).astype(np.int64)
    out = np.empty(len(key), dtype=key.dtype)
    for j in np.unique(level):  # one pass per power of two (<= log2(frame) passes)
        rows = np.flatnonzero(level == j)
        table = levels[j]
        out[rows] = fn(table[lo[rows]], table[hi[rows] - (1 << j) + 1])
    return out


def _extreme(col: pa.ChunkedArray, order: FrameOrder, lo: np.ndarray, agg: str) -> pa.Array:
    values = col.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    rank, _ = _dense_rank(values)
    m = int(rank.max(initial=0))
    rank_s, pid = order.gather(rank), order.pid
    hi = np.arange(order.n)
    if agg == "max":
        # Later partitions hold larger keys, so a frame's max is its own (rank 0 = null).
        key = pid * (m + 1) + rank_s
        best = _sparse_extreme(key, lo, hi, np.maximum) - pid * (m + 1)
        found = best > 0
    else:
        key = (order.nparts - pid) * (m + 2) + np.where(rank_s == 0, m + 1, rank_s)
        best = _sparse_extreme(key, lo, hi, np.minimum) - (order.nparts - pid) * (m + 2)
        found = best <= m
    # One row per rank, to turn ranks back into values of the column's type.
    rep = np.zeros(m + 2, dtype=np.int64)
    rep[rank] = np.arange(len(rank))
    take = order.unsort(np.where(found, rep[np.clip(best, 0, m + 1)], 0))
    return _masked_take(values, take, order.unsort(found))


def _masked_take(values: pa.Array, idx: np.ndarray, ok: np.ndarray) -> pa.Array:
    return values.take(pa.array(idx, mask=~ok))


def _shift(col: pa.ChunkedArray, order: FrameOrder, offset: int, lead: bool):
    """Table-order indices of the row ``offset`` behind (ahead) in the partition, and validity."""
    pos = np.arange(order.n)
    src = pos + offset if lead else pos - offset
    ok = (src >= 0) & (src < order.n)
    src = np.clip(src, 0, max(order.n - 1, 0))
    ok &= order.pid[src] == order.pid
    return order.unsort(order.perm[src]), order.unsort(ok)


def _ema(
    x: np.ndarray, valid: np.ndarray, order: FrameOrder, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    xs, vs = order.gather(x), order.gather(valid)
    nn = np.flatnonzero(vs)
    y = np.zeros(order.n)
    if len(nn):
        first = np.ones(len(nn), dtype=bool)
        first[1:] = order.pid[nn[1:]] != order.pid[nn[:-1]]
        # y_t = a_t * y_{t-1} + b_t; a_t = 0 restarts a partition at its first value.
        a = np.where(first, 0.0, 1.0 - alpha)
        b = np.where(first, xs[nn], alpha * xs[nn])
        span = 1
        while span < len(nn):  # Hillis-Steele scan: compose (a, b) pairs
            b[span:] = a[span:] * b[:-span] + b[span:]
            a[span:] = a[span:] * a[:-span]
            span *= 2
        y[nn] = b
    # Null inputs show the last value before them in the partition.
    last = np.maximum.accumulate(np.where(vs, np.arange(order.n), -1))
    ok = last >= order.start
    out = y[np.clip(last, 0, None)]
    return order.unsort(out), order.unsort(ok)


def compute_window(
    data: pa.Table, spec: WindowSpec, out_type: pa.DataType, order: FrameOrder | None = None
) -> pa.Array:
    """One window column over ``data`` (rows in table order), in table order.

    ``order`` is ``FrameOrder(data, spec)`` when the caller already built it.
    """
    if order is None:
        order = FrameOrder(data, spec)
    col = data.column(spec.column)
    agg = spec.aggregate
    if order.n == 0:
        return pa.array([], type=out_type if agg not in ("min", "max", "lag", "lead") else col.type)
    if agg == "row_number":
        return pa.array(order.unsort(np.arange(order.n) - order.start + 1), type=out_type)
    if agg in ("lag", "lead"):
        idx, ok = _shift(col, order, spec.offset, agg == "lead")
        return _masked_take(col.combine_chunks(), idx, ok)
    if agg in ("min", "max"):
        return _extreme(col, order, _frame_lo(order, spec, data), agg)
    x, valid = _floats(col)
    if agg == "diff":
        idx, ok = _shift(col, order, spec.offset, False)
        ok &= valid & valid[idx]
        return pa.array(x - x[idx], mask=~ok, type=out_type)
    if agg == "ema":
        y, ok = _ema(x, valid, order, float(spec.alpha))
        return pa.array(y, mask=~ok, type=out_type)
    lo = _frame_lo(order, spec, data)
    hi = np.arange(order.n)
    if agg == "rate":
        assert spec.order_by is not None
        assert order.key_nulls is not None
        k = order.gather(_range_keys(data.column(spec.order_by[0])))
        xs, vs = order.gather(x), order.gather(valid)
        dk = k - k[lo]
        ok = vs & vs[lo] & (dk != 0) & ~order.gather(order.key_nulls)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = (xs - xs[lo]) / np.where(dk == 0, 1.0, dk)
        return pa.array(order.unsort(rate), mask=~order.unsort(ok), type=out_type)
    exact = None
    if pa.types.is_integer(col.type):
        exact = col.combine_chunks().fill_null(0).to_numpy(zero_copy_only=False)
        exact = order.gather(exact.astype(np.int64))
    value, ok = _framed_sums(order.gather(x), order.gather(valid), lo, hi, agg, exact, order.pid)
    if agg == "count":
        return pa.array(order.unsort(value), type=out_type)
    return pa.array(order.unsort(value), mask=~order.unsort(ok), type=out_type)


def compute_windows(
    data: pa.Table, windows: dict[str, WindowSpec], types: dict[str, pa.DataType]
) -> pa.Table:
    """``data`` with each window column appended (computed over all its rows)."""
    for alias, spec in windows.items():
        data = data.append_column(alias, compute_window(data, spec, types[alias]))
    return data
