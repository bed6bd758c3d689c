"""Checks of API arguments (names, limits, ports, windows, ids, keys, callbacks).

Each ``check_*`` function takes the value a caller passed and either
returns it (normalised) or raises :class:`~perspective_nb.errors.ArgumentError`
naming the value and the fix, so a bad argument never surfaces as a bare
``TypeError`` / ``ValueError`` / ``OverflowError`` from protobuf, numpy or
Arrow. The client proxies call them before building a request and the
request handlers call the ones that apply to values arriving over the wire.

Integers that travel as protobuf ``uint32`` must fit in 0 .. ``UINT32_MAX``.
Window bounds (``start_row``, ``end_row``, ``start_col``, ``end_col``) and
``set_depth`` mean "up to": a bound past the end is clamped, as Perspective
clamps an ``end_row`` past the last row.

Pure Python and pyarrow; no I/O, must not import the server layers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from typing import Any

import pyarrow as pa

from ..errors import ArgumentError, UpdateError

__all__ = [
    "UINT32_MAX",
    "check_callback",
    "check_callback_id",
    "check_column_name",
    "check_depth",
    "check_index",
    "check_keys_argument",
    "check_limit",
    "check_port_id",
    "check_remove_keys",
    "check_row_index",
    "check_table_name",
    "check_window_bound",
]

#: Largest value of the protocol's unsigned 32-bit fields.
UINT32_MAX = 2**32 - 1


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _what(value: Any) -> str:
    return f"{type(value).__name__} {_show(value)}"


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def check_table_name(name: Any) -> str:
    """A table name: a non-empty string."""
    if not isinstance(name, str) or not name:
        raise ArgumentError(
            f'a table name must be a non-empty string, got {_what(name)}; pass e.g. name="sales"'
        )
    return name


def check_index(index: Any) -> str | None:
    """An index column name, or None."""
    if index is not None and not isinstance(index, str):
        raise ArgumentError(
            f"index must be the name of a column (a string), got {_what(index)}; "
            'pass e.g. index="id"'
        )
    return index


def check_limit(limit: Any) -> int | None:
    """A row limit: a whole number from 1 to ``UINT32_MAX``, or None."""
    if limit is None:
        return None
    if not _is_int(limit) or not 1 <= limit <= UINT32_MAX:
        raise ArgumentError(
            f"limit must be a whole number of rows from 1 to {UINT32_MAX:,}, got "
            f"{_what(limit)}; pass e.g. limit=1000, or no limit"
        )
    return int(limit)


def check_thread_count(count: Any) -> int:
    """A number of threads: a whole number from 1 to 1024."""
    if not _is_int(count) or not 1 <= count <= 1024:
        raise ArgumentError(
            f"the thread count must be a whole number from 1 to 1024, got {_what(count)}; "
            "pass e.g. set_num_cpus(4)"
        )
    return int(count)


def _check_uint32(key: str, value: Any, fix: str) -> int:
    if not _is_int(value) or not 0 <= value <= UINT32_MAX:
        raise ArgumentError(
            f"{key} must be a whole number from 0 to {UINT32_MAX:,}, got {_what(value)}; {fix}"
        )
    return int(value)


def check_port_id(port_id: Any) -> int:
    """A port id (from ``make_port``); None means port 0."""
    if port_id is None:
        return 0
    return _check_uint32("port_id", port_id, "pass an id returned by table.make_port()")


def check_row_index(row_index: Any) -> int:
    """The row index of ``expand`` / ``collapse``."""
    return _check_uint32("row_index", row_index, "pass the index of a group row of the view")


def check_callback_id(callback_id: Any) -> int:
    """An id returned by ``on_update`` / ``on_delete`` / ``on_hosted_tables_update``."""
    return _check_uint32(
        "callback id", callback_id, "pass the id the on_update / on_delete call returned"
    )


def _bounded(key: str, value: Any, fix: str) -> int:
    """A whole number clamped to 0 .. ``UINT32_MAX`` ("up to" semantics)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ArgumentError(f"{key} must be a number, got {_what(value)}; {fix}")
    if isinstance(value, float) and math.isnan(value):
        raise ArgumentError(f"{key} must be a number, got nan; {fix}")
    if value <= 0:
        return 0
    if value >= UINT32_MAX:
        return UINT32_MAX
    return int(value)


def check_window_bound(key: str, value: Any) -> int | None:
    """A viewport bound (``start_row`` ...): None, or a number clamped to the protocol's range.

    A fractional start is floored and a fractional end ceiled, so the window
    covers every row it touches (``start_row=0.5, end_row=2.5`` is rows 0-2),
    as Perspective reads viewports.
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isfinite(value):
        value = math.ceil(value) if key.startswith("end") else math.floor(value)
    return _bounded(key, value, f"pass e.g. {key}=100")


def check_depth(depth: Any) -> int:
    """The depth of ``set_depth``: a non-negative number (deeper than the view means all)."""
    if _is_int(depth) and depth < 0:
        raise ArgumentError(f"depth must be 0 or more, got {depth}; pass e.g. set_depth(1)")
    return _bounded("depth", depth, "pass e.g. set_depth(1)")


def check_column_name(key: str, name: Any) -> str:
    """A column name argument (e.g. of ``get_min_max``)."""
    if not isinstance(name, str):
        raise ArgumentError(
            f'{key} takes a column name (a string), got {_what(name)}; pass e.g. {key}("price")'
        )
    return name


def check_callback(callback: Any, method: str) -> Callable[..., Any]:
    """A callback passed to ``on_update`` / ``on_delete`` / ``on_hosted_tables_update``."""
    if not callable(callback):
        raise ArgumentError(
            f"{method} takes a function to call, got {_what(callback)}; "
            f"pass e.g. {method}(lambda *args: print(args))"
        )
    return callback


def check_keys_argument(keys: Any) -> Any:
    """The ``keys`` of ``table.remove``: a list (or array) of keys, not a scalar or None."""
    if keys is None or isinstance(keys, (str, bytes, dict)) or not isinstance(keys, Iterable):
        raise ArgumentError(
            f"remove takes a list of keys, got {_what(keys)}; pass e.g. remove([1, 2]) "
            "(primary keys of an indexed table, row numbers otherwise)"
        )
    return keys


def _first(keys: list[Any], bad: Callable[[Any], bool]) -> Any:
    # Error path only: find the value to name in the message.
    return next((k for k in keys if bad(k)), keys[0] if keys else None)


def check_remove_keys(keys: list[Any], index: str | None) -> None:
    """Keys a ``remove`` may take: flat scalars; row numbers when there is no index.

    One vectorised conversion checks them all; the per-key search runs only
    to name a bad key in the error.

    Raises
    ------
    UpdateError
        Naming the first bad key and the fix (the table is unchanged).
        Keys that do not convert to the index's type are the table's to
        report.
    """
    try:
        arr = pa.array(keys, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError) as exc:

        def unusual(k: Any) -> bool:
            return isinstance(k, (list, tuple, dict)) or (_is_int(k) and abs(k) >= 2**63)

        raise UpdateError(
            f"cannot read the keys to remove: {_show(_first(keys, unusual))} ({exc}); "
            "pass a flat list of keys, integers within 64 bits"
        ) from exc
    if pa.types.is_nested(arr.type):
        raise UpdateError(
            f"keys to remove must be single values, got "
            f"{_show(_first(keys, lambda k: isinstance(k, (list, tuple, dict))))}; "
            "pass a flat list such as [1, 2]"
        )
    if index is None and arr.null_count:
        raise UpdateError(
            "this table has no index, so remove takes row numbers, got a null among "
            f"{_show(keys)}; drop the nulls"
        )
    if index is None and not (pa.types.is_integer(arr.type) or pa.types.is_null(arr.type)):
        raise UpdateError(
            f"this table has no index, so remove takes row numbers (integers), got "
            f"{_show(_first(keys, lambda k: not _is_int(k)))}; pass row numbers, or create "
            "the table with index=<column> to remove by key"
        )
