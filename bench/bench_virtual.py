"""Benchmark: a group_by view over a DuckDB-backed Parquet file vs the in-memory engine vs raw SQL.

One seeded Parquet file of ``--rows`` rows (region: 12 values, product:
1,000 values, qty, price). Each step opens a view and reads the first 100
rows (what a grid asks for first), through the in-process client:

- virtual: ``client.table(con.read_parquet(path))``: nothing is loaded;
  the view runs one GROUPING SETS query in DuckDB (plus its row count);
- memory: the file read into the in-memory engine (load time shown apart);
- raw SQL: the plain ``GROUP BY ROLLUP`` a hand-written query would run,
  and the view's own SQL (``view.to_sql()``) run directly.

Medians of ``--repeat`` runs; the machine is shared, compare the ratios.

Usage: python bench/bench_virtual.py [--rows 3000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import duckdb
from timing import median_ms

from perspective_nb import Server
from perspective_nb.engine.table import Table
from perspective_nb.virtual import virtual_table

VIEWPORT = {"start_row": 0, "end_row": 100}
CONFIGS = {
    "group_by region": {"group_by": ["region"], "columns": ["qty", "price"]},
    "group_by region, product, sort qty desc": {
        "group_by": ["region", "product"],
        "columns": ["qty", "price"],
        "sort": [["qty", "desc"]],
    },
    "flat, filter + sort": {
        "columns": ["region", "qty", "price"],
        "filter": [["qty", ">", 50]],
        "sort": [["price", "desc"]],
    },
}


def make_file(path: str, rows: int) -> None:
    rng = np.random.default_rng(7)
    regions = np.array([f"region {i}" for i in range(12)])
    products = np.array([f"product {i}" for i in range(1000)])
    table = pa.table(
        {
            "region": regions[rng.integers(0, 12, rows)],
            "product": products[rng.integers(0, 1000, rows)],
            "qty": rng.integers(0, 100, rows),
            "price": rng.random(rows) * 100,
        }
    )
    pq.write_table(table, path, row_group_size=1 << 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "trades.parquet")
        make_file(path, args.rows)
        con = duckdb.connect()
        client = Server().new_local_client()
        t0 = time.perf_counter()
        virtual = client.table(con.read_parquet(path), name="virtual")
        host_virtual = time.perf_counter() - t0
        t0 = time.perf_counter()
        memory = Table(pq.read_table(path), name="memory")
        load_memory = time.perf_counter() - t0
        print(f"{args.rows:,} rows; host virtual table {host_virtual * 1000:.0f} ms, "
              f"load into memory {load_memory * 1000:.0f} ms")  # fmt: skip
        print(f"{'view (open + first 100 rows)':44} {'virtual':>9} {'memory':>9} "
              f"{'raw SQL':>9} {'view SQL':>9}  virtual/raw")  # fmt: skip
        direct = virtual_table(con.read_parquet(path), name="direct")
        for label, cfg in CONFIGS.items():

            def read_virtual(cfg=cfg):
                view = virtual.view(**cfg)
                view.to_arrow(**VIEWPORT)
                view.num_rows()
                view.delete()

            def read_memory(cfg=cfg):
                view = memory.view(**cfg)
                view.to_arrow(**VIEWPORT)
                view.num_rows()
                view.delete()

            gb = cfg.get("group_by")
            cols = ", ".join(f"SUM({c})" for c in cfg["columns"] if c != "region")
            raw = (
                f"SELECT {', '.join(gb)}, {cols} FROM read_parquet('{path}') "
                f"GROUP BY ROLLUP ({', '.join(gb)}) LIMIT 100"
                if gb
                else f"SELECT * FROM read_parquet('{path}') WHERE qty > 50 "
                "ORDER BY price DESC LIMIT 100"
            )
            sql = direct.view(**cfg).to_sql() + " LIMIT 100"
            t_virtual = median_ms(read_virtual, args.repeat)
            t_memory = median_ms(read_memory, args.repeat)
            t_raw = median_ms(lambda raw=raw: con.sql(raw).to_arrow_table(), args.repeat)
            t_sql = median_ms(lambda sql=sql: direct.run(sql), args.repeat)
            ms = [f"{t:7.0f}ms" for t in (t_virtual, t_memory, t_raw, t_sql)]
            print(f"{label:44} {' '.join(ms)}  {t_virtual / t_raw:5.1f}x")


if __name__ == "__main__":
    main()
