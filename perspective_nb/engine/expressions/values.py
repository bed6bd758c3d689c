"""Typed vectors the compiler passes between operators and functions.

A :class:`Val` is an Arrow array (or a scalar, for constants, which Arrow
compute kernels broadcast for free) tagged with its Perspective type. This
module also holds the conversions every operator needs: column loading into
the canonical storage type, truthiness, broadcasting, and the rule that a
float computation yielding NaN or +-inf produces null (as Perspective does).

Pure pyarrow + numpy; must not import the parser or any I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ARROW_TYPES",
    "NO_LITERAL",
    "Val",
    "as_float",
    "broadcast",
    "condition",
    "finite_or_null",
    "load_column",
    "null_of",
    "scalar_val",
    "to_numpy_float",
    "truthy",
]

# Canonical storage of each Perspective type inside the compiler. Integer
# expressions widen to int64 like Perspective's own expression columns.
ARROW_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
    # ``null`` has no column of its own; it adopts its partner's type.
    "null": pa.float64(),
}

NO_LITERAL = object()

Data = pa.Array | pa.ChunkedArray | pa.Scalar


@dataclass(frozen=True)
class Val:
    """A typed vector (or broadcastable scalar).

    Attributes
    ----------
    data : pa.Array | pa.ChunkedArray | pa.Scalar
        Values in :data:`ARROW_TYPES` ``[ptype]``.
    ptype : str
        Perspective type name, or ``"null"`` for the ``null`` literal.
    literal : object
        The Python value when the expression is a compile-time literal
        (function arguments such as regexes and bucket units need it),
        otherwise :data:`NO_LITERAL`.
    counts : bool
        A boolean that arithmetic may use as 0/1. Perspective allows this
        for the results of comparisons, logic, ``is_null`` and the literals
        ``true``/``false``, but not for boolean columns.
    """

    data: Data
    ptype: str
    literal: object = NO_LITERAL
    counts: bool = False

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.data, pa.Scalar)

    @property
    def is_literal(self) -> bool:
        return self.literal is not NO_LITERAL

    @property
    def is_numeric(self) -> bool:
        return self.ptype in ("integer", "float")

    def has_nulls(self) -> bool:
        if isinstance(self.data, pa.Scalar):
            return not self.data.is_valid
        return self.data.null_count > 0


def scalar_val(value: object, ptype: str, literal: bool = True) -> Val:
    """A constant ``Val`` of ``ptype``; ``literal`` keeps the Python value for functions."""
    data = pa.scalar(value, ARROW_TYPES[ptype])
    return Val(data, ptype, value if literal else NO_LITERAL, counts=ptype == "boolean")


def null_of(ptype: str) -> pa.Scalar:
    """A null scalar of the storage type of ``ptype``."""
    return pa.scalar(None, ARROW_TYPES[ptype])


def as_float(val: Val) -> Data:
    """The data of a numeric (or null, or counting boolean) value as float64."""
    if val.ptype == "float":
        return val.data
    return pc.cast(val.data, pa.float64())


def finite_or_null(data: Data) -> Data:
    """Replace NaN and +-inf by null, as Perspective does for float results.

    Checks first (one vectorised pass) so the common all-finite case costs
    no extra copy.
    """
    if isinstance(data, pa.Scalar):
        if data.is_valid and not np.isfinite(data.as_py()):
            return pa.scalar(None, pa.float64())
        return data
    finite = pc.is_finite(data)
    if pc.all(finite).as_py() is not False:
        return data
    return pc.if_else(finite, data, pa.scalar(None, pa.float64()))


def truthy(val: Val) -> Data:
    """Boolean truth of a value with null counted as false (ExprTK semantics).

    Numbers are true when non-zero, booleans are themselves, strings, dates
    and datetimes are true when present.
    """
    if val.ptype == "null":
        return pa.scalar(False)
    if val.ptype == "boolean":
        data = val.data
    elif val.ptype in ("integer", "float"):
        data = pc.not_equal(val.data, pa.scalar(0, ARROW_TYPES[val.ptype]))
    else:
        data = pc.is_valid(val.data)
    if isinstance(data, pa.Scalar):
        return pa.scalar(bool(data.as_py()))
    if data.null_count:
        return pc.fill_null(data, False)
    return data


def condition(val: Val) -> Data:
    """Truth of an ``if``/``?:``/loop condition.

    A null *boolean* condition takes the ``then`` branch, as in Perspective;
    any other type uses :func:`truthy` (non-zero numbers, present values).
    """
    if val.ptype != "boolean":
        return truthy(val)
    data = val.data
    if isinstance(data, pa.Scalar):
        return pa.scalar(data.as_py() is not False)
    return pc.fill_null(data, True) if data.null_count else data


def broadcast(data: Data, length: int, arrow_type: pa.DataType) -> pa.Array | pa.ChunkedArray:
    """Materialise a scalar as an array of ``length`` (arrays pass through)."""
    if not isinstance(data, pa.Scalar):
        return data
    if not data.is_valid:
        return pa.nulls(length, arrow_type)
    if pa.types.is_string(arrow_type):
        # A one-entry dictionary decodes to a repeated string without Python objects.
        dictionary = pa.array([data.as_py()], arrow_type)
        indices = pa.array(np.zeros(length, dtype=np.int32))
        return pa.DictionaryArray.from_arrays(indices, dictionary).cast(arrow_type)
    storage = data.cast(arrow_type)
    if pa.types.is_boolean(arrow_type):
        return pa.array(np.full(length, bool(storage.as_py())))
    if pa.types.is_date32(arrow_type) or pa.types.is_timestamp(arrow_type):
        raw = storage.cast(pa.int32() if pa.types.is_date32(arrow_type) else pa.int64())
        return pa.array(np.full(length, raw.as_py()), type=raw.type).view(arrow_type)
    return pa.array(np.full(length, storage.as_py()), type=arrow_type)


def to_numpy_float(data: Data, length: int) -> np.ndarray:
    """Float64 numpy view/copy of numeric data with nulls as NaN."""
    arr = broadcast(data, length, pa.float64())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != pa.float64():
        arr = arr.cast(pa.float64())
    return arr.to_numpy(zero_copy_only=False)


def _timestamp_to_ms(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    unit = column.type.unit
    if unit == "ms" and column.type.tz is None:
        return column
    # Drop the zone (values are UTC instants already) and rescale to ms.
    raw = pc.cast(column, pa.int64())
    if unit == "s":
        raw = pc.multiply(raw, 1000)
    elif unit == "us":
        raw = pc.floor(pc.divide(raw, 1000.0)).cast(pa.int64())
    elif unit == "ns":
        raw = pc.floor(pc.divide(raw, 1_000_000.0)).cast(pa.int64())
    return pc.cast(raw, pa.timestamp("ms"))


def load_column(column: pa.Array | pa.ChunkedArray, ptype: str) -> Val:
    """Cast a stored column to the compiler's canonical type for ``ptype``."""
    if pa.types.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    if ptype == "datetime" and pa.types.is_timestamp(column.type):
        return Val(_timestamp_to_ms(column), ptype)
    target = ARROW_TYPES[ptype]
    if column.type != target:
        column = pc.cast(column, target, safe=False)
    return Val(column, ptype)
