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

__all__ = ["SUFFIXES", "read_source", "table_name_for"]

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


def table_name_for(path: str | os.PathLike[str]) -> str:
    """Derive a hosted-table name from a file name (``sales-2024.csv`` -> ``sales-2024``).

    Parameters
    ----------
    path : path-like
        The data file.

    Returns
    -------
    str
        The file's stem with characters other than letters, digits, ``_``,
        ``-`` and ``.`` replaced by ``_`` (names appear in URLs).
    """
    stem = Path(path).stem or "table"
    return re.sub(r"[^\w.\-]", "_", stem)
