"""Convert between the wire's ``ViewConfig`` message and the engine's config dict.

The engine takes (and ``View.get_config`` returns) perspective-python's
config shape::

    {"columns": [...], "group_by": [...], "split_by": [...],
     "aggregates": {"col": "sum" | ["weighted mean", ["w"]]},
     "sort": [["col", "desc"]], "filter": [["col", ">", 1.0]],
     "filter_op": "and", "expressions": {"alias": "expr"},
     "group_by_depth": 1, "group_rollup_mode": "rollup",
     "split_rollup_mode": "flat", "windows": {"alias": {"column": ..., ...}}}

Keys absent from the message stay absent from the dict, so the engine
applies its own defaults. Imports only the generated messages; never the
server or jupyter layers.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ..engine.expressions import normalize_expressions
from ..errors import ConfigError
from . import perspective_pb2 as pb
from .window_config import decode_windows, encode_windows

__all__ = [
    "SORT_OPS",
    "decode_scalar",
    "decode_view_config",
    "encode_scalar",
    "encode_view_config",
]

SORT_OPS = {
    "none": pb.SORT_NONE,
    "asc": pb.SORT_ASC,
    "desc": pb.SORT_DESC,
    "col asc": pb.SORT_COL_ASC,
    "col desc": pb.SORT_COL_DESC,
    "asc abs": pb.SORT_ASC_ABS,
    "desc abs": pb.SORT_DESC_ABS,
    "col asc abs": pb.SORT_COL_ASC_ABS,
    "col desc abs": pb.SORT_COL_DESC_ABS,
}
_SORT_NAMES = {value: name for name, value in SORT_OPS.items()}

_ROLLUP_MODES = {"rollup": pb.ROLLUP, "flat": pb.FLAT, "total": pb.TOTAL}
_ROLLUP_NAMES = {value: name for name, value in _ROLLUP_MODES.items()}
_SPLIT_MODES = {"flat": pb.SPLIT_FLAT, "rollup": pb.SPLIT_ROLLUP}
_SPLIT_NAMES = {value: name for name, value in _SPLIT_MODES.items()}

# Filter ops whose value is always a list, even when the client sent one.
_LIST_OPS = frozenset({"in", "not in"})


def decode_scalar(scalar: pb.Scalar) -> Any:
    """Return the Python value of a ``Scalar`` (bool, float, str or None)."""
    kind = scalar.WhichOneof("scalar")
    if kind is None or kind == "null":
        return None
    return getattr(scalar, kind)


def encode_scalar(value: Any, into: pb.Scalar) -> pb.Scalar:
    """Fill a ``Scalar`` from a Python value.

    Numbers travel as doubles (the wire has no integer scalar); dates and
    datetimes as ISO strings, which the engine parses back for date columns.
    """
    if value is None:
        into.null = 0
    elif isinstance(value, bool):
        into.bool = value
    elif isinstance(value, (int, float)):
        into.float = float(value)
    elif isinstance(value, (_dt.date, _dt.datetime)):
        into.string = value.isoformat()
    elif isinstance(value, str):
        into.string = value
    else:
        # numpy / pandas scalars: fall back on their Python equivalents.
        item = getattr(value, "item", None)
        if item is None:
            raise ConfigError(
                f"filter value {value!r} ({type(value).__name__}) cannot be sent; "
                "use a bool, number, string, date or None"
            )
        encode_scalar(item(), into)
    return into


def _decode_filter(message: pb.ViewConfig.Filter) -> list[Any]:
    values = [decode_scalar(v) for v in message.value]
    term: list[Any] = [message.column, message.op]
    if message.op in _LIST_OPS:
        term.append(values)
    elif len(values) == 1:
        term.append(values[0])
    elif len(values) > 1:
        term.append(values)
    return term


def _decode_aggregate(message: pb.ViewConfig.AggList) -> str | list[Any]:
    names = list(message.aggregations)
    if len(names) == 1:
        return names[0]
    if not names:
        raise ConfigError("an aggregate entry on the wire is empty; name an aggregate")
    # perspective-python's shape for aggregates with arguments.
    return [names[0], names[1:]]


def decode_view_config(message: pb.ViewConfig) -> dict[str, Any]:
    """Turn a ``ViewConfig`` message into the engine's config dict.

    >>> cfg = pb.ViewConfig(group_by=["a"])
    >>> decode_view_config(cfg)["group_by"]
    ['a']
    """
    config: dict[str, Any] = {
        "group_by": list(message.group_by),
        "split_by": list(message.split_by),
        "aggregates": {k: _decode_aggregate(v) for k, v in message.aggregates.items()},
        "sort": [[s.column, _SORT_NAMES.get(s.op, "none")] for s in message.sort],
        "filter": [_decode_filter(f) for f in message.filter],
        "filter_op": "or" if message.filter_op == pb.ViewConfig.OR else "and",
        "expressions": dict(message.expressions),
    }
    if message.HasField("columns") and message.columns.WhichOneof("opt_columns") == "columns":
        config["columns"] = list(message.columns.columns.columns)
    if message.HasField("group_by_depth"):
        config["group_by_depth"] = message.group_by_depth
    if message.HasField("group_rollup_mode"):
        config["group_rollup_mode"] = _ROLLUP_NAMES.get(message.group_rollup_mode, "rollup")
    if message.HasField("split_rollup_mode"):
        config["split_rollup_mode"] = _SPLIT_NAMES.get(message.split_rollup_mode, "flat")
    if message.windows:
        config["windows"] = decode_windows(message.windows)
    return config


def _flatten_aggregate(name: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        flat = [value[0]]
        for arg in value[1:]:
            if isinstance(arg, (list, tuple)):
                flat.extend(str(a) for a in arg)
            else:
                flat.append(str(arg))
        return flat
    raise ConfigError(
        f"aggregate {value!r} for column {name!r} is not a name or [name, args]; "
        'use e.g. "sum" or ["weighted mean", ["weight"]]'
    )


def _encode_sort(term: Any, into: pb.ViewConfig) -> None:
    if not isinstance(term, (list, tuple)) or len(term) != 2:
        raise ConfigError(
            f'sort {term!r} must be [column, direction]; write e.g. sort=[["price", "desc"]]'
        )
    column, direction = term
    try:
        op = SORT_OPS[direction]
    except (KeyError, TypeError):
        raise ConfigError(
            f"unknown sort direction {direction!r} for column {column!r}; "
            f"use one of {', '.join(SORT_OPS)}"
        ) from None
    into.sort.add(column=column, op=op)


def _encode_filter(term: Any, into: pb.ViewConfig) -> None:
    if not isinstance(term, (list, tuple)) or len(term) < 2:
        raise ConfigError(f"filter {term!r} must be [column, op] or [column, op, value]")
    if len(term) < 3 and term[1] not in ("is null", "is not null"):
        raise ConfigError(
            f"filter {term!r} compares with a value but gives none; "
            f"write e.g. [{term[0]!r}, {term[1]!r}, 10]"
        )
    message = into.filter.add(column=term[0], op=term[1])
    if len(term) < 3:
        return
    value = term[2]
    values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    for item in values:
        encode_scalar(item, message.value.add())


def _encode_names(key: str, value: Any, into: pb.ViewConfig) -> None:
    # A bare string is refused rather than spread into one-character names
    # (which is how perspective-python reads it).
    if isinstance(value, str):
        raise ConfigError(
            f"{key} must be a list of column names, got the string {value!r}; "
            f"write {key}=[{value!r}]"
        )
    names = value
    if not isinstance(names, (list, tuple)):
        raise ConfigError(
            f"{key} must be a list of column names, got {type(value).__name__} {value!r}; "
            f'write e.g. {key}=["region"]'
        )
    for name in names:
        if name is None and key == "columns":
            continue  # an empty column slot
        if not isinstance(name, str):
            raise ConfigError(
                f"{key} entries must be column names (strings), got "
                f'{type(name).__name__} {name!r}; write e.g. {key}=["region"]'
            )
    target = into.columns.columns.columns if key == "columns" else getattr(into, key)
    target.extend(name for name in names if name is not None)


def encode_view_config(config: Mapping[str, Any]) -> pb.ViewConfig:
    """Turn an engine config dict into a ``ViewConfig`` message.

    Unknown keys raise :class:`~perspective_nb.errors.ConfigError` so a typo
    never silently yields a different view.

    >>> encode_view_config({"group_by": ["a"], "sort": [["b", "desc"]]}).sort[0].op == pb.SORT_DESC
    True
    """
    message = pb.ViewConfig()
    for key, value in config.items():
        if value is None:
            continue
        if key in ("group_by", "split_by", "columns"):
            _encode_names(key, value, message)
        elif key == "aggregates":
            for column, agg in value.items():
                message.aggregates[column].aggregations.extend(_flatten_aggregate(column, agg))
        elif key == "sort":
            for term in value:
                _encode_sort(term, message)
        elif key == "filter":
            for term in value:
                _encode_filter(term, message)
        elif key == "filter_op":
            if value not in ("and", "or"):
                raise ConfigError(f"filter_op must be 'and' or 'or', got {value!r}")
            is_or = value == "or"
            message.filter_op = pb.ViewConfig.OR if is_or else pb.ViewConfig.AND
        elif key == "expressions":
            message.expressions.update(normalize_expressions(value))
        elif key == "group_by_depth":
            message.group_by_depth = value  # check_config_shape checked its range
        elif key == "group_rollup_mode":
            try:
                message.group_rollup_mode = _ROLLUP_MODES[str(value).lower()]
            except KeyError:
                raise ConfigError(
                    f"unknown group_rollup_mode {value!r}; use rollup, flat or total"
                ) from None
        elif key == "split_rollup_mode":
            try:
                message.split_rollup_mode = _SPLIT_MODES[str(value).lower()]
            except KeyError:
                raise ConfigError(
                    f"unknown split_rollup_mode {value!r}; use flat or rollup"
                ) from None
        elif key == "windows":
            encode_windows(value, message)
        else:
            raise ConfigError(
                f"unknown view config key {key!r}; expected columns, group_by, split_by, "
                "aggregates, sort, filter, filter_op, expressions, group_by_depth, "
                "group_rollup_mode, split_rollup_mode or windows"
            )
    return message
