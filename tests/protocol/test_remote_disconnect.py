"""The websocket clients when the connection drops: every call fails at once, none hangs."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import pytest

from perspective_nb.client import async_websocket, websocket
from perspective_nb.errors import ConnectionClosedError, PerspectiveError
from perspective_nb.server.session import Session

from .conftest import wait_until

# A generous bound for "promptly": a hang would block forever.
PROMPT = 10.0


def _call_in_thread(call) -> concurrent.futures.Future:
    pool = concurrent.futures.ThreadPoolExecutor(1)
    future = pool.submit(call)
    pool.shutdown(wait=False)
    return future


def test_calls_after_the_server_stops_raise(live, server):
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)
    remote = websocket(live.url)
    try:
        table = remote.open_table("t")
        assert table.size() == 2
        live.stop()
        later = _call_in_thread(table.size)
        with pytest.raises(ConnectionClosedError, match="connect again") as raised:
            later.result(PROMPT)
        assert isinstance(raised.value, PerspectiveError)
        assert isinstance(raised.value, ConnectionError)
        # and every call after that, without touching the socket
        with pytest.raises(ConnectionClosedError):
            remote.get_hosted_table_names()
    finally:
        remote.terminate()


@pytest.mark.parametrize("abort", [False, True], ids=["close-frame", "socket-closed"])
def test_a_call_pending_when_the_connection_drops_fails(live, server, monkeypatch, abort):
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)
    started, release = threading.Event(), threading.Event()
    original = Session.handle_request

    def stalling(self, data):
        started.set()
        release.wait(30)
        return original(self, data)

    remote = websocket(live.url)
    try:
        table = remote.open_table("t")
        monkeypatch.setattr(Session, "handle_request", stalling)
        pending = _call_in_thread(table.size)
        assert started.wait(PROMPT)
        live.drop_connections(abort=abort)
        with pytest.raises(ConnectionClosedError):
            pending.result(PROMPT)
        assert remote._pending == {}
    finally:
        release.set()
        remote.terminate()
    assert wait_until(lambda: not server.sessions)


def test_calls_after_terminate_raise(live, server):
    remote = websocket(live.url)
    remote.terminate()
    with pytest.raises(ConnectionClosedError, match="terminate"):
        remote.get_hosted_table_names()


def test_async_client_calls_fail_when_the_connection_drops(live, server):
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)

    async def scenario() -> None:
        remote = await async_websocket(live.url)
        try:
            table = await remote.open_table("t")
            assert await table.size() == 2
            await asyncio.get_running_loop().run_in_executor(None, live.drop_connections)
            with pytest.raises(ConnectionClosedError):
                # the first call may be sent before the close arrives; it fails then
                await asyncio.wait_for(table.size(), PROMPT)
            with pytest.raises(ConnectionClosedError):
                await asyncio.wait_for(table.size(), PROMPT)
        finally:
            remote.terminate()

    asyncio.run(scenario())
