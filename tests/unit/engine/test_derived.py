"""Tables made from a view: follow the source, inherit index and limit, read-only."""

from __future__ import annotations

import pytest

from perspective_nb.engine.derived import ViewTable
from perspective_nb.engine.table import Table
from perspective_nb.errors import PerspectiveError, SchemaError


def test_follows_the_filter_in_source_order_with_the_inherited_index():
    t = Table({"k": [1, 2, 3], "x": [1.5, 2.5, 3.5]}, name="t", index="k")
    d = ViewTable(t.view(filter=[["x", ">", 2]], sort=[["x", "desc"]]), name="d")
    assert d.get_index() == "k"
    assert d.view().to_columns() == {"k": [2, 3], "x": [2.5, 3.5]}
    t.update({"k": [1, 4], "x": [9.0, 0.5]})
    assert d.view().to_columns() == {"k": [1, 2, 3], "x": [9.0, 2.5, 3.5]}


def test_pivot_rows_with_bare_key_columns_and_qualified_data_columns():
    t = Table({"s": ["a", "b", "a"], "x": [1, 2, 3]}, name="t")
    d = ViewTable(t.view(group_by=["s"], columns=["x", "s"]), name="d")
    assert d.view().to_columns() == {
        "s": [None, "a", "b"],
        "x": [6, 4, 2],
        "s (count)": [3, 2, 1],
    }


def test_schema_option_and_read_only():
    t = Table({"k": [1], "x": [1.5]}, name="t")
    d = ViewTable(t.view(), name="d", schema={"x": "float", "zz": "string"})
    assert d.view().to_columns() == {"x": [1.5], "zz": [None]}
    with pytest.raises(PerspectiveError, match="read-only derived table 'd'"):
        d.update({"x": [2.0]})
    with pytest.raises(SchemaError, match="declare it as float"):
        ViewTable(t.view(), name="e", schema={"x": "string"})


def test_split_values_that_appear_later_have_no_column():
    t = Table({"g": ["a"], "s": ["p"], "x": [1]}, name="t")
    d = ViewTable(t.view(group_by=["g"], split_by=["s"], columns=["x"]), name="d")
    before = d.schema()
    t.update({"g": ["a"], "s": ["q"], "x": [5]})
    assert d.schema() == before
    assert d.view().to_columns()["p|x"] == [1, 1]


def test_delete_releases_the_source():
    t = Table({"a": [1]}, name="t")
    d = ViewTable(t.view(), name="d")
    with pytest.raises(PerspectiveError, match="derived from it"):
        t.delete()
    d.delete()
    t.update({"a": [2]})
