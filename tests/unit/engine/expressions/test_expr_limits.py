"""Expression size limits: long text, deep nesting, long operator chains, big vectors.

Each limit is an ExpressionError that says which limit was hit (never a
RecursionError, never minutes of lexing), and validate_expressions reports it
in its errors like any other error.
"""

import sys

import pyarrow as pa
import pytest

from perspective_nb.engine.expressions import compute_expressions, validate_expressions
from perspective_nb.engine.expressions.lexer import MAX_EXPRESSION_LENGTH, tokenize
from perspective_nb.engine.expressions.parser import MAX_NESTING_DEPTH, MAX_VECTOR_SIZE, parse
from perspective_nb.errors import ExpressionError

SCHEMA = {"a": "float"}


def nested(kind: str, depth: int) -> str:
    """An expression nesting one construct ``depth`` times."""
    return {
        "parentheses": "(" * depth + "1" + ")" * depth,
        "signs": "-" * depth + "1",
        "powers": "^".join(["1"] * depth),
        "calls": "abs(" * depth + "1" + ")" * depth,
        "ternaries": "true ? " * depth + "1" + " : 2" * depth,
        "if functions": "if(true, " * depth + "1" + ", 2)" * depth,
        "blocks": "{" * depth + "1" + "}" * depth,
        "else if": "if (false) {1} else " * depth + "{2}",
        "loops": "var i := 0; " + "while (i < 1) {" * depth + "i += 1" + "}" * depth,
    }[kind]


KINDS = [
    "parentheses",
    "signs",
    "powers",
    "calls",
    "ternaries",
    "if functions",
    "blocks",
    "else if",
    "loops",
]


def test_limits_are_the_documented_values():
    assert (MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH, MAX_VECTOR_SIZE) == (100_000, 200, 10_000)


def test_a_megabyte_expression_is_refused_before_lexing():
    text = "1+" * 500_000 + "1"
    with pytest.raises(ExpressionError, match=r"too long: 1,000,001 characters.*100,000"):
        tokenize(text)
    result = validate_expressions(SCHEMA, {"x": text})
    assert "too long" in result["errors"]["x"]["error_message"]
    assert result["expression_schema"] == {}


def test_lexing_positions_are_tracked_across_lines_and_comments():
    text = "1 +\n/* a\ncomment */ \"a\" // end\n+ 'x\\'y'"
    tokens = [(t.kind, t.value, t.line, t.column) for t in tokenize(text)]
    assert tokens == [
        ("number", "1", 0, 0),
        ("op", "+", 0, 2),
        ("column", "a", 2, 11),
        ("op", "+", 3, 0),
        ("string", "x'y", 3, 2),
        ("eof", "", 3, 8),
    ]


def test_text_at_the_length_limit_lexes():
    text = "1+" * (MAX_EXPRESSION_LENGTH // 2 - 1) + "1"
    assert len(tokenize(text)) == MAX_EXPRESSION_LENGTH // 2 + MAX_EXPRESSION_LENGTH // 2


def test_a_5000_term_sum_evaluates():
    text = "+".join(['"a"'] * 5000)
    table = pa.table({"a": [1.0, 2.0, None]})
    got = compute_expressions(table, SCHEMA, {"x": text})["x"].to_pylist()
    assert got == [5000.0, 10000.0, None]
    mixed = " - ".join(["2 * 3"] * 5000)  # left-deep chain whose operands are products
    assert compute_expressions(table, SCHEMA, {"x": mixed})["x"].to_pylist() == [-29988.0] * 3


def test_a_long_chain_keeps_identity_simplifications():
    # x + 0 and x * 1 keep an integer column integer, as in Perspective.
    text = '"i"' + " + 0 * 1" * 3000
    table = pa.table({"i": pa.array([1, 2], pa.int64())})
    out = compute_expressions(table, {"i": "integer"}, {"x": text})["x"]
    assert out.to_pylist() == [1, 2]


@pytest.mark.parametrize("kind", KINDS)
def test_deep_nesting_is_a_clear_error(kind):
    text = nested(kind, MAX_NESTING_DEPTH + 1)
    with pytest.raises(ExpressionError, match="nested too deeply: more than 200 levels"):
        parse(text)
    error = validate_expressions(SCHEMA, {"x": text})["errors"]["x"]
    assert "nested too deeply" in error["error_message"]


@pytest.mark.parametrize("kind", ["parentheses", "signs", "powers", "calls", "ternaries"])
def test_nesting_below_the_limit_evaluates_even_from_a_deep_stack(kind):
    text = nested(kind, MAX_NESTING_DEPTH - 2)

    def deep(frames: int):
        # A caller already deep in its own stack (a kernel, a server thread).
        return deep(frames - 1) if frames else validate_expressions(SCHEMA, {"x": text})

    result = deep(200)
    assert result["errors"] == {}, result["errors"]
    assert result["expression_schema"]["x"] == "float"


def test_recursion_error_never_escapes():
    text = nested("parentheses", MAX_NESTING_DEPTH - 2)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)  # far less stack than the nesting needs
    try:
        error = validate_expressions(SCHEMA, {"x": text})["errors"]["x"]
    finally:
        sys.setrecursionlimit(limit)
    assert "nested too deeply" in error["error_message"]


@pytest.mark.parametrize("size", ["0", "10001", "1e999"])
def test_vector_sizes_are_bounded(size):
    with pytest.raises(ExpressionError, match=f"Vector size {size} is out of range.*10,000"):
        parse(f"var v[{size}]; v[0]")


def test_unterminated_quote_error_quotes_only_an_excerpt():
    with pytest.raises(ExpressionError, match="unterminated column name") as info:
        tokenize('"' + "x" * 50_000)
    assert len(str(info.value)) < 200
