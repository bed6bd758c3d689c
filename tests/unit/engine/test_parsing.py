"""Text read as dates, datetimes and booleans, column at a time."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.engine.parsing import (
    ParseError,
    infer_strings,
    parse_bool,
    parse_temporal,
    temporal_scalar,
)

FEB3 = dt.datetime(2021, 2, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-03", FEB3),
        ("2021-02-03 04:05:06", FEB3.replace(hour=4, minute=5, second=6)),
        ("2021-02-03T04:05", FEB3.replace(hour=4, minute=5)),
        ("2021-02-03T04:05:06.123456", dt.datetime(2021, 2, 3, 4, 5, 6, 123000)),
        ("2021-02-03T04:05:06Z", FEB3.replace(hour=4, minute=5, second=6)),
        ("2021-02-03T04:05:06+02:00", FEB3.replace(hour=2, minute=5, second=6)),
        ("2021-02-03T04:05:06-0130", FEB3.replace(hour=5, minute=35, second=6)),
        ("2021/2/3", FEB3),
        ("20210203", FEB3),
        ("2/3/2021", FEB3),
        ("02/03/2021 16:05", FEB3.replace(hour=16, minute=5)),
        (" 2021-02-03 ", FEB3),
    ],
)
def test_every_form_perspective_reads(text, expected):
    values, _ = parse_temporal(pa.array([text, None]), "datetime")
    assert values.to_pylist() == [expected, None]


def test_a_column_of_midnights_reads_as_dates():
    _, midnight = parse_temporal(pa.array(["2021-02-03", "2021-02-04 00:00:00"]), "datetime")
    assert midnight
    _, midnight = parse_temporal(pa.array(["2021-02-03", "2021-02-04 00:00:01"]), "datetime")
    assert not midnight


@pytest.mark.parametrize(
    ("texts", "bad"),
    [
        (["2021-02-03", "Feb 3 2021"], "Feb 3 2021"),
        (["2021-13-01"], "2021-13-01"),
        (["2021-02-30"], "2021-02-30"),
        (["31/12/2021"], "31/12/2021"),
    ],
)
def test_the_first_unreadable_value_is_named(texts, bad):
    with pytest.raises(ParseError) as info:
        parse_temporal(pa.array(texts), "datetime")
    assert info.value.value == bad


def test_a_date_refuses_an_offset_but_not_utc():
    assert parse_temporal(pa.array(["2021-02-03T23:00:00Z"]), "date")[0].to_pylist() == [
        dt.date(2021, 2, 3)
    ]
    with pytest.raises(ParseError, match="is not a date"):
        parse_temporal(pa.array(["2021-02-03T23:00:00+01:00"]), "date")


def test_booleans():
    assert parse_bool(pa.array(["true", "FALSE", " True ", None])).to_pylist() == [
        True,
        False,
        True,
        None,
    ]
    with pytest.raises(ParseError, match="'1' is not a boolean"):
        parse_bool(pa.array(["true", "1"]))


@pytest.mark.parametrize(
    ("texts", "expected_type"),
    [
        (["true", None, "False"], pa.bool_()),
        (["1", "-2"], pa.int64()),
        (["1", "2.5", "nan"], pa.float64()),
        (["2021-02-03", "02/04/2021"], pa.date32()),
        (["2021-02-03", "2021-02-03 04:05"], pa.timestamp("ms")),
        (["2021-02-03", "soon"], pa.string()),
        ([None, None], pa.string()),
    ],
)
def test_inference(texts, expected_type):
    assert infer_strings(pa.array(texts, pa.string())).type == expected_type


def test_a_filter_value():
    assert temporal_scalar("02/03/2021", "date").as_py() == dt.date(2021, 2, 3)
