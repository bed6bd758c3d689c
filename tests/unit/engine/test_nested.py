"""Nested Arrow input: structs, lists per list_flatten, on load and update."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.engine.nested import flatten_nested, has_nested
from perspective_nb.engine.table import Table
from perspective_nb.errors import ArgumentError, ConfigError, SchemaError


def test_structs_become_dotted_columns_and_a_null_struct_nulls_them():
    data = pa.table({"p": pa.array([{"a": 1, "b": {"c": "x"}}, None])})
    t = Table(data, name="t")
    assert t.schema() == {"p.a": "integer", "p.b.c": "string"}
    assert t.view().to_columns() == {"p.a": [1, None], "p.b.c": ["x", None]}


def test_zip_pairs_lists_and_repeats_other_columns():
    data = pa.table({"id": [1, 2], "l": pa.array([[1, 2], None]), "m": pa.array([["a", "b"], []])})
    out = flatten_nested(data, "zip")
    assert out.to_pydict() == {"id": [1, 1, 2], "l": [1, 2, None], "m": ["a", "b", None]}


def test_cartesian_takes_the_first_list_outermost():
    data = pa.table({"l": pa.array([[1, 2]]), "m": pa.array([["a", "b", "c"]])})
    out = flatten_nested(data, "cartesian")
    assert out.column("l").to_pylist() == [1, 1, 1, 2, 2, 2]
    assert out.column("m").to_pylist() == ["a", "b", "c"] * 2


def test_sliced_and_fixed_size_lists_read_their_own_elements():
    fixed = pa.array([[1, 2], [3, 4], [5, 6]], pa.list_(pa.int16(), 2)).slice(1)
    sliced = pa.array([[9], [7, 8], [1, 2]]).slice(1)
    out = flatten_nested(pa.table({"f": fixed, "s": sliced}), "zip")
    assert out.to_pydict() == {"f": [3, 4, 5, 6], "s": [7, 8, 1, 2]}


def test_stringify_writes_compact_json():
    data = pa.table({"l": pa.array([[1, None], None]), "s": pa.array([['a"', "é"], []])})
    out = flatten_nested(data, "stringify")
    assert out.to_pydict() == {"l": ["[1,0]", None], "s": ['["a\\"","é"]', "[]"]}


def test_bad_modes_and_shapes_are_refused():
    with pytest.raises(ArgumentError, match="unknown list_flatten 'nope'"):
        Table({"a": [1]}, name="t", list_flatten="nope")
    uneven = pa.table({"l": pa.array([[1, 2]]), "m": pa.array([["a"]])})
    with pytest.raises(SchemaError, match="cannot zip list column 'm'"):
        Table(uneven, name="t")
    with pytest.raises(ConfigError, match="cannot index a table on 'id'"):
        Table(pa.table({"id": [1], "l": pa.array([[1]])}), name="t", index="id")
    dates = pa.table({"d": pa.array([[pa.scalar(0, pa.date32()).as_py()]])})
    with pytest.raises(SchemaError, match="cannot write lists of date32"):
        Table(dates, name="t", list_flatten="stringify")


def test_updates_flatten_with_the_table_mode_and_a_failed_one_changes_nothing():
    t = Table(pa.table({"id": [1], "l": pa.array([[1, 2]])}), name="t", list_flatten="cartesian")
    t.update(pa.table({"id": [2], "l": pa.array([[3, 4, 5]])}))
    assert t.view().to_columns() == {"id": [1, 1, 2, 2, 2], "l": [1, 2, 3, 4, 5]}
    z = Table(pa.table({"l": pa.array([[1]]), "m": pa.array([[2]])}), name="z")
    with pytest.raises(SchemaError):
        z.update(pa.table({"l": pa.array([[1, 2]]), "m": pa.array([[3]])}))
    assert z.size() == 1


def test_flat_tables_are_untouched():
    data = pa.table({"a": [1]})
    assert not has_nested(data.schema)
    assert flatten_nested(data) is data
