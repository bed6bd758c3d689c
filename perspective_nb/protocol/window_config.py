"""Window columns on the wire: ``ViewConfig.windows`` <-> ``view(windows=...)`` dicts.

Perspective 5.x sends ``map<string, WindowSpec> windows = 11``; a cumulative
frame is the ``cumulative`` member of the ``frame`` oneof being set (5.x sets
it to ``false``). The engine validates the decoded dict
(:mod:`perspective_nb.engine.windows`); encoding only refuses what the wire
cannot carry. Imports only the generated messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError
from . import perspective_pb2 as pb

__all__ = ["decode_windows", "encode_windows"]

_DESC = pb.WindowSpec.Order.DESC


def _decode_spec(spec: pb.WindowSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"column": spec.source, "aggregate": spec.op}
    if spec.partition_by:
        out["partition_by"] = list(spec.partition_by)
    if spec.HasField("order_by"):
        direction = "desc" if spec.order_by.direction == _DESC else "asc"
        out["order_by"] = [spec.order_by.column, direction]
    frame = spec.WhichOneof("frame")
    if frame == "cumulative":
        out["cumulative"] = True
    elif frame is not None:
        out[frame] = getattr(spec, frame)
    if spec.HasField("offset"):
        out["offset"] = spec.offset
    if spec.HasField("alpha"):
        out["alpha"] = spec.alpha
    return out


def decode_windows(windows: Mapping[str, pb.WindowSpec]) -> dict[str, dict[str, Any]]:
    """``ViewConfig.windows`` as ``view(windows=...)`` takes it."""
    return {alias: _decode_spec(windows[alias]) for alias in sorted(windows)}


def _uint(alias: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**32:
        raise ConfigError(
            f"window {alias!r}: `{key}` must be a whole number >= 0, got {value!r}; "
            f"e.g. {{'{key}': 10}}"
        )
    return value


def _number(alias: str, key: str, value: Any) -> float:
    if isinstance(value, (bool, str)) or not isinstance(value, (int, float)):
        raise ConfigError(f"window {alias!r}: `{key}` must be a number, got {value!r}")
    return float(value)


def _encode_spec(alias: str, raw: Any, into: pb.WindowSpec) -> None:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"window {alias!r} must be a dict (column, aggregate, ...), got {raw!r}")
    for key, value in raw.items():
        if value is None:
            continue
        if key in ("column", "aggregate"):
            if not isinstance(value, str):
                raise ConfigError(f"window {alias!r}: `{key}` must be a string, got {value!r}")
            setattr(into, "source" if key == "column" else "op", value)
        elif key == "partition_by":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
                raise ConfigError(
                    f"window {alias!r}: `partition_by` is a list of column names, got {value!r}"
                )
            into.partition_by.extend(names)
        elif key == "order_by":
            if (
                not isinstance(value, (list, tuple))
                or len(value) != 2
                or not isinstance(value[0], str)
                or value[1] not in ("asc", "desc")
            ):
                raise ConfigError(
                    f"window {alias!r}: `order_by` is [column, 'asc' | 'desc'], got {value!r}"
                )
            into.order_by.column = value[0]
            into.order_by.direction = _DESC if value[1] == "desc" else pb.WindowSpec.Order.ASC
        elif key == "rows":
            into.rows = _uint(alias, "rows", int(value) if value is True else value)
        elif key == "range":
            into.range = _number(alias, "range", value)
        elif key == "cumulative":
            if value is not True and value != 1:
                raise ConfigError(f"window {alias!r}: `cumulative` must be `true` when present")
            into.cumulative = False  # set, as 5.x sends it: the oneof member marks the frame
        elif key == "offset":
            into.offset = _uint(alias, "offset", value)
        elif key == "alpha":
            into.alpha = _number(alias, "alpha", value)
        else:
            raise ConfigError(
                f"window {alias!r}: unknown field `{key}`, expected one of `column`, "
                "`aggregate`, `partition_by`, `order_by`, `rows`, `range`, `cumulative`, "
                "`offset`, `alpha`"
            )
    given = [k for k in ("rows", "range", "cumulative") if raw.get(k) is not None]
    if len(given) > 1:
        raise ConfigError(
            f"window {alias!r}: `rows`, `range` and `cumulative` are mutually exclusive "
            f"(got {given}); keep one"
        )


def encode_windows(windows: Any, into: pb.ViewConfig) -> None:
    """Fill ``into.windows`` from a ``view(windows=...)`` dict."""
    if not isinstance(windows, Mapping):
        raise ConfigError(
            f"windows is a dict of alias -> window spec, got {type(windows).__name__}"
        )
    for alias, raw in windows.items():
        if not isinstance(alias, str):
            raise ConfigError(f"window aliases are strings, got {alias!r}")
        _encode_spec(alias, raw, into.windows[alias])
