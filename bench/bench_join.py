"""Benchmark: a 1M x 100k join in perspective_nb, perspective-python 5.x and raw pyarrow.

Left: 1M order rows (``product`` key with 100k distinct values, a string
and a float column); right: 100k product rows (unique ``product``, a string
and a float column). Steps, each timed to the first 100 rows of a view of
the join (what a grid asks for first):

- ``join``: ``client.join(left, right, "product", how)`` and the first read;
- ``update``: a 1,000-row update (append) of the left table, then the next
  read (the join follows it; perspective_nb appends the new rows' matches);
- ``update_right``: 100 new rows in the right table, then the next read (a
  full recompute in perspective_nb).

Raw pyarrow is ``Table.join`` (Acero's hash join, unordered output) plus a
sort into Perspective's row order (left row order), the same work done
without a table server. Run it with perspective-python 5.x's interpreter to
compare all three (the bench puts the repository root on ``sys.path``):
``/opt/p56/bin/python bench/bench_join.py``. Medians of several repeats; the
machine is shared and noisy, so compare the ratios, not absolute times.

Usage: python bench/bench_join.py [--left 1000000] [--right 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from ipc_bytes import ipc_bytes
from timing import median_ms

from perspective_nb import Server

try:
    import perspective  # the peer being compared against (never used by the package)
except ImportError:  # pragma: no cover - the bench still runs our side alone
    perspective = None

VIEWPORT = {"start_row": 0, "end_row": 100}


def make_tables(n_left: int, n_right: int, seed: int = 7) -> tuple[pa.Table, pa.Table]:
    """Seeded orders (left) and products (right)."""
    rng = np.random.default_rng(seed)
    regions = np.array([f"region{i}" for i in range(10)])
    left = pa.table(
        {
            "product": pa.array(rng.integers(0, n_right, n_left, dtype=np.int64)),
            "region": pa.array(regions[rng.integers(0, 10, n_left)]),
            "qty": pa.array(rng.random(n_left) * 100),
        }
    )
    right = pa.table(
        {
            "product": pa.array(rng.permutation(n_right).astype(np.int64)),
            "name": pa.array([f"product{i:06d}" for i in range(n_right)]),
            "price": pa.array(rng.random(n_right) * 10),
        }
    )
    return left, right


def update_batch(n_right: int, rows: int = 1000, seed: int = 11) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "product": pa.array(rng.integers(0, n_right, rows, dtype=np.int64)),
            "region": pa.array(["region0"] * rows),
            "qty": pa.array(rng.random(rows)),
        }
    )


def bench_client(client, left: pa.Table, right: pa.Table, how: str, repeat: int) -> dict:
    """Join and update timings through a library's local client."""
    lt = client.table(ipc_bytes(left))
    rt = client.table(ipc_bytes(right))
    out = {}
    joins = []

    def join():
        j = client.join(lt, rt, "product", how)
        v = j.view()
        v.to_columns(**VIEWPORT)
        joins.append((j, v))

    out["join"] = median_ms(join, repeat, collect=True)
    j, v = joins[-1]
    batch = ipc_bytes(update_batch(right.num_rows))
    for jj, vv in joins[:-1]:
        vv.delete()
        jj.delete()

    def update():
        lt.update(batch)
        v.to_columns(**VIEWPORT)

    out["update"] = median_ms(update, repeat, collect=True)
    products = ipc_bytes(
        pa.table(
            {
                "product": pa.array(np.arange(100, dtype=np.int64) + right.num_rows),
                "name": pa.array(["new"] * 100),
                "price": pa.array(np.ones(100)),
            }
        )
    )

    def update_right():
        rt.update(products)
        v.to_columns(**VIEWPORT)

    out["update_right"] = median_ms(update_right, repeat, collect=True)
    out["rows"] = j.size()
    v.delete()
    j.delete()
    return out


def bench_arrow(left: pa.Table, right: pa.Table, how: str, repeat: int) -> dict:
    kinds = {"inner": "inner", "left": "left outer", "outer": "full outer"}
    left = left.append_column("__row", pa.array(np.arange(left.num_rows)))

    def join():
        out = left.join(right, "product", join_type=kinds[how], use_threads=True)
        order = pc.sort_indices(out, [("__row", "ascending")])
        return out.take(order).slice(0, 100).to_pylist()

    return {
        "join": median_ms(join, repeat, collect=True),
        "update": float("nan"),
        "update_right": float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--left", type=int, default=1_000_000)
    parser.add_argument("--right", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--how", default="left", choices=["inner", "left", "outer"])
    args = parser.parse_args()
    left, right = make_tables(args.left, args.right)
    ours = bench_client(Server().new_local_client(), left, right, args.how, args.repeat)
    theirs = None
    if perspective is not None and hasattr(perspective.Server().new_local_client(), "join"):
        client = perspective.Server().new_local_client()
        theirs = bench_client(client, left, right, args.how, args.repeat)
    raw = bench_arrow(left, right, args.how, args.repeat)
    print(f"{args.left:,} x {args.right:,} {args.how} join, {ours['rows']:,} rows")
    print(f"{'step':<13}{'perspective_nb':>16}{'perspective 5.x':>17}{'pyarrow':>10}{'ratio':>8}")
    for step in ("join", "update", "update_right"):
        peer = theirs[step] if theirs else float("nan")
        ratio = ours[step] / peer if theirs else float("nan")
        print(f"{step:<13}{ours[step]:>14.0f}ms{peer:>15.0f}ms{raw[step]:>8.0f}ms{ratio:>8.2f}")


if __name__ == "__main__":
    main()
