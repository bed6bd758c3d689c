"""Fixtures for tests that run a real Jupyter server in-process.

The server loads the perspective_nb extension; helpers speak to its hub as
a browser (``/perspective/ws`` with the test token) and as a kernel
(``/perspective/kernel`` with a token the hub key issues for its kernel id).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import pytest

# pytest-jupyter's fixtures and async-test hooks (jp_serverapp, jp_fetch,
# jp_ws_fetch...), scoped to this directory: pytest only honours
# ``pytest_plugins`` in the top-level conftest, so import them here instead.
from pytest_jupyter.jupyter_server import *  # noqa: F403
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from perspective_nb.jupyter.extension import start_extension
from perspective_nb.jupyter.hub_keys import kernel_token
from perspective_nb.jupyter.uplink_frames import (
    ENV_HUB_URL,
    ENV_KERNEL_ID,
    ENV_TOKEN,
    TOKEN_HEADER,
    pack_frame,
    unpack_frame,
)
from perspective_nb.protocol import pb

# Every await on the network is bounded, so a broken hub fails a test
# instead of hanging it (this bounds waiting; nothing asserts on durations).
WAIT = 60.0


@pytest.fixture(autouse=True)
def _restore_hub_env(monkeypatch):
    """No hub credentials leak in from the environment the tests run in."""
    for name in (ENV_HUB_URL, ENV_KERNEL_ID, ENV_TOKEN):
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)


@pytest.fixture
def jp_server_config():
    return {
        "ServerApp": {
            "jpserver_extensions": {"perspective_nb.jupyter": True},
            "ip": "127.0.0.1",
        }
    }


@pytest.fixture
def jp_serverapp(jp_server_config, jp_argv, jp_configurable_serverapp, jp_asyncio_loop):
    """pytest-jupyter's server, plus the extension's start hook.

    A real server runs start hooks once it listens; pytest-jupyter does not,
    so this replaces its ``jp_serverapp`` (a conftest cannot wrap a fixture
    it star-imports under the same name).
    """
    app = jp_configurable_serverapp(config=jp_server_config, argv=jp_argv)
    jp_asyncio_loop.run_until_complete(start_extension(app))
    return app


@pytest.fixture
def hub(jp_serverapp):
    return jp_serverapp.web_app.settings["perspective_hub"]


@pytest.fixture
def hub_key(jp_serverapp):
    return jp_serverapp.web_app.settings["perspective_hub_key"]


@pytest.fixture
def uplink_url(jp_http_port, jp_base_url):
    """Where kernels connect (add ``?kernel_id=...``)."""
    return f"ws://127.0.0.1:{jp_http_port}{jp_base_url}perspective/kernel"


class FakeKernel:
    """A scripted kernel uplink: registers names and answers with canned replies."""

    def __init__(self, ws):
        self.ws = ws
        self._rid = 0
        self._frames = []  # requests that arrived while awaiting a control reply

    async def control(self, op, **fields):
        self._rid += 1
        self.ws.write_message(json.dumps({"op": op, "rid": self._rid, **fields}))
        while True:
            message = await asyncio.wait_for(self.ws.read_message(), WAIT)
            assert message is not None, "uplink closed"
            if isinstance(message, bytes):
                self._frames.append(message)
                continue
            reply = json.loads(message)
            if reply.get("rid") == self._rid:
                return reply

    async def next_request(self):
        """The next (session, Request) the hub forwards to this kernel."""
        while True:
            if self._frames:
                message = self._frames.pop(0)
            else:
                message = await asyncio.wait_for(self.ws.read_message(), WAIT)
            assert message is not None, "uplink closed"
            if isinstance(message, bytes):
                session, payload = unpack_frame(message)
                return session, pb.Request.FromString(payload)

    async def next_control(self, op):
        """The next control message ``op`` the hub sends this kernel."""
        while True:
            message = await asyncio.wait_for(self.ws.read_message(), WAIT)
            assert message is not None, "uplink closed"
            if isinstance(message, str) and json.loads(message)["op"] == op:
                return json.loads(message)

    def reply(self, session, response):
        self.ws.write_message(pack_frame(session, response.SerializeToString()), binary=True)

    def close(self):
        self.ws.close()


@pytest.fixture
def fake_kernel(jp_serverapp, uplink_url, hub_key, http_server_client):
    kernels = []

    async def connect(kernel_id="k1", token=None):
        url = f"{uplink_url}?kernel_id={kernel_id}"
        headers = {TOKEN_HEADER: kernel_token(hub_key, kernel_id) if token is None else token}
        ws = await websocket_connect(HTTPRequest(url, headers=headers))
        kernel = FakeKernel(ws)
        kernels.append(kernel)
        return kernel

    yield connect
    for kernel in kernels:
        kernel.close()


class Browser:
    """A browser's Perspective websocket to the hub, one request at a time."""

    def __init__(self, ws):
        self.ws = ws
        self._msg_id = 100

    def send(self, entity_id="", **request):
        self._msg_id += 1
        message = pb.Request(msg_id=self._msg_id, entity_id=entity_id, **request)
        self.ws.write_message(message.SerializeToString(), binary=True)
        return self._msg_id

    async def receive(self):
        message = await asyncio.wait_for(self.ws.read_message(), WAIT)
        assert message is not None, "hub closed the browser websocket"
        return pb.Response.FromString(message)

    async def ask(self, entity_id="", **request):
        msg_id = self.send(entity_id, **request)
        response = await self.receive()
        assert response.msg_id == msg_id
        return response

    def close(self):
        self.ws.close()


@pytest.fixture
def browser(jp_ws_fetch):
    browsers = []

    async def connect():
        b = Browser(await jp_ws_fetch("perspective", "ws"))
        browsers.append(b)
        return b

    yield connect
    for b in browsers:
        b.close()


@dataclass
class CellResult:
    """What one executed cell produced."""

    stdout: str = ""
    error: dict | None = None
    data: list[dict] = field(default_factory=list)


class KernelDriver:
    """A kernel started by the Jupyter server's own kernel manager, plus a client."""

    def __init__(self, serverapp, kernel_id, client):
        self.serverapp = serverapp
        self.kernel_id = kernel_id
        self.client = client

    @classmethod
    async def start(cls, serverapp):
        km = serverapp.kernel_manager
        kernel_id = await km.start_kernel(kernel_name="python3")
        client = km.get_kernel(kernel_id).client()
        client.start_channels()
        await client.wait_for_ready(timeout=WAIT)
        return cls(serverapp, kernel_id, client)

    def submit(self, code: str) -> str:
        """Start executing ``code``; return the request's msg_id (do not wait)."""
        return self.client.execute(code, store_history=False)

    async def wait_busy(self, msg_id: str) -> None:
        """Wait until the kernel reports it is busy with ``msg_id``."""
        while True:
            msg = await asyncio.wait_for(self.client.get_iopub_msg(), WAIT)
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "busy"
            ):
                return

    async def collect(self, msg_id: str) -> CellResult:
        """Gather iopub output of ``msg_id`` until the kernel is idle again."""
        result = CellResult()
        while True:
            msg = await asyncio.wait_for(self.client.get_iopub_msg(), WAIT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content["name"] == "stdout":
                result.stdout += content["text"]
            elif kind == "error":
                result.error = content
            elif kind in ("execute_result", "display_data"):
                result.data.append(content["data"])
            elif kind == "status" and content["execution_state"] == "idle":
                return result

    async def run(self, code: str, *, ok: bool = True) -> CellResult:
        result = await self.collect(self.submit(code))
        if ok and result.error is not None:
            raise AssertionError(
                f"cell failed: {result.error['ename']}: {result.error['evalue']}\n{code}"
            )
        return result

    async def stop(self) -> None:
        self.client.stop_channels()
        km = self.serverapp.kernel_manager
        if self.kernel_id in km:
            await km.shutdown_kernel(self.kernel_id, now=True)


@pytest.fixture
def kernel_pool(jp_serverapp, http_server_client, jp_asyncio_loop):
    """Start real python3 kernels through the server's kernel manager; stop them after."""
    started: list[KernelDriver] = []

    async def start():
        kernel = await KernelDriver.start(jp_serverapp)
        started.append(kernel)
        return kernel

    yield start
    for kernel in started:
        jp_asyncio_loop.run_until_complete(kernel.stop())
