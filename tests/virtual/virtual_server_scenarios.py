"""User code written for perspective-python 5.x's virtual servers, as functions of the module.

Each scenario takes the ``perspective`` module (5.6.1's, or
``perspective_nb``) and returns what the user would see. Its imports are
inside it and it calls only the helpers in ``HELPERS``, so its source and
theirs also run in the 5.6.1 interpreter
(``tests/oracle5/test_virtual_servers_oracle5.py``).
Views name their columns and aggregates: 5.6.1's Python client sends no
defaults for them (its viewer always does), and an empty column list fails
there.
"""

from __future__ import annotations


def _client(psp, server):
    """A client of ``server`` through one of its sessions, as 5.x user code wires it."""
    client = None
    session = server.new_session(lambda msg: client.handle_response(msg))
    client = psp.Client(lambda msg: session.handle_request(msg))
    return client


def _read(table, **config):
    view = table.view(**config)
    try:
        return view.to_columns()
    finally:
        view.delete()


def _common_reads(client, name):
    """What both servers are asked of table ``name``, and the table."""
    out = {"names": client.get_hosted_table_names()}
    table = client.open_table(name)
    out["schema"] = table.schema()
    out["size"] = table.size()
    out["columns"] = table.columns()
    out["flat"] = _read(table, columns=table.columns())
    sums = {"qty": "sum", "px": "sum"}
    out["grouped"] = _read(table, group_by=["sym"], columns=["qty", "px"], aggregates=sums)
    out["sorted"] = _read(
        table, group_by=["sym"], columns=["qty"], aggregates=sums, sort=[["qty", "desc"]]
    )
    out["filtered"] = _read(table, columns=["sym", "qty"], filter=[["qty", ">", 1]])
    return out, table


def duckdb_connection_served(psp):
    import importlib

    import duckdb

    vs = importlib.import_module(psp.__name__ + ".virtual_servers.duckdb")
    conn = duckdb.connect()
    conn.execute(
        "CREATE TABLE trades AS SELECT * FROM (VALUES "
        "('b', 1, 1.5, DATE '2024-01-02', TRUE), ('a', 2, 2.5, DATE '2024-01-03', FALSE), "
        "('b', 3, NULL, NULL, TRUE), ('c', 7, 0.25, DATE '2024-02-01', FALSE)) "
        "t(sym, qty, px, d, flag)"
    )
    conn.execute("CREATE VIEW big AS SELECT sym, qty FROM trades WHERE qty > 1")
    client = _client(psp, vs.DuckDBVirtualServer(conn))
    out, table = _common_reads(client, "memory.trades")
    sums = {"qty": "sum", "px": "sum"}
    out["flat_sorted"] = _read(table, columns=["sym", "px"], sort=[["px", "desc"]])
    out["split"] = _read(
        table, group_by=["sym"], split_by=["flag"], columns=["qty"], aggregates=sums
    )
    out["expression"] = _read(table, columns=["double"], expressions={"double": '"qty" * 2'})
    out["db_view"] = client.open_table("memory.big").schema()  # 5.6.1 cannot view a VIEW
    conn.execute("CREATE TABLE later AS SELECT 1.5 AS z, 'x' AS label")
    out["names_later"] = client.get_hosted_table_names()
    out["later"] = client.open_table("memory.later").schema()
    return out


def polars_frames_served(psp):
    import datetime
    import importlib

    import polars as pl

    vs = importlib.import_module(psp.__name__ + ".virtual_servers.polars")
    frame = pl.DataFrame(
        {
            "sym": ["b", "a", "b", "c"],
            "qty": pl.Series([1, 2, 3, 7], dtype=pl.Int32),
            "px": [1.5, 2.5, None, 0.25],
            "d": [datetime.date(2024, 1, 2), datetime.date(2024, 1, 3), None, None],
            "flag": [True, False, True, False],
        }
    )
    tables = {"trades": frame}
    client = _client(psp, vs.PolarsVirtualServer(tables))
    out, table = _common_reads(client, "trades")
    # Not a column with nulls: 5.6.1's polars server sorts them first
    # under "desc", where its own engine (and ours) puts them last. And no
    # split_by: it names split columns "False|qty" and fills missing cells
    # with 0, where its engine names them "false|qty" and leaves them null.
    out["flat_sorted"] = _read(table, columns=["sym", "qty"], sort=[["qty", "desc"]])
    out["expression"] = _read(table, columns=["double"], expressions={"double": '"qty" * 2'})
    tables["later"] = pl.DataFrame({"z": [1.5, 2.5], "label": ["x", "y"]})
    out["names_later"] = client.get_hosted_table_names()
    out["later"] = _read(client.open_table("later"), columns=["z", "label"])
    return out


HELPERS = [_client, _read, _common_reads]
SCENARIOS = [duckdb_connection_served, polars_frames_served]
