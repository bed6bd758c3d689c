"""Views where Perspective 5.x fixes the answer: windows, empty column lists, dates, names.

Expectations are written out as perspective-python 5.6.1 answers them.
"""

from __future__ import annotations

import datetime as dt
import time

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ArgumentError

ZONES = ["UTC", "America/New_York", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Kiritimati"]


@pytest.fixture
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _dates_table() -> Table:
    return Table(
        pa.table(
            {
                "d": pa.array([dt.date(1970, 1, 1), dt.date(1969, 12, 31), dt.date(1900, 1, 1)]),
                "t": pa.array(
                    [
                        dt.datetime(1970, 1, 1),
                        dt.datetime(1969, 12, 31, 23, 59, 59),
                        dt.datetime(1900, 1, 1, 12),
                    ],
                    pa.timestamp("ms"),
                ),
                "s": ["a", "b", "c"],
            }
        ),
        name="dates",
    )


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_dates_at_and_before_the_epoch_are_utc_epoch_ms_in_every_zone(zone):
    view = _dates_table().view()
    # as perspective-python 5.6.1 answers (3.8 shifted dates by the local zone)
    assert view.to_columns() == {
        "d": [0, -86_400_000, -2_208_988_800_000],
        "t": [0, -1000, -2_208_945_600_000],
        "s": ["a", "b", "c"],
    }
    assert view.to_records()[1] == {"d": -86_400_000, "t": -1000, "s": "b"}
    grouped = _dates_table().view(group_by=["d"], columns=["s"])
    assert grouped.to_columns()["__ROW_PATH__"] == [
        [],
        [-2_208_988_800_000],
        [-86_400_000],
        [0],
    ]
    arrow = pa.ipc.open_stream(view.to_arrow()).read_all()
    assert arrow.column("d").to_pylist() == [
        dt.date(1970, 1, 1),
        dt.date(1969, 12, 31),
        dt.date(1900, 1, 1),
    ]
    assert arrow.column("t").type == pa.timestamp("ms")
    assert view.to_csv().splitlines()[2] == '1969-12-31,1969-12-31 23:59:59.000,"b"'
    assert view.get_min_max("t") == (-2_208_945_600_000, 0)


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_date_round_trip_through_epoch_ms(zone):
    first = _dates_table().view()
    again = Table(pa.ipc.open_stream(first.to_arrow()).read_all(), name="again").view()
    assert again.to_columns() == first.to_columns()


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_date_buckets_are_utc_calendar_days(zone):
    table = Table(
        pa.table({"t": pa.array([dt.datetime(2020, 1, 1, 23, 30)], pa.timestamp("ms"))}),
        name="b",
    )
    view = table.view(
        expressions={
            "D": "bucket(\"t\", 'D')",
            "W": "bucket(\"t\", 'W')",
            "h": "bucket(\"t\", 'h')",
            "hour": 'hour_of_day("t")',
            "dow": 'day_of_week("t")',
        }
    )
    # as perspective-python 5.6.1 answers, in every zone
    assert view.to_columns() == {
        "t": [1577921400000],
        "D": [1577836800000],
        "W": [1577664000000],
        "h": [1577919600000],
        "hour": [23.0],
        "dow": ["4 Wednesday"],
    }


WINDOWS = [
    ({"start_row": 0.5, "end_row": 2.5}, [1, 2, 3]),
    ({"start_row": 1.2, "end_row": 1.4}, [2]),
    ({"start_row": 3, "end_row": 1}, []),
    ({"start_row": -1, "end_row": 2}, [1, 2]),
    ({"start_row": 10, "end_row": 20}, []),
    ({"end_row": -1}, []),
    ({"start_row": 0, "end_row": 100}, [1, 2, 3, 4]),
]


@pytest.mark.parametrize(("window", "rows"), WINDOWS, ids=repr)
def test_row_bounds_floor_the_start_and_ceil_the_end(window, rows):
    table = Table({"x": [1, 2, 3, 4], "y": ["a", "b", "c", "d"]}, name="w")
    # as perspective-python 5.6.1 answers
    assert table.view().to_columns(**window)["x"] == rows


@pytest.mark.parametrize(
    ("window", "columns"),
    [
        ({"start_col": 0.5, "end_col": 1.5}, ["x", "y"]),
        ({"start_col": -1, "end_col": 10}, ["x", "y", "z"]),
        ({"start_col": 2, "end_col": 1}, []),
        ({"start_col": 1.5}, ["y", "z"]),
    ],
    ids=repr,
)
def test_column_bounds_floor_the_start_and_ceil_the_end(window, columns):
    table = Table({"x": [1], "y": ["a"], "z": [1.5]}, name="w")
    # as perspective-python 5.6.1 answers
    assert list(table.view().to_columns(**window)) == columns


def test_a_window_bound_must_be_a_number():
    table = Table({"x": [1]}, name="w")
    with pytest.raises(ArgumentError, match="start_row must be a number"):
        table.view().to_columns(start_row="1")


def test_a_view_with_no_columns():
    table = Table({"x": [1, 2, 3, 4], "y": ["a", "b", "a", "d"]}, name="none")
    view = table.view(columns=[])
    # as perspective-python 5.6.1 answers
    assert view.to_columns() == {}
    assert view.to_records() == []
    assert view.to_csv() == ""
    assert view.num_rows() == 4
    assert view.dimensions() == {
        "num_table_rows": 4,
        "num_table_columns": 2,
        "num_view_rows": 4,
        "num_view_columns": 0,
    }
    grouped = table.view(columns=[], group_by=["y"])
    assert grouped.to_columns() == {"__ROW_PATH__": [[], ["a"], ["b"], ["d"]]}
    assert pa.ipc.open_stream(view.to_arrow()).read_all().num_columns == 0


def test_arrow_and_csv_name_group_by_columns_as_perspective_5():
    data = {"x": [1, 2, 3, 4], "y": ["a", "b", "c", "d"], "z": [1.5, 2.5, 3.5, 4.5]}
    table = Table(data, name="n")

    def fields(**config):
        arrow = pa.ipc.open_stream(table.view(**config).to_arrow()).read_all()
        return [(f.name, str(f.type)) for f in arrow.schema]

    dictionary = "dictionary<values=string, indices=int32, ordered=0>"
    # as perspective-python 5.6.1 answers
    assert fields(group_by=["y", "x"]) == [
        ("y", dictionary),
        ("x", "int32"),
        ("x (sum)", "int64"),
        ("y (count)", "int64"),
        ("z", "double"),
    ]
    assert fields(group_by=["y"], columns=["y", "z"], aggregates={"y": "distinct count"}) == [
        ("y", dictionary),
        ("y (distinct count)", "uint32"),
        ("z", "double"),
    ]
    assert [name for name, _ in fields(group_by=["y"], split_by=["x"], columns=["z"])] == [
        "y",
        "1|z",
        "2|z",
        "3|z",
        "4|z",
    ]
    assert table.view(group_by=["y", "x"]).to_csv(end_row=2) == (
        '"y","x","x (sum)","y (count)","z"\n,,10,4,12\n"a",,1,1,1.5\n'
    )


@pytest.mark.parametrize(
    ("term", "rows"),
    [
        (["x", "==", 2.5], [2]),
        (["x", ">=", 1.5], [1, 2, 3]),
        (["x", "<", 2.5], [1]),
        (["x", "!=", 2.5], [1, 3]),
        (["x", "in", [2.9]], [2]),
        (["x", "in", [None, 1]], [1]),
        (["x", "not in", [1]], [2, 3]),
        (["x", "==", -1.5], []),
    ],
    ids=repr,
)
def test_float_filter_values_truncate_on_integer_columns(term, rows):
    table = Table({"x": [1, 2, 3]}, name="f")
    # as perspective-python 5.6.1 (and 3.8) answers
    assert table.view(filter=[term]).to_columns()["x"] == rows


def test_a_null_in_an_in_set_matches_nothing():
    table = Table({"s": ["a", None, "c"]}, name="f")
    # as perspective-python 5.6.1 answers
    assert table.view(filter=[["s", "in", ["a", None]]]).to_columns()["s"] == ["a"]
    assert table.view(filter=[["s", "in", []]]).to_columns()["s"] == []
    assert table.view(filter=[["s", "not in", ["a", None]]]).to_columns()["s"] == [None, "c"]


def test_a_repeated_column_shows_once():
    table = Table({"x": [1, 2, 3]}, name="d")
    # as perspective-python 5.6.1 answers
    assert table.view(columns=["x", "x"]).to_columns() == {"x": [1, 2, 3]}


def test_group_by_depth_zero_shows_every_level():
    table = Table({"g": ["a", "b", "a"], "h": ["x", "y", "y"], "v": [10, 20, 30]}, name="d")
    rows = [[], ["a"], ["a", "x"], ["a", "y"], ["b"], ["b", "y"]]
    # as perspective-python 5.6.1 (and 3.8) answers: 0 reads as "not set"
    view = table.view(group_by=["g", "h"], group_by_depth=0, columns=["v"])
    assert view.to_columns()["__ROW_PATH__"] == rows
    assert table.view(group_by=["g", "h"], group_by_depth=1).num_rows() == 3
    # set_depth(0) is an explicit request: the total row alone
    view.set_depth(0)
    assert view.to_columns()["__ROW_PATH__"] == [[]]
