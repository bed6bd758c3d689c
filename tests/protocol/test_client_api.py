"""The Client / Table / View API, run in-process and over a real Tornado websocket."""

from __future__ import annotations

import threading

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from perspective_nb.errors import PerspectiveError, TableNotFoundError

from .conftest import wait_until

DATA = {"id": [1, 2, 3, 4], "region": ["a", "b", "a", "c"], "qty": [1.0, 2.0, 3.0, 4.0]}


def test_table_from_every_python_input(client):
    inputs = {
        "dict": DATA,
        "rows": [dict(zip(DATA, row, strict=True)) for row in zip(*DATA.values(), strict=True)],
        "arrow": pa.table(DATA),
        "pandas": pd.DataFrame(DATA),
        "polars": pl.DataFrame(DATA),
        "csv": "id,region,qty\n1,a,1.0\n2,b,2.0\n3,a,3.0\n4,c,4.0\n",
        "json": '[{"id": 1, "region": "a", "qty": 1.0}]',
    }
    for name, data in inputs.items():
        table = client.table(data, name=name)
        assert table.get_name() == name
        assert table.size() == (1 if name == "json" else 4)
        assert table.schema()["qty"] == "float"
        table.delete()
    schema_table = client.table({"x": "integer", "when": "datetime"}, name="schema")
    assert schema_table.schema() == {"x": "integer", "when": "datetime"}
    assert schema_table.size() == 0
    schema_table.delete()


def test_table_from_a_view_follows_it_on_the_server(client):
    source = client.table(DATA, name="source")
    view = source.view(columns=["region", "qty"], filter=[["qty", ">", 2]])
    derived = client.table(view, name="derived")
    assert derived.schema() == {"region": "string", "qty": "float"}
    assert derived.size() == 2
    source.update({"region": ["z"], "qty": [9.0]})
    assert derived.size() == 3
    with pytest.raises(PerspectiveError, match="read-only derived"):
        derived.update({"qty": [1.0]})
    with pytest.raises(PerspectiveError, match="made from it"):
        view.delete()
    derived.delete()
    view.delete()
    source.delete()


def test_table_methods(client):
    table = client.table(DATA, name="t", index="id")
    assert table.columns() == ["id", "region", "qty"]
    assert table.get_index() == "id"
    assert table.get_limit() is None
    assert table.get_client() is client
    port = table.make_port()
    table.update({"id": [5], "region": ["d"], "qty": [5.0]}, port_id=port)
    assert table.size() == 5
    table.remove([1, 5])
    assert table.size() == 3
    table.replace(DATA)
    assert table.size() == 4
    table.clear()
    assert table.size() == 0
    assert table.validate_expressions({"e": '"qty" + 1'})["expression_schema"] == {"e": "float"}
    table.delete()
    assert client.get_hosted_table_names() == []


def test_open_table_and_limit(client):
    client.table(DATA, name="limited", limit=2)
    opened = client.open_table("limited")
    assert opened.get_limit() == 2
    assert opened.size() == 2
    with pytest.raises(TableNotFoundError, match="nope"):
        client.open_table("nope")
    opened.delete()


def test_view_outputs(client):
    table = client.table(DATA, name="v", index="id")
    view = table.view(group_by=["region"], columns=["qty"], aggregates={"qty": "sum"})
    assert view.to_columns() == {
        "__ROW_PATH__": [[], ["a"], ["b"], ["c"]],
        "qty": [10.0, 4.0, 2.0, 4.0],
    }
    assert view.to_records(start_row=1, end_row=2) == [{"__ROW_PATH__": ["a"], "qty": 4.0}]
    assert view.to_json() == view.to_records()
    assert '"qty"' in view.to_json_string()
    assert view.to_ndjson().count("\n") == 3
    assert "qty" in view.to_csv()
    assert pa.ipc.open_stream(view.to_arrow()).read_all().num_rows == 4
    assert len(view.to_pandas()) == 4
    assert view.to_polars().height == 4
    assert view.num_rows() == 4
    assert view.num_columns() == 1
    assert view.dimensions()["num_table_rows"] == 4
    assert view.schema() == {"qty": "float"}
    # as perspective-python 5.6.1 answers: levels, here the names alone
    assert view.column_paths() == [["qty"]]
    assert view.get_min_max("qty") == (2.0, 4.0)
    config = view.get_config()
    assert config["group_by"] == ["region"]
    assert config["aggregates"] == {"qty": "sum"}
    flat = table.view(columns=["region"], filter=[["qty", ">", 2]], sort=[["qty", "desc"]])
    assert flat.to_columns(id=True) == {"region": ["c", "a"], "__ID__": [[4], [3]]}
    expr = table.view(expressions={"double": '"qty" * 2'}, columns=["double"])
    assert expr.expression_schema() == {"double": "float"}
    for v in (view, flat, expr):
        v.delete()
    table.delete()


def test_tree_state(client):
    table = client.table(DATA, name="tree")
    view = table.view(group_by=["region", "id"], columns=["qty"])
    assert view.num_rows() == 8
    view.collapse(1)
    assert view.num_rows() == 6
    view.expand(1)
    assert view.num_rows() == 8
    view.set_depth(1)
    assert view.num_rows() < 8
    view.delete()
    table.delete()


def test_on_update_delete_callbacks(client):
    table = client.table(DATA, name="cb", index="id")
    view = table.view(columns=["id", "qty"])
    updates: list[tuple] = []
    rows: list[tuple] = []
    got_row = threading.Event()
    update_id = view.on_update(lambda *args: updates.append(args))

    def on_row(port_id, delta):
        rows.append((port_id, delta))
        got_row.set()

    view.on_update(on_row, mode="row")
    deleted = threading.Event()
    view.on_delete(deleted.set)
    table_deleted = threading.Event()
    table.on_delete(table_deleted.set)

    table.update([{"id": 2, "qty": 20.0}])
    assert got_row.wait(30)
    assert wait_until(lambda: len(updates) == 1)
    assert updates[0] == (0,)
    port_id, delta = rows[0]
    assert port_id == 0
    assert pa.ipc.open_stream(delta).read_all().to_pydict() == {"id": [2], "qty": [20.0]}

    view.remove_update(update_id)
    got_row.clear()
    table.update([{"id": 3, "qty": 30.0}])
    assert got_row.wait(30)
    assert len(updates) == 1  # the removed callback stayed quiet

    view.delete()
    assert deleted.wait(30)
    table.delete()
    assert table_deleted.wait(30)
    assert client._streams == {}  # deleted entities leave no subscriptions behind


def test_remove_delete_and_hosted_updates(client):
    changes: list[int] = []
    hosted_id = client.on_hosted_tables_update(lambda: changes.append(1))
    table = client.table(DATA, name="hosted")
    assert wait_until(lambda: len(changes) == 1)
    callback_id = table.on_delete(lambda: changes.append(100))
    table.remove_delete(callback_id)
    client.remove_hosted_tables_update(hosted_id)
    table.delete()
    client.table(DATA, name="after").delete()
    assert client.get_hosted_table_names() == []
    assert changes == [1]
    assert client._streams == {}


def test_errors_are_raised_and_the_client_stays_usable(client):
    table = client.table(DATA, name="err")
    with pytest.raises(PerspectiveError, match="nope"):
        table.view(columns=["nope"])
    view = table.view()
    with pytest.raises(PerspectiveError, match="view"):
        table.delete()
    view.delete()
    with pytest.raises(PerspectiveError):
        view.to_columns()
    assert table.size() == 4
    table.delete()
    assert client.system_info()["used_size"] > 0
