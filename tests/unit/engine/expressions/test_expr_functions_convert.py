"""Conversions and null / lookup functions."""

import pyarrow as pa
import pytest

from perspective_nb.engine.expressions import compute_expressions, expression_schema
from perspective_nb.errors import ExpressionError


@pytest.mark.parametrize(
    ("text", "ptype", "expected"),
    [
        ('integer("f")', "integer", [1, -2, None, 0, 3]),
        ('integer("b")', "integer", [1, 0, None, 1, 0]),
        ("integer('12')", "integer", [12] * 5),
        ('integer("s")', "integer", [None] * 5),
        ('integer("d")', "integer", [132382721, 132448540, None, 131009311, 132645149]),
        (
            'integer("t")',
            "integer",
            [1577881815000, 1614556799000, None, 946598401000, 1709186828000],
        ),
        ('float("i")', "float", [1.0, 2.0, None, -4.0, 5.0]),
        ("float(' 2.5e1 ')", "float", [25.0] * 5),
        ('float("d")', "float", [132382721.0, 132448540.0, None, 131009311.0, 132645149.0]),
        ('boolean("i")', "boolean", [True, True, False, True, True]),
        ('boolean("f")', "boolean", [True, True, False, False, True]),
        ('boolean("s")', "boolean", [True, True, False, True, True]),
        ('string("i")', "string", ["1", "2", None, "-4", "5"]),
        ('string("f")', "string", ["1.5", "-2.25", None, "0", "3.75"]),
        ("string(1.0 / 3)", "string", ["0.333333"] * 5),
        ("string(123456789.0)", "string", ["1.23457e+08"] * 5),
        ('string("b")', "string", ["true", "false", None, "true", "false"]),
        ('string("d")', "string", ["2020-01-01", "2021-02-28", None, "1999-12-31", "2024-02-29"]),
        (
            'string("t")',
            "string",
            [
                "2020-01-01 12:30:15.000",
                "2021-02-28 23:59:59.000",
                None,
                "1999-12-31 00:00:01.000",
                "2024-02-29 06:07:08.000",
            ],
        ),
        ('is_null("s")', "boolean", [False, False, True, False, False]),
        ('is_not_null("i")', "boolean", [True, True, False, True, True]),
        ("coalesce(\"s\", 'z')", "string", ["abc", "Hello", "z", "", "xyz abc"]),
        ('coalesce("i", "f", 0)', "float", [1.0, 2.0, 0.0, -4.0, 5.0]),
        ("index()", "integer", [0, 1, 2, 3, 4]),
        ("col('s')", "string", ["abc", "Hello", None, "", "xyz abc"]),
        ("vlookup('s', index() + 1)", "string", ["Hello", None, "", "xyz abc", None]),
    ],
)
def test_conversions_and_lookups(run, text, ptype, expected):
    assert run(text) == (ptype, expected)


def test_coalesce_rejects_mixed_types(run):
    with pytest.raises(ExpressionError, match="one type"):
        run('coalesce("s", 1)')


def test_col_names_unknown_columns(run):
    with pytest.raises(ExpressionError, match='"zz" does not exist'):
        run("col('zz')")


def test_index_uses_the_primary_key_when_given():
    table = pa.table({"k": ["a", "b", "c"], "v": [1, 2, 3]})
    schema = {"k": "string", "v": "integer"}
    exprs = {"x": "index()", "y": "vlookup('v', 'c')"}
    out = compute_expressions(table, schema, exprs, index=table["k"], index_type="string")
    assert out["x"].to_pylist() == ["a", "b", "c"]
    assert out["y"].to_pylist() == [3, 3, 3]
    assert expression_schema(schema, exprs, index_type="string") == {"x": "string", "y": "integer"}
