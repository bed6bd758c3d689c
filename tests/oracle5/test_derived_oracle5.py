"""Tables made from a view (``client.table(view)``) as perspective-python 5.6.1 keeps them:
they follow their view's table, inherit its index and limit, and are read-only."""

from __future__ import annotations

import inspect
import textwrap

import pytest

import perspective_nb


def _attempt(call):
    try:
        return call()
    except Exception:  # each library raises its own error class
        return "error"


def follows_filter_and_source_order(perspective, attempt):
    c = perspective.Server().new_local_client()
    t = c.table({"k": [1, 2, 3], "x": [1.5, 2.5, 3.5], "s": ["a", "b", "a"]}, index="k")
    v = t.view(filter=[["x", ">", 2]], sort=[["x", "desc"]])
    d = c.table(v, name="D")
    out = [sorted(d.schema().items()), d.get_index(), d.get_limit(), d.view().to_columns()]
    t.update({"k": [1, 4], "x": [9.0, 0.5]})
    out.append(d.view().to_columns())
    t.remove([3])
    out.append(d.view().to_columns())
    out.append(c.open_table("D").view().to_columns())
    out.append(attempt(lambda: d.update({"k": [7]})))
    out.append(attempt(lambda: d.clear()))
    out.append(attempt(lambda: v.delete()))
    return out


def columns_expressions_and_no_index(perspective, attempt):
    c = perspective.Server().new_local_client()
    t = c.table({"k": [1, 2, 3], "x": [1.5, 2.5, 3.5], "s": ["a", "b", None]}, index="k")
    d = c.table(t.view(columns=["x", "s"]))
    out = [sorted(d.schema().items()), d.get_index(), d.view().to_columns()]
    e = c.table(t.view(expressions={"y": '"x" * 2'}, columns=["k", "y"]))
    out += [sorted(e.schema().items()), e.get_index()]
    t.update({"k": [2, 5], "x": [7.0, 1.0]})
    out += [d.view().to_columns(), e.view().to_columns()]
    return out


def pivots_give_key_columns(perspective, attempt):
    c = perspective.Server().new_local_client()
    t = c.table({"k": [1, 2, 3, 4], "x": [1.5, 2.5, 3.5, 4.5], "s": ["a", "b", "a", None]})
    d = c.table(t.view(group_by=["s"], columns=["x"], aggregates={"x": "sum"}))
    out = [sorted(d.schema().items()), d.view().to_columns()]
    q = c.table(t.view(group_by=["s"], columns=["x", "s"]))
    out.append(q.view().to_columns())
    t.update({"k": [5], "x": [10.0], "s": ["b"]})
    out += [d.view().to_columns(), q.view().to_columns()]
    return out


def limit_is_inherited_and_options_refused(perspective, attempt):
    c = perspective.Server().new_local_client()
    t = c.table({"a": [1, 2, 3]}, limit=2)
    d = c.table(t.view())
    out = [d.get_limit(), d.get_index(), d.view().to_columns()]
    t.update({"a": [4]})
    out.append(d.view().to_columns())
    out.append(attempt(lambda: c.table(t.view(), index="a")))
    out.append(attempt(lambda: c.table(t.view(), limit=3)))
    u = c.table({"a": [1, 2]})
    du = c.table(u.view())
    u.update({"a": [3]})
    out.append(du.view().to_columns())
    return out


def schema_fixes_the_columns(perspective, attempt):
    c = perspective.Server().new_local_client()
    t = c.table({"k": [1, 2], "x": [1.5, 2.5], "s": ["a", "b"]})
    d = c.table(t.view(), schema={"k": "integer", "x": "float", "zz": "string"})
    out = [sorted(d.schema().items()), d.view().to_columns()]
    t.update({"k": [3], "x": [0.5], "s": ["c"]})
    out.append(d.view().to_columns())
    out.append(attempt(lambda: c.table(t.view(), schema={"k": "string"})))
    return out


def split_columns_are_fixed_and_rollup_modes_mirrored(perspective, attempt):
    c = perspective.Server().new_local_client()
    t = c.table({"g": ["a", "b"], "s": ["p", "p"], "x": [1, 2]})
    d = c.table(t.view(group_by=["g"], split_by=["s"], columns=["x"]))
    out = [sorted(d.schema().items()), d.view().to_columns()]
    t.update({"g": ["a"], "s": ["q"], "x": [5]})
    out.append(d.view().to_columns())
    e = c.table(t.view(split_by=["s"], columns=["x"]))
    out += [sorted(e.schema().items()), e.view().to_columns()]
    f = c.table(t.view(group_by=["g"], columns=["x"], group_rollup_mode="flat"))
    out.append(f.view().to_columns())
    return out


SCENARIOS = [
    split_columns_are_fixed_and_rollup_modes_mirrored,
    follows_filter_and_source_order,
    columns_expressions_and_no_index,
    pivots_give_key_columns,
    limit_is_inherited_and_options_refused,
    schema_fixes_the_columns,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_same_as_perspective_5(oracle5, scenario):
    source = textwrap.dedent(inspect.getsource(_attempt) + inspect.getsource(scenario))
    theirs = oracle5.code(f"{source}\nresult = {scenario.__name__}(perspective, _attempt)")
    assert scenario(perspective_nb, _attempt) == theirs
