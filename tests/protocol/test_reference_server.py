"""Our Python websocket client against perspective-python 3.8's own server.

The reference server decodes our requests with Perspective's generated
code, so this checks the client half of our protocol against the real thing.
"""

from __future__ import annotations

import asyncio
import threading

import pyarrow as pa
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from perspective_nb.client import websocket
from perspective_nb.errors import PerspectiveError

perspective = pytest.importorskip("perspective")
reference_handlers = pytest.importorskip("perspective.handlers.tornado")

pytestmark = pytest.mark.oracle


@pytest.fixture
def reference_url():
    server = perspective.Server()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]

    async def start() -> tornado.httpserver.HTTPServer:
        app = tornado.web.Application(
            [
                (
                    r"/websocket",
                    reference_handlers.PerspectiveTornadoHandler,
                    {"perspective_server": server},
                )
            ]
        )
        http = tornado.httpserver.HTTPServer(app)
        http.add_sockets(sockets)
        return http

    http = asyncio.run_coroutine_threadsafe(start(), loop).result()
    yield f"ws://127.0.0.1:{port}/websocket"

    async def stop() -> None:
        http.stop()
        await http.close_all_connections()
        await loop.shutdown_default_executor()

    asyncio.run_coroutine_threadsafe(stop(), loop).result()
    loop.call_soon_threadsafe(loop.stop)
    thread.join()
    loop.close()


def test_our_client_drives_the_reference_server(reference_url):
    client = websocket(reference_url)
    try:
        table = client.table(
            pa.table({"id": [1, 2, 3], "region": ["a", "b", "a"], "qty": [1.0, 2.0, 3.0]}),
            name="ref",
            index="id",
        )
        assert table.schema() == {"id": "integer", "region": "string", "qty": "float"}
        table.update([{"id": 4, "region": "c", "qty": 4.0}])
        table.remove([1])
        assert table.size() == 3
        view = table.view(group_by=["region"], columns=["qty"], sort=[["qty", "desc"]])
        assert view.to_columns() == {
            "__ROW_PATH__": [[], ["c"], ["a"], ["b"]],
            "qty": [9.0, 4.0, 3.0, 2.0],
        }
        assert view.get_min_max("qty") == (2.0, 4.0)
        assert view.get_config()["group_by"] == ["region"]
        assert view.num_rows() == 4
        fired = threading.Event()
        deltas = []

        def on_update(port_id, delta):
            deltas.append(delta)
            fired.set()

        view.on_update(on_update, mode="row")
        table.update([{"id": 2, "qty": 20.0}])
        assert fired.wait(30)
        assert pa.ipc.open_stream(deltas[0]).read_all().num_rows >= 1
        assert client.open_table("ref").get_index() == "id"
        with pytest.raises(PerspectiveError):
            table.view(columns=["nope"])
        view.delete()
        table.delete()
        assert client.get_hosted_table_names() == []
    finally:
        client.terminate()
