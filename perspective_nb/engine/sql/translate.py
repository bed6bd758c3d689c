"""Expression columns -> SQL expressions, where SQL can say the same thing.

Translated: column references, number / string / boolean / null literals,
``+ - * / %`` (on doubles, as the in-memory engine computes numbers),
comparisons, ``and`` / ``or`` / ``not``, ``if`` / ``?:`` and the functions
in ``_FUNCTIONS``. Anything else (variables, loops, vectors, other
functions) raises an :class:`~perspective_nb.errors.ExpressionError`
naming what has no translation, so a view never silently differs.
"""

from __future__ import annotations

from ...errors import ExpressionError, PerspectiveError
from ..expressions import nodes as n
from ..expressions.parser import parse
from .dialect import Dialect

__all__ = ["translate_expressions", "untranslatable"]

_FUNCTIONS = {
    "abs": ("ABS", 1),
    "sqrt": ("SQRT", 1),
    "floor": ("FLOOR", 1),
    "ceil": ("CEIL", 1),
    "exp": ("EXP", 1),
    "pow": ("POWER", 2),
    "upper": ("UPPER", 1),
    "lower": ("LOWER", 1),
    "length": ("LENGTH", 1),
    "concat": (None, None),
    "is_null": (None, 1),
    "is_not_null": (None, 1),
    "not": (None, 1),  # not(x): the same as the operator
}
_TYPES = {"float": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE",
          "datetime": "TIMESTAMP"}  # fmt: skip
_NUM_OPS = {"+", "-", "*", "/", "%"}
_CMP = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _truthy(sql: str) -> str:
    return f"COALESCE(CAST({sql} AS BOOLEAN), FALSE)"


def _compare(op: str, left: str, right: str) -> str:
    """The engine's comparison: null equals null and sorts below every value."""
    a, b = f"({left} IS NULL)", f"({right} IS NULL)"
    fill = {
        "==": f"({a} AND {b})",
        "!=": f"({a} <> {b})",
        "<": f"({a} AND NOT {b})",
        "<=": a,
        ">": f"({b} AND NOT {a})",
        ">=": b,
    }[op]
    return f"COALESCE(({left} {_CMP[op]} {right}), {fill})"


def _sql(node: n.Node, schema: dict[str, str], d: Dialect) -> str:
    if isinstance(node, n.Block) and len(node.statements) == 1:
        return _sql(node.statements[0], schema, d)
    if isinstance(node, n.NumberLit):
        return f"CAST({float(node.value)!r} AS DOUBLE)"
    if isinstance(node, n.StringLit):
        return d.string(node.value)
    if isinstance(node, n.BoolLit):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, n.NullLit):
        return "NULL"
    if isinstance(node, n.Column):
        if node.name not in schema:
            raise ExpressionError(f"column {node.name!r} is not in the table")
        return d.ident(node.name)
    if isinstance(node, n.Unary):
        inner = _sql(node.operand, schema, d)
        if node.op == "-":
            return f"(-CAST({inner} AS DOUBLE))"
        if node.op == "+":
            return f"CAST({inner} AS DOUBLE)"
        if node.op in ("!", "not"):
            return f"(NOT {_truthy(inner)})"
    if isinstance(node, n.Binary):
        left, right = _sql(node.left, schema, d), _sql(node.right, schema, d)
        if node.op in _NUM_OPS:
            left, right = f"CAST({left} AS DOUBLE)", f"CAST({right} AS DOUBLE)"
            if node.op in ("/", "%"):
                # x / 0 and fmod(x, 0) are NaN or infinite: null, as the engine has them.
                right = f"NULLIF({right}, 0)"
            return f"({left} {node.op} {right})"
        if node.op in _CMP:
            return _compare(node.op, left, right)
        if node.op in ("and", "or", "&&", "||"):
            word = "AND" if node.op in ("and", "&&") else "OR"
            return f"({_truthy(left)} {word} {_truthy(right)})"
    if isinstance(node, n.Conditional) and node.otherwise is not None:
        cond = _truthy(_sql(node.condition, schema, d))
        then, other = _sql(node.then, schema, d), _sql(node.otherwise, schema, d)
        return f"(CASE WHEN {cond} THEN {then} ELSE {other} END)"
    if isinstance(node, n.Call) and node.name in _FUNCTIONS:
        fn, arity = _FUNCTIONS[node.name]
        if arity is not None and len(node.args) != arity:
            raise ExpressionError(f"{node.name}() takes {arity} argument(s)")
        args = [_sql(a, schema, d) for a in node.args]
        if node.name == "not":
            return f"(NOT {_truthy(args[0])})"
        if node.name == "is_null":
            return f"({args[0]} IS NULL)"
        if node.name == "is_not_null":
            return f"({args[0]} IS NOT NULL)"
        if node.name == "concat":
            return "(" + " || ".join(f"CAST({a} AS STRING)" for a in args) + ")"
        if node.name in ("upper", "lower"):
            return f"NULLIF({fn}({args[0]}), '')"  # the engine gives null for
        return f"{fn}({', '.join(args)})"
    what = f"function {node.name}()" if isinstance(node, n.Call) else type(node).__name__
    raise ExpressionError(
        f"{what} has no SQL translation, so this expression cannot run on a virtual "
        "(DuckDB / Spark) table; compute it in the source query instead"
    )


def translate_expressions(
    expressions: dict[str, str], schema: dict[str, str], dialect: Dialect,
    types: dict[str, str] | None = None,
) -> dict[str, str]:  # fmt: skip
    """``{alias: SQL}`` for ``{alias: expression text}``.

    Raises
    ------
    ExpressionError
        Naming the alias and what has no translation.
    """
    out = {}
    for alias, text in expressions.items():
        try:
            sql = _sql(parse(text), schema, dialect)
        except ExpressionError as exc:
            raise ExpressionError(f"expression {alias!r}: {exc}") from exc
        t = (types or {}).get(alias)
        if t in _TYPES:
            sql = f"CAST({sql} AS {_TYPES[t]})"
        out[alias] = sql
    return out


def untranslatable(text: str, schema: dict[str, str], dialect: Dialect) -> str | None:
    """Why ``text`` cannot run on a virtual table, or None when it can."""
    try:
        _sql(parse(text), schema, dialect)
    except PerspectiveError as exc:
        return str(exc)
    return None
