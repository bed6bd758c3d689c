"""Arrow and CSV names of group-by columns per client generation."""

from __future__ import annotations

import pyarrow as pa
import pytest

import perspective_nb
from perspective_nb.protocol import pb


@pytest.mark.parametrize(
    ("generation", "names"),
    [
        # as perspective-python 5.6.1 names them
        (None, ["g", "g (count)", "v"]),
        (5, ["g", "g (count)", "v"]),
        # as perspective 3.8 names them, for 3.x clients
        (3, ["g (Group by 1)", "g", "v"]),
    ],
)
def test_group_by_column_names_follow_the_client_generation(generation, names):
    server = perspective_nb.Server()
    server.new_local_client().table({"g": ["a", "b"], "v": [1, 2]}, name="t")
    replies = []
    session = server.new_session(replies.append, generation=generation)

    def send(**request):
        replies.clear()
        session.handle_request(pb.Request(**request).SerializeToString())
        return pb.Response.FromString(replies[-1])

    make = pb.TableMakeViewReq(view_id="v1", config=pb.ViewConfig(group_by=["g"]))
    send(msg_id=1, entity_id="t", table_make_view_req=make)
    reply = send(msg_id=2, entity_id="v1", view_to_arrow_req=pb.ViewToArrowReq())
    arrow = pa.ipc.open_stream(reply.view_to_arrow_resp.arrow).read_all()
    assert arrow.column_names == names
    reply = send(msg_id=3, entity_id="v1", view_to_csv_req=pb.ViewToCSVReq())
    assert reply.view_to_csv_resp.csv.splitlines()[0] == ",".join(f'"{n}"' for n in names)
