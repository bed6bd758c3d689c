"""Filter values given as text on date and datetime columns, as
perspective-python 5.6.1 reads them."""

from __future__ import annotations

import pandas as pd
import pytest

from .compare import assert_both_raise, assert_same


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "d": pd.to_datetime(["2021-02-02", "2021-02-03", "2021-02-04"]).date,
            "t": pd.to_datetime(
                ["2021-02-03 00:00:00", "2021-02-03 04:05:06", "2021-02-04 00:00:00"]
            ),
            "x": [1, 2, 3],
        }
    )


@pytest.mark.parametrize(
    "term",
    [
        ["d", "==", "2021-02-03"],
        ["d", ">", "2021-02-03"],
        ["d", "<=", "2021-02-03"],
        ["d", "==", "02/03/2021"],
        ["d", "==", "2021/02/03"],
        ["d", "==", "2021-02-03 04:05:06"],
        ["d", "==", 1612310400000],
        ["t", "==", "2021-02-03"],
        ["t", "==", "2021-02-03 04:05:06"],
        ["t", ">", "2021-02-03"],
        ["t", "==", "2021-02-03T04:05:06Z"],
        ["t", "==", "2021-02-03T05:05:06+01:00"],
        ["t", "==", "02/03/2021 04:05:06"],
        ["t", "==", 1612325106000],
        ["x", "==", "2"],
    ],
    ids=str,
)
def test_text_filter_values(oracle5, term):
    assert_same(oracle5, _frame(), view={"filter": [term], "columns": ["x"]})


@pytest.mark.parametrize("term", [["d", "==", "garbage"], ["t", "==", "garbage"]], ids=str)
def test_unreadable_filter_values_are_refused(oracle5, term):
    assert_both_raise(oracle5, _frame(), view={"filter": [term]})
