"""View filters: ``[column, op, value]`` terms compiled to one boolean mask.

Comparison values are converted to the column's type first: dates and
datetimes take epoch milliseconds or text in every form a table reads
(``"2020-01-02"``, ``"01/02/2020"``, ``"2020-01-02T03:04:05Z"``); floats are
truncated toward zero for integer columns, as Perspective does. A null in an
``in`` set matches nothing. Dictionary-encoded string
columns are filtered on their dictionary and the answer gathered by index,
so a filter costs O(distinct values) string work plus one O(N) take.
A row whose value is null fails every op except ``is null``, ``!=`` and ``not in``
(the negated text ops ``not contains`` / ``not begins with`` / ``not ends
with`` / ``not matches`` drop it too). ``matches`` is an RE2 search, Arrow's
``match_substring_regex``, as Perspective 5.x's.

Pure pyarrow.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError
from .dtypes import value_type
from .parsing import ParseError, temporal_scalar

__all__ = ["filter_mask", "filter_value"]

_COMPARE = {
    "==": pc.equal,
    "!=": pc.not_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
    "<": pc.less,
    "<=": pc.less_equal,
}


def filter_mask(
    data: pa.Table, schema: dict[str, str], filters: tuple, filter_op: str
) -> pa.ChunkedArray | None:
    """A boolean mask (no nulls) selecting rows of ``data``, or ``None`` for no filter."""
    if not filters:
        return None
    masks = [_term(data.column(c), schema[c], c, op, value) for c, op, value in filters]
    combine = pc.and_kleene if filter_op == "and" else pc.or_kleene
    mask = masks[0]
    for m in masks[1:]:
        mask = combine(mask, m)
    return pc.fill_null(mask, False)


def _term(col: pa.ChunkedArray, ptype: str, name: str, op: str, value: Any) -> pa.ChunkedArray:
    if op == "is null":
        return pc.is_null(col)
    if op == "is not null":
        return pc.is_valid(col)
    if op in ("in", "not in"):
        values = value if isinstance(value, (list, tuple)) else [value]
        # A null in the set matches nothing (null rows are never "in"), as in Perspective.
        py = [_convert(v, col.type, ptype, name).as_py() for v in values if v is not None]
        as_type = None  # numbers compare in int64 (whole numbers) or float64
        if ptype == "integer" and all(isinstance(v, int) for v in py):
            as_type = pa.int64()
        elif ptype in ("integer", "float"):
            as_type = pa.float64()
        vset = pa.array(py, as_type or value_type(col.type))
        hit = _apply(
            col, lambda a: pc.is_in(a if as_type is None else a.cast(as_type), value_set=vset)
        )
        if op == "not in":
            # Like "!=", a null is "not in" every set.
            return pc.fill_null(pc.invert(hit), True)
        return pc.if_else(pc.is_valid(col), hit, False)
    if value is None:
        # Perspective ignores a comparison filter whose value is not set yet.
        return _all_true(col)
    scalar = _convert(value, col.type, ptype, name)
    if op in _COMPARE:
        fn = _COMPARE[op]
        result = _apply(col, lambda a: fn(a, scalar))
        # A null is "not equal" to every value in Perspective.
        return pc.fill_null(result, True) if op == "!=" else result
    if op in ("matches", "not matches"):
        return _regex(col, str(value), negate=op == "not matches")
    negate = op.startswith("not ")
    text_op = op.removeprefix("not ")
    # Perspective's text matches ignore ASCII case (and only ASCII case).
    pattern = "".join(ch.lower() if ch.isascii() else ch for ch in str(value))
    if text_op == "begins with":
        hit = _apply(col, lambda a: pc.starts_with(pc.ascii_lower(a), pattern=pattern))
    elif text_op == "ends with":
        hit = _apply(col, lambda a: pc.ends_with(pc.ascii_lower(a), pattern=pattern))
    elif text_op == "contains":
        hit = _apply(col, lambda a: pc.match_substring(pc.ascii_lower(a), pattern=pattern))
    else:
        raise ConfigError(f"unknown filter op {op!r} for column {name!r}")
    # A null row fails the negated ops too (it is not text), as in Perspective 5.x.
    return pc.invert(hit) if negate else hit


def _regex(col: pa.ChunkedArray, pattern: str, negate: bool) -> pa.ChunkedArray:
    """``matches``: an RE2 search (anywhere in the text, case-sensitive), as
    Perspective 5.x runs it; a pattern RE2 cannot compile matches no row,
    negated or not, and a null row fails both."""
    try:
        hit = _apply(col, lambda a: pc.match_substring_regex(a, pattern=pattern))
    except pa.ArrowInvalid:
        return pa.array(np.zeros(len(col), dtype=bool))
    return pc.invert(hit) if negate else hit


def _all_true(col: pa.ChunkedArray) -> pa.Array:
    return pa.array(np.ones(len(col), dtype=bool))


def _apply(col: pa.ChunkedArray, fn: Callable[[pa.Array], pa.Array]) -> pa.ChunkedArray:
    """Evaluate ``fn`` per chunk; on dictionary chunks evaluate the dictionary only."""
    if not pa.types.is_dictionary(col.type):
        return fn(col)
    out = []
    for chunk in col.chunks:
        on_dict = fn(chunk.dictionary)
        out.append(on_dict.take(chunk.indices))
    return pa.chunked_array(out, pa.bool_())


def filter_value(value: Any, t: pa.DataType, ptype: str, name: str) -> pa.Scalar:
    """A filter's comparison value converted to column ``name``'s type (as filters read it).

    Raises
    ------
    ConfigError
        When the value does not fit the column's type.
    """
    return _convert(value, t, ptype, name)


def _convert(value: Any, t: pa.DataType, ptype: str, name: str) -> pa.Scalar:
    t = value_type(t)
    try:
        if ptype == "date":
            return _scalar(_to_date(value), pa.date32())
        if ptype == "datetime":
            return _scalar(_to_datetime(value), pa.timestamp("ms")).cast(t)
        if ptype == "boolean" and isinstance(value, str):
            return pa.scalar(value.lower() == "true")
        if ptype == "integer" and isinstance(value, float):
            # Perspective (3.8 and 5.x) truncates a float toward zero for an
            # integer column: "x == 2.5" matches 2, "x < 2.5" is "x < 2".
            return pa.scalar(int(value), pa.int64())
        if ptype == "string":
            return pa.scalar(str(value), pa.string())
        return pa.scalar(value).cast(t if ptype != "integer" else pa.int64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError, TypeError, OverflowError) as exc:
        raise ConfigError(
            f"filter value {value!r} does not fit {ptype} column {name!r}; "
            "give a value of that type"
        ) from exc


def _scalar(value: Any, t: pa.DataType) -> pa.Scalar:
    return value.cast(t) if isinstance(value, pa.Scalar) else pa.scalar(value, t)


def _to_date(value: Any) -> _dt.date | pa.Scalar:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)):
        return _dt.datetime.fromtimestamp(value / 1000, tz=_dt.timezone.utc).date()
    return _from_text(value, "date")


def _to_datetime(value: Any) -> _dt.datetime | pa.Scalar:
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)):
        return _dt.datetime.fromtimestamp(value / 1000, tz=_dt.timezone.utc).replace(tzinfo=None)
    return _from_text(value, "datetime")


def _from_text(value: Any, ptype: str) -> pa.Scalar:
    """A filter value's text read as tables read it (``2021-02-03``, ``02/03/2021``...)."""
    try:
        return temporal_scalar(str(value), ptype)
    except ParseError as exc:
        raise ValueError(str(exc)) from exc
