"""Opening a data file from JupyterLab: ``POST /perspective/open?path=...``.

The Jupyter server reads the file into a table of its own engine, named
after the path; browsers then view it over ``/perspective/ws`` like any
hosted table, and only what they ask for travels.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tornado.httpclient import HTTPClientError

SALES = pa.table({"region": ["N", "S", "N"], "sales": [1.5, 2.0, 3.25]})


async def _open(jp_fetch, path):
    response = await jp_fetch("perspective", "open", method="POST", params={"path": path}, body=b"")
    return json.loads(response.body)


async def _refusal(jp_fetch, path):
    with pytest.raises(HTTPClientError) as err:
        await _open(jp_fetch, path)
    return err.value.code, json.loads(err.value.response.body)["message"]


async def test_a_parquet_file_is_hosted_by_the_server_and_viewed_over_the_hub(
    jp_fetch, jp_root_dir, browser, hub
):
    (jp_root_dir / "data").mkdir()
    pq.write_table(SALES, jp_root_dir / "data" / "sales.parquet")
    opened = await _open(jp_fetch, "data/sales.parquet")
    assert opened == {"table": "file:data/sales.parquet", "path": "data/sales.parquet", "rows": 3}
    assert "file:data/sales.parquet" in hub.hosted()

    b = await browser()
    listed = await b.ask(get_hosted_tables_req={})
    assert "file:data/sales.parquet" in [
        t.entity_id for t in listed.get_hosted_tables_resp.table_infos
    ]
    size = await b.ask("file:data/sales.parquet", table_size_req={})
    assert size.table_size_resp.size == 3

    made = await b.ask(
        "file:data/sales.parquet",
        table_make_view_req={"view_id": "v1", "config": {"group_by": ["region"]}},
    )
    assert made.WhichOneof("client_resp") == "table_make_view_resp"
    cols = await b.ask("v1", view_to_columns_string_req={"viewport": {}})
    data = json.loads(cols.view_to_columns_string_resp.json_string)
    assert data["sales"] == [6.75, 4.75, 2.0]

    # another browser can neither use nor delete this view
    other = await browser()
    refused = await other.ask("v1", view_dimensions_req={})
    assert refused.WhichOneof("client_resp") == "server_error"
    deleted = await b.ask("v1", view_delete_req={})
    assert deleted.WhichOneof("client_resp") == "view_delete_resp"
    assert "v1" not in hub.views

    # the file changed: opening it again reloads it in place
    pq.write_table(pa.concat_tables([SALES, SALES]), jp_root_dir / "data" / "sales.parquet")
    assert (await _open(jp_fetch, "/data/sales.parquet"))["rows"] == 6
    assert (await b.ask("file:data/sales.parquet", table_size_req={})).table_size_resp.size == 6

    described = json.loads((await jp_fetch("perspective", "api", "tables")).body)
    assert {k: v for k, v in described[0].items() if k != "schema"} == {
        "name": "file:data/sales.parquet",
        "kernel": None,
        "rows": 6,
    }


async def test_csv_and_jsonl_files_open_too(jp_fetch, jp_root_dir, browser):
    (jp_root_dir / "t.csv").write_text("a,b\n1,x\n2,y\n")
    (jp_root_dir / "t.jsonl").write_text('{"a": 1}\n{"a": 2}\n{"a": 3}\n')
    assert (await _open(jp_fetch, "t.csv"))["rows"] == 2
    assert (await _open(jp_fetch, "t.jsonl"))["rows"] == 3
    b = await browser()
    schema = await b.ask("file:t.csv", table_schema_req={})
    names = [pair.name for pair in schema.table_schema_resp.schema.schema]
    assert names == ["a", "b"]


async def test_paths_outside_the_root_or_unknown_are_refused(jp_fetch, jp_root_dir, hub):
    (jp_root_dir.parent / "secret.csv").write_text("a\n1\n")
    (jp_root_dir / "notes.txt").write_text("hi")
    (jp_root_dir / "broken.parquet").write_bytes(b"nope")
    (jp_root_dir / ".hidden.csv").write_text("a\n1\n")
    assert (await _refusal(jp_fetch, "../secret.csv"))[0] == 403
    assert (await _refusal(jp_fetch, ".hidden.csv"))[0] == 403
    assert (await _refusal(jp_fetch, "missing.csv"))[0] == 404
    status, message = await _refusal(jp_fetch, "notes.txt")
    assert status == 400
    assert ".parquet" in message
    status, message = await _refusal(jp_fetch, "broken.parquet")
    assert status == 422
    assert "broken.parquet" in message
    assert hub.local_names() == set()


async def test_opening_needs_jupyter_credentials(jp_fetch, jp_root_dir, hub):
    (jp_root_dir / "t.csv").write_text("a\n1\n")
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "perspective",
            "open",
            method="POST",
            params={"path": "t.csv"},
            body=b"",
            headers={"Authorization": ""},
        )
    assert err.value.code == 403
    assert hub.local_names() == set()


async def test_a_kernel_cannot_take_the_name_of_an_opened_file(
    jp_fetch, jp_root_dir, fake_kernel, hub
):
    (jp_root_dir / "t.csv").write_text("a\n1\n")
    await _open(jp_fetch, "t.csv")
    kernel = await fake_kernel("k1")
    reply = await kernel.control("register", name="file:t.csv")
    assert reply["ok"] is False
    assert "Jupyter server" in reply["error"]
    # and a file cannot take a kernel's name
    assert (await kernel.control("register", name="file:u.csv"))["ok"]
    (jp_root_dir / "u.csv").write_text("a\n1\n")
    status, message = await _refusal(jp_fetch, "u.csv")
    assert status == 409
    assert "k1" in message
    assert isinstance(hub.names["file:u.csv"].kernel_id, str)


async def test_an_unchanged_file_is_not_read_again_unless_reloaded(
    jp_fetch, jp_root_dir, monkeypatch
):
    from perspective_nb.jupyter import files

    reads = []
    real_read = files.read_file
    monkeypatch.setattr(files, "read_file", lambda path: reads.append(path) or real_read(path))
    (jp_root_dir / "t.csv").write_text("a\n1\n2\n")
    assert (await _open(jp_fetch, "t.csv"))["rows"] == 2
    assert (await _open(jp_fetch, "t.csv"))["rows"] == 2  # a page reload reopening it
    assert len(reads) == 1
    response = await jp_fetch(
        "perspective", "open", method="POST", params={"path": "t.csv", "reload": "1"}, body=b""
    )
    assert json.loads(response.body)["rows"] == 2
    assert len(reads) == 2
    (jp_root_dir / "t.csv").write_text("a\n1\n2\n3\n")
    assert (await _open(jp_fetch, "t.csv"))["rows"] == 3
    assert len(reads) == 3
