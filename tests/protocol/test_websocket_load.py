"""The Python websocket clients under load: many views, concurrent calls, big replies.

One connection carries every call of a client, so replies must find their
callers whatever order they come back in: each thread (or task) checks that
it got the answer to its own question.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import numpy as np
import pyarrow as pa

from perspective_nb.client import async_websocket, websocket

N_ROWS = 200_000


def _data() -> pa.Table:
    rng = np.random.default_rng(3)
    return pa.table(
        {
            "id": np.arange(N_ROWS),
            "g": pa.array(rng.integers(0, 50, N_ROWS)).cast(pa.string()),
            "x": rng.random(N_ROWS),
        }
    )


def test_threads_share_one_sync_client(live, server):
    data = _data()
    server.new_local_client().table(data, name="load", index="id")
    remote = websocket(live.url)
    try:
        table = remote.open_table("load")

        def work(i: int) -> tuple[int, int, list, int]:
            # Each thread opens its own view, filtered so its answer is its own.
            view = table.view(columns=["id"], filter=[["id", "<", 1000 + i]])
            rows = view.num_rows()
            first = view.to_columns(start_row=0, end_row=3)["id"]
            arrow = pa.ipc.open_stream(view.to_arrow()).read_all().num_rows
            view.delete()
            return i, rows, first, arrow

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(work, range(40)))
        for i, rows, first, arrow in results:
            assert rows == 1000 + i
            assert first == [0, 1, 2]
            assert arrow == 1000 + i
        assert server.view_ids() == []
    finally:
        remote.terminate()


def test_many_views_follow_updates(live, server):
    local = server.new_local_client().table(_data(), name="many", index="id")
    remote = websocket(live.url)
    try:
        table = remote.open_table("many")
        views = [table.view(group_by=["g"], columns=["x"]) for _ in range(50)]
        assert len(server.view_ids()) == 50
        local.update({"id": [0], "x": [1000.0], "g": ["0"]})
        totals = {view.to_columns(start_row=0, end_row=1)["x"][0] for view in views}
        assert len(totals) == 1, "every view shows the same update"
        for view in views:
            view.delete()
        assert server.view_ids() == []
    finally:
        remote.terminate()


def test_async_client_with_concurrent_requests_and_a_large_reply(live, server):
    server.new_local_client().table(_data(), name="big")

    async def scenario() -> tuple[list[int], int]:
        remote = await async_websocket(live.url)
        try:
            table = await remote.open_table("big")
            views = await asyncio.gather(
                *(table.view(filter=[["id", "<", 10 * (i + 1)]]) for i in range(30))
            )
            sizes = await asyncio.gather(*(view.num_rows() for view in views))
            whole = await table.view()
            arrow = await whole.to_arrow()  # several MB in one frame
            await asyncio.gather(*(view.delete() for view in [*views, whole]))
            return list(sizes), pa.ipc.open_stream(arrow).read_all().num_rows
        finally:
            remote.terminate()

    sizes, rows = asyncio.run(scenario())
    assert sizes == [10 * (i + 1) for i in range(30)]
    assert rows == N_ROWS
    assert server.view_ids() == []
