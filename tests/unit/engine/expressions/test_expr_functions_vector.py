"""Vector variables and the functions over them."""

import pytest

from perspective_nb.errors import ExpressionError


def test_vector_declaration_indexing_and_assignment(run):
    assert run('var v[3] := {"f", 2, 3}; v[0] + v[2]')[1] == [4.5, 0.75, None, 3.0, 6.75]
    assert run("var v[2] := {3, 4}; v[0] := 7; v[0] + v[1 + 0]")[1] == [11.0] * 5
    assert run("var v[2]; v[1] += 5; v[1]")[1] == [5.0] * 5


def test_vector_index_out_of_range(run):
    with pytest.raises(ExpressionError, match="Index of 5 out of range for vector 'v' of size 3"):
        run("var v[3] := {1, 2, 3}; v[5]")


def test_vector_cannot_be_the_result(run):
    with pytest.raises(ExpressionError, match="a vector cannot be a column"):
        run("var v[2]; v")


def test_vector_elements_merge_through_conditionals(run):
    text = 'var v[2]; if ("f" > 0) { v[0] := 1 } else { v[0] := 2 }; v[0]'
    assert run(text)[1] == [1.0, 2.0, 2.0, 2.0, 1.0]


def test_three_vector_functions(run):
    prefix = "var a[3] := {1, 2, 3}; var b[3] := {4, 6, 9}; var c[3]; "
    assert run(prefix + "dot_product3(a, b)")[1] == [43.0] * 5
    assert run(prefix + "norm3(a)")[1] == [pytest.approx(14**0.5)] * 5
    assert (
        run(prefix + "cross_product3(a, b, c); c[0] * 100 + c[1] * 10 + c[2]")[1]
        == [0.0 * 100 + 3 * 10 - 2.0] * 5
    )
    assert run(prefix + "diff3(a, b, c); c[0] * 100 + c[1] * 10 + c[2]")[1] == [-346.0] * 5
    assert run(prefix + "cross_product3(a, b, c)") == ("boolean", [True] * 5)


def test_indexof_writes_the_first_group_span(run):
    assert run("var v[2]; indexof(\"s\", '(b)c', v)") == (
        "boolean",
        [True, False, None, False, True],
    )
    assert run("var v[2]; indexof(\"s\", '(b)c', v); v[0]")[1] == [1.0, 0.0, 0.0, 0.0, 5.0]
    assert run("var v[2]; indexof(\"s\", '(ab)', v); v[1]")[1] == [1.0, 0.0, 0.0, 0.0, 5.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("var v[2]; indexof(\"s\", 'a', v)", "capture group"),
        ("indexof(\"s\", '(a)', 1)", "vector variable"),
        ("var a[2]; cross_product3(a, a, a)", "at least 3"),
    ],
)
def test_vector_function_errors(run, text, message):
    with pytest.raises(ExpressionError, match=message):
        run(text)
