"""A DuckDB table hosted through a client: reads in DuckDB, writes into it, live views."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest

import perspective_nb
from perspective_nb.errors import PerspectiveError


@pytest.fixture
def con(duckdb):
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE trades AS SELECT range AS id, ['eu', 'us', 'asia'][range % 3 + 1] AS region, "
        "range % 10 AS qty, range / 4 AS price FROM range(30)"
    )
    yield con
    con.close()


@pytest.fixture
def client():
    server = perspective_nb.Server()
    client = server.new_local_client()
    yield client
    client.terminate()


def test_a_relation_is_hosted_by_name_and_queried_in_duckdb(client, con):
    big = client.table(con.sql("SELECT * FROM trades"), name="trades_q")
    assert client.get_hosted_table_names() == ["trades_q"]
    assert big.size() == 30
    assert big.schema() == {"id": "integer", "region": "string", "qty": "integer", "price": "float"}
    view = big.view(group_by=["region"], columns=["qty"], sort=[["qty", "desc"]])
    out = view.to_columns(start_row=0, end_row=3)
    expected = con.sql(
        "SELECT region, SUM(qty) s FROM trades GROUP BY region ORDER BY s DESC, region LIMIT 2"
    ).fetchall()
    assert out["__ROW_PATH__"] == [[], *([r] for r, _ in expected)]
    assert out["qty"] == [sum(i % 10 for i in range(30)), *(s for _, s in expected)]
    assert "GROUPING SETS" in view.to_sql()
    table = pa.ipc.open_stream(view.to_arrow(start_row=0, end_row=2)).read_all()
    assert table.column_names == ["region", "qty"]  # 5.x names a level by its column
    assert table.num_rows == 2


def test_writes_go_into_duckdb_and_fire_on_update(client, con):
    table = client.table("trades", connection=con, index="id")
    view = table.view(group_by=["region"], columns=["qty"])
    ticks = []
    view.on_update(lambda *args: ticks.append(args))
    table.update([{"id": 100, "region": "mars", "qty": 7, "price": 1.5}, {"id": 0, "qty": 99}])
    written = con.sql("SELECT region, qty FROM trades WHERE id IN (0, 100) ORDER BY id")
    assert written.fetchall() == [("eu", 99), ("mars", 7)]
    assert table.size() == 31
    assert ["mars"] in view.to_columns()["__ROW_PATH__"]
    table.remove([100, 1])
    assert con.execute("SELECT COUNT(*) FROM trades").fetchall()[0][0] == 29
    assert len(ticks) == 2
    with pytest.raises(PerspectiveError, match="undone"):
        table.update([{"id": 5, "qty": "not a number"}])
    assert con.execute("SELECT qty FROM trades WHERE id = 5").fetchall()[0][0] == 5  # unchanged
    table.replace({"id": [1], "region": ["eu"], "qty": [1], "price": [1.0]})
    assert table.size() == 1
    table.clear()
    assert table.size() == 0
    view.delete()


def test_unindexed_table_appends_and_removes_row_numbers(client, con):
    table = client.table("trades", connection=con)
    table.update({"id": [-1], "region": ["x"], "qty": [0], "price": [0.0]})
    assert table.view(columns=["id"]).to_columns(start_row=29, end_row=31) == {"id": [29, -1]}
    table.remove([0, 30])
    assert table.view(columns=["id"]).to_columns(start_row=0, end_row=2) == {"id": [1, 2]}
    assert table.size() == 29


def test_refresh_and_poll_pick_up_changes_made_by_others(client, con):
    table = client.table("trades", connection=con)
    view = table.view(columns=["id"])
    seen = threading.Event()
    view.on_update(lambda *args: seen.set())
    assert table.size() == 30
    con.execute("DELETE FROM trades WHERE id >= 10")
    assert table.size() == 30  # counted once per version, until refreshed
    table.refresh()
    assert seen.wait(1)
    assert table.size() == 10
    polled = client.table("trades", name="polled", connection=con, poll_interval=0.05)
    ticked = threading.Event()
    polled.view().on_update(lambda *args: ticked.set())
    con.execute("INSERT INTO trades VALUES (500, 'eu', 1, 1.0)")
    assert ticked.wait(5)
    assert polled.size() == 11


def test_a_query_relation_is_read_only(client, con):
    table = client.table(con.sql("SELECT * FROM trades WHERE qty > 5"), name="q")
    with pytest.raises(PerspectiveError, match="cannot be written"):
        table.update([{"id": 1}])


def test_unsupported_aggregate_and_expression_are_named(client, con):
    table = client.table(con.sql("SELECT * FROM trades"), name="q")
    with pytest.raises(PerspectiveError, match="'median'"):
        table.view(group_by=["region"], columns=["qty"], aggregates={"qty": "median"})
    with pytest.raises(PerspectiveError, match=r"bucket\(\)"):
        table.view(expressions={"b": 'bucket("price", 2)'})
    view = table.view(columns=["e"], expressions={"e": '"qty" * 2 + 1'}, sort=[["e", "desc"]])
    assert view.to_columns(end_row=2) == {"e": [19.0, 19.0]}
    assert view.expression_schema() == {"e": "float"}
    result = table.validate_expressions({"ok": '"qty" + 1', "no": 'bucket("price", 2)'})
    assert "ok" in result["expression_schema"]
    assert "no" in result["errors"]


def test_views_of_in_memory_and_virtual_tables_share_a_server(client, con):
    mem = client.table({"x": [1, 2, 3]}, name="mem")
    virtual = client.table(con.sql("SELECT * FROM trades"), name="v")
    assert mem.view().num_rows() == 3
    assert virtual.view(columns=["id"], filter=[["id", "<", 4]]).num_rows() == 4
    assert virtual.view().get_min_max("price") == (0.0, 7.25)
    with pytest.raises(PerspectiveError, match="virtual"):
        mem.view().to_sql()


def test_decimals_are_floats(client, con):
    con.execute("CREATE TABLE money AS SELECT 1.25 AS amount, 'a' AS k UNION ALL SELECT 2.50, 'b'")
    table = client.table("money", connection=con, index="k")
    assert table.schema() == {"amount": "float", "k": "string"}
    view = table.view(group_by=["k"], columns=["amount"])
    assert view.to_columns() == {"__ROW_PATH__": [[], ["a"], ["b"]], "amount": [3.75, 1.25, 2.5]}
    table.update([{"k": "c", "amount": 1.0}])
    assert table.view(columns=["amount"]).to_columns() == {"amount": [1.25, 2.5, 1.0]}
    view.delete()


def test_threads_share_one_duckdb_table(client, con):
    table = client.table("trades", connection=con, index="id")
    server = client.server
    errors = []

    def reader(n: int) -> None:
        try:
            mine = server.new_local_client()
            view = mine.open_table("trades").view(group_by=["region"], columns=["qty"])
            for _ in range(20):
                out = view.to_columns()
                assert out["qty"][0] == sum(out["qty"][1:])
            view.delete()
            mine.terminate()
        except Exception as exc:  # collected: asserts in threads do not fail the test
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for i in range(20):
        table.update([{"id": 1000 + i, "region": "eu", "qty": i}])
    for t in threads:
        t.join()
    assert errors == []
    assert table.size() == 50


def test_every_output_format_reads_one_window(duckdb, con):
    from perspective_nb.virtual import virtual_table

    table = virtual_table(con.sql("SELECT * FROM trades"), name="t")
    view = table.view(group_by=["region"], columns=["qty"])
    window = {"start_row": 1, "end_row": 3}
    records = view.to_records(**window)
    assert [r["__ROW_PATH__"] for r in records] == [["asia"], ["eu"]]
    assert view.to_csv(**window).splitlines()[0] == '"region","qty"'
    assert len(view.to_ndjson(**window).splitlines()) == 2
    assert view.to_pandas(**window)["qty"].tolist() == [r["qty"] for r in records]
    assert view.to_polars(**window)["qty"].to_list() == [r["qty"] for r in records]
    assert view.to_columns(leaves_only=True)["__ROW_PATH__"] == [["asia"], ["eu"], ["us"]]
    assert view.get_config()["group_by"] == ["region"]
    assert view.dimensions() == {
        "num_table_rows": 30, "num_table_columns": 4, "num_view_rows": 4, "num_view_columns": 1
    }  # fmt: skip
    view.delete()
    table.delete()
    with pytest.raises(PerspectiveError, match="deleted"):
        table.size()
