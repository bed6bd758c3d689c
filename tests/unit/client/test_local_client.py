"""The in-process client passes large values by reference, in both directions."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.server import Server


def test_in_memory_data_reaches_the_engine_by_reference(monkeypatch):
    server = Server()
    seen = []
    original = Server.make_table

    def spy(self, name, data, index, limit, **options):
        seen.append(data)
        return original(self, name, data, index, limit, **options)

    monkeypatch.setattr(Server, "make_table", spy)
    client = server.new_local_client()
    data = pa.table({"a": [1, 2, 3]})
    table = client.table(data, name="t")
    assert seen == [data]
    assert seen[0] is data  # no IPC encoding, no protobuf copy
    table.update({"a": [4]})
    assert table.size() == 4
    table.delete()
    client.terminate()


def test_text_and_schemas_still_travel_in_the_message():
    server = Server()
    client = server.new_local_client()
    assert client.table("a,b\n1,x\n", name="csv").schema() == {"a": "integer", "b": "string"}
    assert client.table({"a": "float"}, name="schema").size() == 0
    client.terminate()


def test_large_outputs_arrive_as_the_engine_made_them():
    server = Server()
    client = server.new_local_client()
    view = client.table({"a": list(range(1000))}, name="t").view()
    engine_view = server.get_view(view.id)
    assert view.to_arrow() == engine_view.to_arrow()
    assert view.to_csv() == engine_view.to_csv()
    assert view.to_columns() == engine_view.to_columns()
    view.delete()
    client.terminate()


def test_module_level_functions_use_one_global_server():
    import perspective_nb

    perspective_nb.table({"a": [1, 2]}, name="module-level")
    assert "module-level" in perspective_nb.get_hosted_table_names()
    assert perspective_nb.open_table("module-level").size() == 2
    assert perspective_nb.system_info()["heap_size"] > 0
    before = perspective_nb.num_cpus()
    perspective_nb.set_num_cpus(1)
    assert perspective_nb.num_cpus() == 1
    perspective_nb.set_num_cpus(before)
    with pytest.raises(perspective_nb.ArgumentError, match="set_num_cpus"):
        perspective_nb.set_num_cpus(0)
    perspective_nb.open_table("module-level").delete()
