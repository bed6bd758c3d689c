"""Benchmark: perspective_nb vs perspective-python vs raw pyarrow, in one run.

Both libraries are driven through their public local client
(``Server().new_local_client()``), i.e. through the same request path a
websocket uses.

Each step creates a view and reads the first 100 rows (what a grid asks for
first); the table is a seeded synthetic table (ids, strings with 10 and
1,000 distinct values, ints, floats, bools, dates, datetimes). Medians of
several repeats; the machine is shared and noisy, so compare the ratios
printed side by side, not absolute numbers.

Usage: python bench/bench_engine.py [--rows 1000000] [--repeat 5] [--markdown]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from timing import median_ms

from perspective_nb import Server

try:
    import perspective  # the peer being compared against (never used by the package)
except ImportError:  # pragma: no cover - the bench still runs our side alone
    perspective = None

VIEWPORT = {"start_row": 0, "end_row": 100}


def make_table(n: int, seed: int = 7) -> pa.Table:
    """The seeded synthetic table."""
    rng = np.random.default_rng(seed)
    regions = np.array([f"region{i}" for i in range(10)])
    products = np.array([f"product{i:04d}" for i in range(1000)])
    base = np.datetime64("2020-01-01")
    return pa.table(
        {
            "id": pa.array(np.arange(n, dtype=np.int64)),
            "region": pa.array(regions[rng.integers(0, 10, n)]),
            "product": pa.array(products[rng.integers(0, 1000, n)]),
            "qty": pa.array(rng.integers(1, 100, n, dtype=np.int64)),
            "price": pa.array(rng.random(n) * 100),
            "flag": pa.array(rng.random(n) < 0.5),
            "day": pa.array(base + rng.integers(0, 3650, n).astype("timedelta64[D]")),
            "ts": pa.array(
                (base + rng.integers(0, 10**9, n).astype("timedelta64[s]")).astype("datetime64[ms]")
            ),
        }
    )


STEPS: dict[str, dict] = {
    "flat": {},
    "group_by 1 level": {"group_by": ["region"], "columns": ["qty", "price"]},
    "group_by 2 levels": {"group_by": ["region", "product"], "columns": ["qty", "price"]},
    "group_by + split_by": {
        "group_by": ["region"],
        "split_by": ["flag"],
        "columns": ["qty", "price"],
    },
    "sort price desc": {"sort": [["price", "desc"]]},
    "filter": {"filter": [["price", ">", 50.0], ["region", "==", "region3"]]},
}


NOT_IN_MEAN = ("viewport read (existing view)", "streaming upsert + grouped read")


def streaming(tbl: pa.Table, ours_client, theirs_client, batches: int = 10) -> dict[str, float]:
    """1,000-row upserts (half new keys) into an indexed table with a 2-level
    group_by view open, then the first 100 rows of that view: what a live
    grid costs per update."""
    rng = np.random.default_rng(11)
    n = tbl.num_rows
    updates = []
    for i in range(batches):
        ids = np.concatenate(
            [rng.integers(0, n, 500), np.arange(n + i * 500, n + (i + 1) * 500)]
        ).astype(np.int64)
        updates.append(make_table(1000, seed=100 + i).set_column(0, "id", pa.array(ids)))
    cfg = {"group_by": ["region", "product"], "columns": ["qty", "price"]}
    out = {}
    for name, client in (("ours", ours_client), ("perspective", theirs_client)):
        if client is None:
            continue
        table = client.table(tbl, index="id")
        view = table.view(**cfg)
        view.to_columns(**VIEWPORT)
        times = []
        for batch in updates:
            t0 = time.perf_counter()
            table.update(batch)
            view.to_columns(**VIEWPORT)
            times.append((time.perf_counter() - t0) * 1000)
        view.delete()
        table.delete()
        out[name] = statistics.median(times)
    return out


# Each call after a collection: one library's garbage is not collected in the other's time.
timed = functools.partial(median_ms, collect=True)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def raw_pyarrow(tbl: pa.Table) -> dict[str, Callable[[], object]]:
    """The same work expressed directly in pyarrow (a floor, not a Perspective)."""
    return {
        "load": lambda: tbl,
        "flat": lambda: tbl.slice(0, 100).to_pydict(),
        "group_by 1 level": lambda: tbl.group_by("region").aggregate(
            [("qty", "sum"), ("price", "sum")]
        ),
        "group_by 2 levels": lambda: tbl.group_by(["region", "product"]).aggregate(
            [("qty", "sum"), ("price", "sum")]
        ),
        "group_by + split_by": lambda: tbl.group_by(["region", "flag"]).aggregate(
            [("qty", "sum"), ("price", "sum")]
        ),
        "sort price desc": lambda: tbl.take(
            pc.sort_indices(tbl, sort_keys=[("price", "descending")])[:100]
        ),
        "filter": lambda: tbl.filter(
            pc.and_(pc.greater(tbl["price"], 50.0), pc.equal(tbl["region"], "region3"))
        ).slice(0, 100),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    tbl = make_table(args.rows)
    arrow_mb = tbl.nbytes / 2**20
    results: dict[str, dict[str, float]] = {}

    # Memory: RSS added by loading the table (the Arrow input itself excluded).
    ours_client = Server().new_local_client()
    before = rss_mb()
    ours_table = ours_client.table(tbl, name="bench")
    mem_ours = rss_mb() - before
    mem_theirs = None
    client = None
    if perspective is not None:
        client = perspective.Server().new_local_client()
        before = rss_mb()
        theirs_table = client.table(tbl)
        mem_theirs = rss_mb() - before

    def ours_load():
        ours_client.table(tbl).delete()

    results["load"] = {"ours": timed(ours_load, args.repeat)}
    if client is not None:
        results["load"]["perspective"] = timed(
            lambda: client.table(tbl).delete(), max(1, args.repeat // 2)
        )
    raw = raw_pyarrow(tbl)
    results["load"]["pyarrow"] = timed(raw["load"], args.repeat)

    for step, cfg in STEPS.items():

        def ours_step(cfg=cfg):
            v = ours_table.view(**cfg)
            v.to_columns(**VIEWPORT)
            v.delete()

        results[step] = {"ours": timed(ours_step, args.repeat)}
        if client is not None:

            def theirs_step(cfg=cfg):
                v = theirs_table.view(**cfg)
                v.to_columns(**VIEWPORT)
                v.delete()

            results[step]["perspective"] = timed(theirs_step, max(1, args.repeat // 2))
        results[step]["pyarrow"] = timed(raw[step], args.repeat)

    # Viewport read on an existing (grouped) view: what scrolling costs.
    v = ours_table.view(group_by=["region", "product"], columns=["qty", "price"])
    v.to_columns(**VIEWPORT)
    vp = {"ours": timed(lambda: v.to_columns(start_row=500, end_row=600), args.repeat * 4)}
    if client is not None:
        tv = theirs_table.view(group_by=["region", "product"], columns=["qty", "price"])
        tv.to_columns(**VIEWPORT)
        vp["perspective"] = timed(
            lambda: tv.to_columns(start_row=500, end_row=600), args.repeat * 4
        )
    results["viewport read (existing view)"] = vp
    results["streaming upsert + grouped read"] = streaming(tbl, ours_client, client)

    version = getattr(perspective, "__version__", "n/a") if perspective else "not installed"
    print(
        f"\n{args.rows:,} rows; perspective-python {version}; pyarrow {pa.__version__}; "
        f"median ms of {args.repeat}; {dt.date.today()}\n"
    )
    print(
        "| step (+ 100-row viewport) | perspective_nb | perspective-python | raw pyarrow "
        "| speed-up vs perspective |"
    )
    print("|---|---:|---:|---:|---:|")
    ratios = []
    for step, r in results.items():
        theirs = r.get("perspective")
        ratio = theirs / r["ours"] if theirs else None
        if ratio and step not in NOT_IN_MEAN:
            ratios.append(ratio)
        print(
            f"| {step} | {r['ours']:.1f} | {theirs if theirs is None else f'{theirs:.1f}'} | "
            f"{r.get('pyarrow', float('nan')):.1f} | {'' if ratio is None else f'{ratio:.1f}x'} |"
        )
    if ratios:
        geo = float(np.exp(np.mean(np.log(ratios))))
        print(
            f"\nGeometric mean speed-up over the view steps and load: {geo:.1f}x "
            f"(min {min(ratios):.1f}x)"
        )
    print(
        f"Memory added by load: perspective_nb {mem_ours:.0f} MB"
        + (f", perspective-python {mem_theirs:.0f} MB" if mem_theirs is not None else "")
        + f" (Arrow input {arrow_mb:.0f} MB)"
    )


if __name__ == "__main__":
    main()
