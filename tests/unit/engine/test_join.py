"""Join tables: rows against a plain-Python nested-loop join, following writes, rules."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perspective_nb.engine.join import JoinTable, join_rows
from perspective_nb.engine.table import Table
from perspective_nb.errors import ArgumentError, PerspectiveError, SchemaError


def nested_loop(left: dict, right: dict, how: str) -> dict:
    """The join by definition: each left row with its matches, in order."""
    out = {"k": [], "x": [], "y": []}
    matched_right = set()
    for i, lk in enumerate(left["k"]):
        hits = [j for j, rk in enumerate(right["k"]) if rk == lk]
        matched_right.update(hits)
        for j in hits or ([None] if how != "inner" else []):
            out["k"].append(lk)
            out["x"].append(left["x"][i])
            out["y"].append(None if j is None else right["y"][j])
    if how == "outer":
        for j, rk in enumerate(right["k"]):
            if j not in matched_right and rk not in left["k"]:
                out["k"].append(rk)
                out["x"].append(None)
                out["y"].append(right["y"][j])
    return out


_keys = st.lists(st.one_of(st.none(), st.integers(0, 4)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(lk=_keys, rk=_keys, how=st.sampled_from(["inner", "left", "outer"]))
def test_join_rows_is_the_nested_loop_join(lk, rk, how):
    left = {"k": lk, "x": [float(i) for i in range(len(lk))]}
    right = {"k": rk, "y": [f"r{j}" for j in range(len(rk))]}
    lt = pa.table({"k": pa.array(lk, pa.int64()), "x": pa.array(left["x"], pa.float64())})
    rt = pa.table({"k": pa.array(rk, pa.int64()), "y": pa.array(right["y"], pa.string())})
    assert join_rows(lt, rt, "k", how).to_pydict() == nested_loop(left, right, how)


def test_string_keys_of_different_storage_match_by_value():
    # An index column is stored plain, other strings dictionary-encoded.
    left = Table({"k": ["b", "a", "c"], "x": [1, 2, 3]}, name="l", index="k")
    right = Table({"k": ["c", "a", "a"], "y": [1.5, 2.5, 3.5]}, name="r")
    j = JoinTable(left, right, "k", name="j", join_type="left")
    assert j.view().to_columns() == {
        "k": ["a", "a", "b", "c"],
        "x": [2, 2, 1, 3],
        "y": [2.5, 3.5, None, 1.5],
    }


def test_join_follows_every_write_and_fires_on_update():
    left = Table({"k": [1, 2], "x": [1.0, 2.0]}, name="l", index="k")
    right = Table({"k": [2, 3], "y": ["b", "c"]}, name="r", index="k")
    j = JoinTable(left, right, "k", name="j", join_type="outer")
    view = j.view()
    calls = []
    view.on_update(lambda *args: calls.append(args))
    left.update({"k": [3], "x": [3.0]})
    right.remove([2])
    right.replace({"k": [1], "y": ["a"]})
    left.clear()
    assert len(calls) == 4
    assert view.to_columns() == {"k": [1], "x": [None], "y": ["a"]}


def test_views_number_rows_by_position_while_the_index_is_the_key():
    left = Table({"k": [1, 1], "x": [1.0, 2.0]}, name="l")
    right = Table({"k": [1], "y": ["a"]}, name="r")
    j = JoinTable(left, right, "k", name="j")
    assert j.get_index() == "k"
    assert j.view().to_records(index=True) == [
        {"k": 1, "x": 1.0, "y": "a", "__INDEX__": [0]},
        {"k": 1, "x": 2.0, "y": "a", "__INDEX__": [1]},
    ]


def test_join_is_read_only_and_holds_its_sources():
    left = Table({"k": [1]}, name="l")
    right = Table({"k": [1], "y": [2]}, name="r")
    j = JoinTable(left, right, "k", name="j")
    for write in (lambda: j.update({"k": [2]}), lambda: j.remove([0]), j.clear):
        with pytest.raises(PerspectiveError, match="read-only join table 'j'"):
            write()
    with pytest.raises(PerspectiveError, match="derived from it"):
        left.delete()
    j.delete()
    left.update({"k": [5]})  # no longer followed
    left.delete()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"on": "zz"}, SchemaError, "not in the left table"),
        ({"on": "k", "right_on": "zz"}, SchemaError, "not in the right table"),
        ({"on": "k", "right_on": "s"}, SchemaError, "type mismatch"),
        ({"on": "k", "join_type": "cross"}, ArgumentError, "unknown join type"),
    ],
)
def test_bad_joins_name_the_problem(kwargs, error, message):
    left = Table({"k": [1], "x": [1.0]}, name="l")
    right = Table({"k": [1], "s": ["a"]}, name="r")
    on = kwargs.pop("on")
    with pytest.raises(error, match=message):
        JoinTable(left, right, on, name="j", **kwargs)


def test_a_column_in_both_tables_is_refused_not_renamed():
    t = Table({"k": [1], "x": [1.0]}, name="t")
    with pytest.raises(SchemaError, match=r"\['x'\] exist in both tables"):
        JoinTable(t, t, "k", name="j")


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([10**12, 1, None, 1, -(10**12)], id="sparse-integers-hashed"),
        pytest.param([1.5, None, 2.5, 1.5, 3.5], id="floats"),
        pytest.param(["2020-01-02", None, "2020-01-01", "2020-01-02", "2020-01-03"], id="dates"),
        pytest.param([None, None, None, None, None], id="all-null"),
    ],
)
def test_keys_of_every_coding_path_match_by_value(keys):
    typed = pa.array(keys, pa.int64() if keys[0] is None else None)
    if isinstance(keys[0], str):
        typed = typed.cast(pa.date32())
    values = typed.to_pylist()
    xs = [float(i) for i in range(5)]
    right_rows = [3, 1, 4]
    left = pa.table({"k": typed, "x": pa.array(xs)})
    right = pa.table({"k": typed.take(pa.array(right_rows)), "y": pa.array(["a", "b", "c"])})
    expected = nested_loop(
        {"k": values, "x": xs},
        {"k": [values[i] for i in right_rows], "y": ["a", "b", "c"]},
        "outer",
    )
    assert join_rows(left, right, "k", "outer").to_pydict() == expected


@pytest.mark.parametrize("how", ["inner", "left"])
def test_appends_to_the_left_table_are_followed_as_appends(how):
    left = Table({"k": [1, 2], "x": [1.0, 2.0]}, name="l")
    right = Table({"k": [1, 1, 3], "y": ["a", "b", "c"]}, name="r", index=None)
    j = JoinTable(left, right, "k", name="j", join_type=how)
    version = j.version
    grouped = j.view(group_by=["k"], columns=["x"], aggregates={"x": "sum"})
    grouped.to_columns()
    left.update({"k": [3, 1, 4], "x": [3.0, 4.0, 5.0]})
    left.update({"k": [1], "x": [6.0]})
    # Row deltas, not a replace: views can follow them incrementally.
    assert j.changes_since(version) is not None
    expected = join_rows(left.data, right.data, "k", how).to_pydict()
    assert j.view().to_columns() == expected
    assert (
        grouped.to_columns()
        == JoinTable(left, right, "k", name="j2", join_type=how)
        .view(group_by=["k"], columns=["x"], aggregates={"x": "sum"})
        .to_columns()
    )
    right.update({"k": [4], "y": ["d"]})  # a right write recomputes
    assert j.changes_since(version) is None
    assert j.view().to_columns() == join_rows(left.data, right.data, "k", how).to_pydict()
