"""A d3fc chart plugin ("Y Bar") draws the hosted table's aggregates."""

from __future__ import annotations

from browser_data import REGIONS, group_sums, rows_of
from browser_harness import TIMEOUT_S, ViewerPage

# The bars' heights and the x axis labels, read from the plugin's shadow DOM.
_READ_BARS = """() => {
    const chart = document.querySelector("perspective-viewer-d3fc-ybar");
    if (!chart || !chart.shadowRoot) return null;
    const root = chart.shadowRoot;
    return {
        svgs: root.querySelectorAll("svg").length,
        heights: [...root.querySelectorAll("g.bar path")].map((p) => p.getBBox().height),
        labels: [...root.querySelectorAll(".x-axis .tick text")].map((t) => t.textContent),
    };
}"""


def test_y_bar_chart_renders(viewer: ViewerPage, sample: dict[str, list]) -> None:
    viewer.restore({"plugin": "Y Bar", "group_by": ["region"], "columns": ["qty"]})
    viewer.page.wait_for_function(
        f"({_READ_BARS})()?.heights.length === {len(REGIONS)}", timeout=TIMEOUT_S * 1000
    )
    bars = viewer.page.evaluate(_READ_BARS)
    assert bars["svgs"] > 0
    assert bars["labels"] == sorted(REGIONS)
    # Bar heights are proportional to the per-region sums.
    sums = group_sums(rows_of(sample), lambda r: r["region"], lambda r: r["qty"])
    expected = [sums[r] for r in sorted(REGIONS)]
    tallest = max(bars["heights"])
    assert tallest > 100, "bars are too small to be a drawn chart"
    for height, total in zip(bars["heights"], expected, strict=True):
        assert abs(height / tallest - total / max(expected)) < 0.02
