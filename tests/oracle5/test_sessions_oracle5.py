"""Perspective's server/client patterns beyond ``tests/oracle/server_scenarios.py``,
against perspective-python 5.6.1: ``AsyncServer`` with ``AsyncClient`` in an
asyncio loop, ``ProxySession`` (also over an ``AsyncClient``),
``Client.from_server``, several sessions of one server, and
``session.close()`` releasing the views it opened.

Each scenario runs as the same source on both libraries; the traces must be
equal.
"""

from __future__ import annotations

import pytest

from .scenario import both


def async_server_and_client(lib, arg):
    import asyncio

    async def main():
        server = lib.AsyncServer()

        async def send_response(response):
            await client.handle_response(response)

        session = server.new_session(send_response)

        async def send_request(request):
            await session.handle_request(request)

        client = lib.AsyncClient(send_request)
        trace = []
        table = await client.table({"k": [1, 2, 3], "g": ["a", "b", "a"]}, index="k", name="t")
        view = await table.view(group_by=["g"], columns=["k"], aggregates={"k": "count"})
        trace.append(await view.to_columns())
        seen = []
        await view.on_update(lambda *args: seen.append(len(args)), mode="row")
        await table.update({"k": [4], "g": ["b"]})
        await table.remove([1])
        trace.append(await table.size())
        trace.append(await view.to_columns())
        await asyncio.sleep(0.05)
        trace.append(seen)
        trace.append(await client.get_hosted_table_names())
        trace.append(await table.schema())
        await view.delete()
        await table.delete()
        trace.append(await client.get_hosted_table_names())
        return trace

    return asyncio.run(main())


def async_proxy_and_sessions(lib, arg):
    import asyncio

    async def main():
        server = lib.AsyncServer()

        async def to_client(response):
            await client.handle_response(response)

        session = server.new_session(to_client)

        async def to_server(request):
            await session.handle_request(request)

        client = lib.AsyncClient(to_server)
        table = await client.table({"k": [1, 2]}, index="k", name="shared")

        pending = set()

        def to_peer(response):
            # perspective's ProxySession calls back synchronously
            task = asyncio.ensure_future(peer.handle_response(response))
            pending.add(task)
            task.add_done_callback(pending.discard)

        proxy = lib.ProxySession(client, to_peer)

        async def to_proxy(request):
            await proxy.handle_request_async(request)

        peer = lib.AsyncClient(to_proxy)
        remote = await peer.open_table("shared")
        view = await remote.view()
        seen = []
        await view.on_update(lambda *args: seen.append(1))
        trace = [await remote.size(), await view.to_columns()]
        for k in (3, 4):
            await table.update({"k": [k]})
            await view.num_rows()
            await asyncio.sleep(0.02)
            trace.append([await view.to_columns(), len(seen)])
        await remote.update({"k": [5]})
        await asyncio.sleep(0.02)
        trace.append([await table.size(), len(seen)])
        await view.delete()
        proxy.close()
        trace.append(await client.get_hosted_table_names())
        return trace

    return asyncio.run(main())


def proxy_session(lib, arg):
    server = lib.Server()
    local = server.new_local_client()
    table = local.table({"k": [1, 2], "v": ["a", "b"]}, index="k", name="shared")
    proxy = lib.ProxySession(local, lambda response: peer.handle_response(response))
    peer = lib.Client(proxy.handle_request)
    trace = [peer.get_hosted_table_names()]
    remote = peer.open_table("shared")
    trace.append([remote.get_index(), remote.size(), remote.schema()])
    view = remote.view(columns=["v"], sort=[["v", "desc"]])
    seen = []
    view.on_update(lambda *args: seen.append(len(args)))
    table.update([{"k": 3, "v": "c"}])
    trace.append([view.to_columns(), table.size(), len(seen)])
    remote.update([{"k": 1, "v": "z"}])
    trace.append([table.view().to_columns(), len(seen)])
    mine = peer.table({"a": [1]}, name="from peer")
    trace.append(sorted(local.get_hosted_table_names()))
    mine.delete()
    proxy.close()
    trace.append(sorted(local.get_hosted_table_names()))
    return trace


def from_server_and_sessions(lib, arg):
    server = lib.Server()
    first = lib.Client.from_server(server)
    second = server.new_local_client()
    session = server.new_session(lambda response: wired.handle_response(response))
    wired = lib.Client(lambda request: session.handle_request(request))
    table = first.table({"x": [1, 2, 3]}, name="shared")
    trace = [sorted(second.get_hosted_table_names()), sorted(wired.get_hosted_table_names())]
    seen = {"second": [], "wired": []}
    for name, client in (("second", second), ("wired", wired)):
        view = client.open_table("shared").view()
        view.on_update(lambda *args, name=name: seen[name].append(1))
    table.update({"x": [4]})
    trace.append([second.open_table("shared").size(), wired.open_table("shared").size()])
    trace.append({k: len(v) for k, v in seen.items()})
    wired.table({"y": [1]}, name="wired's")
    trace.append(sorted(first.get_hosted_table_names()))
    session.close()
    table.update({"x": [5]})
    trace.append({k: len(v) for k, v in seen.items()})
    # tables outlive the session that made them
    trace.append(sorted(first.get_hosted_table_names()))
    return trace


def close_releases_views(lib, arg):
    server = lib.Server()
    local = server.new_local_client()
    table = local.table({"x": [1, 2, 3]}, name="t")
    deleted = []
    session = server.new_session(lambda response: wired.handle_response(response))
    wired = lib.Client(lambda request: session.handle_request(request))
    views = [wired.open_table("t").view(), wired.open_table("t").view(group_by=["x"])]
    for i, view in enumerate(views):
        view.on_delete(lambda i=i: deleted.append(i))
    updates = []
    views[0].on_update(lambda *args: updates.append(1))
    table.update({"x": [4]})
    trace = [len(updates)]
    session.close()
    table.update({"x": [5]})
    trace.append(len(updates))
    # the table is free of the session's views: it can be deleted now
    try:
        table.delete()
        trace.append("deleted")
    except Exception:
        trace.append("still has views")
    trace.append(sorted(local.get_hosted_table_names()))
    trace.append(sorted(deleted))
    return trace


@pytest.mark.parametrize(
    "scenario",
    [
        async_server_and_client,
        async_proxy_and_sessions,
        proxy_session,
        from_server_and_sessions,
        close_releases_views,
    ],
    ids=lambda f: f.__name__,
)
def test_same_as_perspective_5(oracle5, scenario):
    ours, theirs = both(oracle5, scenario)
    assert ours == theirs
