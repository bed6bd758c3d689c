"""Type conversions (``integer``, ``float``, ``boolean``, ``string``) and
null / lookup functions (``is_null``, ``is_not_null``, ``coalesce``,
``index``, ``col``, ``vlookup``).

Conversions follow Perspective 3.8: ``integer``/``float`` of a datetime give
epoch milliseconds, of a date Perspective's packed ``year << 16 | month0 << 8
| day`` value; strings that are not numbers convert to null; ``string`` of a
float uses C's ``%g`` (six significant digits) and of a datetime
``YYYY-MM-DD HH:MM:SS.mmm`` in UTC; ``boolean`` is truthiness (null is false).

Pure pyarrow/numpy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .registry import CallSite, function
from .values import ARROW_TYPES, Val, finite_or_null, null_of, truthy

__all__: list[str] = []

_NUMBER_TEXT = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


def _parse_float(data: object) -> object:
    """Strings to float64; text that is not a number becomes null."""
    ok = pc.match_substring_regex(data, _NUMBER_TEXT)
    cleaned = pc.utf8_trim_whitespace(pc.if_else(ok, data, "0"))
    parsed = pc.cast(pc.fill_null(cleaned, "0"), pa.float64())
    return pc.if_else(pc.fill_null(ok, False), parsed, pa.scalar(None, pa.float64()))


def _packed_date(data: object) -> object:
    """Perspective's internal integer form of a date."""
    year = pc.cast(pc.year(data), pa.int64())
    month0 = pc.subtract(pc.cast(pc.month(data), pa.int64()), 1)
    day = pc.cast(pc.day(data), pa.int64())
    return pc.add(pc.add(pc.multiply(year, 65536), pc.multiply(month0, 256)), day)


def _to_float(site: CallSite, val: Val) -> object:
    if val.ptype == "float":
        return val.data
    if val.ptype in ("integer", "boolean"):
        return pc.cast(val.data, pa.float64())
    if val.ptype == "string":
        return _parse_float(val.data)
    if val.ptype == "date":
        return pc.cast(_packed_date(val.data), pa.float64())
    if val.ptype == "datetime":
        return pc.cast(pc.cast(val.data, pa.int64()), pa.float64())
    return null_of("float")


@function("float", min_args=1)
def _float(site: CallSite, args: list[Val]) -> Val:
    return Val(finite_or_null(_to_float(site, args[0])), "float")


@function("integer", min_args=1)
def _integer(site: CallSite, args: list[Val]) -> Val:
    val = args[0]
    if val.ptype == "integer":
        return val
    if val.ptype == "boolean":
        return Val(pc.cast(val.data, pa.int64()), "integer")
    if val.ptype == "date":
        return Val(_packed_date(val.data), "integer")
    if val.ptype == "datetime":
        return Val(pc.cast(val.data, pa.int64()), "integer")
    as_float = finite_or_null(_to_float(site, val))
    return Val(pc.cast(pc.trunc(as_float), pa.int64(), safe=False), "integer")


@function("boolean", min_args=1)
def _boolean(site: CallSite, args: list[Val]) -> Val:
    return Val(truthy(args[0]), "boolean")


def _format_float(data: object) -> object:
    # No Arrow kernel formats with %g; numpy's char.mod runs the C formatter
    # once per element (about 0.3 us/row), the only per-row cost here.
    scalar = isinstance(data, pa.Scalar)
    arr = pa.array([data.as_py()], pa.float64()) if scalar else data
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    values = pc.fill_null(arr, 0.0).to_numpy()
    text = np.char.mod("%g", values) if len(values) else np.array([], dtype=str)
    out = pa.array(text.astype(object), pa.string(), mask=~valid)
    return out[0] if scalar else out


@function("string", min_args=1)
def _string(site: CallSite, args: list[Val]) -> Val:
    val = args[0]
    if val.ptype == "string":
        return val
    if val.ptype == "float":
        return Val(_format_float(val.data), "string")
    if val.ptype == "boolean":
        return Val(pc.if_else(val.data, "true", "false"), "string")
    if val.ptype == "datetime":
        return Val(pc.strftime(val.data, format="%Y-%m-%d %H:%M:%S"), "string")
    if val.ptype == "null":
        return Val(null_of("string"), "string")
    return Val(pc.cast(val.data, pa.string()), "string")


# -- nulls and lookups --------------------------------------------------------
@function("is_null", min_args=1)
def _is_null(site: CallSite, args: list[Val]) -> Val:
    return Val(pc.is_null(args[0].data), "boolean", counts=True)


@function("is_not_null", min_args=1)
def _is_not_null(site: CallSite, args: list[Val]) -> Val:
    return Val(pc.is_valid(args[0].data), "boolean", counts=True)


@function("coalesce", min_args=1, max_args=None)
def _coalesce(site: CallSite, args: list[Val]) -> Val:
    types = {a.ptype for a in args} - {"null"}
    if types == {"integer", "float"}:
        types = {"float"}
    if len(types) > 1:
        raise site.type_error(args, "arguments of one type")
    ptype = types.pop() if types else "null"
    storage = ARROW_TYPES[ptype]
    parts = [
        pa.scalar(None, storage) if a.ptype == "null" else pc.cast(a.data, storage) for a in args
    ]
    return Val(pc.coalesce(*parts) if len(parts) > 1 else parts[0], ptype)


@function("index", min_args=0)
def _index(site: CallSite, args: list[Val]) -> Val:
    return site.ctx.index_values()


@function("col", min_args=1)
def _col(site: CallSite, args: list[Val]) -> Val:
    name = site.literal_string(args[0], "the column name")
    return site.ctx.column(name, site.line, site.column)


@function("vlookup", min_args=2)
def _vlookup(site: CallSite, args: list[Val]) -> Val:
    """The value of a column in the row whose ``index()`` is the given key."""
    name = site.literal_string(args[0], "the column name")
    target = site.ctx.column(name, site.line, site.column)
    keys = site.ctx.index_values()
    wanted = args[1]
    if wanted.ptype == "null":
        return Val(null_of(target.ptype), target.ptype)
    if wanted.ptype != keys.ptype and not (wanted.is_numeric and keys.is_numeric):
        raise site.type_error(args, f"(column name, {keys.ptype} key)")
    lookup = wanted.data
    if wanted.ptype != keys.ptype:
        lookup = pc.cast(lookup, ARROW_TYPES[keys.ptype], safe=False)
    if isinstance(lookup, pa.Scalar):
        lookup = pa.array([lookup.as_py()] * site.length, lookup.type)
    rows = pc.index_in(lookup, value_set=keys.data)
    column = target.data
    if site.length == 0:
        return Val(column, target.ptype)
    return Val(pc.take(column, rows), target.ptype)
