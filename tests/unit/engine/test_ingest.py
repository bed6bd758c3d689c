"""Every input format becomes the same table, with Perspective's type inference."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import PerspectiveError, SchemaError

EXPECTED = {"a": [1, 2], "b": ["x", "y"], "c": [1.5, None]}


def _ipc(tbl: pa.Table, file_format: bool) -> bytes:
    sink = io.BytesIO()
    writer = pa.ipc.new_file if file_format else pa.ipc.new_stream
    with writer(sink, tbl.schema) as w:
        w.write_table(tbl)
    return sink.getvalue()


ARROW = pa.table(EXPECTED)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(EXPECTED, id="dict"),
        pytest.param([{"a": 1, "b": "x", "c": 1.5}, {"a": 2, "b": "y", "c": None}], id="rows"),
        pytest.param(ARROW, id="arrow-table"),
        pytest.param(ARROW.to_batches()[0], id="record-batch"),
        pytest.param(
            pa.RecordBatchReader.from_batches(ARROW.schema, ARROW.to_batches()), id="reader"
        ),
        pytest.param(_ipc(ARROW, False), id="ipc-stream"),
        pytest.param(_ipc(ARROW, True), id="ipc-file"),
        pytest.param("a,b,c\n1,x,1.5\n2,y,\n", id="csv"),
        pytest.param(
            '[{"a": 1, "b": "x", "c": 1.5}, {"a": 2, "b": "y", "c": null}]', id="json-rows"
        ),
        pytest.param('{"a": [1, 2], "b": ["x", "y"], "c": [1.5, null]}', id="json-columns"),
        pytest.param('{"a": 1, "b": "x", "c": 1.5}\n{"a": 2, "b": "y", "c": null}\n', id="ndjson"),
        pytest.param(pl.DataFrame(EXPECTED), id="polars"),
    ],
)
def test_every_input_format_loads_the_same_table(data):
    t = Table(data, name="t")
    assert t.schema() == {"a": "integer", "b": "string", "c": "float"}
    assert t.view().to_columns() == EXPECTED


def test_pandas_index_becomes_a_column():
    df = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index([10, 20], name="key"))
    t = Table(df, name="t")
    assert t.columns() == ["key", "x"]
    unnamed = Table(pd.DataFrame({"x": [1.0]}), name="u")
    assert unnamed.columns() == ["index", "x"]


def test_schema_creates_an_empty_typed_table():
    t = Table(
        {"i": int, "f": "float", "s": str, "b": bool, "d": dt.date, "t": "datetime"}, name="t"
    )
    assert t.size() == 0
    assert t.schema() == {
        "i": "integer",
        "f": "float",
        "s": "string",
        "b": "boolean",
        "d": "date",
        "t": "datetime",
    }


def test_csv_infers_dates_and_datetimes():
    t = Table("d,t\n2020-01-02,2020-01-02 10:00:00\n2020-01-03,2020-01-03 11:30:00\n", name="t")
    assert t.schema() == {"d": "date", "t": "datetime"}
    cols = t.view().to_columns()
    assert cols["d"][0] == int(dt.datetime(2020, 1, 2, tzinfo=dt.timezone.utc).timestamp() * 1000)


def test_update_casts_text_to_the_table_types():
    t = Table({"a": [1], "d": [dt.date(2020, 1, 1)]}, name="t")
    t.update("a,d\n2,2020-01-05\n")
    assert t.view().to_columns()["a"] == [1, 2]
    assert t.schema()["d"] == "date"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (object(), "cannot load data of type object"),
        ({"a": [1, 2], "b": [1]}, "different lengths"),
        ({"a": [1, "x"]}, "mixes types"),
        ({"a": "nonsense-type"}, "must be a list of values"),
        (b"not arrow", "not a valid Arrow IPC"),
        (
            {"a": pa.array([[("k", 1)]], pa.map_(pa.string(), pa.int64()))},
            "no Perspective equivalent",
        ),
    ],
)
def test_bad_input_names_the_problem(data, message):
    with pytest.raises(PerspectiveError, match=message):
        Table(data, name="t")


def test_schema_error_is_a_value_error():
    with pytest.raises(ValueError, match="no Perspective equivalent"):
        Table({"a": pa.array([[("k", 1)]], pa.map_(pa.string(), pa.int64()))}, name="t")
    assert issubclass(SchemaError, PerspectiveError)


def test_datetimes_are_epoch_ms_whatever_the_local_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        noon_utc = int(dt.datetime(2020, 1, 1, 12, tzinfo=dt.timezone.utc).timestamp() * 1000)
        naive = dt.datetime(2020, 1, 1, 12)
        for data in (
            {"t": [naive]},
            [{"t": "2020-01-01 12:00:00"}],
            pd.DataFrame({"t": [naive]}),
            "t\n2020-01-01 12:00:00\n",
        ):
            assert Table(data, name="t").view().to_columns()["t"] == [noon_utc]
        aware = pa.array([dt.datetime(2020, 1, 1, 7, tzinfo=dt.timezone.utc)]).cast(
            pa.timestamp("ms", "America/New_York")
        )
        shifted = Table(pa.table({"t": aware}), name="t").view().to_columns()["t"]
        assert shifted == [noon_utc - 5 * 3600 * 1000]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_tables_do_not_follow_later_edits_of_numpy_or_pandas_inputs():
    import numpy as np
    import pandas as pd

    from perspective_nb.engine.table import Table

    values = np.arange(5)
    frame = pd.DataFrame({"k": np.arange(5), "x": np.arange(5.0)})
    from_numpy = Table({"k": np.arange(5), "v": values}, name="a", index="k")
    from_pandas = Table(frame, name="b", index="k")
    values[0] = 99
    frame.loc[0, "x"] = 42.0
    assert from_numpy.data.column("v").to_pylist()[0] == 0
    assert from_pandas.data.column("x").to_pylist()[0] == 0.0
