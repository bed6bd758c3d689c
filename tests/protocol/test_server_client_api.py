"""perspective-python's server/client API: custom transports, async, proxies, polling.

What a developer wiring Perspective into their own server does: a
``Client(handle_request)`` over any transport, ``AsyncServer`` with
``AsyncClient``, ``ProxySession`` serving one client's tables to another,
``Client.from_server(loop_callback=...)``, and ``on_poll_request`` driving
``poll()`` from an asyncio loop.
"""

from __future__ import annotations

import asyncio
import queue
import threading

import pytest

from perspective_nb import (
    AsyncClient,
    AsyncServer,
    Client,
    PerspectiveError,
    ProxySession,
    Server,
)


def test_client_over_a_threaded_transport():
    # Requests and responses cross threads through queues, as over a socket:
    # a synchronous call blocks until its reply arrives on another thread.
    server = Server()
    requests: queue.Queue = queue.Queue()
    session = server.new_session(lambda response: client.handle_response(response))
    client = Client(requests.put, name="queued")

    def serve() -> None:
        while (data := requests.get()) is not None:
            session.handle_request(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        table = client.table({"k": [1, 2, 3], "v": [1.5, 2.5, 3.5]}, index="k")
        view = table.view(columns=["v"], aggregates={"v": "sum"}, group_by=[])
        seen = threading.Event()
        view.on_update(lambda port, delta: seen.set(), mode="row")
        table.update([{"k": 2, "v": 10.0}])
        assert seen.wait(5)
        assert view.to_columns() == {"v": [1.5, 10.0, 3.5]}
        assert "queued" in repr(client)
    finally:
        requests.put(None)
        thread.join(5)
        session.close()
    assert server.view_ids() == []


def test_client_without_transport_says_how_to_make_one():
    with pytest.raises(PerspectiveError, match="Client\\(handle_request\\)"):
        Client().get_hosted_table_names()


def test_terminate_runs_close_callback_once():
    closed = []
    server = Server()
    session = server.new_session(lambda response: client.handle_response(response))
    client = Client(session.handle_request, close_cb=lambda: closed.append(1))
    client.terminate()
    client.terminate()
    assert closed == [1]


def test_from_server_runs_callbacks_through_loop_callback():
    server = Server()
    ran = []
    client = server.new_local_client()
    relayed = []
    looped = Client.from_server(
        server, loop_callback=lambda fn, *args: (relayed.append(fn), fn(*args))
    )
    table = looped.table({"a": [1]}, name="t")
    view = table.view()
    view.on_update(lambda port: ran.append(port))
    client.open_table("t").update({"a": [2]})
    assert ran, "the callback ran"
    assert relayed, "through loop_callback"
    assert view.to_columns() == {"a": [1, 2]}


def test_on_poll_request_with_an_asyncio_loop():
    # Perspective's pattern for an event-loop server: the engine's work on
    # writes happens in poll(), scheduled on the loop; writers are threads.
    async def main() -> tuple[int, list[str], str]:
        loop = asyncio.get_running_loop()
        server = Server(on_poll_request=lambda s: loop.call_soon_threadsafe(s.poll))
        client = server.new_local_client()
        table = client.table({"x": [0]}, name="ticks")
        view = table.view()
        callback_threads: list[str] = []
        done = asyncio.Event()

        def on_update(port: int) -> None:
            callback_threads.append(threading.current_thread().name)
            if view.num_rows() == 11:
                done.set()

        view.on_update(on_update)

        def writer() -> None:
            writer_client = server.new_local_client()
            writer_table = writer_client.open_table("ticks")
            for i in range(10):
                writer_table.update({"x": [i + 1]})

        await asyncio.to_thread(writer)
        await asyncio.wait_for(done.wait(), 10)
        return table.size(), callback_threads, threading.current_thread().name

    size, threads, loop_thread = asyncio.run(main())
    assert size == 11
    assert threads
    assert set(threads) == {loop_thread}, "poll ran on the loop thread"


def test_async_server_and_async_client():
    async def main() -> dict:
        server = AsyncServer()
        session = server.new_session(lambda response: client.handle_response(response))
        client = AsyncClient(session.handle_request)
        table = await client.table({"g": ["a", "b", "a"], "x": [1, 2, 3]}, name="t")
        view = await table.view(group_by=["g"], columns=["x"])
        finished = asyncio.Event()
        deltas = []

        async def on_update(port_id, delta):
            await asyncio.sleep(0)  # an awaited callback runs to completion
            deltas.append(delta)
            finished.set()

        await view.on_update(on_update, mode="row")
        await table.update({"g": ["b"], "x": [10]})
        await asyncio.wait_for(finished.wait(), 5)
        result = await view.to_columns()
        names = await client.get_hosted_table_names()
        await view.delete()
        session.close()
        assert isinstance(deltas[0], bytes)
        return {"columns": result, "names": names, "size": await _size_after_close(table)}

    out = asyncio.run(main())
    assert out["columns"] == {"__ROW_PATH__": [[], ["a"], ["b"]], "x": [16, 4, 12]}
    assert out["names"] == ["t"]
    assert out["size"] == "closed"


async def _size_after_close(table) -> str:
    try:
        await table.size()
    except PerspectiveError:
        return "closed"
    return "answered"


def test_async_client_with_coroutine_transport_keeps_request_order():
    async def main() -> list:
        server = Server()
        session = server.new_session(lambda response: client.handle_response(response))

        async def send(data: bytes) -> None:
            await asyncio.sleep(0)
            session.handle_request(data)

        client = AsyncClient(send)
        table = await client.table({"a": [1]}, name="ordered")
        # Fired without awaiting in between: the server must see them in order.
        updates = [table.update({"a": [i]}) for i in range(2, 12)]
        await asyncio.gather(*updates)
        view = await table.view()
        return (await view.to_columns())["a"]

    assert asyncio.run(main()) == list(range(1, 12))


def test_proxy_session_serves_another_client():
    server = Server()
    local = server.new_local_client()
    table = local.table({"k": [1, 2], "v": ["a", "b"]}, index="k", name="shared")
    proxy = ProxySession(local, lambda response: peer.handle_response(response))
    peer = Client(proxy.handle_request)

    remote_table = peer.open_table("shared")
    assert remote_table.get_index() == "k"
    view = remote_table.view(columns=["v"])
    got = []
    callback = view.on_update(lambda port, delta: got.append(delta), mode="row")
    table.update([{"k": 3, "v": "c"}])
    assert len(got) == 1
    assert isinstance(got[0], bytes)
    assert view.to_records() == [{"v": "a"}, {"v": "b"}, {"v": "c"}]
    view.remove_update(callback)
    table.update([{"k": 4, "v": "d"}])
    assert len(got) == 1, "removed through the proxy"

    other = peer.open_table("shared").view()
    assert len(server.view_ids()) == 2
    proxy.close()
    assert server.view_ids() == [], "closing the proxy deletes the views its peer opened"
    with pytest.raises(PerspectiveError, match="closed"):
        peer.get_hosted_table_names()
    del other


def test_proxy_session_keeps_streams_across_other_requests():
    # Each reply ends only its own forward: on_update still fires after reads.
    local = Server().new_local_client()
    table = local.table({"k": [1, 2]}, index="k", name="shared")
    proxy = ProxySession(local, lambda response: peer.handle_response(response))
    peer = Client(proxy.handle_request)
    view = peer.open_table("shared").view()
    got = []
    view.on_update(lambda *args: got.append(1))
    for k in (3, 4, 5):
        assert view.num_rows() == k - 1
        table.update({"k": [k]})
        assert len(got) == k - 2


def test_proxy_session_answers_garbage_with_an_error():
    local = Server().new_local_client()
    replies = []
    proxy = ProxySession(local, replies.append)
    proxy.handle_request(b"\xff\xff not a request")
    assert replies, "a malformed request gets an error reply"
