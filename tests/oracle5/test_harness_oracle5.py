"""The 5.6.1 harness itself: outputs, errors and free-form code."""

from __future__ import annotations

import pyarrow as pa
import pytest

from .compare import assert_same
from .conftest import OracleError


def test_view_schema_and_records_of_arrow_ipc(oracle5):
    sink = pa.BufferOutputStream()
    tbl = pa.table({"a": [1, 2], "s": ["x", None]})
    with pa.ipc.new_stream(sink, tbl.schema) as writer:
        writer.write_table(tbl)
    data = sink.getvalue().to_pybytes()
    out = assert_same(oracle5, data, outputs=("schema", "to_records", "table.size"))
    assert out["to_records"] == [{"a": 1, "s": "x"}, {"a": 2, "s": None}]


def test_errors_name_the_step_that_failed(oracle5):
    with pytest.raises(OracleError, match="update 0"):
        oracle5.run({"a": "boolean"}, updates=[{"a": ["maybe"]}])


def test_code_runs_in_the_oracle(oracle5):
    assert oracle5.code("result = perspective.__version__") == "5.6.1"
    assert oracle5.code("result = client.table(data).size()", data={"a": [1, 2, 3]}) == 3
