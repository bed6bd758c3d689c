"""Arrow IPC stream bytes with optional body compression (``lz4`` / ``zstd``).

``View.to_arrow(compression=...)`` and the ``compression`` field of the
wire's ``ViewToArrowReq`` take Perspective 5.x's two codecs. Compression is
applied by rewriting an uncompressed stream: reading IPC bytes is zero-copy,
so the cost is the codec itself.
"""

from __future__ import annotations

import pyarrow as pa

from ..errors import ArgumentError

__all__ = ["COMPRESSIONS", "check_compression", "compress_stream"]

COMPRESSIONS = ("lz4", "zstd")


def check_compression(compression: str | None) -> str | None:
    """Return ``compression`` if it is ``None``, ``"lz4"`` or ``"zstd"``.

    Raises
    ------
    ArgumentError
        For any other value.
    """
    if compression is None or compression in COMPRESSIONS:
        return compression
    raise ArgumentError(
        f'unknown compression {compression!r} for to_arrow; expected "lz4", "zstd" '
        "or None (uncompressed)"
    )


def compress_stream(data: bytes, compression: str | None) -> bytes:
    """``data`` (an Arrow IPC stream) with its record batch bodies compressed.

    Parameters
    ----------
    data
        An uncompressed Arrow IPC stream.
    compression
        ``"lz4"`` (LZ4 frame), ``"zstd"`` or ``None`` (``data`` returned as is).
    """
    codec = check_compression(compression)
    if codec is None:
        return data
    reader = pa.ipc.open_stream(data)
    # "lz4" is LZ4_FRAME, the codec the Arrow IPC format defines.
    options = pa.ipc.IpcWriteOptions(compression="lz4" if codec == "lz4" else "zstd")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, reader.schema, options=options) as writer:
        for batch in reader:
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()
