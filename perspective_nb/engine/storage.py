"""Column storage rules: which Arrow type a table keeps for each column,
and how incoming batches are cast and merged into it.

A table keeps the Arrow type its data arrived with when that type maps onto
a Perspective type without loss (so loading Arrow is zero-copy); a few are
widened to one storage type per Perspective type (float32 -> float64,
large strings -> strings, date64 -> date32, timestamps of any unit ->
milliseconds, Perspective's precision). Updates are cast to the
stored types.

Pure pyarrow: no I/O, no asyncio.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SchemaError, UpdateError
from .dtypes import arrow_type_to_perspective, value_type
from .parsing import ParseError, parse_bool, parse_temporal

__all__ = [
    "cast_batch",
    "cast_column",
    "dedupe_last",
    "dedupe_partial",
    "storage_type",
    "to_storage",
]


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
        # Perspective keeps milliseconds: finer units are truncated on load.
        return pa.timestamp("ms", t.tz if pa.types.is_timestamp(t) else None)
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
    if pa.types.is_timestamp(target) and pa.types.is_timestamp(source):
        return col.cast(target, safe=False)  # microseconds and nanoseconds truncated
    return col.cast(target)


def cast_batch(
    batch: pa.Table, storage: pa.Schema, schema: dict[str, str], name: str
) -> dict[str, pa.ChunkedArray]:
    """Cast an update batch's columns to the table's storage types.

    Columns the table does not have are ignored (as Perspective does); the
    check is one dict lookup per column name. Values are cast as Perspective
    casts them (see :func:`cast_column`).

    Raises
    ------
    UpdateError
        For values that do not fit the column type.
    """
    out = {}
    for col_name, col in zip(batch.column_names, batch.columns, strict=False):
        if col_name not in schema:
            continue
        target = storage.field(col_name).type
        if col.type == target:
            out[col_name] = col
            continue
        try:
            cast = cast_column(col, target, schema[col_name])
            out[col_name] = cast if isinstance(cast, pa.ChunkedArray) else pa.chunked_array([cast])
        except ParseError as exc:
            raise UpdateError(
                f"cannot read {exc.value!r} as a {exc.ptype} for column {col_name!r} of table "
                f"{name!r}; send {_FORMS[exc.ptype]}"
            ) from exc
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise UpdateError(
                f"cannot write {col.type} values into {schema[col_name]} column {col_name!r} "
                f"of table {name!r} ({exc}); send values of type {schema[col_name]}"
            ) from exc
    return out


_FORMS = {
    "date": "dates as date objects, epoch milliseconds or text like 2021-02-03 or 02/03/2021",
    "datetime": "datetimes as datetime objects, epoch milliseconds or ISO text like "
    "2021-02-03 04:05:06",
    "boolean": "True/False or the text true/false",
}


def cast_column(col: pa.ChunkedArray, target: pa.DataType, ptype: str) -> pa.ChunkedArray:
    """``col`` as storage type ``target`` of Perspective type ``ptype``.

    As Perspective casts: floats into integers are truncated toward zero;
    numbers into dates and datetimes are epoch milliseconds; text into
    dates, datetimes and booleans is parsed (:mod:`.parsing`) and into
    numbers read as numbers; non-zero numbers are true.

    Raises
    ------
    ParseError, pa.ArrowInvalid
        For values of another kind.
    """
    if isinstance(col.type, pa.ExtensionType):  # e.g. pandas periods: their ordinals
        col = pa.chunked_array([c.storage for c in col.chunks], col.type.storage_type)
    if pa.types.is_dictionary(target):  # strings, the common case: first
        if not pa.types.is_string(col.type):
            col = col.cast(pa.string())
        encoded = pc.dictionary_encode(col)
        return encoded if encoded.type == target else encoded.cast(target)
    source = value_type(col.type)
    if pa.types.is_dictionary(col.type):
        col = col.cast(source)
    if pa.types.is_large_string(source) or pa.types.is_string_view(source):
        col, source = col.cast(pa.string()), pa.string()
    text = pa.types.is_string(source)
    if ptype in ("date", "datetime"):
        if text:
            col = parse_temporal(col, ptype)[0]
        elif pa.types.is_integer(source) or pa.types.is_floating(source):
            # Epoch milliseconds (a float's fraction of a millisecond is dropped).
            col = _trunc(col).cast(pa.int64()).cast(pa.timestamp("ms"))
        if ptype == "date" and pa.types.is_timestamp(col.type):
            col = col.cast(pa.timestamp("ms"), safe=False).cast(pa.date32())
        return _cast(col, target, col.type)
    if ptype == "boolean":
        if text:
            return parse_bool(col)
        if pa.types.is_integer(source):
            return pc.not_equal(col, 0)
        if pa.types.is_floating(source) and len(pc.drop_null(col)):
            raise ParseError(pc.drop_null(col)[0].as_py(), "boolean")
        return col.cast(target)
    if ptype == "integer":
        if text:
            col = col.cast(pa.float64())
        if pa.types.is_floating(col.type):
            col = _trunc(col)
        return col.cast(target)
    if ptype == "string" and not text:
        return col.cast(pa.string())
    return col.cast(target)


def _trunc(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Floats truncated toward zero, NaN as null (integers pass unchanged)."""
    if not pa.types.is_floating(col.type):
        return col
    col = pc.if_else(pc.is_nan(col), None, col)
    return pc.trunc(col)


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


def dedupe_partial(
    batch: pa.Table, key: str, unset: dict[str, np.ndarray]
) -> tuple[pa.Table, dict[str, np.ndarray]]:
    """Collapse rows sharing a key when some rows leave columns out.

    Per column, the last row that gives a value wins (an explicit null is a
    value); a key whose rows all leave a column out leaves it out still.

    Returns
    -------
    (rows, unset)
        One row per key, and per column the keys that still leave it out.
    """
    n = batch.num_rows
    row = np.arange(n, dtype=np.int64)
    others = [c for c in batch.column_names if c != key]
    # Per column, the row number where the row gives the column (else null):
    # the largest per key is the row whose value wins.
    work = {key: batch.column(key)}
    slot = {c: f"r{i}_max" for i, c in enumerate(others)}
    for i, c in enumerate(others):
        mask = unset.get(c)
        work[f"r{i}"] = pa.array(row, mask=mask) if mask is not None else pa.array(row)
    out = pa.table(work).group_by(key, use_threads=False)
    out = out.aggregate([(f"r{i}", "max") for i in range(len(others))])
    arrays, left_out = [], {}
    for c in batch.column_names:
        if c == key:
            arrays.append(out.column(key))
            continue
        winner = out.column(slot[c])
        arrays.append(batch.column(c).take(winner))
        if c in unset:
            left_out[c] = pc.is_null(winner).to_numpy(zero_copy_only=False)
    return pa.Table.from_arrays(arrays, schema=batch.schema), left_out


def _restore(col: pa.ChunkedArray, t: pa.DataType) -> pa.ChunkedArray:
    if pa.types.is_dictionary(t):
        return pc.dictionary_encode(col).cast(t)
    return col
