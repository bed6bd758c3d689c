"""How the tornado handler schedules requests: fair across connections, time-limited, cancelled.

Slow requests are made deterministic by a gate: a request on the entity
``"slow"`` blocks in its worker until the test lets it go.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import threading

import pytest
import tornado.websocket

from perspective_nb.protocol import pb
from perspective_nb.server import dispatch as dispatch_module
from perspective_nb.server.request_queue import Limits, peek_ids
from perspective_nb.server.session import Session

from .conftest import wait_until

PROMPT = 10.0  # a generous bound: starvation would wait for the gate, forever


class Gate:
    """Blocks requests on the entity "slow"; records how many run per session."""

    def __init__(self, monkeypatch) -> None:
        self.permits = threading.Semaphore(0)
        self.lock = threading.Lock()
        self.started = 0
        self.running: collections.Counter = collections.Counter()
        self.most: collections.Counter = collections.Counter()
        self.calls: collections.Counter = collections.Counter()
        original = Session.handle_request

        def gated(session, data):
            request = pb.Request.FromString(data)
            with self.lock:
                self.calls[id(session)] += 1
                self.running[id(session)] += 1
                self.most[id(session)] = max(self.most[id(session)], self.running[id(session)])
            try:
                if request.entity_id == "slow":
                    with self.lock:
                        self.started += 1
                    assert self.permits.acquire(timeout=30), "the test never released the gate"
                return original(session, data)
            finally:
                with self.lock:
                    self.running[id(session)] -= 1

        monkeypatch.setattr(Session, "handle_request", gated)

    def release(self, count: int = 1) -> None:
        self.permits.release(count)


def _slow(msg_id: int) -> bytes:
    return pb.Request(msg_id=msg_id, entity_id="slow", table_size_req={}).SerializeToString()


def _hosted(msg_id: int) -> bytes:
    return pb.Request(msg_id=msg_id, get_hosted_tables_req={}).SerializeToString()


async def _connect(url: str) -> tornado.websocket.WebSocketClientConnection:
    return await tornado.websocket.websocket_connect(url)


async def _reply(conn) -> pb.Response:
    message = await asyncio.wait_for(conn.read_message(), PROMPT)
    assert message is not None, "the server closed the connection"
    return pb.Response.FromString(message)


async def _until(predicate) -> None:
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, wait_until, predicate, PROMPT)


def test_busy_connections_do_not_starve_a_new_ones_cheap_request(live, server, monkeypatch):
    gate = Gate(monkeypatch)
    busy = 8  # more than the 6 threads of the loop's default executor here

    async def scenario() -> None:
        conns = [await _connect(live.url) for _ in range(busy)]
        try:
            for conn in conns:
                for msg_id in range(1, 4):  # a backlog on each busy connection
                    await conn.write_message(_slow(msg_id), binary=True)
            await _until(lambda: gate.started == busy)
            fresh = await _connect(live.url)
            await fresh.write_message(_hosted(99), binary=True)
            reply = await _reply(fresh)  # while every busy connection is still blocked
            assert reply.msg_id == 99
            assert reply.WhichOneof("client_resp") == "get_hosted_tables_resp"
            assert gate.started == busy
            fresh.close()
            gate.release(3 * busy)
            for conn in conns:
                assert [(await _reply(conn)).msg_id for _ in range(3)] == [1, 2, 3]
        finally:
            gate.release(3 * busy)
            for conn in conns:
                conn.close()

    asyncio.run(scenario())
    # requests of one connection ran one at a time
    assert set(gate.most.values()) == {1}


class CountingExecutor(concurrent.futures.ThreadPoolExecutor):
    def __init__(self) -> None:
        super().__init__(1, thread_name_prefix="perspective-nb-test-pool")
        self.submitted = 0

    def submit(self, *args, **kwargs):
        self.submitted += 1
        return super().submit(*args, **kwargs)


def test_a_connection_gives_its_worker_back_after_each_request(live_tuned, server, monkeypatch):
    gate = Gate(monkeypatch)
    pool = CountingExecutor()  # one worker: the order of tasks is the order they run
    live = live_tuned(executor=pool)

    async def scenario() -> None:
        heavy, light = await _connect(live.tuned_url), await _connect(live.tuned_url)
        try:
            for msg_id in (1, 2, 3):
                await heavy.write_message(_slow(msg_id), binary=True)
            await _until(lambda: gate.started == 1)
            await light.write_message(_hosted(9), binary=True)
            await _until(lambda: pool.submitted == 2)  # queued behind the running request
            gate.release()  # the first heavy request ends; the light one runs next
            assert (await _reply(light)).msg_id == 9
            assert (await _reply(heavy)).msg_id == 1
            gate.release(2)
            assert [(await _reply(heavy)).msg_id for _ in range(2)] == [2, 3]
        finally:
            gate.release(3)
            heavy.close()
            light.close()

    try:
        asyncio.run(scenario())
    finally:
        live.stop()
        pool.shutdown(wait=True)


def test_a_request_over_its_time_limit_is_answered_with_an_error(live_tuned, server, monkeypatch):
    gate = Gate(monkeypatch)
    live = live_tuned(request_timeout=0.2)
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)
    size = pb.Request(msg_id=3, entity_id="t", table_size_req={}).SerializeToString()

    async def scenario() -> None:
        conn = await _connect(live.tuned_url)
        try:
            await conn.write_message(_slow(1), binary=True)
            await conn.write_message(_hosted(2), binary=True)
            timed_out = await _reply(conn)
            assert (timed_out.msg_id, timed_out.entity_id) == (1, "slow")
            assert "took longer than 0.2 s" in timed_out.server_error.message
            assert "request_timeout" in timed_out.server_error.message
            gate.release()  # it finishes now; its late reply is dropped
            hosted = await _reply(conn)
            assert hosted.msg_id == 2
            await conn.write_message(size, binary=True)
            assert (await _reply(conn)).table_size_resp.size == 2
        finally:
            gate.release()
            conn.close()

    asyncio.run(scenario())


def test_closing_cancels_queued_requests_and_releases_views(live, server, monkeypatch):
    server.make_table("t", {"a": [1, 2]}, index=None, limit=None)
    started, release, made = threading.Event(), threading.Event(), threading.Event()
    calls: list[int] = []
    make_view = dispatch_module.HANDLERS["table_make_view_req"]
    handle_request = Session.handle_request

    def stalled_make_view(session, request, response):
        started.set()
        release.wait(30)  # the connection closes meanwhile; the view is made after
        try:
            return make_view(session, request, response)
        finally:
            made.set()

    def counting(session, data):
        calls.append(pb.Request.FromString(data).msg_id)
        return handle_request(session, data)

    monkeypatch.setitem(dispatch_module.HANDLERS, "table_make_view_req", stalled_make_view)
    monkeypatch.setattr(Session, "handle_request", counting)

    def view_request(msg_id: int) -> bytes:
        request = pb.Request(msg_id=msg_id, entity_id="t")
        request.table_make_view_req.view_id = f"v{msg_id}"
        request.table_make_view_req.config.SetInParent()
        return request.SerializeToString()

    async def scenario() -> None:
        conn = await _connect(live.url)
        for msg_id in range(1, 7):
            await conn.write_message(view_request(msg_id), binary=True)
        await _until(started.is_set)
        conn.close()  # while the first view is being made and five requests wait
        await _until(lambda: not server.sessions)

    try:
        asyncio.run(scenario())
    finally:
        release.set()
    assert made.wait(PROMPT)
    assert wait_until(lambda: server.view_ids() == [], timeout=5)
    assert calls == [1], "queued requests ran after the connection closed"


@pytest.mark.parametrize(
    ("kwargs", "fix"),
    [
        ({"max_pending_requests": 0}, "max_pending_requests"),
        ({"max_pending_bytes": -1}, "max_pending_bytes"),
        ({"request_timeout": 0}, "request_timeout"),
    ],
)
def test_bad_limits_are_refused_with_the_setting_named(kwargs, fix):
    with pytest.raises(ValueError, match=fix):
        Limits(**kwargs)


def test_ids_are_read_from_the_head_of_a_message():
    request = pb.Request(msg_id=300, entity_id="trades", table_size_req={}).SerializeToString()
    assert peek_ids(request[:12]) == (300, "trades")
    assert peek_ids(request[:4]) == (300, "")  # entity_id cut off
    assert peek_ids(b"\xff\xff") == (0, "")
    assert peek_ids(b"") == (0, "")
