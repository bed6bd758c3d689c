"""Reading data files for ``python -m perspective_nb serve``."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

from perspective_nb.app import read_source, table_name_for
from perspective_nb.errors import PerspectiveError, UnsupportedFormatError

TABLE = pa.table({"a": [1, 2], "b": ["x", "y"]})


def test_csv_is_read_as_text_for_the_engine(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    # A byte-order mark must not end up in the first column's name.
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,x\n")
    assert read_source(path) == "a,b\n1,x\n"


def test_parquet_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(TABLE, path)
    assert read_source(path).equals(TABLE)


@pytest.mark.parametrize("suffix", [".arrow", ".feather"])
def test_arrow_files_are_passed_as_ipc_bytes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    feather.write_feather(TABLE, path, compression="uncompressed")
    data = read_source(path)
    assert isinstance(data, bytes)
    assert pa.ipc.open_file(data).read_all().equals(TABLE)


def test_unknown_extension_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedFormatError, match=r"'\.xlsx'.*\.csv") as info:
        read_source(path)
    assert isinstance(info.value, PerspectiveError)
    assert isinstance(info.value, ValueError)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_source(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("path", "name"),
    [("data/sales-2024.csv", "sales-2024"), ("my data (v2).parquet", "my_data__v2_")],
)
def test_table_name_for(path: str, name: str) -> None:
    assert table_name_for(path) == name


def test_large_files_and_globs_go_through_duckdb(tmp_path: Path, monkeypatch) -> None:
    from perspective_nb.app import sources
    from tests.conformance.backends import require

    require("duckdb")
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": [1, 2, 3], "g": ["x", "y", "x"]}), path)
    assert sources.choose_engine(path) == "memory"
    assert sources.choose_engine(path, "duckdb") == "duckdb"
    assert sources.choose_engine(tmp_path / "*.parquet") == "duckdb"
    monkeypatch.setattr(sources, "LARGE_FILE", 10)
    assert sources.choose_engine(path) == "duckdb"
    for source in (path, tmp_path / "*.parquet"):
        relation = sources.duckdb_source(source)
        assert relation.to_arrow_table().column("a").to_pylist() == [1, 2, 3]
    feather.write_feather(pa.table({"a": [4]}), tmp_path / "t.feather")
    assert sources.duckdb_source(tmp_path / "t.feather").to_arrow_table().num_rows == 1


def test_serve_engine_duckdb_answers_views_from_the_file(tmp_path: Path) -> None:
    import os
    import re
    import signal
    import subprocess
    import sys

    import perspective_nb
    from perspective_nb.client import websocket
    from tests.conformance.backends import require

    require("duckdb")
    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"a": list(range(10)), "g": ["x", "y"] * 5}), path)
    root = Path(perspective_nb.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "perspective_nb", "serve", str(path), "--port", "0"]
    command += ["--engine", "duckdb", "--node-modules", str(tmp_path)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"'data' \(10 rows\) at http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        client = websocket(f"ws://127.0.0.1:{match.group(1)}/websocket")
        view = client.open_table("data").view(group_by=["g"], columns=["a"])
        assert view.to_columns() == {"__ROW_PATH__": [[], ["x"], ["y"]], "a": [45, 20, 25]}
        view.delete()
        client.terminate()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        process.stdout.close()


def test_a_glob_is_named_for_its_folder() -> None:
    assert table_name_for("data/trades/*.parquet") == "trades"
    assert table_name_for("*.csv") == "table"
