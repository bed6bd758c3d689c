"""Perspective 5.x's text filter ops in the 5.5.1 viewer (the 3.8 viewer has none).

The viewer offers the ops ``get_features`` lists for a string column; a
``matches`` filter set in the viewer is computed by the server (an RE2
search) and the grid shows only the matching rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import ViewerPage

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.mark.parametrize("generation", ["perspective-dev"])
def test_viewer_filters_with_a_regular_expression(viewer: ViewerPage) -> None:
    viewer.wait_for_grid(lambda g: len(g.rows) > 5, "the first rows")
    viewer.restore(
        {"columns": ["id", "region", "qty"], "filter": [["region", "matches", "^(E|W)"]]}
    )
    grid = viewer.wait_for_grid(
        lambda g: (
            g.rows and all(re.match("^(E|W)", r) for r in g.column(g.columns.index("region")))
        ),
        "only the rows whose region matches",
    )
    regions = set(grid.column(grid.columns.index("region")))
    assert regions == {"East", "West"}
    viewer.page.screenshot(path=str(ARTIFACTS / "regex-filter.png"))
    # The filter's op menu in the viewer lists 5.x's text ops for the column.
    ops = viewer.page.locator("perspective-viewer #filter select option").all_inner_texts()
    assert {"matches", "not matches", "not contains", "not begins with"} <= set(ops)
    saved = viewer.page.evaluate("window.perspectiveNb.viewer.save()")
    assert saved["filter"] == [["region", "matches", "^(E|W)"]]
