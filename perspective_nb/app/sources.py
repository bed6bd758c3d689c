"""Read a data file from disk into something ``Client.table`` accepts.

The standalone server loads CSV, Parquet, Arrow IPC (``.arrow``) and
Feather files. Text and Arrow formats are handed to the engine as they are
(CSV text, IPC bytes) so the engine's own type inference applies exactly
as for data sent by a client; Parquet, which the engine does not parse,
is decoded here with pyarrow.

File I/O lives here, not in the engine, which never touches the disk.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyarrow as pa

from ..errors import UnsupportedFormatError

__all__ = [
    "LARGE_FILE",
    "SUFFIXES",
    "choose_engine",
    "duckdb_source",
    "read_source",
    "table_name_for",
]

#: Files larger than this are served through DuckDB by default (``--engine auto``).
LARGE_FILE = 1 << 30

#: File extensions the loader understands, with the format each means.
SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "arrow",
    ".ipc": "arrow",
    ".feather": "arrow",
}


def read_source(path: str | os.PathLike[str]) -> str | bytes | pa.Table:
    """Read ``path`` into data for ``Client.table``.

    Parameters
    ----------
    path : path-like
        A ``.csv``, ``.parquet``/``.pq``, ``.arrow``/``.ipc`` or
        ``.feather`` file.

    Returns
    -------
    str or bytes or pyarrow.Table
        CSV text, Arrow IPC bytes (Feather v2 is the IPC file format), or a
        decoded Parquet table.

    Raises
    ------
    UnsupportedFormatError
        When the extension is none of the above.
    FileNotFoundError
        When the file does not exist.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a,b\\n1,x\\n")
    >>> read_source(p)
    'a,b\\n1,x\\n'
    """
    p = Path(path)
    kind = SUFFIXES.get(p.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        raise UnsupportedFormatError(
            f"cannot load {p.name!r}: unknown extension {p.suffix!r}. "
            f"Use one of {known} (rename the file if its content is one of these)."
        )
    if not p.is_file():
        raise FileNotFoundError(f"no such data file: {p}")
    if kind == "csv":
        # utf-8-sig: spreadsheet exports often start with a byte-order mark,
        # which would otherwise become part of the first column's name.
        return p.read_text(encoding="utf-8-sig")
    if kind == "parquet":
        import pyarrow.parquet as pq  # optional pyarrow component, load lazily

        return pq.read_table(p)
    return p.read_bytes()


def choose_engine(path: str | os.PathLike[str], engine: str = "auto") -> str:
    """``"memory"`` or ``"duckdb"``: how to serve ``path``.

    ``auto`` picks DuckDB for files over :data:`LARGE_FILE` bytes (and glob
    patterns such as ``trades/*.parquet``) when duckdb is installed, so
    large files are queried out of core instead of loaded into memory.
    """
    if engine != "auto":
        return engine
    text = str(path)
    big = any(ch in text for ch in "*?[") or (
        Path(path).is_file() and Path(path).stat().st_size > LARGE_FILE
    )
    if not big:
        return "memory"
    try:
        import duckdb  # noqa: F401  (only checking it is installed)
    except ImportError:
        return "memory"
    return "duckdb"


def duckdb_source(path: str | os.PathLike[str]) -> object:
    """A DuckDB relation reading ``path`` (CSV, Parquet, Arrow; globs allowed) out of core.

    Nothing is loaded: each view's query scans the file. Arrow / Feather
    files are memory-mapped and scanned by DuckDB through Arrow.

    Raises
    ------
    UnsupportedFormatError
        For an unknown extension.
    """
    import duckdb

    p = Path(path)
    kind = SUFFIXES.get(p.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        raise UnsupportedFormatError(f"cannot load {p.name!r} through DuckDB; use one of {known}")
    if not any(ch in str(path) for ch in "*?[") and not p.is_file():
        raise FileNotFoundError(f"no such data file: {p}")
    con = duckdb.connect()
    if kind == "parquet":
        return con.read_parquet(str(path))
    if kind == "csv":
        return con.read_csv(str(path))
    import pyarrow.ipc

    source = pa.memory_map(str(p))
    try:
        table = pyarrow.ipc.open_file(source).read_all()
    except pa.ArrowInvalid:
        table = pyarrow.ipc.open_stream(source).read_all()
    return con.from_arrow(table)


def table_name_for(path: str | os.PathLike[str]) -> str:
    """Derive a hosted-table name from a file name (``sales-2024.csv`` -> ``sales-2024``).

    Parameters
    ----------
    path : path-like
        The data file.

    Returns
    -------
    str
        The file's stem (a glob's folder name) with characters other than
        letters, digits, ``_``, ``-`` and ``.`` replaced by ``_`` (names
        appear in URLs).
    """
    p = Path(path)
    stem = p.stem
    if any(ch in stem for ch in "*?["):
        stem = p.parent.name  # a glob such as trades/*.parquet is named for its folder
    return re.sub(r"[^\w.\-]", "_", stem or "table")
