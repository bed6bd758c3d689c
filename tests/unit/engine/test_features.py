"""Aggregates and filter ops per type, in Perspective's order, and the defaults they imply."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.engine.features import (
    AGGREGATES_BY_TYPE,
    DEFAULT_AGGREGATE,
    FILTER_OPS_BY_TYPE,
)
from perspective_nb.engine.table import Table
from perspective_nb.protocol import perspective_pb2 as pb
from perspective_nb.protocol.column_types import column_type_from_name
from perspective_nb.protocol.features import features_response

# get_features aggregates per type, as perspective-python 5.6.1 answers
# (the arguments of "weighted mean", "min by" and "max by" left out).
P561_AGGREGATES = {
    "string": ["count", "any", "distinct count", "distinct leaf", "dominant", "first", "join",
               "last", "last by index", "median", "q1", "q3", "unique", "min by", "max by"],
    "date": ["count", "any", "avg", "distinct count", "distinct leaf", "dominant", "first",
             "high", "low", "min", "max", "last by index", "last", "median", "q1", "q3",
             "unique"],
    "integer": ["sum", "abs sum", "any", "avg", "count", "distinct count", "distinct leaf",
                "dominant", "first", "gmv", "high", "low", "max", "min", "high minus low",
                "last by index", "last minus first", "last", "mean", "median", "mul", "q1",
                "q3", "pct sum parent", "pct sum total", "stddev", "sum abs", "sum or zero",
                "unique", "var", "weighted mean", "min by", "max by"],
    "boolean": ["count", "and", "any", "distinct count", "distinct leaf", "dominant", "first",
                "last", "last by index", "or", "unique"],
}  # fmt: skip
P561_AGGREGATES["datetime"] = P561_AGGREGATES["date"]
P561_AGGREGATES["float"] = P561_AGGREGATES["integer"]

# get_features filter ops, as perspective-python 5.6.1 answers.
P561_FILTERS = {
    "string": ["==", "!=", ">", ">=", "<", "<=", "begins with", "not begins with", "contains",
               "not contains", "ends with", "not ends with", "matches", "not matches", "in",
               "not in", "is not null", "is null"],
    "other": ["==", "!=", ">", ">=", "<", "<=", "is not null", "is null"],
}  # fmt: skip


@pytest.mark.parametrize("ptype", sorted(AGGREGATES_BY_TYPE))
def test_aggregates_follow_perspectives_order(ptype):
    ours = AGGREGATES_BY_TYPE[ptype]
    theirs = [a for a in P561_AGGREGATES[ptype] if a in ours]
    # Perspective's aggregates that we compute come first, in its order.
    assert ours[: len(theirs)] == theirs
    assert ours[0] == P561_AGGREGATES[ptype][0]


@pytest.mark.parametrize("ptype", sorted(FILTER_OPS_BY_TYPE))
def test_filter_ops_follow_perspectives_order(ptype):
    ours = FILTER_OPS_BY_TYPE[ptype]
    reference = P561_FILTERS["string" if ptype == "string" else "other"]
    assert [op for op in reference if op in ours] == [op for op in ours if op in reference]


def test_defaults_are_the_first_listed_and_perspectives_documented_ones():
    assert DEFAULT_AGGREGATE == {
        "integer": "sum",
        "float": "sum",
        "boolean": "count",
        "string": "count",
        "date": "count",
        "datetime": "count",
    }
    message = features_response()
    for ptype, default in DEFAULT_AGGREGATE.items():
        listed = message.aggregates[column_type_from_name(ptype)].aggregates
        assert listed[0].name == default
    # The wire lists carry the same order for every client generation.
    assert [a.name for a in message.aggregates[pb.DATE].aggregates][:3] == [
        "count",
        "any",
        "distinct count",
    ]


def test_grouped_dates_and_booleans_count_by_default():
    data = pa.table(
        {
            "g": ["a", "a", "b"],
            "d": pa.array([dt.date(2020, 1, 1), dt.date(2021, 1, 1), None], pa.date32()),
            "b": [True, False, True],
        }
    )
    view = Table(data, name="defaults").view(group_by=["g"])
    # as perspective-python 5.6.1 answers
    assert view.to_columns() == {
        "__ROW_PATH__": [[], ["a"], ["b"]],
        "g": [3, 2, 1],
        "d": [3, 2, 1],
        "b": [3, 2, 1],
    }
    assert view.schema() == {"g": "integer", "d": "integer", "b": "integer"}


def test_pct_sum_total_is_perspectives_name_for_the_grand_total_share():
    table = Table({"g": ["a", "a", "b"], "w": [1.5, None, 2.5]}, name="pct")
    view = table.view(group_by=["g"], columns=["w"], aggregates={"w": "pct sum total"})
    # as perspective-python 5.6.1 answers
    assert view.to_columns()["w"] == [100.0, 37.5, 62.5]
    assert view.get_config()["aggregates"] == {"w": "pct sum total"}
