"""A kernel's bad messages cost that kernel its uplink (or an error reply), never the browsers'."""

from __future__ import annotations

import asyncio
import json

import pytest

from perspective_nb.jupyter.uplink_frames import pack_frame
from perspective_nb.protocol import pb

WAIT = 60.0  # bounds each wait so a broken hub fails instead of hanging


async def _hosted(b):
    response = await b.ask(get_hosted_tables_req={})
    assert response.WhichOneof("client_resp") == "get_hosted_tables_resp"
    return {t.entity_id: t for t in response.get_hosted_tables_resp.table_infos}


async def _closed(kernel) -> bool:
    """True once the hub has closed this fake kernel's uplink."""
    while True:
        message = await asyncio.wait_for(kernel.ws.read_message(), WAIT)
        if message is None:
            return True


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"name": "t", "limit": "abc"}, "limit"),
        ({"name": "t", "limit": True}, "limit"),
        ({"name": "t", "limit": 0}, "limit"),
        ({"name": "t", "limit": 2**32}, "limit"),
        ({"name": "t", "limit": 1.5}, "limit"),
        ({"name": "t", "index": 5}, "index"),
        ({"name": "t", "index": ""}, "index"),
        ({"name": 7}, "table name"),
        ({"name": ""}, "table name"),
        ({"name": "x" * 5000}, "table name"),
        ({}, "table name"),
        ({"name": "t", "reserve": "yes"}, "reserve"),
    ],
)
async def test_bad_registration_is_refused_and_browsers_carry_on(
    fake_kernel, browser, fields, complaint
):
    good = await fake_kernel("good")
    assert (await good.control("register", name="fine", limit=10, index="id"))["ok"]
    b = await browser()
    subscription = b.send(get_hosted_tables_req={"subscribe": True})
    await _hosted(b)  # the subscription is in place

    bad = await fake_kernel("bad")
    reply = await bad.control("register", **fields)
    assert reply["ok"] is False
    assert complaint in reply["error"]
    # nothing changed: no subscription update, the same hosted tables
    hosted = await _hosted(b)
    assert list(hosted) == ["fine"]
    assert (hosted["fine"].limit, hosted["fine"].index) == (10, "id")
    # the refused kernel may still register properly on the same uplink
    assert (await bad.control("register", name="t", limit=5))["ok"]
    update = await b.receive()
    assert update.msg_id == subscription
    assert sorted(t.entity_id for t in update.get_hosted_tables_resp.table_infos) == ["fine", "t"]


@pytest.mark.parametrize(
    "message",
    [
        "not json",
        json.dumps(["register"]),
        json.dumps({"op": "reply", "rid": 1, "ok": True}),
        json.dumps({"op": "close", "session": 1}),
        json.dumps({"op": "register", "rid": "one", "name": "t"}),
        b"\x00\x01",  # shorter than the session header
        pack_frame(5, b"\xff\xff\xff not protobuf"),
    ],
)
async def test_malformed_uplink_message_closes_only_that_uplink(fake_kernel, browser, hub, message):
    good = await fake_kernel("good")
    assert (await good.control("register", name="fine"))["ok"]
    bad = await fake_kernel("bad")
    assert (await bad.control("register", name="doomed"))["ok"]
    b = await browser()
    assert set(await _hosted(b)) == {"doomed", "fine"}

    bad.ws.write_message(message, binary=isinstance(message, bytes))
    assert await _closed(bad)
    assert set(await _hosted(b)) == {"fine"}
    assert "doomed" not in hub.names
    # the browser's connection and the other kernel's routing are untouched
    msg_id = b.send("fine", table_size_req={})
    session, request = await good.next_request()
    response = pb.Response(msg_id=request.msg_id, entity_id="fine")
    response.table_size_resp.size = 4
    good.reply(session, response)
    answer = await b.receive()
    assert (answer.msg_id, answer.table_size_resp.size) == (msg_id, 4)


async def test_unregister_needs_a_name_but_keeps_the_uplink(fake_kernel, hub):
    kernel = await fake_kernel("k")
    assert (await kernel.control("register", name="kept"))["ok"]
    reply = await kernel.control("unregister", name=["kept"])
    assert reply["ok"] is False
    assert "kept" in hub.names
    assert (await kernel.control("unregister", name="kept"))["ok"]
    assert "kept" not in hub.names


async def test_malformed_browser_request_keeps_the_connection(fake_kernel, browser):
    kernel = await fake_kernel("k")
    await kernel.control("register", name="t")
    b = await browser()
    b.ws.write_message(b"\xff\xff\xff", binary=True)
    error = await b.receive()
    assert error.WhichOneof("client_resp") == "server_error"
    assert list(await _hosted(b)) == ["t"]
