"""Expressions: translated ones agree with the engine (random data); the others are refused
by a virtual table with an error naming what has no SQL translation."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perspective_nb.errors import PerspectiveError

from .cases import DATA, EXPRESSIONS
from .compare import assert_same_view
from .strategies import DUCKDB_FEW

#: Expressions the engine computes that have no SQL translation, and what the
#: error must name.
UNTRANSLATABLE = [
    ("bucket(\"ts\", 'D')", "function bucket()"),
    ('var x := 2; "qty" * x', "no SQL translation"),
    ('min("qty", 3)', "function min()"),
    ('percent_of("qty", 4)', "function percent_of()"),
    ("match(\"region\", 'e.*')", "function match()"),
    ('integer("product")', "function integer()"),
]


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.slow)])
@pytest.mark.parametrize(("expression", "named"), UNTRANSLATABLE)
def test_untranslatable_expressions_are_refused(fixed_tables, engine, expression, named):
    expected = fixed_tables("memory")
    cfg = {"columns": ["e"], "expressions": {"e": expression}}
    view = expected.view(**cfg)  # the engine computes it
    assert view.num_rows() == DATA.num_rows
    view.delete()
    actual = fixed_tables(engine)
    with pytest.raises(PerspectiveError, match="has no SQL translation") as err:
        actual.view(**cfg)
    assert named in str(err.value)
    assert actual.validate_expressions({"e": expression})["errors"], expression


@DUCKDB_FEW
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-50, 50)),
            st.one_of(st.none(), st.integers(-400, 400).map(lambda i: i / 8)),
            st.one_of(st.none(), st.sampled_from(["eu", "Us", ""])),
            st.one_of(st.none(), st.sampled_from(["apple", "FIG", ""])),
            st.one_of(st.none(), st.booleans()),
        ),
        max_size=12,
    ),
    st.sampled_from(EXPRESSIONS),
    st.booleans(),
)
def test_translated_expressions_on_random_data(engines, rows, expression, grouped):
    names = ["qty", "price", "region", "product", "flag"]
    types = [pa.int64(), pa.float64(), pa.string(), pa.string(), pa.bool_()]
    data = pa.table(
        {
            n: pa.array([r[i] for r in rows], t)
            for i, (n, t) in enumerate(zip(names, types, strict=True))
        }
    )
    cfg = {"columns": ["e"], "expressions": {"e": expression}}
    if grouped:
        cfg |= {"group_by": ["region"], "aggregates": {"e": "count"}}
    try:
        assert_same_view(engines.make("memory", data), engines.make("duckdb", data), cfg)
    finally:
        engines.close()
