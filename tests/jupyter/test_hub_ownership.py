"""A kernel answers only what it was asked; a view serves only the browser that made it.

Frames the hub must drop are followed by a control round trip on the same
uplink before the test looks: the hub reads each uplink in order, so by then
it has handled (and dropped) them.
"""

from __future__ import annotations

from perspective_nb.jupyter.uplink_frames import HUB_SESSION
from perspective_nb.protocol import pb


def _size(request, size):
    response = pb.Response(msg_id=request.msg_id, entity_id=request.entity_id)
    response.table_size_resp.size = size
    return response


async def _make_view(b, kernel, table, view_id):
    msg_id = b.send(table, table_make_view_req={"view_id": view_id})
    session, request = await kernel.next_request()
    assert request.table_make_view_req.view_id == view_id
    reply = pb.Response(msg_id=request.msg_id, entity_id=table)
    reply.table_make_view_resp.view_id = view_id
    kernel.reply(session, reply)
    response = await b.receive()
    assert (response.msg_id, response.WhichOneof("client_resp")) == (msg_id, "table_make_view_resp")
    return session


async def test_a_kernel_cannot_answer_for_another_kernels_table(fake_kernel, browser):
    honest, rogue = await fake_kernel("honest"), await fake_kernel("rogue")
    assert (await honest.control("register", name="x"))["ok"]
    assert (await rogue.control("register", name="y"))["ok"]
    b = await browser()
    # the rogue kernel legitimately learns b's session number...
    b.send("y", table_size_req={})
    rogue_session, rogue_request = await rogue.next_request()
    rogue.reply(rogue_session, _size(rogue_request, 1))
    assert (await b.receive()).table_size_resp.size == 1

    msg_id = b.send("x", table_size_req={})
    session, request = await honest.next_request()
    assert session == rogue_session
    # ...and races the honest kernel with a reply to a request it never got,
    # under every session number it might guess, and as the hub's own session
    for guess in (session, session + 1, session - 1, HUB_SESSION):
        rogue.reply(guess, _size(request, 666))
    await rogue.control("register", name="y")  # the hub has read those frames
    honest.reply(session, _size(request, 3))
    response = await b.receive()
    assert (response.msg_id, response.table_size_resp.size) == (msg_id, 3)
    # a second answer from the honest kernel is not delivered either
    honest.reply(session, _size(request, 667))
    await honest.control("register", name="x")  # the hub has read that frame
    check = b.send(get_hosted_tables_req={})
    assert (await b.receive()).msg_id == check


async def test_a_kernel_cannot_reach_browsers_that_never_asked_it(fake_kernel, browser):
    honest, rogue = await fake_kernel("honest"), await fake_kernel("rogue")
    await honest.control("register", name="x")
    await rogue.control("register", name="y")
    b1, b2 = await browser(), await browser()
    b1.send("x", table_size_req={})
    session, request = await honest.next_request()
    # b1 never spoke to the rogue kernel: none of its replies reach b1
    for guess in range(1, session + 3):
        rogue.reply(guess, _size(request, 666))
    await rogue.control("register", name="y")  # the hub has read those frames
    honest.reply(session, _size(request, 3))
    assert (await b1.receive()).table_size_resp.size == 3
    check = b2.send(get_hosted_tables_req={})
    assert (await b2.receive()).msg_id == check


async def test_an_open_subscription_is_answered_until_removed(fake_kernel, browser):
    kernel = await fake_kernel("k")
    await kernel.control("register", name="x")
    b = await browser()
    session = await _make_view(b, kernel, "x", "v1")
    on_update = b.send("v1", view_on_update_req={})
    _, subscribe = await kernel.next_request()
    for port in (1, 2):
        update = pb.Response(msg_id=subscribe.msg_id, entity_id="v1")
        update.view_on_update_resp.port_id = port
        kernel.reply(session, update)
        response = await b.receive()
        assert (response.msg_id, response.view_on_update_resp.port_id) == (on_update, port)
    removal = b.send("v1", view_remove_on_update_req={"id": on_update})
    _, request = await kernel.next_request()
    done = pb.Response(msg_id=request.msg_id, entity_id="v1")
    done.view_remove_on_update_resp.SetInParent()
    kernel.reply(session, done)
    assert (await b.receive()).msg_id == removal
    # the subscription is over: a late update is not delivered
    late = pb.Response(msg_id=subscribe.msg_id, entity_id="v1")
    late.view_on_update_resp.port_id = 3
    kernel.reply(session, late)
    await kernel.control("register", name="x")  # the hub has read that frame
    check = b.send(get_hosted_tables_req={})
    assert (await b.receive()).msg_id == check


async def test_a_second_browser_cannot_take_over_a_view(fake_kernel, browser, hub):
    kernel = await fake_kernel("k")
    await kernel.control("register", name="x")
    owner, intruder = await browser(), await browser()
    owner_session = await _make_view(owner, kernel, "x", "v1")

    # the same view id is refused by the hub itself, before any kernel sees it
    refused = await intruder.ask("x", table_make_view_req={"view_id": "v1"})
    assert refused.WhichOneof("client_resp") == "server_error"
    assert "'v1'" in refused.server_error.message
    # and the intruder can neither read nor delete the owner's view
    for request in ({"view_dimensions_req": {}}, {"view_delete_req": {}}):
        response = await intruder.ask("v1", **request)
        assert response.WhichOneof("client_resp") == "server_error"
    assert hub.views["v1"].session == owner_session
    # the kernel received none of it: its next request is the owner's
    msg_id = owner.send("v1", view_dimensions_req={})
    session, request = await kernel.next_request()
    assert (session, request.msg_id, request.entity_id) == (owner_session, msg_id, "v1")


async def test_a_view_id_may_not_shadow_a_table(fake_kernel, browser):
    kernel = await fake_kernel("k")
    await kernel.control("register", name="x")
    await kernel.control("register", name="other")
    b = await browser()
    for view_id in ("other", ""):
        response = await b.ask("x", table_make_view_req={"view_id": view_id})
        assert response.WhichOneof("client_resp") == "server_error"


async def test_a_view_the_kernel_refused_frees_its_id(fake_kernel, browser, hub):
    kernel = await fake_kernel("k")
    await kernel.control("register", name="x")
    b = await browser()
    b.send("x", table_make_view_req={"view_id": "v1"})
    session, request = await kernel.next_request()
    refusal = pb.Response(msg_id=request.msg_id, entity_id="x")
    refusal.server_error.message = "bad config"
    kernel.reply(session, refusal)
    assert (await b.receive()).WhichOneof("client_resp") == "server_error"
    assert "v1" not in hub.views
    await _make_view(b, kernel, "x", "v1")


async def test_a_deleted_or_closed_view_frees_its_id(fake_kernel, browser, hub):
    kernel = await fake_kernel("k")
    await kernel.control("register", name="x")
    b1, b2 = await browser(), await browser()
    session = await _make_view(b1, kernel, "x", "v1")
    b1.send("v1", view_delete_req={})
    _, request = await kernel.next_request()
    deleted = pb.Response(msg_id=request.msg_id, entity_id="v1")
    deleted.view_delete_resp.SetInParent()
    kernel.reply(session, deleted)
    await b1.receive()
    assert "v1" not in hub.views
    await _make_view(b2, kernel, "x", "v1")
    b2.close()
    await kernel.next_control("close")
    assert "v1" not in hub.views
