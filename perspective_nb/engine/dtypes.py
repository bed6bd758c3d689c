"""Perspective's six column types and their mapping to and from Arrow types.

Perspective knows ``integer``, ``float``, ``boolean``, ``string``, ``date``
and ``datetime``. Storage keeps the Arrow type the data arrived with
whenever it maps onto one of these (so loading an Arrow table is zero-copy);
:func:`canonical_arrow_type` gives the type Perspective itself uses when
data is normalised or emitted.

Pure pyarrow: no I/O, no asyncio, nothing from the server or jupyter layers.
"""

from __future__ import annotations

import datetime as _dt

import pyarrow as pa

from ..errors import SchemaError

__all__ = [
    "PERSPECTIVE_TYPES",
    "arrow_type_to_perspective",
    "canonical_arrow_type",
    "decoded",
    "parse_type_name",
    "value_type",
    "zero_scalar",
]

PERSPECTIVE_TYPES = ("integer", "float", "boolean", "string", "date", "datetime")

_CANONICAL = {
    "integer": pa.int32(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
}

# Names a schema may use for a type, beside Perspective's own six.
_ALIASES = {
    "int": "integer",
    "int32": "integer",
    "int64": "integer",
    "integer": "integer",
    "float": "float",
    "float64": "float",
    "float32": "float",
    "double": "float",
    "number": "float",
    "bool": "boolean",
    "boolean": "boolean",
    "str": "string",
    "string": "string",
    "object": "string",
    "date": "date",
    "datetime": "datetime",
    "timestamp": "datetime",
}

_PY_TYPES = {
    int: "integer",
    float: "float",
    bool: "boolean",
    str: "string",
    _dt.date: "date",
    _dt.datetime: "datetime",
}


def value_type(t: pa.DataType) -> pa.DataType:
    """The type of the values: a dictionary type's value type, else ``t``."""
    return t.value_type if pa.types.is_dictionary(t) else t


def decoded(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """``col`` with dictionary encoding removed (unchanged when not encoded)."""
    if pa.types.is_dictionary(col.type):
        return col.cast(col.type.value_type)
    return col


def canonical_arrow_type(ptype: str) -> pa.DataType:
    """Return the Arrow type Perspective uses for the type name ``ptype``."""
    return _CANONICAL[ptype]


def parse_type_name(value: object) -> str:
    """Turn a schema value (a type name or a Python type) into a Perspective type.

    Raises
    ------
    SchemaError
        When the value names no Perspective type.
    """
    if isinstance(value, type) and value in _PY_TYPES:
        return _PY_TYPES[value]
    if isinstance(value, str) and value.lower() in _ALIASES:
        return _ALIASES[value.lower()]
    raise SchemaError(
        f"unknown column type {value!r}; use one of {', '.join(PERSPECTIVE_TYPES)} "
        "(or the Python types int, float, bool, str, datetime.date, datetime.datetime)"
    )


def arrow_type_to_perspective(t: pa.DataType) -> str:
    """Return the Perspective type name of an Arrow type.

    Raises
    ------
    SchemaError
        For Arrow types Perspective cannot hold (lists, structs, binary...).
    """
    if pa.types.is_dictionary(t):
        return arrow_type_to_perspective(t.value_type)
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_null(t):
        return "string"
    raise SchemaError(
        f"Arrow type {t} has no Perspective equivalent; cast the column to one of "
        f"{', '.join(PERSPECTIVE_TYPES)} before loading it"
    )


# Each type's "zero": what Perspective shows where a cell is aggregated from
# nothing (a flat split view's own cell, "first" of an empty view...).
_ZEROS = {
    "integer": 0,
    "float": 0.0,
    "string": "",
    "boolean": False,
    "date": pa.scalar(-719_529, pa.int32()).cast(pa.date32()),  # Perspective's 0000-00-00
    "datetime": pa.scalar(0, pa.int64()).cast(pa.timestamp("ms")),
}


def zero_scalar(ptype: str, t: pa.DataType) -> pa.Scalar:
    """The zero of Perspective type ``ptype`` as a scalar of Arrow type ``t``."""
    z = _ZEROS[ptype]
    if pa.types.is_dictionary(t):
        t = t.value_type
    return (z if isinstance(z, pa.Scalar) else pa.scalar(z)).cast(t)
