"""Public API: normalisation of the list form, schema, validation shape, output types."""

import pyarrow as pa
import pytest

from perspective_nb.engine.expressions import (
    compute_expressions,
    expression_schema,
    normalize_expressions,
    validate_expressions,
)
from perspective_nb.errors import ExpressionError


def test_normalize_list_form_uses_first_line_comment():
    got = normalize_expressions(
        ['"i" + 1', '// named\n"f" * 2', '//  spaced name  \n"f"', "// a\n// b\n1", '"i"//x']
    )
    assert got == {
        '"i" + 1': '"i" + 1',
        "named": '"f" * 2',
        "spaced name": '"f"',
        "a": "// b\n1",
        '"i"//x': '"i"//x',
    }


def test_normalize_later_duplicates_win_and_none_is_empty():
    assert normalize_expressions(["// \n 1", "//\n 2"]) == {"": " 2"}
    assert normalize_expressions(None) == {}
    assert normalize_expressions({"x": "1"}) == {"x": "1"}


def test_normalize_rejects_non_strings():
    with pytest.raises(ExpressionError, match="must be strings"):
        normalize_expressions([1])


def test_expression_schema_types(schema):
    got = expression_schema(
        schema,
        {
            "xa": '"i" / "i"',
            "xb": '-"i"',
            "xc": '"i" > 1',
            "xd": 'upper("s")',
            "xe": "bucket(\"t\", 'M')",
            "xf": "bucket(\"t\", 'h')",
        },
    )
    assert got == {
        "xa": "float",
        "xb": "integer",
        "xc": "boolean",
        "xd": "string",
        "xe": "date",
        "xf": "datetime",
    }


def test_expression_schema_raises_on_first_bad_expression(schema):
    with pytest.raises(ExpressionError, match="nope") as info:
        expression_schema(schema, {"ok": "1", "bad": '"nope"'})
    assert info.value.expression == '"nope"'


def test_validate_shape_matches_perspective(schema):
    got = validate_expressions(schema, {"ok": '"i" + 1', "bad": "1 +", "worse": "foo(1)"})
    assert got["expression_schema"] == {"ok": "float"}
    assert set(got["errors"]) == {"bad", "worse"}
    assert got["errors"]["bad"] == {
        "error_message": got["errors"]["bad"]["error_message"],
        "line": 0,
        "column": 3,
    }
    assert "Premature end of expression" in got["errors"]["bad"]["error_message"]
    assert got["expression_alias"] == {"ok": '"i" + 1', "bad": "1 +", "worse": "foo(1)"}


def test_validate_list_form(schema):
    got = validate_expressions(schema, ['// named\n"f" * 2', '"i"'])
    assert got["expression_schema"] == {"named": "float", '"i"': "integer"}
    assert got["expression_alias"] == {"named": '"f" * 2', '"i"': '"i"'}


def test_alias_may_not_shadow_a_column(schema):
    got = validate_expressions(schema, {"i": "1"})
    assert "cannot overwrite an existing column" in got["errors"]["i"]["error_message"]


def test_output_arrow_types(table, schema):
    out = compute_expressions(
        table,
        schema,
        {
            "int": '-"i"',
            "float": '"i" * 2',
            "bool": '"i" > 0',
            "str": "'x'",
            "date": "bucket(\"t\", 'D')",
            "datetime": '"t"',
            "const_date": "date(2020, 1, 1)",
        },
    )
    assert {k: v.type for k, v in out.items()} == {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "str": pa.string(),
        "date": pa.date32(),
        "datetime": pa.timestamp("ms"),
        "const_date": pa.date32(),
    }
    assert all(len(v) == table.num_rows for v in out.values())


def test_chunked_and_empty_tables():
    schema = {"a": "integer", "b": "float"}
    chunked = pa.table(
        {"a": pa.chunked_array([[1, 2], [3]]), "b": pa.chunked_array([[0.5], [1.0, 2.0]])}
    )
    assert compute_expressions(chunked, schema, {"x": '"a" * "b"'})["x"].to_pylist() == [
        0.5,
        2.0,
        6.0,
    ]
    empty = chunked.slice(0, 0)
    assert compute_expressions(empty, schema, {"x": '"a" % 2', "y": "'s'"})["x"].to_pylist() == []


def test_overflowing_float_becomes_null():
    table = pa.table({"a": [1e308, 1.0]})
    out = compute_expressions(table, {"a": "float"}, {"x": '"a" * 10'})["x"].to_pylist()
    assert out == [None, 10.0]
