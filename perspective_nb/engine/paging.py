"""``page_to_disk``: a table's main columns in a memory-mapped Arrow IPC file.

A table made with ``page_to_disk=True`` keeps the read-optimised main part
of its :class:`~.store.Store` (the loaded rows, and every compaction of them)
in an uncompressed Arrow IPC file in the temporary directory, memory-mapped
read-only: the columns are the file's pages, which the OS reads on demand
and can drop under memory pressure (they are clean, file-backed pages), so
the table can be larger than the memory it is given. Reads are zero-copy
views of the mapping, so views compute exactly as in memory.

Writes keep the main/delta design: new row versions go to the in-memory
delta (small, at most 1/8 of main before a compaction), and each compaction,
``replace`` or full rewrite writes the new main to a new file (O(N) disk
writes, amortised as the compaction is). The previous file is unlinked at
once: readers still holding its rows keep a valid mapping (POSIX keeps an
unlinked file until its last mapping goes), and the disk space is freed when
they let go. Deleting the table unlinks its current file, and so does the
garbage collection of a table never deleted, or the interpreter's exit.
The files go to ``tempfile.gettempdir()`` (``TMPDIR``): where that is a
tmpfs, the pages stay in memory, so point ``TMPDIR`` at a disk.

Limits: the delta, key indexes and liveness masks stay in memory (O(delta)
plus ~1 bit a row); dictionary-encoded strings are unified to one
dictionary per column before writing (the IPC file format allows one).

This is the engine's only file I/O: the storage of a table, not data input.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import weakref
from typing import Any

import pyarrow as pa

__all__ = ["DiskPager"]


class DiskPager:
    """Writes a table's main parts to temporary IPC files and maps them back.

    Parameters
    ----------
    name
        The table's name (a readable part of the file names).
    directory
        Where files go (default: the OS temporary directory).
    """

    def __init__(self, name: str, directory: str | None = None) -> None:
        self._prefix = "perspective_nb-" + "".join(c if c.isalnum() else "_" for c in name)[:40]
        self._directory = directory
        self._path: str | None = None
        self._lock = threading.Lock()
        # A table dropped without delete(), or still alive at exit: its file goes too.
        self._current: list[str] = []
        weakref.finalize(self, _unlink_all, self._current)

    @property
    def path(self) -> str | None:
        """The file holding the current main part (None before the first page)."""
        return self._path

    def page(self, rows: pa.Table) -> pa.Table:
        """``rows`` as a table whose buffers are a read-only mapping of a new file."""
        rows = rows.unify_dictionaries().combine_chunks()
        fd, path = tempfile.mkstemp(prefix=self._prefix + "-", suffix=".arrow", dir=self._directory)
        try:
            with os.fdopen(fd, "wb") as sink, pa.ipc.new_file(sink, rows.schema) as writer:
                writer.write_table(rows)
            mapped = pa.ipc.open_file(pa.memory_map(path, "r")).read_all()
        except BaseException:
            os.unlink(path)
            raise
        with self._lock:
            previous, self._path = self._path, path
            self._current[:] = [path]
        if previous is not None:
            _unlink(previous)
        return mapped

    def page_store(self, store: Any, old_main: pa.Table | None) -> Any:
        """``store`` with its main part paged, when it is new (not ``old_main``).

        A new main comes from a load, a compaction, ``replace`` or a full
        rewrite: written once, O(N). The store is not yet published, so it
        is changed in place.
        """
        if store.main is old_main:
            return store
        mapped = self.page(store.main)
        if store._cache is store.main:
            store._cache = mapped
        store.main = mapped
        return store

    def close(self) -> None:
        """Unlink the current file (mappings still held stay valid until released)."""
        with self._lock:
            path, self._path = self._path, None
            self._current.clear()
        if path is not None:
            _unlink(path)


def _unlink_all(paths: list[str]) -> None:
    for path in paths:
        _unlink(path)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
