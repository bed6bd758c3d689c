"""Turn every input format Perspective accepts into a pyarrow Table.

Accepted: pyarrow Table / RecordBatch / RecordBatchReader, Arrow IPC bytes
(stream or file format), pandas DataFrame (its index becomes a column, as
Perspective does), polars DataFrame, dict of columns, list of row dicts,
CSV text, JSON text (rows or columns), NDJSON text, and a schema (a dict of
type names or Python types) for an empty table.

Pure pyarrow: no I/O beyond in-memory buffers, no asyncio, nothing from the
server or jupyter layers.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..errors import SchemaError
from .column_names import check_column_names
from .dtypes import PERSPECTIVE_TYPES, canonical_arrow_type, parse_type_name
from .ingest_python import Unset, from_columns, from_rows, owned
from .ingest_text import from_text

__all__ = [
    "check_column_names",
    "is_schema",
    "schema_to_empty_table",
    "to_arrow_batch",
    "to_arrow_table",
]

_ARROW_MAGIC_FILE = b"ARROW1"


def is_schema(data: Any) -> bool:
    """True when ``data`` is a schema dict (column -> type) rather than columns."""
    if not isinstance(data, dict) or not data:
        return False
    for v in data.values():
        if isinstance(v, type):
            continue
        if isinstance(v, str) and v.lower() in (*PERSPECTIVE_TYPES, "int", "str", "bool"):
            continue
        return False
    return True


def schema_to_empty_table(schema: dict[str, Any]) -> pa.Table:
    """Build a zero-row table with Perspective's canonical Arrow type per column."""
    check_column_names([str(k) for k in schema])
    fields = [pa.field(str(k), canonical_arrow_type(parse_type_name(v))) for k, v in schema.items()]
    return pa.schema(fields).empty_table()


def to_arrow_table(data: Any, schema: dict[str, str] | None = None) -> pa.Table:
    """Convert any accepted input into a ``pa.Table``.

    Parameters
    ----------
    data
        The input (see the module docstring for the accepted formats).
    schema
        The Perspective schema of the table being updated, if any. Text
        formats (CSV, JSON) are parsed with these types instead of inferring.

    Returns
    -------
    pa.Table
        Columns in input order. Types are left as they came (the table
        casts them to its own storage types).

    Raises
    ------
    SchemaError
        When the input is of an unsupported kind or cannot be parsed.

    Examples
    --------
    >>> to_arrow_table({"a": [1, 2]}).num_rows
    2
    """
    return to_arrow_batch(data, schema)[0]


def to_arrow_batch(
    data: Any, schema: dict[str, str] | None = None
) -> tuple[pa.Table, Unset | None]:
    """:func:`to_arrow_table`, and the cells that row input leaves out.

    Returns
    -------
    (table, unset)
        ``unset`` maps a column to a boolean mask of the rows that do not
        give it (an update keeps those cells' old values), or is ``None``.
    """
    table, unset = _convert(data, schema)
    check_column_names(table.column_names, reserved=schema is None)
    if schema is None:
        # A new table's columns; an update's are unwrapped by the cast to the
        # table's types, off the hot path of batches that already match.
        table = _plain(table)
    return table, unset


def _convert(data: Any, schema: dict[str, str] | None) -> tuple[pa.Table, Unset | None]:
    if isinstance(data, pa.Table):
        return data, None
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data]), None
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all(), None
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _from_ipc(bytes(data)), None
    if isinstance(data, str):
        return from_text(data, schema)
    mod = type(data).__module__.split(".")[0]
    if mod == "pandas":
        return _from_pandas(data), None
    if mod == "polars":
        if hasattr(data, "collect") and not hasattr(data, "to_arrow"):
            data = data.collect()  # a LazyFrame: run its query
        return data.to_arrow(), None
    if isinstance(data, dict):
        if is_schema(data) and schema is None:
            return schema_to_empty_table(data), None
        return from_columns(data, schema), None
    if isinstance(data, (list, tuple)):
        return from_rows(list(data), schema)
    raise SchemaError(
        f"cannot load data of type {type(data).__name__}; pass a pyarrow Table, Arrow IPC "
        "bytes, a pandas or polars DataFrame, a dict of columns, a list of row dicts, "
        "CSV/JSON/NDJSON text, or a schema dict"
    )


def _plain(table: pa.Table) -> pa.Table:
    """Extension types as their storage, structs as one column per field."""
    if not any(_nested(t) for t in table.schema.types):
        return table
    cols = []
    for col in table.columns:
        if isinstance(col.type, pa.ExtensionType):
            col = pa.chunked_array([c.storage for c in col.chunks], col.type.storage_type)
        cols.append(col)
    table = pa.Table.from_arrays(cols, names=table.column_names)
    while any(pa.types.is_struct(t) for t in table.schema.types):
        table = table.flatten()  # "index.left", "index.right"
    return table


def _nested(t: pa.DataType) -> bool:
    return isinstance(t, pa.ExtensionType) or pa.types.is_struct(t)


def _from_ipc(buf: bytes) -> pa.Table:
    try:
        if buf[:6] == _ARROW_MAGIC_FILE:
            return pa.ipc.open_file(pa.BufferReader(buf)).read_all()
        return pa.ipc.open_stream(pa.BufferReader(buf)).read_all()
    except (pa.ArrowInvalid, OSError) as exc:  # a short read is an OSError in pyarrow
        raise SchemaError(
            f"bytes are not a valid Arrow IPC stream or file: {exc}; send a whole Arrow "
            "IPC stream (or file), e.g. from pyarrow.ipc.new_stream"
        ) from exc


def _from_pandas(df: Any) -> pa.Table:
    # Perspective keeps a named index under its name and an unnamed one as
    # "index"; a MultiIndex gives one column per level. On update, an index
    # the table has no column for is ignored like any other unknown column.
    df = df.reset_index()
    df.columns = [str(c) for c in df.columns]
    check_column_names(list(df.columns), reserved=False)
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise SchemaError(f"cannot convert DataFrame: {exc}") from exc
    return pa.Table.from_arrays([owned(c) for c in table.columns], names=table.column_names)
