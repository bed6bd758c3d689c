"""DeltaIndex: the delta's key index in a big and a small sorted run."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from perspective_nb.engine import delta_index as delta_index_module
from perspective_nb.engine.delta_index import DeltaIndex, merge_sorted
from perspective_nb.engine.table import Table

# Writes: each a set of keys (from a small range, so keys repeat across writes).
_WRITES = st.lists(st.sets(st.integers(0, 60), max_size=12), max_size=30)


def _replay(writes: list[set[int]]) -> tuple[DeltaIndex, dict[int, int], list[DeltaIndex]]:
    """Apply ``writes`` as a store does (each key at the next delta rows): the
    last index, a dict model of it, and the index after each write."""
    versions = [DeltaIndex.empty(np.dtype(np.int64))]
    model: dict[int, int] = {}
    row = 0
    # A small run of at most 3 keys: most writes merge it into the big run.
    with mock.patch.object(delta_index_module, "_MIN_SMALL", 3):
        for keys in writes:
            k = np.array(sorted(keys), np.int64)
            rows = np.arange(row, row + len(k), dtype=np.int64)
            row += len(k)
            versions.append(versions[-1].with_writes(k, rows))
            model.update(zip(k.tolist(), rows.tolist(), strict=True))
    return versions[-1], model, versions


@settings(max_examples=60, deadline=None)
@given(writes=_WRITES)
def test_the_index_finds_each_keys_last_row(writes):
    index, model, _ = _replay(writes)
    probe = np.arange(-2, 64, dtype=np.int64)
    expected = [model.get(k, -1) for k in probe.tolist()]
    assert index.find(probe).tolist() == expected
    keys, rows = index.merged()
    assert keys.tolist() == sorted(model)
    assert rows.tolist() == [model[k] for k in sorted(model)]


@settings(max_examples=30, deadline=None)
@given(writes=_WRITES)
def test_older_versions_of_the_index_are_unchanged_by_later_writes(writes):
    _, _, versions = _replay(writes)
    # Each version answers as a replay of the writes up to it does.
    for i, index in enumerate(versions):
        _, model, _ = _replay(writes[:i])
        probe = np.array(sorted(model) or [0], np.int64)
        assert index.find(probe).tolist() == [model.get(k, -1) for k in probe.tolist()]


def test_the_small_run_merges_into_the_big_one_past_its_limit(monkeypatch):
    monkeypatch.setattr(delta_index_module, "_MIN_SMALL", 4)
    index = DeltaIndex.empty(np.dtype(np.int64))
    index = index.with_writes(np.array([1, 2, 3]), np.array([0, 1, 2]))
    assert len(index.small_keys) == 3
    assert len(index.big_keys) == 0
    index = index.with_writes(np.array([2, 8, 9]), np.array([3, 4, 5]))  # 5 keys: merge
    assert index.big_keys.tolist() == [1, 2, 3, 8, 9]
    assert index.big_rows.tolist() == [0, 3, 2, 4, 5]  # key 2's newer row won
    assert len(index.small_keys) == 0


def test_merge_sorted_appends_keys_arriving_in_order():
    rows = np.array([0, 1])
    keys, out = merge_sorted(np.array([1, 5]), rows, np.array([7, 8]), np.array([2, 3]))
    assert keys.tolist() == [1, 5, 7, 8]
    assert out.tolist() == [0, 1, 2, 3]
    keys, out = merge_sorted(np.array([1, 5]), rows, np.array([0, 3]), np.array([2, 3]))
    assert keys.tolist() == [0, 1, 3, 5]
    assert out.tolist() == [2, 0, 3, 1]


def test_a_table_streaming_past_the_small_runs_limit_reads_back_every_key(monkeypatch):
    monkeypatch.setattr(delta_index_module, "_MIN_SMALL", 8)
    rng = np.random.default_rng(3)
    t = Table({"k": list(range(100)), "v": [0] * 100}, name="t", index="k")
    model = dict.fromkeys(range(100), 0)
    for i in range(1, 80):
        keys = sorted({int(k) for k in rng.integers(0, 160, 6)})
        t.update({"k": keys, "v": [i] * len(keys)})
        model.update(dict.fromkeys(keys, i))
    assert t.data.to_pydict() == {"k": sorted(model), "v": [model[k] for k in sorted(model)]}
    view = t.view(sort=[["v", "desc"]])
    # A flat view reads its window through the merged index.
    top = view.to_columns(start_row=0, end_row=5)
    assert top["v"] == sorted(model.values(), reverse=True)[:5]
