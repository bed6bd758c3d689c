"""perspective-python 3.8's own (Rust) client talks to our Session unchanged.

Its client encodes requests and decodes our responses with Perspective's
generated code, so every call here checks our frames against the real
schema, not against our own transcription of it.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

perspective = pytest.importorskip("perspective")

pytestmark = pytest.mark.oracle


@pytest.fixture
def official(server):
    holder = {}
    session = server.new_session(lambda data: holder["client"].handle_response(data))
    client = perspective.Client(session.handle_request)
    holder["client"] = client
    yield client
    session.close()


def test_table_lifecycle_through_the_official_client(official, server):
    table = official.table(
        {"id": [1, 2, 3], "region": ["a", "b", "a"], "qty": [1.5, 2.5, 3.5]},
        name="orders",
        index="id",
    )
    assert table.schema() == {"id": "integer", "region": "string", "qty": "float"}
    assert table.size() == 3
    assert table.get_index() == "id"
    assert official.get_hosted_table_names() == ["orders"]
    assert server.get_table("orders").size() == 3

    table.update([{"id": 4, "region": "c", "qty": 4.5}])
    table.remove([1])
    assert table.size() == 3
    assert isinstance(table.make_port(), int)
    result = table.validate_expressions({"twice": '"qty" * 2'})
    assert result["expression_schema"] == {"twice": "float"}

    view = table.view(group_by=["region"], columns=["qty"], sort=[["qty", "desc"]])
    columns = view.to_columns()
    assert columns["__ROW_PATH__"] == [[], ["c"], ["a"], ["b"]]
    assert columns["qty"] == [10.5, 4.5, 3.5, 2.5]
    assert view.dimensions() == {
        "num_table_rows": 3,
        "num_table_columns": 3,
        "num_view_rows": 4,
        "num_view_columns": 1,
    }
    assert view.schema() == {"qty": "float"}
    config = view.get_config()
    assert config["group_by"] == ["region"]
    assert [list(s) for s in config["sort"]] == [["qty", "desc"]]
    # this client hands back min/max as the JSON text on the wire
    assert view.get_min_max("qty") == ("2.5", "4.5")
    assert view.column_paths() == ["qty"]
    assert "qty" in view.to_csv()
    arrow = pa.ipc.open_stream(view.to_arrow()).read_all()
    assert arrow.num_rows == 4

    deltas = []
    view.on_update(lambda port, delta=None: deltas.append((port, delta)), mode="row")
    table.update([{"id": 2, "qty": 20.0}])
    assert len(deltas) == 1
    assert deltas[0][0] == 0
    # the rows the write changed, as perspective-python 5.6.1 reports them:
    # the total row and the row's group
    assert pa.ipc.open_stream(deltas[0][1]).read_all().num_rows == 2

    view.delete()
    assert server.view_ids() == []
    table.delete()
    assert official.get_hosted_table_names() == []


def test_official_client_filters_and_expressions(official):
    table = official.table({"x": [1, 2, 3, 4], "s": ["a", "b", "c", "d"]}, name="f")
    view = table.view(
        filter=[["x", ">", 1], ["s", "in", ["b", "d"]]],
        expressions={"y": '"x" * 10'},
        columns=["s", "y"],
    )
    assert view.to_columns() == {"s": ["b", "d"], "y": [20.0, 40.0]}
    assert view.expression_schema() == {"y": "float"}
    view.delete()
    table.delete()


def test_official_client_sees_hosted_table_updates(official, server):
    calls = []
    official.on_hosted_tables_update(lambda *args: calls.append(args))
    server.make_table("pushed", {"a": [1]}, index=None, limit=None)
    assert len(calls) == 1
    opened = official.open_table("pushed")
    assert opened.size() == 1


def test_official_client_gets_readable_errors(official):
    with pytest.raises(Exception, match="Unknown table"):
        official.open_table("missing")
    table = official.table({"a": [1]}, name="e")
    with pytest.raises(Exception, match="nope"):
        table.view(columns=["nope"])
    assert table.size() == 1
    table.delete()
