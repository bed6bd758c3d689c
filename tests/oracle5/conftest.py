"""The perspective-python 5.6.1 oracle, run in its own interpreter.

perspective-python 5.6.1 and 3.8.0 are both the ``perspective`` package, so
5.6.1 lives in a venv of its own (``scripts/test.sh`` makes ``.venv-oracle5``)
and answers through ``worker.py`` in a long-lived subprocess.

``PERSPECTIVE_NB_ORACLE5_PYTHON`` names its interpreter (default
``<repo>/.venv-oracle5/bin/python``). Without it the tests skip, unless
``PERSPECTIVE_NB_REQUIRE_ORACLE5=1``, when they fail.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

_ROOT = Path(__file__).resolve().parents[2]
_WORKER = Path(__file__).with_name("worker.py")


class OracleError(Exception):
    """perspective-python 5.6.1 raised; ``kind`` is its exception type name."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class Oracle5:
    """A perspective-python 5.6.1 interpreter answering requests (see worker.py)."""

    def __init__(self, python: str, env: dict[str, str] | None = None) -> None:
        self._python = python
        self._env = None if env is None else {**os.environ, **env}
        self._start()

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            [self._python, str(_WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            cwd=str(_ROOT),
            env=self._env,
        )

    def request(self, req: dict[str, Any]) -> Any:
        """Send one request; return its result or raise :class:`OracleError`."""
        body = pickle.dumps(req, protocol=4)
        if self._proc.poll() is not None:
            self._start()  # the last request crashed it
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        self._proc.stdin.write(struct.pack(">Q", len(body)) + body)
        self._proc.stdin.flush()
        head = self._proc.stdout.read(8)
        if len(head) < 8:
            self._proc.wait(timeout=30)
            raise OracleError("Crash", f"perspective-python 5.6.1 exited ({self._proc.returncode})")
        reply = pickle.loads(self._proc.stdout.read(struct.unpack(">Q", head)[0]))
        if "error" in reply:
            raise OracleError(*reply["error"])
        return reply["ok"]

    def run(
        self,
        data: Any,
        *,
        updates: list[Any] = (),
        view: dict[str, Any] | None = None,
        outputs: tuple[str, ...] = ("to_columns",),
        **table: Any,
    ) -> dict[str, Any]:
        """Load ``data``, apply ``updates``, open ``view``; the named outputs."""
        req = {"data": data, "table": table, "updates": list(updates), "outputs": list(outputs)}
        req["view"] = view or {}
        return self.request(req)

    def code(self, source: str, data: Any = None) -> Any:
        """Run ``source`` (with ``perspective``, ``client``, ``data``); its ``result``."""
        return self.request({"code": source, "data": data})

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=30)


def _python() -> str | None:
    path = os.environ.get("PERSPECTIVE_NB_ORACLE5_PYTHON") or str(
        _ROOT / ".venv-oracle5" / "bin" / "python"
    )
    return path if os.access(path, os.X_OK) else None


def _python_or_skip() -> str:
    python = _python()
    if python is None:
        message = (
            "perspective-python 5.6.1 interpreter not found: run scripts/test.sh or set "
            "PERSPECTIVE_NB_ORACLE5_PYTHON"
        )
        if os.environ.get("PERSPECTIVE_NB_REQUIRE_ORACLE5") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return python


@pytest.fixture(scope="session")
def oracle5():
    """perspective-python 5.6.1 in a subprocess (skips, or fails when required, without it)."""
    oracle = Oracle5(_python_or_skip())
    yield oracle
    oracle.close()


@pytest.fixture(scope="session")
def oracle5_in_zone():
    """``zone -> Oracle5``: a 5.6.1 interpreter started with ``TZ=zone`` (one per zone)."""
    python = _python_or_skip()
    started: dict[str, Oracle5] = {}

    def get(zone: str) -> Oracle5:
        if zone not in started:
            started[zone] = Oracle5(python, env={"TZ": zone})
        return started[zone]

    yield get
    for oracle in started.values():
        oracle.close()


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).parent == here:
            item.add_marker(pytest.mark.oracle5)
