"""Benchmark: Perspective 5.x's text filter ops on 1M strings, vs perspective-python and pyarrow.

A view filtered with ``matches`` (an RE2 search), ``not contains`` and
``not begins with`` on the 1,000-value ``product`` column of bench_engine's
seeded table; each step opens the view and reads its first 100 rows (what a
grid asks for), through the public local client. "raw pyarrow" is the
filter written by hand (``match_substring_regex`` on the column, then
``filter`` and a 100-row slice).

Run: ``python bench/bench_filters.py [--rows N]`` from an environment with
perspective-python 5.x to get the peer's column. Not a test: read the ratios.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_engine import VIEWPORT, make_table
from timing import median_ms

from perspective_nb import Server

try:
    import perspective  # the peer being compared against (never used by the package)
except ImportError:  # pragma: no cover - the bench still runs our side alone
    perspective = None

FILTERS = {
    "matches 'product0[12][0-9]7'": ["product", "matches", "product0[12][0-9]7"],
    "not contains '5'": ["product", "not contains", "5"],
    "not begins with 'product00'": ["product", "not begins with", "product00"],
}

RAW = {
    "matches 'product0[12][0-9]7'": lambda col: pc.match_substring_regex(col, "product0[12][0-9]7"),
    "not contains '5'": lambda col: pc.invert(pc.match_substring(col, "5")),
    "not begins with 'product00'": lambda col: pc.invert(pc.starts_with(col, "product00")),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tbl = make_table(args.rows)
    ours = Server().new_local_client().table(tbl)
    theirs = perspective.Server().new_local_client().table(tbl) if perspective else None
    product = tbl.column("product")
    version = getattr(perspective, "__version__", "not installed") if perspective else "n/a"
    print(f"\n{args.rows:,} rows; perspective-python {version}; median ms of {args.repeat}\n")
    print("| filter on `product` (+ 100-row viewport) | perspective_nb | perspective-python "
          "| raw pyarrow | speed-up vs perspective |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for label, term in FILTERS.items():

        def view_read(table, term=term):
            view = table.view(filter=[term])
            view.to_columns(**VIEWPORT)
            view.delete()

        def raw(label=label):
            tbl.filter(RAW[label](product)).slice(0, 100).to_pydict()

        a = median_ms(lambda: view_read(ours), args.repeat)
        b = median_ms(lambda: view_read(theirs), args.repeat) if theirs is not None else None
        c = median_ms(raw, args.repeat)
        ratio = f"{b / a:.1f}x" if b else ""
        peer = f"{b:.1f}" if b is not None else ""
        print(f"| {label} | {a:.1f} | {peer} | {c:.1f} | {ratio} |")


if __name__ == "__main__":
    pa.set_cpu_count(max(pa.cpu_count(), 1))
    main()
