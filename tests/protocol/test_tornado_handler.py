"""PerspectiveTornadoHandler over a real websocket: raw frames, origins, cleanup, async."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pyarrow as pa
import pytest
import tornado.httpclient
import tornado.websocket

from perspective_nb.client import async_websocket, websocket
from perspective_nb.protocol import pb
from perspective_nb.server.session import Session

from .conftest import wait_until


async def _exchange(url: str, frames: list[bytes], expect: int, **connect) -> list[pb.Response]:
    conn = await tornado.websocket.websocket_connect(url, **connect)
    try:
        for frame in frames:
            await conn.write_message(frame, binary=True)
        replies = []
        while len(replies) < expect:
            message = await conn.read_message()
            assert message is not None, "the server closed the connection"
            replies.append(pb.Response.FromString(message))
        return replies
    finally:
        conn.close()


def exchange(url: str, frames: list[bytes], expect: int, **connect) -> list[pb.Response]:
    return asyncio.run(_exchange(url, frames, expect, **connect))


def test_raw_frames_get_the_same_msg_id_and_errors_keep_the_socket(live, server):
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)
    frames = [
        b"\xff\xff\xff",  # malformed
        pb.Request(msg_id=41, entity_id="t", table_size_req={}).SerializeToString(),
        pb.Request(msg_id=42, entity_id="missing", table_size_req={}).SerializeToString(),
        pb.Request(msg_id=43, get_hosted_tables_req={}).SerializeToString(),
    ]
    malformed, size, missing, hosted = exchange(live.url, frames, 4)
    assert malformed.WhichOneof("client_resp") == "server_error"
    assert (size.msg_id, size.entity_id, size.table_size_resp.size) == (41, "t", 2)
    assert missing.msg_id == 42
    assert "missing" in missing.server_error.message
    assert hosted.msg_id == 43
    assert [i.entity_id for i in hosted.get_hosted_tables_resp.table_infos] == ["t"]


def test_cross_origin_accepted_only_when_configured(live, server):
    frame = pb.Request(msg_id=1, get_features_req={}).SerializeToString()
    foreign = {"Origin": "http://elsewhere.example"}
    request = tornado.httpclient.HTTPRequest(live.url, headers=foreign)
    (reply,) = exchange(request, [frame], 1)
    assert reply.WhichOneof("client_resp") == "get_features_resp"

    same_origin = live.url.replace("/websocket", "/same-origin")
    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        exchange(tornado.httpclient.HTTPRequest(same_origin, headers=foreign), [frame], 1)
    assert refused.value.code == 403
    (reply,) = exchange(same_origin, [frame], 1)  # no Origin header: accepted
    assert reply.WhichOneof("client_resp") == "get_features_resp"


def test_disconnect_mid_stream_releases_views_and_callbacks(live, server):
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)
    remote = websocket(live.url)
    view = remote.open_table("t").view()
    fired = threading.Event()
    view.on_update(lambda *_: fired.set())
    assert view.num_rows() == 2  # requests run in order: the subscription is in place
    server.get_table("t").update({"a": [3]})
    assert fired.wait(30)
    assert server.view_ids() == [view.id]
    remote.terminate()  # without deleting the view
    assert wait_until(lambda: server.view_ids() == [] and not server.sessions)
    server.get_table("t").update({"a": [4]})  # no session left to notify
    assert server.get_table("t").size() == 4
    server.get_table("t").delete()  # possible: no views are left open


def test_large_messages_pass_both_ways(live, server):
    values = np.arange(2_000_000, dtype=np.float64)  # 16 MB: above tornado's 10 MB default
    remote = websocket(live.url)
    try:
        table = remote.table(pa.table({"x": values}), name="big")
        view = table.view()
        arrow = pa.ipc.open_stream(view.to_arrow()).read_all()
        assert arrow.num_rows == 2_000_000
        assert arrow.column("x")[1_999_999].as_py() == 1_999_999.0
        view.delete()
        table.delete()
    finally:
        remote.terminate()


def test_requests_run_off_the_io_loop_thread(live, server, monkeypatch):
    threads: list[str] = []
    original = Session.handle_request

    def recording(self, data):
        threads.append(threading.current_thread().name)
        return original(self, data)

    monkeypatch.setattr(Session, "handle_request", recording)
    exchange(live.url, [pb.Request(msg_id=1, get_features_req={}).SerializeToString()], 1)
    assert threads
    assert live._thread.name not in threads


def test_custom_executor_and_asyncio_loop(live, server, monkeypatch):
    threads: list[str] = []
    original = Session.handle_request

    def recording(self, data):
        threads.append(threading.current_thread().name)
        return original(self, data)

    monkeypatch.setattr(Session, "handle_request", recording)
    url = live.url.replace("/websocket", "/custom")
    (reply,) = exchange(url, [pb.Request(msg_id=5, get_features_req={}).SerializeToString()], 1)
    assert reply.msg_id == 5
    assert threads
    assert all(name.startswith("custom-exec") for name in threads)


def test_async_client(live, server):
    async def scenario() -> dict:
        remote = await async_websocket(live.url)
        try:
            table = await remote.table({"a": [1, 2, 3], "b": ["x", "y", "x"]}, name="async")
            assert await table.size() == 3
            view = await table.view(group_by=["b"], columns=["a"])
            updated = asyncio.Event()
            await view.on_update(lambda port_id: updated.set())
            await table.update({"a": [4], "b": ["y"]})
            await asyncio.wait_for(updated.wait(), 30)
            result = await view.to_columns()
            assert await remote.get_hosted_table_names() == ["async"]
            await view.delete()
            await table.delete()
            return result
        finally:
            remote.terminate()

    result = asyncio.run(scenario())
    assert result == {"__ROW_PATH__": [[], ["x"], ["y"]], "a": [10, 4, 6]}
