"""Operators: arithmetic typing and nulls, comparison null ordering, logic truthiness."""

import pytest

from perspective_nb.errors import ExpressionError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"i" + "f"', [2.5, -0.25, None, -4.0, 8.75]),
        ('"i" - 1', [0.0, 1.0, None, -5.0, 4.0]),
        ('"i" * 2', [2.0, 4.0, None, -8.0, 10.0]),
        ('"i" / 2', [0.5, 1.0, None, -2.0, 2.5]),
        ('"i" % 3', [1.0, 2.0, None, -1.0, 2.0]),
        ('"i" ^ 2', [1.0, 4.0, None, 16.0, 25.0]),
    ],
)
def test_arithmetic_is_float_and_propagates_null(run, text, expected):
    assert run(text) == ("float", expected)


def test_division_by_zero_is_null(run):
    assert run('1 / ("i" - "i")') == ("float", [None] * 5)
    assert run('"i" % 0')[1] == [None] * 5


def test_power_of_negative_base_to_fraction_is_null(run):
    assert run('"f" ^ 0.5')[1][1] is None


def test_unary_minus_keeps_type(run):
    assert run('-"i"') == ("integer", [-1, -2, None, 4, -5])
    assert run('-"f"')[0] == "float"
    assert run('+"i"')[0] == "integer"


@pytest.mark.parametrize("text", ['"b" + 1', '"s" * 2', '"d" - 1', '-"s"', "'a' + 'b'"])
def test_arithmetic_on_non_numbers_is_a_type_error(run, text):
    with pytest.raises(ExpressionError, match="Type Error"):
        run(text)


def test_comparisons_never_yield_null_and_null_sorts_lowest(run):
    assert run('"f" > 1') == ("boolean", [True, False, False, False, True])
    assert run('"f" < 1') == ("boolean", [False, True, True, True, False])
    assert run('"f" <= "f"')[1] == [True] * 5
    assert run('"f" != "f"')[1] == [False] * 5
    assert run('"f" == "f"')[1] == [True] * 5


def test_integer_and_float_compare_by_value(run):
    assert run('"i" > 1')[1] == [False, True, False, False, True]
    assert run('"i" == 2')[1] == [False, True, False, False, False]
    assert run('"i" = 2')[1] == run('"i" == 2')[1]
    assert run('"i" <> 2')[1] == [True, False, True, True, True]


def test_string_and_date_comparisons(run):
    assert run("\"s\" == 'abc'")[1] == [True, False, False, False, False]
    assert run("\"s\" > 'b'")[1] == [False, False, False, False, True]
    assert run('"d" == date(2020, 1, 1)')[1] == [True, False, False, False, False]


def test_unrelated_types_are_never_equal(run):
    assert run('"s" == 1') == ("boolean", [False] * 5)
    assert run('"s" != 1') == ("boolean", [True] * 5)
    assert run('"t" > "d"')[1] == [False] * 5


def test_null_literal_compares_as_null(run):
    assert run('"s" == null')[1] == [False, False, True, False, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"i" and "b"', [True, False, False, True, False]),
        ('"b" or false', [True, False, False, True, False]),
        ('"b" xor true', [False, True, True, False, True]),
        ('"b" nand true', [False, True, True, False, True]),
        ('"b" nor false', [False, True, True, False, True]),
        ('"b" xnor true', [True, False, False, True, False]),
        ('"s" and true', [True, True, False, True, True]),
        ('"b" && true || false', [True, False, False, True, False]),
    ],
)
def test_logic_uses_truthiness_with_null_false(run, text, expected):
    assert run(text) == ("boolean", expected)


def test_constant_expression_is_broadcast(run):
    assert run("1 + 2 * 3 ^ 2") == ("float", [19.0] * 5)
    assert run("'x'") == ("string", ["x"] * 5)
    assert run("true") == ("boolean", [True] * 5)


@pytest.mark.parametrize("text", ['"i" + 0', '0 + "i"', '"i" * 1', '1 * "i"', '"i" / 1', '-(-"i")'])
def test_exprtk_identities_keep_the_integer_column(run, text):
    assert run(text) == ("integer", [1, 2, None, -4, 5])


def test_times_zero_is_constant_even_for_null(run):
    assert run('"i" * 0') == ("float", [0.0] * 5)
    assert run('"i" - 0') == ("float", [1.0, 2.0, None, -4.0, 5.0])


def test_column_divided_by_constant_zero_is_rejected(run):
    with pytest.raises(ExpressionError, match='"f" is divided by the constant 0'):
        run('"f" / (1 - 1)')
    assert run('("f" + 1) / 0')[1] == [None] * 5
    assert run('"f" % 0')[1] == [None] * 5
