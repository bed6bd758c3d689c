"""Perspective's server/client patterns, run as the same code on both libraries.

Each scenario takes the library module (``perspective`` or ``perspective_nb``,
which share the API) and returns a trace of what it observed; the traces must
be equal. These are the patterns Perspective documents for custom servers:
``Server(on_poll_request=...)`` with ``poll()``, ``new_session`` wired to a
``Client(handle_request)``, ``Client.from_server``, and the constructors a
user must not call.
"""

from __future__ import annotations

import pytest

import perspective_nb

from .server_scenarios import SCENARIOS

perspective = pytest.importorskip("perspective")

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_same_as_perspective(scenario):
    assert scenario(perspective_nb) == scenario(perspective)


def test_constructor_errors_say_what_to_call():
    with pytest.raises(perspective_nb.ArgumentError, match=r"client\.table\(data\)"):
        perspective_nb.Table()
    with pytest.raises(perspective_nb.ArgumentError, match=r"table\.view\("):
        perspective_nb.View("v")
