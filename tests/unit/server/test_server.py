"""Server registry: hosting, lookup, hosted-set listeners, view registry."""

from __future__ import annotations

import pytest

from perspective_nb.engine.table import Table as EngineTable
from perspective_nb.errors import PerspectiveError, TableNotFoundError
from perspective_nb.server import Server


@pytest.fixture
def server():
    return Server()


def test_make_and_host_tables_by_name(server):
    server.make_table("a", {"x": [1, 2]}, index="x", limit=None)
    server.host_table(EngineTable({"y": [1.5]}, name="b"))
    assert server.get_hosted_table_names() == ["a", "b"]
    assert server.get_table("a").get_index() == "x"
    with pytest.raises(PerspectiveError, match="already hosted"):
        server.make_table("a", {"x": [1]}, index=None, limit=None)
    with pytest.raises(PerspectiveError, match="already hosted"):
        server.host_table(EngineTable({"y": [1]}, name="b"))


def test_missing_table_error_lists_what_is_hosted(server):
    server.make_table("present", {"x": [1]}, index=None, limit=None)
    with pytest.raises(TableNotFoundError, match=r"'absent'.*present"):
        server.get_table("absent")


def test_listeners_hear_hosting_and_engine_side_deletes(server):
    calls = []
    listener = server.on_hosted_tables_update(lambda: calls.append(server.get_hosted_table_names()))
    server.make_table("a", {"x": [1]}, index=None, limit=None)
    server.get_table("a").delete()  # deleted through the engine, not the server
    assert calls == [["a"], []]
    server.remove_hosted_tables_update(listener)
    server.make_table("b", {"x": [1]}, index=None, limit=None)
    assert len(calls) == 2


def test_view_registry(server):
    session = server.new_session(lambda data: None)
    view = EngineTable({"x": [1]}, name="t").view()
    server.register_view("v", view, session)
    assert server.get_view("v") is view
    with pytest.raises(PerspectiveError, match="already exists"):
        server.register_view("v", view, session)
    server.forget_view("v")
    with pytest.raises(TableNotFoundError, match="'v'"):
        server.get_view("v")
    view.delete()
    session.close()
    assert server.sessions == []
