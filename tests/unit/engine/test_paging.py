"""page_to_disk: columns in a mapped Arrow file, same answers as in memory."""

from __future__ import annotations

import os

import numpy as np
import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError


def _data(n: int) -> pa.Table:
    return pa.table(
        {
            "k": np.arange(n),
            "s": np.array(["a", "b", "c"])[np.arange(n) % 3],
            "x": np.arange(n) * 0.5,
        }
    )


def test_columns_live_in_a_file_removed_on_delete():
    t = Table(_data(1000), name="paged/table", index="k", page_to_disk=True)
    path = t._pager.path
    assert os.path.exists(path)
    assert os.path.basename(path).startswith("perspective_nb-paged_table")
    view = t.view()
    assert view.to_columns(start_row=998) == {
        "k": [998, 999],
        "s": ["c", "a"],
        "x": [499.0, 499.5],
    }
    view.delete()
    t.delete()
    assert not os.path.exists(path)


def test_writes_and_compactions_answer_as_in_memory():
    n = 100_000
    paged = Table(_data(n), name="p", index="k", page_to_disk=True)
    memory = Table(_data(n), name="m", index="k")
    first = paged._pager.path
    for i in range(30):
        keys = np.arange(i * 1000, i * 1000 + 1000) + n // 2
        upd = pa.table({"k": keys, "s": ["z"] * 1000, "x": np.full(1000, float(i))})
        paged.update(upd)
        memory.update(upd)
    paged.remove([0, 1, 2])
    memory.remove([0, 1, 2])
    assert paged._pager.path != first  # a compaction wrote a new file
    assert not os.path.exists(first)
    for config in ({}, {"group_by": ["s"], "columns": ["x"], "aggregates": {"x": "sum"}}):
        assert paged.view(**config).to_columns() == memory.view(**config).to_columns()


def test_page_to_disk_must_be_a_bool():
    with pytest.raises(ConfigError, match="page_to_disk must be True or False"):
        Table({"a": [1]}, name="t", page_to_disk="yes")


def test_a_table_dropped_without_delete_removes_its_file():
    import gc

    t = Table(_data(10), name="dropped", page_to_disk=True)
    path = t._pager.path
    del t
    gc.collect()
    assert not os.path.exists(path)
