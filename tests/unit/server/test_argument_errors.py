"""Bad API arguments raise a PerspectiveError naming the value, through the local client.

Each case used to surface as a bare ValueError / TypeError / IndexError /
OverflowError / ArrowInvalid from protobuf, numpy or Arrow. Bounds that mean
"up to" (end_row, end_col, set_depth) are clamped instead, as Perspective
clamps an end_row past the last row.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import perspective_nb
from perspective_nb.errors import ArgumentError, PerspectiveError

BIG = 2**63


class Fixture:
    def __init__(self) -> None:
        self.client = perspective_nb.Server().new_local_client()
        self.plain = self.client.table({"a": [1, 2], "g": ["x", "y"]}, name="plain")
        self.keyed = self.client.table({"k": [1, 2], "v": [1.0, 2.0]}, name="keyed", index="k")
        self.view = self.plain.view()
        self.grouped = self.plain.view(group_by=["g"])

    def close(self) -> None:
        self.view.delete()
        self.grouped.delete()
        self.plain.delete()
        self.keyed.delete()
        self.client.terminate()


@pytest.fixture
def api() -> Iterator[Fixture]:
    fixture = Fixture()
    yield fixture
    fixture.close()


# (case id, call, text the message must contain)
CASES = [
    ("table name=5", lambda f: f.client.table({"a": [1]}, name=5), "got int 5"),
    ("table name=''", lambda f: f.client.table({"a": [1]}, name=""), "got str ''"),
    ("table limit=-1", lambda f: f.client.table({"a": [1]}, limit=-1), "got int -1"),
    ("table limit=1.5", lambda f: f.client.table({"a": [1]}, limit=1.5), "got float 1.5"),
    ("table limit='10'", lambda f: f.client.table({"a": [1]}, limit="10"), "got str '10'"),
    ("table limit=2**40", lambda f: f.client.table({"a": [1]}, limit=2**40), "1099511627776"),
    ("table index=5", lambda f: f.client.table({"a": [1]}, index=5), "got int 5"),
    (
        "table json int >= 2**63",
        lambda f: f.client.table(f'[{{"a": {BIG}}}]', format="json"),
        f"integer {BIG}, too big",
    ),
    ("table dict int 2**70", lambda f: f.client.table({"a": [2**70]}), f"integer {2**70}"),
    ("update port_id=-1", lambda f: f.plain.update({"a": [3]}, port_id=-1), "got int -1"),
    ("update port_id=1.5", lambda f: f.plain.update({"a": [3]}, port_id=1.5), "got float 1.5"),
    ("update port_id='x'", lambda f: f.plain.update({"a": [3]}, port_id="x"), "got str 'x'"),
    ("update json int >= 2**63", lambda f: f.plain.update(f'{{"a": [{BIG}]}}'), str(BIG)),
    ("remove(None)", lambda f: f.keyed.remove(None), "got NoneType None"),
    ("remove(5)", lambda f: f.keyed.remove(5), "got int 5"),
    ("remove(['x']) without index", lambda f: f.plain.remove(["x"]), "got 'x'"),
    ("remove([[1]])", lambda f: f.keyed.remove([[1]]), "got [1]"),
    ("remove([2**70])", lambda f: f.keyed.remove([2**70]), str(2**70)),
    ("validate_expressions(5)", lambda f: f.plain.validate_expressions(5), "got int 5"),
    ("view filter '>' list", lambda f: f.plain.view(filter=[["a", ">", [1, 2]]]), "got a list"),
    ("view sort=[5]", lambda f: f.plain.view(sort=[5]), "sort 5 must be"),
    ("view group_by=[1]", lambda f: f.plain.view(group_by=[1]), "got int 1"),
    (
        "view group_by_depth=-1",
        lambda f: f.plain.view(group_by=["g"], group_by_depth=-1),
        "got int -1",
    ),
    ("view group_by_depth='x'", lambda f: f.plain.view(group_by_depth="x"), "got str 'x'"),
    ("to_columns end_row='x'", lambda f: f.view.to_columns(end_row="x"), "got str 'x'"),
    ("to_columns end_row=nan", lambda f: f.view.to_columns(end_row=float("nan")), "got nan"),
    ("column_paths start_col='x'", lambda f: f.view.column_paths(start_col="x"), "got str 'x'"),
    ("expand(-1)", lambda f: f.grouped.expand(-1), "got int -1"),
    ("expand(2**40)", lambda f: f.grouped.expand(2**40), "1099511627776"),
    ("collapse('x')", lambda f: f.grouped.collapse("x"), "got str 'x'"),
    ("set_depth(-1)", lambda f: f.grouped.set_depth(-1), "got -1"),
    ("set_depth('x')", lambda f: f.grouped.set_depth("x"), "got str 'x'"),
    ("get_min_max(5)", lambda f: f.view.get_min_max(5), "got int 5"),
    ("on_update(5)", lambda f: f.view.on_update(5), "got int 5"),
    ("on_delete(None)", lambda f: f.plain.on_delete(None), "got NoneType None"),
    ("remove_update(-1)", lambda f: f.view.remove_update(-1), "got int -1"),
    ("remove_delete(2**70)", lambda f: f.view.remove_delete(2**70), str(2**70)),
]


@pytest.mark.parametrize(("call", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_argument_is_a_perspective_error_naming_the_value(api, call, fragment):
    with pytest.raises(PerspectiveError) as info:
        call(api)
    assert fragment in str(info.value)
    # The message also says what to do instead.
    assert any(word in str(info.value) for word in ("pass", "send", "use", "write", "give"))


def test_failed_writes_leave_the_tables_unchanged(api):
    for call in (
        lambda: api.plain.update({"a": [3]}, port_id=-1),
        lambda: api.plain.update(f'{{"a": [{BIG}]}}'),
        lambda: api.plain.remove(["x"]),
        lambda: api.keyed.remove([[1]]),
    ):
        with pytest.raises(PerspectiveError):
            call()
    assert api.view.to_columns() == {"a": [1, 2], "g": ["x", "y"]}
    assert api.keyed.size() == 2


def test_argument_errors_keep_their_builtin_ancestors():
    # Code that caught the bare builtin a bad argument used to raise keeps working.
    assert issubclass(ArgumentError, ValueError)
    assert issubclass(ArgumentError, TypeError)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"end_row": 2**62}, {"a": [1, 2], "g": ["x", "y"]}),
        ({"start_row": 2**62}, {"a": [], "g": []}),
        ({"start_row": -1, "end_row": float("inf")}, {"a": [1, 2], "g": ["x", "y"]}),
        ({"end_col": 2**40}, {"a": [1, 2], "g": ["x", "y"]}),
    ],
)
def test_window_bounds_past_the_end_are_clamped(api, window, expected):
    assert api.view.to_columns(**window) == expected


def test_a_huge_depth_expands_everything(api):
    api.grouped.set_depth(2**40)
    assert api.grouped.num_rows() == 3
