"""Date functions and bucket(): calendar parts (in UTC), multiples."""

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.errors import ExpressionError

D = dt.date
T = dt.datetime


@pytest.mark.parametrize(
    ("text", "ptype", "expected"),
    [
        ('hour_of_day("t")', "float", [12.0, 23.0, None, 0.0, 6.0]),
        ('hour_of_day("d")', "float", [0.0, 0.0, None, 0.0, 0.0]),
        ('day_of_week("t")', "string", ["4 Wednesday", "1 Sunday", None, "6 Friday", "5 Thursday"]),
        ('day_of_week("d")', "string", ["4 Wednesday", "1 Sunday", None, "6 Friday", "5 Thursday"]),
        (
            'month_of_year("d")',
            "string",
            ["01 January", "02 February", None, "12 December", "02 February"],
        ),
        (
            "bucket(\"t\", 's')",
            "datetime",
            [
                T(2020, 1, 1, 12, 30, 15),
                T(2021, 2, 28, 23, 59, 59),
                None,
                T(1999, 12, 31, 0, 0, 1),
                T(2024, 2, 29, 6, 7, 8),
            ],
        ),
        (
            "bucket(\"t\", 'm')",
            "datetime",
            [
                T(2020, 1, 1, 12, 30),
                T(2021, 2, 28, 23, 59),
                None,
                T(1999, 12, 31),
                T(2024, 2, 29, 6, 7),
            ],
        ),
        (
            "bucket(\"t\", '5m')",
            "datetime",
            [
                T(2020, 1, 1, 12, 30),
                T(2021, 2, 28, 23, 55),
                None,
                T(1999, 12, 31),
                T(2024, 2, 29, 6, 5),
            ],
        ),
        (
            "bucket(\"t\", '10s')",
            "datetime",
            [
                T(2020, 1, 1, 12, 30, 10),
                T(2021, 2, 28, 23, 59, 50),
                None,
                T(1999, 12, 31),
                T(2024, 2, 29, 6, 7),
            ],
        ),
        (
            "bucket(\"t\", '2h')",
            "datetime",
            [T(2020, 1, 1, 12), T(2021, 2, 28, 22), None, T(1999, 12, 31), T(2024, 2, 29, 6)],
        ),
        (
            "bucket(\"t\", 'D')",
            "date",
            [D(2020, 1, 1), D(2021, 2, 28), None, D(1999, 12, 31), D(2024, 2, 29)],
        ),
        (
            "bucket(\"t\", 'W')",
            "date",
            [D(2019, 12, 30), D(2021, 2, 22), None, D(1999, 12, 27), D(2024, 2, 26)],
        ),
        (
            "bucket(\"d\", 'M')",
            "date",
            [D(2020, 1, 1), D(2021, 2, 1), None, D(1999, 12, 1), D(2024, 2, 1)],
        ),
        (
            "bucket(\"d\", '2M')",
            "date",
            [D(2020, 1, 1), D(2021, 1, 1), None, D(1999, 11, 1), D(2024, 1, 1)],
        ),
        (
            "bucket(\"t\", 'Y')",
            "date",
            [D(2020, 1, 1), D(2021, 1, 1), None, D(1999, 1, 1), D(2024, 1, 1)],
        ),
        (
            "bucket(\"t\", '2Y')",
            "date",
            [D(2020, 1, 1), D(2020, 1, 1), None, D(1998, 1, 1), D(2024, 1, 1)],
        ),
        (
            "bucket(\"d\", 'h')",
            "date",
            [D(2020, 1, 1), D(2021, 2, 28), None, D(1999, 12, 31), D(2024, 2, 29)],
        ),
        ("date(2020, 1, 31)", "date", [D(2020, 1, 31)] * 5),
        ("date(2021, 2, 29)", "date", [None] * 5),
        (
            'date("i" + 2000, 1, 1)',
            "date",
            [D(2001, 1, 1), D(2002, 1, 1), None, D(1996, 1, 1), D(2005, 1, 1)],
        ),
        ("datetime(1577881815000)", "datetime", [T(2020, 1, 1, 12, 30, 15)] * 5),
    ],
)
def test_date_functions(run, text, ptype, expected):
    assert run(text) == (ptype, expected)


def test_today_and_now_are_current(run):
    ptype, values = run("today()")
    assert ptype == "date"
    assert values[0] == dt.datetime.now(dt.timezone.utc).date()
    ptype, values = run("now()")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert ptype == "datetime"
    assert abs((values[0] - now).total_seconds()) < 60


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Tokyo", "Asia/Kolkata"])
def test_calendar_parts_are_utc_whatever_the_local_zone(run, monkeypatch, zone):
    # as perspective-python 5.6.1 answers (3.8 used the local zone)
    monkeypatch.setenv("TZ", zone)
    assert run('hour_of_day("t")')[1] == [12.0, 23.0, None, 0.0, 6.0]
    assert run("bucket(\"t\", 'D')")[1][3] == D(1999, 12, 31)
    assert run('day_of_week("t")')[1][3] == "6 Friday"
    assert run("bucket(\"t\", 'h')")[1][0] == T(2020, 1, 1, 12)
    assert run("bucket(\"t\", 'M')")[1][1] == D(2021, 2, 1)
    assert run("today()")[1][0] == dt.datetime.now(dt.timezone.utc).date()


@pytest.mark.parametrize("unit", ["Q", "3D", "2W", "0m", "x", "7s", "60m", "8h", "12M"])
def test_bad_bucket_units_are_rejected(run, unit):
    with pytest.raises(ExpressionError, match="unit"):
        run(f"bucket(\"t\", '{unit}')")


def test_bucket_unit_must_be_a_literal(run):
    with pytest.raises(ExpressionError, match="string literal"):
        run('bucket("t", "s")')


def test_date_functions_reject_other_types(run):
    with pytest.raises(ExpressionError, match="date or datetime"):
        run('hour_of_day("s")')


def test_bucket_chunked_input(run):
    t = pa.table({"t": pa.chunked_array([[0], [86_400_000 * 3 + 5]], pa.timestamp("ms"))})
    assert run("bucket(\"t\", 'D')", t, {"t": "datetime"})[1] == [D(1970, 1, 1), D(1970, 1, 4)]
