"""Where the browser side of the standalone page comes from.

The page imports Perspective's published ``dist/cdn/*.js`` builds straight
out of an npm ``node_modules`` tree (no CDN, no bundler). An installed
package carries a pruned copy of that tree in ``perspective_nb/app/npm/``
(written by the wheel build, ``hatch_build.py``); a source checkout uses its
``node_modules`` (``scripts/setup-js.sh``). This module knows which files
each supported client generation needs, finds the directory, and checks
that the files are there.

It imports nothing from the engine, protocol or server layers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import AssetsNotFoundError

__all__ = [
    "DEFAULT_GENERATION",
    "GENERATIONS",
    "NODE_MODULES_ENV",
    "PACKAGED_NODE_MODULES",
    "ClientGeneration",
    "find_node_modules",
    "missing_assets",
]

#: Environment variable naming the ``node_modules`` directory to serve from.
NODE_MODULES_ENV = "PERSPECTIVE_NB_NODE_MODULES"

#: The browser files an installed package ships (built into the wheel).
PACKAGED_NODE_MODULES = Path(__file__).resolve().parent / "npm"


@dataclass(frozen=True)
class ClientGeneration:
    """The npm files one generation of Perspective's browser packages needs.

    Paths are relative to ``node_modules``. Each ``dist/cdn`` build is a
    self-contained ES module that loads its ``.wasm`` relative to itself,
    so serving the package directories unchanged is enough.

    Parameters
    ----------
    key : str
        The name used in the page's ``?client=`` query parameter.
    version : str
        The npm version the files come from (see ``package.json``).
    client, viewer, datagrid, d3fc : str
        The ``dist/cdn`` module of each package.
    themes_css : str
        The stylesheet defining the viewer's themes.
    scopes : tuple of str
        npm scopes (``@scope``) holding the package directories to serve.
    legacy_plugins : bool
        Whether a plugin is one major version behind the viewer and needs
        the page's adapter (``static/legacy-plugins.js``) to register.
    load_by_name : bool
        Whether the viewer is given the client and a table name
        (``load(client)`` + ``restore({table})``, 5.x) rather than a table.
    """

    key: str
    version: str
    client: str
    viewer: str
    datagrid: str
    d3fc: str
    themes_css: str
    scopes: tuple[str, ...]
    legacy_plugins: bool = False
    load_by_name: bool = False

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the page imports for this generation."""
        return (self.client, self.viewer, self.datagrid, self.d3fc, self.themes_css)


GENERATIONS: dict[str, ClientGeneration] = {
    # The generation the Python tutorial names, and the protocol the engine
    # follows first.
    "finos": ClientGeneration(
        key="finos",
        version="3.8.0",
        client="@finos/perspective/dist/cdn/perspective.js",
        viewer="@finos/perspective-viewer/dist/cdn/perspective-viewer.js",
        datagrid="@finos/perspective-viewer-datagrid/dist/cdn/perspective-viewer-datagrid.js",
        d3fc="@finos/perspective-viewer-d3fc/dist/cdn/perspective-viewer-d3fc.js",
        themes_css="@finos/perspective-viewer/dist/css/themes.css",
        scopes=("@finos",),
    ),
    # The renamed packages. npm has no viewer-d3fc 5.x; the 4.4.1 plugin
    # declares no version constraint on the viewer, and registers with
    # 5.5.1 through the page's legacy-plugin adapter.
    "perspective-dev": ClientGeneration(
        key="perspective-dev",
        version="5.5.1",
        client="@perspective-dev/client/dist/cdn/perspective.js",
        viewer="@perspective-dev/viewer/dist/cdn/perspective-viewer.js",
        datagrid="@perspective-dev/viewer-datagrid/dist/cdn/perspective-viewer-datagrid.js",
        d3fc="@perspective-dev/viewer-d3fc/dist/cdn/perspective-viewer-d3fc.js",
        themes_css="@perspective-dev/viewer/dist/css/themes.css",
        scopes=("@perspective-dev",),
        legacy_plugins=True,
        load_by_name=True,
    ),
}

DEFAULT_GENERATION = "finos"


def _checkout_node_modules() -> Path | None:
    # perspective_nb/app/assets.py -> the root of a source checkout, which
    # holds package.json; an installed package's parent (site-packages) does not.
    root = Path(__file__).resolve().parents[2]
    if (root / "package.json").is_file() and (root / "node_modules").is_dir():
        return root / "node_modules"
    return None


def find_node_modules(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the ``node_modules`` directory the page's scripts are served from.

    Parameters
    ----------
    path : path-like, optional
        An explicit directory. Without it, ``$PERSPECTIVE_NB_NODE_MODULES``
        is used, then the source checkout's ``node_modules`` (when running
        from one), then the copy an installed package ships
        (:data:`PACKAGED_NODE_MODULES`).

    Returns
    -------
    pathlib.Path
        The resolved directory (it is not checked for contents; see
        :func:`missing_assets`).

    Raises
    ------
    AssetsNotFoundError
        When the directory does not exist.

    Examples
    --------
    >>> find_node_modules("/nonexistent")  # doctest: +SKIP
    Traceback (most recent call last):
    AssetsNotFoundError: ...
    """
    if path is not None:
        where, origin = Path(path), "the node_modules argument"
    elif os.environ.get(NODE_MODULES_ENV):
        where, origin = Path(os.environ[NODE_MODULES_ENV]), f"${NODE_MODULES_ENV}"
    else:
        checkout = _checkout_node_modules()
        if checkout is not None:
            return checkout.resolve()
        where, origin = PACKAGED_NODE_MODULES, "the installed package"
    if not where.is_dir():
        raise AssetsNotFoundError(
            f"no browser files at {where} ({origin}). An installed perspective_nb "
            "ships them: reinstall it from a wheel built with them (pip install "
            "perspective_nb). In a source checkout, run scripts/setup-js.sh. Or point "
            f"${NODE_MODULES_ENV} at a node_modules holding the Perspective npm "
            "packages listed in package.json."
        )
    return where.resolve()


def missing_assets(node_modules: Path, generation: ClientGeneration) -> list[str]:
    """List the files of ``generation`` that are absent from ``node_modules``.

    Parameters
    ----------
    node_modules : pathlib.Path
        The directory returned by :func:`find_node_modules`.
    generation : ClientGeneration
        The client generation to check.

    Returns
    -------
    list of str
        Relative paths that do not exist (empty when the generation is usable).
    """
    return [f for f in generation.files if not (node_modules / f).is_file()]
