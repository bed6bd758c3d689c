"""Fixtures for comparing perspective_nb with perspective-python (the oracle)."""

from __future__ import annotations

import pytest

perspective = pytest.importorskip("perspective")


@pytest.fixture(scope="session")
def oracle_client():
    """A perspective-python local client (the reference implementation)."""
    return perspective.Server().new_local_client()
