"""Real ipykernels, started by the test Jupyter server, hosting tables via the hub."""

from __future__ import annotations

SETUP = "%load_ext perspective_nb\nimport perspective_nb.jupyter as pj\n"


async def _hosted(browser_ws):
    response = await browser_ws.ask(get_hosted_tables_req={})
    return [t.entity_id for t in response.get_hosted_tables_resp.table_infos]


async def test_kernel_hosts_a_table_by_name(kernel_pool, browser, hub):
    kernel = await kernel_pool()
    await kernel.run(SETUP + "t = pj.table({'x': [1, 2, 3]}, name='trades')")
    assert hub.names["trades"].kernel_id == kernel.kernel_id
    b = await browser()
    assert await _hosted(b) == ["trades"]
    response = await b.ask("trades", table_size_req={})
    assert response.table_size_resp.size == 3


async def test_kernel_answers_while_a_cell_runs(kernel_pool, browser, tmp_path):
    kernel = await kernel_pool()
    await kernel.run(SETUP + "t = pj.table({'x': [1, 2, 3]}, name='live')")
    flag = tmp_path / "release"
    busy = kernel.submit(
        "import os, time\n"
        f"while not os.path.exists({str(flag)!r}):\n"
        "    time.sleep(0.01)\n"
        "t.update({'x': [4]})\n"
    )
    await kernel.wait_busy(busy)
    b = await browser()
    # the cell is still looping: only the host thread can answer these
    assert (await b.ask("live", table_size_req={})).table_size_resp.size == 3
    view = await b.ask("live", table_make_view_req={"view_id": "v1"})
    assert view.table_make_view_resp.view_id == "v1"
    dims = await b.ask("v1", view_dimensions_req={})
    assert dims.view_dimensions_resp.num_view_rows == 3
    # an update made by the cell reaches the browser's on_update subscription
    on_update = b.send("v1", view_on_update_req={})
    # on_update has no immediate reply; the kernel answers in order, so once
    # this next reply arrives the subscription is in place
    await b.ask("v1", view_dimensions_req={})
    flag.write_text("go")
    update = await b.receive()
    assert update.msg_id == on_update
    result = await kernel.collect(busy)
    assert result.error is None
    assert (await b.ask("live", table_size_req={})).table_size_resp.size == 4


async def test_name_clash_raises_in_the_kernel_that_asked(kernel_pool, hub):
    first, second = await kernel_pool(), await kernel_pool()
    await first.run(SETUP + "t = pj.table({'x': [1]}, name='shared')")
    result = await second.run(SETUP + "t = pj.table({'x': [2]}, name='shared')", ok=False)
    assert result.error is not None
    assert result.error["ename"] == "NameClashError"
    assert first.kernel_id in result.error["evalue"]
    assert hub.names["shared"].kernel_id == first.kernel_id
    # the refused kernel does not host it locally either
    out = await second.run("print(pj.kernel_host.current_host().server.get_hosted_table_names())")
    assert out.stdout.strip() == "[]"


async def test_kernel_death_releases_its_names(kernel_pool, browser, hub):
    doomed, survivor = await kernel_pool(), await kernel_pool()
    await doomed.run(SETUP + "t = pj.table({'x': [1]}, name='mortal')")
    await survivor.run(SETUP + "t = pj.table({'x': [1, 2]}, name='other')")
    b = await browser()
    subscription = b.send(get_hosted_tables_req={"subscribe": True})
    await b.ask(get_hosted_tables_req={})  # the hub has the subscription now
    doomed.submit("import os; os._exit(1)")
    while True:  # each change of the hosted set answers the subscription again
        response = await b.receive()
        assert response.msg_id == subscription
        names = [t.entity_id for t in response.get_hosted_tables_resp.table_infos]
        if "mortal" not in names:
            break
    assert names == ["other"]
    assert "mortal" not in hub.names
    # the name is free again: another kernel may host it
    await survivor.run("t2 = pj.table({'y': [1]}, name='mortal')")
    assert hub.names["mortal"].kernel_id == survivor.kernel_id


async def test_deleting_a_table_releases_its_name(kernel_pool, hub, browser):
    kernel = await kernel_pool()
    await kernel.run(SETUP + "t = pj.table({'x': [1]}, name='temp')")
    b = await browser()
    subscription = b.send(get_hosted_tables_req={"subscribe": True})
    await b.ask(get_hosted_tables_req={})  # the hub has the subscription now
    await kernel.run("t.delete()")
    response = await b.receive()
    assert response.msg_id == subscription
    assert [t.entity_id for t in response.get_hosted_tables_resp.table_infos] == []
    assert "temp" not in hub.names


async def test_widget_in_a_kernel_uses_the_hub(kernel_pool, browser):
    kernel = await kernel_pool()
    result = await kernel.run(
        SETUP + "w = pj.PerspectiveWidget({'r': ['a', 'b'], 'v': [1, 2]}, name='wt',"
        " group_by=['r'])\n"
        "print(w.transport, w.table_name, w.group_by)"
    )
    assert result.stdout.split() == ["hub", "wt", "['r']"]
    b = await browser()
    assert (await b.ask("wt", table_size_req={})).table_size_resp.size == 2


async def test_perspective_magic_shows_a_widget(kernel_pool, hub):
    kernel = await kernel_pool()
    result = await kernel.run(
        SETUP + "data = {'region': ['N', 'S'], 'sales': [1.5, 2.5]}\n"
        "%perspective data --group-by region --name by_region"
    )
    assert any("application/vnd.jupyter.widget-view+json" in d for d in result.data)
    assert hub.names["by_region"].kernel_id == kernel.kernel_id


async def test_rerunning_a_cell_replaces_the_table_in_place(kernel_pool, browser, hub):
    kernel = await kernel_pool()
    cell = "t = pj.table({'x': list(range(n))}, name='rerun')"
    await kernel.run(SETUP + "n = 3\n" + cell)
    b = await browser()
    view = await b.ask("rerun", table_make_view_req={"view_id": "kept"})
    assert view.WhichOneof("client_resp") == "table_make_view_resp"
    await kernel.run("n = 5\n" + cell)
    # same table, new rows: the browser's view is still attached
    dims = await b.ask("kept", view_dimensions_req={})
    assert dims.view_dimensions_resp.num_table_rows == 5
    assert hub.names["rerun"].kernel_id == kernel.kernel_id
    # a new schema while a view is open is refused with the fix in the message
    result = await kernel.run("t = pj.table({'y': ['a']}, name='rerun')", ok=False)
    assert "different schema" in result.error["evalue"]


async def test_a_view_outlives_its_kernel_and_reattaches_to_the_new_host(kernel_pool, browser, hub):
    doomed, survivor = await kernel_pool(), await kernel_pool()
    await doomed.run(SETUP + "t = pj.table({'x': [1, 2, 3]}, name='phoenix')")
    await survivor.run(SETUP)
    b = await browser()
    view = await b.ask("phoenix", table_make_view_req={"view_id": "pv", "config": {}})
    assert view.WhichOneof("client_resp") == "table_make_view_resp"
    on_update = b.send("pv", view_on_update_req={})
    await b.ask("pv", view_dimensions_req={})  # the subscription is in place
    await doomed.stop()  # shut down (a crash would be restarted by the kernel manager)
    ended = await b.receive()
    assert ended.msg_id == on_update
    assert "disconnected" in ended.server_error.message

    await survivor.run("t = pj.table({'x': [1, 2, 3, 4, 5]}, name='phoenix')")
    assert hub.names["phoenix"].kernel_id == survivor.kernel_id
    dims = await b.ask("pv", view_dimensions_req={})
    assert dims.view_dimensions_resp.num_table_rows == 5
