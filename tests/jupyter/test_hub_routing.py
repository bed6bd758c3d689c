"""The hub routes browser requests by table name / view id to the hosting kernel.

Kernels here are scripted uplinks (``fake_kernel``) so each routing rule is
checked in isolation; ``test_kernel_host.py`` does the same with real
ipykernels.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from perspective_nb.protocol import pb


def _size_reply(request, size):
    response = pb.Response(msg_id=request.msg_id, entity_id=request.entity_id)
    response.table_size_resp.size = size
    return response


async def test_requests_reach_the_kernel_hosting_the_name(fake_kernel, browser):
    k1, k2 = await fake_kernel("k1"), await fake_kernel("k2")
    assert (await k1.control("register", name="a"))["ok"]
    assert (await k2.control("register", name="b"))["ok"]
    b = await browser()

    msg_id = b.send("b", table_size_req={})
    session, request = await k2.next_request()
    assert (request.msg_id, request.entity_id) == (msg_id, "b")
    k2.reply(session, _size_reply(request, 42))
    response = await b.receive()
    assert (response.msg_id, response.table_size_resp.size) == (msg_id, 42)

    msg_id = b.send("a", table_size_req={})
    session, request = await k1.next_request()
    assert request.entity_id == "a"
    k1.reply(session, _size_reply(request, 7))
    assert (await b.receive()).table_size_resp.size == 7


async def test_view_requests_follow_the_view_to_its_kernel(fake_kernel, browser):
    k1, k2 = await fake_kernel("k1"), await fake_kernel("k2")
    await k1.control("register", name="a")
    await k2.control("register", name="b")
    b = await browser()
    b.send("b", table_make_view_req={"view_id": "view-on-b"})
    session, request = await k2.next_request()
    assert request.table_make_view_req.view_id == "view-on-b"
    reply = pb.Response(msg_id=request.msg_id, entity_id="b")
    reply.table_make_view_resp.view_id = "view-on-b"
    k2.reply(session, reply)
    await b.receive()

    msg_id = b.send("view-on-b", view_dimensions_req={})
    _, request = await k2.next_request()
    assert (request.msg_id, request.entity_id) == (msg_id, "view-on-b")


async def test_two_browsers_are_separate_sessions_on_one_uplink(fake_kernel, browser):
    k1 = await fake_kernel("k1")
    await k1.control("register", name="a")
    b1, b2 = await browser(), await browser()
    m1 = b1.send("a", table_size_req={})
    s1, r1 = await k1.next_request()
    m2 = b2.send("a", table_size_req={})
    s2, r2 = await k1.next_request()
    assert s1 != s2
    # answer in reverse order: each reply still reaches its own browser
    k1.reply(s2, _size_reply(r2, 2))
    k1.reply(s1, _size_reply(r1, 1))
    got1, got2 = await b1.receive(), await b2.receive()
    assert (got1.msg_id, got1.table_size_resp.size) == (m1, 1)
    assert (got2.msg_id, got2.table_size_resp.size) == (m2, 2)


async def test_hub_answers_hosted_tables_itself(fake_kernel, browser):
    k1, k2 = await fake_kernel("k1"), await fake_kernel("k2")
    await k1.control("register", name="zeta")
    await k2.control("register", name="alpha", index="id")
    b = await browser()
    response = await b.ask(get_hosted_tables_req={})
    infos = response.get_hosted_tables_resp.table_infos
    assert [t.entity_id for t in infos] == ["alpha", "zeta"]
    assert infos[0].index == "id"


async def test_hosted_tables_subscription_is_answered_on_change(fake_kernel, browser):
    k1 = await fake_kernel("k1")
    b = await browser()
    msg_id = b.send(get_hosted_tables_req={"subscribe": True})
    await b.ask(get_hosted_tables_req={})  # the hub has the subscription now
    await k1.control("register", name="fresh")
    response = await b.receive()
    assert response.msg_id == msg_id
    assert [t.entity_id for t in response.get_hosted_tables_resp.table_infos] == ["fresh"]


async def test_a_reserved_name_is_listed_once_its_table_exists(fake_kernel, browser, hub):
    kernel, other = await fake_kernel("k1"), await fake_kernel("k2")
    b = await browser()
    subscription = b.send(get_hosted_tables_req={"subscribe": True})
    assert (await kernel.control("register", name="soon", reserve=True, index="id"))["ok"]
    # claimed (another kernel cannot take it) but not listed: no table yet
    assert (await other.control("register", name="soon"))["ok"] is False
    listed = await b.ask(get_hosted_tables_req={})
    assert list(listed.get_hosted_tables_resp.table_infos) == []
    assert (await kernel.control("register", name="soon", index="id"))["ok"]
    update = await b.receive()
    assert update.msg_id == subscription
    [info] = update.get_hosted_tables_resp.table_infos
    assert (info.entity_id, info.index) == ("soon", "id")


async def test_unknown_entity_is_a_server_error_naming_hosted_tables(fake_kernel, browser):
    k1 = await fake_kernel("k1")
    await k1.control("register", name="trades")
    b = await browser()
    response = await b.ask("nope", table_size_req={})
    assert response.WhichOneof("client_resp") == "server_error"
    assert "'nope'" in response.server_error.message
    assert "'trades'" in response.server_error.message
    # the connection stays usable
    assert (await b.ask(get_hosted_tables_req={})).get_hosted_tables_resp.table_infos


async def test_name_clash_is_refused_naming_the_other_kernel(fake_kernel, hub):
    k1, k2 = await fake_kernel("kernel-one"), await fake_kernel("kernel-two")
    assert (await k1.control("register", name="trades"))["ok"]
    reply = await k2.control("register", name="trades")
    assert reply["ok"] is False
    assert "kernel-one" in reply["error"]
    assert "'trades'" in reply["error"]
    assert hub.names["trades"].kernel_id == "kernel-one"
    # the owner may re-register (idempotent) and release it; then k2 can take it
    assert (await k1.control("register", name="trades"))["ok"]
    await k1.control("unregister", name="trades")
    assert (await k2.control("register", name="trades"))["ok"]


async def test_kernel_disconnect_releases_its_names_and_fails_in_flight(fake_kernel, browser, hub):
    k1, k2 = await fake_kernel("k1"), await fake_kernel("k2")
    await k1.control("register", name="a")
    await k2.control("register", name="b")
    b = await browser()
    sub = b.send(get_hosted_tables_req={"subscribe": True})
    await b.ask(get_hosted_tables_req={})  # the hub has the subscription now
    msg_id = b.send("a", table_size_req={})
    await k1.next_request()
    k1.close()
    responses = [await b.receive(), await b.receive()]
    by_id = {r.msg_id: r for r in responses}
    assert "disconnected" in by_id[msg_id].server_error.message
    assert [t.entity_id for t in by_id[sub].get_hosted_tables_resp.table_infos] == ["b"]
    assert set(hub.names) == {"b"}
    # the freed name can be taken by another kernel
    assert (await k2.control("register", name="a"))["ok"]


async def test_api_tables_lists_name_kernel_rows_schema(fake_kernel, jp_fetch):
    import asyncio

    k1 = await fake_kernel("k1")
    await k1.control("register", name="trades")

    async def answer():
        for _ in range(2):
            session, request = await k1.next_request()
            response = pb.Response(msg_id=request.msg_id, entity_id=request.entity_id)
            if request.WhichOneof("client_req") == "table_size_req":
                response.table_size_resp.size = 3
            else:
                response.table_schema_resp.schema.schema.add(name="price", type=pb.FLOAT)
                response.table_schema_resp.schema.schema.add(name="sym", type=pb.STRING)
            k1.reply(session, response)

    answering = asyncio.ensure_future(answer())
    response = await jp_fetch("perspective", "api", "tables")
    await answering
    tables = json.loads(response.body)
    assert tables == [
        {"name": "trades", "kernel": "k1", "rows": 3, "schema": {"price": "float", "sym": "string"}}
    ]


async def test_view_page_names_the_table(jp_fetch):
    response = await jp_fetch("perspective", "view", "my trades")
    body = response.body.decode()
    assert "<perspective-viewer" in body
    assert '"table": "my trades"' in body
    assert "/perspective/ws" in body


async def test_hub_answers_get_features_without_any_kernel(browser):
    b = await browser()
    response = await b.ask(get_features_req={})
    assert response.WhichOneof("client_resp") == "get_features_resp"
    features = response.get_features_resp
    assert features.group_by
    assert features.split_by
    assert features.expressions


async def test_removing_a_hosted_tables_subscription_stops_updates(fake_kernel, browser):
    k1 = await fake_kernel("k1")
    b = await browser()
    subscription = b.send(get_hosted_tables_req={"subscribe": True})
    await b.ask(get_hosted_tables_req={})  # the hub has the subscription now
    removed = await b.ask(remove_hosted_tables_update_req={"id": subscription})
    assert removed.WhichOneof("client_resp") == "remove_hosted_tables_update_resp"
    await k1.control("register", name="quiet")
    # the next message is the answer to this request, not a subscription update
    response = await b.ask(get_hosted_tables_req={})
    assert [t.entity_id for t in response.get_hosted_tables_resp.table_infos] == ["quiet"]


@pytest.mark.parametrize(
    "name",
    ["<!--<script>", "</script><script>alert(1)</script>", "a & b > c", "line\u2028sep\u2029"],
)
async def test_view_page_embeds_any_table_name_safely(jp_fetch, name):
    response = await jp_fetch("perspective", "view", name)  # jp_fetch quotes it
    body = response.body.decode()
    match = re.search(
        r'<script type="application/json" id="perspective-nb-page">(.*?)</script>', body, re.S
    )
    assert match, "the page config block is missing or was cut short"
    embedded = match.group(1)
    # nothing inside the script element can close it or open a comment
    assert not set("<>&\u2028\u2029") & set(embedded)
    assert json.loads(embedded)["table"] == name
    assert body.count("</script>") == 2  # the config block and the page script


async def test_kernel_death_ends_open_subscriptions(fake_kernel, browser, hub):
    kernel = await fake_kernel("k1")
    await kernel.control("register", name="a")
    b = await browser()
    b.send("a", table_make_view_req={"view_id": "v"})
    session, request = await kernel.next_request()
    made = pb.Response(msg_id=request.msg_id, entity_id="a")
    made.table_make_view_resp.view_id = "v"
    kernel.reply(session, made)
    await b.receive()
    streams = {
        b.send("v", view_on_update_req={}): "server_error",
        b.send("a", table_on_delete_req={}): "table_on_delete_resp",
        b.send("v", view_on_delete_req={}): "view_on_delete_resp",
    }
    for _ in streams:
        await kernel.next_request()
    kernel.close()
    ended = {}
    for _ in streams:
        response = await b.receive()
        ended[response.msg_id] = response
    assert {m: r.WhichOneof("client_resp") for m, r in ended.items()} == streams
    on_update = next(r for r in ended.values() if r.HasField("server_error"))
    assert "k1 disconnected" in on_update.server_error.message
    # the view went with its kernel: its id answers why, and how it comes back
    gone = await b.ask("v", view_dimensions_req={})
    assert "View 'v' lost its kernel" in gone.server_error.message
    assert "'a' is hosted again" in gone.server_error.message


async def _released(hub, name):
    """Wait until the hub has noticed a closed uplink (bounded)."""
    for _ in range(1000):
        if name not in hub.names:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the hub still lists {name!r}")


async def _made_view(b, kernel, table, view_id):
    b.send(table, table_make_view_req={"view_id": view_id})
    session, request = await kernel.next_request()
    made = pb.Response(msg_id=request.msg_id, entity_id=table)
    made.table_make_view_resp.view_id = view_id
    kernel.reply(session, made)
    assert (await b.receive()).WhichOneof("client_resp") == "table_make_view_resp"
    return session, request


async def test_views_reattach_when_their_table_is_hosted_again(fake_kernel, browser, hub):
    first = await fake_kernel("first")
    await first.control("register", name="a")
    b = await browser()
    session, original = await _made_view(b, first, "a", "v")
    await _made_view(b, first, "a", "dropped")
    first.close()
    await _released(hub, "a")
    # deleting a view whose kernel is gone just forgets it
    deleted = await b.ask("dropped", view_delete_req={})
    assert deleted.WhichOneof("client_resp") == "view_delete_resp"
    assert "dropped" not in hub.views

    second = await fake_kernel("second")
    await second.control("register", name="a")
    # the hub re-creates the view on the new kernel, for the same browser session
    replay_session, replay = await second.next_request()
    assert replay_session == session
    assert replay.table_make_view_req == original.table_make_view_req
    assert replay.msg_id != original.msg_id
    made = pb.Response(msg_id=replay.msg_id, entity_id="a")
    made.table_make_view_resp.view_id = "v"
    second.reply(replay_session, made)
    await second.control("register", name="a")  # the hub has read that reply
    # the browser's old view handle works again; it never saw the replayed reply
    msg_id = b.send("v", view_dimensions_req={})
    session, request = await second.next_request()
    assert (request.msg_id, request.entity_id) == (msg_id, "v")
    reply = pb.Response(msg_id=msg_id, entity_id="v")
    reply.view_dimensions_resp.num_view_rows = 9
    second.reply(session, reply)
    answer = await b.receive()
    assert (answer.msg_id, answer.view_dimensions_resp.num_view_rows) == (msg_id, 9)


async def test_a_view_the_new_kernel_cannot_recreate_is_forgotten(fake_kernel, browser, hub):
    first = await fake_kernel("first")
    await first.control("register", name="a")
    b = await browser()
    await _made_view(b, first, "a", "v")
    first.close()
    await _released(hub, "a")
    second = await fake_kernel("second")
    await second.control("register", name="a")
    session, replay = await second.next_request()
    refused = pb.Response(msg_id=replay.msg_id, entity_id="a")
    refused.server_error.message = "no column 'x' in the new schema"
    second.reply(session, refused)
    await second.control("register", name="a")  # the hub has read that reply
    assert "v" not in hub.views
    gone = await b.ask("v", view_dimensions_req={})
    assert "No table or view 'v'" in gone.server_error.message
