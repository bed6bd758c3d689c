"""Perspective's expression language (computed columns), compiled to Arrow compute.

Text -> :mod:`.lexer` tokens -> :mod:`.parser` (Pratt) AST of
:mod:`.nodes` -> :mod:`.compiler` walk, one vectorised Arrow/numpy kernel
per node, with the function library in ``functions_*.py``.

Public API: :func:`normalize_expressions`, :func:`expression_schema`,
:func:`compute_expressions`, :func:`validate_expressions`.

Semantics follow perspective-python 3.8 (checked by tests/oracle), quirks
included (ExprTK's ``x + 0``/``x * 1`` folding, ``min``/``max`` null
folding, a null boolean condition taking the ``then`` branch, bucket
multiples, date packing in ``integer(date)``). Deliberate differences, where
3.8 is plainly wrong or undefined:

- an integer compared with a float compares values (3.8: always false);
- a non-boolean ``if``/``?:`` condition uses ExprTK truthiness, non-zero
  and present (3.8: always the ``then`` branch);
- NaN/inf become null as soon as they arise (3.8 keeps NaN distinct from
  null until the output, e.g. ``is_null(sqrt(-1))``);
- ``-0.0 == 0`` is true (IEEE); instants before 1970 floor instead of
  truncating toward 1970; ``bucket(x, '0Y')`` is rejected;
- ``abs`` of an integer works (3.8: null); ``&``/``|`` mean ``and``/``or``;
  ``x == null`` tests for null; non-ASCII string literals are accepted;
- extensions 3.8 lacks or rejects on every call: ``coalesce``,
  ``contains``, ``not``, ``vlookup``, ``sec``, ``csc``.

Limits (each refused with an :class:`~perspective_nb.errors.ExpressionError`
saying which limit was hit, which :func:`validate_expressions` reports in
its ``errors`` like any other error):

- text longer than ``MAX_EXPRESSION_LENGTH`` (100,000) characters
  (:mod:`.lexer`); lexing is linear in the text below that;
- nesting deeper than ``MAX_NESTING_DEPTH`` (200) levels (:mod:`.parser`):
  each parenthesis, block, call, sign, ``^`` or ``?:`` operand, loop and
  ``else if`` counts one level. Left-associative chains (``1 + 1 + ... +
  1``, any length up to the text limit) do not nest: the parser and the
  compiler handle them in a loop;
- vectors of more than ``MAX_VECTOR_SIZE`` (10,000) elements; loops of
  more than 100,000 iterations (:mod:`.statements`).

Pure pyarrow + numpy: nothing from the protocol, server or jupyter layers.
"""

from .api import (
    compute_expressions,
    expression_schema,
    normalize_expressions,
    validate_expressions,
)

__all__ = [
    "compute_expressions",
    "expression_schema",
    "normalize_expressions",
    "validate_expressions",
]
