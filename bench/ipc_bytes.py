"""Arrow IPC stream bytes of a table: how the bench scripts hand a table to
perspective-python's client, which loads Arrow as IPC bytes."""

from __future__ import annotations

import pyarrow as pa


def ipc_bytes(table: pa.Table) -> bytes:
    """``table`` as one Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()
