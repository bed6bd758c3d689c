"""Typed-vector helpers and the local-zone clock."""

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from perspective_nb.engine.expressions.values import (
    Val,
    broadcast,
    condition,
    finite_or_null,
    load_column,
    truthy,
)


@pytest.mark.parametrize(
    ("value", "arrow_type"),
    [
        ("abc", pa.string()),
        (True, pa.bool_()),
        (2.5, pa.float64()),
        (7, pa.int64()),
        (dt.date(2020, 1, 2), pa.date32()),
        (dt.datetime(2020, 1, 2, 3, 4, 5), pa.timestamp("ms")),
        (None, pa.float64()),
    ],
)
def test_broadcast_repeats_a_scalar(value, arrow_type):
    out = broadcast(pa.scalar(value, arrow_type), 3, arrow_type)
    assert out.type == arrow_type
    assert out.to_pylist() == [value] * 3


def test_finite_or_null_only_touches_non_finite():
    clean = pa.array([1.0, 2.0])
    assert finite_or_null(clean) is clean
    assert finite_or_null(pa.array([1.0, np.inf, np.nan, None])).to_pylist() == [
        1.0,
        None,
        None,
        None,
    ]
    assert not finite_or_null(pa.scalar(np.nan)).is_valid


def test_truthy_and_condition_differ_on_null_booleans():
    b = Val(pa.array([True, False, None]), "boolean")
    assert truthy(b).to_pylist() == [True, False, False]
    assert condition(b).to_pylist() == [True, False, True]
    n = Val(pa.array([0.0, 2.0, None]), "float")
    assert truthy(n).to_pylist() == condition(n).to_pylist() == [False, True, False]


def test_load_column_normalises_units_and_zones():
    ns = pa.array([1_500_000_000], pa.timestamp("ns", tz="Europe/Paris"))
    assert load_column(ns, "datetime").data.to_pylist() == [
        dt.datetime(1970, 1, 1, 0, 0, 1, 500_000)
    ]
    assert load_column(pa.array([1], pa.uint8()), "integer").data.type == pa.int64()
