"""group_by, split_by, sort, filter and expressions set through ``viewer.restore``.

Each test compares what the datagrid shows with the same numbers computed
in Python from the sample table's data.
"""

from __future__ import annotations

import pytest
from browser_data import CATEGORIES, REGIONS, group_sums, rows_of
from browser_harness import Grid, ViewerPage, parse_number

FLAT = {"group_by": [], "split_by": [], "sort": [], "filter": [], "expressions": {}}


@pytest.fixture(scope="module")
def rows(sample: dict[str, list]) -> list[dict]:
    return rows_of(sample)


def _grouped(grid: Grid, groups: int) -> bool:
    # The total row plus one row per group.
    return len(grid.rows) == groups + 1


def test_group_by_sums(viewer: ViewerPage, rows: list[dict]) -> None:
    viewer.restore({**FLAT, "group_by": ["region"], "columns": ["qty", "price"]})
    grid = viewer.wait_for_grid(lambda g: _grouped(g, len(REGIONS)), "one row per region")
    assert grid.columns == ["qty", "price"]
    assert grid.labels == ["TOTAL", *sorted(REGIONS)]
    shown = grid.by_label()
    qty = group_sums(rows, lambda r: r["region"], lambda r: r["qty"])
    price = group_sums(rows, lambda r: r["region"], lambda r: r["price"])
    for region in REGIONS:
        assert shown[region] == [qty[region], price[region]], region
    assert shown["TOTAL"] == [sum(qty.values()), sum(price.values())]


def test_split_by_columns(viewer: ViewerPage, rows: list[dict]) -> None:
    viewer.restore({**FLAT, "group_by": ["region"], "split_by": ["category"], "columns": ["qty"]})
    grid = viewer.wait_for_grid(
        lambda g: _grouped(g, len(REGIONS)) and len(g.head) == 2, "a region x category grid"
    )
    # Two header rows: the split values over the column name.
    assert [c for c in grid.head[0] if c] == sorted(CATEGORIES)
    assert grid.columns == ["qty"] * len(CATEGORIES)
    expected = group_sums(rows, lambda r: (r["region"], r["category"]), lambda r: r["qty"])
    shown = grid.by_label()
    for region in REGIONS:
        assert shown[region] == [expected.get((region, c), 0) for c in sorted(CATEGORIES)]


def test_sort(viewer: ViewerPage, rows: list[dict]) -> None:
    # (qty, price) pairs repeat every 100 rows: the third key makes the order total.
    sort = [["qty", "desc"], ["price", "asc"], ["id", "desc"]]
    viewer.restore({**FLAT, "sort": sort, "columns": ["id", "qty", "price"]})
    ordered = sorted(rows, key=lambda r: (-r["qty"], r["price"], -r["id"]))
    grid = viewer.wait_for_grid(
        lambda g: g.columns == ["id", "qty", "price"] and int(g.values[0][0]) == ordered[0]["id"],
        "rows sorted by qty, price, id",
    )
    shown = [(int(i), int(q), parse_number(p)) for i, q, p in grid.values[:20]]
    assert shown == [(r["id"], r["qty"], r["price"]) for r in ordered[:20]]


def test_filter(viewer: ViewerPage, rows: list[dict]) -> None:
    viewer.restore(
        {
            **FLAT,
            "group_by": ["category"],
            "filter": [["region", "==", "East"], ["qty", ">", 25]],
            "columns": ["qty", "id"],
            "aggregates": {"id": "count"},
        }
    )
    kept = [r for r in rows if r["region"] == "East" and r["qty"] > 25]
    grid = viewer.wait_for_grid(lambda g: _grouped(g, len(CATEGORIES)), "filtered groups")
    shown = grid.by_label()
    qty = group_sums(kept, lambda r: r["category"], lambda r: r["qty"])
    count = group_sums(kept, lambda r: r["category"], lambda r: 1)
    for category in CATEGORIES:
        assert shown[category] == [qty[category], count[category]], category
    assert shown["TOTAL"] == [sum(qty.values()), len(kept)]


def test_expression(viewer: ViewerPage, rows: list[dict]) -> None:
    viewer.restore(
        {
            **FLAT,
            "expressions": {"revenue": '"qty" * "price"'},
            "group_by": ["region"],
            "columns": ["revenue"],
        }
    )
    grid = viewer.wait_for_grid(
        lambda g: g.columns == ["revenue"] and _grouped(g, len(REGIONS)), "revenue per region"
    )
    expected = group_sums(rows, lambda r: r["region"], lambda r: r["qty"] * r["price"])
    shown = grid.by_label()
    for region in REGIONS:
        assert shown[region] == [expected[region]], region
    assert shown["TOTAL"] == [sum(expected.values())]
