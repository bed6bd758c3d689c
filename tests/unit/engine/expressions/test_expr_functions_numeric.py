"""Numeric and trigonometric functions: values, result types, nulls."""

import math

import pytest

from perspective_nb.errors import ExpressionError


@pytest.mark.parametrize(
    ("text", "ptype", "expected"),
    [
        ('abs("f")', "float", [1.5, 2.25, None, 0.0, 3.75]),
        ('abs("i")', "float", [1.0, 2.0, None, 4.0, 5.0]),
        ('ceil("f")', "float", [2.0, -2.0, None, 0.0, 4.0]),
        ('floor("f")', "float", [1.0, -3.0, None, 0.0, 3.0]),
        ('round("f")', "float", [2.0, -2.0, None, 0.0, 4.0]),
        ("round(-2.5)", "float", [-3.0] * 5),
        ('trunc("f")', "integer", [1, -2, None, 0, 3]),
        ('frac("f")', "float", [0.5, -0.25, None, 0.0, 0.75]),
        ('sgn("f")', "integer", [1, -1, None, 0, 1]),
        ('sgn("i")', "integer", [1, 1, None, -1, 1]),
        ('min("i", 2, 3)', "float", [1.0, 2.0, None, -4.0, 2.0]),
        ('max("i", 0)', "float", [1.0, 2.0, None, 0.0, 5.0]),
        ('avg("i", "f")', "float", [1.25, -0.125, None, -2.0, 4.375]),
        ('sum("i", "f", 1)', "float", [3.5, 0.75, None, -3.0, 9.75]),
        ('mul("i", 2)', "float", [2.0, 4.0, None, -8.0, 10.0]),
        ('clamp(0, "f", 2)', "float", [1.5, 0.0, 0.0, 0.0, 2.0]),
        ('clamp("f", 1, 2)', "float", [1.5, 1.0, 1.0, 1.0, 3.75]),
        ('min(0, "f")', "float", [0.0, -2.25, 0.0, 0.0, 0.0]),
        ('min("f", 0)', "float", [0.0, -2.25, None, 0.0, 0.0]),
        ('max(0, "f")', "float", [1.5, 0.0, 0.0, 0.0, 3.75]),
        ('iclamp(0, "f", 2)', "float", [2.0, -2.25, None, 0.0, 3.75]),
        ('inrange(0, "f", 2)', "boolean", [True, False, None, True, False]),
        ('percent_of("i", 10)', "float", [10.0, 20.0, None, -40.0, 50.0]),
        ('percent_of("f", 0)', "float", [None] * 5),
        ('bucket("f", 2)', "float", [0.0, -4.0, None, 0.0, 2.0]),
        ('bucket("i", 2)', "float", [0.0, 2.0, None, -4.0, 4.0]),
        ('pow("i", 2)', "float", [1.0, 4.0, None, 16.0, 25.0]),
        ('equal("f", 1.5)', "boolean", [True, False, None, False, False]),
        ('not_equal("f", 1.5)', "boolean", [False, True, None, True, True]),
        ('not("b")', "boolean", [False, True, True, False, True]),
    ],
)
def test_exact_values(run, text, ptype, expected):
    assert run(text) == (ptype, expected)


@pytest.mark.parametrize(
    ("text", "fn"),
    [
        ('exp("f")', math.exp),
        ('log("f")', math.log),
        ('log10("f")', math.log10),
        ('log1p("f")', math.log1p),
        ('expm1("f")', math.expm1),
        ('log2("f")', math.log2),
        ('sqrt("f")', math.sqrt),
        ('logn("f", 3)', lambda x: math.log(x) / math.log(3)),
        ('root("f", 3)', lambda x: x ** (1 / 3)),
        ('sin("f")', math.sin),
        ('cos("f")', math.cos),
        ('tan("f")', math.tan),
        ('cot("f")', lambda x: 1 / math.tan(x)),
        ('asin("f")', math.asin),
        ('acos("f")', math.acos),
        ('atan("f")', math.atan),
        ('sinh("f")', math.sinh),
        ('cosh("f")', math.cosh),
        ('tanh("f")', math.tanh),
        ('asinh("f")', math.asinh),
        ('acosh("f")', math.acosh),
        ('atanh("f")', math.atanh),
        ('sinc("f")', lambda x: math.sin(x) / x if x else 1.0),
        ('deg2rad("f")', math.radians),
        ('rad2deg("f")', math.degrees),
        ('deg2grad("f")', lambda x: x * 400 / 360),
        ('grad2deg("f")', lambda x: x * 360 / 400),
        ('erf("f")', math.erf),
    ],
)
def test_float_functions_match_math_and_null_out_of_domain(run, text, fn):
    ptype, values = run(text)
    assert ptype == "float"
    for x, got in zip([1.5, -2.25, None, 0.0, 3.75], values, strict=True):
        try:
            want = None if x is None else fn(x)
        except (ValueError, ZeroDivisionError):
            want = None  # out of domain: Perspective gives null
        if isinstance(want, complex) or (want is not None and not math.isfinite(want)):
            want = None
        if want is None:
            assert got is None, (x, got)
        else:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_random_is_per_row_in_unit_interval(run):
    ptype, values = run("random()")
    assert ptype == "float"
    assert all(0.0 <= v < 1.0 for v in values)
    assert len(set(values)) > 1


@pytest.mark.parametrize("text", ['abs("s")', 'sqrt("b")', "min('a')", 'pow("d", 2)'])
def test_non_numeric_arguments_are_type_errors(run, text):
    with pytest.raises(ExpressionError, match=r"Type Error .* expects numbers"):
        run(text)
