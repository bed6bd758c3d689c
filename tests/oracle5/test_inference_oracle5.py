"""Column types inferred from Python, CSV, JSON and pandas input, as
perspective-python 5.6.1 infers them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from .compare import assert_both_raise, assert_same, ours

BOTH = ("to_columns", "table.schema")


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(["true", "false"], id="booleans"),
        pytest.param(["True", "FALSE", None], id="booleans-any-case-null"),
        pytest.param(["t", "f"], id="t-f-stay-text"),
        pytest.param(["yes", "no"], id="yes-no-stay-text"),
        pytest.param(["1", "0"], id="integers"),
        pytest.param(["1.5", "2"], id="floats"),
        pytest.param(["20210203"], id="compact-date-is-an-integer"),
        pytest.param(["2021-02-03", "2021-02-04"], id="iso-dates"),
        pytest.param(["2021-02-03", None], id="dates-and-null"),
        pytest.param(["2021/02/03"], id="year-first-slashes"),
        pytest.param(["02/03/2021", "12/31/2021"], id="month-first"),
        pytest.param(["03/02/2021"], id="ambiguous-is-month-first"),
        pytest.param(["2021-02-03 04:05:06"], id="datetime"),
        pytest.param(["2021-02-03 00:00:00"], id="midnight-is-a-date"),
        pytest.param(["2021-02-03T04:05:06Z"], id="datetime-utc"),
        pytest.param(["2021-02-03T04:05:06.123+01:00"], id="datetime-offset"),
        pytest.param(["2021-02-03T04:05:06.5"], id="datetime-fraction"),
        pytest.param(["2021-02-03 04:05"], id="datetime-minutes"),
        pytest.param(["02/03/2021 04:05:06"], id="month-first-datetime"),
        pytest.param(["Feb 3 2021"], id="words-stay-text"),
        pytest.param(["x", "2021-02-03"], id="text-first-stays-text"),
    ],
)
def test_python_strings(oracle5, values):
    assert_same(oracle5, {"a": values}, outputs=BOTH)


@pytest.mark.parametrize(
    "csv",
    [
        pytest.param("a,b\ntrue,1\nFalse,2\n,3\n", id="booleans"),
        pytest.param("a,b\nt,1\nf,2\n", id="t-f-stay-text"),
        pytest.param("a\n2021-02-03\n2021-02-04\n", id="iso-dates"),
        pytest.param("a\n2021/02/03\n", id="year-first-slashes-stay-text"),
        pytest.param("a\n02/03/2021\n12/31/2021\n", id="month-first-is-a-datetime"),
        pytest.param("a\n03/02/2021\n", id="ambiguous-is-month-first"),
        pytest.param("a\n31/12/2021\n", id="day-first-stays-text"),
        pytest.param("a\n20210203\n", id="compact-is-an-integer"),
        pytest.param("a\n2021-02-03 04:05:06\n2021-02-03T04:05:06Z\n", id="datetimes"),
        pytest.param("a\n2021-02-03T04:05:06.123+01:00\n", id="datetime-offset"),
        pytest.param("a\n2021-02-03 00:00:00\n2021-02-04 00:00:00\n", id="midnights"),
        pytest.param("a\n2021-02-03\n2021-02-03 04:05:06\n", id="dates-and-datetimes"),
        pytest.param("a\n2021-02-03 04:05:06.123456\n", id="microseconds"),
        pytest.param("a\n2021-02-03 04:05\n", id="minutes"),
        pytest.param("a,b\n1.5,x\n2.5,y\nnan,z\n", id="nan-at-the-end"),
        pytest.param("a,b\n1.5,x\nnan,y\n2.5,z\n", id="nan-in-between"),
        pytest.param("a,b\nNaN,x\n2,y\n", id="nan-first"),
        pytest.param("a,b\n1,x\n,y\n3,z\n", id="empty-in-between"),
        pytest.param("a\n1\n2.5\n", id="integer-then-float"),
    ],
)
def test_csv(oracle5, csv):
    assert_same(oracle5, csv, outputs=BOTH)


def test_ndjson(oracle5):
    text = "".join(
        json.dumps(row) + "\n"
        for row in [
            {"a": "2021-02-03", "b": "2021-02-03 00:00:00", "c": "true", "d": "1"},
            {"a": "2021-02-04", "b": "2021-02-03 00:00:00", "c": "false", "d": "2"},
        ]
    )
    expected = oracle5.run(text, format="ndjson", outputs=BOTH)
    assert ours(text, outputs=BOTH) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            [{"a": "2021-02-03", "b": "2021-02-03 00:00:00", "c": "true", "e": "02/03/2021"}],
            id="rows",
        ),
        pytest.param(
            {"a": ["2021-02-03"], "c": ["true"], "d": ["1.5"], "e": ["02/03/2021 04:05:06"]},
            id="columns",
        ),
    ],
)
def test_json(oracle5, text):
    text = json.dumps(text)
    fmt = "json" if text.startswith("[") else "columns"
    expected = oracle5.run(text, format=fmt, outputs=BOTH)
    assert ours(text, outputs=BOTH) == expected


FRAMES = {
    "period-index": lambda: pd.DataFrame(
        {"x": [1, 2]}, index=pd.period_range("2021-01", periods=2, freq="M")
    ),
    "period-index-days": lambda: pd.DataFrame(
        {"x": [1, 2]}, index=pd.period_range("2021-01-01", periods=2, freq="D")
    ),
    "period-column": lambda: pd.DataFrame({"p": pd.period_range("2021-01", periods=2, freq="M")}),
    "categorical": lambda: pd.DataFrame({"c": pd.Categorical(["a", "b", "a"])}),
    "boolean-index-with-null": lambda: pd.DataFrame(
        {"x": [1, 2, 3]}, index=pd.Index([True, None, False], name="b")
    ),
    "boolean-objects-with-null": lambda: pd.DataFrame({"b": [True, None, False]}),
    "nullable-boolean": lambda: pd.DataFrame({"b": pd.array([True, None, False], "boolean")}),
    "nullable-integer": lambda: pd.DataFrame({"i": pd.array([1, None, 3], dtype="Int64")}),
    "datetime-with-zone": lambda: pd.DataFrame(
        {"t": pd.to_datetime(["2021-02-03 04:05"]).tz_localize("US/Eastern")}
    ),
    "datetime-with-nat": lambda: pd.DataFrame({"t": pd.to_datetime(["2021-02-03 04:05", None])}),
    "datetime-index": lambda: pd.DataFrame(
        {"x": [1, 2]}, index=pd.DatetimeIndex(["2021-01-01", "2021-01-02"], name="when")
    ),
    "multiindex": lambda: pd.DataFrame(
        {"x": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["k", "n"])
    ),
    "float-nan": lambda: pd.DataFrame({"f": [1.5, np.nan]}),
    "unsigned": lambda: pd.DataFrame({"u": np.array([1, 2], dtype="uint64")}),
    "int8": lambda: pd.DataFrame({"u": np.array([1, 2], dtype="int8")}),
    "float32": lambda: pd.DataFrame({"u": np.array([1.5, 2], dtype="float32")}),
    "text-stays-text": lambda: pd.DataFrame({"d": ["2021-02-03", "true"]}),
    "interval-index": lambda: pd.DataFrame({"x": [1, 2]}, index=pd.interval_range(0, 2)),
}


@pytest.mark.parametrize("make", FRAMES.values(), ids=FRAMES.keys())
def test_pandas(oracle5, make):
    assert_same(oracle5, make(), outputs=BOTH)


def test_pandas_timedelta_is_refused(oracle5):
    assert_both_raise(oracle5, pd.DataFrame({"t": pd.to_timedelta([1, 2], unit="s")}))


def test_boolean_index_is_refused(oracle5):
    assert_both_raise(oracle5, {"a": [True, None, False], "x": [1, 2, 3]}, index="a")
