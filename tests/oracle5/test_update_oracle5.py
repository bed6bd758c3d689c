"""Updates as perspective-python 5.6.1 applies them: unknown columns,
partial rows, casts between types."""

from __future__ import annotations

import pandas as pd
import pytest

from .compare import assert_both_raise, assert_same

BOTH = ("to_columns", "table.schema", "table.size")


@pytest.mark.parametrize(
    "update",
    [
        pytest.param({"a": [3], "zz": [5]}, id="dict"),
        pytest.param([{"a": 3, "zz": 5}], id="rows"),
        pytest.param([{"zz": 5}], id="rows-only-unknown"),
        pytest.param({"zz": [1, 2]}, id="dict-only-unknown"),
        pytest.param("a,zz\n3,5\n", id="csv"),
        pytest.param(pd.DataFrame({"a": [3], "zz": [5]}), id="pandas-unnamed-index"),
        pytest.param(pd.DataFrame({"a": [3]}, index=pd.Index([7], name="k")), id="pandas-named"),
    ],
)
@pytest.mark.parametrize("index", [None, "a"])
def test_columns_the_table_lacks_are_ignored(oracle5, update, index):
    data = {"a": [1, 2], "b": ["x", "y"]}
    assert_same(oracle5, data, index=index, updates=[update], outputs=BOTH)


def test_pandas_index_named_as_the_table_index_is_used(oracle5):
    update = pd.DataFrame({"b": ["z"]}, index=pd.Index([1], name="a"))
    assert_same(oracle5, {"a": [1, 2], "b": ["x", "y"]}, index="a", updates=[update])


def test_pandas_frame_updates_a_table_made_from_a_frame(oracle5):
    df = pd.DataFrame({"x": [1.5, 2.5]})
    assert_same(oracle5, df, updates=[pd.DataFrame({"x": [3.5]})], outputs=BOTH)


def test_on_update_fires_for_updates_with_unknown_columns(oracle5):
    from perspective_nb.engine.table import Table

    req = {"data": {"a": [1]}, "table": {}, "outputs": ["to_columns"]}
    req["on_update"] = [{"zz": [1]}, {"a": [2], "zz": [3]}]
    expected = oracle5.request(req)
    t = Table({"a": [1]}, name="t")
    calls = []
    t.view().on_update(lambda *args: calls.append(args))
    for upd in req["on_update"]:
        t.update(upd)
    assert len(calls) == expected["on_update_calls"] == 2
    assert t.view().to_columns() == expected["to_columns"]


@pytest.mark.parametrize(
    "updates",
    [
        pytest.param([[{"k": 1, "x": 5}, {"k": 2, "y": "z"}]], id="rows-leave-cells-out"),
        pytest.param([[{"k": 1, "x": None}, {"k": 2, "y": "z"}]], id="explicit-null"),
        pytest.param([[{"k": 1, "x": 5}, {"k": 1, "y": "z"}, {"k": 1, "x": None}]], id="same-key"),
        pytest.param([[{"k": 3, "x": 5}, {"k": 3, "y": "z"}]], id="new-key-in-two-rows"),
        pytest.param([[{"k": 3, "x": 5}, {"k": 1, "y": "z"}, {"k": 0}]], id="new-and-old"),
        pytest.param([[{"x": 9}]], id="no-key"),
        pytest.param([{"x": [9]}], id="no-key-dict"),
    ],
)
def test_partial_rows_keep_the_cells_they_leave_out(oracle5, updates):
    data = {"k": [1, 2], "x": [1, 2], "y": ["a", "b"]}
    assert_same(oracle5, data, index="k", updates=updates, outputs=BOTH)


def test_partial_rows_of_an_unindexed_table_append_nulls(oracle5):
    assert_same(oracle5, {"x": [1, 2], "y": ["a", "b"]}, updates=[[{"x": 5}, {"y": "c"}]])


def test_partial_update_of_a_date_column(oracle5):
    data = "k,d,x\n1,2020-01-01,1\n2,2020-01-02,2\n"
    updates = [[{"k": 1, "x": 5}], [{"k": 2, "d": None}], [{"k": 3, "d": "2020-03-04"}]]
    assert_same(oracle5, data, index="k", updates=updates, outputs=BOTH)


@pytest.mark.parametrize(
    ("schema", "values"),
    [
        pytest.param({"a": "integer"}, [3.7, -2.5, 4.0], id="float-into-integer"),
        pytest.param({"a": "integer"}, ["3", "4.5", "-7"], id="text-into-integer"),
        pytest.param({"a": "float"}, ["3", 4, "2.5"], id="text-into-float"),
        pytest.param({"a": "integer"}, ["3", 4, 5.5, None], id="mixed-into-integer"),
        pytest.param({"a": "float"}, [1, 2], id="int-into-float"),
        pytest.param({"a": "boolean"}, ["false", "True", "FALSE"], id="text-into-boolean"),
        pytest.param({"a": "boolean"}, [0, 1, 2], id="int-into-boolean"),
        pytest.param({"a": "string"}, [1, 2], id="int-into-string"),
        pytest.param({"a": "datetime"}, [1000, 1600000000], id="int-into-datetime-is-ms"),
        pytest.param({"a": "datetime"}, [1600000000000.7], id="float-into-datetime"),
        pytest.param({"a": "date"}, [1000, 1600000000000], id="int-into-date-is-ms"),
        pytest.param({"a": "datetime"}, ["2021-02-03 04:05:06", "2021-02-03"], id="iso"),
        pytest.param({"a": "datetime"}, ["2021-02-03T04:05:06.123Z"], id="iso-z-ms"),
        pytest.param({"a": "datetime"}, ["2021-02-03T04:05:06+02:00"], id="iso-offset"),
        pytest.param({"a": "datetime"}, ["2021-02-03T04:05:06.123456"], id="microseconds"),
        pytest.param({"a": "datetime"}, ["02/03/2021", "03/02/2021 04:05"], id="month-first"),
        pytest.param({"a": "datetime"}, ["2021/02/03", "20210203"], id="year-first"),
        pytest.param({"a": "datetime"}, ["2021-02-03 04:05", None], id="minutes-and-null"),
        pytest.param({"a": "date"}, ["2021-02-03", "2021/02/04", "20210205"], id="date-forms"),
        pytest.param({"a": "date"}, ["02/03/2021", "12/31/2021"], id="date-month-first"),
        pytest.param({"a": "date"}, ["2021-02-03 04:05:06"], id="datetime-into-date"),
        pytest.param({"a": "date"}, ["2021-02-03T04:05:06.123Z"], id="utc-into-date"),
    ],
)
def test_update_casts_as_perspective_does(oracle5, schema, values):
    assert_same(oracle5, schema, updates=[{"a": values}], outputs=BOTH)


@pytest.mark.parametrize(
    ("schema", "values"),
    [
        pytest.param({"a": "boolean"}, ["1"], id="digit-into-boolean"),
        pytest.param({"a": "boolean"}, ["yes"], id="yes-into-boolean"),
        pytest.param({"a": "boolean"}, [1.5], id="float-into-boolean"),
        pytest.param({"a": "date"}, ["2021-02-03T04:05:06+02:00"], id="offset-into-date"),
        pytest.param({"a": "date"}, ["Feb 3 2021"], id="words-into-date"),
        pytest.param({"a": "datetime"}, ["3 Feb 2021"], id="words-into-datetime"),
    ],
)
def test_update_refuses_what_perspective_refuses(oracle5, schema, values):
    assert_both_raise(oracle5, schema, updates=[{"a": values}])


def test_update_with_a_date_string_into_a_csv_table(oracle5):
    data = "d,t\n2021-02-03,2021-02-03 04:05:06\n"
    updates = [{"d": ["02/04/2021"], "t": ["2021-02-04T05:06:07Z"]}, "d,t\n2021-02-05,2021-02-05\n"]
    assert_same(oracle5, data, updates=updates, outputs=BOTH)
