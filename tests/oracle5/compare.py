"""Run the same table, updates and view in perspective_nb and in 5.6.1."""

from __future__ import annotations

from typing import Any

import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import PerspectiveError

from .conftest import Oracle5, OracleError


def ours(
    data: Any,
    *,
    updates: list[Any] = (),
    view: dict[str, Any] | None = None,
    outputs: tuple[str, ...] = ("to_columns",),
    **table: Any,
) -> dict[str, Any]:
    """What perspective_nb answers for the request ``Oracle5.run`` sends."""
    t = Table(data, name="t", **table)
    for upd in updates:
        t.update(upd)
    v = t.view(**(view or {}))
    out = {}
    for name in outputs:
        target = t if name.startswith("table.") else v
        out[name] = getattr(target, name.removeprefix("table."))()
    return out


def assert_same(oracle5: Oracle5, data: Any, **kwargs: Any) -> dict[str, Any]:
    """Both answer, and the same; returns the answer."""
    expected = oracle5.run(data, **kwargs)
    assert ours(data, **kwargs) == expected
    return expected


def assert_both_raise(oracle5: Oracle5, data: Any, **kwargs: Any) -> None:
    """Both refuse the request (ours with a PerspectiveError)."""
    with pytest.raises(OracleError):
        oracle5.run(data, **kwargs)
    with pytest.raises(PerspectiveError):
        ours(data, **kwargs)
