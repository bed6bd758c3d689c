"""Carry table data (make_table / update / replace / remove) across the wire.

``MakeTableData`` has one field per transport form: Arrow IPC bytes, CSV,
JSON rows, JSON columns, NDJSON, a schema, or another view's id. The client
side (:func:`encode_table_data`) sends Arrow IPC for every in-memory input
(pandas, polars, pyarrow, dicts, row lists) and text as text; the server
side (:func:`decode_table_data`) turns each form back into something the
engine's ``Table`` accepts.

May import the engine's ingest; must not import the server, handlers or
jupyter layers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa

from ..engine.dtypes import parse_type_name
from ..engine.ingest import is_schema, to_arrow_table
from ..errors import ProtocolError, SchemaError, UpdateError
from . import perspective_pb2 as pb
from .column_types import schema_from_pairs, schema_to_pairs

__all__ = ["decode_keys", "decode_table_data", "encode_keys", "encode_table_data"]


def _ipc_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


_ARROW_FILE_MAGIC = b"ARROW1"


def _read_ipc(data: bytes) -> pa.Table:
    """Read ``from_arrow`` bytes (an Arrow IPC stream or file) into a table.

    Read here rather than in the engine so that every malformed payload
    (truncated, corrupted, empty) becomes one clear error: pyarrow reports a
    short read as ``OSError``, not ``ArrowInvalid``.
    """
    try:
        buffer = pa.py_buffer(data)
        if data[:6] == _ARROW_FILE_MAGIC:
            return pa.ipc.open_file(buffer).read_all()
        return pa.ipc.open_stream(buffer).read_all()
    except (pa.ArrowException, OSError) as exc:
        raise SchemaError(
            f"from_arrow holds {len(data)} bytes that are not a valid Arrow IPC stream or "
            f"file ({exc}); send the complete output of an Arrow IPC writer"
        ) from exc


def _classify_text(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "from_rows"
    if stripped.startswith("{"):
        try:
            json.loads(stripped)
        except ValueError:
            return "from_ndjson"
        return "from_cols"
    return "from_csv"


_FORMATS = {
    "csv": "from_csv",
    "json": "from_rows",
    "columns": "from_cols",
    "ndjson": "from_ndjson",
    "arrow": "from_arrow",
}


def encode_table_data(
    data: Any, into: pb.MakeTableData, format: str | None = None
) -> pb.MakeTableData:
    """Fill ``MakeTableData`` from any input a client accepts.

    Bytes are sent as Arrow IPC; strings as CSV / JSON / NDJSON text (by
    their first character, or as ``format`` says: ``csv``, ``json``,
    ``columns``, ``ndjson``, ``arrow``); a ``{name: type}`` dict as a schema;
    everything else is converted to Arrow IPC first.
    """
    if format is not None and isinstance(data, (str, bytes, bytearray, memoryview)):
        try:
            field = _FORMATS[format]
        except KeyError:
            raise UpdateError(
                f"unknown format {format!r}; use one of {', '.join(_FORMATS)}"
            ) from None
        if field == "from_arrow":
            into.from_arrow = data.encode() if isinstance(data, str) else bytes(data)
        else:
            text = data if isinstance(data, str) else bytes(data).decode()
            setattr(into, field, text)
        return into
    if isinstance(data, (bytes, bytearray, memoryview)):
        into.from_arrow = bytes(data)
    elif isinstance(data, str):
        setattr(into, _classify_text(data), data)
    elif isinstance(data, Mapping) and is_schema(dict(data)):
        schema_to_pairs({k: parse_type_name(v) for k, v in data.items()}, into.from_schema)
    else:
        into.from_arrow = _ipc_bytes(to_arrow_table(data))
    return into


def decode_table_data(
    message: pb.MakeTableData,
    view_arrow: Callable[[str], bytes] | None = None,
    payload: Any = None,
) -> Any:
    """Turn ``MakeTableData`` into an input the engine's ``Table`` accepts.

    Parameters
    ----------
    message
        The wire message.
    view_arrow
        Resolves ``from_view`` (a view id) to that view's Arrow IPC bytes.
    payload
        Data an in-process client passed by reference; used when the
        message itself is empty.

    Returns
    -------
    Any
        A ``pyarrow.Table`` for Arrow IPC (read here, see ``_read_ipc``),
        the text for CSV / JSON / NDJSON, a schema dict for ``from_schema``,
        or what ``view_arrow`` returns for ``from_view``.

    Raises
    ------
    SchemaError
        When ``from_arrow`` does not hold a complete Arrow IPC stream or file.
    """
    kind = message.WhichOneof("data")
    if kind is None and payload is not None:
        return payload
    if kind == "from_arrow":
        return _read_ipc(message.from_arrow)
    if kind == "from_schema":
        return schema_from_pairs(message.from_schema)
    if kind in ("from_csv", "from_ndjson", "from_rows", "from_cols"):
        # Text goes to the engine as text: it parses CSV / JSON / NDJSON itself
        # (inferring dates in strings as Perspective does).
        return getattr(message, kind)
    if kind == "from_view":
        if view_arrow is None:
            raise ProtocolError("from_view data cannot be resolved here")
        return view_arrow(message.from_view)
    raise ProtocolError("table data is empty; set one of from_arrow, from_csv, from_rows, ...")


def encode_keys(keys: Any, into: pb.MakeTableData) -> pb.MakeTableData:
    """Fill ``MakeTableData`` with the primary keys to remove (a JSON array)."""
    if isinstance(keys, (pa.Array, pa.ChunkedArray)):
        keys = keys.to_pylist()
    into.from_rows = json.dumps(list(keys), default=str)
    return into


def decode_keys(message: pb.MakeTableData, index: str | None = None) -> list[Any]:
    """Return the list of primary keys a ``table_remove`` carries.

    JSON arrays of scalars are the keys themselves; rows, columns or Arrow
    data contribute their ``index`` column (or their only column).
    """
    kind = message.WhichOneof("data")
    if kind in ("from_rows", "from_cols", "from_ndjson"):
        text = getattr(message, kind)
        try:
            data = (
                [json.loads(line) for line in text.splitlines() if line.strip()]
                if kind == "from_ndjson"
                else json.loads(text)
            )
        except ValueError as exc:
            raise UpdateError(f"{kind} keys are not valid JSON ({exc}); send a JSON array") from exc
    else:
        data = decode_table_data(message)
    if isinstance(data, str):  # CSV
        data = to_arrow_table(data)
    if isinstance(data, pa.Table):
        if not data.column_names:
            return []
        column = index if index in data.column_names else data.column_names[0]
        return data.column(column).to_pylist()
    if isinstance(data, dict):
        column = index if index in data else next(iter(data), None)
        keys = data.get(column, []) if column is not None else []
        if not isinstance(keys, list):
            raise UpdateError(
                f"from_cols keys must be a JSON array under {column!r}, got {keys!r}; "
                'send {"<index>": [key, ...]}'
            )
        return keys
    if isinstance(data, list):
        if data and isinstance(data[0], dict):
            if not all(isinstance(row, dict) for row in data):
                raise UpdateError(
                    "rows of keys to remove mix objects and other values; send a JSON array "
                    "of keys, or of row objects holding the index column"
                )
            return [row.get(index) for row in data]
        return data
    raise UpdateError(f"cannot read primary keys from {type(data).__name__} data; send a list")
