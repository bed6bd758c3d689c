"""Window columns in the 5.5.1 viewer (5.x feature; the 3.8 viewer has none).

The viewer reads ``window_aggregates`` from ``get_features``, sends
``ViewConfig.windows`` and shows the window column the server computed.
"""

from __future__ import annotations

import pytest
from browser_harness import ViewerPage

WINDOW = {"column": "qty", "aggregate": "sum", "partition_by": ["region"], "cumulative": True}


@pytest.mark.parametrize("generation", ["perspective-dev"])
def test_viewer_shows_a_window_column(viewer: ViewerPage) -> None:
    viewer.restore(
        {
            "columns": ["id", "region", "qty", "running qty"],
            "windows": {"running qty": WINDOW},
        }
    )
    grid = viewer.wait_for_grid(lambda g: "running qty" in g.columns, "the window column")
    saved = viewer.page.evaluate("window.perspectiveNb.viewer.save()")
    assert saved["windows"] == {"running qty": WINDOW}
    qty = [float(v) for v in grid.column(grid.columns.index("qty"))]
    running = [float(v.replace(",", "")) for v in grid.column(grid.columns.index("running qty"))]
    region = grid.column(grid.columns.index("region"))
    totals: dict[str, float] = {}
    for r, q, w in zip(region, qty, running, strict=True):
        totals[r] = totals.get(r, 0.0) + q
        assert w == totals[r]
