"""Benchmark: perspective_nb's DuckDB virtual tables against perspective-python 5.6.1's own.

One seeded Parquet file of ``--rows`` rows with a realistic schema (three
text dimensions of 10 / 100 / 1,000 values, two integer columns, two float
columns and a date), written in 1M-row chunks so that 50M rows never sit in
memory. Both servers read it through the same DuckDB connection:

- ours: ``Server().new_local_client().table(con.sql("SELECT * FROM
  read_parquet(...)"))``;
- peer: perspective-python's ``DuckDBVirtualServer(con)`` (a client on one
  of its sessions) opening a DuckDB view over the same file.

The peer copies each view's rows into a DuckDB table and orders unsorted
flat views by ``rowid``, which a view over a file lacks; so both servers
also run over a DuckDB table ``trades`` loaded from the file (ours as
``client.table("trades", connection=con)``), the peer's own ground.

Each step opens a view, reads its first 100 rows and its row count (what a
grid asks for first) and deletes the view. Columns and aggregates are given
explicitly (the peer's flat views need explicit columns). Steps alternate
between the two servers; medians of ``--repeat`` runs after one warm-up.

Memory: a child process per server and source hosts the table and runs
every step once, sampling its RSS; the gain over the process before hosting is set
against the file's size as Arrow (its rows loaded in memory).

``--rows 50000000`` (not the default) is the out-of-core run: the file is
written into ``--dir`` (``/tmp``) and deleted afterwards; only our server
runs (the peer copies every view into a DuckDB table) and the child's RSS
is the figure to watch (target: under 2 GB).

``--serve`` also browses the file through ``python -m perspective_nb serve
FILE --engine duckdb`` over a websocket, watching the server's RSS.

Usage: python bench/bench_virtual_peer.py [--rows 5000000] [--repeat 5] [--serve]
(run it with an interpreter that has perspective-python 5.6.1 and duckdb,
``PYTHONPATH`` pointing at this checkout.)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from timing import median_ms

VIEWPORT = {"start_row": 0, "end_row": 100}
SUMS = {"qty": "sum", "price": "sum", "units": "sum"}
CASES = {
    "group_by 1 level (region)": {
        "group_by": ["region"],
        "columns": ["qty", "price"],
        "aggregates": SUMS,
    },
    "group_by 2 levels (region, product)": {
        "group_by": ["region", "product"],
        "columns": ["qty", "price"],
        "aggregates": SUMS,
    },
    "split_by region, group_by category": {
        "group_by": ["category"],
        "split_by": ["region"],
        "columns": ["qty", "price"],
        "aggregates": SUMS,
    },
    "flat, sort price desc": {
        "columns": ["region", "category", "product", "qty", "price", "day"],
        "sort": [["price", "desc"]],
    },
    "flat, filter category + qty": {
        "columns": ["region", "category", "product", "qty", "price", "day"],
        "filter": [["category", "==", "category 007"], ["qty", ">", 50]],
    },
}
CHUNK = 1_000_000
_SESSIONS: list = []


def make_chunk(rng: np.random.Generator, n: int) -> pa.Table:
    """``n`` random rows: text dimensions of 10, 100 and 1,000 values."""
    regions = np.array([f"region {i}" for i in range(10)])
    categories = np.array([f"category {i:03d}" for i in range(100)])
    products = np.array([f"product {i:04d}" for i in range(1000)])
    days = np.datetime64("2020-01-01") + rng.integers(0, 1500, n)
    return pa.table(
        {
            "region": regions[rng.integers(0, 10, n)],
            "category": categories[rng.integers(0, 100, n)],
            "product": products[rng.integers(0, 1000, n)],
            "qty": pa.array(rng.integers(0, 100, n).astype("int32")),
            "units": rng.integers(0, 1_000_000, n),
            "price": rng.random(n) * 100,
            "discount": rng.random(n),
            "day": pa.array(days.astype("datetime64[D]")),
        }
    )


def make_file(path: str, rows: int) -> int:
    """Write ``rows`` rows in chunks; return their size as Arrow, in bytes."""
    rng = np.random.default_rng(7)
    nbytes = 0
    with pq.ParquetWriter(path + ".part", make_chunk(rng, 1).schema) as writer:
        for start in range(0, rows, CHUNK):
            chunk = make_chunk(rng, min(CHUNK, rows - start))
            nbytes += chunk.nbytes
            writer.write_table(chunk, row_group_size=CHUNK)
    os.replace(path + ".part", path)
    return nbytes


def arrow_size(path: str) -> int:
    """The file's rows as Arrow, in bytes, read one row group at a time."""
    pf = pq.ParquetFile(path)
    return sum(pf.read_row_group(i).nbytes for i in range(pf.num_row_groups))


def load_table(con, path: str) -> None:
    """The file's rows copied into a DuckDB table ``trades`` (the peer's flat views need one)."""
    con.execute(f"CREATE OR REPLACE TABLE trades AS SELECT * FROM read_parquet('{path}')")


def host_ours(con, path: str, source: str = "parquet"):
    """Our table: the Parquet file as a relation, or the DuckDB table with its connection."""
    from perspective_nb import Server

    client = Server().new_local_client()
    if source == "table":
        return client.table("trades", connection=con, name="trades")
    return client.table(con.sql(f"SELECT * FROM read_parquet('{path}')"), name="trades")


def host_peer(con, path: str, source: str = "table"):
    """The peer's table: ``memory.trades`` through a session of its DuckDB virtual server."""
    import perspective
    from perspective.virtual_servers.duckdb import DuckDBVirtualServer

    name = "trades"
    if source == "parquet":
        name = "trades_file"
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    server = DuckDBVirtualServer(con)
    holder = {}
    session = server.new_session(lambda msg: holder["client"].handle_response(msg))
    holder["client"] = perspective.Client(session.handle_request)
    holder["session"] = session
    _SESSIONS.append(holder)  # kept open for the process's life
    return holder["client"].open_table(f"memory.{name}")


def step(table, cfg: dict) -> None:
    view = table.view(**cfg)
    view.to_arrow(**VIEWPORT)
    view.num_rows()
    view.delete()


class PeakRss:
    """The peak resident set size of a process, sampled every 10 ms from a
    thread started on construction until :meth:`stop`."""

    def __init__(self, process) -> None:
        self._process = process
        self._peak = process.memory_info().rss
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.01):
            self._peak = max(self._peak, self._process.memory_info().rss)

    def stop(self) -> int:
        """Stop sampling; the peak RSS seen, the current RSS included (bytes)."""
        self._done.set()
        self._thread.join()
        return max(self._peak, self._process.memory_info().rss)


def child_memory(which: str, path: str) -> None:
    """Host with one server (``ours-parquet``, ``ours-table``, ``peer-table``), run every
    step once; print RSS figures as JSON."""
    import duckdb
    import psutil

    import perspective_nb  # noqa: F401  (imports done before the baseline)

    server, source = which.split("-")
    if server == "peer":
        import perspective  # noqa: F401
    proc = psutil.Process()
    con = duckdb.connect()
    before = proc.memory_info().rss
    peak = PeakRss(proc)
    t0 = time.perf_counter()
    if source == "table":
        load_table(con, path)
    host = host_ours if server == "ours" else host_peer
    table = host(con, path, source)
    host_ms = (time.perf_counter() - t0) * 1000
    latency = {}
    for label, cfg in CASES.items():
        t0 = time.perf_counter()
        try:
            step(table, cfg)
        except Exception:  # the peer's flat view over a DuckDB view
            continue
        latency[label] = (time.perf_counter() - t0) * 1000
    top = peak.stop()
    after = proc.memory_info().rss
    print(
        json.dumps(
            {
                "host_ms": host_ms,
                "gain": after - before,
                "peak_gain": top - before,
                "peak_rss": top,
                "latency_ms": latency,
            }
        )
    )


def memory(which: str, path: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, "--file", path],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve_memory(path: str, repeat: int) -> None:
    """``python -m perspective_nb serve FILE --engine duckdb`` browsed over its websocket.

    Prints the server process's RSS after starting, and its peak while a
    websocket client opens each view (first read, then a median of
    ``repeat``).
    """
    import re

    import psutil

    from perspective_nb.client import websocket

    proc = subprocess.Popen(
        [sys.executable, "-m", "perspective_nb", "serve", path, "--engine", "duckdb",
         "--port", "0", "--name", "trades"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = None
        for line in proc.stdout:  # the banner names the URL
            match = re.search(r"at (http://\S+?)/?$", line.strip())
            if match:
                url = match.group(1)
                break
        if url is None:
            raise RuntimeError("serve printed no URL")
        server = psutil.Process(proc.pid)
        started = server.memory_info().rss
        peak = PeakRss(server)
        client = websocket(url.replace("http://", "ws://") + "/websocket")
        table = client.open_table("trades")
        rows = []
        for label, cfg in CASES.items():
            t0 = time.perf_counter()
            step(table, cfg)
            first = (time.perf_counter() - t0) * 1000
            rows.append((label, first, median_ms(lambda cfg=cfg: step(table, cfg), repeat)))
        top = peak.stop()
        print(f"serve (websocket): server RSS {started / 1e6:,.0f} MB after start, "
              f"peak {top / 1e6:,.0f} MB while browsing")  # fmt: skip
        for label, first, warm in rows:
            print(f"  {label:42} {first:7.0f} ms first, {warm:7.0f} ms median of {repeat}")
        client.terminate()
    finally:
        proc.terminate()
        proc.wait(30)


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def compare(path: str, repeat: int) -> None:
    """Each case on the four tables in turn, ``repeat`` rounds; medians and ratios.

    The peer over the Parquet view cannot show an unsorted flat view (it
    orders by ``rowid``, which a view lacks): that cell is ``-``.
    """
    import duckdb

    con = duckdb.connect()
    load_table(con, path)
    tables = {
        "ours Parquet": host_ours(con, path, "parquet"),
        "peer Parquet": host_peer(con, path, "parquet"),
        "ours table": host_ours(con, path, "table"),
        "peer table": host_peer(con, path, "table"),
    }
    print(f"{'view (open + 100 rows + row count), ms':40}"
          + "".join(f"{k:>13}" for k in tables)
          + f"{'ratio Parquet':>15}{'ratio table':>13}")  # fmt: skip
    ratios: dict[str, list[float]] = {"Parquet": [], "table": []}
    for label, cfg in CASES.items():
        live = dict(tables)
        for key, table in tables.items():  # warm-up: the file's pages, DuckDB's caches
            try:
                step(table, cfg)
            except Exception:  # the peer's flat view over a DuckDB view
                del live[key]
        times: dict[str, list[float]] = {k: [] for k in live}
        for _ in range(repeat):  # alternate, so that load swings hit every side
            for key, table in live.items():
                times[key].append(median_ms(lambda t=table, cfg=cfg: step(t, cfg), 1))
        med = {k: statistics.median(v) for k, v in times.items()}
        cells, out = [], []
        for key in tables:
            cells.append(f"{med[key]:13.0f}" if key in med else f"{'-':>13}")
        for source in ratios:
            if f"peer {source}" in med:
                ratios[source].append(med[f"peer {source}"] / med[f"ours {source}"])
                out.append(f"{ratios[source][-1]:.2f}x")
            else:
                out.append("-")
        print(f"{label:40}{''.join(cells)}{out[0]:>15}{out[1]:>13}")
    means = [f"{geomean(r):.2f}x" for r in ratios.values()]
    print(f"{'geomean':40}{'':52}{means[0]:>15}{means[1]:>13}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", default=None, help="where the Parquet file goes")
    parser.add_argument("--keep", action="store_true", help="keep the Parquet file")
    parser.add_argument(
        "--serve", action="store_true", help="also browse it through `perspective_nb serve`"
    )
    parser.add_argument("--file", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_memory(args.child, args.file)
        return
    big = args.rows > 10_000_000
    folder = args.dir or ("/tmp" if big else os.path.join(os.path.dirname(__file__), "results"))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"trades_{args.rows}.parquet")
    try:
        t0 = time.perf_counter()
        if os.path.exists(path):
            nbytes = arrow_size(path)
        else:
            nbytes = make_file(path, args.rows)
        mb = os.path.getsize(path) / 1e6
        print(f"{args.rows:,} rows: Parquet {mb:,.0f} MB, as Arrow {nbytes / 1e6:,.0f} MB "
              f"(ready in {time.perf_counter() - t0:.0f} s)")  # fmt: skip
        sides = ["ours-parquet"]
        if not big:
            sides += ["peer-parquet", "ours-table", "peer-table"]
        for which in sides:
            m = memory(which, path)
            print(f"{which}: host {m['host_ms']:.0f} ms; RSS gained hosting and viewing "
                  f"{m['gain'] / 1e6:,.0f} MB ({m['gain'] / nbytes:.0%} of Arrow), peak "
                  f"{m['peak_gain'] / 1e6:,.0f} MB ({m['peak_gain'] / nbytes:.0%}); "
                  f"process peak RSS {m['peak_rss'] / 1e6:,.0f} MB")  # fmt: skip
            if big:
                for label, ms in m["latency_ms"].items():
                    print(f"  {label:42} {ms:7.0f} ms (first, cold)")
        if big:
            import duckdb

            con = duckdb.connect()
            ours = host_ours(con, path)
            for label, cfg in CASES.items():
                ms = median_ms(lambda cfg=cfg: step(ours, cfg), args.repeat)
                print(f"  {label:42} {ms:7.0f} ms (median of {args.repeat}, warm)")
        else:
            compare(path, args.repeat)
        if args.serve:
            serve_memory(path, args.repeat)
    finally:
        if big and not args.keep and os.path.exists(path):
            os.remove(path)


if __name__ == "__main__":
    main()
