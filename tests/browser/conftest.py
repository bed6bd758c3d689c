"""Fixtures for the browser tests: one Chromium per test module, a page per test.

Chromium is Debian's (``/usr/bin/chromium``) driven by PyPI ``playwright``;
the npm packages come from ``node_modules`` (``scripts/setup-js.sh``).
Without them the tests skip, unless ``PERSPECTIVE_NB_REQUIRE_BROWSER=1``
(as in CI), where a missing prerequisite is a failure.

Every test gets a fresh browser context; at teardown its screenshot is
saved under ``tests/browser/artifacts/`` and any uncaught page error fails
the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_data import sample_columns
from browser_harness import Backend, ServerThread, ViewerPage

from perspective_nb.app import GENERATIONS
from perspective_nb.app.assets import find_node_modules, missing_assets

CHROMIUM = os.environ.get("PERSPECTIVE_NB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORT = {"width": 1200, "height": 700}

#: The hosted table every read-only test shares.
SAMPLE_TABLE = "sample"


def _unavailable(reason: str) -> None:
    if os.environ.get("PERSPECTIVE_NB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests cannot run: {reason}")
    pytest.skip(f"browser tests need: {reason}")


@pytest.fixture(scope="session")
def node_modules() -> Path:
    try:
        where = find_node_modules()
    except FileNotFoundError as exc:
        _unavailable(str(exc))
    for generation in GENERATIONS.values():
        missing = missing_assets(where, generation)
        if missing:
            _unavailable(f"npm packages ({', '.join(missing)}); run scripts/setup-js.sh")
    return where


# Module scope, not session: Playwright's sync API keeps an event loop
# running on the main thread while it is started, which would break every
# later test that calls asyncio.run(). Starting Chromium costs about a second.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        # launch() gives Chromium a fresh temporary user-data dir of its own.
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def sample() -> dict[str, list]:
    """The columns of the shared sample table."""
    return sample_columns()


@pytest.fixture(scope="session")
def served(node_modules: Path, sample: dict[str, list]) -> Iterator[ServerThread]:
    """The standalone app, hosting the sample table, on a free port."""
    server = ServerThread(Backend.from_env(), node_modules).start()
    try:
        server.table(sample, name=SAMPLE_TABLE)
        yield server
    finally:
        server.stop()


@pytest.fixture(params=sorted(GENERATIONS), ids=lambda key: f"{key}-{GENERATIONS[key].version}")
def generation(request: pytest.FixtureRequest) -> str:
    """Each npm client generation the page can load (``?client=``)."""
    return request.param


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; screenshot and page errors are checked at teardown."""
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    errors: list[str] = []
    console: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"{exc}\n{exc.stack}"))
    pg.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    try:
        yield pg
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
        finally:
            (ARTIFACTS / f"{stem}.console.txt").write_text("\n".join(console) + "\n")
            context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def viewer(page: Any, served: ServerThread, generation: str) -> ViewerPage:
    """The app page showing the sample table with this test's client generation."""
    return ViewerPage(page, served.url).open(SAMPLE_TABLE, generation)
