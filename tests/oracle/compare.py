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


# Aggregates whose value over only nulls is null in 5.x (which perspective_nb
# follows) and 0 in perspective-python 3.8.
_SUMS = ("sum", "abs sum", "sum abs", "pct sum parent", "pct sum grand total")


def _null_sum_columns(context: Any) -> dict[str, tuple]:
    """Output columns of a grouped view (``context`` holds its config) that
    aggregate a sum: 3.8's 0 there is 5.x's null."""
    cfg = context if isinstance(context, dict) else None
    if cfg is None and isinstance(context, tuple) and context and isinstance(context[0], dict):
        cfg = context[0]
    if not cfg or not (cfg.get("group_by") or cfg.get("split_by")):
        return {}
    aggs = cfg.get("aggregates") or {}
    out = {}
    for col in cfg.get("columns") or ():
        # Unlisted columns take their type's default: "sum" for numbers.
        agg = aggs.get(col, "sum")
        if agg in _SUMS:
            # 3.8's total row of a percentage of the parent is 100 even then.
            out[col] = (0, 100.0) if agg == "pct sum parent" else (0,)
    return out


def differs_by_null_sums(ours: dict, theirs: dict, context: Any) -> bool:
    """True when ours shows a null sum where 3.8 shows 0 (5.x's rule): its
    sorts, records and JSON then differ from 3.8's by design."""
    sums = _null_sum_columns(context)
    for k, values in ours.items():
        col = k.rsplit("|", 1)[-1]
        if col not in sums or k not in theirs:
            continue
        # Nulls 3.8 does not have (a sort may have moved them to other rows).
        if values.count(None) > list(theirs[k]).count(None):
            return True
    return False


def assert_same_columns(ours: dict, theirs: dict, context: Any = None) -> None:
    a, b = normalized(ours), normalized(theirs)
    sums = _null_sum_columns(context)
    for k in a:
        col = k.rsplit("|", 1)[-1]
        if col in sums and k in b and len(a[k]) == len(b[k]):
            # A sum over only nulls: null (5.x, ours) where 3.8 shows 0.
            a[k] = [
                y if x is None and y in sums[col] and not isinstance(y, bool) else x
                for x, y in zip(a[k], b[k], strict=True)
            ]
    assert list(a) == list(b), f"column order differs for {context}: {list(a)} != {list(b)}"
    for k in a:
        assert a[k] == b[k], f"column {k!r} differs for {context}:\nours   {a[k]}\ntheirs {b[k]}"
