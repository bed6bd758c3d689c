"""Which column names a table accepts: no repeats, none the outputs reserve."""

from __future__ import annotations

from ..errors import SchemaError
from .outputs import RESERVED_COLUMN_NAMES

__all__ = ["check_column_names"]


def check_column_names(names: list[str], reserved: bool = True) -> None:
    """Refuse repeated column names and (for a new table) names the outputs reserve.

    A repeated CSV header or Arrow field would otherwise keep one of the
    columns and drop the other silently.

    Raises
    ------
    SchemaError
        Naming the column and the fix.
    """
    if len(set(names)) != len(names):
        seen: set[str] = set()
        twice = next(n for n in names if n in seen or seen.add(n))
        raise SchemaError(
            f"column {twice!r} appears more than once in the data (a repeated CSV header, "
            "Arrow field or DataFrame column); rename the copies so each name is unique"
        )
    if reserved:
        for name in names:
            if name in RESERVED_COLUMN_NAMES:
                raise SchemaError(
                    f"column name {name!r} is reserved: the outputs use it for row paths and "
                    f"keys; rename the column (e.g. {name.strip('_')!r})"
                )
