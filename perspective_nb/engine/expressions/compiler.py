"""Evaluate an expression AST over a pyarrow Table, one vectorised kernel per node.

The compiler walks the AST once per computation; each node becomes one (or
a few) whole-column Arrow compute / numpy calls, so the Python overhead is
per node, never per row. Types are checked during the same walk: running it
over a zero-row table is how :func:`expression_schema` and validation learn
an expression's type without touching data.

Statements (variables, vectors, conditionals, loops) live in
:mod:`.statements`; this module holds values, operators and calls.

Must not import the server, protocol or jupyter layers, nor do I/O.
"""

from __future__ import annotations

import difflib
import math

import pyarrow as pa

from ...errors import ExpressionError
from . import (
    functions_convert,
    functions_datetime,
    functions_numeric,
    functions_string,
    functions_vector,
)
from . import nodes as n
from .operators import binary, unary
from .registry import FUNCTIONS, CallSite, type_error_prefix
from .statements import Statements, unify
from .values import Val, load_column, null_of, scalar_val

__all__ = ["Context", "unify"]

# ExprTK's named constants (Perspective reads ``inf`` as infinity, shown as
# null in JSON outputs like any non-finite value; ``epsilon`` is ExprTK's 1e-10).
_CONSTANTS = {"pi": math.pi, "epsilon": 1e-10, "inf": math.inf}

_BARE_VARIADIC = {
    "min": "float",
    "max": "float",
    "sum": "float",
    "avg": "float",
    "mul": "float",
    "concat": "string",
}

# The function modules register themselves on import.
_REGISTERED = (
    functions_convert,
    functions_datetime,
    functions_numeric,
    functions_string,
    functions_vector,
)


class Context(Statements):
    """State of one evaluation: the table, its schema, the variables.

    Parameters
    ----------
    text : str
        Expression text (for error positions).
    table : pa.Table
        The rows to compute over (zero rows to type-check only).
    schema : dict[str, str]
        Perspective type of each column.
    index : pa.Array | None
        What ``index()`` returns per row (the table's primary key); row
        numbers when None.
    index_type : str
        Perspective type of ``index``.
    """

    def __init__(
        self,
        text: str,
        table: pa.Table,
        schema: dict[str, str],
        index: pa.Array | pa.ChunkedArray | None = None,
        index_type: str = "integer",
        cache: dict[str, Val] | None = None,
    ) -> None:
        self.text = text
        self.table = table
        self.schema = schema
        self.length = table.num_rows
        # Vector elements live among the variables as "name[k]" so that
        # conditionals and loops merge them like any other variable.
        self.variables: dict[str, Val] = {}
        self.vector_sizes: dict[str, int] = {}
        self._index = index
        self._index_type = index_type
        # Loaded (cast) columns are shared by every expression of one call.
        self._cache = cache if cache is not None else {}

    def error(self, node: n.Node, message: str) -> ExpressionError:
        return ExpressionError(message, self.text, node.line, node.column)

    # -- data access used by functions -----------------------------------
    def column(self, name: str, line: int, column: int) -> Val:
        """The column ``name`` as a typed value, or an error naming it."""
        if name not in self.schema:
            names = list(self.schema)
            close = difflib.get_close_matches(name, names, n=3)
            shown = close or names[:20]
            known = ", ".join(f'"{c}"' for c in shown) or "none"
            if not close and len(names) > 20:
                known += f" and {len(names) - 20} more"
            raise ExpressionError(
                f'Value Error - Input column "{name}" does not exist. '
                + (f"Did you mean {known}?" if close else f"Columns are: {known}"),
                self.text,
                line,
                column,
            )
        if name not in self._cache:
            self._cache[name] = load_column(self.table.column(name), self.schema[name])
        return self._cache[name]

    def index_values(self) -> Val:
        """The value ``index()`` gives for each row."""
        if self._index is None:
            return Val(pa.array(range(self.length), pa.int64()), "integer")
        return load_column(self._index, self._index_type)

    # -- evaluation --------------------------------------------------------
    def evaluate(self, node: n.Node) -> Val:
        """Evaluate ``node`` over every row."""
        method = getattr(self, _METHODS[type(node)])
        return method(node)

    def _eval_number_lit(self, node: n.NumberLit) -> Val:
        return scalar_val(node.value, "float")

    def _eval_string_lit(self, node: n.StringLit) -> Val:
        return scalar_val(node.value, "string")

    def _eval_bool_lit(self, node: n.BoolLit) -> Val:
        return scalar_val(node.value, "boolean")

    def _eval_null_lit(self, node: n.NullLit) -> Val:
        return Val(pa.scalar(None, pa.float64()), "null")

    def _eval_column(self, node: n.Column) -> Val:
        return self.column(node.name, node.line, node.column)

    def _eval_var(self, node: n.Var) -> Val:
        if node.name in self.variables:
            return self.variables[node.name]
        if node.name in self.vector_sizes:
            return Val(pa.scalar(None, pa.float64()), "vector", literal=node.name)
        spec = FUNCTIONS.get(node.name)
        if spec is not None and spec.min_args == 0:
            # ExprTK lets functions without parameters drop the parentheses.
            return self._eval_call(n.Call(node.line, node.column, node.name, ()))
        if node.name in _CONSTANTS:
            return scalar_val(_CONSTANTS[node.name], "float")
        if node.name in _BARE_VARIADIC:
            # A bare variadic name is a call with no inputs: null of its type.
            return Val(null_of(_BARE_VARIADIC[node.name]), _BARE_VARIADIC[node.name])
        if spec is not None:
            raise self.error(
                node,
                f"Expected a '(' at start of function call to '{node.name}'; "
                f"write {node.name}(...)",
            )
        column = next((c for c in self.schema if c.lower() == node.name), None)
        if column is not None:
            hint = f'; to use the column write it in double quotes: "{column}"'
        else:
            hint = (
                f"; declare variables with 'var {node.name} := ...;' and quote column "
                'names: "column"'
            )
        raise self.error(node, f"Undefined symbol: '{node.name}'{hint}")

    def _eval_vector_lit(self, node: n.VectorLit) -> Val:
        raise self.error(node, "Vector values are only allowed as 'var v[n] := {...}'")

    def _eval_unary(self, node: n.Unary) -> Val:
        return unary(node.op, self.evaluate(node.operand), lambda m: self.error(node, m))

    def _eval_binary(self, node: n.Binary) -> Val:
        # ``a + b + c + ...`` parses left-deep: walk the left spine in a loop
        # rather than recursing once per operator (thousands of terms would
        # exceed Python's recursion limit). Right operands nest only as deep
        # as the parser allows.
        spine = [node]
        while isinstance(spine[-1].left, n.Binary):
            spine.append(spine[-1].left)
        value = self._binary(spine.pop(), None)
        for parent in reversed(spine):
            value = self._binary(parent, value)
        return value

    def _binary(self, node: n.Binary, left_value: Val | None) -> Val:
        """``node`` evaluated, its left side already evaluated when given.

        The left side is always evaluated first (or alone), so passing it in
        changes no order of evaluation.
        """
        simplified = self._identity(node, left_value)
        if simplified is not None:
            return simplified
        left = self.evaluate(node.left) if left_value is None else left_value
        right = self.evaluate(node.right)
        if (
            node.op == "/"
            and isinstance(node.left, n.Column)
            and right.is_numeric
            and right.is_scalar
            and right.data.as_py() == 0
            and not _minus_signed(node.right)  # Perspective divides by -0 (infinity)
        ):
            # Perspective rejects a column divided by a constant zero outright.
            raise self.error(
                node,
                f'{type_error_prefix}: the column "{node.left.name}" is divided by the constant 0',
            )
        return binary(node.op, left, right, self.length, lambda m: self.error(node, m))

    def _identity(self, node: n.Binary, left_value: Val | None = None) -> Val | None:
        """ExprTK's algebraic simplifications of a literal 0 or 1 operand.

        ``x + 0``, ``0 + x``, ``x * 1``, ``1 * x`` and ``x / 1`` are ``x``
        itself (an integer column stays integer), and ``x * 0`` / ``0 * x``
        is the constant 0 even where ``x`` is null, as in Perspective.
        """
        left, right = node.left, node.right
        lit_l = _literal(left)
        lit_r = _literal(right)
        if lit_l is None and lit_r is None:
            return None
        keep = None

        def value_of(side: n.Node) -> Val:
            if side is left and left_value is not None:
                return left_value
            return self.evaluate(side)

        if node.op == "+":
            # A zero written with a minus sign (-0, --0) is no identity in ExprTK.
            zero_l = lit_l == 0 and not _minus_signed(left)
            zero_r = lit_r == 0 and not _minus_signed(right)
            keep = left if zero_r else right if zero_l else None
        elif node.op == "*":
            if lit_l == 0 or lit_r == 0:
                other = value_of(right if lit_l == 0 else left)
                if other.is_numeric:
                    return scalar_val(0.0, "float", literal=False)
                return None
            keep = left if lit_r == 1 else right if lit_l == 1 else None
        elif node.op == "/" and lit_r == 1:
            keep = left
        if keep is None:
            return None
        value = value_of(keep)
        return value if value.is_numeric else None

    def _eval_call(self, node: n.Call) -> Val:
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            close = difflib.get_close_matches(node.name, FUNCTIONS, n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise self.error(node, f"Undefined symbol: '{node.name}' is not a known function{hint}")
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            if spec.max_args is None:
                wanted = f"at least {spec.min_args}"
            elif spec.min_args == spec.max_args:
                wanted = str(spec.min_args)
            else:
                wanted = f"{spec.min_args} to {spec.max_args}"
            raise self.error(
                node,
                f"Invalid number of input parameters for call to function: '{node.name}' "
                f"(expects {wanted}, got {count})",
            )
        args = [self.evaluate(arg) for arg in node.args]
        site = CallSite(self, node.name, node.line, node.column)
        return spec.impl(site, args)


_METHODS = {
    cls: "_eval_" + "".join("_" + c.lower() if c.isupper() else c for c in cls.__name__).lstrip("_")
    for cls in (
        n.NumberLit,
        n.StringLit,
        n.BoolLit,
        n.NullLit,
        n.Column,
        n.Var,
        n.VectorLit,
        n.Unary,
        n.Binary,
        n.Call,
        n.Conditional,
        n.Block,
        n.Declare,
        n.Assign,
        n.Loop,
        n.Element,
    )
}


def _literal(node: n.Node) -> float | None:
    """The value of a numeric literal, signs folded (``+1``, ``--1``), else None.

    ExprTK folds constant signs before its identity simplifications, so
    ``+1 * "x"`` is ``"x"`` as ``1 * "x"`` is.
    """
    sign = 1.0
    while isinstance(node, n.Unary) and node.op in "+-":
        sign = -sign if node.op == "-" else sign
        node = node.operand
    return sign * node.value if isinstance(node, n.NumberLit) else None


def _minus_signed(node: n.Node) -> bool:
    """Whether a literal is written with a ``-`` sign."""
    while isinstance(node, n.Unary):
        if node.op == "-":
            return True
        node = node.operand
    return False
