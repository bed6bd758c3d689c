"""A server-side ``table.update`` shows up in a grid that is already open."""

from __future__ import annotations

from browser_harness import ServerThread, ViewerPage


def test_server_update_appears_in_open_grid(
    page: object, served: ServerThread, generation: str
) -> None:
    name = f"live-{generation}"
    table = served.table(
        {"id": [1, 2, 3], "name": ["a", "b", "c"], "qty": [10, 20, 30]}, name=name, index="id"
    )
    viewer = ViewerPage(page, served.url).open(name, generation)
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 3, "the three rows")
    assert grid.values == [["1", "a", "10"], ["2", "b", "20"], ["3", "c", "30"]]

    # An upsert: row 2 changes, row 4 is new.
    served.call(
        table.update, [{"id": 2, "name": "B", "qty": 200}, {"id": 4, "name": "d", "qty": 40}]
    )
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 4, "the updated rows")
    assert grid.values == [["1", "a", "10"], ["2", "B", "200"], ["3", "c", "30"], ["4", "d", "40"]]

    # The open grid keeps following: a grouped view recomputes its total.
    viewer.restore({"group_by": ["name"], "columns": ["qty"]})
    viewer.wait_for_grid(lambda g: g.labels[:1] == ["TOTAL"], "the grouped view")
    served.call(table.update, [{"id": 1, "qty": 1000}])
    grid = viewer.wait_for_grid(
        lambda g: g.by_label()["TOTAL"] == [1270.0], "the total after the update"
    )
    assert grid.by_label()["a"] == [1000.0]


def test_update_from_another_thread_appears(page: object, served: ServerThread) -> None:
    # Code outside the server's event loop (a worker thread, a notebook cell)
    # updating a hosted table: the open grid must still follow.
    name = "live-threaded"
    table = served.table({"id": [1], "qty": [1]}, name=name, index="id")
    viewer = ViewerPage(page, served.url).open(name, "finos")
    viewer.wait_for_grid(lambda g: g.values == [["1", "1"]], "the single row")
    table.update([{"id": 1, "qty": 5}, {"id": 2, "qty": 7}])  # on the test's thread
    grid = viewer.wait_for_grid(lambda g: len(g.rows) == 2, "the updated rows")
    assert grid.values == [["1", "5"], ["2", "7"]]
