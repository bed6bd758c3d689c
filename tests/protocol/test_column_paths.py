"""column_paths through the client: Perspective 5.x's typed levels; the wire keeps joined names."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

import perspective_nb
from perspective_nb.protocol import pb


@pytest.fixture
def table():
    client = perspective_nb.Server().new_local_client()
    data = pa.table(
        {
            "i": [1, 2, None],
            "s": ["a", None, "c"],
            "b": [True, False, None],
            "d": pa.array([dt.date(2020, 1, 1), None, dt.date(2021, 1, 1)]),
            "t": pa.array(
                [dt.datetime(2020, 1, 1, 1), None, dt.datetime(2020, 1, 1, 2)], pa.timestamp("ms")
            ),
            "f": [1.5, None, 2.25],
            "v": [1, 2, 3],
        }
    )
    return client.table(data, name="paths")


# as perspective-python 5.6.1 answers
@pytest.mark.parametrize(
    ("split_by", "levels"),
    [
        (["i"], [[None, 1.0, 2.0], ["v", "v", "v"]]),
        (["s"], [[None, "a", "c"], ["v", "v", "v"]]),
        (["b"], [[None, False, True], ["v", "v", "v"]]),
        (["d"], [[None, 1577836800000.0, 1609459200000.0], ["v", "v", "v"]]),
        (["t"], [[None, 1577840400000.0, 1577844000000.0], ["v", "v", "v"]]),
        (["f"], [[None, 1.5, 2.25], ["v", "v", "v"]]),
        (["s", "b"], [[None, "a", "c"], [False, True, None], ["v", "v", "v"]]),
    ],
)
def test_split_values_are_typed_levels(table, split_by, levels):
    view = table.view(split_by=split_by, columns=["v"])
    assert view.column_paths() == levels


def test_views_without_split_by_have_one_level_of_names(table):
    # as perspective-python 5.6.1 answers
    assert table.view(group_by=["s"], columns=["v", "i"]).column_paths() == [["v", "i"]]
    assert table.view(group_by=["s"], columns=["v", "i"]).column_paths(start_col=1) == [["i"]]
    assert table.view(columns=[]).column_paths() == [[]]


def test_column_windows_slice_every_level(table):
    view = table.view(split_by=["s"], columns=["v", "i"])
    # as perspective-python 5.6.1 answers
    assert view.column_paths(start_col=1, end_col=3) == [[None, "a"], ["i", "v"]]


def test_the_wire_keeps_joined_names_for_older_clients():
    server = perspective_nb.Server()
    replies = []
    session = server.new_session(replies.append)
    client = server.new_local_client()
    client.table({"g": ["a", "b"], "v": [1, 2]}, name="w")

    def send(**request):
        replies.clear()
        session.handle_request(pb.Request(**request).SerializeToString())
        return pb.Response.FromString(replies[-1])

    config = pb.ViewConfig(split_by=["g"])
    config.columns.columns.columns.extend(["v"])
    make = pb.TableMakeViewReq(view_id="v1", config=config)
    send(msg_id=1, entity_id="w", table_make_view_req=make)
    reply = send(msg_id=2, entity_id="v1", view_column_paths_req=pb.ViewColumnPathsReq())
    assert list(reply.view_column_paths_resp.paths) == ["a|v", "b|v"]
    levels = reply.view_column_paths_resp.levels
    assert [[v.string for v in level.values] for level in levels] == [["a", "b"], ["v", "v"]]
