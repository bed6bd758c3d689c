"""Benchmark expression columns: ours vs raw pyarrow vs perspective-python.

Run: ``python bench/bench_expressions.py [rows]`` (default 1,000,000). Prints
a markdown table of median wall times. Not a test: numbers depend on the
machine; compare the ratios.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Run from a checkout without installing: put the repository root on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ipc_bytes import ipc_bytes
from timing import median_ms

from perspective_nb.engine.expressions import compute_expressions

SCHEMA = {"region": "string", "price": "float", "qty": "integer", "ts": "datetime"}


def make_table(rows: int) -> pa.Table:
    rng = np.random.default_rng(42)
    regions = np.array([f"r{i}" for i in range(10)])
    return pa.table(
        {
            "region": pa.array(regions[rng.integers(0, 10, rows)]).dictionary_encode(),
            "price": rng.random(rows) * 100,
            "qty": rng.integers(1, 100, rows),
            "ts": pa.array(
                rng.integers(1_600_000_000_000, 1_700_000_000_000, rows), pa.timestamp("ms")
            ),
        }
    )


def perspective_timing(table: pa.Table, repeat: int) -> float | None:
    try:
        import perspective
    except ImportError:
        return None
    client = perspective.Server().new_local_client()
    ptable = client.table(ipc_bytes(table))

    def run() -> None:
        view = ptable.view(expressions={"x": '"price" * "qty"'}, group_by=["region"], columns=["x"])
        view.to_columns()
        view.delete()

    return median_ms(run, repeat, warmup=True)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    table = make_table(rows)
    product = {"x": '"price" * "qty"'}

    raw = median_ms(lambda: pc.multiply(table["price"], table["qty"]), 15, warmup=True)
    ours = median_ms(lambda: compute_expressions(table, SCHEMA, product), 15, warmup=True)

    def ours_grouped() -> None:
        x = compute_expressions(table, SCHEMA, product)["x"]
        grouped = pa.table({"region": table["region"], "x": x}).group_by("region")
        grouped.aggregate([("x", "sum")])

    grouped = median_ms(ours_grouped, 7, warmup=True)
    theirs = perspective_timing(table, 3)

    others = {
        "bucket(\"ts\", 'D')": "bucket(\"ts\", 'D')",
        "if/else on price": 'if ("price" > 50) { "qty" * 2 } else { "qty" }',
        "concat(region, '-')": 'concat("region", \'-\', "region")',
        "sqrt(price) + log(qty)": 'sqrt("price") + log("qty")',
    }
    print(f"Expression columns, {rows:,} rows (median ms)\n")
    print("| case | ms | ratio |")
    print("|---|---:|---:|")
    print(f"| raw `pc.multiply(price, qty)` | {raw:.1f} | 1.00x |")
    print(f'| ours `"price" * "qty"` | {ours:.1f} | {ours / raw:.2f}x raw |')
    print(f"| ours expression + group_by region (pyarrow) | {grouped:.1f} | |")
    if theirs is not None:
        print(
            f"| perspective-python {_peer_version()} view, same expression + group_by region "
            f"| {theirs:.1f} "
            f"| {theirs / grouped:.1f}x ours+group_by |"
        )
    for label, text in others.items():
        ms = median_ms(
            lambda text=text: compute_expressions(table, SCHEMA, {"x": text}), 5, warmup=True
        )
        print(f"| ours `{label}` | {ms:.1f} | |")


def _peer_version() -> str:
    try:
        import perspective
    except ImportError:
        return "(not installed)"
    return getattr(perspective, "__version__", "?")


if __name__ == "__main__":
    main()
