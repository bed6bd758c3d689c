"""What users install never includes a test oracle.

perspective-python is a test oracle only. The runtime dependencies and
every extra but ``test`` (what ``pip install perspective_nb[...]`` and
``scripts/demo.sh`` install) must not pull it in, and the demo must run in
a virtualenv of its own, not the test suite's ``.venv``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
ORACLES = {"perspective-python"}
TEST_EXTRAS = {"test"}


def _name(requirement: str) -> str:
    # PEP 503 normalised distribution name of a requirement string.
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def _extras(requirement: str) -> list[str]:
    match = re.match(r"\s*[A-Za-z0-9._-]+\s*\[([^\]]*)\]", requirement)
    return [e.strip() for e in match.group(1).split(",")] if match else []


def _install_set(extras: list[str]) -> set[str]:
    """Names ``pip install perspective_nb[extras]`` asks for, self-references expanded."""
    own = _name(PROJECT["name"])
    names: set[str] = set()
    pending, seen = list(extras), set()
    requirements = list(PROJECT["dependencies"])
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        requirements += PROJECT["optional-dependencies"][extra]
    for requirement in requirements:
        if _name(requirement) == own:
            names |= _install_set([e for e in _extras(requirement) if e not in seen])
        else:
            names.add(_name(requirement))
    return names


def test_runtime_and_user_extras_exclude_the_oracle() -> None:
    user_extras = set(PROJECT["optional-dependencies"]) - TEST_EXTRAS
    assert "demo" in user_extras
    for extra in sorted(user_extras):
        assert not _install_set([extra]) & ORACLES, f"extra {extra!r} installs an oracle"
    assert not _install_set([]) & ORACLES


def test_demo_extra_has_what_the_demo_runs() -> None:
    assert {"jupyterlab", "jupyter-server", "ipywidgets", "pandas"} <= _install_set(["demo"])


def test_the_test_extra_is_where_the_oracle_lives() -> None:
    # Guards the checks above against a renamed oracle or extra.
    assert _install_set(["test"]) >= ORACLES


def test_demo_script_installs_only_user_extras_in_its_own_venv() -> None:
    script = (ROOT / "scripts" / "demo.sh").read_text()
    installs = [line for line in script.splitlines() if re.search(r"pip install .*\.\[", line)]
    assert installs, "demo.sh installs no extras of the project"
    for line in installs:
        for group in re.findall(r"\.\[([^\]]*)\]", line):
            extras = {e.strip() for e in group.split(",")}
            assert extras <= set(PROJECT["optional-dependencies"]) - TEST_EXTRAS, line
    # Its virtualenv is not the test suite's .venv.
    venv = re.search(r"^VENV=(\S+)$", script, re.MULTILINE)
    assert venv is not None, "demo.sh names its virtualenv in VENV="
    assert venv.group(1) not in {".venv", ".venv/"}
    assert not re.search(r"(?<![\w-])\.venv/", script), "demo.sh uses the tests' .venv"
    assert f"{venv.group(1)}/" in (ROOT / ".gitignore").read_text().splitlines()
