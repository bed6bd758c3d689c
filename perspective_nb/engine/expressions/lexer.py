"""Tokenizer for Perspective's expression language (an ExprTK dialect).

Turns expression text into a list of :class:`Token` with zero-based line and
column, so every later error can point at the offending character. Knows the
lexical rules only: double-quoted column names, single-quoted string
literals (a backslash keeps the next character literally, as ExprTK does),
numbers, identifiers, operators and the three comment forms (``//``, ``#``
and ``/* ... */``).

Lexing is linear in the text: line and column are tracked as the scan moves
forward, never recomputed from the start. Text longer than
:data:`MAX_EXPRESSION_LENGTH` characters is refused before scanning.

Must not import pyarrow, numpy or anything outside this package but
``perspective_nb.errors``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ExpressionError

__all__ = ["MAX_EXPRESSION_LENGTH", "Token", "tokenize"]

#: Longest expression text accepted, in characters. Real formulas are a few
#: hundred characters; the bound keeps one request from holding a worker.
MAX_EXPRESSION_LENGTH = 100_000

# Longest operators first so ``:=`` wins over ``:`` and ``<=`` over ``<``.
_OPERATORS = (
    ":=",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "==",
    "!=",
    "<>",
    "<=",
    ">=",
    "&&",
    "||",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "<",
    ">",
    "=",
    "&",
    "|",
    "!",
    "?",
    ":",
    ";",
    ",",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
)


_TWO_CHAR = frozenset(op for op in _OPERATORS if len(op) == 2)
_ONE_CHAR = frozenset(op for op in _OPERATORS if len(op) == 1)


@dataclass(frozen=True)
class Token:
    """One lexical token.

    ``kind`` is one of ``number``, ``string``, ``column``, ``ident``, ``op``
    or ``eof``; ``value`` is the decoded text (numbers stay text until the
    parser turns them into floats).
    """

    kind: str
    value: str
    line: int
    column: int


def _position(text: str, offset: int) -> tuple[int, int]:
    # For errors only (called once): tokens use the incremental _Cursor.
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start


class _Cursor:
    """Line and column of forward-moving offsets, in linear total time.

    Each call only scans the text between the previous offset and the new
    one, so the whole tokenisation touches every character a bounded number
    of times (rescanning from the start made lexing quadratic).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 0
        self.line_start = 0

    def at(self, offset: int) -> tuple[int, int]:
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.line, offset - self.line_start


def _error(text: str, offset: int, message: str) -> ExpressionError:
    line, column = _position(text, offset)
    return ExpressionError(message, text, line, column)


def _excerpt(text: str, limit: int = 60) -> str:
    """``repr`` of ``text``, cut so an error message stays readable."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def _read_quoted(text: str, start: int, quote: str) -> tuple[str, int]:
    """Read a quoted token starting after the opening quote; return (value, end)."""
    out: list[str] = []
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            # ExprTK drops the backslash and keeps the next character verbatim.
            out.append(text[i + 1])
            i += 2
            continue
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\n" and quote == "'":
            # Perspective refuses a string literal spanning lines too.
            raise _error(
                text,
                start - 1,
                f"Invalid string token: string literal {_excerpt(text[start - 1 : i])} "
                "spans lines; close it on the line it starts",
            )
        out.append(ch)
        i += 1
    what = "column name" if quote == '"' else "string literal"
    raise _error(
        text,
        start - 1,
        f"Invalid string token: unterminated {what} {_excerpt(text[start - 1 :])}; "
        f"close it with {quote}",
    )


def _read_number(text: str, i: int) -> int:
    """Return the end offset of the number starting at ``i``."""
    n = len(text)
    while i < n and (text[i].isdigit() or text[i] == "."):
        i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j].isdigit():
            i = j
            while i < n and text[i].isdigit():
                i += 1
    return i


def tokenize(text: str) -> list[Token]:
    """Split expression text into tokens, ending with an ``eof`` token.

    Raises
    ------
    ExpressionError
        On an unterminated quote, a character the language does not use, or
        text longer than :data:`MAX_EXPRESSION_LENGTH`.
    """
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"Expression too long: {len(text):,} characters, the limit is "
            f"{MAX_EXPRESSION_LENGTH:,}; split it into several expressions or compute "
            "the column before loading the table",
            text[:100] + "...",
        )
    cursor = _Cursor(text)
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if text.startswith("//", i) or ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _error(text, i, "Unterminated comment: close '/*' with '*/'")
            i = end + 2
            continue
        line, column = cursor.at(i)
        if ch in "\"'":
            value, i = _read_quoted(text, i + 1, ch)
            tokens.append(Token("column" if ch == '"' else "string", value, line, column))
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            end = _read_number(text, i)
            tokens.append(Token("number", text[i:end], line, column))
            i = end
            continue
        if ch.isalpha() or ch == "_":
            end = i + 1
            while end < n and (text[end].isalnum() or text[end] == "_"):
                end += 1
            tokens.append(Token("ident", text[i:end], line, column))
            i = end
            continue
        # Longest match first: ``:=`` wins over ``:``, ``<=`` over ``<``.
        op = text[i : i + 2] if text[i : i + 2] in _TWO_CHAR else ch if ch in _ONE_CHAR else ""
        if op:
            tokens.append(Token("op", op, line, column))
            i += len(op)
        else:
            raise _error(
                text,
                i,
                f"Invalid special function token: {ch!r} is not part of the expression "
                "language (column names go in double quotes, strings in single quotes)",
            )
    line, column = cursor.at(n)
    tokens.append(Token("eof", "", line, column))
    return tokens
