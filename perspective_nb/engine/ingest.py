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

import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson

from ..errors import SchemaError
from .dtypes import PERSPECTIVE_TYPES, canonical_arrow_type, parse_type_name
from .outputs import RESERVED_COLUMN_NAMES

__all__ = ["check_column_names", "is_schema", "schema_to_empty_table", "to_arrow_table"]

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
    table = _convert(data, schema)
    check_column_names(table.column_names, reserved=schema is None)
    return table


def check_column_names(names: list[str], reserved: bool = True) -> None:
    """Refuse repeated column names and (for a new table) names the outputs reserve.

    A repeated CSV header or Arrow field would otherwise keep one of the
    columns and drop the other silently.

    Raises
    ------
    SchemaError
        Naming the column and the fix.
    """
    if len(set(names)) != len(names):
        seen: set[str] = set()
        twice = next(n for n in names if n in seen or seen.add(n))
        raise SchemaError(
            f"column {twice!r} appears more than once in the data (a repeated CSV header, "
            "Arrow field or DataFrame column); rename the copies so each name is unique"
        )
    if reserved:
        for name in names:
            if name in RESERVED_COLUMN_NAMES:
                raise SchemaError(
                    f"column name {name!r} is reserved: the outputs use it for row paths and "
                    f"keys; rename the column (e.g. {name.strip('_')!r})"
                )


def _convert(data: Any, schema: dict[str, str] | None) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all()
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _from_ipc(bytes(data))
    if isinstance(data, str):
        return _from_text(data, schema)
    mod = type(data).__module__.split(".")[0]
    if mod == "pandas":
        return _from_pandas(data)
    if mod == "polars":
        return data.to_arrow()
    if isinstance(data, dict):
        if is_schema(data) and schema is None:
            return schema_to_empty_table(data)
        return _from_columns(data)
    if isinstance(data, (list, tuple)):
        return _from_rows(list(data))
    raise SchemaError(
        f"cannot load data of type {type(data).__name__}; pass a pyarrow Table, Arrow IPC "
        "bytes, a pandas or polars DataFrame, a dict of columns, a list of row dicts, "
        "CSV/JSON/NDJSON text, or a schema dict"
    )


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
    # "index"; a MultiIndex gives one column per level.
    df = df.reset_index()
    df.columns = [str(c) for c in df.columns]
    check_column_names(list(df.columns), reserved=False)
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise SchemaError(f"cannot convert DataFrame: {exc}") from exc
    return pa.Table.from_arrays([_owned(c) for c in table.columns], names=table.column_names)


def _from_columns(data: dict[str, Any]) -> pa.Table:
    # Keys 1 and "1" would become one column "1".
    check_column_names([str(name) for name in data], reserved=False)
    arrays = {}
    for name, values in data.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise SchemaError(
                f"column {name!r} must be a list of values, got {values!r}; for an empty "
                f"table from a schema, use one of the type names {list(PERSPECTIVE_TYPES)}"
            )
        try:
            arrays[str(name)] = _column_array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise SchemaError(
                f"column {name!r} mixes types Perspective cannot hold together ({exc}); "
                "give each column values of one type"
            ) from exc
        except OverflowError as exc:
            # Error path only: name the first integer that does not fit.
            big = next((v for v in values if isinstance(v, int) and abs(v) >= 2**63), None)
            raise SchemaError(
                f"column {name!r} holds the integer {big if big is not None else '?'}, "
                "too big for 64 bits; send it as a float or a string"
            ) from exc
    lengths = {len(a) for a in arrays.values()}
    if len(lengths) > 1:
        raise SchemaError(
            f"columns have different lengths {sorted(lengths)}; "
            "every column needs one value per row"
        )
    return pa.table(arrays)


def _column_array(values: Any) -> pa.Array:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    mod = type(values).__module__.split(".")[0]
    if mod in ("numpy", "pandas"):
        return _owned(pa.array(values))
    if mod == "polars":
        return pa.array(values)
    arr = pa.array(list(values), from_pandas=True)
    if pa.types.is_string(arr.type):
        # Python strings that all parse as dates or datetimes are inferred as such.
        arr = _maybe_temporal(pa.chunked_array([arr])).combine_chunks()
    return _narrow_int(arr)


def _owned(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A copy of ``arr`` in memory of its own.

    Arrow wraps numpy and pandas buffers without copying, and those stay
    writable by their owner: a table must not change when the caller later
    edits the array it was loaded from (Perspective copies on load too).
    Arrow's own inputs are immutable and stay zero-copy.
    """
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if not chunks:
        return pa.array([], arr.type)
    return pa.concat_arrays([*chunks, chunks[0].slice(0, 0)])  # concatenating always copies


def _narrow_int(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Untyped integers (Python, JSON, CSV) are Perspective "integer": int32 when they fit."""
    if arr.type != pa.int64() or len(arr) == 0:
        return arr
    import pyarrow.compute as pc

    lo_hi = pc.min_max(arr).as_py()
    lo, hi = lo_hi["min"], lo_hi["max"]
    if lo is None or (lo >= -(2**31) and hi < 2**31):
        return arr.cast(pa.int32())
    return arr


def _from_rows(rows: list[Any]) -> pa.Table:
    if not rows:
        return pa.table({})
    if not all(isinstance(r, dict) for r in rows):
        raise SchemaError("a list input must hold row dicts like {'col': value, ...}")
    names: dict[str, None] = {}
    for r in rows:  # Column discovery: one pass over keys (not values).
        names.update(dict.fromkeys(r))
    cols = {n: [r.get(n) for r in rows] for n in names}
    return _from_columns(cols)


def _from_text(text: str, schema: dict[str, str] | None) -> pa.Table:
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return _from_json(stripped, schema)
    return _from_csv(text, schema)


def _from_json(text: str, schema: dict[str, str] | None) -> pa.Table:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        # Not one JSON document: newline-delimited rows.
        try:
            tbl = pajson.read_json(io.BytesIO(text.encode()))
        except pa.ArrowInvalid as exc:
            raise SchemaError(f"text is neither JSON nor NDJSON: {exc}") from exc
        return _infer_strings(tbl, schema)
    tbl = _from_rows(obj) if isinstance(obj, list) else _from_columns(obj)
    return _infer_strings(tbl, schema)


def _from_csv(text: str, schema: dict[str, str] | None) -> pa.Table:
    convert = pacsv.ConvertOptions(
        strings_can_be_null=True,
        true_values=["true", "True", "TRUE"],
        false_values=["false", "False", "FALSE"],
        timestamp_parsers=[pacsv.ISO8601, "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"],
    )
    try:
        tbl = pacsv.read_csv(io.BytesIO(text.encode()), convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise SchemaError(f"cannot parse CSV text: {exc}") from exc
    return _infer_strings(tbl, schema)


def _infer_strings(tbl: pa.Table, schema: dict[str, str] | None) -> pa.Table:
    """Apply Perspective's inference to string columns: dates and datetimes."""
    import pyarrow.compute as pc

    # Before the dict below, which would keep one of two same-named columns.
    check_column_names(tbl.column_names, reserved=False)

    cols = []
    for name, col in zip(tbl.column_names, tbl.columns, strict=False):
        target = (schema or {}).get(name)
        if pa.types.is_string(col.type) and target not in ("string", None):
            col = _parse_strings(col, target)
        elif pa.types.is_string(col.type) and target is None:
            col = _maybe_temporal(col)
        elif pa.types.is_timestamp(col.type) and target is None:
            # Midnight-only timestamps parsed from text are dates (2020-01-01).
            col = _maybe_date(col, pc)
        elif target is None:
            col = _narrow_int(col)
        cols.append(col)
    return pa.table(dict(zip(tbl.column_names, cols, strict=False)))


def _maybe_temporal(col: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow.compute as pc

    valid = pc.drop_null(col)
    if len(valid) == 0:
        return col
    for fmt, typ in (("%Y-%m-%d", pa.date32()), (None, pa.timestamp("ms"))):
        try:
            if fmt:
                parsed = pc.strptime(col, format=fmt, unit="s", error_is_null=False)
                return parsed.cast(pa.date32())
            return col.cast(typ)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return col


def _maybe_date(col: pa.ChunkedArray, pc: Any) -> pa.ChunkedArray:
    valid = pc.drop_null(col)
    if len(valid) and pc.all(pc.equal(pc.cast(valid, pa.date32()).cast(col.type), valid)).as_py():
        return col.cast(pa.date32())
    return col


def _parse_strings(col: pa.ChunkedArray, target: str) -> pa.ChunkedArray:
    import pyarrow.compute as pc

    try:
        if target == "date":
            return pc.strptime(col, format="%Y-%m-%d", unit="s").cast(pa.date32())
        if target == "boolean":
            return pc.equal(pc.utf8_lower(col), "true")
        return col.cast(canonical_arrow_type(target))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise SchemaError(f"cannot read text values as {target}: {exc}") from exc
