"""ViewConfig <-> engine config dict conversion."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perspective_nb.errors import ConfigError
from perspective_nb.protocol import pb
from perspective_nb.protocol.view_config import (
    SORT_OPS,
    decode_scalar,
    decode_view_config,
    encode_scalar,
    encode_view_config,
)

names = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(st.characters(codec="utf-8"), max_size=8),
)
filters = st.one_of(
    st.tuples(names, st.sampled_from(["is null", "is not null"])).map(list),
    st.tuples(names, st.sampled_from(["==", ">", "contains"]), scalars).map(list),
    st.tuples(names, st.sampled_from(["in", "not in"]), st.lists(scalars, max_size=3)).map(list),
)
configs = st.fixed_dictionaries(
    {
        "group_by": st.lists(names, max_size=3),
        "split_by": st.lists(names, max_size=2),
        "aggregates": st.dictionaries(names, st.sampled_from(["sum", "count", "last"])),
        "sort": st.lists(st.tuples(names, st.sampled_from(list(SORT_OPS))).map(list), max_size=3),
        "filter": st.lists(filters, max_size=3),
        "filter_op": st.sampled_from(["and", "or"]),
        "expressions": st.dictionaries(names, names, max_size=2),
    },
    optional={
        "columns": st.lists(names, max_size=4),
        "group_by_depth": st.integers(0, 5),
        "group_rollup_mode": st.sampled_from(["rollup", "flat", "total"]),
        "split_rollup_mode": st.sampled_from(["flat", "rollup"]),
    },
)


@given(configs)
def test_config_round_trips_through_the_wire(config):
    message = pb.ViewConfig.FromString(encode_view_config(config).SerializeToString())
    assert decode_view_config(message) == config


def test_absent_columns_mean_engine_defaults():
    assert "columns" not in decode_view_config(pb.ViewConfig())
    explicit = pb.ViewConfig()
    explicit.columns.default_columns = 0
    assert "columns" not in decode_view_config(explicit)
    empty = pb.ViewConfig()
    empty.columns.columns.SetInParent()
    assert decode_view_config(empty)["columns"] == []


def test_aggregate_with_arguments_uses_perspective_python_shape():
    message = encode_view_config({"aggregates": {"p": ["weighted mean", ["w"]]}})
    assert list(message.aggregates["p"].aggregations) == ["weighted mean", "w"]
    assert decode_view_config(message)["aggregates"] == {"p": ["weighted mean", ["w"]]}
    flat = encode_view_config({"aggregates": {"p": ["weighted mean", "w"]}})
    assert list(flat.aggregates["p"].aggregations) == ["weighted mean", "w"]


def test_single_value_of_in_filter_stays_a_list():
    message = pb.ViewConfig()
    term = message.filter.add(column="s", op="in")
    term.value.add(string="x")
    assert decode_view_config(message)["filter"] == [["s", "in", ["x"]]]


def test_scalar_conversions():
    assert decode_scalar(encode_scalar(3, pb.Scalar())) == 3.0
    assert decode_scalar(encode_scalar(True, pb.Scalar())) is True
    assert decode_scalar(encode_scalar(None, pb.Scalar())) is None
    assert decode_scalar(encode_scalar(dt.date(2024, 1, 2), pb.Scalar())) == "2024-01-02"
    assert decode_scalar(pb.Scalar()) is None
    numpy = pytest.importorskip("numpy")
    assert decode_scalar(encode_scalar(numpy.int64(7), pb.Scalar())) == 7.0


def test_expression_list_takes_aliases_from_comments():
    message = encode_view_config({"expressions": ['// doubled\n"x" * 2', '"y" + 1']})
    assert dict(message.expressions) == {"doubled": '"x" * 2', '"y" + 1': '"y" + 1'}


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"sort": [["a", "sideways"]]}, "sideways"),
        ({"group_rollup_mode": "upwards"}, "upwards"),
        ({"split_rollup_mode": "upwards"}, "upwards"),
        ({"filter": [["a"]]}, "filter"),
        ({"aggregates": {"a": 3}}, "aggregate"),
        ({"filter": [["a", "==", object()]]}, "filter value"),
        ({"row_pivots": ["a"]}, "row_pivots"),
    ],
)
def test_bad_configs_name_the_bad_value(config, fragment):
    with pytest.raises(ConfigError, match=fragment):
        encode_view_config(config)
