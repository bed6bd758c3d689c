"""A DuckDB table hosted by the server, open in the 5.5.1 viewer, written from Python.

The table's rows live in DuckDB (``client.table("orders", connection=con)``):
the viewer's views run as SQL there. ``table.update`` / ``table.remove``
called in Python write into the DuckDB table, and the open grid shows the
new rows without being reloaded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from browser_harness import ServerThread, ViewerPage

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        if os.environ.get("PERSPECTIVE_NB_REQUIRE_BROWSER") == "1":
            pytest.fail("browser tests cannot run: the duckdb package")
        pytest.skip("DuckDB-backed tables need the duckdb package")
    return duckdb


def test_viewer_follows_writes_to_a_duckdb_table(
    page: Any, served: ServerThread, duckdb: Any
) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE orders (id INTEGER, name VARCHAR, qty INTEGER)")
    con.execute("INSERT INTO orders VALUES (1, 'apple', 10), (2, 'pear', 20), (3, 'plum', 30)")
    table = served.table("orders", connection=con, name="duck-orders", index="id")
    viewer = ViewerPage(page, served.url).open("duck-orders", "perspective-dev")
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 3, "the three DuckDB rows")
    assert grid.columns == ["id", "name", "qty"]
    assert grid.values == [["1", "apple", "10"], ["2", "pear", "20"], ["3", "plum", "30"]]

    # An upsert from Python: row 2 changes, rows 4 and 5 are new.
    served.call(
        table.update,
        [
            {"id": 2, "name": "PEAR", "qty": 200},
            {"id": 4, "name": "fig", "qty": 40},
            {"id": 5, "name": "kiwi", "qty": 50},
        ],
    )
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 5, "the upserted rows")
    assert grid.values == [
        ["1", "apple", "10"],
        ["2", "PEAR", "200"],
        ["3", "plum", "30"],
        ["4", "fig", "40"],
        ["5", "kiwi", "50"],
    ]
    # The rows are in DuckDB, not in a copy.
    assert con.execute("SELECT qty FROM orders WHERE id = 2").fetchone() == (200,)

    # A remove by key.
    served.call(table.remove, [1, 3])
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 3, "the rows left after the remove")
    assert grid.values == [["2", "PEAR", "200"], ["4", "fig", "40"], ["5", "kiwi", "50"]]
    # The page's row count follows the writes too.
    viewer.page.wait_for_function(
        "() => document.querySelector('#status').textContent === 'duck-orders: 3 rows'"
    )
    served.call(table.update, [{"id": 7, "name": "lime", "qty": 0}])
    viewer.page.wait_for_function(
        "() => document.querySelector('#status').textContent === 'duck-orders: 4 rows'"
    )
    served.call(table.remove, [7])
    viewer.page.wait_for_function(
        "() => document.querySelector('#status').textContent === 'duck-orders: 3 rows'"
    )
    viewer.wait_for_grid(lambda g: len(g.rows) == 3, "the rows after the lime came and went")
    viewer.page.screenshot(path=str(ARTIFACTS / "duckdb-table-after-remove.png"))

    # A grouped view in the same viewer recomputes its total in DuckDB.
    viewer.restore({"group_by": ["name"], "columns": ["qty"]})
    viewer.wait_for_grid(lambda g: g.labels[:1] == ["TOTAL"], "the grouped view")
    served.call(table.update, [{"id": 6, "name": "fig", "qty": 6}])
    grid = viewer.wait_for_grid(
        lambda g: g.by_label().get("TOTAL") == [296.0], "the total after the update"
    )
    assert grid.by_label()["fig"] == [46.0]
    viewer.page.screenshot(path=str(ARTIFACTS / "duckdb-table-writes.png"))
    con.close()
