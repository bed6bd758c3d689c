"""Data files opened from JupyterLab: which paths may be opened, and reading them."""

from __future__ import annotations

import json
import os

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

from perspective_nb import Server
from perspective_nb.jupyter.files import FileOpenError, read_file, resolve, table_name

TABLE = pa.table({"region": ["N", "S", "N"], "sales": [1.5, 2.0, 3.25], "units": [1, 2, 3]})


@pytest.fixture
def root(tmp_path):
    data = tmp_path / "root"
    (data / "sub").mkdir(parents=True)
    pq.write_table(TABLE, data / "sub" / "sales.parquet")
    (data / "notes.txt").write_text("hello")
    (data / ".hidden.csv").write_text("a\n1\n")
    (tmp_path / "outside.csv").write_text("a\n1\n")
    return data


def test_resolves_files_under_the_root(root):
    target, relative = resolve(root, "sub/sales.parquet")
    assert target == (root / "sub" / "sales.parquet").resolve()
    assert relative == "sub/sales.parquet"
    assert resolve(root, "/sub/sales.parquet")[1] == "sub/sales.parquet"
    assert table_name(relative) == "file:sub/sales.parquet"


@pytest.mark.parametrize(
    ("path", "status", "match"),
    [
        ("../outside.csv", 403, "inside"),
        ("sub/../../outside.csv", 403, "inside"),
        ("", 403, "inside"),
        (".hidden.csv", 403, "hidden"),
        ("missing.csv", 404, "no file"),
        ("sub", 404, "no file"),
        ("notes.txt", 400, ".parquet"),
    ],
)
def test_refuses_paths_it_must_not_open(root, path, status, match):
    with pytest.raises(FileOpenError, match=match) as info:
        resolve(root, path)
    assert info.value.status == status


def test_hidden_files_open_when_the_server_shows_them(root):
    assert resolve(root, ".hidden.csv", allow_hidden=True)[1] == ".hidden.csv"


def test_a_symlink_out_of_the_root_is_refused(root):
    os.symlink(root.parent / "outside.csv", root / "link.csv")
    with pytest.raises(FileOpenError, match="outside") as info:
        resolve(root, "link.csv")
    assert info.value.status == 403


def test_reads_every_format(tmp_path):
    pq.write_table(TABLE, tmp_path / "t.parquet")
    feather.write_feather(TABLE, tmp_path / "t.feather")
    feather.write_feather(TABLE, tmp_path / "t.arrow")  # Arrow IPC file format
    with (
        pa.OSFile(str(tmp_path / "s.arrow"), "wb") as sink,
        pa.ipc.new_stream(sink, TABLE.schema) as writer,
    ):
        writer.write_table(TABLE)
    (tmp_path / "t.csv").write_text("region,sales,units\nN,1.5,1\nS,2.0,2\nN,3.25,3\n")
    rows = TABLE.to_pylist()
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    client = Server().new_local_client()
    for name in ("t.parquet", "t.feather", "t.arrow", "s.arrow", "t.csv", "t.jsonl"):
        table = client.table(read_file(tmp_path / name), name=name)
        assert table.view().to_columns() == TABLE.to_pydict(), name
        assert table.schema() == {"region": "string", "sales": "float", "units": "integer"}


@pytest.mark.parametrize("name", ["broken.parquet", "broken.jsonl"])
def test_an_unreadable_file_says_why(tmp_path, name):
    bad = tmp_path / name
    bad.write_bytes(b"{not this format at all")
    with pytest.raises(FileOpenError, match=name.replace(".", r"\.")) as info:
        read_file(bad)
    assert info.value.status == 422
