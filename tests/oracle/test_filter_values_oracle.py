"""Filter values converted to the column's type the way perspective-python 3.8 (and 5.6.1) do."""

from __future__ import annotations

import pytest

from perspective_nb.engine.table import Table

pytestmark = pytest.mark.oracle

TERMS = [
    ["x", "==", 2.5],
    ["x", ">=", 1.5],
    ["x", "<", 2.5],
    ["x", "<=", 2.9],
    ["x", "!=", 2.5],
    ["x", "in", [2.9]],
    ["x", "in", [None, 1]],
    ["x", "==", -1.5],
    ["s", "in", ["a", None]],
    ["s", "in", []],
    ["s", "not in", ["a", None]],
    ["x", "!=", None],
]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_filter_values_match(oracle_client, term):
    data = {"x": [1, 2, 3, None], "s": ["a", None, "c", "d"]}
    theirs_table = oracle_client.table(data)
    theirs = theirs_table.view(filter=[term])
    try:
        assert Table(data, name="f").view(filter=[term]).to_columns() == theirs.to_columns()
    finally:
        theirs.delete()
        theirs_table.delete()
