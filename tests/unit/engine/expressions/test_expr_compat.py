"""Expressions through table.view and validate_expressions, as Perspective 5.x answers them."""

from __future__ import annotations

import math

import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import PerspectiveError


@pytest.fixture
def table():
    return Table({"x": [1, 2, None], "s": ["a", None, "c"]}, name="e")


def test_validate_expressions_reports_perspectives_shape(table):
    exprs = {
        "ok": '"x" + 1',
        "bad": '"x" +',
        "unk": '"nope"',
        "typ": '"s" + 1',
        "multi": '\n\n  "x" + \n  foo(1)',
    }
    result = table.validate_expressions(exprs)
    # as perspective-python 5.6.1 answers: three keys, errors keyed by alias,
    # each with error_message, line and column (0-based); the aliases of
    # every expression, valid or not, with their text
    assert set(result) == {"expression_schema", "errors", "expression_alias"}
    assert result["expression_schema"] == {"ok": "float"}
    assert result["expression_alias"] == exprs
    assert set(result["errors"]) == {"bad", "unk", "typ", "multi"}
    for error in result["errors"].values():
        assert set(error) == {"error_message", "line", "column"}
    assert result["errors"]["multi"]["line"] == 3
    assert result["errors"]["multi"]["column"] == 2
    assert result["errors"]["multi"]["error_message"].startswith("Undefined symbol: 'foo'")
    assert result["errors"]["unk"]["error_message"].startswith(
        'Value Error - Input column "nope" does not exist.'
    )
    assert result["errors"]["typ"]["error_message"].startswith(
        "Type Error - inputs do not resolve to a valid expression"
    )
    assert result["errors"]["bad"]["error_message"].startswith("Premature end of expression")
    assert result["errors"]["bad"]["line"] == 0


def test_validate_a_list_uses_the_text_as_alias(table):
    result = table.validate_expressions(['"x" + 1', "1 +"])
    # as perspective-python 5.6.1 answers
    assert result["expression_schema"] == {'"x" + 1': "float"}
    assert result["expression_alias"] == {'"x" + 1': '"x" + 1', "1 +": "1 +"}
    assert (result["errors"]["1 +"]["line"], result["errors"]["1 +"]["column"]) == (0, 3)


def test_strings_compared_with_null_are_booleans(table):
    view = table.view(expressions={"n": '"s" == null', "e": "\"s\" == 'a'", "f": "\"s\" != 'a'"})
    # as perspective-python 5.6.1 answers (3.8 gave 0.0 for "s" == null)
    assert view.to_columns() == {
        "x": [1, 2, None],
        "s": ["a", None, "c"],
        "n": [False, True, False],
        "e": [True, False, False],
        "f": [False, True, True],
    }


def test_an_alias_may_not_shadow_a_column(table):
    # as perspective-python 5.6.1 answers: refused, naming the column
    with pytest.raises(PerspectiveError, match='expression "x" cannot overwrite an existing'):
        table.view(expressions={"x": '"x" * 10'})


def test_one_alias_typed_per_view(table):
    first = table.view(expressions={"e": '"x" + 1'})
    second = table.view(expressions={"e": "'a'"})
    # as perspective-python 5.6.1 answers
    assert first.schema()["e"] == "float"
    assert second.schema()["e"] == "string"
    assert first.to_columns()["e"] == [2.0, 3.0, None]
    assert second.to_columns()["e"] == ["a", "a", "a"]


def test_expressions_follow_a_streaming_table():
    table = Table({"x": "integer", "s": "string"}, name="stream")
    view = table.view(expressions={"e": '"x" * 2', "u": 'upper("s")'})
    # as perspective-python 5.6.1 answers
    assert view.to_columns() == {"x": [], "s": [], "e": [], "u": []}
    table.update({"x": [1, 2], "s": ["a", "b"]})
    assert view.to_columns() == {"x": [1, 2], "s": ["a", "b"], "e": [2.0, 4.0], "u": ["A", "B"]}
    table.update({"x": [3], "s": ["c"]})
    assert view.to_columns()["e"] == [2.0, 4.0, 6.0]
    grouped = table.view(expressions={"u": 'upper("s")'}, group_by=["u"], columns=["x"])
    table.update({"x": [4], "s": ["a"]})
    assert grouped.to_columns() == {
        "__ROW_PATH__": [[], ["A"], ["B"], ["C"]],
        "x": [10, 5, 2, 3],
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1.0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1E3", 1000.0),
        ("1e+3", 1000.0),
        ("2e-1", 0.2),
        (".5", 0.5),
        ("1.", 1.0),
        ("-2", -2.0),
        ("+2", 2.0),
        ("007", 7.0),
        ("0.1e1", 1.0),
        ("100000000000", 100000000000.0),
        ("9007199254740993", 9007199254740992.0),
        ("1e308", 1e308),
        ("pi", math.pi),
        ("epsilon", 1e-10),
        ("inf", None),  # infinite: null in JSON outputs
        ("-inf", None),
    ],
)
def test_numeric_literals_are_floats(text, value):
    view = Table({"x": [1]}, name="n").view(expressions={"e": text}, columns=["e"])
    # as perspective-python 5.6.1 answers
    assert view.schema() == {"e": "float"}
    assert view.to_columns()["e"] == [value]


def test_inf_compares_as_infinity():
    view = Table({"x": [1]}, name="n").view(expressions={"e": "inf > 1"}, columns=["e"])
    assert view.to_columns()["e"] == [True]


@pytest.mark.parametrize(
    "text", ["0x10", "1_000", "1.5e", "1e309", "-1e309", "1e-400", "0e400", "1e-320", "nan"]
)
def test_numeric_forms_perspective_refuses(text):
    table = Table({"x": [1]}, name="n")
    # as perspective-python 5.6.1 answers: each is an error
    with pytest.raises(PerspectiveError):
        table.view(expressions={"e": text})
    assert "e" in table.validate_expressions({"e": text})["errors"]


def test_signed_literals_fold_like_plain_ones():
    table = Table({"x": [1]}, name="n")
    texts = {"a": '+1 * "x"', "b": '--1 * "x"', "c": '-1 * "x"', "d": '"x" + +0'}
    texts |= {"e": '"x" + -0', "f": '--0 + "x"', "g": '"x" / -0'}
    # as perspective-python 5.6.1 answers: an identity keeps the integer
    # column, but a zero written with a minus sign is none
    schema = table.validate_expressions(texts)["expression_schema"]
    assert schema == {
        "a": "integer",
        "b": "integer",
        "c": "float",
        "d": "integer",
        "e": "float",
        "f": "float",
        "g": "float",  # a column divided by -0 is infinity; by 0, an error
    }


def test_an_exponent_in_range_overflowing_is_infinity():
    view = Table({"x": [1]}, name="n").view(
        expressions={"big": "2e308", "gt": "2e308 > 1e308", "tiny": "0.0001e-305"},
        columns=["big", "gt", "tiny"],
    )
    # as perspective-python 5.6.1 answers (infinity shows as null)
    assert view.to_columns() == {
        "big": [None],
        "gt": [True],
        "tiny": [1e-309],
    }


def test_newlines_and_comments_in_expressions(table):
    view = table.view(expressions={"n": 'var a := "x";\n\nvar b := 2;\r\na * b'})
    # as perspective-python 5.6.1 answers
    assert view.to_columns()["n"] == [2.0, 4.0, None]
    # a list entry takes its alias from a leading // comment
    aliased = table.view(expressions=['// alias\n"x" + 1'])
    assert aliased.to_columns()["alias"] == [2.0, 3.0, None]
