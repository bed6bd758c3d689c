"""Servers and page helpers shared by the browser tests.

- :class:`Backend` picks the Perspective server implementation under test:
  ours (``perspective_nb``) by default, or perspective-python as a reference
  (``PERSPECTIVE_NB_BROWSER_SERVER=reference``) to validate the harness.
- :class:`AppThread` runs a tornado app on its own thread and event loop, on
  a free loopback port; :class:`ServerThread` is the standalone app
  (``perspective_nb.app``) run that way.
- :class:`Serving` is a ``python -m perspective_nb serve`` process.
- :class:`ViewerPage` drives ``<perspective-viewer>`` in a Playwright page
  and reads what the datagrid actually rendered (its shadow DOM).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.netutil

from perspective_nb.app import make_app

SERVER_ENV = "PERSPECTIVE_NB_BROWSER_SERVER"
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Backend:
    """A Perspective server implementation: how to make a server and its handler."""

    name: str
    make_server: Callable[[], Any]
    handler: type | None  # None: make_app's default, perspective_nb's own handler

    @classmethod
    def from_env(cls) -> Backend:
        choice = os.environ.get(SERVER_ENV, "perspective_nb")
        if choice == "reference":
            # perspective-python is a test oracle only; its handler takes no
            # check_origin argument, so make_app passes none to it.
            import perspective
            from perspective.handlers.tornado import PerspectiveTornadoHandler

            return cls("reference", perspective.Server, PerspectiveTornadoHandler)
        if choice != "perspective_nb":
            raise ValueError(
                f"{SERVER_ENV} must be 'perspective_nb' or 'reference', not {choice!r}"
            )
        import perspective_nb

        return cls("perspective_nb", perspective_nb.Server, None)


class AppThread:
    """A tornado application on a background event loop, bound to a free loopback port.

    ``build`` runs on the loop's thread and returns the application.
    Everything touching a Perspective server (creating or updating tables)
    goes through :meth:`call`, which runs on that thread too, as code in a
    tornado application would.
    """

    def __init__(self, build: Callable[[], Any], host: str = "127.0.0.1") -> None:
        self._build = build
        self._host = host
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="browser-test-server", daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    def start(self) -> AppThread:
        self._thread.start()
        if not self._ready.wait(TIMEOUT_S):
            raise TimeoutError("the test server did not start")
        if self._error is not None:
            raise RuntimeError("the test server failed to start") from self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            app = self._build()
            # Port 0 on every address of the host ("localhost" may be two).
            sockets = tornado.netutil.bind_sockets(0, self._host)
            self.port = sockets[0].getsockname()[1]
            self._http = tornado.httpserver.HTTPServer(app)
            self._http.add_sockets(sockets)
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._http.close_all_connections())
        loop.close()

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` on the server's loop thread and return its result."""
        assert self._loop is not None
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:
                future.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return future.result(TIMEOUT_S)

    def stop(self) -> None:
        if self._loop is None or self._loop.is_closed():
            return
        self.call(self._http.stop)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(TIMEOUT_S)


class ServerThread(AppThread):
    """The standalone app (``perspective_nb.app.make_app``) over a ``backend`` server."""

    def __init__(self, backend: Backend, node_modules: Path, *, check_origin: bool = False) -> None:
        super().__init__(self._make)
        self.backend = backend
        self._node_modules = node_modules
        self._check_origin = check_origin
        self.server: Any = None
        self.client: Any = None

    def _make(self) -> Any:
        self.server = self.backend.make_server()
        self.client = self.server.new_local_client()
        return make_app(
            self.server,
            node_modules=self._node_modules,
            check_origin=self._check_origin,
            websocket_handler=self.backend.handler,
        )

    def table(self, data: Any, **kwargs: Any) -> Any:
        """Host a new table (``client.table(data, **kwargs)``) on the loop thread."""
        return self.call(self.client.table, data, **kwargs)


class Serving:
    """A ``python -m perspective_nb serve ...`` process and the URL it printed.

    ``python`` is the interpreter to run it with (default: this one), ``env``
    and ``cwd`` its environment and working directory. ``--port 0`` is added.
    """

    def __init__(
        self,
        args: list[str],
        *,
        python: str | Path = sys.executable,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.proc = subprocess.Popen(
            [str(python), "-m", "perspective_nb", "serve", *args, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=cwd,
        )
        lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []

        def pump() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line)
                lines.put(line)
            lines.put("")  # the process ended

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        try:
            while True:
                line = lines.get(timeout=TIMEOUT_S)
                if not line:
                    self.proc.wait()
                    raise AssertionError(
                        f"serve exited ({self.proc.returncode}): {''.join(self.output)}"
                    )
                match = re.search(r"at (http://\S+?)/?$", line.strip())
                if match:
                    self.url = match.group(1)
                    self.banner = line.strip()
                    break
        except queue.Empty:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"serve printed no URL: {''.join(self.output)}") from None

    def stop(self) -> int:
        """SIGTERM (a clean shutdown), then the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(TIMEOUT_S)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.stop()
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._pump.join(TIMEOUT_S)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


# --- reading the page ------------------------------------------------------

# Reads the datagrid's <regular-table> (inside the plugin's shadow root):
# header rows, and per body row its <th> labels and <td> values as text.
_READ_GRID = """() => {
    const grid = document.querySelector("perspective-viewer-datagrid");
    if (!grid) return null;
    const table = (grid.shadowRoot || grid).querySelector("regular-table");
    if (!table) return null;
    const text = (el) => el.textContent.trim();
    // The settings panel adds a row of column "Edit" buttons under the titles.
    const titles = table.querySelectorAll("thead tr:not(#psp-column-edit-buttons)");
    const head = [...titles].map((tr) => [...tr.children].map(text));
    const rows = [...table.querySelectorAll("tbody tr")].map((tr) => ({
        labels: [...tr.querySelectorAll("th")].map(text).filter((t) => t !== ""),
        values: [...tr.querySelectorAll("td")].map(text),
    }));
    return {head, rows};
}"""


@dataclass
class Grid:
    """The cells a datagrid rendered, as text."""

    head: list[list[str]]
    rows: list[dict[str, list[str]]] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        """The leaf header row, without the row-header columns' empty cells."""
        return [c for c in self.head[-1] if c] if self.head else []

    @property
    def labels(self) -> list[str]:
        """Each row's group label (its last row-path element), '' for flat rows."""
        return [r["labels"][-1] if r["labels"] else "" for r in self.rows]

    @property
    def values(self) -> list[list[str]]:
        return [r["values"] for r in self.rows]

    def column(self, index: int) -> list[str]:
        return [r["values"][index] for r in self.rows if len(r["values"]) > index]

    def by_label(self) -> dict[str, list[float]]:
        """Group label -> numeric cell values (grouped views)."""
        return {r["labels"][-1]: [parse_number(v) for v in r["values"]] for r in self.rows}


def parse_number(text: str) -> float:
    """Read a number as the datagrid formats it ('12,375.00' -> 12375.0)."""
    return float(text.replace(",", ""))


class ViewerPage:
    """One page showing the standalone app's viewer."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        #: Binary frames (protocol requests) the page sent over its websockets.
        self.frames_sent = 0
        page.on("websocket", lambda ws: ws.on("framesent", self._count_frame))

    def _count_frame(self, payload: bytes | str) -> None:
        self.frames_sent += 1

    def open(self, table: str, client: str) -> ViewerPage:
        """Load the app page for ``table`` with the ``client`` npm generation."""
        self.page.goto(f"{self.base_url}/?client={client}&table={table}")
        self.wait_loaded()
        return self

    def wait_loaded(self) -> None:
        self.page.wait_for_function(
            "window.perspectiveNb && (window.perspectiveNb.ready || window.perspectiveNb.error)",
            timeout=TIMEOUT_S * 1000,
        )
        error = self.page.evaluate("window.perspectiveNb.error")
        assert error is None, f"the page failed to load the table: {error}"

    def restore(self, config: dict[str, Any]) -> None:
        """``viewer.restore(config)`` and wait until the plugin has drawn it."""
        self.page.evaluate(
            """async (config) => {
                const viewer = window.perspectiveNb.viewer;
                await viewer.restore(config);
                await viewer.flush();
            }""",
            config,
        )

    def shown(self, *ids: str) -> dict[str, bool]:
        """Whether each element of the viewer's shadow DOM with these ids is on screen."""
        return self.page.evaluate(
            """(ids) => {
                const root = document.querySelector("perspective-viewer").shadowRoot;
                return Object.fromEntries(ids.map((id) => {
                    const el = root.getElementById(id);
                    if (!el) return [id, false];
                    const box = el.getBoundingClientRect();
                    const style = getComputedStyle(el);
                    const on = box.width > 0 && box.height > 0 && style.visibility !== "hidden"
                        && style.display !== "none" && Number(style.opacity) > 0;
                    return [id, on];
                }));
            }""",
            list(ids),
        )

    def grid(self) -> Grid | None:
        raw = self.page.evaluate(_READ_GRID)
        return None if raw is None else Grid(head=raw["head"], rows=raw["rows"])

    def wait_for_grid(self, predicate: Callable[[Grid], bool], what: str) -> Grid:
        """Poll the rendered grid until ``predicate`` holds; fail with the last grid seen."""
        deadline = time.monotonic() + TIMEOUT_S
        grid = None
        while time.monotonic() < deadline:
            grid = self.grid()
            try:
                if grid is not None and predicate(grid):
                    return grid
            except (IndexError, KeyError, ValueError):
                pass  # a half-drawn grid: keep waiting
            self.page.wait_for_timeout(100)
        raise AssertionError(f"timed out waiting for {what}; last grid: {grid}")
