"""Evaluate an expression AST over a pyarrow Table, one vectorised kernel per node.

The compiler walks the AST once per computation; each node becomes one (or
a few) whole-column Arrow compute / numpy calls, so the Python overhead is
per node, never per row. Types are checked during the same walk: running it
over a zero-row table is how :func:`expression_schema` and validation learn
an expression's type without touching data.

Conditionals evaluate both branches over all rows and select with
``if_else``; variables assigned inside branches are merged the same way, so
``if``/``else`` with ``var`` updates stays vectorised.

Must not import the server, protocol or jupyter layers, nor do I/O.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ...errors import ExpressionError
from . import functions_convert, functions_datetime, functions_numeric, functions_string
from . import nodes as n
from .operators import binary, unary
from .registry import FUNCTIONS, CallSite, type_error_prefix
from .values import ARROW_TYPES, Val, condition, load_column, null_of, scalar_val

__all__ = ["Context", "unify"]

_MAX_ITERATIONS = 100_000
_BARE_VARIADIC = {
    "min": "float",
    "max": "float",
    "sum": "float",
    "avg": "float",
    "mul": "float",
    "concat": "string",
}

# The function modules register themselves on import.
_REGISTERED = (functions_convert, functions_datetime, functions_numeric, functions_string)


def unify(a: Val, b: Val) -> str | None:
    """The type both branches of a conditional can take, or None."""
    if a.ptype == b.ptype:
        return a.ptype
    if a.ptype == "null":
        return b.ptype
    if b.ptype == "null":
        return a.ptype
    if {a.ptype, b.ptype} == {"integer", "float"}:
        return "float"
    return None


def coerce(val: Val, ptype: str) -> object:
    """The data of ``val`` in the storage type of ``ptype`` (after :func:`unify`)."""
    if val.ptype == ptype:
        return val.data
    if val.ptype == "null":
        return null_of(ptype)
    return pc.cast(val.data, ARROW_TYPES[ptype])


class Context:
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
        self.variables: dict[str, Val] = {}
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
            known = ", ".join(f'"{c}"' for c in self.schema) or "none"
            raise ExpressionError(
                f'Value Error - Input column "{name}" does not exist. Columns are: {known}',
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
        spec = FUNCTIONS.get(node.name)
        if spec is not None and spec.min_args == 0:
            # ExprTK lets functions without parameters drop the parentheses.
            return self._eval_call(n.Call(node.line, node.column, node.name, ()))
        if node.name in _BARE_VARIADIC:
            # A bare variadic name is a call with no inputs: null of its type.
            return Val(null_of(_BARE_VARIADIC[node.name]), _BARE_VARIADIC[node.name])
        if spec is not None:
            raise self.error(
                node,
                f"Expected a '(' at start of function call to '{node.name}'; "
                f"write {node.name}(...)",
            )
        raise self.error(
            node,
            f"Undefined symbol: '{node.name}'. Declare variables with "
            f"'var {node.name} := ...;' and quote column names: \"column\"",
        )

    def _eval_vector_lit(self, node: n.VectorLit) -> Val:
        raise self.error(node, "Vector values are only allowed as 'var v[n] := {...}'")

    def _eval_unary(self, node: n.Unary) -> Val:
        return unary(node.op, self.evaluate(node.operand), lambda m: self.error(node, m))

    def _eval_binary(self, node: n.Binary) -> Val:
        simplified = self._identity(node)
        if simplified is not None:
            return simplified
        left = self.evaluate(node.left)
        right = self.evaluate(node.right)
        return binary(node.op, left, right, self.length, lambda m: self.error(node, m))

    def _identity(self, node: n.Binary) -> Val | None:
        """ExprTK's algebraic simplifications of a literal 0 or 1 operand.

        ``x + 0``, ``0 + x``, ``x * 1``, ``1 * x`` and ``x / 1`` are ``x``
        itself (an integer column stays integer), and ``x * 0`` / ``0 * x``
        is the constant 0 even where ``x`` is null, as in Perspective.
        """
        left, right = node.left, node.right
        lit_l = left.value if isinstance(left, n.NumberLit) else None
        lit_r = right.value if isinstance(right, n.NumberLit) else None
        if lit_l is None and lit_r is None:
            return None
        keep = None
        if node.op == "+":
            keep = left if lit_r == 0 else right if lit_l == 0 else None
        elif node.op == "*":
            if lit_l == 0 or lit_r == 0:
                other = self.evaluate(right if lit_l == 0 else left)
                if other.is_numeric:
                    return scalar_val(0.0, "float", literal=False)
                return None
            keep = left if lit_r == 1 else right if lit_l == 1 else None
        elif node.op == "/" and lit_r == 1:
            keep = left
        if keep is None:
            return None
        value = self.evaluate(keep)
        return value if value.is_numeric else None

    def _eval_call(self, node: n.Call) -> Val:
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            raise self.error(node, f"Undefined symbol: '{node.name}' is not a known function")
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

    def _eval_conditional(self, node: n.Conditional) -> Val:
        if node.otherwise is None:
            raise self.error(
                node,
                f"{type_error_prefix}: 'if' without 'else' has no value when false; add an else",
            )
        cond = condition(self.evaluate(node.condition))
        before = dict(self.variables)
        then = self.evaluate(node.then)
        after_then = self.variables
        self.variables = dict(before)
        otherwise = self.evaluate(node.otherwise)
        after_else = self.variables
        ptype = unify(then, otherwise)
        if ptype is None:
            raise self.error(
                node,
                f"{type_error_prefix}: the branches of this conditional have different types "
                f"({then.ptype} and {otherwise.ptype}); convert one of them",
            )
        # Merge variables that either branch changed, row by row.
        merged = dict(before)
        for name, old in before.items():
            a, b = after_then.get(name, old), after_else.get(name, old)
            if a is b:
                merged[name] = a
                continue
            vtype = unify(a, b)
            if vtype is None:
                raise self.error(node, f"Variable '{name}' takes different types in the branches")
            merged[name] = Val(pc.if_else(cond, coerce(a, vtype), coerce(b, vtype)), vtype)
        self.variables = merged
        return Val(pc.if_else(cond, coerce(then, ptype), coerce(otherwise, ptype)), ptype)

    def _eval_block(self, node: n.Block) -> Val:
        result = None
        for statement in node.statements:
            result = self.evaluate(statement)
        assert result is not None  # the parser never builds an empty block
        return result

    def _eval_declare(self, node: n.Declare) -> Val:
        if node.size is not None:
            raise self.error(node, "Vector variables are not supported outside indexof()")
        value = scalar_val(0.0, "float") if node.value is None else self.evaluate(node.value)
        self.variables[node.name] = value
        return value

    def _eval_assign(self, node: n.Assign) -> Val:
        if node.name not in self.variables:
            raise self.error(
                node,
                f"Undefined symbol: '{node.name}'; declare it first with 'var {node.name} := ...'",
            )
        value = self.evaluate(node.value)
        if node.op != ":=":
            current = self.variables[node.name]
            value = binary(node.op[0], current, value, self.length, lambda m: self.error(node, m))
        old = self.variables[node.name]
        if unify(old, value) is None:
            raise self.error(
                node,
                f"{type_error_prefix}: variable '{node.name}' holds {old.ptype}, cannot assign "
                f"{value.ptype}",
            )
        self.variables[node.name] = value
        return value

    def _eval_loop(self, node: n.Loop) -> Val:
        """``for``/``while``: iterate while any row's condition holds.

        Rows whose condition is false keep their variables (masked with
        ``if_else``), so per-row loop counts stay vectorised: the cost is one
        pass per iteration of the longest-running row.
        """
        if node.init is not None:
            self.evaluate(node.init)
        for _ in range(_MAX_ITERATIONS):
            cond = condition(self.evaluate(node.condition))
            if isinstance(cond, pa.Scalar):
                if not cond.as_py():
                    return Val(pa.scalar(None, pa.float64()), "null")
            elif not pc.any(cond).as_py():
                return Val(pa.scalar(None, pa.float64()), "null")
            before = dict(self.variables)
            self.evaluate(node.body)
            if node.step is not None:
                self.evaluate(node.step)
            if not isinstance(cond, pa.Scalar):
                for name, old in before.items():
                    new = self.variables[name]
                    if new is old:
                        continue
                    vtype = unify(old, new)
                    if vtype is None:
                        raise self.error(node, f"Variable '{name}' changes type inside the loop")
                    self.variables[name] = Val(
                        pc.if_else(cond, coerce(new, vtype), coerce(old, vtype)), vtype
                    )
        raise self.error(node, f"Loop did not finish after {_MAX_ITERATIONS} iterations")


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
    )
}
