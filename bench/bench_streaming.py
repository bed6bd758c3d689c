"""Benchmark: live updates into open views, perspective_nb vs perspective-python.

A 1M-row table indexed by ``id`` (the synthetic table of ``bench_engine``)
takes upserts with half new keys; one view is open. For each batch size
and view kind it reports, as medians:

- ``update()``: the call alone;
- ``update -> viewport``: from ``update()`` until the view's first 100
  rows (what a grid re-reads after an update) show the change.

Throughput: sustained rows per second of 1,000-row upserts with 1, 10 and
50 grouped views open, each read after every update (a live notebook).

Both libraries are driven through their public local client, in the same
process run; the machine is shared and noisy, so compare the ratios.

Usage: python bench/bench_streaming.py [--rows 1000000] [--updates 100]
(run it in an environment that has perspective-python 5.x to get the
peer's columns; without it only ours are printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import time

import numpy as np
import pyarrow as pa

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench_engine import STEPS, VIEWPORT, make_table

from perspective_nb import Server

try:
    import perspective  # the peer being compared against (never used by the package)
except ImportError:  # pragma: no cover - the bench still runs our side alone
    perspective = None

# The view configs of bench_engine's steps, kept open while the table streams.
VIEWS: dict[str, dict] = {
    **{k: STEPS[k] for k in ("group_by 1 level", "group_by 2 levels", "group_by + split_by")},
    "group_by 1 level, high and low": {
        **STEPS["group_by 1 level"],
        "aggregates": {"qty": "high", "price": "low"},
    },
    "flat": STEPS["flat"],
    "flat sorted by price desc": STEPS["sort price desc"],
    "flat filtered": STEPS["filter"],
}
# Per batch size: the view kinds measured (Perspective's flat views cost
# ~300 ms per update whatever the batch: a few updates are enough).
CASES = [(1000, list(VIEWS)), (10, list(VIEWS))]


def batches(n_rows: int, size: int, count: int, seed: int) -> list[pa.Table]:
    """``count`` upsert batches of ``size`` rows: half existing keys, half new."""
    rng = np.random.default_rng(seed)
    out = []
    next_key = n_rows
    for i in range(count):
        half = size // 2
        ids = np.concatenate(
            [rng.integers(0, n_rows, size - half), np.arange(next_key, next_key + half)]
        ).astype(np.int64)
        next_key += half
        out.append(make_table(size, seed=1000 + i).set_column(0, "id", pa.array(ids)))
    return out


def measure(clients: dict, tbl: pa.Table, cfg: dict, updates: list[pa.Table]) -> dict:
    """Median ms of ``update()`` and of update-then-viewport, per client.

    Each client gets a fresh table and view; the clients take turns batch by
    batch, so both see the same machine (this one is shared and noisy).
    """
    opened = {}
    for name, client in clients.items():
        table = client.table(tbl, index="id")
        view = table.view(**cfg)
        view.to_columns(**VIEWPORT)
        opened[name] = (table, view, [], [])
    gc.collect()
    for batch in updates:
        for table, view, calls, latencies in opened.values():
            t0 = time.perf_counter()
            table.update(batch)
            t1 = time.perf_counter()
            view.to_columns(**VIEWPORT)
            t2 = time.perf_counter()
            calls.append((t1 - t0) * 1000)
            latencies.append((t2 - t0) * 1000)
    out = {}
    for name, (table, view, calls, latencies) in opened.items():
        view.delete()
        table.delete()
        out[name] = (statistics.median(calls), statistics.median(latencies))
    return out


def throughput(client, tbl: pa.Table, n_views: int, updates: list[pa.Table]) -> float:
    """Rows per second of upserts with ``n_views`` grouped views read after each."""
    table = client.table(tbl, index="id")
    configs = list(VIEWS.values())[:3]
    views = [table.view(**configs[i % 3]) for i in range(n_views)]
    for v in views:
        v.to_columns(**VIEWPORT)
    t0 = time.perf_counter()
    rows = 0
    for batch in updates:
        table.update(batch)
        for v in views:
            v.to_columns(**VIEWPORT)
        rows += batch.num_rows
    elapsed = time.perf_counter() - t0
    for v in views:
        v.delete()
    table.delete()
    return rows / elapsed


def fmt(x: float | None, unit: str = "") -> str:
    return "" if x is None else f"{x:,.1f}{unit}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--updates", type=int, default=100)
    args = ap.parse_args()
    tbl = make_table(args.rows)
    clients = {"ours": Server().new_local_client()}
    if perspective is not None:
        clients["perspective"] = perspective.Server().new_local_client()

    rows = []
    for size, kinds in CASES:
        for kind in kinds:
            count = args.updates if "flat" not in kind else max(5, args.updates // 5)
            ups = batches(args.rows, size, count, seed=size)
            r = measure(clients, tbl, VIEWS[kind], ups)
            rows.append((f"{size:,} rows, {kind}", r))
            print(f"  {rows[-1][0]}: {r}", file=sys.stderr)

    tp = []
    for n_views in (1, 10, 50):
        ups = batches(args.rows, 1000, 10, seed=n_views)
        r = {name: throughput(c, tbl, n_views, ups) for name, c in clients.items()}
        tp.append((n_views, r))
        print(f"  throughput {n_views} views: {r}", file=sys.stderr)

    version = getattr(perspective, "__version__", "n/a") if perspective else "not installed"
    print(
        f"\n{args.rows:,}-row indexed table, upserts with half new keys; perspective-python "
        f"{version}; pyarrow {pa.__version__}; medians; {dt.date.today()}\n"
    )
    print(
        "| batch, open view | update() ours | update() perspective | ratio "
        "| update -> viewport ours | update -> viewport perspective | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in rows:
        ours, theirs = r["ours"], r.get("perspective")
        cells = []
        for i in (0, 1):
            t = theirs[i] if theirs else None
            ratio = f"{t / ours[i]:.1f}x" if t else ""
            cells += [fmt(ours[i]), fmt(t), ratio]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("\n| open grouped views | rows/s ours | rows/s perspective | ratio |")
    print("|---:|---:|---:|---:|")
    for n_views, r in tp:
        ours, theirs = r["ours"], r.get("perspective")
        ratio = f"{ours / theirs:.1f}x" if theirs else ""
        peer = "" if theirs is None else f"{theirs:,.0f}"
        print(f"| {n_views} | {ours:,.0f} | {peer} | {ratio} |")


if __name__ == "__main__":
    main()
