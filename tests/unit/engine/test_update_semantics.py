"""Updates as Perspective applies them, for inputs its Python API cannot
send (Python dates, polars) and the details around partial rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError, UpdateError

MS = 1_000


def test_python_dates_and_datetimes_cast_between_column_types():
    t = Table({"d": "date", "t": "datetime"}, name="t")
    t.update({"d": [dt.datetime(2021, 2, 3, 23, 59)], "t": [dt.date(2021, 2, 3)]})
    feb3 = int(dt.datetime(2021, 2, 3, tzinfo=dt.timezone.utc).timestamp()) * MS
    assert t.view().to_columns() == {"d": [feb3], "t": [feb3]}


def test_sub_millisecond_datetimes_are_truncated_to_milliseconds():
    when = dt.datetime(2021, 2, 3, 4, 5, 6, 123456)
    t = Table({"t": [when]}, name="t")
    t.update({"t": [when.replace(microsecond=999999)]})
    t.update(pd.DataFrame({"t": pd.to_datetime(["2021-02-03 04:05:06.000999"])}))
    base = int(when.replace(microsecond=0, tzinfo=dt.timezone.utc).timestamp()) * MS
    assert t.view().to_columns()["t"] == [base + 123, base + 999, base]
    assert t.schema() == {"t": "datetime"}


def test_csv_update_reads_every_date_form_a_table_reads():
    t = Table("d,t\n2021-02-03,2021-02-03 04:05:06\n", name="t")
    t.update("d,t\n2021/02/04,02/04/2021 05:06\n")
    assert t.view().to_columns()["d"][1] == 1612396800000
    assert t.view().to_columns()["t"][1] == 1612415160000


def test_csv_update_keeps_text_of_a_string_column():
    t = Table({"s": ["x"]}, name="t")
    t.update("s\n1.50\ntrue\n2021-02-03\n")
    assert t.view().to_columns() == {"s": ["x", "1.50", "true", "2021-02-03"]}


def test_python_strings_into_a_string_column_are_not_inferred():
    t = Table({"s": ["x"]}, name="t")
    t.update({"s": ["1.50", "TRUE", "02/03/2021"]})
    assert t.view().to_columns() == {"s": ["x", "1.50", "TRUE", "02/03/2021"]}


def test_polars_lazy_frame_is_collected():
    lazy = pl.DataFrame({"a": [1, 2, 3]}).lazy().filter(pl.col("a") > 1)
    t = Table(lazy, name="t")
    t.update(pl.DataFrame({"a": [4]}).lazy())
    assert t.view().to_columns() == {"a": [2, 3, 4]}


def test_pandas_period_column_updates_with_periods():
    t = Table(pd.DataFrame({"p": pd.period_range("2021-01", periods=1, freq="M")}), name="t")
    t.update(pd.DataFrame({"p": pd.period_range("2021-03", periods=1, freq="M")}))
    assert t.view().to_columns()["p"] == [612, 614]


@pytest.mark.parametrize(
    ("schema", "values", "message"),
    [
        ({"d": "date"}, ["2021-02-30"], r"cannot read '2021-02-30' as a date for column 'd'"),
        ({"d": "datetime"}, ["noon"], r"cannot read 'noon' as a datetime .* ISO text"),
        ({"d": "boolean"}, ["yes"], r"cannot read 'yes' as a boolean .* true/false"),
        ({"d": "boolean"}, [0.5], r"cannot read 0.5 as a boolean"),
    ],
)
def test_unreadable_values_are_named_and_the_table_is_unchanged(schema, values, message):
    t = Table(schema, name="t")
    with pytest.raises(UpdateError, match=message):
        t.update({"d": values})
    assert t.size() == 0


def test_rows_leaving_cells_out_notify_the_rows_they_touch():
    t = Table({"k": [1, 2, 3], "x": [1, 2, 3], "y": ["a", "b", "c"]}, name="t", index="k")
    view = t.view()
    seen = []
    view.on_update(lambda *args, **kwargs: seen.append(1))
    t.update([{"k": 1, "x": 10}, {"k": 2, "y": "z"}, {"k": 4}, {"k": 3, "x": None, "y": "w"}])
    assert view.to_columns() == {
        "k": [1, 2, 3, 4],
        "x": [10, 2, None, None],
        "y": ["a", "z", "w", None],
    }
    assert len(seen) == 1


def test_grouped_view_follows_partial_rows():
    t = Table({"k": [1, 2], "g": ["a", "a"], "x": [1, 2]}, name="t", index="k")
    view = t.view(group_by=["g"], columns=["x"])
    view.to_columns()
    t.update([{"k": 1, "x": 10}, {"k": 2, "g": "b"}])
    assert view.to_columns() == {"__ROW_PATH__": [[], ["a"], ["b"]], "x": [12, 10, 2]}


def test_boolean_index_is_refused():
    with pytest.raises(ConfigError, match="index column 'b' is boolean"):
        Table({"b": [True, False]}, name="t", index="b")


def test_arrow_update_with_extra_columns_is_applied():
    t = Table({"a": [1]}, name="t")
    t.update(pa.table({"zz": ["x"], "a": pa.array([2], pa.int64())}))
    assert t.view().to_columns() == {"a": [1, 2]}
