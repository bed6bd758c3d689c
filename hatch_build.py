"""Wheel build hook: ship the standalone page's npm files inside the package.

``python -m perspective_nb serve`` serves Perspective's published browser
builds (``dist/cdn`` modules, their ``.wasm`` and the themes stylesheet) and
the Superstore sample. In a source checkout they come from ``node_modules``
(``scripts/setup-js.sh``); a wheel carries a pruned copy of that tree in
``perspective_nb/app/npm/``, so ``pip install`` is all ``serve`` needs, with
no network at run time.

The hook copies, for every dependency in the root ``package.json``, what a
browser loads with the ``dist/cdn`` builds (``dist/cdn/*.js``, which fetch
``dist/wasm/*.wasm`` beside them; ``dist/css/themes.css``, every theme in
one sheet; ``superstore.arrow``, the sample ``serve`` shows without a file)
plus its ``package.json`` and licence. Source maps, ESM builds, per-theme
sheets and TypeScript sources stay out (~100 MB of node_modules -> ~9 MB).
When ``node_modules`` is absent or does not match ``package.json`` and no
matching copy exists yet, it runs ``npm ci`` first, as the labextension's
build does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported outside a build (the tests call copy_npm_assets)
    BuildHookInterface = object  # type: ignore[assignment,misc]

#: Where the wheel's copy lives, relative to the project root (git-ignored).
PACKAGED = "perspective_nb/app/npm"

# Inside each npm package: the files a browser loads.
_BROWSER_GLOBS = ("dist/cdn/*.js", "dist/wasm/*.wasm", "dist/css/themes.css", "superstore.arrow")
_ALWAYS = ("package.json", "LICENSE", "LICENSE.md", "LICENSE.txt")


def pinned_packages(root: Path) -> dict[str, str]:
    """The npm dependencies of the root ``package.json``: name -> exact version."""
    return json.loads((root / "package.json").read_text())["dependencies"]


def is_complete(modules: Path, packages: dict[str, str]) -> bool:
    """Whether ``modules`` holds every package of ``packages`` at its pinned version."""
    for name, version in packages.items():
        manifest = modules / name / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text()).get("version") != version:
            return False
    return True


def copy_npm_assets(modules: Path, dest: Path, packages: dict[str, str]) -> int:
    """Copy the browser files of ``packages`` from ``modules`` into a fresh ``dest``.

    Returns the number of bytes copied.
    """
    if dest.exists():
        shutil.rmtree(dest)
    total = 0
    for name in packages:
        source = modules / name
        files = {source / f for f in _ALWAYS if (source / f).is_file()}
        for pattern in _BROWSER_GLOBS:
            files.update(p for p in source.glob(pattern) if p.is_file())
        for path in sorted(files):
            target = dest / name / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            total += path.stat().st_size
    return total


def prepare_npm_assets(root: Path, log: Any = print) -> Path:
    """Make ``<root>/perspective_nb/app/npm`` match ``package.json``; return it."""
    packages = pinned_packages(root)
    modules, dest = root / "node_modules", root / PACKAGED
    if not is_complete(modules, packages):
        if is_complete(dest, packages):
            return dest  # e.g. a tree built before, without node_modules
        if modules.is_symlink():
            # npm ci would empty the directory the link points to.
            raise RuntimeError(
                f"{modules} links to {modules.resolve()}, which does not match package.json; "
                "run scripts/setup-js.sh in the checkout it belongs to"
            )
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "building perspective_nb needs npm (Node.js >= 18) to fetch the browser "
                "packages of package.json; install Node.js, or run scripts/setup-js.sh first"
            )
        log("perspective_nb: npm ci (the standalone page's browser packages)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
    size = copy_npm_assets(modules, dest, packages)
    log(f"perspective_nb: copied {size / 2**20:.1f} MB of browser files into {PACKAGED}")
    return dest


class NpmAssetsHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    """Puts the standalone page's npm files into regular (non-editable) wheels."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # An editable install runs from the checkout, whose node_modules serves.
        if self.target_name != "wheel" or version == "editable":
            return
        dest = prepare_npm_assets(Path(self.root), log=self.app.display_info)
        # The copy is git-ignored build output: include it explicitly.
        build_data["force_include"][str(dest)] = PACKAGED
