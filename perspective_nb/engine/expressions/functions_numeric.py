"""Numeric and trigonometric functions of the expression language.

Every function takes integers or floats (a ``null`` argument gives null)
and, like Perspective, returns a float unless noted (``trunc`` and ``sgn``
give integers, ``inrange``/``equal``/``not_equal``/``not`` booleans). NaN
and infinite results become null. Arrow kernels are used where Arrow has
one; the rest are numpy ufuncs over float64 buffers (nulls travel as NaN).

Pure pyarrow/numpy.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .registry import CallSite, function
from .values import Val, as_float, finite_or_null, to_numpy_float, truthy

__all__ = ["numeric_bucket", "require_numeric"]


def require_numeric(site: CallSite, args: list[Val]) -> None:
    """Raise a positioned type error unless every argument is a number (or null)."""
    if any(a.ptype not in ("integer", "float", "null") for a in args):
        raise site.type_error(args, "numbers")


def _map(
    site: CallSite,
    args: list[Val],
    fn: Callable[..., np.ndarray],
    ptype: str = "float",
    propagate_null: bool = True,
) -> Val:
    """Apply a numpy function to float64 views of ``args``; NaN/inf become null."""
    require_numeric(site, args)
    scalar = all(a.is_scalar for a in args)
    length = 1 if scalar else site.length
    arrays = [
        to_numpy_float(a.data if a.ptype != "null" else pa.scalar(None, pa.float64()), length)
        for a in args
    ]
    with np.errstate(all="ignore"):
        out = np.asarray(fn(*arrays), dtype=np.bool_ if ptype == "boolean" else np.float64)
    if arrays and propagate_null:
        # A null (NaN) argument makes the result null whatever fn did with it.
        valid = np.logical_and.reduce([~np.isnan(x) for x in arrays])
        data = pa.array(out, mask=~np.broadcast_to(valid, out.shape))
    else:
        data = pa.array(out)
    if ptype == "float":
        data = finite_or_null(data)
    if scalar:
        data = data[0] if length else pa.scalar(None, data.type)
    return Val(data, ptype)


def _arrow(site: CallSite, args: list[Val], kernel: Callable[..., object]) -> Val:
    require_numeric(site, args)
    if any(a.ptype == "null" for a in args):
        return Val(pa.scalar(None, pa.float64()), "float")
    return Val(finite_or_null(kernel(*[as_float(a) for a in args])), "float")


def _ufunc(*names: str, fn: Callable[..., np.ndarray], arity: int = 1) -> None:
    function(*names, min_args=arity)(lambda site, args: _map(site, args, fn))


def _kernel(*names: str, kernel: Callable[..., object], arity: int = 1) -> None:
    function(*names, min_args=arity)(lambda site, args: _arrow(site, args, kernel))


# -- one-argument numeric ----------------------------------------------------
_kernel("abs", kernel=pc.abs)
_kernel("ceil", kernel=pc.ceil)
_kernel("floor", kernel=pc.floor)
_kernel("exp", kernel=pc.exp)
_kernel("sqrt", kernel=pc.sqrt)
_ufunc("log", fn=np.log)
_ufunc("log10", fn=np.log10)
_ufunc("log1p", fn=np.log1p)
_ufunc("expm1", fn=np.expm1)
_ufunc("log2", fn=np.log2)
_ufunc("frac", fn=lambda x: x - np.trunc(x))
_ufunc("logn", fn=lambda x, b: np.log(x) / np.log(b), arity=2)
_ufunc("pow", fn=np.power, arity=2)
_ufunc("root", fn=lambda x, k: np.power(x, 1.0 / k), arity=2)
_ufunc("percent_of", fn=lambda a, b: a / b * 100.0, arity=2)
_ufunc(
    "iclamp",
    fn=lambda lo, v, hi: np.where((v <= lo) | (v >= hi), v, np.where((v - lo) < (hi - v), lo, hi)),
    arity=3,
)


@function("round", min_args=1)
def _round(site: CallSite, args: list[Val]) -> Val:
    # ExprTK rounds halves away from zero (round(-2.5) is -3), not to even.
    return _arrow(site, args, lambda x: pc.round(x, round_mode="half_towards_infinity"))


@function("trunc", min_args=1)
def _trunc(site: CallSite, args: list[Val]) -> Val:
    require_numeric(site, args)
    if args[0].ptype == "integer":
        return Val(args[0].data, "integer")
    truncated = finite_or_null(pc.trunc(as_float(args[0])))
    return Val(pc.cast(truncated, pa.int64(), safe=False), "integer")


@function("sgn", min_args=1)
def _sgn(site: CallSite, args: list[Val]) -> Val:
    require_numeric(site, args)
    return Val(pc.cast(pc.sign(as_float(args[0])), pa.int64()), "integer")


# -- variadic aggregates across arguments ---------------------------------------
def _variadic(fn: Callable[[list[np.ndarray]], np.ndarray]) -> Callable[[CallSite, list[Val]], Val]:
    return lambda site, args: _map(site, args, lambda *xs: fn(list(xs)))


def _fold(better: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    """min/max as Perspective 3.8 folds them, left to right: a later input
    replaces the running result when strictly better, a null first input
    makes the result null, and a later null freezes the result reached so
    far (``min(0, null, -1)`` is 0, ``min(0, -1, null)`` is -1)."""

    def impl(site: CallSite, args: list[Val]) -> Val:
        def run(*xs: np.ndarray) -> np.ndarray:
            result = xs[0]
            frozen = np.zeros(np.shape(result), dtype=bool)
            for x in xs[1:]:
                frozen = frozen | np.isnan(x)
                result = np.where(~frozen & better(x, result), x, result)
            return result

        return _map(site, args, run, propagate_null=False)

    return impl


def _lt(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a < b`` with null (NaN) below every value, as Perspective compares."""
    return (np.isnan(a) & ~np.isnan(b)) | (a < b)


function("min", min_args=1, max_args=None)(_fold(np.less))
function("max", min_args=1, max_args=None)(_fold(np.greater))
function("clamp", min_args=3)(
    lambda site, args: _map(
        site,
        args,
        lambda lo, v, hi: np.where(_lt(v, lo), lo, np.where(_lt(hi, v), hi, v)),
        propagate_null=False,
    )
)
function("sum", min_args=1, max_args=None)(_variadic(lambda xs: np.add.reduce(xs)))
function("mul", min_args=1, max_args=None)(_variadic(lambda xs: np.multiply.reduce(xs)))
function("avg", min_args=1, max_args=None)(_variadic(lambda xs: np.add.reduce(xs) / len(xs)))


# -- comparisons as functions -----------------------------------------------
@function("inrange", min_args=3)
def _inrange(site: CallSite, args: list[Val]) -> Val:
    return _map(site, args, lambda lo, v, hi: (lo <= v) & (v <= hi), "boolean")


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # ExprTK's equal() tolerates a relative epsilon of 1e-10.
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return np.abs(a - b) <= 1e-10 * scale


function("equal", min_args=2)(lambda site, args: _map(site, args, _close, "boolean"))
function("not_equal", min_args=2)(
    lambda site, args: _map(site, args, lambda a, b: ~_close(a, b), "boolean")
)


@function("not", min_args=1)
def _not(site: CallSite, args: list[Val]) -> Val:
    return Val(pc.invert(truthy(args[0])), "boolean")


@function("random", min_args=0)
def _random(site: CallSite, args: list[Val]) -> Val:
    return Val(pa.array(np.random.default_rng().random(site.length)), "float")


def numeric_bucket(site: CallSite, args: list[Val]) -> Val:
    """``bucket(x, n)`` for numbers: the multiple of ``n`` at or below ``x``."""
    return _map(site, args, lambda x, size: np.floor(x / size) * size)


# -- trigonometry ----------------------------------------------------------------
_kernel("sin", kernel=pc.sin)
_kernel("cos", kernel=pc.cos)
_kernel("tan", kernel=pc.tan)
_kernel("asin", kernel=pc.asin)
_kernel("acos", kernel=pc.acos)
_kernel("atan", kernel=pc.atan)
_ufunc("cot", fn=lambda x: 1.0 / np.tan(x))
_ufunc("sec", fn=lambda x: 1.0 / np.cos(x))
_ufunc("csc", fn=lambda x: 1.0 / np.sin(x))
_ufunc("sinh", fn=np.sinh)
_ufunc("cosh", fn=np.cosh)
_ufunc("tanh", fn=np.tanh)
_ufunc("asinh", fn=np.arcsinh)
_ufunc("acosh", fn=np.arccosh)
_ufunc("atanh", fn=np.arctanh)
_ufunc("sinc", fn=lambda x: np.where(x == 0, 1.0, np.sin(x) / np.where(x == 0, 1.0, x)))
# numpy has no erf; math.erf runs once per row (~0.1 us/row, Python-level).
_ufunc("erf", fn=np.frompyfunc(math.erf, 1, 1))
_ufunc("erfc", fn=np.frompyfunc(math.erfc, 1, 1))
_ufunc("deg2rad", fn=np.deg2rad)
_ufunc("rad2deg", fn=np.rad2deg)
_ufunc("deg2grad", fn=lambda x: x * (400.0 / 360.0))
_ufunc("grad2deg", fn=lambda x: x * (360.0 / 400.0))
