"""Pratt parser: precedence, associativity, statements, conditionals, errors."""

import pytest

from perspective_nb.engine.expressions import nodes as n
from perspective_nb.engine.expressions.parser import parse
from perspective_nb.errors import ExpressionError


def shape(node):
    """A compact s-expression of an AST for readable assertions."""
    if isinstance(node, n.NumberLit):
        return node.value
    if isinstance(node, n.Column):
        return f'"{node.name}"'
    if isinstance(node, n.Var):
        return node.name
    if isinstance(node, n.Binary):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, n.Unary):
        return (node.op, shape(node.operand))
    if isinstance(node, n.Call):
        return (node.name, *[shape(a) for a in node.args])
    if isinstance(node, n.Conditional):
        return ("if", shape(node.condition), shape(node.then), shape(node.otherwise))
    return type(node).__name__


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", ("+", 1.0, ("*", 2.0, 3.0))),
        ("(1 + 2) * 3", ("*", ("+", 1.0, 2.0), 3.0)),
        ("2 ^ 3 ^ 2", ("^", 2.0, ("^", 3.0, 2.0))),
        ("-2 ^ 2", ("-", ("^", 2.0, 2.0))),
        ("1 - 2 - 3", ("-", ("-", 1.0, 2.0), 3.0)),
        ('"a" > 1 and "b" < 2 or 0', ("or", ("and", (">", '"a"', 1.0), ("<", '"b"', 2.0)), 0.0)),
        ("1 = 2", ("==", 1.0, 2.0)),
        ("1 <> 2", ("!=", 1.0, 2.0)),
        ("1 && 2 || 3", ("or", ("and", 1.0, 2.0), 3.0)),
        ("ABS(1)", ("abs", 1.0)),
        ("max(1, 2, 3)", ("max", 1.0, 2.0, 3.0)),
    ],
)
def test_precedence_and_associativity(text, expected):
    assert shape(parse(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "if (1) { 2 } else { 3 }",
        "if(1, 2, 3)",
        "1 ? 2 : 3",
        "if (1) 2; else 3",
    ],
)
def test_three_conditional_spellings(text):
    assert shape(parse(text)) == ("if", 1.0, 2.0, 3.0)


def test_else_after_an_unbraced_branch_needs_a_semicolon():
    # Perspective refuses it too ("Invalid syntax 'else'").
    with pytest.raises(ExpressionError, match=r"end the branch before it with ';'"):
        parse("if (1) 2 else 3")


def test_else_if_chains():
    assert shape(parse("if (1) { 2 } else if (3) { 4 } else { 5 }")) == (
        "if",
        1.0,
        2.0,
        ("if", 3.0, 4.0, 5.0),
    )


def test_statements_and_variables():
    tree = parse("var x := 1; x += 2; x")
    assert isinstance(tree, n.Block)
    declare, assign, last = tree.statements
    assert isinstance(declare, n.Declare)
    assert declare.name == "x"
    assert isinstance(assign, n.Assign)
    assert assign.op == "+="
    assert shape(last) == "x"


def test_alias_comment_is_ignored():
    assert shape(parse('// total\n"a" + 1')) == ("+", '"a"', 1.0)


def test_loops_parse():
    tree = parse("for (var i := 0; i < 3; i += 1) { i }")
    assert isinstance(tree, n.Loop)
    assert isinstance(parse("while (1) { 2 }"), n.Loop)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("1 +", "Premature end", 0, 3),
        ("1 2", "Invalid token sequence: '1' and '2'", 0, 2),
        ("(1 + 2", "expected '\\)'", 0, 6),
        ("", "Empty expression", 0, 0),
        ("   // only a comment", "Empty expression", 0, 20),
        ('"a" +\n  * 2', "unexpected '\\*'", 1, 2),
        ("if (1) { 2 } else", "Premature end", 0, 17),
        ("var := 1", "variable name", 0, 4),
    ],
)
def test_syntax_errors_are_positioned(text, message, line, column):
    with pytest.raises(ExpressionError, match=message) as info:
        parse(text)
    assert (info.value.line, info.value.column) == (line, column)
    assert info.value.expression == text
