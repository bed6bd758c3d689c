"""Tokenizer: token kinds, positions, quoting, comments."""

import pytest

from perspective_nb.engine.expressions.lexer import tokenize
from perspective_nb.errors import ExpressionError


def kinds(text):
    return [(t.kind, t.value) for t in tokenize(text)[:-1]]


def test_column_string_number_ident_op():
    assert kinds("\"a b\" + 'x' * 1.5e3 - foo") == [
        ("column", "a b"),
        ("op", "+"),
        ("string", "x"),
        ("op", "*"),
        ("number", "1.5e3"),
        ("op", "-"),
        ("ident", "foo"),
    ]


def test_longest_operator_wins():
    assert [v for _, v in kinds("a := b <= c <> d == e != f += g")][1::2] == [
        ":=",
        "<=",
        "<>",
        "==",
        "!=",
        "+=",
    ]


def test_backslash_keeps_next_character():
    assert kinds(r"'it\'s \d'") == [("string", "it's d")]


@pytest.mark.parametrize("comment", ["// note", "# note", "/* note */"])
def test_comments_are_skipped(comment):
    assert kinds(f"1 {comment}\n+ 2") == [("number", "1"), ("op", "+"), ("number", "2")]


def test_positions_are_zero_based_line_and_column():
    tokens = tokenize('1 +\n  "col"')
    assert (tokens[2].line, tokens[2].column) == (1, 2)


def test_eof_token_ends_the_stream():
    assert tokenize("")[-1].kind == "eof"


def test_unterminated_string_names_the_problem():
    with pytest.raises(ExpressionError, match="unterminated string literal") as info:
        tokenize("1 + 'abc")
    assert (info.value.line, info.value.column) == (0, 4)


def test_string_literal_spanning_lines_is_refused():
    # as Perspective refuses it; an escaped "\\n" stays on one line
    with pytest.raises(ExpressionError, match="spans lines") as info:
        tokenize("1 +\n'multi\nline'")
    assert (info.value.line, info.value.column) == (1, 0)
    assert tokenize("'a\\nb'")[0].value == "anb"


def test_unknown_character_is_positioned():
    with pytest.raises(ExpressionError, match=r"'\$'") as info:
        tokenize('"a" $ 2')
    assert info.value.column == 4
