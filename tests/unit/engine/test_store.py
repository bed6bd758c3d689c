"""Store: main + delta row storage (O(batch) writes, one consistent version per write)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from perspective_nb.engine import store as store_module
from perspective_nb.engine.store import Store
from perspective_nb.engine.table import Table


def _rows(t: Table) -> list[dict]:
    return t.data.to_pylist()


def test_upserts_go_to_the_delta_and_read_back_in_key_order():
    t = Table({"k": [1, 3, 5], "v": [10, 30, 50]}, name="t", index="k")
    t.update({"k": [4, 3, 0], "v": [40, 33, 0]})
    store = t._state[1]
    assert store.main.num_rows == 3  # main untouched: the write went to the delta
    assert store.delta.num_rows == 3
    assert _rows(t) == [
        {"k": 0, "v": 0},
        {"k": 1, "v": 10},
        {"k": 3, "v": 33},
        {"k": 4, "v": 40},
        {"k": 5, "v": 50},
    ]
    assert t.size() == 5


def test_a_key_upserted_twice_keeps_only_its_last_version():
    t = Table({"k": [1, 2], "v": [1, 2], "w": ["a", "b"]}, name="t", index="k")
    t.update({"k": [2], "v": [20]})
    t.update({"k": [2], "w": ["z"]})  # partial: v keeps 20
    t.update({"k": [9], "v": [9]})
    assert _rows(t) == [
        {"k": 1, "v": 1, "w": "a"},
        {"k": 2, "v": 20, "w": "z"},
        {"k": 9, "v": 9, "w": None},
    ]
    assert t.size() == 3


@pytest.mark.parametrize(
    "keys",
    [
        ["b", "a", "d"],  # strings: binary search on code point order
        [2.5, -1.0, 7.0],
        [dt.date(2020, 1, 2), dt.date(2019, 5, 1), dt.date(2021, 1, 1)],
    ],
)
def test_key_types_that_binary_search_orders(keys):
    t = Table({"k": keys[:2], "v": [1, 2]}, name="t", index="k")
    t.update({"k": [keys[2], keys[0]], "v": [3, 10]})
    data = t.data
    assert t._state[1].delta.num_rows == 2
    assert data.column("k").to_pylist() == sorted(data.column("k").to_pylist())
    assert (
        dict(zip(data.column("k").to_pylist(), data.column("v").to_pylist(), strict=True))[
            pa.array([keys[0]]).to_pylist()[0]
        ]
        == 10
    )


def test_null_keys_take_the_full_rewrite_path_and_stay_correct():
    t = Table({"k": [1, None], "v": [1, 2]}, name="t", index="k")
    t.update({"k": [None, 3], "v": [20, 3]})
    assert _rows(t) == [{"k": None, "v": 20}, {"k": 1, "v": 1}, {"k": 3, "v": 3}]


def test_remove_then_reinsert_a_key():
    t = Table({"k": [1, 2, 3], "v": [1, 2, 3]}, name="t", index="k")
    t.update({"k": [2], "v": [22]})
    t.remove([2, 3])
    assert _rows(t) == [{"k": 1, "v": 1}]
    t.update({"k": [2], "v": [5]})
    assert _rows(t) == [{"k": 1, "v": 1}, {"k": 2, "v": 5}]


def test_unindexed_appends_limit_and_remove_by_position():
    t = Table({"v": [1, 2, 3]}, name="t", limit=4)
    t.update({"v": [4, 5]})
    assert [r["v"] for r in _rows(t)] == [2, 3, 4, 5]
    t.remove([0, 2])
    assert [r["v"] for r in _rows(t)] == [3, 5]
    t.update({"v": [6, 7, 8]})
    assert [r["v"] for r in _rows(t)] == [5, 6, 7, 8]


def test_the_delta_is_compacted_so_memory_stays_bounded(monkeypatch):
    monkeypatch.setattr(store_module, "_MIN_DELTA", 50)
    t = Table({"k": np.arange(200), "v": np.zeros(200, np.int64)}, name="t", index="k")
    rng = np.random.default_rng(1)
    expected = np.zeros(300, np.int64)
    for i in range(100):
        keys = rng.integers(0, 300, 10)
        values = np.full(10, i, np.int64)
        t.update({"k": keys, "v": values})
        expected[keys] = values  # the last write of a key wins
        store = t._state[1]
        # Dead rows never pile up past the compaction threshold.
        assert store.delta.num_rows <= max(50, 0.125 * store.main.num_rows) + 10
    data = t.data
    ks = data.column("k").to_numpy()
    assert list(ks) == sorted(set(ks))
    assert (data.column("v").to_numpy() == expected[ks]).all()


def test_old_versions_stay_readable_after_writes():
    t = Table({"k": [1, 2], "v": [1, 2]}, name="t", index="k")
    version, old = t.snapshot()
    t.update({"k": [1, 3], "v": [100, 3]})
    assert old.to_pylist() == [{"k": 1, "v": 1}, {"k": 2, "v": 2}]
    assert t.version == version + 1


def test_a_store_is_a_complete_version_of_the_rows():
    main = pa.table({"k": [1, 2, 3], "v": [1, 2, 3]})
    s0 = Store(main, "k")
    s1, added, replaced = s0.upsert(pa.table({"k": [2, 4], "v": [20, 40]}), {"k", "v"})
    assert s0.table().to_pylist() == main.to_pylist()  # the old version is untouched
    assert s1.table().column("v").to_pylist() == [1, 20, 3, 40]
    assert added.column("k").to_pylist() == [2, 4]
    assert replaced.to_pylist() == [{"k": 2, "v": 2}]
