"""Run one function of the library module in perspective_nb and in 5.6.1.

A scenario is a module-level function ``f(lib, arg)`` (``lib`` is
``perspective_nb`` or ``perspective``, which share the API) that imports
what it uses inside and returns plain Python values. Its source is sent to
the 5.6.1 worker and run there with ``arg`` as ``data``; here it runs on
perspective_nb.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any

import perspective_nb

from .conftest import Oracle5

__all__ = ["both", "theirs"]


def theirs(oracle5: Oracle5, scenario: Callable[..., Any], arg: Any = None) -> Any:
    """What ``scenario(perspective, arg)`` returns in the 5.6.1 interpreter."""
    source = textwrap.dedent(inspect.getsource(scenario))
    return oracle5.code(f"{source}\nresult = {scenario.__name__}(perspective, data)", arg)


def both(oracle5: Oracle5, scenario: Callable[..., Any], arg: Any = None) -> tuple[Any, Any]:
    """``(ours, theirs)``: the scenario's result on perspective_nb and on 5.6.1."""
    return scenario(perspective_nb, arg), theirs(oracle5, scenario, arg)
