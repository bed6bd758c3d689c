"""SQL dialects: how identifiers are quoted and values written as literals.

DuckDB and Spark SQL share the query shapes the compiler writes (CTEs,
GROUPING SETS, window functions, ``NULLS FIRST``); they differ in quoting,
string escapes and null-safe equality.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError

__all__ = ["DUCKDB", "SPARK", "Dialect"]

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ZEROS = {"integer": "0", "float": "CAST(0 AS DOUBLE)", "string": "''", "boolean": "FALSE"}


@dataclass(frozen=True)
class Dialect:
    """One SQL dialect.

    Parameters
    ----------
    name
        ``"duckdb"`` or ``"spark"``.
    quote
        The identifier quote character.
    backslash_escapes
        Whether string literals treat ``\\`` as an escape (Spark SQL does).
    empty_set_total
        Whether ``GROUPING SETS ((), ...)`` yields the total row even over no
        rows (DuckDB does; Spark does not, so its total row is a separate
        plain aggregate).
    """

    name: str
    quote: str
    backslash_escapes: bool
    empty_set_total: bool = True

    def ident(self, name: str) -> str:
        """``name`` as a quoted identifier."""
        q = self.quote
        return q + name.replace(q, q + q) + q

    def string(self, text: str) -> str:
        """A string literal."""
        if self.backslash_escapes:
            text = text.replace("\\", "\\\\")
        return "'" + text.replace("'", "''") + "'"

    def literal(self, value: Any) -> str:
        """A Python value (None, bool, int, float, str, date, datetime) as a literal."""
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                return f"CAST({self.string(str(value))} AS DOUBLE)"
            return f"CAST({value!r} AS DOUBLE)"
        if isinstance(value, _dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
            return f"TIMESTAMP {self.string(value.isoformat(sep=' '))}"
        if isinstance(value, _dt.date):
            return f"DATE {self.string(value.isoformat())}"
        if isinstance(value, str):
            return self.string(value)
        raise ConfigError(f"cannot write {value!r} ({type(value).__name__}) as a SQL literal")

    def same(self, left: str, right: str) -> str:
        """Null-safe equality (null equals null)."""
        if self.name == "spark":
            return f"({left} <=> {right})"
        return f"({left} IS NOT DISTINCT FROM {right})"

    def zero(self, ptype: str) -> str:
        """Perspective's zero of ``ptype`` (a date's is the day before 0000-01-01)."""
        if ptype == "date":
            if self.name == "spark":
                return "DATE_ADD(DATE '1970-01-01', -719529)"
            return "CAST(DATE '1970-01-01' - 719529 AS DATE)"
        if ptype == "datetime":
            return "TIMESTAMP '1970-01-01 00:00:00'"
        return _ZEROS[ptype]

    def first(self, value: str, order: str) -> str:
        """``value`` at the row of least ``order`` (rows where ``order`` is null skipped)."""
        if self.name == "spark":
            return f"MIN_BY({value}, {order})"
        return f"ARG_MIN_NULL({value}, {order})"  # ARG_MIN would skip a null value

    def last(self, value: str, order: str) -> str:
        """``value`` at the row of greatest ``order`` (rows where ``order`` is null skipped)."""
        if self.name == "spark":
            return f"MAX_BY({value}, {order})"
        return f"ARG_MAX_NULL({value}, {order})"

    def regex(self, expr: str, pattern: str) -> str:
        """Whether ``pattern`` matches anywhere in ``expr`` (RE2 in DuckDB, Java's
        regular expressions in Spark: the same for the common syntax)."""
        if self.name == "spark":
            return f"({expr} RLIKE {self.string(pattern)})"
        return f"REGEXP_MATCHES({expr}, {self.string(pattern)})"

    def ascii_lower(self, expr: str) -> str:
        """``expr`` with ASCII letters lowered only (as Perspective's text filters)."""
        return f"TRANSLATE({expr}, '{_UPPER}', '{_UPPER.lower()}')"


DUCKDB = Dialect("duckdb", '"', False)
SPARK = Dialect("spark", "`", True, False)
