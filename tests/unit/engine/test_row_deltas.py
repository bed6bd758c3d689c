"""``on_update(mode="row")``: which rows a write reports, in which order, per kind of view.

Every expectation is what perspective-python 5.6.1 reports for the same
writes (port id 0, the delta as Arrow IPC of the view's columns).
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table


def _decode(delta: bytes) -> dict:
    return pa.ipc.open_stream(delta).read_all().to_pydict()


class Recorder:
    """Collects the deltas of several views by name."""

    def __init__(self) -> None:
        self.seen: dict[str, list] = {}

    def watch(self, name: str, view) -> None:
        self.seen[name] = []
        view.on_update(lambda port, delta: self.seen[name].append((port, delta)), mode="row")

    def take(self) -> dict[str, list]:
        out = {name: [(port, _decode(d)) for port, d in calls] for name, calls in self.seen.items()}
        for calls in self.seen.values():
            calls.clear()
        return out


@pytest.fixture
def indexed():
    table = Table({"k": [1, 2, 3], "g": ["a", "b", "a"], "v": [10, 20, 30]}, name="t", index="k")
    rec = Recorder()
    rec.watch("flat", table.view())
    rec.watch("grouped", table.view(group_by=["g"]))
    rec.watch("sorted", table.view(sort=[["v", "desc"]]))
    rec.watch("filtered", table.view(filter=[["v", ">", 15]]))
    rec.watch("grouped sorted", table.view(group_by=["g"], sort=[["v", "desc"]], columns=["v"]))
    return table, rec


def test_upsert_reports_changed_rows_in_view_order(indexed):
    table, rec = indexed
    table.update({"k": [2, 4], "g": ["a", "c"], "v": [5, 40]})
    # as perspective-python 5.6.1 answers
    assert rec.take() == {
        "flat": [(0, {"k": [2, 4], "g": ["a", "c"], "v": [5, 40]})],
        # total, then the groups holding written rows ("b" emptied: gone)
        "grouped": [(0, {"k": [10, 6, 4], "g": [4, 3, 1], "v": [85, 45, 40]})],
        "sorted": [(0, {"k": [4, 2], "g": ["c", "a"], "v": [40, 5]})],
        "filtered": [(0, {"k": [4], "g": ["c"], "v": [40]})],
        "grouped sorted": [(0, {"v": [85, 45, 40]})],
    }


def test_replace_reports_its_new_rows(indexed):
    table, rec = indexed
    table.replace({"k": [9], "g": ["z"], "v": [1]})
    # as perspective-python 5.6.1 answers
    assert rec.take() == {
        "flat": [(0, {"k": [9], "g": ["z"], "v": [1]})],
        "grouped": [(0, {"k": [9, 9], "g": [1, 1], "v": [1, 1]})],
        "sorted": [(0, {"k": [9], "g": ["z"], "v": [1]})],
        "filtered": [(0, {"k": [], "g": [], "v": []})],
        "grouped sorted": [(0, {"v": [1, 1]})],
    }


def test_replace_whose_rows_the_filter_drops_reports_nothing():
    table = Table({"k": [1], "g": ["a"], "v": [10]}, name="t", index="k")
    rec = Recorder()
    rec.watch("grouped filtered", table.view(group_by=["g"], filter=[["v", "<", 15]]))
    table.replace({"k": [2], "g": ["a"], "v": [20]})
    # as perspective-python 5.6.1 answers: not even the total row
    assert rec.take() == {"grouped filtered": [(0, {"k": [], "g": [], "v": []})]}


def test_remove_reports_the_surviving_rows_it_changed(indexed):
    table, rec = indexed
    table.replace({"k": [9], "g": ["z"], "v": [1]})
    rec.take()
    table.remove([9])
    # as perspective-python 5.6.1 answers: the total row of the now empty view
    assert rec.take() == {
        "flat": [(0, {"k": [], "g": [], "v": []})],
        "grouped": [(0, {"k": [None], "g": [0], "v": [None]})],
        "sorted": [(0, {"k": [], "g": [], "v": []})],
        "filtered": [(0, {"k": [], "g": [], "v": []})],
        "grouped sorted": [(0, {"v": [None]})],
    }


def test_views_of_a_table_made_from_a_schema():
    table = Table({"x": "integer", "s": "string"}, name="e")
    rec = Recorder()
    rec.watch("flat", table.view())
    rec.watch("grouped", table.view(group_by=["s"]))
    table.update({"x": [1, 2], "s": ["p", "q"]})
    # as perspective-python 5.6.1 answers
    assert rec.take() == {
        "flat": [(0, {"x": [1, 2], "s": ["p", "q"]})],
        "grouped": [(0, {"x": [3, 1, 2], "s": [2, 1, 1]})],
    }
    table.update({"x": [3], "s": ["p"]})
    assert rec.take() == {
        "flat": [(0, {"x": [3], "s": ["p"]})],
        "grouped": [(0, {"x": [6, 4], "s": [3, 2]})],
    }


@pytest.fixture
def nested():
    data = {"k": [1, 2, 3], "g": ["a", "b", "a"], "h": ["x", "y", "y"], "v": [10, 20, 30]}
    table = Table(data, name="n", index="k")
    rec = Recorder()
    rec.watch("split flat", table.view(split_by=["g"], columns=["v"]))
    rec.watch("split grouped", table.view(group_by=["h"], split_by=["g"], columns=["v"]))
    rec.watch("depth 1", table.view(group_by=["g", "h"], group_by_depth=1, columns=["v"]))
    rec.watch("two levels", table.view(group_by=["g", "h"], columns=["v"]))
    rec.watch("filtered out", table.view(group_by=["g"], filter=[["v", ">", 100]], columns=["v"]))
    rec.watch(
        "expression sort",
        table.view(expressions={"e": '"v" * 2'}, columns=["v", "e"], sort=[["e", "desc"]]),
    )
    rec.watch(
        "expression group",
        table.view(expressions={"e": 'upper("g")'}, group_by=["e"], columns=["v"]),
    )
    return table, rec


def test_partial_updates_nested_groups_splits_and_expressions(nested):
    table, rec = nested
    table.update({"k": [3], "v": [31]})
    # as perspective-python 5.6.1 answers
    assert rec.take() == {
        "split flat": [(0, {"a|v": [31], "b|v": [None]})],
        "split grouped": [(0, {"a|v": [41, 31], "b|v": [20, 20]})],
        "depth 1": [(0, {"v": [61, 41]})],
        "two levels": [(0, {"v": [61, 41, 31]})],
        "filtered out": [(0, {"v": []})],
        "expression sort": [(0, {"v": [31], "e": [62.0]})],
        "expression group": [(0, {"v": [61, 41]})],
    }
    table.update({"k": [5], "g": [None], "h": ["x"], "v": [7]})
    seen = rec.take()
    # as perspective-python 5.6.1 answers (a null group sorts first)
    assert seen["split grouped"] == [(0, {"null|v": [7, 7], "a|v": [41, 10], "b|v": [20, None]})]
    assert seen["two levels"] == [(0, {"v": [68, 7, 7]})]
    assert seen["depth 1"] == [(0, {"v": [68, 7]})]
    assert seen["expression group"] == [(0, {"v": [68, 7]})]


def test_clear_reports_no_rows(nested):
    table, rec = nested
    table.clear()
    # as perspective-python 5.6.1 answers: no rows (split views: no columns left)
    assert rec.take() == {
        "split flat": [(0, {})],
        "split grouped": [(0, {})],
        "depth 1": [(0, {"v": []})],
        "two levels": [(0, {"v": []})],
        "filtered out": [(0, {"v": []})],
        "expression sort": [(0, {"v": [], "e": []})],
        "expression group": [(0, {"v": []})],
    }


def test_unindexed_appends_and_limits():
    table = Table({"x": [3, 1, 2]}, name="u")
    rec = Recorder()
    rec.watch("sorted", table.view(sort=[["x", "asc"]]))
    rec.watch("flat", table.view())
    table.update({"x": [9, 0, 5]})
    # as perspective-python 5.6.1 answers
    assert rec.take() == {"sorted": [(0, {"x": [0, 5, 9]})], "flat": [(0, {"x": [9, 0, 5]})]}
    limited = Table({"x": [1, 2, 3]}, name="l", limit=3)
    rec = Recorder()
    rec.watch("flat", limited.view())
    rec.watch("grouped", limited.view(group_by=["x"]))
    limited.update({"x": [4]})
    assert rec.take() == {"flat": [(0, {"x": [4]})], "grouped": [(0, {"x": [9, 4]})]}


def test_delta_arrow_types_are_the_views():
    table = Table({"k": [1, 2], "g": ["a", "b"], "v": [1.5, 2.5]}, name="ty", index="k")
    deltas = []
    table.view(group_by=["g"]).on_update(lambda p, d: deltas.append(d), mode="row")
    table.update({"k": [1], "v": [3.0]})
    schema = pa.ipc.open_stream(deltas[0]).read_all().schema
    # as perspective-python 5.6.1 answers: aggregates typed as in to_arrow
    assert [(f.name, str(f.type)) for f in schema] == [
        ("k", "int64"),
        ("g", "int64"),
        ("v", "double"),
    ]


def test_a_group_whose_values_did_not_change_is_not_reported():
    table = Table({"k": [0, 1], "g": ["a", "b"], "v": [51, 7]}, name="same", index="k")
    rec = Recorder()
    rec.watch("grouped", table.view(group_by=["g"], columns=["v"]))
    # key 0 leaves "a" and key 5 joins it with the same value: "a" shows the same sum
    table.update({"k": [0, 5], "g": ["c", "a"], "v": [37, 51]})
    # as perspective-python 5.6.1 answers: the total and the new group "c"
    assert rec.take() == {"grouped": [(0, {"v": [95, 37]})]}


def test_a_split_cell_that_empties_is_not_a_change():
    data = {"k": [1, 2, 3], "g": ["a", "c", "a"], "h": ["x", None, None], "v": [5, 57, 94]}
    table = Table(data, name="cells", index="k")
    rec = Recorder()
    rec.watch("split", table.view(group_by=["h"], split_by=["g"], columns=["v"]))
    # key 2 moves from h=None to h="x": the None row only loses its "c" cell
    table.update({"k": [2], "h": ["x"]})
    # as perspective-python 5.6.1 answers: the "x" row alone (the total row
    # shows the same values as before)
    assert rec.take() == {"split": [(0, {"a|v": [5], "c|v": [57]})]}
