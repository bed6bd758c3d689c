"""Column types, table data, keys and the features message on the wire."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from perspective_nb.errors import ProtocolError, SchemaError
from perspective_nb.protocol import pb
from perspective_nb.protocol.column_types import (
    column_type_from_name,
    column_type_name,
    schema_from_pairs,
    schema_to_pairs,
)
from perspective_nb.protocol.features import features_response
from perspective_nb.protocol.table_data import (
    decode_keys,
    decode_table_data,
    encode_keys,
    encode_table_data,
)

TYPES = ["string", "date", "datetime", "integer", "float", "boolean"]


def test_column_type_enum_matches_perspective_numbering():
    assert [column_type_from_name(t) for t in TYPES] == [0, 1, 2, 3, 4, 5]
    assert [column_type_name(i) for i in range(6)] == TYPES
    with pytest.raises(SchemaError, match="decimal"):
        column_type_from_name("decimal")
    with pytest.raises(ProtocolError, match="9"):
        column_type_name(9)


def test_schema_pairs_keep_order():
    schema = {"z": "float", "a": "string", "m": "date"}
    assert schema_from_pairs(schema_to_pairs(schema, pb.Schema())) == schema


def _arrow_of(message: pb.MakeTableData) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(message.from_arrow)).read_all()


@pytest.mark.parametrize(
    "data",
    [
        {"a": [1, 2]},
        [{"a": 1}, {"a": 2}],
        pa.table({"a": [1, 2]}),
        pa.record_batch({"a": [1, 2]}),
    ],
    ids=["dict", "rows", "table", "batch"],
)
def test_in_memory_inputs_travel_as_arrow(data):
    message = encode_table_data(data, pb.MakeTableData())
    assert message.WhichOneof("data") == "from_arrow"
    assert _arrow_of(message).column("a").to_pylist() == [1, 2]
    # read on the server side already, so malformed bytes fail with a clear error
    assert decode_table_data(message).equals(_arrow_of(message))


def test_pandas_and_polars_travel_as_arrow():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    for frame in (pd.DataFrame({"a": [1, 2]}), pl.DataFrame({"a": [1, 2]})):
        message = encode_table_data(frame, pb.MakeTableData())
        assert _arrow_of(message).column("a").to_pylist() == [1, 2]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("a,b\n1,2\n", "from_csv"),
        ('[{"a": 1}]', "from_rows"),
        ('{"a": [1]}', "from_cols"),
        ('{"a": 1}\n{"a": 2}\n', "from_ndjson"),
    ],
)
def test_text_travels_as_text_in_the_matching_field(text, field):
    message = encode_table_data(text, pb.MakeTableData())
    assert message.WhichOneof("data") == field
    assert decode_table_data(message) == text


def test_schema_travels_as_schema():
    message = encode_table_data({"a": "integer", "b": str}, pb.MakeTableData())
    assert message.WhichOneof("data") == "from_schema"
    assert decode_table_data(message) == {"a": "integer", "b": "string"}


def test_from_view_needs_a_resolver():
    message = pb.MakeTableData(from_view="v1")
    assert decode_table_data(message, lambda view_id: view_id.encode()) == b"v1"
    with pytest.raises(ProtocolError):
        decode_table_data(message)
    with pytest.raises(ProtocolError, match="empty"):
        decode_table_data(pb.MakeTableData())


def test_keys_round_trip_and_every_form_yields_keys():
    message = encode_keys([1, "b", None], pb.MakeTableData())
    assert json.loads(message.from_rows) == [1, "b", None]
    assert decode_keys(message) == [1, "b", None]
    rows = pb.MakeTableData(from_rows='[{"id": 1}, {"id": 2}]')
    assert decode_keys(rows, "id") == [1, 2]
    cols = pb.MakeTableData(from_cols='{"id": [3, 4]}')
    assert decode_keys(cols, "id") == [3, 4]
    arrow = encode_table_data({"id": [5, 6], "x": [0, 0]}, pb.MakeTableData())
    assert decode_keys(arrow, "id") == [5, 6]
    assert decode_keys(encode_keys(pa.array([7]), pb.MakeTableData())) == [7]


def test_features_message_from_explicit_lists():
    message = features_response(
        aggregates={"float": ["sum", ("weighted mean", ["float"])], "string": ["count"]},
        filter_ops={"float": [">", "<"], "string": ["contains"]},
    )
    assert list(message.filter_ops[pb.FLOAT].options) == [">", "<"]
    weighted = message.aggregates[pb.FLOAT].aggregates[1]
    assert (weighted.name, list(weighted.args)) == ("weighted mean", [pb.FLOAT])
    assert message.on_update
    assert pb.ROLLUP in message.group_rollup_mode


def test_features_default_to_the_engine_lists():
    from perspective_nb.engine import features

    message = features_response()
    for ptype, ops in features.FILTER_OPS_BY_TYPE.items():
        assert list(message.filter_ops[column_type_from_name(ptype)].options) == list(ops)
    for ptype, aggs in features.AGGREGATES_BY_TYPE.items():
        names = [a.name for a in message.aggregates[column_type_from_name(ptype)].aggregates]
        assert names == [a if isinstance(a, str) else a[0] for a in aggs]


@pytest.mark.parametrize(
    ("fmt", "field"),
    [
        ("csv", "from_csv"),
        ("json", "from_rows"),
        ("columns", "from_cols"),
        ("ndjson", "from_ndjson"),
    ],
)
def test_explicit_format_picks_the_field(fmt, field):
    message = encode_table_data("a\n1\n", pb.MakeTableData(), fmt)
    assert message.WhichOneof("data") == field
    arrow = encode_table_data(b"\xff\xff\xff\xff", pb.MakeTableData(), "arrow")
    assert arrow.from_arrow == b"\xff\xff\xff\xff"
    with pytest.raises(Exception, match="xml"):
        encode_table_data("<a/>", pb.MakeTableData(), "xml")
