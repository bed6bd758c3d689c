"""The datagrid shows the hosted table's cells, and fetches rows as it scrolls."""

from __future__ import annotations

from browser_harness import ViewerPage, parse_number

COLUMNS = ["id", "region", "category", "qty", "price", "name"]


def _expected_row(sample: dict[str, list], i: int) -> list[str]:
    # The datagrid's default formats: integers as-is (grouped by thousands),
    # floats with two decimals.
    return [
        str(sample["id"][i]),
        sample["region"][i],
        sample["category"][i],
        str(sample["qty"][i]),
        f"{sample['price'][i]:,.2f}",
        sample["name"][i],
    ]


def test_grid_shows_table_cells(viewer: ViewerPage, sample: dict[str, list]) -> None:
    grid = viewer.wait_for_grid(lambda g: len(g.rows) > 10, "the first rows")
    assert grid.columns == COLUMNS
    for i, row in enumerate(grid.values[:15]):
        assert row == _expected_row(sample, i), f"row {i}"


def test_scrolling_fetches_new_rows(viewer: ViewerPage, sample: dict[str, list]) -> None:
    viewer.wait_for_grid(lambda g: len(g.rows) > 10, "the first rows")
    frames_before = viewer.frames_sent
    viewer.page.evaluate(
        """() => {
            const grid = document.querySelector("perspective-viewer-datagrid");
            const table = (grid.shadowRoot || grid).querySelector("regular-table");
            table.scrollTop = table.scrollHeight / 2;
            table.dispatchEvent(new Event("scroll"));
        }"""
    )
    # Rows far below the first viewport can only be there if they were fetched.
    grid = viewer.wait_for_grid(
        lambda g: parse_number(g.column(0)[0]) > 300, "rows from the middle of the table"
    )
    first = int(parse_number(grid.column(0)[0]))
    assert viewer.frames_sent > frames_before, "no request was sent for the new rows"
    for offset, row in enumerate(grid.values):
        assert row == _expected_row(sample, first + offset)
