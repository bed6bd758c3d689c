"""Import a database backend for a test, or skip (fail when CI requires every backend)."""

from __future__ import annotations

import importlib
import os

import pytest


def require(module: str):
    """Import ``module``, or skip; with ``PERSPECTIVE_NB_REQUIRE_BROWSER=1`` (set by
    scripts/test.sh, as in CI) a missing backend fails the run instead of hiding it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed: pip install perspective_nb[test]"
        if os.environ.get("PERSPECTIVE_NB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
