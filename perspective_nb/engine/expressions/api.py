"""Public entry points: normalise, type, validate and compute expression columns.

The View pipeline calls these four functions; everything else in the
package is an implementation detail. Expressions are given as
``{alias: text}`` (or Perspective's list form, see
:func:`normalize_expressions`). Types are found by evaluating each
expression over a zero-row table built from the schema, so typing and
computing can never disagree.

Pure pyarrow; no I/O.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...errors import ExpressionError
from .compiler import Context
from .nodes import Node
from .parser import MAX_NESTING_DEPTH, parse
from .values import ARROW_TYPES, Val, broadcast, finite_or_null

__all__ = [
    "compute_expressions",
    "expression_schema",
    "normalize_expressions",
    "validate_expressions",
]

_OUTPUT_TYPES = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
}


def normalize_expressions(expressions: dict[str, str] | list[str] | None) -> dict[str, str]:
    """Return expressions as ``{alias: text}``.

    In the list form (Perspective's), an expression whose first line is a
    ``// name`` comment is named ``name`` (trimmed) and its text is the rest
    after that line; any other expression is named by its whole text. Later
    duplicates replace earlier ones. The dict form is returned as given.

    Examples
    --------
    >>> normalize_expressions(['// total\\n"a" + "b"', '"a" * 2'])
    {'total': '"a" + "b"', '"a" * 2': '"a" * 2'}
    """
    if expressions is None:
        return {}
    if isinstance(expressions, dict):
        return {str(k): str(v) for k, v in expressions.items()}
    if not isinstance(expressions, (list, tuple)):
        raise ExpressionError(
            f"expressions must be a dict of alias -> expression or a list of expressions, "
            f"got {type(expressions).__name__} {expressions!r:.60}; "
            'pass e.g. {"x2": \'"x" * 2\'}',
            str(expressions)[:100],
        )
    out: dict[str, str] = {}
    for text in expressions:
        if not isinstance(text, str):
            raise ExpressionError(
                f"expressions must be strings, got {type(text).__name__}: {text!r}", str(text)
            )
        first, newline, rest = text.partition("\n")
        if first.lstrip().startswith("//") and newline:
            out[first.lstrip()[2:].strip()] = rest
        else:
            out[text] = text
    return out


def _empty_table(schema: dict[str, str]) -> pa.Table:
    return pa.table({name: pa.array([], ARROW_TYPES[ptype]) for name, ptype in schema.items()})


def _parse(alias: str, text: str, schema: dict[str, str]) -> Node:
    if alias in schema:
        raise ExpressionError(
            f'Value Error - expression "{alias}" cannot overwrite an existing column; '
            "give the expression another name",
            text,
        )
    try:
        return parse(text)
    except RecursionError:
        raise _too_deep(text) from None


def _too_deep(text: str) -> ExpressionError:
    # A backstop only: the parser's nesting limit keeps well clear of
    # Python's recursion limit, but a caller's own deep stack might not.
    return ExpressionError(
        f"Expression nested too deeply to evaluate (the limit is {MAX_NESTING_DEPTH} "
        "levels); flatten it, e.g. with variables ('var x := ...;')",
        text[:100],
    )


def _typed(ctx: Context, node: Node) -> Val:
    try:
        result = ctx.evaluate(node)
    except RecursionError:
        raise _too_deep(ctx.text) from None
    if result.ptype == "vector":
        raise ExpressionError(
            "Type Error - inputs do not resolve to a valid expression: a vector cannot be a "
            "column; end with one of its elements, e.g. v[0]",
            ctx.text,
            node.line,
            node.column,
        )
    if result.ptype == "null":
        raise ExpressionError(
            "Type Error - inputs do not resolve to a valid expression: the expression is "
            "always null; give it a typed value",
            ctx.text,
            node.line,
            node.column,
        )
    return result


def expression_schema(
    schema: dict[str, str], expressions: dict[str, str], index_type: str = "integer"
) -> dict[str, str]:
    """Perspective type of each expression.

    Parameters
    ----------
    schema : dict[str, str]
        Perspective type of each table column.
    expressions : dict[str, str]
        ``{alias: text}``, e.g. from :func:`normalize_expressions`.
    index_type : str
        Type of the table's primary key (what ``index()`` returns).

    Raises
    ------
    ExpressionError
        On the first expression that does not parse or type-check.

    Examples
    --------
    >>> expression_schema({"a": "integer"}, {"x": '"a" / 2', "y": "upper('b')"})
    {'x': 'float', 'y': 'string'}
    """
    empty = _empty_table(schema)
    index = pa.array([], ARROW_TYPES[index_type])
    out: dict[str, str] = {}
    for alias, text in expressions.items():
        node = _parse(alias, text, schema)
        out[alias] = _typed(Context(text, empty, schema, index, index_type), node).ptype
    return out


def validate_expressions(
    schema: dict[str, str],
    expressions: dict[str, str] | list[str],
    index_type: str = "integer",
) -> dict[str, Any]:
    """Check expressions without computing them, in Perspective's result shape.

    Returns
    -------
    dict
        ``{"expression_schema": {alias: type}, "errors": {alias:
        {"error_message", "line", "column"}}, "expression_alias": {alias: text}}``.

    Examples
    --------
    >>> r = validate_expressions({"a": "float"}, {"ok": '"a" + 1', "bad": '"b"'})
    >>> r["expression_schema"], sorted(r["errors"])
    ({'ok': 'float'}, ['bad'])
    """
    named = normalize_expressions(expressions)
    types: dict[str, str] = {}
    errors: dict[str, dict[str, Any]] = {}
    for alias, text in named.items():
        try:
            types.update(expression_schema(schema, {alias: text}, index_type))
        except ExpressionError as exc:
            errors[alias] = {"error_message": exc.message, "line": exc.line, "column": exc.column}
    return {"expression_schema": types, "errors": errors, "expression_alias": named}


def _finish(val: Val, length: int) -> pa.Array | pa.ChunkedArray:
    target = _OUTPUT_TYPES[val.ptype]
    data = val.data
    if val.ptype == "float":
        data = finite_or_null(data)
    data = broadcast(data, length, target)
    if data.type != target:
        data = pc.cast(data, target)
    return data


def compute_expressions(
    table: pa.Table,
    schema: dict[str, str],
    expressions: dict[str, str],
    index: pa.Array | pa.ChunkedArray | None = None,
    index_type: str = "integer",
) -> dict[str, pa.ChunkedArray | pa.Array]:
    """Compute every expression over ``table``, vectorised.

    Parameters
    ----------
    table : pa.Table
        Rows to compute over; columns in any storage Perspective accepts.
    schema : dict[str, str]
        Perspective type of each column of ``table``.
    expressions : dict[str, str]
        ``{alias: text}``.
    index, index_type
        The primary key per row and its type, for ``index()`` and
        ``vlookup()``; row numbers when ``index`` is None.

    Returns
    -------
    dict
        ``{alias: array}`` of ``table.num_rows`` values each, in Arrow types
        int64 / float64 / bool / string / date32 / timestamp[ms].

    Examples
    --------
    >>> t = pa.table({"p": [1.5, 2.0], "q": [2, 3]})
    >>> compute_expressions(t, {"p": "float", "q": "integer"}, {"x": '"p" * "q"'})["x"].to_pylist()
    [3.0, 6.0]
    """
    cache: dict[str, Val] = {}
    out: dict[str, pa.ChunkedArray | pa.Array] = {}
    for alias, text in expressions.items():
        node = _parse(alias, text, schema)
        ctx = Context(text, table, schema, index, index_type, cache)
        out[alias] = _finish(_typed(ctx, node), table.num_rows)
    return out
