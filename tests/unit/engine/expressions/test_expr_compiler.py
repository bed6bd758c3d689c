"""Compiler: columns, variables, conditionals (with variable merges), loops, errors."""

import pyarrow as pa
import pytest

from perspective_nb.errors import ExpressionError


def test_column_reference_returns_the_column(run):
    assert run('"i"') == ("integer", [1, 2, None, -4, 5])
    assert run('"s"')[1] == ["abc", "Hello", None, "", "xyz abc"]


def test_unknown_column_is_named(run):
    with pytest.raises(ExpressionError, match='Input column "nope" does not exist') as info:
        run('1 + "nope"')
    assert info.value.column == 4


def test_unknown_function_is_named(run):
    with pytest.raises(ExpressionError, match="Undefined symbol: 'foo'"):
        run("foo(1)")


def test_unknown_variable_is_named(run):
    with pytest.raises(ExpressionError, match="Undefined symbol: 'y'") as info:
        run("var x := 1; y")
    assert info.value.column == 12


def test_wrong_arity_is_reported(run):
    with pytest.raises(ExpressionError, match="'pow' \\(expects 2, got 1\\)"):
        run("pow(1)")
    with pytest.raises(ExpressionError, match="'min' \\(expects at least 1, got 0\\)"):
        run("min()")


def test_variables_and_compound_assignment(run):
    assert run('var x := "i" * 2; x + 1')[1] == [3.0, 5.0, None, -7.0, 11.0]
    assert run('var x := 1; x += "f"; x *= 2; x')[1] == [5.0, -2.5, None, 2.0, 9.5]
    assert run("var x; x")[1] == [0.0] * 5


def test_variable_type_cannot_change(run):
    with pytest.raises(ExpressionError, match="variable 'x' holds string"):
        run("var x := 'a'; x := 1; x")


def test_conditionals_select_per_row(run):
    expected = ("string", ["b", "a", "b", "b", "a"])
    assert run("if (\"i\" > 1) { 'a' } else { 'b' }") == expected
    assert run("\"i\" > 1 ? 'a' : 'b'") == expected
    assert run("if(\"i\" > 1, 'a', 'b')") == expected


def test_null_condition_takes_else_branch(run):
    assert run('"f" > 1 ? "f" : 0')[1] == [1.5, 0.0, 0.0, 0.0, 3.75]


def test_branch_types_unify_or_fail(run):
    assert run('if ("b") { "i" } else { 0.5 }')[0] == "float"
    assert run('if ("b") { "i" } else { null }') == ("integer", [1, None, None, -4, None])
    with pytest.raises(ExpressionError, match="different types"):
        run("if (\"b\") { 1 } else { 'a' }")


def test_if_without_else_is_rejected(run):
    with pytest.raises(ExpressionError, match="without 'else'"):
        run('if ("b") { 1 }')


def test_variables_assigned_in_branches_merge_per_row(run):
    text = 'var x := 0; if ("i" > 1) { x := 10 } else { x := 20 }; x'
    assert run(text)[1] == [20.0, 10.0, 20.0, 20.0, 10.0]


def test_loops_iterate_per_row(run):
    text = 'var s := 0; for (var k := 0; k < "i"; k += 1) { s += k }; s'
    assert run(text)[1] == [0.0, 1.0, 0.0, 0.0, 10.0]
    assert run("var k := 0; while (k < 3) { k += 1 }; k")[1] == [3.0] * 5


def test_always_null_result_is_a_type_error(run):
    with pytest.raises(ExpressionError, match="always null"):
        run("null")


@pytest.mark.parametrize(
    ("column", "ptype"),
    [
        (pa.array([1, 2], pa.int8()), "integer"),
        (pa.array([1, 2], pa.uint32()), "integer"),
        (pa.array([1.5, 2.5], pa.float32()), "float"),
        (pa.array(["a", "b"], pa.large_string()), "string"),
        (pa.array(["a", "b"]).dictionary_encode(), "string"),
        (pa.array([0, 86_400_000_000], pa.timestamp("us", tz="Asia/Tokyo")), "datetime"),
        (pa.array([0, 86_400], pa.timestamp("s")), "datetime"),
        (pa.array([0, 1], pa.date32()), "date"),
    ],
)
def test_any_storage_type_is_accepted(run, column, ptype):
    tbl = pa.table({"c": column})
    got_type, values = run('"c"', tbl, {"c": ptype})
    assert got_type == ptype
    assert len(values) == 2
    if ptype == "datetime":
        assert [v.isoformat() for v in values] == ["1970-01-01T00:00:00", "1970-01-02T00:00:00"]
    else:
        assert (
            values
            == column.cast(
                column.type.value_type
                if ptype == "string" and pa.types.is_dictionary(column.type)
                else column.type
            ).to_pylist()
        )


def test_null_boolean_condition_takes_then_branch(run):
    # Perspective: only a false boolean selects the else branch.
    assert run('"b" ? 1 : 2')[1] == [1.0, 2.0, 1.0, 1.0, 2.0]
    assert run('if ("b") { 1 } else { 2 }')[1] == [1.0, 2.0, 1.0, 1.0, 2.0]
    # Logical operators still count null as false.
    assert run('("b" or "b") ? 1 : 2')[1] == [1.0, 2.0, 2.0, 1.0, 2.0]


def test_bare_column_name_suggests_quotes(run):
    with pytest.raises(ExpressionError, match='double quotes: "f"'):
        run("f * 2")


def test_misspelt_function_and_column_get_suggestions(run):
    with pytest.raises(ExpressionError, match="did you mean sqrt"):
        run('sqr("f")')
    wide = {f"col{k}": "float" for k in range(30)}
    table = pa.table({name: [1.0] for name in wide})
    with pytest.raises(ExpressionError, match='Did you mean "col12"'):
        run('"col12x"', table, wide)
    with pytest.raises(ExpressionError, match="and 10 more"):
        run('"zzz"', table, wide)


def test_parameterless_functions_need_no_parentheses(run):
    assert run("today")[0] == "date"
    assert run("min") == ("float", [None] * 5)
    with pytest.raises(
        ExpressionError, match="Expected a '\\(' at start of function call to 'abs'"
    ):
        run("abs")


def test_comparison_results_count_as_numbers(run):
    assert run('("f" > 0) + 1') == ("float", [2.0, 1.0, 1.0, 1.0, 2.0])
    assert run("true + 1")[1] == [2.0] * 5
    assert run('is_null("f") * 3')[1] == [0.0, 0.0, 3.0, 0.0, 0.0]
    with pytest.raises(ExpressionError, match="Type Error"):
        run('"b" + 1')  # a boolean column does not
