"""Helpers to compare outputs of perspective_nb with perspective-python."""

from __future__ import annotations

import math
from typing import Any


def _norm(v: Any) -> Any:
    if isinstance(v, float):
        if math.isnan(v):
            return None
        # Sums in a different order differ in the last bits.
        return float(f"{v:.9g}")
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in v.items()}
    return v


def normalized(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Columns with floats rounded to 9 significant digits and NaN as None."""
    return {k: _norm(v) for k, v in columns.items()}


def assert_same_columns(ours: dict, theirs: dict, context: Any = None) -> None:
    a, b = normalized(ours), normalized(theirs)
    assert list(a) == list(b), f"column order differs for {context}: {list(a)} != {list(b)}"
    for k in a:
        assert a[k] == b[k], f"column {k!r} differs for {context}:\nours   {a[k]}\ntheirs {b[k]}"
