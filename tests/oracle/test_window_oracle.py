"""Viewport bounds (fractional, reversed, negative, past the end) and empty column lists.

perspective-python 3.8 and 5.6.1 read these the same way: a fractional
start is floored and a fractional end ceiled; bounds are clamped to the view.
"""

from __future__ import annotations

import pytest

from perspective_nb.engine.table import Table

pytestmark = pytest.mark.oracle

DATA = {"x": [1, 2, 3, 4], "y": ["a", "b", "a", "d"], "z": [1.5, 2.5, 3.5, 4.5]}

WINDOWS = [
    {"start_row": 0.5, "end_row": 2.5},
    {"start_row": 1.2, "end_row": 1.4},
    {"start_row": 3, "end_row": 1},
    {"start_row": -1, "end_row": 2},
    {"start_row": 10, "end_row": 20},
    {"start_row": 0, "end_row": 100},
    {"end_row": -1},
    {"start_col": 0.5, "end_col": 1.5},
    {"start_col": -1, "end_col": 10},
    {"start_col": 2, "end_col": 1},
    {"start_row": 1.9999, "end_row": 2.0001, "start_col": 1.5},
]

CONFIGS = [
    {},
    {"group_by": ["y"]},
    {"group_by": ["y", "x"], "group_by_depth": 0},
    {"sort": [["z", "desc"]]},
    {"columns": []},
]


@pytest.fixture
def pair(oracle_client):
    theirs = oracle_client.table(DATA)
    yield Table(DATA, name="w"), theirs
    theirs.delete()


@pytest.mark.parametrize("config", CONFIGS, ids=repr)
@pytest.mark.parametrize("window", WINDOWS, ids=repr)
def test_window_bounds_match(pair, config, window):
    ours, theirs = pair
    view = theirs.view(**config)
    try:
        assert ours.view(**config).to_columns(**window) == view.to_columns(**window)
        assert ours.view(**config).to_records(**window) == view.to_records(**window)
    finally:
        view.delete()


@pytest.mark.parametrize("config", CONFIGS, ids=repr)
def test_shapes_match(pair, config):
    ours, theirs = pair
    view = theirs.view(**config)
    try:
        mine = ours.view(**config)
        assert mine.dimensions() == view.dimensions()
        # 3.8 names group-by columns "<col> (Group by N)" (5.x: "<col>").
        assert mine.to_csv(legacy_group_names=True) == view.to_csv()
    finally:
        view.delete()
