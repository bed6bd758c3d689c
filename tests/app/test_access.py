"""The standalone app's guards: the Host header check (DNS rebinding) and the optional token."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.httpserver
import tornado.netutil
import tornado.websocket

import perspective_nb
from perspective_nb.__main__ import _size
from perspective_nb.app import make_app
from perspective_nb.app.access import host_name
from perspective_nb.errors import ConfigError
from perspective_nb.protocol import pb
from perspective_nb.server import Server

PACKAGE_FILE = "/node_modules/@finos/perspective/dist/cdn/perspective.js"
FEATURES = pb.Request(msg_id=1, get_features_req={}).SerializeToString()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


def _run(app, scenario):
    """Serve ``app`` on a free loopback port and run ``scenario(port)`` against it."""

    async def run():
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        http = tornado.httpserver.HTTPServer(app)
        http.add_sockets(sockets)
        try:
            return await scenario(sockets[0].getsockname()[1])
        finally:
            http.stop()
            await http.close_all_connections()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


async def _fetch(port: int, path: str, host: str | None = None, **headers: str):
    if host is not None:
        headers["Host"] = host.replace("PORT", str(port))
    return await tornado.httpclient.AsyncHTTPClient().fetch(
        f"http://127.0.0.1:{port}{path}", headers=headers, raise_error=False
    )


async def _websocket(port: int, path: str, host: str | None = None) -> pb.Response:
    headers = {"Host": host.replace("PORT", str(port))} if host else {}
    request = tornado.httpclient.HTTPRequest(f"ws://127.0.0.1:{port}{path}", headers=headers)
    conn = await tornado.websocket.websocket_connect(request)
    try:
        await conn.write_message(FEATURES, binary=True)
        return pb.Response.FromString(await asyncio.wait_for(conn.read_message(), 30))
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("localhost:8080", "localhost"),
        ("LocalHost.", "localhost"),
        ("[::1]:8080", "::1"),
        ("::1", "::1"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("evil.example", "evil.example"),
    ],
)
def test_host_name(header: str, expected: str) -> None:
    assert host_name(header) == expected


def test_a_foreign_host_is_refused_on_every_route(node_modules: Path, server: Server) -> None:
    app = make_app(server, node_modules=node_modules)

    async def scenario(port: int):
        page = await _fetch(port, "/", "evil.example:PORT")
        package = await _fetch(port, PACKAGE_FILE, "evil.example:PORT")
        with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
            await _websocket(port, "/websocket", "evil.example:PORT")
        local = [await _fetch(port, "/", h) for h in ("localhost:PORT", "[::1]:PORT", None)]
        socket_reply = await _websocket(port, "/websocket", "localhost:PORT")
        return page, package, refused.value.code, local, socket_reply

    page, package, socket_status, local, socket_reply = _run(app, scenario)
    assert (page.code, package.code, socket_status) == (403, 403, 403)
    assert b"DNS rebinding" in page.body
    assert b"--allow-host evil.example" in page.body
    assert [r.code for r in local] == [200, 200, 200]
    assert socket_reply.WhichOneof("client_resp") == "get_features_resp"


def test_allowed_hosts_and_ip_addresses_are_answered(node_modules: Path, server: Server) -> None:
    app = make_app(server, node_modules=node_modules, allowed_hosts=["data.example.org"])
    anything = make_app(server, node_modules=node_modules, allowed_hosts=["*"])

    async def scenario(port: int):
        hosts = ("data.example.org:PORT", "DATA.example.org", "192.0.2.7:PORT", "[2001:db8::1]")
        return [(await _fetch(port, "/", h)).code for h in hosts]

    assert _run(app, scenario) == [200, 200, 200, 200]

    async def any_name(port: int):
        return (await _fetch(port, "/", "whatever.example")).code

    assert _run(anything, any_name) == 200


def test_the_token_guards_the_page_and_the_websocket(node_modules: Path, server: Server) -> None:
    app = make_app(server, node_modules=node_modules, token="s3cret")

    async def scenario(port: int):
        statuses = {
            "none": (await _fetch(port, "/")).code,
            "wrong": (await _fetch(port, "/?token=nope")).code,
            "header": (await _fetch(port, "/", Authorization="token s3cret")).code,
            "package": (await _fetch(port, PACKAGE_FILE)).code,
        }
        page = await _fetch(port, "/?token=s3cret")
        with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
            await _websocket(port, "/websocket")
        statuses["websocket"] = refused.value.code
        config = json.loads(re.search(rb'config">(.*?)</script>', page.body, re.S).group(1))
        reply = await _websocket(port, config["websocket"])
        return statuses, page, config, reply

    statuses, page, config, reply = _run(app, scenario)
    assert statuses == {"none": 403, "wrong": 403, "header": 200, "package": 200, "websocket": 403}
    assert page.code == 200
    assert config["websocket"] == "/websocket?token=s3cret"
    assert reply.WhichOneof("client_resp") == "get_features_resp"


def test_an_empty_token_is_refused(node_modules: Path) -> None:
    with pytest.raises(ConfigError, match="token"):
        make_app(object(), node_modules=node_modules, token=" ")


@pytest.mark.parametrize(
    ("text", "size"), [("1048576", 1 << 20), ("512MiB", 512 << 20), ("2gb", 2 * 10**9)]
)
def test_message_size_option(text: str, size: int) -> None:
    assert _size(text) == size


def test_serve_prints_the_url_with_its_token_and_checks_hosts(
    node_modules: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,x\n2,y\n")
    root = Path(perspective_nb.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "perspective_nb", "serve", str(data), "--port", "0"]
    command += ["--node-modules", str(node_modules), "--token", "t0k", "--allow-host", "lab.local"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:(\d+)/\?token=t0k)$", line.strip())
        assert match, line
        port = int(match.group(2))

        async def scenario() -> list[int]:
            return [
                (await _fetch(port, "/?token=t0k", "lab.local:PORT")).code,
                (await _fetch(port, "/?token=t0k", "evil.example:PORT")).code,
                (await _fetch(port, "/", "localhost:PORT")).code,
            ]

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            assert pool.submit(asyncio.run, scenario()).result() == [200, 403, 403]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        process.stdout.close()
