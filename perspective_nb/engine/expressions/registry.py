"""The function table: name -> arity and vectorised implementation.

``functions_*.py`` modules register into :data:`FUNCTIONS` with
:func:`function`; the compiler looks names up here. A :class:`CallSite`
gives an implementation the row count, column access and error helpers that
point at the call in the expression text.

Must not import the compiler or parser (they import this).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import ExpressionError
from .values import Val

__all__ = ["FUNCTIONS", "CallSite", "FunctionSpec", "function", "type_error_prefix"]

type_error_prefix = "Type Error - inputs do not resolve to a valid expression"


@dataclass(frozen=True)
class CallSite:
    """Where and on what a function is being called.

    ``ctx`` is the :class:`.compiler.Context` (typed loosely because the
    compiler imports this module): functions use its ``column``,
    ``index_values``, ``vector_items`` and ``set_vector_item``.
    """

    ctx: Any
    name: str
    line: int
    column: int

    @property
    def length(self) -> int:
        """Number of rows being computed."""
        return self.ctx.length

    def error(self, message: str) -> ExpressionError:
        """An :class:`ExpressionError` positioned at this call."""
        return ExpressionError(message, self.ctx.text, self.line, self.column)

    def type_error(self, args: Sequence[Val], expected: str) -> ExpressionError:
        """The standard type error: says what the call got and what it expects."""
        got = ", ".join(a.ptype for a in args) or "no arguments"
        return self.error(f"{type_error_prefix}: {self.name}() expects {expected}, got ({got})")

    def literal_string(self, arg: Val, what: str) -> str:
        """The Python value of a string-literal argument, or a positioned error."""
        if arg.ptype != "string" or not arg.is_literal or not isinstance(arg.literal, str):
            raise self.error(
                f"{type_error_prefix}: {self.name}() needs {what} as a "
                "single-quoted string literal, e.g. 'abc'"
            )
        return arg.literal


Impl = Callable[[CallSite, list[Val]], Val]


@dataclass(frozen=True)
class FunctionSpec:
    """One function: arity bounds (``max_args`` None = variadic) and implementation."""

    name: str
    min_args: int
    max_args: int | None
    impl: Impl


FUNCTIONS: dict[str, FunctionSpec] = {}


def function(*names: str, min_args: int, max_args: int | None = -1) -> Callable[[Impl], Impl]:
    """Register ``impl`` under each of ``names``.

    ``max_args`` defaults to ``min_args``; pass None for variadic functions.
    """

    def register(impl: Impl) -> Impl:
        upper = min_args if max_args == -1 else max_args
        for name in names:
            FUNCTIONS[name] = FunctionSpec(name, min_args, upper, impl)
        return impl

    return register
