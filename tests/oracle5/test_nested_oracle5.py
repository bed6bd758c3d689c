"""Nested Arrow input as perspective-python 5.6.1 loads it: struct columns as dotted
columns, list columns per ``list_flatten`` (zip, cartesian, stringify), on load and
on update; and ``page_to_disk`` tables answering as in-memory ones."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .compare import assert_both_raise, assert_same

BOTH = ("to_columns", "table.schema", "table.size")


def ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


NESTED = pa.table(
    {
        "id": [1, 2, 3],
        "p": pa.array([{"a": 1, "b": "x"}, None, {"a": 3, "b": None}]),
        "l": pa.array([[1, 2], [3], None]),
        "m": pa.array([["u", "v"], ["w"], []]),
    }
)


@pytest.mark.parametrize("mode", [None, "zip", "cartesian", "stringify"])
def test_structs_and_lists_on_load(oracle5, mode):
    table = {} if mode is None else {"list_flatten": mode}
    assert_same(oracle5, ipc(NESTED), outputs=BOTH, **table)


@pytest.mark.parametrize("mode", ["zip", "cartesian", "stringify"])
def test_nested_updates_flatten_as_the_load_did(oracle5, mode):
    update = pa.table({"id": [4], "p": pa.array([{"a": 5, "b": "y"}]), "l": pa.array([[7, 8, 9]])})
    assert_same(oracle5, ipc(NESTED), updates=[ipc(update)], outputs=BOTH, list_flatten=mode)


def test_structs_nest_and_hold_lists(oracle5):
    data = pa.table({"p": pa.array([{"a": {"x": 1, "y": 2.5}, "b": [1, 2]}])})
    assert_same(oracle5, ipc(data), outputs=BOTH)


def test_stringify_writes_json_with_zeros_for_null_elements(oracle5):
    data = pa.table(
        {
            "f": pa.array([[1.0, 2.5, None]]),
            "b": pa.array([[True, None]]),
            "s": pa.array([['a"b', "c\\d", "é\n", None]]),
            "i": pa.array([[1, -2]], pa.list_(pa.int32())),
        }
    )
    assert_same(oracle5, ipc(data), outputs=BOTH, list_flatten="stringify")


def test_zip_refuses_lists_of_different_lengths(oracle5):
    data = pa.table({"l": pa.array([[1, 2]]), "m": pa.array([["a", "b", "c"]])})
    assert_both_raise(oracle5, ipc(data))


def test_index_must_come_from_the_lists(oracle5):
    data = pa.table({"id": [1, 2], "l": pa.array([[1, 3], [2]])})
    assert_both_raise(oracle5, ipc(data), index="id")
    assert_same(oracle5, ipc(data), index="l", outputs=BOTH)
    assert_same(oracle5, ipc(data), index="id", list_flatten="stringify", outputs=BOTH)


def test_dictionary_lists(oracle5):
    values = pa.array([["a", "b"], ["a"]], pa.list_(pa.dictionary(pa.int32(), pa.string())))
    assert_same(oracle5, ipc(pa.table({"l": values})), outputs=BOTH)


@st.composite
def _lists(draw, zip_safe: bool) -> pa.Table:
    rows = draw(st.integers(1, 5))
    ids, ls, ms = [], [], []
    for i in range(rows):
        n = draw(st.integers(1, 3))

        def cell(values, n=n):
            kind = draw(st.sampled_from(["null", "empty", "full"]))
            if kind == "null":
                return None
            if kind == "empty":
                return []
            size = n if zip_safe else draw(st.integers(1, 3))
            return [draw(values) for _ in range(size)]

        ids.append(i)
        ls.append(cell(st.one_of(st.none(), st.integers(-5, 5))))
        ms.append(cell(st.sampled_from(["a", "b", "c"])))
    return pa.table(
        {
            "id": ids,
            "l": pa.array(ls, pa.list_(pa.int64())),
            "m": pa.array(ms, pa.list_(pa.string())),
        }
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_lists(zip_safe=True), mode=st.sampled_from(["zip", "cartesian", "stringify"]))
def test_random_lists_flatten_as_5_6_1(oracle5, data, mode):
    assert_same(oracle5, ipc(data), outputs=BOTH, list_flatten=mode)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_lists(zip_safe=False))
def test_random_lists_cartesian_any_lengths(oracle5, data):
    assert_same(oracle5, ipc(data), outputs=BOTH, list_flatten="cartesian")


# -- page_to_disk ------------------------------------------------------------------


@pytest.mark.parametrize(
    "view",
    [
        {},
        {"group_by": ["s"], "columns": ["x", "k"], "aggregates": {"x": "sum", "k": "count"}},
        {"sort": [["x", "desc"]], "filter": [["k", ">", 1]]},
    ],
)
@pytest.mark.parametrize("index", [None, "k"])
def test_page_to_disk_answers_as_in_memory(oracle5, view, index):
    data = {"k": [3, 1, 2, 4], "x": [1.5, 2.5, None, 4.0], "s": ["a", "b", "a", None]}
    updates = [{"k": [1, 5], "x": [9.0, 0.5], "s": ["c", "a"]}]
    assert_same(
        oracle5, data, index=index, updates=updates, view=view, outputs=BOTH, page_to_disk=True
    )


@pytest.mark.parametrize("mode", ["zip", "cartesian"])
def test_lists_of_dates_and_datetimes(oracle5, mode):
    import datetime as dt

    data = pa.table(
        {
            "d": pa.array([[dt.date(2020, 1, 2), None]]),
            "t": pa.array(
                [[dt.datetime(2020, 1, 2, 3, 4, 5), dt.datetime(2021, 1, 1)]],
                pa.list_(pa.timestamp("ms")),
            ),
        }
    )
    assert_same(oracle5, ipc(data), outputs=BOTH, list_flatten=mode)
