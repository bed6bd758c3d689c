"""A DuckDB-backed table served over a real websocket: the same requests, answered by SQL."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest

from perspective_nb.client import websocket
from perspective_nb.errors import PerspectiveError
from tests.conformance.backends import require

from .conftest import wait_until


def test_a_duckdb_table_is_served_over_a_websocket(server, live):
    duckdb = require("duckdb")
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE trades AS SELECT range AS id, ['eu', 'us'][range % 2 + 1] AS region, "
        "range % 7 AS qty FROM range(1000)"
    )
    local = server.new_local_client()
    local.table("trades", connection=con, index="id")
    remote = websocket(live.url)
    try:
        assert "trades" in remote.get_hosted_table_names()
        with pytest.raises(PerspectiveError, match="in-process client"):
            remote.table("trades", connection=con, name="again")
        table = remote.open_table("trades")
        assert table.size() == 1000
        assert table.schema() == {"id": "integer", "region": "string", "qty": "integer"}
        view = table.view(group_by=["region"], columns=["qty"], sort=[["qty", "desc"]])
        sums = dict(con.sql("SELECT region, SUM(qty) FROM trades GROUP BY region").fetchall())
        out = view.to_columns()
        assert out["__ROW_PATH__"][0] == []
        assert out["qty"][0] == sum(sums.values())
        assert {
            r[0]: q for r, q in zip(out["__ROW_PATH__"][1:], out["qty"][1:], strict=True)
        } == sums
        arrow = pa.ipc.open_stream(view.to_arrow(start_row=1, end_row=2)).read_all()
        assert arrow.num_rows == 1
        assert view.dimensions()["num_view_rows"] == 3
        ticked = threading.Event()
        view.on_update(lambda *args: ticked.set())
        table.update([{"id": 5000, "region": "mars", "qty": 1}])
        assert wait_until(ticked.is_set)
        assert con.sql("SELECT qty FROM trades WHERE id = 5000").fetchall() == [(1,)]
        assert ["mars"] in view.to_columns()["__ROW_PATH__"]
        flat = table.view(columns=["id", "qty"], filter=[["qty", "==", 3]], sort=[["id", "desc"]])
        assert flat.to_columns(start_row=0, end_row=2) == {"id": [997, 990], "qty": [3, 3]}
        flat.delete()
        view.delete()
    finally:
        remote.terminate()
        local.terminate()
        con.close()
