"""5.x's text filter ops (``matches``, ``not matches``, ``not contains``,
``not begins with``, ``not ends with``) as perspective-python 5.6.1 applies
them: random small tables, patterns and updates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .compare import assert_same

_TEXT = ["abc", "ABC", "xAbx", "b", "", "aé", "AÉ", "a.c", "a\nb", "ab1", None]
_PATTERNS = ["b", "A", "^a", "c$", "a.c", "(?i)ab", "\\d", "a|B", "é", "[", "", "(?s)a.b"]
_OPS = ["matches", "not matches", "not contains", "not begins with", "not ends with"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.sampled_from(_TEXT), min_size=1, max_size=8),
    more=st.lists(st.sampled_from(_TEXT), max_size=4),
    terms=st.lists(
        st.tuples(st.sampled_from(_OPS), st.sampled_from(_PATTERNS)), min_size=1, max_size=2
    ),
    filter_op=st.sampled_from(["and", "or"]),
)
def test_text_filter_ops_match_5x(oracle5, rows, more, terms, filter_op):
    data = {"s": rows, "x": list(range(len(rows)))}
    update = {"s": more, "x": list(range(len(rows), len(rows) + len(more)))}
    view = {"filter": [["s", op, p] for op, p in terms], "filter_op": filter_op}
    assert_same(oracle5, data, updates=[update] if more else [], view=view)


@pytest.mark.parametrize("op", _OPS)
def test_text_filter_ops_on_a_grouped_view(oracle5, op):
    data = {
        "s": ["abc", "ABC", None, "bcd", "xyz"],
        "g": ["p", "q", "p", "q", "p"],
        "x": [1, 2, 3, 4, 5],
    }
    view = {"filter": [["s", op, "b"]], "group_by": ["g"], "columns": ["x"]}
    assert_same(oracle5, data, view=view)


@pytest.mark.parametrize("op", [">", ">=", "<", "<="])
@pytest.mark.parametrize("value", [True, False])
def test_ordering_ops_on_booleans(oracle5, op, value):
    data = {"b": [True, False, None, True], "x": [1, 2, 3, 4]}
    assert_same(oracle5, data, view={"filter": [["b", op, value]]})
