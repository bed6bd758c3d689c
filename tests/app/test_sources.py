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
