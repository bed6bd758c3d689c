"""The aggregate registry is the one source of aggregate facts, and those facts are true.

Each test checks a registry field against what the engine, the SQL compiler
or the protocol actually does with the aggregate, not against a copy of it.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pyarrow as pa
import pytest

from perspective_nb.engine import features
from perspective_nb.engine.aggregate_registry import (
    AGGREGATES,
    ALIASES,
    PTYPES,
    advertised,
    result_type,
)
from perspective_nb.engine.config import normalize_config
from perspective_nb.engine.incremental import supports_incremental
from perspective_nb.engine.sql import DUCKDB, SPARK
from perspective_nb.engine.sql.aggregates import SQL_AGGREGATES, aggregate_sql, check_aggregate
from perspective_nb.engine.sql.filters import ARROW_OF
from perspective_nb.engine.sql.query import Source, compile_view
from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError
from perspective_nb.protocol.column_types import column_type_from_name
from perspective_nb.protocol.features import features_response

_VALUES = {
    "integer": [3, None, -2, 7],
    "float": [1.5, None, -0.25, 4.0],
    "boolean": [True, None, False, True],
    "string": ["b", None, "a", "c"],
    "date": [dt.date(2024, 1, 2), None, dt.date(2023, 5, 1), dt.date(2024, 3, 9)],
    "datetime": [dt.datetime(2024, 1, 2, 3), None, dt.datetime(2023, 5, 1), None],
}
_CASES = [(t, name) for t in PTYPES for name in advertised(t)]


def _table(ptype: str, rows: int = 4) -> Table:
    return Table(
        pa.table(
            {
                "g": pa.array(["x", "y", "x", "y"][:rows], pa.string()),
                "v": pa.array(_VALUES[ptype][:rows], ARROW_OF[ptype]),
                "w": pa.array([1.0, 2.0, 0.5, None][:rows], pa.float64()),
            }
        ),
        name="t",
    )


def _agg(name: str) -> object:
    return [name, ["w"]] if AGGREGATES[name].arg_types else name


def test_every_advertised_aggregate_has_one_record_listing_its_type():
    for ptype in PTYPES:
        for name in advertised(ptype):
            assert ptype in AGGREGATES[name].types, (ptype, name)
    for name, record in AGGREGATES.items():
        assert record.name == name
        assert record.types, f"{name!r} is advertised for no type"
        assert all(name in advertised(t) for t in record.types)


def test_features_are_the_registrys():
    assert {t: advertised(t) for t in PTYPES} == features.AGGREGATES_BY_TYPE
    assert features.AGGREGATE_ALIASES == ALIASES
    assert {n for n, a in AGGREGATES.items() if a.arg_types} == features.AGGREGATES_WITH_ARG
    message = features_response()
    for ptype in PTYPES:
        sent = message.aggregates[column_type_from_name(ptype)].aggregates
        assert [a.name for a in sent] == advertised(ptype)
        for entry in sent:
            wanted = [column_type_from_name(t) for t in AGGREGATES[entry.name].arg_types]
            assert list(entry.args) == wanted, entry.name


def test_aliases_are_computed_as_their_canonical_aggregate():
    for alias, name in ALIASES.items():
        record, canonical = AGGREGATES[alias], AGGREGATES[name]
        assert record.alias_of == name
        assert canonical.alias_of is None
        assert record.result == canonical.result
        assert record.sql == canonical.sql
        config = normalize_config(
            {"columns": ["v"], "aggregates": {"v": alias}}, {"v": "float"}, {}, {}
        )
        assert config.aggregate_map["v"] == name


@pytest.mark.parametrize(("ptype", "name"), _CASES)
def test_every_accepted_aggregate_computes_its_result_type(ptype, name):
    view = _table(ptype).view(group_by=["g"], columns=["v"], aggregates={"v": _agg(name)})
    expected = AGGREGATES[name].result_type(ptype)
    assert view.schema()["v"] == expected
    values = [v for v in view.to_columns()["v"] if v is not None]
    if name == "join":
        assert all(isinstance(v, str) for v in values), values  # text, whatever its schema
    elif expected == "float":
        assert all(isinstance(v, float) for v in values), values
    elif expected == "integer":
        assert all(isinstance(v, int) and not isinstance(v, bool) for v in values), values


@pytest.mark.parametrize(("ptype", "name"), _CASES)
def test_the_total_row_of_an_empty_view_is_the_registrys_empty_value(ptype, name):
    view = _table(ptype, rows=0).view(group_by=["g"], columns=["v"], aggregates={"v": _agg(name)})
    (total,) = view.to_columns()["v"]
    empty = AGGREGATES[name].empty
    if empty == "null":
        assert total is None
    elif empty == "own":
        assert total == 0
    elif empty == "empty text":
        assert total == ""
    elif empty in ("true", "false"):
        assert total is (empty == "true")
    else:
        assert empty == "zero"
        assert total is not None


@pytest.mark.parametrize(("ptype", "name"), _CASES)
@pytest.mark.parametrize("split", [False, True])
def test_incremental_views_are_the_registrys_and_stay_exact(ptype, name, split):
    record = AGGREGATES[name]
    config = {"group_by": ["g"], "columns": ["v"], "aggregates": {"v": _agg(name)}}
    if split:
        config["split_by"] = ["g"]
    schema = {"g": "string", "v": ptype, "w": "float"}
    normalized = normalize_config(config, schema, {}, {})
    assert supports_incremental(normalized, schema) == record.incremental_for(ptype, split)
    if not record.incremental_for(ptype, split):
        return
    table = _table(ptype)
    view = table.view(**config)
    before = view.to_columns()  # the view's state now follows row deltas
    assert before
    table.update(pa.table({"g": ["y"], "v": pa.array([_VALUES[ptype][2]], ARROW_OF[ptype])}))
    kept = view.to_columns()
    with mock.patch("perspective_nb.engine.view.supports_incremental", return_value=False):
        fresh = table.view(**config).to_columns()  # recomputed from the rows
    if record.incremental == "moments":
        # Sums of powers round differently from Arrow's two-pass variance.
        assert kept.keys() == fresh.keys()
        for col in kept:
            assert len(kept[col]) == len(fresh[col]), col
            for a, b in zip(kept[col], fresh[col], strict=True):
                assert a == b or (isinstance(b, float) and a == pytest.approx(b, rel=1e-12)), (
                    col,
                    kept[col],
                    fresh[col],
                )
    else:
        assert kept == fresh


def test_sql_aggregates_are_the_registrys_and_each_compiles():
    for ptype in PTYPES:
        listed = SQL_AGGREGATES[ptype]
        for name in advertised(ptype):
            record = AGGREGATES[name]
            if name in listed:
                assert record.sql is not None
                assert ptype in record.sql_types
                for dialect in (DUCKDB, SPARK):
                    assert aggregate_sql(name, ptype, '"v"', dialect)
                    assert aggregate_sql(name, ptype, '"v"', dialect, match="TRUE")
            elif record.alias_of is None:
                with pytest.raises(ConfigError, match=repr(name)):
                    check_aggregate("v", name, ptype)


@pytest.mark.parametrize("name", sorted(SQL_AGGREGATES["float"]))
def test_sql_compiles_with_split_by_what_the_registry_allows(name):
    schema = {"g": "string", "v": "float"}
    config = normalize_config(
        {"group_by": ["g"], "split_by": ["g"], "columns": ["v"], "aggregates": {"v": name}},
        schema,
        {},
        {},
    )
    source = Source('"t"', schema)

    def compile_split():
        return compile_view(source, config, DUCKDB, split_values=[["x"]])

    if AGGREGATES[name].sql_split:
        assert "GROUPING SETS" in compile_split().sql
    else:
        assert AGGREGATES[name].percent
        with pytest.raises(ConfigError, match="with split_by is not supported"):
            compile_split()


def test_result_type_of_an_unknown_name_is_the_columns():
    assert result_type("no such aggregate", "string") == "string"
    assert result_type("high minus low", "date") == "integer"
    assert result_type("high minus low", "float") == "float"
