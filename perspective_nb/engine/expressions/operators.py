"""Vectorised infix and prefix operators: arithmetic, comparison and logic.

Semantics follow Perspective's expression engine:

- arithmetic takes integers, floats and the booleans that comparisons and
  logic produce (as 0/1), and always yields a float (so
  ``"a" / "b"`` of two integer columns is a float); a null operand gives
  null, and a NaN/+-inf result (division by zero...) becomes null;
- ``%`` is C's ``fmod`` (the result has the sign of the dividend);
- unary minus keeps the operand's type;
- comparisons never yield null: null equals null and sorts below every
  value, so ``null < 1`` is true; values of unrelated types compare unequal;
- ``and``/``or``/``xor`` (and ``nand``/``nor``/``xnor``) use truthiness with
  null counted as false.

Every error is raised through the ``fail`` callback so it carries the
operator's position. Pure pyarrow/numpy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .registry import type_error_prefix
from .values import ARROW_TYPES, Val, as_float, finite_or_null, to_numpy_float, truthy

__all__ = ["ARITHMETIC", "COMPARISON", "LOGICAL", "binary", "unary"]

ARITHMETIC = {"+", "-", "*", "/", "%", "^"}
COMPARISON = {"==", "!=", "<", "<=", ">", ">="}
LOGICAL = {"and", "or", "xor", "nand", "nor", "xnor"}

Fail = Callable[[str], Exception]

_ARROW_ARITH = {
    "+": pc.add,
    "-": pc.subtract,
    "*": pc.multiply,
    "/": pc.divide,
    "^": pc.power,
}
_ARROW_CMP = {
    "==": pc.equal,
    "!=": pc.not_equal,
    "<": pc.less,
    "<=": pc.less_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
}


def _arithmetic(op: str, a: Val, b: Val, length: int, fail: Fail) -> Val:
    for side in (a, b):
        if side.ptype not in ("integer", "float", "null") and not side.counts:
            raise fail(
                f"{type_error_prefix}: '{op}' needs numbers on both sides, got "
                f"{a.ptype} {op} {b.ptype}; convert with float(...) or integer(...)"
            )
    if a.ptype == "null" or b.ptype == "null":
        return Val(pa.scalar(None, pa.float64()), "float")
    if op == "%":
        # Arrow has no fmod kernel; numpy's is vectorised. NaN marks nulls.
        with np.errstate(all="ignore"):
            out = np.fmod(to_numpy_float(a.data, length), to_numpy_float(b.data, length))
        if a.is_scalar and b.is_scalar:
            return Val(finite_or_null(pa.scalar(float(out[0]) if length else None)), "float")
        return Val(finite_or_null(pa.array(out, from_pandas=True)), "float")
    data = _ARROW_ARITH[op](as_float(a), as_float(b))
    if op in ("/", "^"):
        # Only these produce NaN/inf from finite inputs; + - * can only
        # overflow, which the final output pass also catches.
        data = finite_or_null(data)
    return Val(data, "float")


def _null_aware(op: str, raw, a_null, b_null):
    """Fill the nulls of a comparison: null == null, null sorts lowest."""
    if op == "==":
        fill = pc.and_(a_null, b_null)
    elif op == "!=":
        fill = pc.xor(a_null, b_null)
    elif op == "<":
        fill = pc.and_(a_null, pc.invert(b_null))
    elif op == "<=":
        fill = a_null
    elif op == ">":
        fill = pc.and_(b_null, pc.invert(a_null))
    else:
        fill = b_null
    return pc.coalesce(raw, fill)


def _comparable(a: Val, b: Val) -> tuple[object, object] | None:
    """Data of both sides in one comparable type, or None if the types are unrelated."""
    if a.ptype == "null" and b.ptype == "null":
        return a.data, b.data
    if a.ptype == "null":
        return pa.scalar(None, ARROW_TYPES[b.ptype]), b.data
    if b.ptype == "null":
        return a.data, pa.scalar(None, ARROW_TYPES[a.ptype])
    if a.ptype == b.ptype:
        return a.data, b.data
    numeric = ("integer", "float")
    if a.ptype in numeric and b.ptype in numeric:
        return as_float(a), as_float(b)
    # Like Perspective, a date never equals (or orders against) a datetime.
    return None


def _comparison(op: str, a: Val, b: Val) -> Val:
    pair = _comparable(a, b)
    if pair is None:
        # Perspective compares typed scalars: different types are never equal.
        return Val(pa.scalar(op == "!="), "boolean", counts=True)
    left, right = pair
    raw = _ARROW_CMP[op](left, right)
    if not a.has_nulls() and not b.has_nulls():
        return Val(raw, "boolean", counts=True)
    filled = _null_aware(op, raw, pc.is_null(left), pc.is_null(right))
    return Val(filled, "boolean", counts=True)


def _logical(op: str, a: Val, b: Val) -> Val:
    left, right = truthy(a), truthy(b)
    base = op.removeprefix("n") if op in ("nand", "nor") else op
    if op == "xnor":
        base = "xor"
    kernel = {"and": pc.and_, "or": pc.or_, "xor": pc.xor}[base]
    data = kernel(left, right)
    if op in ("nand", "nor", "xnor"):
        data = pc.invert(data)
    return Val(data, "boolean", counts=True)


def binary(op: str, a: Val, b: Val, length: int, fail: Fail) -> Val:
    """Apply infix operator ``op`` (canonical spelling) to two values."""
    if op in ARITHMETIC:
        return _arithmetic(op, a, b, length, fail)
    if op in COMPARISON:
        return _comparison(op, a, b)
    if op in LOGICAL:
        return _logical(op, a, b)
    raise fail(f"Unknown operator '{op}'")


def unary(op: str, a: Val, fail: Fail) -> Val:
    """Prefix ``-``/``+``: numbers only; the type is kept."""
    if a.ptype == "null":
        return Val(pa.scalar(None, pa.float64()), "float")
    if a.ptype not in ("integer", "float"):
        raise fail(f"{type_error_prefix}: unary '{op}' needs a number, got {a.ptype}")
    if op == "+":
        return Val(a.data, a.ptype)
    return Val(pc.negate(a.data), a.ptype)
