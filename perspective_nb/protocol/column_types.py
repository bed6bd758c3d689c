"""Mapping between Perspective's column type names and the wire's ``ColumnType`` enum.

Pure lookup tables over the generated enum; imports nothing else from
perspective_nb (never the server or jupyter layers).
"""

from __future__ import annotations

from ..errors import ProtocolError, SchemaError
from . import perspective_pb2 as pb

__all__ = ["column_type_from_name", "column_type_name", "schema_from_pairs", "schema_to_pairs"]

_BY_NAME = {
    "string": pb.STRING,
    "date": pb.DATE,
    "datetime": pb.DATETIME,
    "integer": pb.INTEGER,
    "float": pb.FLOAT,
    "boolean": pb.BOOLEAN,
}
_BY_ENUM = {value: name for name, value in _BY_NAME.items()}


def column_type_from_name(name: str) -> int:
    """Return the ``ColumnType`` enum value for a Perspective type name.

    >>> column_type_from_name("float") == pb.FLOAT
    True
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise SchemaError(
            f"unknown column type {name!r}; expected one of {', '.join(_BY_NAME)}"
        ) from None


def column_type_name(value: int) -> str:
    """Return the Perspective type name for a ``ColumnType`` enum value.

    >>> column_type_name(pb.INTEGER)
    'integer'
    """
    try:
        return _BY_ENUM[value]
    except KeyError:
        raise ProtocolError(f"unknown ColumnType {value!r} on the wire; expected 0..5") from None


def schema_to_pairs(schema: dict[str, str], into: pb.Schema) -> pb.Schema:
    """Append ``{name: type}`` to a ``Schema`` message, keeping column order."""
    for name, ptype in schema.items():
        into.schema.add(name=name, type=column_type_from_name(ptype))
    return into


def schema_from_pairs(message: pb.Schema) -> dict[str, str]:
    """Turn a ``Schema`` message into an ordered ``{name: type}`` dict."""
    return {pair.name: column_type_name(pair.type) for pair in message.schema}
