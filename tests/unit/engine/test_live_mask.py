"""LiveMask: paged copy-on-write liveness, checked against a flat numpy mask."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspective_nb.engine.live_mask import PAGE, LiveMask


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(0, 3 * PAGE + 17),
    kills=st.lists(st.lists(st.integers(0, 10**9), max_size=40), max_size=6),
    probe=st.lists(st.integers(0, 10**9), max_size=50),
)
def test_matches_a_flat_mask(size, kills, probe):
    flat = np.ones(size, bool)
    mask = LiveMask(size)
    versions = [(mask, flat.copy())]
    for batch in kills:
        if size == 0:
            break
        pos = np.array([k % size for k in batch], np.int64)
        flat[pos] = False
        mask = mask.kill(pos)
        versions.append((mask, flat.copy()))
    # Every version still reads as it was written: old readers are unaffected.
    for m, expected in versions:
        assert m.count == int(expected.sum())
        assert np.array_equal(m.array(), expected)
        if size:
            at = np.array([p % size for p in probe], np.int64)
            assert np.array_equal(m.gather(at), expected[at])


def test_kill_copies_only_touched_pages():
    base = LiveMask(10 * PAGE)
    one = base.kill(np.array([3]))
    two = one.kill(np.array([5 * PAGE + 1]))
    assert one.pages[0] is two.pages[0], "an untouched page is shared"
    assert sum(p is not None for p in two.pages) == 2
    assert base.count == 10 * PAGE
    assert two.count == 10 * PAGE - 2


def test_round_trip_from_array():
    live = np.ones(2 * PAGE + 5, bool)
    live[[0, PAGE + 3, 2 * PAGE + 4]] = False
    mask = LiveMask.from_array(live)
    assert np.array_equal(mask.array(), live)
    assert mask.count == len(live) - 3


@pytest.mark.parametrize("n", [1, 64])
def test_killing_a_dead_row_counts_once(n):
    mask = LiveMask(n).kill(np.array([0])).kill(np.array([0]))
    assert mask.count == n - 1
