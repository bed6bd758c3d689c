"""Streaming replies, errors and cleanup of an in-memory Session."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.protocol import pb

from .test_session_requests import arrow_bytes, make_view, read_arrow

ROWS = {"id": [1, 2, 3], "name": ["a", "b", "c"], "value": [1.0, 2.0, 3.0]}


@pytest.fixture
def table(wire):
    req = pb.MakeTableReq(data=pb.MakeTableData(from_arrow=arrow_bytes(ROWS)))
    req.options.make_index_table = "id"
    wire.ok("t", make_table_req=req)
    return "t"


def update(wire, rows: str, port_id: int = 0) -> None:
    req = pb.TableUpdateReq(data=pb.MakeTableData(from_rows=rows), port_id=port_id)
    wire.ok("t", table_update_req=req)


def replies_to(wire, msg_id: int) -> list[pb.Response]:
    return [r for r in wire.replies if r.msg_id == msg_id]


def test_on_update_answers_later_with_the_same_msg_id(wire, table):
    view = make_view(wire, table)
    sub = wire.send(view, view_on_update_req=pb.ViewOnUpdateReq())
    assert replies_to(wire, sub) == []  # no immediate reply
    update(wire, '[{"id": 4, "name": "d", "value": 4.0}]')
    (reply,) = replies_to(wire, sub)
    assert reply.entity_id == view
    assert reply.WhichOneof("client_resp") == "view_on_update_resp"
    assert reply.view_on_update_resp.port_id == 0
    assert not reply.view_on_update_resp.HasField("delta")
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_on_update_row_mode_carries_the_changed_rows_and_port(wire, table):
    view = make_view(wire, table, columns=["id", "value"])
    port = wire.ok(table, table_make_port_req=pb.TableMakePortReq()).port_id
    sub = wire.send(view, view_on_update_req=pb.ViewOnUpdateReq(mode=pb.ViewOnUpdateReq.ROW))
    update(wire, '[{"id": 2, "value": 20.0}]', port_id=port)
    (reply,) = replies_to(wire, sub)
    assert reply.view_on_update_resp.port_id == port
    delta = read_arrow(reply.view_on_update_resp.delta)
    assert delta.to_pydict() == {"id": [2], "value": [20.0]}
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_remove_on_update_stops_the_stream(wire, table):
    view = make_view(wire, table)
    sub = wire.send(view, view_on_update_req=pb.ViewOnUpdateReq())
    wire.ok(view, view_remove_on_update_req=pb.ViewRemoveOnUpdateReq(id=sub))
    update(wire, '[{"id": 9}]')
    assert replies_to(wire, sub) == []
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_view_on_delete_fires_once_and_can_be_removed(wire, table):
    first = make_view(wire, table, view_id="first")
    second = make_view(wire, table, view_id="second")
    sub1 = wire.send(first, view_on_delete_req=pb.ViewOnDeleteReq())
    sub2 = wire.send(second, view_on_delete_req=pb.ViewOnDeleteReq())
    wire.ok(second, view_remove_delete_req=pb.ViewRemoveDeleteReq(id=sub2))
    wire.ok(first, view_delete_req=pb.ViewDeleteReq())
    wire.ok(second, view_delete_req=pb.ViewDeleteReq())
    (reply,) = replies_to(wire, sub1)
    assert reply.WhichOneof("client_resp") == "view_on_delete_resp"
    assert replies_to(wire, sub2) == []


def test_table_delete_refused_with_views_then_fires_on_delete(wire, table):
    view = make_view(wire, table)
    sub = wire.send(table, table_on_delete_req=pb.TableOnDeleteReq())
    refused = wire.call(table, table_delete_req=pb.TableDeleteReq())
    assert refused.WhichOneof("client_resp") == "server_error"
    assert refused.server_error.message
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())
    wire.ok(table, table_delete_req=pb.TableDeleteReq())
    (reply,) = replies_to(wire, sub)
    assert reply.WhichOneof("client_resp") == "table_on_delete_resp"
    hosted = wire.ok(get_hosted_tables_req=pb.GetHostedTablesReq())
    assert list(hosted.table_infos) == []


def test_table_remove_delete_stops_the_callback(wire, table):
    sub = wire.send(table, table_on_delete_req=pb.TableOnDeleteReq())
    wire.ok(table, table_remove_delete_req=pb.TableRemoveDeleteReq(id=sub))
    wire.ok(table, table_delete_req=pb.TableDeleteReq())
    assert replies_to(wire, sub) == []


def test_hosted_tables_subscription_pushes_each_change(wire):
    sub = wire.send(get_hosted_tables_req=pb.GetHostedTablesReq(subscribe=True))
    assert replies_to(wire, sub) == []
    wire.ok("x", make_table_req=pb.MakeTableReq(data=pb.MakeTableData(from_rows='[{"a": 1}]')))
    (pushed,) = replies_to(wire, sub)
    assert [i.entity_id for i in pushed.get_hosted_tables_resp.table_infos] == ["x"]
    wire.ok("x", table_delete_req=pb.TableDeleteReq())
    assert len(replies_to(wire, sub)) == 2
    wire.ok(remove_hosted_tables_update_req=pb.RemoveHostedTablesUpdateReq(id=sub))
    wire.ok("y", make_table_req=pb.MakeTableReq(data=pb.MakeTableData(from_rows='[{"a": 1}]')))
    assert len(replies_to(wire, sub)) == 2


@pytest.mark.parametrize(
    "data",
    [b"\xff\xff\xff", b"\x0a\x05ab", b"\x12\x80\x80\x80\x80\x80\x80"],
    ids=["garbage", "truncated", "bad-length"],
)
def test_malformed_bytes_get_a_server_error_and_the_session_survives(wire, data):
    wire.session.handle_request(data)
    (reply,) = wire.replies
    assert reply.WhichOneof("client_resp") == "server_error"
    assert "malformed" in reply.server_error.message
    wire.ok(get_hosted_tables_req=pb.GetHostedTablesReq())


def test_unknown_request_type_gets_a_server_error(wire):
    # field 99 is no request this server knows (e.g. a newer client's)
    wire.session.handle_request(b"\x08\x07" + b"\x9a\x06\x00")
    (reply,) = wire.replies
    assert reply.msg_id == 7
    assert "unsupported request" in reply.server_error.message
    wire.session.handle_request(b"")
    assert "unsupported request" in wire.replies[-1].server_error.message


def test_unknown_entities_and_engine_errors_are_readable(wire, table):
    missing = wire.call("nope", table_size_req=pb.TableSizeReq())
    assert "nope" in missing.server_error.message
    gone = wire.call("no-such-view", view_schema_req=pb.ViewSchemaReq())
    assert "no-such-view" in gone.server_error.message
    bad = pb.TableMakeViewReq(view_id="bad")
    bad.config.columns.columns.columns.append("not_a_column")
    failed = wire.call(table, table_make_view_req=bad)
    assert "not_a_column" in failed.server_error.message
    assert wire.ok(table, table_size_req=pb.TableSizeReq()).size == 3


def test_duplicate_table_name_and_view_id_are_refused(wire, table):
    again = pb.MakeTableReq(data=pb.MakeTableData(from_rows='[{"a": 1}]'))
    assert "already hosted" in wire.call(table, make_table_req=again).server_error.message
    view = make_view(wire, table, view_id="same")
    dup = wire.call(table, table_make_view_req=pb.TableMakeViewReq(view_id="same"))
    assert "already exists" in dup.server_error.message
    wire.ok(view, view_delete_req=pb.ViewDeleteReq())


def test_close_releases_views_and_callbacks(server, wire, table):
    view = make_view(wire, table)
    wire.send(view, view_on_update_req=pb.ViewOnUpdateReq())
    wire.send(get_hosted_tables_req=pb.GetHostedTablesReq(subscribe=True))
    engine_table = server.get_table(table)
    wire.session.close()
    assert server.view_ids() == []
    assert wire.session not in server.sessions
    before = len(wire.replies)
    engine_table.update(pa.table({"id": [7]}))
    server.make_table("other", {"a": [1]}, index=None, limit=None)
    assert len(wire.replies) == before  # nothing more is sent
    # the table itself survives its creator's session
    assert server.get_table(table).size() == 4
    # A request after close is refused (a caller waiting on it must not hang).
    wire.session.handle_request(pb.Request(msg_id=1, table_size_req={}).SerializeToString())
    assert len(wire.replies) == before + 1
    assert "closed" in wire.replies[-1].server_error.message
