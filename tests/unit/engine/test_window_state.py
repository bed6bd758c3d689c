"""Window columns updated incrementally (``engine/window_state.py``).

A view opened before a sequence of writes must show what a view opened
afresh after them shows, and a write must recompute only the partitions it
touched (and, for appends after a partition's last row, only their frames).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perspective_nb.engine import window_compute, window_state
from perspective_nb.engine.table import Table
from perspective_nb.engine.windows import WINDOW_AGGREGATES

_SCHEMA = pa.schema(
    [
        ("k", pa.int64()),
        ("g", pa.string()),
        ("h", pa.string()),
        ("x", pa.float64()),
        ("n", pa.int64()),
        ("o", pa.float64()),
        ("day", pa.date32()),
    ]
)
_GROUPS = st.sampled_from(["a", "b", "c", "d", None])
_FLOATS = st.one_of(st.none(), st.integers(-20, 20).map(lambda v: v / 2))
_INTS = st.one_of(st.none(), st.integers(-9, 9))
_DAYS = st.one_of(st.none(), st.integers(0, 6).map(lambda d: dt.date(2024, 1, 1 + d * 2)))


def _rows(draw, keys: list[int], order: list[float | None]) -> pa.Table:
    return pa.Table.from_pydict(
        {
            "k": keys,
            "g": [draw(_GROUPS) for _ in keys],
            "h": [draw(st.sampled_from(["p", "q"])) for _ in keys],
            "x": [draw(_FLOATS) for _ in keys],
            "n": [draw(_INTS) for _ in keys],
            "o": order,
            "day": [draw(_DAYS) for _ in keys],
        },
        schema=_SCHEMA,
    )


@st.composite
def _spec(draw) -> dict[str, Any]:
    """Every aggregate, every frame kind, with and without partition_by / order_by."""
    agg = draw(st.sampled_from(WINDOW_AGGREGATES))
    numeric = agg in ("sum", "avg", "stddev", "var", "diff", "rate", "ema")
    column = draw(st.sampled_from(["x", "n"] if numeric else ["x", "n", "g", "day"]))
    spec: dict[str, Any] = {"column": column, "aggregate": agg}
    parts = draw(st.sampled_from([[], ["g"], ["h"], ["g", "h"], ["day"]]))
    if parts:
        spec["partition_by"] = parts
    order = draw(st.sampled_from([None, "o", "o", "n", "g", "day"]))
    if order is not None:
        spec["order_by"] = [order, draw(st.sampled_from(["asc", "asc", "desc"]))]
    framed = agg in ("sum", "avg", "count", "min", "max", "stddev", "var")
    if agg in ("lag", "lead", "diff"):
        spec["offset"] = draw(st.integers(0, 3))
    elif agg == "ema":
        spec["alpha"] = draw(st.sampled_from([0.25, 0.5, 1.0]))
    elif agg == "rate" or (framed and draw(st.integers(0, 3)) == 0):
        spec["order_by"] = [draw(st.sampled_from(["o", "n", "day"])), "asc"]
        spec["range"] = draw(st.sampled_from([0.5, 1, 2.5]))
    elif framed:
        frame = draw(st.sampled_from(["rows", "rows", "cumulative", None]))
        if frame == "rows":
            spec["rows"] = draw(st.integers(0, 4))
        elif frame == "cumulative":
            spec["cumulative"] = True
    return spec


@st.composite
def _scenario(draw):
    n = draw(st.integers(0, 30))
    indexed = draw(st.booleans())
    limit = None if indexed or not draw(st.booleans()) else draw(st.integers(5, 40))
    clock = [0.0]

    def later(count: int) -> list[float | None]:
        # Order keys that grow: the streaming case (new rows after the old ones).
        out: list[float | None] = []
        for _ in range(count):
            clock[0] += draw(st.sampled_from([0.0, 0.5, 1.0]))
            out.append(clock[0])
        return out

    table = _rows(draw, list(range(n)), later(n))
    writes: list[tuple[str, Any]] = []
    top = n
    for _ in range(draw(st.integers(1, 5))):
        kinds = ["append", "append", "upsert", "values", "remove"] if indexed else ["append"]
        kind = draw(st.sampled_from(kinds))
        if kind == "values":  # existing keys, new values only: frames stay in place
            keys = draw(st.lists(st.integers(0, top), min_size=1, max_size=3, unique=True))
            values = [draw(_FLOATS) for _ in keys]
            counts = [draw(_INTS) for _ in keys]
            writes.append(("update", {"k": keys, "x": values, "n": counts}))
            continue
        if kind == "remove":
            keys = draw(st.lists(st.integers(0, top), min_size=1, max_size=3, unique=True))
            writes.append(("remove", keys))
            continue
        if kind == "upsert":  # existing and new keys, any order keys
            keys = draw(st.lists(st.integers(0, top + 3), min_size=1, max_size=4, unique=True))
            order = [draw(st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5]))) for _ in keys]
        else:  # new keys with later order keys
            count = draw(st.integers(1, 4))
            keys = list(range(top + 1, top + 1 + count))
            order = later(count)
        top = max(top, *keys)
        writes.append(("update", _rows(draw, keys, order)))
    windows = {f"w{i}": draw(_spec()) for i in range(draw(st.integers(1, 3)))}
    view: dict[str, Any] = {"windows": windows}
    if draw(st.booleans()):
        view["expressions"] = {"e": '"n" * 2 + 1'}  # row-local: stays incremental
        windows["we"] = {**draw(_spec()), "column": "e"}
    extra = draw(st.sampled_from([None, "filter", "group_by"]))
    if extra == "filter":
        view["filter"] = [["x", ">", 0]]
    elif extra == "group_by":
        view.update(group_by=["h"], columns=["w0"], aggregates={"w0": "count"})
    options: dict[str, Any] = {"index": "k"} if indexed else {}
    if limit is not None:
        options["limit"] = limit
    return table, view, writes, options


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return a == b


def _equal(got: dict[str, list], want: dict[str, list]) -> bool:
    if list(got) != list(want) or any(len(got[c]) != len(want[c]) for c in got):
        return False
    return all(_same(x, y) for c in got for x, y in zip(got[c], want[c], strict=True))


@pytest.fixture
def never_full(monkeypatch):
    """Keep the incremental path even when a write touches most of a small table."""
    monkeypatch.setattr(window_state, "FULL_FRACTION", 2.0)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=_scenario())
def test_windows_after_random_writes_equal_a_fresh_view(never_full, case):
    data, config, writes, options = case
    table = Table(data, name="t", **options)
    view = table.view(**config)
    view.to_columns()
    for kind, rows in writes:
        getattr(table, kind)(rows)
        fresh = table.view(**config)
        got, want = view.to_columns(), fresh.to_columns()
        diff = {c: (got[c], want.get(c)) for c in got if not _equal({c: got[c]}, {c: want.get(c)})}
        assert _equal(got, want), f"{config}\nafter {kind} {rows}\n(ours, fresh): {diff}"
        fresh.delete()
    # Every write was a row delta the incremental path serves: no full recompute.
    assert [c.stats["builds"] for c in view._window_state.values()] == [1] * len(config["windows"])


def _stream(partitions: int = 10, per: int = 100, **spec: Any) -> tuple[Table, Any]:
    n = partitions * per
    table = Table(
        {
            "k": list(range(n)),
            "g": [f"g{i % partitions}" for i in range(n)],
            "t": [float(i) for i in range(n)],
            "x": [float(i % 17) for i in range(n)],
        },
        index="k",
        name="stream",
    )
    base = {"column": "x", "partition_by": ["g"], "order_by": ["t", "asc"]}
    view = table.view(windows={"w": {**base, **spec}}, columns=["w"])
    view.to_columns()
    return table, view


def _spy(monkeypatch) -> list[int]:
    """Row counts of every window computation the view runs."""
    sizes: list[int] = []
    real = window_compute.compute_window

    def spy(data, spec, out_type, order=None):
        sizes.append(data.num_rows)
        return real(data, spec, out_type, order)

    monkeypatch.setattr(window_state, "compute_window", spy)
    return sizes


def test_an_append_after_a_partition_reads_only_its_frame(monkeypatch):
    table, view = _stream(aggregate="avg", rows=20)
    sizes = _spy(monkeypatch)
    table.update({"k": [5000], "g": ["g3"], "t": [1e9], "x": [40.0]})
    got = view.to_columns()["w"]
    assert sizes == [21]  # the 20 rows before it and itself, out of 1,001
    fresh = table.view(windows=view.get_config()["windows"], columns=["w"]).to_columns()["w"]
    assert got == pytest.approx(fresh)


def test_an_update_inside_a_partition_recomputes_that_partition_only(monkeypatch):
    table, view = _stream(aggregate="sum", rows=2)
    sizes = _spy(monkeypatch)
    table.update({"k": [13], "t": [-1.0]})  # g3: moves to the front of its order
    got = view.to_columns()["w"]
    assert sizes == [100]
    assert view._window_state["w"].stats["builds"] == 1
    fresh = table.view(windows=view.get_config()["windows"], columns=["w"]).to_columns()["w"]
    assert got == pytest.approx(fresh)


@pytest.mark.parametrize(
    ("spec", "computed"),
    [
        ({"aggregate": "avg", "rows": 20}, 41),  # the 20 rows after it read it: 20 + 1 + 20
        ({"aggregate": "lag", "offset": 2}, 5),
        ({"aggregate": "lead", "offset": 2}, 5),
        ({"aggregate": "sum", "cumulative": True}, 100),  # unbounded: the partition
    ],
)
def test_an_update_in_place_recomputes_the_frames_that_hold_it(monkeypatch, spec, computed):
    table, view = _stream(**spec)
    sizes = _spy(monkeypatch)
    table.update({"k": [503], "x": [1000.0]})  # g3, the 50th of its 100 rows by "t"
    got = view.to_columns()["w"]
    assert sizes == [computed]
    fresh = table.view(windows=view.get_config()["windows"], columns=["w"]).to_columns()["w"]
    assert got == pytest.approx(fresh)


def test_lead_rewrites_the_rows_before_appended_ones(monkeypatch):
    table, view = _stream(aggregate="lead", offset=2)
    sizes = _spy(monkeypatch)
    table.update({"k": [5000, 5001], "g": ["g1", "g1"], "t": [1e9, 1e9 + 1], "x": [50.0, 60.0]})
    got = view.to_columns()["w"]
    assert sizes == [4]
    fresh = table.view(windows=view.get_config()["windows"], columns=["w"]).to_columns()["w"]
    assert got == fresh


def test_writes_that_are_not_row_deltas_recompute_everything():
    table, view = _stream(aggregate="count", rows=3)
    state = view._window_state["w"]
    table.update({"k": [5000], "g": ["g0"], "t": [1e9], "x": [1.0]})
    view.to_columns()
    assert state.stats["builds"] == 1
    table.replace({"k": [1, 2], "g": ["a", "a"], "t": [1.0, 2.0], "x": [1.0, 2.0]})
    assert view.to_columns()["w"] == [1, 2]
    assert state.stats["builds"] == 2


def test_a_window_over_an_expression_reading_other_rows_recomputes():
    table = Table({"k": [1, 2, 3], "x": [1.0, 2.0, 3.0]}, index="k", name="e")
    view = table.view(
        expressions={"i": "index()"},
        windows={"w": {"column": "i", "aggregate": "sum", "cumulative": True}},
        columns=["w"],
    )
    view.to_columns()
    table.update({"k": [0], "x": [0.0]})  # index() of every row moves
    assert (
        view.to_columns()["w"]
        == table.view(
            expressions={"i": "index()"},
            windows={"w": {"column": "i", "aggregate": "sum", "cumulative": True}},
            columns=["w"],
        ).to_columns()["w"]
    )
    assert view._window_state["w"].stats["builds"] == 2


def test_a_limit_tables_dropped_rows_keep_later_appends_incremental():
    table = Table(
        {"g": [f"g{i % 3}" for i in range(12)], "x": [float(i) for i in range(12)]},
        name="ring",
        limit=12,
    )
    windows = {"w": {"column": "x", "aggregate": "sum", "rows": 2, "partition_by": ["g"]}}
    view = table.view(windows=windows)
    view.to_columns()
    for i, g in enumerate(["g0", "g2", "g2", "g2", "g1"]):
        table.update({"g": [g], "x": [100.0 + i]})  # each drops the oldest row
        assert view.to_columns()["w"] == table.view(windows=windows).to_columns()["w"]
    assert view._window_state["w"].stats["builds"] == 1
