"""Column names that would collide in the outputs are refused, never silently dropped."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from perspective_nb.engine.ingest import schema_to_empty_table, to_arrow_table
from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError, SchemaError


@pytest.mark.parametrize(
    "data",
    [
        "a,b,a\n1,2,3\n",
        pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["a", "a"]),
        pd.DataFrame([[1, 2]], columns=["a", "a"]),
        {1: [1], "1": [2]},
    ],
    ids=["csv header", "arrow fields", "dataframe columns", "dict keys 1 and '1'"],
)
def test_a_repeated_column_name_is_refused(data):
    name = "1" if isinstance(data, dict) else "a"
    with pytest.raises(SchemaError, match=f"column '{name}' appears more than once.*rename"):
        to_arrow_table(data)


@pytest.mark.parametrize("name", ["__ROW_PATH__", "__ID__", "__INDEX__"])
def test_names_the_outputs_reserve_are_refused_for_new_tables(name):
    with pytest.raises(SchemaError, match=f"column name '{name}' is reserved.*rename"):
        to_arrow_table({name: [1], "g": ["x"]})
    with pytest.raises(SchemaError, match="is reserved"):
        schema_to_empty_table({name: "integer"})


def test_an_update_with_a_repeated_header_leaves_the_table_unchanged():
    table = Table({"x": ["a"], "y": [1]}, name="t")
    with pytest.raises(SchemaError, match="'x' appears more than once"):
        table.update("x,x\nb,c\n")
    assert table.size() == 1


@pytest.fixture
def clashing():
    return Table({"x": ["a", "b"], "x (Group by 1)": [1, 2]}, name="clash")


def test_a_column_named_like_a_group_by_output_keeps_its_name(clashing):
    view = clashing.view(group_by=["x"])
    names = pa.ipc.open_stream(view.to_arrow()).read_all().column_names
    # as perspective-python 5.6.1 answers: the level is named as its column,
    # the aggregate of that column carries its aggregate's name.
    assert names == ["x", "x (count)", "x (Group by 1)"]
    # 3.x names (for 3.x clients) repeat a name rather than lose a column.
    legacy = pa.ipc.open_stream(view.to_arrow(legacy_group_names=True)).read_all()
    assert legacy.column_names == ["x (Group by 1)", "x", "x (Group by 1)"]
    assert legacy.column(2).to_pylist() == [3, 1, 2]
    # Split columns are prefixed by the split value: no clash.
    clashing.view(group_by=["x"], split_by=["x"]).to_columns()


@pytest.mark.parametrize("alias", ["__ROW_PATH__", "__ID__", "__INDEX__"])
def test_an_expression_may_not_take_a_reserved_name(alias):
    table = Table({"x": ["a"]}, name="t")
    with pytest.raises(ConfigError, match=f"expression name '{alias}' is reserved"):
        table.view(group_by=["x"], expressions={alias: "1"})


def test_an_expression_named_like_a_3x_group_by_output_is_kept():
    table = Table({"x": ["a"]}, name="t")
    view = table.view(group_by=["x"], expressions={"x (Group by 1)": "1"})
    assert view.to_columns()["x (Group by 1)"] == [1.0, 1.0]
