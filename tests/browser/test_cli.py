"""``python -m perspective_nb serve`` serves a data file (or the sample) to the browser."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from browser_harness import SERVER_ENV, TIMEOUT_S, ViewerPage

pytestmark = pytest.mark.skipif(
    os.environ.get(SERVER_ENV) == "reference",
    reason="exercises perspective_nb's own command line, not a reference server",
)


class Serving:
    """A ``python -m perspective_nb serve ...`` process and the URL it printed."""

    def __init__(self, args: list[str], node_modules: Path) -> None:
        env = {**os.environ, "PERSPECTIVE_NB_NODE_MODULES": str(node_modules)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "perspective_nb", "serve", *args, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=Path(__file__).parents[2],
        )
        lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []

        def pump() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line)
                lines.put(line)

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        try:
            while True:
                line = lines.get(timeout=TIMEOUT_S)
                match = re.search(r"at (http://\S+?)/?$", line.strip())
                if match:
                    self.url = match.group(1)
                    self.banner = line.strip()
                    break
        except queue.Empty:
            self.proc.kill()
            raise AssertionError(f"serve printed no URL: {''.join(self.output)}") from None

    def stop(self) -> int:
        """SIGTERM (a clean shutdown), then the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(TIMEOUT_S)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.stop()
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._pump.join(TIMEOUT_S)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture
def serve(node_modules: Path) -> Iterator:
    started: list[Serving] = []

    def start(*args: str) -> Serving:
        started.append(Serving(list(args), node_modules))
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
