"""The app's ``check_origin`` decides whether pages from other origins may connect.

The browser sends the real ``Origin`` header; a page on one test server
opens raw websockets to others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import SERVER_ENV, Backend, ServerThread

pytestmark = pytest.mark.skipif(
    os.environ.get(SERVER_ENV) == "reference",
    reason="perspective-python's handler accepts every origin and has no check_origin option",
)

_CONNECT = """(url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => { ws.close(); resolve("open"); };
    ws.onerror = () => resolve("refused");
})"""


@pytest.fixture(scope="module")
def other_servers(node_modules: Path) -> Iterator[dict[bool, ServerThread]]:
    servers = {
        check: ServerThread(Backend.from_env(), node_modules, check_origin=check).start()
        for check in (False, True)
    }
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def test_check_origin(page, served: ServerThread, other_servers: dict[bool, ServerThread]) -> None:
    # `served` runs with make_app's default, check_origin=False.
    page.goto(f"{served.url}/?client=finos")

    def connect(server: ServerThread) -> str:
        return page.evaluate(_CONNECT, f"ws://127.0.0.1:{server.port}/websocket")

    assert connect(served) == "open", "a same-origin page must always connect"
    assert connect(other_servers[False]) == "refused", "check_origin=False accepted another origin"
    assert connect(other_servers[True]) == "open", "check_origin=True refused another origin"
