"""Hand-written Pratt parser: expression text -> :mod:`.nodes` AST.

Operator precedence follows ExprTK (lowest first): assignment, ``? :``,
``or``, ``and``, ``xor``, comparisons, ``+ -``, ``* / %``, unary ``-``,
``^`` (right-associative, so ``-2 ^ 2`` is ``-4``). Statements are separated
by ``;`` and the value of the expression is that of the last one.

Syntax errors carry the zero-based line/column of the offending token and
say what was expected. Nesting (parentheses, blocks, calls, unary signs,
right-associative ``^`` chains, conditionals) deeper than
:data:`MAX_NESTING_DEPTH` is refused with an :class:`ExpressionError`, so
parsing and compiling (both recursive per nesting level) stay far from
Python's recursion limit. Left-associative chains such as ``1 + 1 + ...``
are parsed in a loop and do not nest. Names of functions and columns are not resolved here
(the compiler does that with the table schema at hand).

Must not import pyarrow or numpy.
"""

from __future__ import annotations

from ...errors import ExpressionError
from . import nodes as n
from .lexer import Token, tokenize

__all__ = ["MAX_NESTING_DEPTH", "MAX_VECTOR_SIZE", "parse"]

#: Deepest nesting accepted (parentheses, blocks, calls, signs, ``^`` chains).
#: Each level costs a few Python frames when parsing and compiling.
MAX_NESTING_DEPTH = 200

#: Largest ``var v[n]`` accepted: each element is a variable of its own.
MAX_VECTOR_SIZE = 10_000

# Infix binding powers; bigger binds tighter.
_INFIX: dict[str, int] = {
    "?": 10,
    "or": 20,
    "nor": 20,
    "||": 20,
    "|": 20,
    "and": 30,
    "nand": 30,
    "&&": 30,
    "&": 30,
    "xor": 35,
    "xnor": 35,
    "==": 40,
    "=": 40,
    "!=": 40,
    "<>": 40,
    "<": 40,
    "<=": 40,
    ">": 40,
    ">=": 40,
    "+": 50,
    "-": 50,
    "*": 60,
    "/": 60,
    "%": 60,
    "^": 80,
}
_UNARY_BP = 70
_CANONICAL_OP = {"=": "==", "<>": "!=", "||": "or", "|": "or", "&&": "and", "&": "and"}
_WORD_OPS = {"and", "or", "xor", "nand", "nor", "xnor"}
_ASSIGN_OPS = {":=", "+=", "-=", "*=", "/=", "%="}
_UNSUPPORTED = {"repeat", "until", "switch", "case", "break", "continue", "return"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def is_op(self, value: str) -> bool:
        return self.tok.kind == "op" and self.tok.value == value

    def is_word(self, value: str) -> bool:
        return self.tok.kind == "ident" and self.tok.value.lower() == value

    def error(self, tok: Token, message: str) -> ExpressionError:
        return ExpressionError(message, self.text, tok.line, tok.column)

    def expect_op(self, value: str, context: str) -> Token:
        if not self.is_op(value):
            tok = self.tok
            if tok.kind == "eof":
                raise self.error(tok, f"Premature end of expression: expected '{value}' {context}")
            if value == ")":
                raise self.error(
                    tok, f"Mismatched brackets: expected ')' {context}, got {_describe(tok)}"
                )
            raise self.error(tok, f"Expected '{value}' {context}, got {_describe(tok)}")
        return self.advance()

    # -- statements ----------------------------------------------------
    def program(self) -> n.Node:
        first = self.tok
        if first.kind == "eof":
            raise self.error(first, 'Empty expression! Write a formula such as "price" * 2')
        block = self.statement_list(until="eof")
        return block

    def statements(self, until: str) -> n.Node:
        self.enter()
        try:
            return self.statement_list(until)
        finally:
            self.depth -= 1

    def statement_list(self, until: str) -> n.Node:
        start = self.tok
        stmts: list[n.Node] = []
        while True:
            while self.is_op(";"):
                self.advance()
            if self.tok.kind == "eof" or (until == "}" and self.is_op("}")):
                break
            stmts.append(self.statement())
            if self.is_op(";"):
                continue
            if self.tok.kind == "eof" or (until == "}" and self.is_op("}")):
                break
            prev = self.tokens[self.i - 1]
            raise self.error(
                self.tok,
                f"Invalid token sequence: {_describe(prev)} and {_describe(self.tok)}; "
                "separate statements with ';' or add an operator between them",
            )
        if not stmts:
            raise self.error(start, "Empty expression! A block needs at least one statement")
        if len(stmts) == 1:
            return stmts[0]
        return n.Block(start.line, start.column, tuple(stmts))

    def statement(self) -> n.Node:
        tok = self.tok
        if self.is_word("var"):
            return self.declaration()
        if self.is_word("for") or self.is_word("while"):
            return self.loop()
        if tok.kind == "ident":
            nxt = self.tokens[self.i + 1]
            if nxt.kind == "op" and nxt.value in _ASSIGN_OPS:
                self.advance()
                op = self.advance().value
                value = self.expression(0)
                return n.Assign(tok.line, tok.column, tok.value.lower(), op, value)
            if nxt.kind == "op" and nxt.value == "[":
                # ``v[i] := x`` or an expression starting with ``v[i]``: try the former.
                start = self.i
                self.advance()
                element = self.element(tok)
                if self.tok.kind == "op" and self.tok.value in _ASSIGN_OPS:
                    op = self.advance().value
                    value = self.expression(0)
                    return n.Assign(
                        tok.line, tok.column, tok.value.lower(), op, value, element.index
                    )
                self.i = start
        return self.expression(0)

    def element(self, tok: Token) -> n.Element:
        """``name[index]`` with the name already consumed."""
        self.expect_op("[", "after the vector name")
        index = self.expression(0)
        self.expect_op("]", "to close the vector index")
        return n.Element(tok.line, tok.column, tok.value.lower(), index)

    def declaration(self) -> n.Node:
        var_tok = self.advance()
        name_tok = self.advance()
        if name_tok.kind != "ident":
            raise self.error(
                name_tok, f"Expected a variable name after 'var', got {_describe(name_tok)}"
            )
        size = None
        if self.is_op("["):
            self.advance()
            size_tok = self.advance()
            if size_tok.kind != "number":
                raise self.error(size_tok, "Expected a vector size (a number) inside '[ ]'")
            size = float(size_tok.value)
            if not 1 <= size <= MAX_VECTOR_SIZE:
                raise self.error(
                    size_tok,
                    f"Vector size {size_tok.value} is out of range; a vector holds 1 to "
                    f"{MAX_VECTOR_SIZE:,} numbers",
                )
            size = int(size)
            self.expect_op("]", "after the vector size")
        value = None
        if self.is_op(":="):
            self.advance()
            if size is not None and self.is_op("{"):
                value = self.vector()
            else:
                value = self.expression(0)
        return n.Declare(var_tok.line, var_tok.column, name_tok.value.lower(), value, size)

    def loop(self) -> n.Node:
        # Loops nest through blocks without passing through ``expression``.
        self.enter()
        try:
            return self.loop_statement()
        finally:
            self.depth -= 1

    def loop_statement(self) -> n.Node:
        keyword = self.advance()
        self.expect_op("(", f"after '{keyword.value}'")
        init = step = None
        if keyword.value.lower() == "for":
            init = None if self.is_op(";") else self.statement()
            self.expect_op(";", "after the initialiser of 'for'")
            condition = self.expression(0)
            self.expect_op(";", "after the condition of 'for'")
            step = None if self.is_op(")") else self.statement()
        else:
            condition = self.expression(0)
        self.expect_op(")", f"to close '{keyword.value}('")
        body = self.branch()
        return n.Loop(keyword.line, keyword.column, init, condition, step, body)

    def vector(self) -> n.Node:
        brace = self.advance()
        items: list[n.Node] = []
        while not self.is_op("}"):
            items.append(self.expression(0))
            if not self.is_op(","):
                break
            self.advance()
        self.expect_op("}", "to close the vector initialiser")
        return n.VectorLit(brace.line, brace.column, tuple(items))

    # -- expressions (Pratt loop) ----------------------------------------
    def expression(self, min_bp: int) -> n.Node:
        # Every nested construct re-enters here (or in ``statements``), so
        # one counter bounds the recursion of the parser and the compiler.
        # Inline rather than a helper: each Python frame per level counts
        # towards the recursion limit.
        self.enter()
        try:
            left = self.prefix()
            while True:
                tok = self.tok
                if tok.kind == "ident":
                    key = tok.value.lower()
                    if key == "else":
                        return left
                    if key not in _WORD_OPS:
                        prev = self.tokens[self.i - 1]
                        raise self.error(
                            tok, f"Invalid token sequence: {_describe(prev)} and {_describe(tok)}"
                        )
                elif tok.kind == "op" and tok.value in _INFIX:
                    key = tok.value
                else:
                    return left  # ')', ',', ';', the end, or a value the caller reports
                bp = _INFIX[key]
                if bp <= min_bp:
                    return left
                self.advance()
                if key == "?":
                    then = self.expression(0)
                    self.expect_op(":", "in the ternary 'condition ? a : b'")
                    otherwise = self.expression(bp - 1)
                    left = n.Conditional(tok.line, tok.column, left, then, otherwise)
                    continue
                # ``^`` is right-associative: parse its right side at one less power.
                right = self.expression(bp - 1 if key == "^" else bp)
                left = n.Binary(tok.line, tok.column, _CANONICAL_OP.get(key, key), left, right)
        finally:
            self.depth -= 1

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            tok = self.tok
            raise self.error(
                tok,
                f"Expression nested too deeply: more than {MAX_NESTING_DEPTH} levels of "
                "parentheses, blocks, calls or operators at this point; flatten it, e.g. "
                "with variables ('var x := ...;')",
            )

    def prefix(self) -> n.Node:
        tok = self.advance()
        if tok.kind == "number":
            try:
                value = float(tok.value)
            except ValueError:
                raise self.error(tok, f"Invalid numeric token {tok.value!r}") from None
            if abs(_exponent(tok.value)) > _MAX_EXPONENT:
                # Perspective (ExprTK) refuses a written exponent beyond 308
                # whatever the mantissa (1e309, 0e400, 1e-320); 2e308 reads
                # as infinity.
                raise self.error(
                    tok,
                    f"Invalid numeric token: the exponent of {tok.value!r} is out of range; "
                    f"write one from -{_MAX_EXPONENT} to {_MAX_EXPONENT}",
                )
            return n.NumberLit(tok.line, tok.column, value)
        if tok.kind == "string":
            return n.StringLit(tok.line, tok.column, tok.value)
        if tok.kind == "column":
            return n.Column(tok.line, tok.column, tok.value)
        if tok.kind == "op":
            if tok.value in ("-", "+"):
                operand = self.expression(_UNARY_BP)
                return n.Unary(tok.line, tok.column, tok.value, operand)
            if tok.value == "(":
                inner = self.statements_in_parens()
                return inner
            if tok.value == "{":
                inner = self.statements(until="}")
                self.expect_op("}", "to close the block")
                return inner
            raise self.error(
                tok, f"Invalid token sequence: unexpected {_describe(tok)}; expected a value"
            )
        if tok.kind == "eof":
            raise self.error(tok, "Premature end of expression: expected a value")
        return self.identifier(tok)

    def statements_in_parens(self) -> n.Node:
        inner = self.expression(0)
        self.expect_op(")", "to close '('")
        return inner

    def identifier(self, tok: Token) -> n.Node:
        word = tok.value.lower()
        if word in ("true", "false"):
            return n.BoolLit(tok.line, tok.column, word == "true")
        if word == "null":
            return n.NullLit(tok.line, tok.column)
        if word == "if":
            return self.if_expression(tok)
        if word in _UNSUPPORTED:
            raise self.error(
                tok, f"'{word}' statements are not supported in Perspective expressions"
            )
        if word in _WORD_OPS or word == "else":
            raise self.error(
                tok, f"Invalid token sequence: unexpected '{tok.value}'; expected a value"
            )
        if self.is_op("("):
            self.advance()
            args: list[n.Node] = []
            if not self.is_op(")"):
                while True:
                    args.append(self.expression(0))
                    if self.is_op(","):
                        self.advance()
                        continue
                    break
            self.expect_op(")", f"to close the call to '{tok.value}'")
            return n.Call(tok.line, tok.column, word, tuple(args))
        if self.is_op("["):
            return self.element(tok)
        return n.Var(tok.line, tok.column, word)

    def if_expression(self, tok: Token) -> n.Node:
        # ``else if`` chains recurse here without passing through ``expression``.
        self.enter()
        try:
            return self.if_statement(tok)
        finally:
            self.depth -= 1

    def if_statement(self, tok: Token) -> n.Node:
        self.expect_op("(", "after 'if'")
        condition = self.expression(0)
        if self.is_op(","):
            # Function form ``if(c, a, b)``.
            self.advance()
            then = self.expression(0)
            self.expect_op(",", "between the branches of 'if(condition, a, b)'")
            otherwise = self.expression(0)
            self.expect_op(")", "to close 'if('")
            return n.Conditional(tok.line, tok.column, condition, then, otherwise)
        self.expect_op(")", "to close the condition of 'if'")
        braced = self.is_op("{")
        then = self.branch()
        otherwise = None
        if (
            self.is_op(";")
            and self.tokens[self.i + 1].kind == "ident"
            and (self.tokens[self.i + 1].value.lower() == "else")
        ):
            self.advance()
        elif not braced and self.is_word("else"):
            # As Perspective (ExprTK) reads it: an unbraced branch ends at ';'.
            raise self.error(
                self.tokens[self.i],
                "Invalid syntax 'else': end the branch before it with ';' "
                "(if (c) a; else b;) or brace both (if (c) { a } else { b })",
            )
        if self.is_word("else"):
            self.advance()
            if self.is_word("if"):
                otherwise = self.if_expression(self.advance())
            else:
                otherwise = self.branch()
        return n.Conditional(tok.line, tok.column, condition, then, otherwise)

    def branch(self) -> n.Node:
        if self.is_op("{"):
            self.advance()
            body = self.statements(until="}")
            self.expect_op("}", "to close the block")
            return body
        return self.expression(0)


def _describe(tok: Token) -> str:
    if tok.kind == "eof":
        return "the end of the expression"
    if tok.kind == "column":
        return f'"{tok.value}"'
    if tok.kind == "string":
        return f"'{tok.value}'"
    return f"'{tok.value}'"


def parse(text: str) -> n.Node:
    """Parse expression text into an AST.

    Parameters
    ----------
    text : str
        The expression, e.g. ``'"price" * "qty"'``.

    Returns
    -------
    Node
        The root node (a :class:`~.nodes.Block` when there are several statements).

    Raises
    ------
    ExpressionError
        With the line/column of the first token that does not fit the grammar.

    Examples
    --------
    >>> parse('"a" + 1').op
    '+'

    """
    parser = _Parser(text)
    return parser.program()


_MAX_EXPONENT = 308


def _exponent(text: str) -> int:
    """The written exponent of a numeric token (0 without one)."""
    _, _, exponent = text.lower().partition("e")
    return int(exponent) if exponent else 0
