"""Filter terms -> one SQL predicate, with Perspective's null rules.

A null value fails every op except ``is null``, ``!=`` and ``not in``; a
comparison whose value is not set yet keeps every row; text matches (and
their ``not`` forms) ignore ASCII case only; ``matches`` is a regular
expression search, and a pattern the engine's RE2 cannot compile matches
no row. Values are converted exactly as the in-memory filters
convert them (:func:`..filters.filter_value`), then written as literals.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...errors import ConfigError
from ..filters import filter_value
from .dialect import Dialect

__all__ = ["ARROW_OF", "where_clause"]

#: The Arrow type a filter value of each Perspective type converts to.
ARROW_OF = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
}

_COMPARE = {"==": "=", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}


def _value(value: Any, ptype: str, name: str) -> Any:
    return filter_value(value, ARROW_OF[ptype], ptype, name).as_py()


# Constant predicates as comparisons: Spark 4 refuses a WHERE that is a bare
# parenthesised literal, ``WHERE (FALSE)``, under a CTE with a row number
# (ASSIGNMENT_ARITY_MISMATCH), while ``(1 = 0)`` works everywhere.
_ALWAYS, _NEVER = "(1 = 1)", "(1 = 0)"


def term(col: str, ptype: str, name: str, op: str, value: Any, d: Dialect) -> str:
    """One ``[column, op, value]`` term over the SQL expression ``col``."""
    if op == "is null":
        return f"({col} IS NULL)"
    if op == "is not null":
        return f"({col} IS NOT NULL)"
    if op in ("in", "not in"):
        values = value if isinstance(value, (list, tuple)) else [value]
        lits = [d.literal(_value(v, ptype, name)) for v in values]
        hit = f"({col} IN ({', '.join(lits)}))" if lits else _NEVER
        if op == "not in":
            return f"COALESCE(NOT {hit}, TRUE)"  # a null is "not in" every set
        return f"COALESCE({hit}, FALSE)"
    if value is None:
        return _ALWAYS  # Perspective ignores a comparison whose value is not set yet
    if op in _COMPARE:
        lit = d.literal(_value(value, ptype, name))
        cmp = f"({col} {_COMPARE[op]} {lit})"
        return f"COALESCE({cmp}, TRUE)" if op == "!=" else cmp
    if op in ("matches", "not matches"):
        if not _compiles(str(value)):
            return _NEVER  # as the engine: matches no row, negated or not
        hit = d.regex(col, str(value))
        return hit if op == "matches" else f"({col} IS NOT NULL AND NOT {hit})"
    hit = _text(col, op.removeprefix("not "), value, d)
    if hit is None:
        raise ConfigError(f"unknown filter op {op!r} for column {name!r}")
    if op.startswith("not "):
        # A null row fails the negated ops too (it is not text), as in Perspective 5.x.
        return f"({col} IS NOT NULL AND NOT {hit})"
    return hit


def _compiles(pattern: str) -> bool:
    """Whether RE2 (the engine's regular expressions) compiles ``pattern``."""
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern=pattern)
    except pa.ArrowInvalid:
        return False
    return True


def _text(col: str, op: str, value: Any, d: Dialect) -> str | None:
    """``begins with`` / ``ends with`` / ``contains``, ignoring ASCII case only."""
    pattern = "".join(ch.lower() if ch.isascii() else ch for ch in str(value))
    lowered = d.ascii_lower(col)
    lit = d.string(pattern)
    if op == "begins with":
        return f"(LEFT({lowered}, {len(pattern)}) = {lit})"
    if op == "ends with":
        return f"(RIGHT({lowered}, {len(pattern)}) = {lit})" if pattern else f"({col} IS NOT NULL)"
    if op == "contains":
        return f"(INSTR({lowered}, {lit}) > 0)"
    return None


def where_clause(filters: tuple, filter_op: str, schema: dict[str, str], d: Dialect) -> str | None:
    """The WHERE predicate of a view's filters (None without filters).

    A WHERE keeps only rows whose predicate is true (null drops the row, as
    a failed filter does), so the terms are joined bare: plain comparisons
    stay visible to the database, which pushes them into its scan.
    """
    if not filters:
        return None
    terms = [term(d.ident(c), schema[c], c, op, v, d) for c, op, v in filters]
    joiner = " AND " if filter_op == "and" else " OR "
    return f"({joiner.join(terms)})"
