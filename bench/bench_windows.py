"""Benchmark window columns: ours vs raw numpy/pyarrow vs perspective-python 5.6.1.

Two windows on a 1M-row table: a cumulative sum, and a 20-row rolling
average partitioned by a string column (10 partitions; the spec's "rolling
avg over 20 rows by partition on 1M rows"). "raw numpy" is a
hand-written kernel for that one case (np.cumsum; sort once + prefix sums);
"our kernel" is ``compute_window`` alone; the view columns time a flat view
opened and read whole (``to_columns`` of the window column, 1M Python
floats), after a warm-up. The last lines append 10 / 1,000 rows (random
partitions, as a stream does), then read 100 rows of an open rolling-avg
view (whose window then updates from the write); the last overwrites the
price of 10 / 1,000 existing keys of an indexed copy (an upsert in place).

Run: ``/opt/p56/bin/python bench/bench_windows.py [rows] [--no-psp]`` (default
1,000,000; perspective-python 5.6.1 is timed when importable, unless
--no-psp). Not a test: compare the ratios.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

# Run from a checkout without installing: put the repository root on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ipc_bytes import ipc_bytes
from timing import median_ms

from perspective_nb.engine.table import Table
from perspective_nb.engine.window_compute import compute_window
from perspective_nb.engine.windows import normalize_windows

WINDOWS = {
    "cumulative sum": {"cs": {"column": "price", "aggregate": "sum", "cumulative": True}},
    "rolling avg 20 by region": {
        "ra": {"column": "price", "aggregate": "avg", "rows": 20, "partition_by": ["region"]}
    },
}


def make_table(rows: int) -> pa.Table:
    rng = np.random.default_rng(42)
    regions = np.array([f"r{i}" for i in range(10)])
    return pa.table({"region": regions[rng.integers(0, 10, rows)], "price": rng.random(rows) * 100})


def raw_kernels(table: pa.Table) -> dict[str, Callable[[], object]]:
    price = table["price"].to_numpy()
    region = table["region"].combine_chunks()

    def cumulative() -> np.ndarray:
        return np.cumsum(price)

    def rolling() -> np.ndarray:
        codes = region.dictionary_encode().indices.to_numpy()
        perm = np.argsort(codes, kind="stable")
        x = price[perm]
        c = codes[perm]
        pos = np.arange(len(x))
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        start = starts[np.cumsum(np.r_[True, c[1:] != c[:-1]]) - 1]
        lo = np.maximum(pos - 20, start)
        s = np.r_[0.0, np.cumsum(x)]
        out = np.empty_like(x)
        out[perm] = (s[pos + 1] - s[lo]) / (pos + 1 - lo)
        return out

    return {"cumulative sum": cumulative, "rolling avg 20 by region": rolling}


def kernel_timings(table: pa.Table, repeat: int) -> dict[str, float]:
    """The window computation alone (no view, no output conversion)."""
    schema = {"region": "string", "price": "float"}
    out = {}
    for label, windows in WINDOWS.items():
        specs, _ = normalize_windows(windows, schema, {})
        spec = next(iter(specs.values()))
        out[label] = median_ms(
            lambda spec=spec: compute_window(table, spec, pa.float64()), repeat, warmup=True
        )
    return out


def ours_timings(table: pa.Table, repeat: int) -> dict[str, float]:
    t = Table(table, name="bench")
    out = {}
    for label, windows in WINDOWS.items():
        alias = next(iter(windows))

        def run(windows=windows, alias=alias) -> None:
            view = t.view(windows=windows, columns=[alias])
            view.to_columns()
            view.delete()

        out[label] = median_ms(run, repeat, warmup=True)
    view = t.view(windows=WINDOWS["rolling avg 20 by region"], columns=["ra"])
    view.to_columns(end_row=100)
    out.update(update_timings(t.update, view, repeat))
    view.delete()
    keyed = Table(with_ids(table), index="id", name="bench_keyed")
    view = keyed.view(windows=WINDOWS["rolling avg 20 by region"], columns=["ra"])
    view.to_columns(end_row=100)
    out.update(upsert_timings(keyed.update, view, table.num_rows, repeat))
    return out


def with_ids(table: pa.Table) -> pa.Table:
    return table.append_column("id", pa.array(np.arange(table.num_rows)))


def upsert_timings(update: Callable[[dict], None], view, rows: int, repeat: int):
    """Overwrite the price of 10 / 1,000 existing keys (an indexed table), then read 100 rows."""
    rng = np.random.default_rng(11)
    out = {}
    for size in (10, 1000):

        def write_then_read(size=size) -> None:
            ids = rng.choice(rows, size, replace=False)
            update({"id": ids.tolist(), "price": (rng.random(size) * 100).tolist()})
            view.to_columns(end_row=100)

        label = f"{size:,}-row upsert in place + 100-row read (rolling avg)"
        out[label] = median_ms(write_then_read, repeat, warmup=True)
    return out


def update_timings(update: Callable[[dict], None], view, repeat: int) -> dict[str, float]:
    """Append 10 / 1,000 rows to random partitions, then read a 100-row viewport."""
    rng = np.random.default_rng(7)
    regions = np.array([f"r{i}" for i in range(10)])
    out = {}
    for size in (10, 1000):

        def write_then_read(size=size) -> None:
            update(
                {
                    "region": regions[rng.integers(0, 10, size)].tolist(),
                    "price": (rng.random(size) * 100).tolist(),
                }
            )
            view.to_columns(end_row=100)

        out[f"{size:,}-row update + 100-row read (rolling avg)"] = median_ms(
            write_then_read, repeat, warmup=True
        )
    return out


def perspective_timings(table: pa.Table, repeat: int) -> dict[str, float] | None:
    try:
        import perspective
    except ImportError:
        return None
    if not hasattr(perspective, "Server"):
        return None
    client = perspective.Server().new_local_client()
    ptable = client.table(ipc_bytes(table))
    out = {}
    for label, windows in WINDOWS.items():
        alias = next(iter(windows))

        def run(windows=windows, alias=alias) -> None:
            view = ptable.view(windows=windows, columns=[alias])
            view.to_columns()
            view.delete()

        try:
            out[label] = median_ms(run, repeat, warmup=True)
        except Exception:  # a perspective-python without window columns
            return None
    view = ptable.view(windows=WINDOWS["rolling avg 20 by region"], columns=["ra"])
    view.to_columns(end_row=100)
    out.update(update_timings(ptable.update, view, repeat))
    view.delete()
    keyed = client.table(ipc_bytes(with_ids(table)), index="id")
    view = keyed.view(windows=WINDOWS["rolling avg 20 by region"], columns=["ra"])
    view.to_columns(end_row=100)
    out.update(upsert_timings(keyed.update, view, table.num_rows, repeat))
    return out


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 1_000_000
    repeat = 5
    table = make_table(rows)
    raw = {k: median_ms(fn, repeat, warmup=True) for k, fn in raw_kernels(table).items()}
    kernel = kernel_timings(table, repeat)
    ours = ours_timings(table, repeat)
    # --no-psp: time perspective_nb alone (e.g. to compare two of its versions).
    theirs = None if "--no-psp" in sys.argv else perspective_timings(table, repeat)
    print(f"window columns, {rows:,} rows (median ms)\n")
    print(
        "| case | raw numpy | our kernel | perspective_nb view | perspective-python view "
        "| kernel / raw | view / psp |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, ms in ours.items():
        r, k = raw.get(label), kernel.get(label)
        p = theirs.get(label) if theirs else None
        cells = [
            label,
            f"{r:.1f}" if r else "-",
            f"{k:.1f}" if k else "-",
            f"{ms:.1f}",
            f"{p:.1f}" if p else "-",
            f"{k / r:.1f}x" if r and k else "-",
            f"{ms / p:.2f}x" if p else "-",
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
