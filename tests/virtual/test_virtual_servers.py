"""5.x's virtual servers: a DuckDB connection and polars frames, served by name.

User code written for perspective-python 5.x's
``perspective.virtual_servers`` runs against ``perspective_nb``'s: the
views it opens answer as the in-memory engine answers for the same rows;
the hosted set follows the connection's catalog and the dict of frames;
and the servers are served by our tornado handler over a real websocket.
(The same code against 5.6.1 itself: tests/oracle5/test_virtual_servers_oracle5.py.)
"""

from __future__ import annotations

import gc
import logging
import threading

import pytest

import perspective_nb
from perspective_nb import Client, Server
from perspective_nb.errors import PerspectiveError
from perspective_nb.virtual_servers import DuckDBVirtualServer, PolarsVirtualServer
from tests.conformance.backends import require
from tests.protocol.conftest import LiveServer, wait_until

from .virtual_server_scenarios import duckdb_connection_served, polars_frames_served

CONFIGS = [
    {"columns": ["sym", "qty", "px", "d", "flag"]},
    {"group_by": ["sym"], "columns": ["qty", "px"]},
    {"group_by": ["sym"], "columns": ["qty"], "aggregates": {"qty": "avg"},
     "sort": [["qty", "desc"]]},
    {"group_by": ["sym"], "split_by": ["flag"], "columns": ["qty", "px"]},
    {"columns": ["sym", "px"], "filter": [["qty", ">", 1]], "sort": [["px", "desc"]]},
    {"group_by": ["flag", "sym"], "columns": ["sym", "qty"]},
]  # fmt: skip


def _trades(duckdb):
    conn = duckdb.connect()
    conn.execute(
        "CREATE TABLE trades AS SELECT ['b', 'a', 'c'][range % 3 + 1] AS sym, range AS qty, "
        "CASE WHEN range % 4 = 0 THEN NULL ELSE range / 8 END AS px, "
        "DATE '2024-01-01' + CAST(range % 5 AS INTEGER) AS d, range % 2 = 0 AS flag "
        "FROM range(40)"
    )
    return conn


def _connect(server):
    """``Client(send)`` wired to ``server.new_session`` as 5.x's docs wire it."""
    client = None
    session = server.new_session(lambda msg: client.handle_response(msg))
    client = Client(lambda msg: session.handle_request(msg))
    return client


def _assert_views_match_engine(virtual, arrow) -> None:
    engine = Server().new_local_client().table(arrow)
    for config in CONFIGS:
        ours, theirs = virtual.view(**config), engine.view(**config)
        assert ours.to_columns() == theirs.to_columns(), config
        assert ours.schema() == theirs.schema(), config
        ours.delete()
        theirs.delete()


# -- DuckDB ------------------------------------------------------------------


def test_duckdb_tables_answer_as_the_engine_does():
    duckdb = require("duckdb")
    conn = _trades(duckdb)
    server = DuckDBVirtualServer(conn)
    client = _connect(server)
    assert client.get_hosted_table_names() == ["memory.trades"]
    table = client.open_table("memory.trades")
    arrow = conn.sql("SELECT * FROM trades").to_arrow_table()
    assert table.size() == 40
    assert table.schema() == {
        "sym": "string", "qty": "integer", "px": "float", "d": "date", "flag": "boolean"
    }  # fmt: skip
    _assert_views_match_engine(table, arrow)
    server.close()


def test_features_offer_what_the_sql_compiler_computes():
    duckdb = require("duckdb")
    from perspective_nb.engine.sql.aggregates import SQL_AGGREGATES
    from perspective_nb.protocol import perspective_pb2 as pb
    from perspective_nb.protocol.column_types import column_type_from_name

    server = DuckDBVirtualServer(_trades(duckdb))
    features = _connect(server).get_features()
    for ptype, names in SQL_AGGREGATES.items():
        offered = features.aggregates[column_type_from_name(ptype)].aggregates
        assert [a.name for a in offered] == list(names), ptype
    assert "median" not in [
        a.name for a in features.aggregates[column_type_from_name("float")].aggregates
    ]
    assert not features.window_aggregates  # window columns are not compiled to SQL
    assert list(features.split_rollup_mode) == [pb.SPLIT_FLAT]
    server.close()
    # A server of in-memory tables offers the engine's list.
    engine = perspective_nb.Server().new_local_client().get_features()
    floats = engine.aggregates[column_type_from_name("float")].aggregates
    assert "median" in [a.name for a in floats]
    assert engine.window_aggregates


def test_the_5x_scenario_answers_what_duckdb_computes():
    require("duckdb")
    out = duckdb_connection_served(perspective_nb)
    assert out["names"] == ["memory.big", "memory.trades"]
    assert out["names_later"] == ["memory.big", "memory.later", "memory.trades"]
    assert out["grouped"] == {
        "__ROW_PATH__": [[], ["a"], ["b"], ["c"]],
        "qty": [13, 2, 4, 7],
        "px": [4.25, 2.5, 1.5, 0.25],
    }
    assert out["sorted"]["__ROW_PATH__"] == [[], ["c"], ["b"], ["a"]]
    assert out["db_view"] == {"sym": "string", "qty": "integer"}
    assert out["later"] == {"z": "float", "label": "string"}


def test_the_hosted_set_follows_the_connection_catalog(caplog):
    duckdb = require("duckdb")
    conn = _trades(duckdb)
    conn.execute("ATTACH ':memory:' AS side; CREATE TABLE side.prices (p DOUBLE)")
    conn.execute("CREATE SCHEMA ref; CREATE TABLE ref.codes (code VARCHAR)")
    conn.execute("CREATE TEMP TABLE scratch (x INTEGER)")  # private to conn: not served
    server = DuckDBVirtualServer(conn)
    client = server.new_local_client()
    client.table({"a": [1]}, name="in_memory")
    assert client.get_hosted_table_names() == [
        "memory.trades", "memory.ref.codes", "side.prices", "in_memory"
    ]  # fmt: skip
    assert client.open_table("side.prices").schema() == {"p": "float"}
    client.open_table("side.prices").delete()  # the catalog serves it again
    assert "side.prices" in client.get_hosted_table_names()
    conn.execute("CREATE TABLE odd AS SELECT INTERVAL 1 DAY AS span")  # no Perspective type
    with caplog.at_level(logging.WARNING):
        assert "memory.odd" not in client.get_hosted_table_names()
        assert "memory.odd" not in client.get_hosted_table_names()
    refused = [r.getMessage() for r in caplog.records if "memory.odd" in r.getMessage()]
    assert len(refused) == 1, refused  # logged once, not at every listing
    assert "span" in refused[0]  # names the column
    conn.execute("CREATE TABLE extra AS SELECT 1 AS n")
    # Opened by name before any listing: the catalog is read on a miss.
    view = client.open_table("memory.extra").view()
    assert view.to_columns() == {"n": [1]}
    conn.execute("DROP TABLE extra")
    assert "memory.extra" in client.get_hosted_table_names()  # its view is open
    view.delete()
    assert "memory.extra" not in client.get_hosted_table_names()
    with pytest.raises(PerspectiveError, match=r"memory\.extra"):
        client.open_table("memory.extra").size()
    server.close()


def test_tables_are_live_and_writable_views_are_read_only():
    duckdb = require("duckdb")
    conn = _trades(duckdb)
    conn.execute("CREATE TABLE book (id INTEGER PRIMARY KEY, qty INTEGER)")
    conn.execute("INSERT INTO book VALUES (1, 10), (2, 20)")
    conn.execute("CREATE VIEW cheap AS SELECT * FROM trades WHERE px < 1")
    server = DuckDBVirtualServer(conn)
    client = server.new_local_client()
    book = client.open_table("memory.book")
    assert book.get_index() == "id"  # a one-column primary key is the index
    view = book.view(columns=["qty"], group_by=[], aggregates={"qty": "sum"})
    ticked = threading.Event()
    view.on_update(lambda *args: ticked.set())
    book.update([{"id": 2, "qty": 25}, {"id": 3, "qty": 5}])
    assert wait_until(ticked.is_set)
    assert conn.sql("SELECT * FROM book ORDER BY id").fetchall() == [(1, 10), (2, 25), (3, 5)]
    assert book.view(columns=["id", "qty"]).to_columns() == {"id": [1, 2, 3], "qty": [10, 25, 5]}
    cheap = client.open_table("memory.cheap")
    gc.collect()  # the view's relation keeps its cursor alive
    cheap_view = cheap.view(columns=["qty", "px"])
    expected = conn.sql("SELECT qty, px FROM cheap").fetchall()
    assert list(zip(*cheap_view.to_columns().values(), strict=True)) == expected
    cheap_view.delete()
    with pytest.raises(PerspectiveError, match="cannot be written"):
        cheap.update([{"sym": "x"}])
    # Written outside Perspective: seen after refresh().
    conn.execute("INSERT INTO book VALUES (4, 1)")
    server.refresh()
    assert book.size() == 4
    view.delete()
    server.close()


def test_bad_arguments_are_named():
    with pytest.raises(PerspectiveError, match=r"needs a duckdb connection.*not str"):
        DuckDBVirtualServer("trades.duckdb")
    with pytest.raises(PerspectiveError, match="dict of table name -> polars DataFrame, not list"):
        PolarsVirtualServer([])
    with pytest.raises(PerspectiveError, match="'t' is a int"):
        PolarsVirtualServer({"t": 1})


# -- polars ------------------------------------------------------------------


def _frame(pl):
    import datetime

    return pl.DataFrame(
        {
            "sym": ["b", "a", "c", "a", "b", "c"] * 5,
            "qty": list(range(30)),
            "px": [None if i % 4 == 0 else i / 8 for i in range(30)],
            "d": [datetime.date(2024, 1, 1 + i % 5) for i in range(30)],
            "flag": [i % 2 == 0 for i in range(30)],
        }
    )


def test_polars_frames_answer_as_the_engine_does():
    pl = require("polars")
    require("duckdb")
    frame = _frame(pl)
    server = PolarsVirtualServer({"trades": frame, "lazy": frame.lazy()})
    client = _connect(server)
    assert client.get_hosted_table_names() == ["trades", "lazy"]
    for name in ("trades", "lazy"):
        table = client.open_table(name)
        assert table.size() == 30
        _assert_views_match_engine(table, frame.to_arrow())
    with pytest.raises(PerspectiveError, match="cannot be written"):
        client.open_table("trades").update([{"qty": 1}])
    server.close()


def test_the_polars_dict_is_followed():
    pl = require("polars")
    require("duckdb")
    tables = {"a": pl.DataFrame({"x": [1, 2]})}
    server = PolarsVirtualServer(tables)
    client = server.new_local_client()
    tables["b"] = pl.DataFrame({"y": ["u"]})
    assert client.get_hosted_table_names() == ["a", "b"]
    view = client.open_table("a").view()
    tables["a"] = pl.DataFrame({"x": [7]})
    assert view.to_columns() == {"x": [1, 2]}  # the old frame, while its view is open
    view.delete()
    assert client.open_table("a").view().to_columns() == {"x": [7]}
    del tables["b"]
    assert client.get_hosted_table_names() == ["a"]
    server.close()


def test_the_5x_polars_scenario_answers_what_polars_computes():
    pl = require("polars")
    require("duckdb")
    out = polars_frames_served(perspective_nb)
    assert out["names"] == ["trades"]
    assert out["names_later"] == ["trades", "later"]
    assert out["later"] == {"z": [1.5, 2.5], "label": ["x", "y"]}
    frame = pl.DataFrame({"sym": ["b", "a", "b", "c"], "qty": [1, 2, 3, 7]})
    sums = frame.group_by("sym").agg(pl.col("qty").sum()).sort("sym")
    assert out["grouped"]["qty"] == [frame["qty"].sum(), *sums["qty"].to_list()]


# -- over a real websocket -------------------------------------------------------


def test_served_by_the_tornado_handler_over_a_websocket():
    duckdb = require("duckdb")
    pl = require("polars")
    conn = _trades(duckdb)
    conn.execute("CREATE TABLE book (id INTEGER PRIMARY KEY, qty INTEGER)")
    for server, name in (
        (DuckDBVirtualServer(conn), "memory.trades"),
        (PolarsVirtualServer({"trades": _frame(pl)}), "trades"),
    ):
        live = LiveServer(server)
        remote = perspective_nb.websocket(live.url)
        try:
            assert name in remote.get_hosted_table_names()
            table = remote.open_table(name)
            assert table.schema()["qty"] == "integer"
            view = table.view(group_by=["sym"], columns=["qty"], aggregates={"qty": "sum"})
            out = view.to_columns()
            assert out["__ROW_PATH__"] == [[], ["a"], ["b"], ["c"]]
            assert out["qty"][0] == sum(range(table.size()))
            view.delete()
            if isinstance(server, DuckDBVirtualServer):
                book = remote.open_table("memory.book")
                book.update([{"id": 1, "qty": 3}])
                assert conn.sql("SELECT * FROM book").fetchall() == [(1, 3)]
        finally:
            remote.terminate()
            live.stop()
            server.close()
