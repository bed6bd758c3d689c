"""Memory over a long stream: RSS after many small upserts vs the same table loaded fresh.

A 1M-row indexed table (the synthetic table of ``bench_engine``) takes
``--updates`` upserts of ``--batch`` rows (half existing keys, half new)
with a grouped view open and read after every write, as a live notebook
does. Then the table's final rows are loaded fresh into a second process
process and the resident set sizes are compared. Dead row versions are
dropped by compaction, so the streamed table should end close to the
fresh one.

Usage: python bench/bench_memory.py [--rows 1000000] [--updates 100000] [--batch 10]
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench_engine import make_table, rss_mb
from bench_streaming import batches

from perspective_nb import Server


def streamed(rows: int, updates: int, batch: int, path: str) -> None:
    """Stream the upserts, report RSS, and save the final rows to ``path``."""
    client = Server().new_local_client()
    table = client.table(make_table(rows), index="id")
    view = table.view(group_by=["region"], columns=["qty", "price"])
    ups = batches(rows, batch, 1000, seed=3)
    t0 = time.perf_counter()
    for i in range(updates):
        b = ups[i % len(ups)]
        # Fresh keys every round, so the table keeps growing as a real stream does.
        shift = (i // len(ups)) * len(ups) * (batch // 2)
        table.update(b.set_column(0, "id", pc.add(b.column("id"), shift)))
        view.to_columns(start_row=0, end_row=100)
    elapsed = time.perf_counter() - t0
    gc.collect()
    rss = rss_mb()
    final = table.view().to_arrow()
    with open(path, "wb") as f:
        f.write(final)
    print(
        f"streamed: {updates:,} upserts of {batch} rows in {elapsed:.1f} s "
        f"({updates / elapsed:,.0f}/s); {table.size():,} rows; RSS {rss:.0f} MB"
    )


def fresh(path: str) -> None:
    """Load the saved rows into a fresh table with the same view; report RSS."""
    with open(path, "rb") as f:
        data = pa.ipc.open_stream(f.read()).read_all()
    client = Server().new_local_client()
    table = client.table(data, index="id")
    del data
    view = table.view(group_by=["region"], columns=["qty", "price"])
    view.to_columns(start_row=0, end_row=100)
    gc.collect()
    print(f"fresh: {table.size():,} rows; RSS {rss_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--updates", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--fresh", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fresh:
        fresh(args.fresh)
        return
    path = os.path.join(tempfile.mkdtemp(), "final.arrow")
    streamed(args.rows, args.updates, args.batch, path)
    subprocess.run([sys.executable, __file__, "--fresh", path], check=True)


if __name__ == "__main__":
    main()
