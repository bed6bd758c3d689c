"""Every notebook in notebooks/ runs top to bottom without an error.

Each runs twice: in a kernel holding the credentials a Jupyter server with
the extension gives its kernels (tables go through the hub), and in a bare
kernel (the widget falls back to its comm).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from perspective_nb.jupyter.extension import kernel_env

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file"


async def _execute(path: Path, after_cell=None) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_executed=after_cell,
    )
    await client.async_execute()
    return nb


@pytest.fixture(autouse=True)
def _small_big_data(monkeypatch):
    # big_data.ipynb reads its size from the environment (kernels inherit it).
    monkeypatch.setenv("PERSPECTIVE_NB_ROWS", "200000")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
async def test_notebook_runs_with_the_hub(path, jp_serverapp, http_server_client, hub, monkeypatch):
    # nbclient starts its own kernel, not the server's kernel manager: give it
    # the credentials the server hands each kernel it starts itself.
    credentials = kernel_env(jp_serverapp.web_app.settings, f"nbclient-{path.stem}")
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    hosted: set[str] = set()
    # the kernel (and its names) is gone once the run ends: look after each cell
    nb = await _execute(path, after_cell=lambda **_: hosted.update(hub.names))
    expected = {
        "quickstart.ipynb": {"sales", "totals"},
        "streaming.ipynb": {"ticks"},
        "big_data.ipynb": {"big"},
        "sharing.ipynb": {"orders"},
    }
    assert expected.get(path.name, set()) <= hosted
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
async def test_notebook_runs_without_a_hub(path, monkeypatch):
    # the kernel must import this checkout even when it is not pip-installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    nb = await _execute(path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
