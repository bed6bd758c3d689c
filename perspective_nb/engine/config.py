"""View configuration: validation and normalisation into a frozen dataclass.

A user's ``table.view(**config)`` keywords become one :class:`ViewConfig`,
checked against the table schema (plus expression columns) and the
feature tables in :mod:`.features`. Everything downstream (filter, pivot,
sort, outputs) reads only the normalised form.

The shape and size of the raw keywords are checked first, by
:func:`.config_shape.check_config_shape`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from .config_shape import as_names, check_config_shape, short_repr
from .features import (
    AGGREGATE_ALIASES,
    AGGREGATES_BY_TYPE,
    AGGREGATES_WITH_ARG,
    DEFAULT_AGGREGATE,
    FILTER_OPS_BY_TYPE,
    GROUP_ROLLUP_MODES,
    SORT_DIRECTIONS,
    SPLIT_ROLLUP_MODES,
)
from .outputs import RESERVED_COLUMN_NAMES
from .windows import WindowSpec

__all__ = ["VIEW_CONFIG_KEYS", "ViewConfig", "check_config_shape", "normalize_config"]

VIEW_CONFIG_KEYS = (
    "columns",
    "group_by",
    "split_by",
    "aggregates",
    "sort",
    "filter",
    "filter_op",
    "expressions",
    "group_by_depth",
    "group_rollup_mode",
    "split_rollup_mode",
    "windows",
)

_VALUELESS_OPS = ("is null", "is not null")
_LIST_OPS = ("in", "not in")


@dataclass(frozen=True)
class ViewConfig:
    """A validated view configuration (what a View computes)."""

    columns: tuple[str, ...]
    group_by: tuple[str, ...] = ()
    split_by: tuple[str, ...] = ()
    aggregates: tuple[tuple[str, Any], ...] = ()
    sort: tuple[tuple[str, str], ...] = ()
    filter: tuple[tuple[str, str, Any], ...] = ()
    filter_op: str = "and"
    expressions: tuple[tuple[str, str], ...] = ()
    group_by_depth: int | None = None
    group_rollup_mode: str = "rollup"
    split_rollup_mode: str = "flat"
    user_aggregates: tuple[tuple[str, Any], ...] = field(default=(), compare=False)
    windows: tuple[tuple[str, WindowSpec], ...] = ()
    #: (column, argument column) of aggregates that read a second column
    aggregate_args: tuple[tuple[str, str], ...] = ()

    @property
    def aggregate_map(self) -> dict[str, Any]:
        return dict(self.aggregates)

    @property
    def aggregate_arg_map(self) -> dict[str, str]:
        return dict(self.aggregate_args)

    @property
    def is_pivoted(self) -> bool:
        return bool(self.group_by) and self.group_rollup_mode != "flat"

    def to_dict(self) -> dict[str, Any]:
        """The config as Perspective 5.x's ``view.get_config()`` reports it.

        ``filter_op`` and ``group_by_depth`` appear when set; both rollup
        modes always.
        """
        out: dict[str, Any] = {
            "group_by": list(self.group_by),
            "split_by": list(self.split_by),
            "sort": [list(s) for s in self.sort],
            "filter": [
                list(f) if f[1] not in _VALUELESS_OPS else [f[0], f[1]] for f in self.filter
            ],
            "group_rollup_mode": self.group_rollup_mode,
            "split_rollup_mode": self.split_rollup_mode,
            "expressions": dict(self.expressions),
            "columns": list(self.columns),
            "aggregates": dict(self.user_aggregates),
        }
        if self.filter_op != "and":
            out["filter_op"] = self.filter_op
        if self.group_by_depth is not None:
            out["group_by_depth"] = self.group_by_depth
        if self.windows:
            out["windows"] = {alias: spec.to_dict() for alias, spec in self.windows}
        return out


def _check_column(name: Any, schema: dict[str, str], key: str) -> None:
    if not isinstance(name, str):
        raise ConfigError(
            f"{key} names columns by string, got {type(name).__name__} {short_repr(name)}; "
            f"available columns are {list(schema)[:20]}"
        )
    if name not in schema:
        raise ConfigError(
            f"{key} names unknown column {name!r}; available columns are {list(schema)}"
        )


def _check_reserved_names(expressions: dict[str, str]) -> None:
    """Refuse expression names the JSON outputs would overwrite (never lose a column)."""
    for alias in expressions:
        if alias in RESERVED_COLUMN_NAMES:
            raise ConfigError(
                f"expression name {alias!r} is reserved for the row paths / keys of the "
                "outputs; give the expression another name"
            )


def normalize_config(
    config: dict[str, Any],
    table_schema: dict[str, str],
    expressions: dict[str, str],
    expression_types: dict[str, str],
    windows: dict[str, WindowSpec] | None = None,
    window_types: dict[str, str] | None = None,
) -> ViewConfig:
    """Validate a user config against a schema and return a :class:`ViewConfig`.

    Parameters
    ----------
    config
        ``table.view(**config)`` keywords.
    table_schema
        The table's ``{column: type}``.
    expressions
        Normalised expressions (alias -> text).
    expression_types
        Type of each expression alias.
    windows, window_types
        Validated window columns (:func:`.windows.normalize_windows`) and their types.

    Raises
    ------
    ConfigError
        Naming the bad key, column, aggregate, sort direction or filter op.
    """
    unknown = set(config) - set(VIEW_CONFIG_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown view option(s) {sorted(unknown)}; valid options are {list(VIEW_CONFIG_KEYS)}"
        )
    check_config_shape(config)
    schema = {**table_schema, **expression_types, **(window_types or {})}

    columns_in = config.get("columns")
    if columns_in is None:
        columns = tuple(schema)
    else:
        columns = as_names(columns_in, "columns")
        for c in columns:
            if c is not None:
                _check_column(c, schema, "columns")
        # Empty slots dropped; a repeated column shows once (Perspective keeps the first).
        columns = tuple(dict.fromkeys(c for c in columns if c is not None))
    group_by = as_names(config.get("group_by"), "group_by")
    split_by = as_names(config.get("split_by"), "split_by")
    for key, names in (("group_by", group_by), ("split_by", split_by)):
        for c in names:
            _check_column(c, schema, key)

    user_aggs = dict(config.get("aggregates") or {})
    aggregates = {}
    agg_args: dict[str, str] = {}
    for c in schema:
        agg = user_aggs.get(c, DEFAULT_AGGREGATE[schema[c]])
        name = agg[0] if isinstance(agg, (list, tuple)) else agg
        if name not in AGGREGATES_BY_TYPE[schema[c]]:
            raise ConfigError(
                f"aggregate {name!r} is not available for {schema[c]} column {c!r}; "
                f"choose one of {AGGREGATES_BY_TYPE[schema[c]]}"
            )
        aggregates[c] = AGGREGATE_ALIASES.get(name, name)
        if name in AGGREGATES_WITH_ARG:
            agg_args[c] = _aggregate_arg(c, agg, schema)
    for c in user_aggs:
        _check_column(c, schema, "aggregates")

    sort = []
    for item in config.get("sort") or ():
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ConfigError(f"sort entries are [column, direction], got {item!r}")
        col, direction = item
        _check_column(col, schema, "sort")
        if direction not in SORT_DIRECTIONS:
            raise ConfigError(
                f"unknown sort direction {direction!r} for {col!r}; use one of {SORT_DIRECTIONS}"
            )
        sort.append((col, direction))

    filters = []
    for item in config.get("filter") or ():
        if not isinstance(item, (list, tuple)) or len(item) not in (2, 3):
            raise ConfigError(f"filter entries are [column, op, value], got {item!r}")
        col, op = item[0], item[1]
        value = item[2] if len(item) == 3 else None
        _check_column(col, schema, "filter")
        ops = FILTER_OPS_BY_TYPE[schema[col]]
        if op not in ops:
            raise ConfigError(
                f"filter op {op!r} is not available for {schema[col]} column {col!r}; "
                f"use one of {ops}"
            )
        if schema[col] == "string" and any(
            isinstance(v, (int, float)) and not isinstance(v, bool)
            for v in (value if isinstance(value, (list, tuple, set, frozenset)) else [value])
        ):
            # Perspective refuses a number for a string column too.
            raise ConfigError(
                f"filter {short_repr(list(item))}: column {col!r} holds strings but the value "
                "is a number; compare with text, e.g. '1'"
            )
        if isinstance(value, (list, tuple, set, frozenset)):
            if op not in _LIST_OPS:
                raise ConfigError(
                    f"filter {short_repr(list(item))}: {op!r} compares with one value, got a list; "
                    f"use 'in' / 'not in' for a list of values, or give one value"
                )
            value = tuple(value)
        filters.append((col, op, value))

    filter_op = config.get("filter_op") or "and"
    if filter_op not in ("and", "or"):
        raise ConfigError(f"filter_op must be 'and' or 'or', got {filter_op!r}")
    depth = config.get("group_by_depth")
    if depth is not None and (not isinstance(depth, int) or depth < 0):
        raise ConfigError(f"group_by_depth must be a non-negative integer, got {depth!r}")
    grm = config.get("group_rollup_mode") or "rollup"
    if grm not in GROUP_ROLLUP_MODES:
        raise ConfigError(f"group_rollup_mode {grm!r} is unknown; use one of {GROUP_ROLLUP_MODES}")
    srm = config.get("split_rollup_mode") or "flat"
    if srm not in SPLIT_ROLLUP_MODES:
        raise ConfigError(f"split_rollup_mode {srm!r} is unknown; use one of {SPLIT_ROLLUP_MODES}")

    _check_reserved_names(expressions)

    return ViewConfig(
        columns=columns,
        group_by=group_by,
        split_by=split_by,
        aggregates=tuple(aggregates.items()),
        sort=tuple(sort),
        filter=tuple(filters),
        filter_op=filter_op,
        expressions=tuple(expressions.items()),
        group_by_depth=depth,
        group_rollup_mode=grm,
        split_rollup_mode=srm,
        user_aggregates=tuple((k, v) for k, v in user_aggs.items()),
        windows=tuple((windows or {}).items()),
        aggregate_args=tuple(agg_args.items()),
    )


def _aggregate_arg(column: str, agg: Any, schema: dict[str, str]) -> str:
    """The column ``["weighted mean", ["w"]]`` (or ``["weighted mean", "w"]``) reads."""
    arg = agg[1] if isinstance(agg, (list, tuple)) and len(agg) == 2 else None
    if isinstance(arg, (list, tuple)) and len(arg) == 1:
        arg = arg[0]
    if not isinstance(arg, str):
        raise ConfigError(
            f"aggregate {short_repr(agg)} for column {column!r} needs one column to read; "
            f'write e.g. ["{agg if isinstance(agg, str) else agg[0]}", ["weight"]]'
        )
    _check_column(arg, schema, "aggregates")
    return arg
