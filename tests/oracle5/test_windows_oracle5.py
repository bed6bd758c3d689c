"""Window columns (``view(windows=...)``) against perspective-python 5.6.1.

Fixed cases cover each aggregate and frame with nulls, ties and partitions;
a hypothesis test draws small tables, window specs and updates, opens the
view before the updates and compares ``to_columns`` after each write (the
windows then update incrementally, see ``engine/window_state.py``).
Floats compare to 1e-9 relative (both sides sum in a different order).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspective_nb.engine import window_state
from perspective_nb.engine.table import Table
from perspective_nb.engine.windows import WINDOW_AGGREGATES
from perspective_nb.errors import PerspectiveError

from .conftest import OracleError


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return a == b


def _data() -> pa.Table:
    return pa.table(
        {
            "a": [1, None, 3, 4, 5, 6],
            "x": [None, None, 3.5, 4.0, None, 6.0],
            "s": ["x", "y", "x", None, "y", "x"],
            "d": [3.0, 2.0, None, 2.0, 1.0, 3.0],
            "i": [1, 2, 3, 4, 5, 6],
            "b": [True, False, None, True, False, True],
            "t": [dt.datetime(2024, 1, 1, 0, 0, s) for s in (0, 1, 3, 6, 7, 7)],
            "day": [dt.date(2024, 1, d) for d in (1, 2, 3, 5, 8, 9)],
        }
    )


_RUN = """
import pyarrow as pa
table = client.table(data["table"], **data["options"])
view = table.view(**data["view"])
result = [(view.to_columns(), view.schema())]
for upd in data["updates"]:
    if upd[0] == "update":
        table.update(upd[1])
    else:
        table.remove(upd[1])
    result.append((view.to_columns(), view.schema()))
view.delete()
table.delete()
"""


def _ours(data: dict[str, Any]) -> list[Any]:
    table = Table(data["table"], name="t", **data["options"])
    view = table.view(**data["view"])
    out = [(view.to_columns(), view.schema())]
    for kind, rows in data["updates"]:
        getattr(table, kind)(rows)
        out.append((view.to_columns(), view.schema()))
    return out


def _compare(oracle5, table, view, updates=(), **options) -> list[Any]:
    data = {"table": table, "view": view, "updates": list(updates), "options": options}
    expected = oracle5.code(_RUN, data)
    got = _ours(data)
    assert _close(got, expected), f"{view}\nours:   {got}\n5.6.1:  {expected}"
    return got


_CASES = [
    {"column": "i", "aggregate": "sum", "rows": 2},
    {"column": "i", "aggregate": "sum", "rows": 0},
    {"column": "a", "aggregate": "sum", "rows": 2},
    {"column": "x", "aggregate": "sum", "rows": 1},
    {"column": "x", "aggregate": "avg", "rows": 1},
    {"column": "a", "aggregate": "count", "rows": 2},
    {"column": "a", "aggregate": "stddev", "rows": 3},
    {"column": "x", "aggregate": "stddev", "rows": 1},
    {"column": "a", "aggregate": "var", "cumulative": True},
    {"column": "a", "aggregate": "min", "rows": 2},
    {"column": "s", "aggregate": "max", "rows": 2},
    {"column": "s", "aggregate": "min", "cumulative": True},
    {"column": "b", "aggregate": "max", "rows": 1},
    {"column": "t", "aggregate": "min", "rows": 1},
    {"column": "b", "aggregate": "count", "cumulative": True},
    {"column": "a", "aggregate": "sum", "order_by": ["d", "asc"], "cumulative": True},
    {"column": "i", "aggregate": "sum", "order_by": ["d", "desc"], "cumulative": True},
    {"column": "i", "aggregate": "sum", "order_by": ["d", "asc"], "rows": 1},
    {"column": "i", "aggregate": "sum", "order_by": ["d", "asc"], "range": 1},
    {"column": "i", "aggregate": "sum", "order_by": ["d", "desc"], "range": 1},
    {"column": "i", "aggregate": "max", "order_by": ["d", "desc"], "range": 0.5},
    {"column": "i", "aggregate": "sum", "order_by": ["t", "asc"], "range": 2000},
    {"column": "i", "aggregate": "sum", "order_by": ["day", "asc"], "range": 2},
    {"column": "i", "aggregate": "sum", "order_by": ["b", "desc"], "cumulative": True},
    {"column": "i", "aggregate": "sum", "order_by": ["s", "desc"], "cumulative": True},
    {"column": "i", "aggregate": "sum", "partition_by": ["s"], "cumulative": True},
    {"column": "i", "aggregate": "sum", "partition_by": ["s", "b"], "cumulative": True},
    {"column": "i", "aggregate": "lag"},
    {"column": "i", "aggregate": "lead", "offset": 2},
    {"column": "i", "aggregate": "lag", "offset": 0},
    {"column": "i", "aggregate": "lag", "offset": 100},
    {"column": "a", "aggregate": "lag", "partition_by": ["s"]},
    {"column": "day", "aggregate": "lead"},
    {"column": "a", "aggregate": "diff"},
    {"column": "a", "aggregate": "diff", "offset": 2},
    {"column": "a", "aggregate": "ema", "alpha": 0.5},
    {"column": "x", "aggregate": "ema", "alpha": 0.5, "partition_by": ["s"]},
    {"column": "i", "aggregate": "ema", "alpha": 1, "order_by": ["d", "asc"]},
    {"column": "i", "aggregate": "rate", "order_by": ["d", "asc"], "range": 1},
    {"column": "x", "aggregate": "rate", "order_by": ["i", "asc"], "range": 3},
    {"column": "i", "aggregate": "rate", "order_by": ["t", "asc"], "range": 5000},
    {"column": "i", "aggregate": "rate", "order_by": ["day", "desc"], "range": 10},
    {"column": "i", "aggregate": "row_number", "partition_by": ["s"], "order_by": ["d", "desc"]},
    {"column": "i", "aggregate": "sum"},
    {"column": "i", "aggregate": "count", "offset": 3, "rows": 2},
]


@pytest.mark.parametrize("spec", _CASES, ids=str)
def test_window_aggregates_and_frames(oracle5, spec):
    _compare(oracle5, _data(), {"windows": {"w": spec}})


W = {"w": {"column": "i", "aggregate": "sum", "cumulative": True}}


@pytest.mark.parametrize(
    "view",
    [
        {"windows": W, "columns": ["i", "w"]},
        {"windows": W, "columns": ["i"]},
        {"windows": W, "filter": [["w", ">", 5]]},
        {"windows": W, "filter": [["i", ">", 2]]},
        {"windows": W, "sort": [["w", "desc"]]},
        {"windows": W, "group_by": ["s"], "columns": ["i", "w"]},
        {"windows": W, "group_by": ["w"], "columns": ["i"]},
        {"windows": W, "split_by": ["s"], "columns": ["w"]},
        {"windows": W, "filter": [["w", ">", 5]], "group_by": ["s"], "columns": ["a", "w"]},
        {
            "windows": {"w": {"column": "e", "aggregate": "sum", "cumulative": True}},
            "expressions": {"e": '"i" * 2'},
        },
        {
            "windows": {
                "z": {"column": "i", "aggregate": "lag"},
                "m": {"column": "a", "aggregate": "avg", "rows": 1},
            }
        },
        {"windows": {}},
    ],
    ids=str,
)
def test_window_columns_in_the_rest_of_the_view(oracle5, view):
    _compare(oracle5, _data(), view)


@pytest.mark.parametrize(
    "spec",
    [
        {"column": "i", "aggregate": "lag", "rows": 3},
        {"column": "i", "aggregate": "ema"},
        {"column": "i", "aggregate": "ema", "alpha": 0},
        {"column": "i", "aggregate": "ema", "alpha": 1.5},
        {"column": "i", "aggregate": "ema", "alpha": 0.5, "rows": 2},
        {"column": "i", "aggregate": "rate", "rows": 2},
        {"column": "i", "aggregate": "rate", "range": 2},
        {"column": "i", "aggregate": "sum", "range": 2},
        {"column": "i", "aggregate": "sum", "range": 2, "order_by": ["s", "asc"]},
        {"column": "i", "aggregate": "sum", "range": 0, "order_by": ["d", "asc"]},
        {"column": "i", "aggregate": "sum", "range": -1, "order_by": ["d", "asc"]},
        {"column": "i", "aggregate": "sum", "rows": -1},
        {"column": "i", "aggregate": "sum", "rows": 2.5},
        {"column": "i", "aggregate": "sum", "rows": 2, "cumulative": True},
        {"column": "i", "aggregate": "sum", "cumulative": False},
        {"column": "s", "aggregate": "sum", "rows": 2},
        {"column": "b", "aggregate": "sum", "cumulative": True},
        {"column": "t", "aggregate": "diff"},
        {"column": "zz", "aggregate": "sum", "rows": 2},
        {"column": "i", "aggregate": "first", "rows": 2},
        {"column": "i", "aggregate": "SUM", "rows": 2},
        {"column": "i", "aggregate": "sum", "partition_by": ["zz"]},
        {"column": "i", "aggregate": "sum", "order_by": ["zz", "asc"]},
        {"column": "i", "aggregate": "sum", "order_by": ["d"]},
        {"column": "i", "aggregate": "sum", "order_by": ["d", "ASC"]},
        {"column": "i", "aggregate": "sum", "extra": 1},
        {"aggregate": "sum", "rows": 2},
        {"column": "i", "rows": 2},
        {"column": "w", "aggregate": "sum"},
    ],
    ids=str,
)
def test_bad_windows_are_refused_by_both(oracle5, spec):
    data = {"table": _data(), "view": {"windows": {"w": spec}}, "updates": [], "options": {}}
    with pytest.raises(OracleError):
        oracle5.code(_RUN, data)
    with pytest.raises(PerspectiveError):
        _ours(data)


@pytest.mark.parametrize(
    "view",
    [
        {"windows": {"i": {"column": "i", "aggregate": "sum"}}},
        {"windows": {"e": {"column": "i", "aggregate": "sum"}}, "expressions": {"e": '"i"'}},
        {"windows": {"": {"column": "i", "aggregate": "sum"}}},
        {
            "windows": {"w": {"column": "i", "aggregate": "sum", "partition_by": ["e"]}},
            "expressions": {"e": '"i" % 2'},
        },
        {"windows": W, "expressions": {"e": '"w" + 1'}},
    ],
    ids=str,
)
def test_bad_window_names_are_refused_by_both(oracle5, view):
    data = {"table": _data(), "view": view, "updates": [], "options": {}}
    with pytest.raises(OracleError):
        oracle5.code(_RUN, data)
    with pytest.raises(PerspectiveError):
        _ours(data)


# -- random tables, windows and updates ---------------------------------------

_GROUPS = st.sampled_from(["a", "b", "c", None])
_FLOATS = st.one_of(st.none(), st.integers(-20, 20).map(lambda v: v / 2))
_INTS = st.one_of(st.none(), st.integers(-9, 9))
_ORDER = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 1.5, 2.0, 5.0]))
_DAYS = st.one_of(st.none(), st.integers(0, 6).map(lambda d: dt.date(2024, 1, 1 + d * 2)))


@st.composite
def _rows(draw, keys):
    return {
        "k": keys,
        "g": [draw(_GROUPS) for _ in keys],
        "h": [draw(st.sampled_from(["p", "q"])) for _ in keys],
        "x": [draw(_FLOATS) for _ in keys],
        "n": [draw(_INTS) for _ in keys],
        "o": [draw(_ORDER) for _ in keys],
        "day": [draw(_DAYS) for _ in keys],
        "f": [draw(st.sampled_from([True, False, None])) for _ in keys],
    }


_SCHEMA = pa.schema(
    [
        ("k", pa.int64()),
        ("g", pa.string()),
        ("h", pa.string()),
        ("x", pa.float64()),
        ("n", pa.int64()),
        ("o", pa.float64()),
        ("day", pa.date32()),
        ("f", pa.bool_()),
    ]
)


@st.composite
def _spec(draw):
    agg = draw(st.sampled_from(WINDOW_AGGREGATES))
    numeric = agg in ("sum", "avg", "stddev", "var", "diff", "rate", "ema")
    column = draw(st.sampled_from(["x", "n"] if numeric else ["x", "n", "g", "o", "day", "f"]))
    spec: dict[str, Any] = {"column": column, "aggregate": agg}
    parts = draw(st.sampled_from([[], ["g"], ["h"], ["g", "h"], ["f"], ["day", "g"]]))
    if parts:
        spec["partition_by"] = parts
    order = draw(st.sampled_from([None, "o", "n", "g", "day", "f"]))
    if order is not None:
        spec["order_by"] = [order, draw(st.sampled_from(["asc", "desc"]))]
    framed = agg in ("sum", "avg", "count", "min", "max", "stddev", "var")
    if agg in ("lag", "lead", "diff"):
        if draw(st.booleans()):
            spec["offset"] = draw(st.integers(0, 3))
    elif agg == "ema":
        spec["alpha"] = draw(st.sampled_from([0.25, 0.5, 1.0]))
    elif agg == "rate" or (framed and draw(st.booleans())):
        direction = draw(st.sampled_from(["asc", "desc"]))
        spec["order_by"] = [draw(st.sampled_from(["o", "n", "day"])), direction]
        spec["range"] = draw(st.sampled_from([0.5, 1, 2.5]))
    elif framed:
        frame = draw(st.sampled_from(["rows", "cumulative", None]))
        if frame == "rows":
            spec["rows"] = draw(st.integers(0, 4))
        elif frame == "cumulative":
            spec["cumulative"] = True
    return spec


_EXACT = ("count", "min", "max", "lag", "lead", "row_number")


@st.composite
def _scenario(draw):
    n = draw(st.integers(0, 40))
    table = pa.Table.from_pydict(draw(_rows(list(range(n)))), schema=_SCHEMA)
    indexed = draw(st.booleans())
    updates = []
    for _ in range(draw(st.integers(0, 3))):
        if indexed and n and draw(st.booleans()) and draw(st.booleans()):
            keys = draw(st.lists(st.integers(0, n + 3), min_size=1, max_size=3, unique=True))
            updates.append(("remove", keys))
            continue
        if indexed:
            keys = draw(st.lists(st.integers(0, n + 5), min_size=1, max_size=4, unique=True))
        else:
            keys = list(range(100, 100 + draw(st.integers(1, 4))))
        rows = pa.Table.from_pydict(draw(_rows(keys)), schema=_SCHEMA)
        updates.append(("update", rows))
    windows = {f"w{i}": draw(_spec()) for i in range(draw(st.integers(1, 3)))}
    view: dict[str, Any] = {"windows": windows}
    if draw(st.booleans()):
        # An expression alias as a window's input.
        view["expressions"] = {"e": '"n" * 2 + 1'}
        windows["we"] = {**draw(_spec()), "column": "e"}
    extra = draw(st.sampled_from([None, "filter", "sort", "group_by"]))
    if extra == "group_by" and n and not any(kind == "remove" for kind, _ in updates):
        # count on a non-empty table: an empty table's total, and a sum of an
        # all-null group, differ from 5.6.1 with or without windows.
        view.update(group_by=["h"], columns=["w0"], aggregates={"w0": "count"})
    if extra == "filter":
        view["filter"] = [["x", ">", 0]]  # windows see the rows the filter hides
    elif extra == "sort" and windows["w0"]["aggregate"] in _EXACT:
        # Sorting on a float result would order rounding noise (5.6.1 sums differently).
        view["sort"] = [["w0", "desc"]]
    options = {"index": "k"} if indexed else {}
    return table, view, updates, options


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=_scenario())
def test_random_windows_follow_random_updates(oracle5, case):
    table, view, updates, options = case
    with pytest.MonkeyPatch.context() as patch:
        # Small tables: keep the incremental path even when a write touches
        # most rows, so it is what 5.6.1 is compared with after each write.
        patch.setattr(window_state, "FULL_FRACTION", 2.0)
        _compare(oracle5, table, view, updates, **options)


def test_grouped_windows_follow_updates(oracle5):
    view = {
        "windows": {"w": {"column": "i", "aggregate": "sum", "cumulative": True}},
        "group_by": ["s"],
        "columns": ["i", "w"],
    }
    update = pa.table({"i": [7, 8], "s": ["x", None], "a": [1, 2]})
    _compare(oracle5, _data().select(["i", "s", "a"]), view, [("update", update)], index="i")


_DELTAS = """
import pyarrow as pa
table = client.table(data["table"], index="k")
got = []
for cfg in data["views"]:
    view = table.view(**cfg)
    view.to_columns()
    view.on_update(
        lambda *a, n=len(got): got[n].append(pa.ipc.open_stream(a[-1]).read_all().to_pydict()),
        mode="row",
    )
    got.append([])
for upd in data["updates"]:
    table.update(upd)
    table.size()
result = got
"""


def test_row_deltas_report_rows_whose_windows_changed(oracle5):
    windows = {"w": {"column": "v", "aggregate": "sum", "cumulative": True}}
    data = {
        "table": {"k": [1, 2, 3, 4], "v": [1.0, 2.0, 3.0, 4.0], "g": ["a", "b", "a", "b"]},
        "views": [
            {"windows": windows},
            {"windows": windows, "group_by": ["g"]},
            {"windows": windows, "filter": [["w", ">", 2]]},
        ],
        "updates": [{"k": [2], "v": [10.0]}, {"k": [5], "v": [1.0], "g": ["a"]}],
    }
    expected = oracle5.code(_DELTAS, data)
    table = Table(data["table"], name="deltas", index="k")
    got = []
    for cfg in data["views"]:
        view = table.view(**cfg)
        view.to_columns()
        seen: list = []
        view.on_update(
            lambda *a, seen=seen: seen.append(pa.ipc.open_stream(a[-1]).read_all().to_pydict()),
            mode="row",
        )
        got.append(seen)
    for upd in data["updates"]:
        table.update(upd)
    assert got == expected
