"""View pipeline: config validation, pivots, sorts, filters, viewports, outputs, expand/collapse."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ConfigError


@pytest.fixture
def sales():
    return Table(
        {
            "region": ["east", "west", "east", "north", "west", "east"],
            "item": ["a", "b", "b", "a", "a", "a"],
            "qty": [1, 2, 3, 4, 5, 6],
            "price": [1.5, 2.5, None, 4.0, 5.0, 0.5],
        },
        name="sales",
    )


def test_group_by_rolls_up_with_total_first(sales):
    v = sales.view(group_by=["region"], columns=["qty", "price"])
    cols = v.to_columns()
    assert cols["__ROW_PATH__"] == [[], ["east"], ["north"], ["west"]]
    assert cols["qty"] == [21, 10, 4, 7]
    assert cols["price"] == [13.5, 2.0, 4.0, 7.5]
    assert v.num_rows() == 4
    assert v.dimensions() == {
        "num_table_rows": 6,
        "num_table_columns": 4,
        "num_view_rows": 4,
        "num_view_columns": 2,
    }


def test_two_level_group_by_sorted_within_groups(sales):
    v = sales.view(group_by=["region", "item"], columns=["qty"], sort=[["qty", "desc"]])
    cols = v.to_columns()
    assert cols["__ROW_PATH__"] == [
        [],
        ["east"],
        ["east", "a"],
        ["east", "b"],
        ["west"],
        ["west", "a"],
        ["west", "b"],
        ["north"],
        ["north", "a"],
    ]
    assert cols["qty"] == [21, 10, 7, 3, 7, 5, 2, 4, 4]


def test_split_by_names_columns_by_path(sales):
    v = sales.view(group_by=["region"], split_by=["item"], columns=["qty"])
    assert v.column_paths() == ["a|qty", "b|qty"]
    cols = v.to_columns()
    assert cols["a|qty"] == [16, 7, 4, 5]
    assert cols["b|qty"] == [5, 3, None, 2]


def test_aggregates_by_name(sales):
    v = sales.view(
        group_by=["region"],
        columns=["qty", "price", "item"],
        aggregates={"qty": "avg", "price": "high", "item": "distinct count"},
    )
    cols = v.to_columns()
    assert cols["qty"] == [3.5, 10 / 3, 4.0, 3.5]
    assert cols["price"][1] == 1.5
    assert cols["item"] == [2, 2, 1, 2]
    assert v.schema() == {"qty": "float", "price": "float", "item": "integer"}


@pytest.mark.parametrize(
    ("agg", "expected"),
    [
        ("count", [6, 3, 1, 2]),
        ("median", [4, 3, 4, 5]),
        ("join", ["1, 2, 3, 4, 5, 6", "1, 3, 6", "4", "2, 5"]),
        ("unique", [None, None, 4, None]),
        ("first by index", [1, 1, 4, 2]),
        ("last by index", [6, 6, 4, 5]),
        ("high minus low", [5, 5, 0, 3]),
        ("pct sum parent", [100.0, 1000 / 21, 400 / 21, 700 / 21]),
        ("var", [35 / 12, 38 / 9, None, 2.25]),
    ],
)
def test_more_aggregates(sales, agg, expected):
    got = sales.view(group_by=["region"], columns=["qty"], aggregates={"qty": agg}).to_columns()
    numeric = [v for v in expected if isinstance(v, float)]
    if numeric:
        assert [v is None for v in got["qty"]] == [v is None for v in expected]
        assert [v for v in got["qty"] if v is not None] == pytest.approx(
            [v for v in expected if v is not None]
        )
    else:
        assert got["qty"] == expected


def test_rollup_modes_and_depth(sales):
    flat = sales.view(group_by=["region", "item"], columns=["qty"], group_rollup_mode="flat")
    assert all(len(p) == 2 for p in flat.to_columns()["__ROW_PATH__"])
    total = sales.view(group_by=["region"], columns=["qty"], group_rollup_mode="total")
    assert total.to_columns() == {"__ROW_PATH__": [[]], "qty": [21]}
    shallow = sales.view(group_by=["region", "item"], columns=["qty"], group_by_depth=1)
    assert shallow.to_columns()["__ROW_PATH__"] == [[], ["east"], ["north"], ["west"]]


def test_expand_collapse_and_set_depth(sales):
    v = sales.view(group_by=["region", "item"], columns=["qty"])
    full = v.num_rows()
    assert v.collapse(1) == 2  # "east" hides its two children
    assert v.num_rows() == full - 2
    assert v.to_columns()["__ROW_PATH__"][:3] == [[], ["east"], ["north"]]
    assert v.expand(1) == 2
    assert v.num_rows() == full
    v.set_depth(1)
    assert v.num_rows() == 4
    assert v.expand(1) == 2
    assert v.to_columns()["__ROW_PATH__"][2] == ["east", "a"]


def test_flat_sort_filter_and_viewport(sales):
    v = sales.view(
        columns=["qty", "region"],
        sort=[["qty", "desc"]],
        filter=[["region", "in", ["east", "west"]], ["qty", ">", 1]],
    )
    assert v.to_columns() == {"qty": [6, 5, 3, 2], "region": ["east", "west", "east", "west"]}
    assert v.to_columns(start_row=1, end_row=3, start_col=1, end_col=5) == {
        "region": ["west", "east"]
    }
    assert v.to_columns(start_row=0, end_row=2, id=True)["__ID__"] == [[5], [4]]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (["item", "begins with", "a"], 4),
        (["region", "contains", "or"], 1),
        (["region", "ends with", "st"], 5),
        (["price", "is null", None], 1),
        (["price", "is not null", None], 5),
        (["region", "!=", "east"], 3),
        (["region", "not in", ["east", "west"]], 1),
        (["qty", "<=", 2], 2),
    ],
)
def test_filter_ops(sales, flt, expected):
    assert sales.view(filter=[flt]).num_rows() == expected


def test_filter_or(sales):
    v = sales.view(filter=[["qty", "==", 1], ["qty", "==", 6]], filter_op="or", columns=["qty"])
    assert v.to_columns() == {"qty": [1, 6]}


def test_abs_sort():
    t = Table({"x": [-5, 2, -1, 4]}, name="t")
    assert t.view(sort=[["x", "desc abs"]]).to_columns()["x"] == [-5, 4, 2, -1]


def test_date_filters_and_outputs():
    t = Table(
        pa.table(
            {
                "d": pa.array([dt.date(2020, 1, 1), dt.date(2020, 1, 5), None]),
                "t": pa.array([dt.datetime(2020, 1, 1, 12), None, dt.datetime(2021, 1, 1)]),
            }
        ),
        name="t",
    )
    assert t.view(filter=[["d", ">", "2020-01-02"]]).num_rows() == 1
    assert t.view(filter=[["t", "<", "2020-06-01"]]).num_rows() == 1
    v = t.view()
    assert v.to_columns()["d"][0] == 1577836800000
    assert v.to_csv().splitlines() == [
        '"d","t"',
        "2020-01-01,2020-01-01 12:00:00.000",
        "2020-01-05,",
        ",2021-01-01 00:00:00.000",
    ]
    assert v.get_min_max("d") == (1577836800000, 1578182400000)


def test_min_max_of_split_columns_leaves_out_every_total():
    t = Table({"g": ["a", "a", "b", "b"], "s": ["x", "y", "x", "y"], "v": [1, 4, 2, 5]}, name="t")
    # Cells 1, 2 (x) and 4, 5 (y); the totals 3 and 9 are not cells.
    assert t.view(group_by=["g"], split_by=["s"], columns=["v"]).get_min_max("v") == (1, 5)
    # A flat split view has no total row.
    assert t.view(split_by=["s"], columns=["v"]).get_min_max("v") == (1, 5)


def test_outputs_agree(sales):
    v = sales.view(group_by=["region"], columns=["qty"])
    records = v.to_records()
    assert records[0] == {"__ROW_PATH__": [], "qty": 21}
    assert v.to_json() == records
    assert v.to_ndjson().splitlines()[1] == '{"__ROW_PATH__":["east"],"qty":10}'
    tbl = pa.ipc.open_stream(v.to_arrow()).read_all()
    # as perspective-python 5.6.1 names them
    assert tbl.column_names == ["region", "qty"]
    assert tbl.column("qty").to_pylist() == [21, 10, 4, 7]
    assert v.to_csv().splitlines()[1] == ",21"
    assert list(v.to_pandas().columns) == ["region", "qty"]
    assert v.to_polars().shape == (4, 2)
    assert v.to_columns(leaves_only=True)["__ROW_PATH__"] == [["east"], ["north"], ["west"]]


def test_get_config_round_trips(sales):
    cfg = {
        "group_by": ["region"],
        "columns": ["qty"],
        "sort": [["qty", "desc"]],
        "filter": [["qty", ">", 1]],
        "aggregates": {"qty": "avg"},
    }
    v = sales.view(**cfg)
    got = v.get_config()
    assert {k: got[k] for k in cfg} == cfg
    assert sales.view(**got).to_columns() == v.to_columns()


@pytest.mark.parametrize(
    ("cfg", "message"),
    [
        ({"columns": ["nope"]}, "unknown column 'nope'"),
        ({"group_by": ["nope"]}, "unknown column 'nope'"),
        ({"aggregates": {"qty": "bogus"}}, "aggregate 'bogus'"),
        ({"aggregates": {"region": "sum"}}, "not available for string"),
        ({"sort": [["qty", "sideways"]]}, "unknown sort direction"),
        ({"filter": [["qty", "contains", "x"]]}, "filter op 'contains'"),
        ({"filter": [["qty", ">", "abc"]]}, "does not fit integer"),
        ({"filter_op": "xor"}, "filter_op"),
        ({"group_rollup_mode": "weird"}, "group_rollup_mode"),
        ({"colums": ["qty"]}, "unknown view option"),
    ],
)
def test_bad_config_names_the_problem(sales, cfg, message):
    with pytest.raises(ConfigError, match=message):
        sales.view(**cfg).to_columns()


def test_views_follow_updates(sales):
    v = sales.view(group_by=["region"], columns=["qty"])
    assert v.to_columns()["qty"][0] == 21
    sales.update({"region": ["south"], "qty": [100]})
    cols = v.to_columns()
    assert cols["qty"][0] == 121
    assert ["south"] in cols["__ROW_PATH__"]


def test_deleted_view_refuses_reads(sales):
    v = sales.view()
    v.delete()
    with pytest.raises(Exception, match="deleted"):
        v.to_columns()


def test_top_rows_of_a_sort_equal_the_full_stable_sort():
    import numpy as np

    rng = np.random.default_rng(3)
    n = 20_000
    t = Table({"x": rng.integers(0, 50, n), "y": rng.random(n)}, name="t")
    for direction in ("asc", "desc", "desc abs"):
        v = t.view(sort=[["x", direction]], columns=["x", "y"])
        top = v.to_columns(start_row=10, end_row=200)  # served by a top-k selection
        full = t.view(sort=[["x", direction]], columns=["x", "y"]).to_columns()
        assert top["y"] == full["y"][10:200]
        assert v.to_columns(start_row=5000, end_row=5010)["y"] == full["y"][5000:5010]


def test_text_filters_ignore_ascii_case_only():
    t = Table({"s": ["b", "B", "ab", "xB", "Zoë", "ZOË"]}, name="t")
    assert t.view(filter=[["s", "begins with", "b"]]).to_columns()["s"] == ["b", "B"]
    assert t.view(filter=[["s", "ends with", "B"]]).num_rows() == 4
    assert t.view(filter=[["s", "contains", "oë"]]).to_columns()["s"] == ["Zoë"]
    assert t.view(filter=[["s", "==", "b"]]).num_rows() == 1


def test_column_sort_orders_split_paths_by_their_total():
    t = Table(
        {"g": ["x", "y", "x", "y", "z"], "s": ["a", "b", "c", "a", "b"], "v": [1, 5, 2, 3, 4]},
        name="t",
    )
    asc = t.view(group_by=["g"], split_by=["s"], columns=["v"], sort=[["v", "col asc"]])
    assert asc.column_paths() == ["c|v", "a|v", "b|v"]
    desc = t.view(
        group_by=["g"], split_by=["s"], columns=["v"], sort=[["v", "col desc"], ["v", "asc"]]
    )
    cols = desc.to_columns()
    assert list(cols)[1:] == ["b|v", "a|v", "c|v"]
    assert cols["__ROW_PATH__"] == [[], ["x"], ["z"], ["y"]]
    assert cols["b|v"] == [9, None, 4, 5]


@pytest.mark.parametrize(
    "cfg",
    [
        {},
        {"group_by": ["s"]},
        {"split_by": ["s"]},
        {"group_by": ["s"], "split_by": ["a"]},
        {"sort": [["f", "desc"]]},
        {"filter": [["s", "==", "x"]]},
        {"group_by": ["d"], "aggregates": {"f": "median", "a": "join", "s": "dominant"}},
    ],
)
def test_views_of_an_empty_table_then_filled(cfg):
    t = Table({"a": "integer", "s": "string", "d": "date", "f": "float"}, name="e")
    v = t.view(**cfg)
    empty = v.to_columns()
    assert v.num_rows() == (1 if cfg.get("group_by") else 0)
    # An empty view's total row holds nulls, zero counts, or the type's zero
    # for "pick a value" aggregates ("" for strings), as in Perspective.
    assert all(
        x in (None, 0, "") for col, vals in empty.items() if col != "__ROW_PATH__" for x in vals
    )
    assert v.to_csv() is not None
    assert pa.ipc.open_stream(v.to_arrow()).read_all() is not None
    t.update([{"a": 1, "s": "x", "d": "2020-01-01", "f": 1.5}])
    filled = v.to_columns()
    assert v.num_rows() >= 1
    assert filled != empty


def test_split_percentages_follow_5x():
    t = Table(
        {"g": ["a", "a", "b", "b", "a"], "s": ["p", "q", "p", "q", "q"], "v": [1, 3, 2, 4, 5]},
        name="pct",
    )

    def cols(agg, **kw):
        config = {"group_by": ["g"], "split_by": ["s"], "columns": ["v"], **kw}
        return t.view(aggregates={"v": agg}, **config).to_columns()

    # as perspective-python 5.6.1 answers: a cell's share of its own row
    # (the cell one split level up) ...
    parent = cols("pct sum parent")
    assert parent["p|v"] == pytest.approx([20.0, 100 / 9, 100 / 3])
    assert parent["q|v"] == pytest.approx([80.0, 800 / 9, 200 / 3])
    # ... and of the grand total of all rows
    total = cols("pct sum total")
    assert total["p|v"] == pytest.approx([20.0, 100 / 15, 200 / 15])
    # with a split_by of two columns, the parent is the cell of the first
    by_two = t.view(
        group_by=["g"], split_by=["s", "g"], columns=["v"], aggregates={"v": "pct sum parent"}
    ).to_columns()
    assert by_two["q|a|v"][0] == pytest.approx(200 / 3)
    assert by_two["q|a|v"][1:] == [100.0, None]


def test_negated_text_filters_and_regex_matches():
    t = Table({"s": ["abc", "ABC", None, "a\nb", "xab"]}, name="t")

    def rows(op, value):
        return t.view(filter=[["s", op, value]]).to_columns()["s"]

    # as perspective-python 5.6.1 answers: null rows fail the negated ops too
    assert rows("not contains", "C") == ["a\nb", "xab"]
    assert rows("not begins with", "A") == ["xab"]
    assert rows("not ends with", "C") == ["a\nb", "xab"]
    # matches is a case-sensitive RE2 search, not a whole-string match
    assert rows("matches", "b") == ["abc", "a\nb", "xab"]
    assert rows("matches", "^a.") == ["abc"]
    assert rows("not matches", "b$") == ["abc", "ABC"]
    # a pattern RE2 refuses matches nothing, negated or not
    assert rows("matches", "[") == []
    assert rows("not matches", "[") == []
