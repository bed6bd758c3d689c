"""Fixtures for the protocol tests: a Server, an in-memory wire, a live Tornado server.

Every server and thread a fixture starts, it stops; each test ends by
checking that its sessions released every view they opened.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Iterator

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from perspective_nb.client import websocket
from perspective_nb.handlers.tornado import PerspectiveTornadoHandler
from perspective_nb.protocol import pb
from perspective_nb.server import Server
from perspective_nb.server.session import Session


class Wire:
    """A Session driven with raw protobuf requests; replies are collected."""

    def __init__(self, server: Server) -> None:
        self.replies: list[pb.Response] = []
        self.session: Session = server.new_session(self._collect)
        self._next = 0

    def _collect(self, data: bytes) -> None:
        self.replies.append(pb.Response.FromString(data))

    def send(self, entity_id: str = "", msg_id: int | None = None, **body) -> int:
        """Send one request whose single body field is given as ``field=message``."""
        ((field, message),) = body.items()
        if msg_id is None:
            self._next += 1
            msg_id = self._next
        request = pb.Request(msg_id=msg_id, entity_id=entity_id)
        getattr(request, field).CopyFrom(message)
        self.session.handle_request(request.SerializeToString())
        return msg_id

    def call(self, entity_id: str = "", **body) -> pb.Response:
        """Send a request and return its one immediate reply."""
        before = len(self.replies)
        msg_id = self.send(entity_id, **body)
        fresh = [r for r in self.replies[before:] if r.msg_id == msg_id]
        assert len(fresh) == 1, f"expected one reply, got {fresh}"
        assert fresh[0].entity_id == entity_id
        return fresh[0]

    def ok(self, entity_id: str = "", **body):
        """Like :meth:`call`, failing on ``server_error``; returns the body."""
        response = self.call(entity_id, **body)
        kind = response.WhichOneof("client_resp")
        assert kind != "server_error", response.server_error.message
        (field,) = body
        assert kind == field[: -len("_req")] + "_resp"
        return getattr(response, kind)


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Every thread a test starts (clients, servers, executors), it stops."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    leaked += [
        t
        for t in threading.enumerate()
        if t not in before and t.name.startswith("perspective-nb") and t.is_alive()
    ]
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()
    assert srv.view_ids() == [], "a test leaked views"


@pytest.fixture
def wire(server: Server) -> Wire:
    return Wire(server)


class TrackedHandler(PerspectiveTornadoHandler):
    """The Perspective handler, remembering its open connections so a test can drop them."""

    def open(self, *args, **kwargs) -> None:
        super().open(*args, **kwargs)
        self.settings["connections"].add(self)

    def on_close(self) -> None:
        self.settings["connections"].discard(self)
        super().on_close()


class LiveServer:
    """A Tornado app serving ``server`` on a free loopback port, in a thread.

    ``tuned`` are handler arguments for one more route, ``/tuned`` (its url
    is ``tuned_url``), e.g. small limits or a custom executor.
    """

    def __init__(self, server: Server, tuned: dict | None = None) -> None:
        self.server = server
        self.connections: set[TrackedHandler] = set()
        self._stopped = False
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}/websocket"
        self.tuned_url = f"ws://127.0.0.1:{self.port}/tuned"
        self._thread.start()
        self.executor = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="custom-exec")

        async def start() -> tornado.httpserver.HTTPServer:
            app = tornado.web.Application(
                [
                    (
                        r"/websocket",
                        TrackedHandler,
                        {"perspective_server": server, "check_origin": True},
                    ),
                    (
                        r"/same-origin",
                        TrackedHandler,
                        {"perspective_server": server},
                    ),
                    (
                        r"/custom",
                        TrackedHandler,
                        {
                            "perspective_server": server,
                            "executor": self.executor,
                            "loop": asyncio.get_running_loop(),
                        },
                    ),
                    (
                        r"/websocket-3",
                        TrackedHandler,
                        {
                            "perspective_server": server,
                            "check_origin": True,
                            "client_generation": 3,
                        },
                    ),
                    (
                        r"/websocket-5",
                        TrackedHandler,
                        {
                            "perspective_server": server,
                            "check_origin": True,
                            "client_generation": 5,
                        },
                    ),
                    (r"/tuned", TrackedHandler, {"perspective_server": server, **(tuned or {})}),
                ],
                connections=self.connections,
            )
            http = tornado.httpserver.HTTPServer(app)
            http.add_sockets(sockets)
            return http

        self.http = asyncio.run_coroutine_threadsafe(start(), self.loop).result()

    def drop_connections(self, abort: bool = False) -> None:
        """Close every open websocket: with a close frame, or (``abort``) by closing the socket."""

        async def drop() -> None:
            for handler in list(self.connections):
                if abort and handler.ws_connection is not None:
                    handler.ws_connection.stream.close()
                else:
                    handler.close(1001, "server going away")

        asyncio.run_coroutine_threadsafe(drop(), self.loop).result()

    def stop(self) -> None:
        """Stop listening, close every connection (websockets too) and end the thread."""
        if self._stopped:
            return
        self._stopped = True

        async def shutdown() -> None:
            self.http.stop()
            # close_all_connections() does not reach websockets (their
            # streams are detached from the HTTP server): close them here.
            for handler in list(self.connections):
                handler.close(1001, "server stopping")
            await self.http.close_all_connections()
            await self.loop.shutdown_default_executor()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()
        self.executor.shutdown(wait=True)


@pytest.fixture
def live(server: Server) -> Iterator[LiveServer]:
    live_server = LiveServer(server)
    yield live_server
    live_server.stop()


@pytest.fixture
def live_tuned(server: Server):
    """``live_tuned(**handler_kwargs)`` starts a LiveServer whose ``/tuned`` route uses them."""
    started: list[LiveServer] = []

    def start(**tuned) -> LiveServer:
        started.append(LiveServer(server, tuned))
        return started[-1]

    yield start
    for live_server in started:
        live_server.stop()


def wait_until(predicate, timeout: float = 30.0) -> bool:
    """Poll ``predicate`` until true (a generous bound, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


@pytest.fixture(params=["local", "websocket"])
def client(request, server):
    """The same Client API, in-process and over a real websocket."""
    if request.param == "local":
        local = server.new_local_client()
        yield local
        assert local._pending == {}, "a call was never answered"
        local.terminate()
        return
    live_server = request.getfixturevalue("live")
    remote = websocket(live_server.url)
    yield remote
    assert remote._pending == {}, "a call was never answered"
    remote.terminate()
    # the server notices the disconnect and releases the session
    assert wait_until(lambda: not server.sessions)
