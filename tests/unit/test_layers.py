"""The package's import graph: layers import only downward, and no module cycles.

Walks every module of ``perspective_nb`` with ``ast`` (without importing
it), collecting every import: module level, inside functions, and under
``if TYPE_CHECKING:`` (an annotation-only import still couples two modules).
An import of a module's own ancestor package is not an edge: Python loads
the parent first anyway.
"""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = "perspective_nb"

#: Layer of each subpackage: a module may import its own layer or lower ones.
LAYERS = {
    "errors": 0,
    "engine": 1,
    "protocol": 2,
    "virtual": 2,
    "client": 3,
    "server": 4,
    "handlers": 5,
    "virtual_servers": 5,
    "app": 6,
    "jupyter": 7,
    "widget": 7,
}
TOP = 99  # perspective_nb/__init__.py and __main__.py: the public surface

#: Third-party or standard modules a layer must not import (the engine is
#: pure Arrow compute: no I/O, event loops, web servers or Jupyter).
FORBIDDEN = {
    "engine": {"asyncio", "tornado", "jupyter_server", "jupyter_client", "ipykernel",
               "ipywidgets", "traitlets", "IPython", "socket", "http", "urllib",
               "google", "duckdb", "pyspark"},
    "protocol": {"asyncio", "tornado", "jupyter_server", "ipykernel", "ipywidgets", "traitlets"},
    "virtual": {"asyncio", "tornado", "jupyter_server", "ipykernel", "ipywidgets", "traitlets"},
    "server": {"tornado", "jupyter_server", "ipykernel", "ipywidgets", "traitlets"},
    "virtual_servers": {"tornado", "jupyter_server", "ipykernel", "ipywidgets", "traitlets"},
}  # fmt: skip


def _modules() -> dict[str, tuple[pathlib.Path, bool]]:
    found = {}
    for path in (ROOT / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()


def _imports(name: str) -> tuple[set[str], set[str]]:
    """(modules of the package, top-level external names) that ``name`` imports."""
    path, is_package = MODULES[name]
    tree = ast.parse(path.read_text(), str(path))
    package = name.split(".") if is_package else name.split(".")[:-1]
    internal: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate.split(".")[0] != PACKAGE:
                external.add(candidate.split(".")[0])
            elif (
                candidate in MODULES
                and candidate != name
                and not name.startswith(candidate + ".")  # own ancestor package
            ):
                internal.add(candidate)
    return internal, external


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(module: str) -> tuple[str, int]:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in {"__main__"}:
        return "<top>", TOP
    sub = parts[1]
    assert sub in LAYERS, f"{module}: add its subpackage {sub!r} to LAYERS in {__file__}"
    return sub, LAYERS[sub]


def test_the_walk_sees_the_package():
    # Guards the test itself: an empty walk would pass everything below.
    assert len(MODULES) > 50
    assert "perspective_nb.engine.view" in GRAPH["perspective_nb.engine.table"][0]
    assert "perspective_nb.client.local" in GRAPH["perspective_nb.server.server"][0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_downward(module):
    sub, rank = _layer(module)
    upward = []
    for target in sorted(GRAPH[module][0]):
        target_sub, target_rank = _layer(target)
        if target_rank > rank:
            upward.append(f"{target} ({target_sub}, layer {target_rank})")
    assert not upward, f"{module} ({sub}, layer {rank}) imports upward: {upward}"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_avoid_forbidden_dependencies(layer):
    offenders = {
        module: sorted(GRAPH[module][1] & FORBIDDEN[layer])
        for module in MODULES
        if _layer(module)[0] == layer and GRAPH[module][1] & FORBIDDEN[layer]
    }
    assert not offenders, f"{layer} must not import {sorted(FORBIDDEN[layer])}: {offenders}"


def test_the_oracle_is_never_imported():
    users = [m for m, (_, external) in GRAPH.items() if "perspective" in external]
    assert not users, f"perspective-python is a test oracle only; imported by {users}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph[node]:
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    cycles = _cycles({name: internal for name, (internal, _) in GRAPH.items()})
    assert not cycles, f"import cycles: {cycles}"


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
