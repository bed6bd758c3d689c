"""Messages over the size limit: answered with server_error, the connection stays usable."""

from __future__ import annotations

import asyncio

import numpy as np
import pyarrow as pa
import pytest
import tornado.websocket

from perspective_nb.client import websocket
from perspective_nb.client.remote import MAX_MESSAGE_SIZE
from perspective_nb.errors import PerspectiveError
from perspective_nb.protocol import pb

LIMIT = 1 << 20  # 1 MiB: cheap to exceed


def _arrow_bytes(rows: int) -> bytes:
    sink = pa.BufferOutputStream()
    table = pa.table({"x": np.arange(rows, dtype=np.float64)})
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _make_table(msg_id: int, name: str, rows: int) -> bytes:
    request = pb.Request(msg_id=msg_id, entity_id=name)
    request.make_table_req.data.from_arrow = _arrow_bytes(rows)
    return request.SerializeToString()


async def _exchange(url: str, frames: list[bytes]) -> list[pb.Response]:
    conn = await tornado.websocket.websocket_connect(url, max_message_size=1 << 30)
    try:
        replies = []
        for frame in frames:  # one at a time: each reply before the next frame
            await conn.write_message(frame, binary=True)
            message = await asyncio.wait_for(conn.read_message(), 30)
            assert message is not None, "the server closed the connection"
            replies.append(pb.Response.FromString(message))
        return replies
    finally:
        conn.close()


def test_an_oversized_frame_gets_server_error_and_the_connection_stays(live_tuned, server):
    live = live_tuned(max_message_size=LIMIT)
    too_big = _make_table(7, "big", 200_000)  # 1.6 MB
    fits = _make_table(8, "fits", 100_000)  # 0.8 MB
    assert len(too_big) > LIMIT > len(fits)
    hosted = pb.Request(msg_id=9, get_hosted_tables_req={}).SerializeToString()
    refused, made, listed = asyncio.run(_exchange(live.tuned_url, [too_big, fits, hosted]))
    assert (refused.msg_id, refused.entity_id) == (7, "big")
    assert refused.WhichOneof("client_resp") == "server_error"
    message = refused.server_error.message
    assert f"{len(too_big)} bytes" in message
    assert f"limit of {LIMIT} bytes" in message
    assert "max_message_size" in message
    assert made.WhichOneof("client_resp") == "make_table_resp"
    assert [i.entity_id for i in listed.get_hosted_tables_resp.table_infos] == ["fits"]


def test_the_client_sees_the_limit_as_an_error_of_that_call(live_tuned, server):
    live = live_tuned(max_message_size=LIMIT)
    remote = websocket(live.tuned_url)
    try:
        with pytest.raises(PerspectiveError, match="exceeds this server's limit"):
            remote.table(pa.table({"x": np.arange(200_000, dtype=np.float64)}), name="big")
        assert remote.get_hosted_table_names() == []
        table = remote.table({"x": [1.0, 2.0]}, name="small")
        assert table.size() == 2
        table.delete()
    finally:
        remote.terminate()


def test_the_app_setting_is_the_handler_limit(live_tuned, server):
    # Without max_message_size, the handler follows the application setting.
    live = live_tuned()
    live.http.request_callback.settings["websocket_max_message_size"] = LIMIT
    (refused,) = asyncio.run(_exchange(live.tuned_url, [_make_table(3, "big", 200_000)]))
    assert refused.msg_id == 3
    assert f"limit of {LIMIT} bytes" in refused.server_error.message


def test_the_client_buffers_replies_up_to_its_message_limit(live, server):
    # tornado's client stream stops at 100 MB whatever max_message_size says:
    # a larger reply (a big to_arrow) would reset the connection.
    remote = websocket(live.url)
    try:
        assert remote._conn.protocol.stream.max_buffer_size > MAX_MESSAGE_SIZE
    finally:
        remote.terminate()
