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
    assert _running_sums_hold(grid, "qty", "running qty")


def _running_sums_hold(grid, value: str, window: str) -> bool:
    qty = [float(v) for v in grid.column(grid.columns.index(value))]
    running = [float(v.replace(",", "")) for v in grid.column(grid.columns.index(window))]
    region = grid.column(grid.columns.index("region"))
    totals: dict[str, float] = {}
    for r, q, w in zip(region, qty, running, strict=True):
        totals[r] = totals.get(r, 0.0) + q
        if w != totals[r]:
            return False
    return True


@pytest.mark.parametrize("generation", ["perspective-dev"])
def test_new_window_column_from_the_column_editor(viewer: ViewerPage) -> None:
    page = viewer.page
    viewer.wait_for_grid(lambda g: len(g.rows) > 5, "the first rows")
    # New Column -> Window tab: the tab is there because get_features lists
    # window aggregates; its aggregate list is the one we advertise.
    page.locator("perspective-viewer #add-expression").click()
    page.locator("perspective-viewer #settings_tab_bar #Window").click()
    source = page.locator("perspective-viewer #window-source input")
    source.click()
    source.type("qty")
    source.press("Enter")
    options = page.locator("perspective-viewer #window-source select option").all_inner_texts()
    assert options[:3] == ["sum", "avg", "count"]
    assert "ema" in options
    assert "rate" in options
    partition = page.locator("perspective-viewer #window-partition-by input")
    partition.click()
    partition.type("region")
    partition.press("Enter")
    page.locator("perspective-viewer #psp-expression-editor-button-save").click()
    page.wait_for_function(
        "async () => Object.keys((await window.perspectiveNb.viewer.save()).windows || {}).length"
    )
    saved = page.evaluate("window.perspectiveNb.viewer.save()")
    (alias, spec), *_ = saved["windows"].items()
    assert spec == {"column": "qty", "aggregate": "sum", "partition_by": ["region"]}
    viewer.restore({"columns": ["id", "region", "qty", alias]})
    grid = viewer.wait_for_grid(lambda g: alias in g.columns, "the new window column")
    assert _running_sums_hold(grid, "qty", alias)
