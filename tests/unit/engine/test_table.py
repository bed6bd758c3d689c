"""Table storage: index upserts, limits, removes, replace/clear/delete, errors, ports."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError, PerspectiveError


def test_metadata():
    t = Table({"k": [1, 2], "v": ["a", "b"]}, name="trades", index="k")
    assert t.get_name() == "trades"
    assert t.get_index() == "k"
    assert t.get_limit() is None
    assert t.columns() == ["k", "v"]
    assert t.size() == 2
    assert t.make_port() != t.make_port()


def test_index_upsert_keeps_unsent_columns_and_explicit_nulls_clear():
    t = Table({"k": [1, 2], "a": [10, 20], "b": ["x", "y"]}, name="t", index="k")
    t.update({"k": [2, 3], "a": [21, 30]})
    assert t.view().to_columns() == {"k": [1, 2, 3], "a": [10, 21, 30], "b": ["x", "y", None]}
    t.update({"k": [1], "b": [None]})
    assert t.view().to_columns()["b"] == [None, "y", None]


def test_index_rows_are_ordered_by_key():
    t = Table({"k": ["b", "a"], "v": [1, 2]}, name="t", index="k")
    t.update({"k": ["0", "c"], "v": [3, 4]})
    assert t.view().to_columns()["k"] == ["0", "a", "b", "c"]


def test_remove_by_key_and_by_row_number():
    t = Table({"k": [1, 2, 3], "v": [1, 2, 3]}, name="t", index="k")
    t.remove([2, 99])
    assert t.view().to_columns()["k"] == [1, 3]
    plain = Table({"v": [5, 6, 7]}, name="p")
    plain.remove([0])
    assert plain.view().to_columns()["v"] == [6, 7]


def test_limit_keeps_the_last_rows():
    t = Table({"a": [1, 2, 3]}, name="t", limit=2)
    assert t.view().to_columns()["a"] == [2, 3]
    t.update({"a": [4]})
    assert t.view().to_columns()["a"] == [3, 4]


def test_replace_and_clear_keep_the_schema():
    t = Table({"a": [1, 2]}, name="t")
    t.replace({"a": [9]})
    assert t.view().to_columns() == {"a": [9]}
    t.clear()
    assert t.size() == 0
    assert t.schema() == {"a": "integer"}


def test_update_appends_with_missing_columns_as_null():
    t = Table({"a": [1], "b": ["x"]}, name="t")
    t.update([{"a": 2}])
    assert t.view().to_columns() == {"a": [1, 2], "b": ["x", None]}


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"a": ["not a number"]}, "cannot write"),
        ({"a": [1, None, "x"]}, "cannot write string values into integer column"),
    ],
)
def test_failed_update_leaves_the_table_unchanged(update, message):
    t = Table({"a": [1, 2]}, name="t")
    view = t.view()
    with pytest.raises(PerspectiveError, match=message):
        t.update(update)
    assert view.to_columns() == {"a": [1, 2]}


def test_indexed_update_without_the_index_column_upserts_the_null_key():
    # As Perspective does: the rows have no key, so they share the null key.
    t = Table({"k": [1], "v": [1]}, name="t", index="k")
    t.update({"v": [2]})
    t.update({"v": [3]})
    assert t.view().to_columns() == {"k": [None, 1], "v": [3, 1]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"index": "k", "limit": 5}, "not both"),
        ({"index": "missing"}, "index column 'missing'"),
        ({"limit": 0}, "positive integer"),
    ],
)
def test_bad_table_options(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        Table({"k": [1]}, name="t", **kwargs)


def test_delete_refuses_while_views_are_open_then_calls_back():
    t = Table({"a": [1]}, name="t")
    calls = []
    t.on_delete(lambda: calls.append("deleted"))
    removed = t.on_delete(lambda: calls.append("removed"))
    t.remove_delete(removed)
    v = t.view()
    with pytest.raises(PerspectiveError, match="still open"):
        t.delete()
    v.delete()
    t.delete()
    assert calls == ["deleted"]
    with pytest.raises(PerspectiveError, match="deleted"):
        t.update({"a": [2]})


def test_on_update_reports_port_and_row_deltas():
    t = Table({"k": [1, 2], "v": [1, 2]}, name="t", index="k")
    v = t.view()
    seen = []
    v.on_update(lambda port, delta: seen.append((port, delta)))
    v.on_update(
        lambda port, delta: seen.append(("row", pa.ipc.open_stream(delta).read_all())), mode="row"
    )
    port = t.make_port()
    t.update({"k": [2], "v": [20]}, port_id=port)
    assert seen[0] == (port, None)
    assert seen[1][1].to_pydict() == {"k": [2], "v": [20]}
    # The view already reflects the update when callbacks run.
    assert v.to_columns()["v"] == [1, 20]


def test_many_small_updates_stay_correct():
    t = Table({"k": [0], "v": [0]}, name="t", index="k")
    for i in range(1, 200):
        t.update({"k": [i % 50], "v": [i]})
    cols = t.view().to_columns()
    assert cols["k"] == list(range(50))
    assert cols["v"][0] == 150
    assert cols["v"][49] == 199


def test_truncated_arrow_bytes_and_null_row_numbers_are_clear_errors():
    import io

    import pyarrow as pa

    from perspective_nb.errors import PerspectiveError

    sink = io.BytesIO()
    tbl = pa.table({"x": [1, 2, 3]})
    with pa.ipc.new_stream(sink, tbl.schema) as w:
        w.write_table(tbl)
    with pytest.raises(PerspectiveError, match="Arrow IPC"):
        Table(sink.getvalue()[:-9], name="t")
    t = Table({"x": [1, 2, 3]}, name="t", limit=5)
    with pytest.raises(PerspectiveError, match="null"):
        t.remove([None, 1])
    assert t.size() == 3
