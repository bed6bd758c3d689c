"""Perspective's server/client patterns: perspective_nb against perspective-python 5.6.1.

The scenarios of ``tests/oracle/server_scenarios.py`` run as source in the
5.6.1 interpreter and as functions here; their traces must be equal.
"""

from __future__ import annotations

import inspect
import textwrap

import pytest

import perspective_nb
from tests.oracle.server_scenarios import SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_same_as_perspective_5(oracle5, scenario):
    source = textwrap.dedent(inspect.getsource(scenario))
    theirs = oracle5.code(f"{source}\nresult = {scenario.__name__}(perspective)")
    assert scenario(perspective_nb) == theirs
