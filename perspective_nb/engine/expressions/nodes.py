"""The expression AST: immutable dataclasses the parser builds and the compiler walks.

Each node records the zero-based ``line`` and ``column`` of the token that
started it, so type errors found later can still point into the text.

Must not import pyarrow, numpy or any other module of this package.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Assign",
    "Binary",
    "Block",
    "BoolLit",
    "Call",
    "Column",
    "Conditional",
    "Declare",
    "Element",
    "Loop",
    "Node",
    "NullLit",
    "NumberLit",
    "StringLit",
    "Unary",
    "Var",
    "VectorLit",
]


@dataclass(frozen=True)
class Node:
    """Base of every AST node (position only)."""

    line: int
    column: int


@dataclass(frozen=True)
class NumberLit(Node):
    """A numeric literal; ExprTK numbers are always floats."""

    value: float


@dataclass(frozen=True)
class StringLit(Node):
    """A single-quoted string literal (escapes already decoded)."""

    value: str


@dataclass(frozen=True)
class BoolLit(Node):
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True)
class NullLit(Node):
    """The ``null`` keyword."""


@dataclass(frozen=True)
class Column(Node):
    """A double-quoted column reference such as ``"price"``."""

    name: str


@dataclass(frozen=True)
class Var(Node):
    """A reference to a ``var`` declared earlier in the expression."""

    name: str


@dataclass(frozen=True)
class VectorLit(Node):
    """A brace-enclosed vector initialiser ``{1, 2}`` (only in ``var v[n] := ...``)."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    """Prefix ``-`` or ``+``."""

    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    """An infix operator; ``op`` is normalised (``=`` becomes ``==``, ``<>`` ``!=``...)."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    """A function call; ``name`` is lower-cased (ExprTK names are case-insensitive)."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Conditional(Node):
    """``if``/``else`` in all three spellings; ``otherwise`` is None when there is no else."""

    condition: Node
    then: Node
    otherwise: Node | None


@dataclass(frozen=True)
class Block(Node):
    """Statements separated by ``;``; the value is the last statement's."""

    statements: tuple[Node, ...]


@dataclass(frozen=True)
class Declare(Node):
    """``var name := value`` (value None for a bare ``var name``); ``size`` for vectors."""

    name: str
    value: Node | None
    size: int | None = None


@dataclass(frozen=True)
class Assign(Node):
    """``name := value`` or a compound form (``+=``, ``-=``, ``*=``, ``/=``, ``%=``).

    ``index`` is set for an element of a vector variable (``v[0] := 1``).
    """

    name: str
    op: str
    value: Node
    index: Node | None = None


@dataclass(frozen=True)
class Element(Node):
    """``v[index]``: one element of a vector variable."""

    name: str
    index: Node


@dataclass(frozen=True)
class Loop(Node):
    """``for (init; condition; step) body`` or ``while (condition) body``."""

    init: Node | None
    condition: Node
    step: Node | None
    body: Node
