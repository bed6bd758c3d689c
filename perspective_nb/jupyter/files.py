"""Data files opened from JupyterLab's file browser: which, where, and how they are read.

The server extension hosts a file as a table in the Jupyter server's own
engine (see ``OpenFileHandler``), so a browser tab reads only the rows it
draws. This module decides which paths may be opened (regular files of a
known type under the server's root directory, not hidden unless the
contents manager shows hidden files), names the table after the path, and
reads the file: CSV, Parquet and Arrow/Feather as the standalone server
does (:mod:`perspective_nb.app.sources`: CSV text and Arrow bytes go to the
engine, so its own type inference applies exactly as for data a client
sends; Parquet is decoded with pyarrow), JSON lines with pyarrow.

No tornado, no jupyter_server: the handler is a thin adapter over it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa

from ..app.sources import read_source
from ..errors import PerspectiveError

__all__ = ["FORMATS", "FileOpenError", "read_file", "resolve", "stamp", "table_name"]

#: File suffix -> format read by :func:`read_file`.
FORMATS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".arrow": "arrow",
    ".feather": "arrow",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: Prefix of the names of tables hosted from files.
NAME_PREFIX = "file:"


class FileOpenError(PerspectiveError):
    """A data file that cannot be opened; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def resolve(root_dir: str | Path, path: str, allow_hidden: bool = False) -> tuple[Path, str]:
    """The file ``path`` (relative to ``root_dir``, as the contents API names it).

    Returns
    -------
    (Path, str)
        The resolved file, and its path relative to the root (POSIX).

    Raises
    ------
    FileOpenError
        403 for a path outside the root (``..``, absolute paths, symlinks
        leading out) or hidden; 404 when no such file exists; 400 for a
        file type that cannot be opened.
    """
    root = Path(root_dir).resolve()
    relative = PurePosixPath(path.strip("/"))
    if not path.strip("/") or relative.is_absolute() or ".." in relative.parts:
        raise FileOpenError(f"{path!r} is not a path inside the server's root directory", 403)
    if not allow_hidden and any(part.startswith(".") for part in relative.parts):
        raise FileOpenError(f"{path!r} is hidden; the server does not show hidden files", 403)
    target = (root / Path(*relative.parts)).resolve()
    if not target.is_relative_to(root):
        raise FileOpenError(f"{path!r} leads outside the server's root directory", 403)
    if not target.is_file():
        raise FileOpenError(f"no file {path!r} under the server's root directory", 404)
    if target.suffix.lower() not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise FileOpenError(f"cannot open {path!r}: Perspective opens {known} files", 400)
    return target, relative.as_posix()


def stamp(path: Path) -> tuple[int, int]:
    """What tells one version of a file from another: modification time (ns) and size."""
    info = path.stat()
    return (info.st_mtime_ns, info.st_size)


def table_name(relative_path: str) -> str:
    """The hosted name of the table of a file (``file:`` + its path under the root)."""
    return NAME_PREFIX + relative_path


def read_file(path: Path) -> Any:
    """Read a CSV, Parquet, Arrow IPC / Feather or JSON-lines file for ``Client.table``.

    Returns
    -------
    str or bytes or pyarrow.Table
        CSV text, Arrow IPC bytes, or a table (Parquet, JSON lines).

    Raises
    ------
    FileOpenError
        (422) when the file cannot be read, with the reason.
    """
    kind = FORMATS[path.suffix.lower()]
    try:
        if kind == "jsonl":
            from pyarrow import json

            return json.read_json(path)
        return read_source(path)
    except (pa.ArrowException, OSError, ValueError, PerspectiveError) as exc:
        raise FileOpenError(f"could not read {path.name} as {kind}: {exc}", 422) from exc
