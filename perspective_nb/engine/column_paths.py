"""A view's column paths as Perspective 5.x's ``column_paths`` returns them: typed levels.

``column_paths`` was a list of ``"a|b|col"`` strings (Perspective 3.x and
the wire of 5.x up to 5.5); Perspective 5.x now returns an area: one list
per ``split_by`` column holding each output column's split value, typed,
then one list of the columns' own names. A view without ``split_by`` has
the names alone (``[["x", "y"]]``).

Split values are typed as Perspective's wire scalars type them: numbers
as floats, dates and datetimes as epoch milliseconds (floats), booleans as
bools, strings as strings, null as None. They are read back from the
labels the engine names split columns by, so a float split value carries
the six significant digits of its label (Perspective keeps the full
value).

Pure Python over column labels: the loop is per output column, not per row.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = ["column_path_levels"]

_EPOCH = _dt.datetime(1970, 1, 1)


def column_path_levels(
    pairs: list[tuple[tuple[str, ...], str]], split_types: list[str]
) -> list[list[Any]]:
    """The area of ``(split labels, column)`` pairs, split labels typed by ``split_types``."""
    levels: list[list[Any]] = [[] for _ in split_types] + [[]]
    for labels, column in pairs:
        for level, (label, ptype) in enumerate(zip(labels, split_types, strict=True)):
            levels[level].append(_typed(label, ptype))
        levels[-1].append(column)
    return levels


def _typed(label: str, ptype: str) -> Any:
    if label == "null":
        return None
    if ptype in ("integer", "float"):
        return float(label)
    if ptype == "boolean":
        return label == "true"
    if ptype == "date":
        day = _dt.datetime.strptime(label, "%Y-%m-%d")
        return float((day - _EPOCH) // _dt.timedelta(milliseconds=1))
    if ptype == "datetime":
        moment = _dt.datetime.strptime(label, "%Y-%m-%d %H:%M:%S.%f")
        return float((moment - _EPOCH) // _dt.timedelta(milliseconds=1))
    return label
