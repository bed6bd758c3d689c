"""Column storage rules: which Arrow type a table keeps for each column,
and how incoming batches are cast and merged into it.

A table keeps the Arrow type its data arrived with when that type maps onto
a Perspective type without loss (so loading Arrow is zero-copy); a few are
widened to one storage type per Perspective type (float32 -> float64,
large strings -> strings, date64 -> date32). Updates are cast to the
stored types.

Pure pyarrow: no I/O, no asyncio.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SchemaError, UpdateError
from .dtypes import arrow_type_to_perspective

__all__ = ["cast_batch", "dedupe_last", "storage_type", "to_storage"]


def storage_type(t: pa.DataType, is_key: bool = False) -> pa.DataType:
    """The Arrow type a table stores for an input column of type ``t``.

    Key (index) columns hold unique values, so they are never dictionary encoded.
    """
    ptype = arrow_type_to_perspective(t)
    if ptype == "string" and is_key:
        return pa.string()
    if ptype == "string":
        # Strings are stored dictionary-encoded, as Perspective does: group_by,
        # split_by, filters and sorts then work on integer indices.
        return pa.dictionary(pa.int32(), pa.string())
    if ptype == "integer":
        if pa.types.is_dictionary(t):
            t = t.value_type
        return t if t in (pa.int32(), pa.int64()) else pa.int64()
    if ptype == "float":
        return pa.float64()
    if ptype == "date":
        return pa.date32()
    if ptype == "datetime":
        return t if pa.types.is_timestamp(t) else pa.timestamp("ms")
    return pa.bool_()


def to_storage(tbl: pa.Table, key: str | None = None) -> pa.Table:
    """Cast a freshly loaded table to its storage types (zero-copy when they match)."""
    names = tbl.column_names
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise SchemaError(f"duplicate column name(s) {dupes}; rename them before loading")
    cols = []
    for name, col in zip(names, tbl.columns, strict=True):
        target = storage_type(col.type, is_key=name == key)
        cols.append(col if col.type == target else _cast(col, target, col.type))
    return pa.Table.from_arrays(cols, names=names)


def _cast(col: pa.ChunkedArray, target: pa.DataType, source: pa.DataType) -> pa.ChunkedArray:
    if pa.types.is_dictionary(target) and not pa.types.is_dictionary(source):
        return pc.dictionary_encode(col.cast(pa.string())).cast(target)
    return col.cast(target)


def cast_batch(
    batch: pa.Table, storage: pa.Schema, schema: dict[str, str], name: str
) -> dict[str, pa.ChunkedArray]:
    """Cast an update batch's columns to the table's storage types.

    Raises
    ------
    UpdateError
        For a column the table lacks, or values that do not fit the column type.
    """
    out = {}
    for col_name, col in zip(batch.column_names, batch.columns, strict=False):
        if col_name not in schema:
            raise UpdateError(
                f"update has column {col_name!r} which table {name!r} does not have; "
                f"its columns are {list(schema)}"
            )
        target = storage.field(col_name).type
        if col.type == target:
            out[col_name] = col
            continue
        try:
            if pa.types.is_dictionary(target):
                src = col if not pa.types.is_dictionary(col.type) else col.cast(pa.string())
                out[col_name] = _cast(src.cast(pa.string()), target, pa.string())
            elif pa.types.is_string(target) and not pa.types.is_string(col.type):
                out[col_name] = col.cast(pa.string())
            else:
                out[col_name] = col.cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise UpdateError(
                f"cannot write {col.type} values into {schema[col_name]} column {col_name!r} "
                f"of table {name!r} ({exc}); send values of type {schema[col_name]}"
            ) from exc
    return out


def dedupe_last(batch: pa.Table, key: str, keep_values: bool = False) -> pa.Table:
    """Collapse rows sharing a key into one (rows apply in order, the last wins).

    With ``keep_values`` (how Perspective loads a table's initial data), a
    later null does not overwrite an earlier value: per column, the last
    non-null value wins.
    """
    n = batch.num_rows
    if n < 2:
        return batch
    keys = batch.column(key)
    if pc.count_distinct(keys, mode="all").as_py() == n:
        return batch
    others = [c for c in batch.column_names if c != key]
    plain = {
        c: batch.column(c).cast(batch.schema.field(c).type.value_type)
        if pa.types.is_dictionary(batch.schema.field(c).type)
        else batch.column(c)
        for c in others
    }
    work = pa.table({key: keys, **plain})
    skip = pc.ScalarAggregateOptions(skip_nulls=keep_values)
    out = work.group_by(key, use_threads=False).aggregate([(c, "last", skip) for c in others])
    arrays = [
        out.column(key)
        if c == key
        else _restore(out.column(f"{c}_last"), batch.schema.field(c).type)
        for c in batch.column_names
    ]
    return pa.Table.from_arrays(arrays, schema=batch.schema)


def _restore(col: pa.ChunkedArray, t: pa.DataType) -> pa.ChunkedArray:
    if pa.types.is_dictionary(t):
        return pc.dictionary_encode(col).cast(t)
    return col
