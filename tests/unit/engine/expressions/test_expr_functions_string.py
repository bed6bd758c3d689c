"""String and regex functions: values, empty-string and null conventions."""

import pytest

from perspective_nb.errors import ExpressionError


@pytest.mark.parametrize(
    ("text", "ptype", "expected"),
    [
        (
            'concat("s", \'-\', "s")',
            "string",
            ["abc-abc", "Hello-Hello", None, "-", "xyz abc-xyz abc"],
        ),
        ('concat("s")', "string", ["abc", "Hello", None, "", "xyz abc"]),
        ('upper("s")', "string", ["ABC", "HELLO", None, None, "XYZ ABC"]),
        ('lower("s")', "string", ["abc", "hello", None, None, "xyz abc"]),
        ('length("s")', "float", [3.0, 5.0, None, 0.0, 7.0]),
        ("order(\"s\", 'xyz abc', 'abc')", "float", [1.0, 2.0, None, 2.0, 0.0]),
        ("match(\"s\", 'a.c')", "boolean", [True, False, None, False, True]),
        ("match_all(\"s\", 'a.c')", "boolean", [True, False, None, False, False]),
        ("search(\"s\", '([a-z]+)')", "string", ["abc", "ello", None, None, "xyz"]),
        ("search(\"s\", 'x(y)z')", "string", [None, None, None, None, "y"]),
        ('substring("s", 1, 2)', "string", ["bc", "el", None, None, "yz"]),
        ('substring("s", 1)', "string", ["bc", "ello", None, None, "yz abc"]),
        ('substring("s", 5)', "string", [None, None, None, None, "bc"]),
        ('substring("s", 1, 100)', "string", [None] * 5),
        ('substring("s", -1)', "string", [None] * 5),
        ("replace(\"s\", 'a', 'Z')", "string", ["Zbc", "Hello", None, None, "xyz Zbc"]),
        ("replace_all(\"s\", '[ab]', 'Z')", "string", ["ZZc", "Hello", None, None, "xyz ZZc"]),
        (
            "replace(\"s\", '(a)(b)', '\\\\2\\\\1')",
            "string",
            ["bac", "Hello", None, None, "xyz bac"],
        ),
        ("contains(\"s\", 'abc')", "boolean", [True, False, None, False, True]),
        ("intern('abc')", "string", ["abc"] * 5),
    ],
)
def test_string_functions(run, text, ptype, expected):
    assert run(text) == (ptype, expected)


def test_backslash_escapes_are_dropped_like_exprtk(run):
    # '\2\1' reaches the regex engine as the literal text "21".
    assert run("replace(\"s\", '(a)(b)', '\\2\\1')")[1][0] == "21c"


@pytest.mark.parametrize("text", ['upper("i")', 'concat("s", "i")', "length(1)", 'match("s", "s")'])
def test_type_errors(run, text):
    with pytest.raises(ExpressionError, match="Type Error"):
        run(text)


def test_search_needs_a_capture_group(run):
    with pytest.raises(ExpressionError, match="has none"):
        run("search(\"s\", 'abc')")


def test_intern_takes_a_literal(run):
    with pytest.raises(ExpressionError, match="string literal"):
        run('intern("s")')


def test_invalid_regex_is_reported(run):
    with pytest.raises(ExpressionError, match="Invalid regular expression"):
        run("match(\"s\", '(')")
