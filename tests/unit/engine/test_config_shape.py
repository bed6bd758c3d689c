"""View config shape: list types, repeated columns, and the size limit of every list."""

from __future__ import annotations

import pytest

import perspective_nb
from perspective_nb.engine import config_shape as cfg
from perspective_nb.engine.config import normalize_config
from perspective_nb.engine.config_shape import check_config_shape
from perspective_nb.errors import ConfigError, PerspectiveError

SCHEMA = {"a": "integer", "g": "string", "h": "string"}


def normalize(**config):
    return normalize_config(config, SCHEMA, {}, {})


def test_limits_are_the_documented_values():
    assert (
        cfg.MAX_COLUMNS,
        cfg.MAX_GROUP_BY,
        cfg.MAX_SPLIT_BY,
        cfg.MAX_SORT,
        cfg.MAX_FILTERS,
        cfg.MAX_FILTER_VALUES,
        cfg.MAX_EXPRESSIONS,
    ) == (10_000, 64, 64, 1_000, 1_000, 100_000, 1_000)


@pytest.mark.parametrize("key", ["group_by", "split_by"])
def test_a_repeated_column_is_refused(key):
    with pytest.raises(ConfigError, match=f"{key} names column 'g' more than once; list each"):
        normalize(**{key: ["g", "h", "g"]})


def test_a_repeated_column_in_columns_shows_once():
    # as perspective-python 5.6.1 answers (it refuses a repeated group_by)
    assert normalize(columns=["g", "h", "g"]).columns == ("g", "h")


def test_empty_column_slots_may_repeat():
    assert normalize(columns=[None, "a", None]).columns == ("a",)


@pytest.mark.parametrize("key", ["group_by", "split_by", "columns"])
def test_a_bare_string_must_be_a_list(key):
    # perspective-python 5.6.1 spreads "region" into columns "r", "e", ...
    # and fails on "r"; we say what is wrong instead.
    with pytest.raises(
        ConfigError, match=rf"{key} must be a list of column names.*{key}=\['region'\]"
    ):
        normalize(**{key: "region"})


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"group_by": [1]}, r"group_by entries must be column names \(strings\), got int 1"),
        ({"split_by": [["g"]]}, r"split_by entries must be column names \(strings\), got list"),
        ({"group_by": {"g": 1}}, "group_by must be a list of column names, got dict"),
        ({"columns": 5}, "columns must be a list of column names, got int 5"),
        ({"aggregates": ["a"]}, "aggregates must be a dict"),
        ({"sort": "a"}, "sort must be a list of terms, got 'a'"),
        ({"filter": "a"}, "filter must be a list of terms"),
        ({"expressions": 5}, "expressions must be a dict"),
        ({"sort": [[["a"], "asc"]]}, r"sort names columns by string, got list \['a'\]"),
        ({"filter": [["a", ">", [1, 2]]]}, "'>' compares with one value, got a list; use 'in'"),
    ],
)
def test_wrong_types_name_the_value(config, message):
    with pytest.raises(ConfigError, match=message):
        normalize(**config)


def big(key):
    """A config whose ``key`` list holds one entry more than allowed."""
    if key == "columns":
        return {"columns": [f"c{i}" for i in range(cfg.MAX_COLUMNS + 1)]}
    if key == "group_by":
        return {"group_by": [f"c{i}" for i in range(cfg.MAX_GROUP_BY + 1)]}
    if key == "split_by":
        return {"split_by": [f"c{i}" for i in range(cfg.MAX_SPLIT_BY + 1)]}
    if key == "aggregates":
        return {"aggregates": {f"c{i}": "sum" for i in range(cfg.MAX_COLUMNS + 1)}}
    if key == "sort":
        return {"sort": [["a", "asc"]] * (cfg.MAX_SORT + 1)}
    if key == "filter":
        return {"filter": [["a", ">", 1]] * (cfg.MAX_FILTERS + 1)}
    if key == "in":
        return {"filter": [["a", "in", list(range(cfg.MAX_FILTER_VALUES + 1))]]}
    return {"expressions": {f"e{i}": "1" for i in range(cfg.MAX_EXPRESSIONS + 1)}}


@pytest.mark.parametrize(
    "key", ["columns", "group_by", "split_by", "aggregates", "sort", "filter", "in", "expressions"]
)
def test_every_list_is_bounded(key):
    with pytest.raises(ConfigError, match=r"a view allows at most [\d,]+; ask for fewer"):
        check_config_shape(big(key))


def test_lists_at_their_limit_pass_the_shape_check():
    check_config_shape(
        {
            "group_by": [f"c{i}" for i in range(cfg.MAX_GROUP_BY)],
            "filter": [["a", "in", list(range(cfg.MAX_FILTER_VALUES))]],
        }
    )


@pytest.fixture
def table():
    client = perspective_nb.Server().new_local_client()
    table = client.table({"a": [1, 2], "g": ["x", "y"]}, name="t")
    yield table
    table.delete()


def test_a_huge_repeated_group_by_is_refused_through_a_client(table):
    with pytest.raises(PerspectiveError, match=r"group_by holds 10,000 entries; .* at most 64"):
        table.view(group_by=["g"] * 10_000)
    with pytest.raises(PerspectiveError, match="group_by names column 'g' more than once"):
        table.view(group_by=["g", "g"])


def test_client_refuses_a_bare_string(table):
    with pytest.raises(ConfigError, match=r"group_by must be a list of column names.*\['g'\]"):
        table.view(group_by="g")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"filter_op": "xor"}, "filter_op must be 'and' or 'or', got 'xor'"),
        ({"filter_op": "OR"}, "filter_op must be 'and' or 'or', got 'OR'"),
        ({"sort": ["x"]}, r"sort 'x' must be \[column, direction\]"),
        ({"sort": [["x"]]}, r"sort \['x'\] must be \[column, direction\]"),
        ({"sort": [["x", "DESC"]]}, "unknown sort direction 'DESC'"),
        ({"filter": [["x", "=="]]}, "compares with a value but gives none"),
        ({"filter": [["g", "==", 1]]}, "holds strings but the value is a number"),
    ],
)
def test_client_refuses_what_perspective_refuses(table, config, message):
    # perspective-python 5.6.1 raises on each too
    with pytest.raises(PerspectiveError, match=message):
        table.view(**config)


def test_client_names_a_non_string_column(table):
    with pytest.raises(PerspectiveError, match="got int 1") as info:
        table.view(group_by=[1])
    assert not isinstance(info.value, TypeError)


def test_too_many_expressions_are_refused_before_typing(table):
    many = {f"e{i}": "1" for i in range(cfg.MAX_EXPRESSIONS + 1)}
    with pytest.raises(PerspectiveError, match="expressions holds 1,001 expressions"):
        table.view(expressions=many)
