"""``python -m perspective_nb serve`` serves a data file (or the sample) to the browser."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from browser_harness import SERVER_ENV, TIMEOUT_S, Serving, ViewerPage

pytestmark = pytest.mark.skipif(
    os.environ.get(SERVER_ENV) == "reference",
    reason="exercises perspective_nb's own command line, not a reference server",
)


@pytest.fixture
def serve(node_modules: Path) -> Iterator:
    started: list[Serving] = []
    env = {**os.environ, "PERSPECTIVE_NB_NODE_MODULES": str(node_modules)}

    def start(*args: str) -> Serving:
        started.append(Serving(list(args), env=env, cwd=Path(__file__).parents[2]))
        return started[-1]

    yield start
    for proc in started:
        proc.close()


def test_serve_csv_with_index(serve, page, tmp_path: Path) -> None:
    # Ids in reverse order: an indexed table keeps rows in primary-key order.
    ids = list(range(30, 0, -1))
    csv = tmp_path / "orders.csv"
    csv.write_text("id,city,amount\n" + "".join(f"{i},city{i},{i * 1.5}\n" for i in ids))
    served = serve(str(csv), "--index", "id", "--name", "orders")
    assert "'orders' (30 rows)" in served.banner
    viewer = ViewerPage(page, served.url).open("orders", "finos")
    grid = viewer.wait_for_grid(lambda g: len(g.rows) >= 10, "the orders")
    assert grid.columns == ["id", "city", "amount"]
    assert grid.values[:3] == [
        ["1", "city1", "1.50"],
        ["2", "city2", "3.00"],
        ["3", "city3", "4.50"],
    ]


def test_serve_parquet(serve, page, tmp_path: Path) -> None:
    path = tmp_path / "measurements.parquet"
    pq.write_table(pa.table({"sensor": ["s1", "s2"], "value": [0.25, 0.5]}), path)
    served = serve(str(path))
    viewer = ViewerPage(page, served.url).open("measurements", "perspective-dev")
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 2, "both rows")
    assert grid.columns == ["sensor", "value"]
    assert grid.values == [["s1", "0.25"], ["s2", "0.50"]]


def test_serve_superstore_sample_by_default(serve, page) -> None:
    served = serve()
    assert "'superstore' (9994 rows)" in served.banner
    # No ?table=: the page opens the table the command hosted.
    page.goto(served.url + "/")
    ViewerPage(page, served.url).wait_loaded()
    status = page.text_content("#status")
    assert status == "superstore: 9994 rows"


def test_serve_stops_cleanly_on_sigterm(serve, tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("a\n1\n")
    served = serve(str(csv))
    assert served.stop() == 0, "".join(served.output)


def test_serve_unknown_format_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"not really")
    result = subprocess.run(
        [sys.executable, "-m", "perspective_nb", "serve", str(path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 1
    assert "unknown extension '.xlsx'" in result.stderr
