"""Window columns (Perspective 5.x ``view(windows=...)``): specs and their validation.

A window column is declared per view, keyed by its alias::

    {"alias": {"column": "Sales", "aggregate": "avg", "partition_by": ["Region"],
               "order_by": ["Date", "asc"], "rows": 10}}

This module checks a raw ``windows`` mapping against the table schema and
the view's expression types (with Perspective 5.x's rules and messages) and
returns frozen :class:`WindowSpec` values and their result types. The
computation itself is :mod:`.window_compute`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from .config_shape import MAX_EXPRESSIONS
from .outputs import RESERVED_COLUMN_NAMES

__all__ = [
    "WINDOW_AGGREGATES",
    "WINDOW_FIELDS",
    "WindowSpec",
    "normalize_windows",
    "window_aggregates_by_type",
]

WINDOW_FIELDS = (
    "column",
    "aggregate",
    "partition_by",
    "order_by",
    "rows",
    "range",
    "cumulative",
    "offset",
    "alpha",
)
# In the order Perspective 5.x lists them in its features.
WINDOW_AGGREGATES = (
    "sum",
    "avg",
    "count",
    "min",
    "max",
    "stddev",
    "var",
    "lag",
    "lead",
    "diff",
    "rate",
    "ema",
    "row_number",
)
_NUMERIC_ONLY = frozenset({"sum", "avg", "stddev", "var", "diff", "rate", "ema"})
_FRAMED = frozenset({"sum", "avg", "count", "min", "max", "stddev", "var"})
_OFFSET = frozenset({"lag", "lead", "diff"})
# Declared by Perspective's type definitions but refused by its engine.
_NOT_IMPLEMENTED = frozenset({"first", "last"})
_FLOAT_RESULT = frozenset({"sum", "avg", "stddev", "var", "diff", "rate", "ema"})
_INT_RESULT = frozenset({"count", "row_number"})
_NUMERIC_TYPES = ("integer", "float")
_RANGE_KEY_TYPES = ("integer", "float", "date", "datetime")


@dataclass(frozen=True)
class WindowSpec:
    """One validated window column.

    ``frame`` is ``"rows"``, ``"range"``, ``"cumulative"`` or ``None`` (no
    frame given: framed aggregates then run from the partition start, as
    ``cumulative`` does). ``size`` is the ``rows`` count or ``range`` width.
    """

    column: str
    aggregate: str
    partition_by: tuple[str, ...] = ()
    order_by: tuple[str, str] | None = None
    frame: str | None = None
    size: float | None = None
    offset: int = 1
    alpha: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The spec in the shape ``view(windows=...)`` takes."""
        out: dict[str, Any] = {"column": self.column, "aggregate": self.aggregate}
        if self.partition_by:
            out["partition_by"] = list(self.partition_by)
        if self.order_by is not None:
            out["order_by"] = list(self.order_by)
        if self.frame == "cumulative":
            out["cumulative"] = True
        elif self.frame is not None:
            out[self.frame] = self.size
        if self.aggregate in _OFFSET and self.offset != 1:
            out["offset"] = self.offset
        if self.alpha is not None:
            out["alpha"] = self.alpha
        return out


def window_aggregates_by_type() -> dict[str, list[tuple[str, tuple[str, ...], bool, bool, str]]]:
    """Per Perspective type: ``(aggregate, frames, takes offset, takes alpha, result type)``.

    What ``get_features`` advertises (result type ``""`` means the input's).
    """
    out: dict[str, list[tuple[str, tuple[str, ...], bool, bool, str]]] = {}
    for ptype in ("string", "date", "datetime", "integer", "float", "boolean"):
        rows = []
        for agg in WINDOW_AGGREGATES:
            if agg in _NUMERIC_ONLY and ptype not in _NUMERIC_TYPES:
                continue
            frames: tuple[str, ...] = ()
            if agg in _FRAMED:
                frames = ("rows", "range", "cumulative")
            elif agg == "rate":
                frames = ("range",)
            result = "float" if agg in _FLOAT_RESULT else "integer" if agg in _INT_RESULT else ""
            rows.append((agg, frames, agg in ("lag", "lead", "diff"), agg == "ema", result))
        out[ptype] = rows
    return out


def _fail(message: str) -> ConfigError:
    return ConfigError(message)


def _int_field(alias: str, key: str, value: Any) -> int:
    if isinstance(value, float) or not isinstance(value, int):
        raise _fail(
            f"window {alias!r}: `{key}` must be a whole number, got {value!r}; e.g. {{'{key}': 10}}"
        )
    if value < 0:
        raise _fail(f"window {alias!r}: `{key}` must not be negative, got {value!r}")
    return int(value)


def _names(alias: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _fail(f"window {alias!r}: `{key}` is a list of column names, got {value!r}")
    return tuple(value)


def _order_by(alias: str, value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not isinstance(value[0], str)
        or value[1] not in ("asc", "desc")
    ):
        raise _fail(
            f"window {alias!r}: `order_by` is [column, 'asc' | 'desc'], got {value!r}; "
            "e.g. ['Date', 'asc']"
        )
    return (value[0], value[1])


def _frame(alias: str, raw: dict[str, Any]) -> tuple[str | None, float | None]:
    given = [k for k in ("rows", "range", "cumulative") if raw.get(k) is not None]
    if len(given) > 1:
        raise _fail(
            f"window {alias!r}: `rows`, `range` and `cumulative` are mutually exclusive "
            f"(got {given}); keep one"
        )
    if not given:
        return None, None
    kind = given[0]
    value = raw[kind]
    if kind == "cumulative":
        if value is not True and value != 1:
            raise _fail(f"window {alias!r}: `cumulative` must be `true` when present")
        return "cumulative", None
    if kind == "rows":
        return "rows", _int_field(alias, "rows", value)
    if isinstance(value, str) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(f"window {alias!r}: `range` must be a number, got {value!r}")
    if value <= 0:
        raise _fail(f"window {alias!r}: Window `range` must be a positive interval, got {value!r}")
    return "range", float(value)


def _spec(alias: str, raw: Any, schema: dict[str, str], table_schema: dict[str, str]) -> WindowSpec:
    if not isinstance(raw, dict):
        raise _fail(f"window {alias!r} must be a dict of {list(WINDOW_FIELDS)}, got {raw!r}")
    unknown = [k for k in raw if k not in WINDOW_FIELDS]
    if unknown:
        raise _fail(
            f"window {alias!r}: unknown field `{unknown[0]}`, expected one of "
            + ", ".join(f"`{f}`" for f in WINDOW_FIELDS)
        )
    for key in ("column", "aggregate"):
        if raw.get(key) is None:
            raise _fail(f"window {alias!r}: missing field `{key}`")
    column, agg = raw["column"], raw["aggregate"]
    if agg in _NOT_IMPLEMENTED:
        raise _fail(f"window {alias!r}: Window op/frame combination not implemented ({agg!r})")
    if agg not in WINDOW_AGGREGATES:
        raise _fail(
            f"window {alias!r}: Window `op` not implemented in this build: {agg}; "
            f"use one of {list(WINDOW_AGGREGATES)}"
        )
    if not isinstance(column, str) or column not in schema:
        raise _fail(
            f"window {alias!r}: Window `source` column not found: {column}; "
            f"available columns are {list(schema)}"
        )
    partition_by = _names(alias, "partition_by", raw.get("partition_by"))
    for c in partition_by:
        if c not in table_schema:
            raise _fail(f"window {alias!r}: Window `partition_by` must be a `Table` column: {c}")
    order_by = _order_by(alias, raw.get("order_by"))
    if order_by is not None and order_by[0] not in table_schema:
        raise _fail(f"window {alias!r}: Window `order_by` must be a `Table` column: {order_by[0]}")
    frame, size = _frame(alias, raw)
    offset = 1 if raw.get("offset") is None else _int_field(alias, "offset", raw["offset"])
    alpha = raw.get("alpha")
    if agg in _NUMERIC_ONLY and schema[column] not in _NUMERIC_TYPES:
        raise _fail(
            f"window {alias!r}: Window op requires a numeric `source` column: {column} "
            f"({schema[column]}); {agg!r} takes integer or float columns"
        )
    if agg in _OFFSET and frame is not None:
        raise _fail(
            f"window {alias!r}: Window `frame` is not applicable to `lag`/`lead`/`diff` "
            "(use `offset`)"
        )
    if agg == "ema" and frame in ("rows", "range"):
        raise _fail(
            f"window {alias!r}: Window `ema` is cumulative; it does not accept a `rows` or "
            "`range` frame"
        )
    if agg == "row_number" and frame in ("rows", "range"):
        raise _fail(
            f"window {alias!r}: Window `row_number` is positional; it does not accept a "
            "`rows` or `range` frame"
        )
    if agg == "rate" and frame != "range":
        raise _fail(f"window {alias!r}: Window `rate` requires a `range` frame")
    if frame == "range":
        if order_by is None:
            raise _fail(f"window {alias!r}: Window `range` frames require an explicit `order_by`")
        if table_schema[order_by[0]] not in _RANGE_KEY_TYPES:
            raise _fail(
                f"window {alias!r}: Window `range` frames require a numeric or temporal "
                f"`order_by` column: {order_by[0]}"
            )
    if agg == "ema":
        if (
            isinstance(alpha, (bool, str))
            or not isinstance(alpha, (int, float))
            or not 0 < alpha <= 1
        ):
            raise _fail(f"window {alias!r}: Window `ema` requires `alpha` in (0, 1], got {alpha!r}")
        alpha = float(alpha)
    elif alpha is not None and (
        isinstance(alpha, (bool, str)) or not isinstance(alpha, (int, float))
    ):
        raise _fail(f"window {alias!r}: `alpha` must be a number, got {alpha!r}")
    return WindowSpec(
        column=column,
        aggregate=agg,
        partition_by=partition_by,
        order_by=order_by,
        frame=frame,
        size=size,
        offset=offset,
        alpha=None if alpha is None else float(alpha),
    )


def normalize_windows(
    windows: Any, table_schema: dict[str, str], expression_types: dict[str, str]
) -> tuple[dict[str, WindowSpec], dict[str, str]]:
    """Validate ``view(windows=...)``; return the specs and their result types.

    Windows come back ordered by alias (as Perspective 5.x lists them).
    Inputs may be table columns or the view's expression aliases;
    ``partition_by`` and ``order_by`` take table columns only (as in 5.x).

    Raises
    ------
    ConfigError
        Naming the window and the bad field.
    """
    if windows is None:
        return {}, {}
    if not isinstance(windows, dict):
        raise _fail(
            f"windows is a dict of alias -> window spec, got {type(windows).__name__}; "
            "e.g. {'avg x': {'column': 'x', 'aggregate': 'avg', 'rows': 10}}"
        )
    if len(windows) > MAX_EXPRESSIONS:
        raise _fail(
            f"a view takes at most {MAX_EXPRESSIONS} windows, got {len(windows)}; "
            "open several views"
        )
    for alias in windows:
        if not isinstance(alias, str) or not alias:
            raise _fail("Window `name` must not be empty; give each window a non-empty alias")
        if alias in RESERVED_COLUMN_NAMES:
            raise _fail(
                f"window name {alias!r} is reserved for the row paths / keys of the outputs; "
                "give the window another name"
            )
    schema = {**table_schema, **expression_types}
    specs: dict[str, WindowSpec] = {}
    types: dict[str, str] = {}
    for alias in sorted(windows):
        if alias in schema:
            raise _fail(
                f"Window `name` collides with an existing column: {alias}; rename the window"
            )
        spec = _spec(alias, windows[alias], schema, table_schema)
        specs[alias] = spec
        if spec.aggregate in _FLOAT_RESULT:
            types[alias] = "float"
        elif spec.aggregate in _INT_RESULT:
            types[alias] = "integer"
        else:
            types[alias] = schema[spec.column]
    return specs, types
