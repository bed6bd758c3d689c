"""Random expressions and random ingest: only PerspectiveErrors, and failed writes change nothing.

Expressions are built from the grammar's tokens (column names, numbers,
strings, operators, parentheses, every registered function, if/else,
ternaries, ``var`` declarations), as well-formed trees, token soup and raw
text. ``validate_expressions`` must never raise (errors are part of its
result), and an expression it accepts must compute in a view, with the type
it validated to, or fail with a ``PerspectiveError``.

Ingest: random column dicts, row lists, CSV, JSON and NDJSON text go to a
table (creation and update) through an in-process client; only
``PerspectiveError`` may escape, and a failed update leaves the rows as they
were.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perspective_nb
from perspective_nb.engine.expressions.registry import FUNCTIONS
from perspective_nb.engine.table import Table
from perspective_nb.errors import PerspectiveError

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

DATA = {
    "i": pa.array([1, 2, None, -4, 5], pa.int64()),
    "f": [1.5, -2.25, None, 0.0, 3.75],
    "b": [True, False, None, True, False],
    "s": ["abc", "Hello", None, "", "xyz abc"],
    "d": [dt.date(2020, 1, 1), dt.date(2021, 2, 28), None, dt.date(1999, 12, 31), None],
    "t": pa.array(
        [dt.datetime(2020, 1, 1, 12, 30), None, dt.datetime(1999, 12, 31), None, None],
        pa.timestamp("ms"),
    ),
}
ROWS = len(DATA["i"])

# -- expression text ----------------------------------------------------------

TEXT = st.text(max_size=10)
COLUMN_REF = st.sampled_from(['"i"', '"f"', '"b"', '"s"', '"d"', '"t"', '"missing"', '""'])
NUMBER = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["0", "1e308", "1e-320", "0.5", "9223372036854775808", "1e999", ".5"]),
)
STRING = st.one_of(st.sampled_from(["'abc'", "''", "'2020-01-01'", "'a\\'b'"]), TEXT.map(repr))
LITERAL = st.one_of(NUMBER, STRING, st.sampled_from(["true", "false", "null"]))
VARIABLE = st.sampled_from(["x", "y", "total"])
BINARY = st.sampled_from(
    ["+", "-", "*", "/", "%", "^", "==", "!=", "<>", "<", "<=", ">", ">=", "and", "or", "xor",
     "nand", "nor", "xnor", "&", "|", "&&", "||"]
)  # fmt: skip
FUNCTION = st.sampled_from(sorted(FUNCTIONS))


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, BINARY, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(FUNCTION, st.lists(children, max_size=4)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(children, children, children).map(
            lambda t: f"if ({t[0]}) {{ {t[1]} }} else {{ {t[2]} }}"
        ),
        st.tuples(children, children).map(lambda t: f"if ({t[0]}) {{ {t[1]} }}"),
        st.tuples(children, children, children).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        st.tuples(st.sampled_from(["-", "not ", "!"]), children).map("".join),
        st.tuples(VARIABLE, children, children).map(lambda t: f"var {t[0]} := {t[1]}; {t[2]}"),
        st.tuples(VARIABLE, st.sampled_from([":=", "+=", "*="]), children).map(
            lambda t: f"var {t[0]} := 0; {t[0]} {t[1]} {t[2]}; {t[0]}"
        ),
    )


TREE = st.recursive(st.one_of(COLUMN_REF, LITERAL, VARIABLE), _compound, max_leaves=12)
# Mostly well-typed leaves and arithmetic, so that many expressions are valid.
NUMERIC = st.recursive(
    st.one_of(st.sampled_from(['"i"', '"f"']), st.integers(-9, 9).map(str)),
    lambda children: st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%", "^"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["abs", "sqrt", "floor", "exp", "log", "sgn"]), children).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(children, children, children).map(
            lambda t: f"if ({t[0]} > {t[1]}) {{ {t[2]} }} else {{ {t[1]} }}"
        ),
        st.tuples(children, children).map(lambda t: f"var x := {t[0]}; x * {t[1]}"),
    ),
    max_leaves=8,
)
TOKEN = st.one_of(
    COLUMN_REF,
    LITERAL,
    VARIABLE,
    BINARY,
    FUNCTION,
    st.sampled_from(["(", ")", "[", "]", "{", "}", ",", ";", ":=", "?", ":", "var", "if", "else"]),
    st.sampled_from(["for", "while", "//", "#", "\n", "'", '"', "\\"]),
)
SOUP = st.lists(TOKEN, max_size=20).map(" ".join)
EXPRESSION = st.one_of(NUMERIC, TREE, TREE, SOUP, st.text(max_size=40))


def _validate(table: Table, expressions: dict[str, str]) -> dict:
    result = table.validate_expressions(expressions)
    assert set(result["expression_schema"]) | set(result["errors"]) == set(expressions)
    for error in result["errors"].values():
        assert isinstance(error["error_message"], str)
        assert error["error_message"]
    return result


@FUZZ
@given(st.dictionaries(st.sampled_from(["e", "f2", "s", "x y"]), EXPRESSION, min_size=1))
def test_random_expressions_validate_and_compute(expressions):
    table = Table(pa.table(DATA), name="fuzz", index="i")
    result = _validate(table, expressions)
    valid = {alias: expressions[alias] for alias in result["expression_schema"]}
    if not valid:
        return
    for config in ({}, {"group_by": ["s"]}):
        try:
            view = table.view(expressions=valid, **config)
        except PerspectiveError:
            continue
        try:
            schema = view.expression_schema()
            assert schema == result["expression_schema"]
            columns = view.to_columns()
            if not config:
                for alias in valid:
                    assert len(columns[alias]) == ROWS
        except PerspectiveError:
            pass
        finally:
            view.delete()


@FUZZ
@given(st.lists(st.text(max_size=60) | st.binary(max_size=60).map(lambda b: b.decode("latin-1"))))
def test_raw_text_never_breaks_validation(texts):
    table = Table(pa.table(DATA), name="fuzz")
    _validate(table, {f"e{n}": text for n, text in enumerate(texts)})
    _validate(table, texts)  # the list form: each text is its own alias


# -- ingest ---------------------------------------------------------------------

BASE = {"k": [1, 2, 3], "x": [1.5, None, -2.0], "s": ["a", "b", None], "ok": [True, False, True]}
KEY = st.one_of(st.sampled_from(["k", "x", "s", "ok", "missing", ""]), st.text(max_size=5))
VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["2020-01-01", "12:00", "nan", "true", "1e400", "-0"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
COLUMNS = st.dictionaries(KEY, st.lists(VALUE, max_size=4), max_size=4)
RECORDS = st.lists(st.dictionaries(KEY, VALUE, max_size=4), max_size=4)


def _json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _csv(rows: list[dict]) -> str:
    keys = sorted({key for row in rows for key in row})
    lines = [",".join(keys)]
    lines += [",".join(str(row.get(key, "")) for key in keys) for row in rows]
    return "\n".join(lines)


# Rows that mostly fit BASE's schema, sometimes with one value of the wrong
# type: the update must then be refused as a whole.
TYPED_ROW = st.fixed_dictionaries(
    {"k": st.integers(0, 6)},
    optional={
        "x": st.one_of(st.floats(), st.integers(-9, 9), st.none()),
        "s": st.one_of(st.text(max_size=4), st.none()),
        "ok": st.one_of(st.booleans(), st.none()),
    },
)


@st.composite
def typed_rows(draw) -> list[dict]:
    rows = draw(st.lists(TYPED_ROW, min_size=1, max_size=5))
    if draw(st.booleans()):
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(["k", "x", "ok"]))] = draw(VALUE)
    return rows


@st.composite
def payloads(draw):
    kind = draw(
        st.sampled_from(["typed", "typed", "columns", "records", "csv", "json", "ndjson", "text"])
    )
    if kind == "typed":
        return draw(typed_rows())
    if kind == "columns":
        return draw(COLUMNS)
    if kind == "records":
        return draw(RECORDS)
    rows = [{k: _json_safe(v) for k, v in row.items()} for row in draw(RECORDS)]
    if kind == "csv":
        return _csv(rows)
    if kind == "json":
        try:
            return json.dumps(rows)
        except (TypeError, ValueError):
            return "[]"
    if kind == "ndjson":
        return "\n".join(json.dumps(row, default=str) for row in rows)
    return draw(st.text(max_size=40))


@FUZZ
@given(payloads(), st.sampled_from([None, "k", "s", "missing"]))
def test_random_data_makes_a_table_or_a_perspective_error(data, index):
    client = perspective_nb.Server().new_local_client()
    try:
        table = client.table(data, index=index)
    except PerspectiveError:
        return
    finally:
        client.terminate()
    assert table is not None


@FUZZ
@given(st.lists(payloads(), min_size=1, max_size=3), st.sampled_from([None, "k"]))
def test_failed_updates_leave_the_table_unchanged(updates, index):
    server = perspective_nb.Server()
    client = server.new_local_client()
    try:
        table = client.table(BASE, index=index)
        for data in updates:
            before = table.view()
            rows = before.to_columns()
            try:
                table.update(data)
            except PerspectiveError:
                after = table.view()
                assert after.to_columns() == rows
                after.delete()
            before.delete()
    finally:
        client.terminate()
        server.close()
