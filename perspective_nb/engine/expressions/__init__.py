"""Perspective's expression language (computed columns), compiled to Arrow compute.

Text -> :mod:`.lexer` tokens -> :mod:`.parser` (Pratt) AST of
:mod:`.nodes` -> :mod:`.compiler` walk, one vectorised Arrow/numpy kernel
per node, with the function library in ``functions_*.py``.

Public API: :func:`normalize_expressions`, :func:`expression_schema`,
:func:`compute_expressions`, :func:`validate_expressions`.

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
