"""Nested Arrow input: struct columns as dotted columns, list columns per ``list_flatten``.

As Perspective 5.x loads nested Arrow (on ``table()`` and on ``update()``):

- a struct column ``p`` with fields ``a`` and ``b`` becomes the columns
  ``p.a`` and ``p.b`` (recursively; a null struct nulls its fields);
- list columns (``list``, ``large_list``, ``fixed_size_list``) follow the
  table's ``list_flatten`` mode:

  ``"zip"`` (default)
      a row becomes as many rows as its longest list; lists of one row must
      be of equal length, except null or empty ones (null cells); the other
      columns repeat;
  ``"cartesian"``
      a row becomes the product of its lists (the first list column
      outermost); a null or empty list counts as one null;
  ``"stringify"``
      each list becomes its JSON text (``[1,2]``, ``["a","b"]``), with null
      elements written as their type's zero (``0``, ``""``, ``false``), as
      5.x does.

``zip`` and ``cartesian`` are vectorised (list offsets -> row ids with numpy
``repeat``, one ``take`` per column). ``stringify`` writes JSON per row
with :func:`json.dumps` (a Python loop over the rows: O(rows), about 1 µs a
list; used only for tables created with ``list_flatten="stringify"``).
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ArgumentError, ConfigError, SchemaError

__all__ = [
    "LIST_FLATTEN",
    "check_list_flatten",
    "check_list_index",
    "flatten_nested",
    "has_nested",
]

LIST_FLATTEN = ("zip", "cartesian", "stringify")


def check_list_flatten(mode: str | None) -> str:
    """``mode`` (default ``"zip"``) if it is one of :data:`LIST_FLATTEN`.

    Raises
    ------
    ArgumentError
        For any other value.
    """
    if mode is None:
        return "zip"
    if mode not in LIST_FLATTEN:
        raise ArgumentError(f"unknown list_flatten {mode!r}; use 'zip', 'cartesian' or 'stringify'")
    return mode


_LISTS = frozenset(
    t.id for t in (pa.list_(pa.int8()), pa.large_list(pa.int8()), pa.list_(pa.int8(), 1))
)
_NESTED = _LISTS | {pa.struct([]).id}


def _is_list(t: pa.DataType) -> bool:
    return t.id in _LISTS


def has_nested(schema: pa.Schema) -> bool:
    """Whether any column is a struct or a list (one set lookup per column:
    every update asks)."""
    return any(t.id in _NESTED for t in schema.types)


def _lengths(col: pa.ChunkedArray) -> np.ndarray:
    """Each row's list length, 0 for a null list."""
    lengths = pc.fill_null(pc.list_value_length(col), 0)
    return lengths.to_numpy().astype(np.int64, copy=False)


def _starts(col: pa.Array) -> np.ndarray:
    """Where each row's list starts in ``col.values`` (flattened, offset-aware)."""
    if pa.types.is_fixed_size_list(col.type):
        return (np.arange(len(col), dtype=np.int64) + col.offset) * col.type.list_size
    return col.offsets.to_numpy()[:-1].astype(np.int64)


def _elements(col: pa.ChunkedArray, rows: np.ndarray, pos: np.ndarray, ok: np.ndarray) -> pa.Array:
    """Element ``pos`` of the list in row ``rows`` (null where not ``ok``)."""
    arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    index = _starts(arr)[rows] + pos
    taken = pa.array(np.where(ok, index, 0), mask=~ok)
    return arr.values.take(taken)


def _expand(table: pa.Table, mode: str) -> pa.Table:
    """Zip or cartesian expansion of the list columns of ``table``."""
    lists = [i for i, t in enumerate(table.schema.types) if _is_list(t)]
    lengths = {i: _lengths(table.column(i)) for i in lists}
    if mode == "zip":
        reps = np.ones(table.num_rows, dtype=np.int64)
        for i in lists:
            n = lengths[i]
            bad = (n > 0) & (reps > 1) & (n != reps)
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                others = [table.column_names[j] for j in lists if lengths[j][row] == reps[row]]
                raise SchemaError(
                    f"cannot zip list column {table.column_names[i]!r} ({n[row]} values) with "
                    f"{others[0]!r} ({reps[row]} values) in row {row}: lists of a row must be "
                    "of equal length; load with list_flatten='cartesian' or 'stringify'"
                )
            reps = np.maximum(reps, n)
    else:
        reps = np.ones(table.num_rows, dtype=np.int64)
        for i in lists:
            reps = reps * np.maximum(lengths[i], 1)
    total = int(reps.sum())
    rows = np.repeat(np.arange(table.num_rows, dtype=np.int64), reps)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    stride = np.ones(table.num_rows, dtype=np.int64)
    positions: dict[int, np.ndarray] = {}
    for i in reversed(lists):  # cartesian: the first list column varies slowest
        n = lengths[i]
        if mode == "zip":
            positions[i] = within
        else:
            positions[i] = (within // stride[rows]) % np.maximum(n, 1)[rows]
            stride = stride * np.maximum(n, 1)
    row_ids = pa.array(rows)
    cols = []
    for i, col in enumerate(table.columns):
        if i in positions:
            pos = positions[i]
            cols.append(_elements(col, rows, pos, pos < lengths[i][rows]))
        else:
            cols.append(col.take(row_ids))
    return pa.Table.from_arrays(cols, names=table.column_names)


def _zero(t: pa.DataType):
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t):
        return ""
    if pa.types.is_boolean(t):
        return False
    if pa.types.is_floating(t):
        return 0.0
    if pa.types.is_integer(t):
        return 0
    raise SchemaError(
        f"list_flatten='stringify' cannot write lists of {t} as JSON; use 'zip' or "
        "'cartesian', or cast the list values to numbers, strings or booleans"
    )


def _stringify(col: pa.ChunkedArray) -> pa.Array:
    value_type = col.type.value_type
    zero = _zero(value_type)
    # One json.dumps per row (see the module docstring for the cost).
    texts = [
        None
        if cell is None
        else json.dumps(
            [zero if v is None else v for v in cell], separators=(",", ":"), ensure_ascii=False
        )
        for cell in col.to_pylist()
    ]
    return pa.array(texts, pa.string())


def flatten_nested(table: pa.Table, list_flatten: str = "zip") -> pa.Table:
    """``table`` with structs as dotted columns and lists flattened per ``list_flatten``.

    Parameters
    ----------
    table
        Arrow input as it arrived.
    list_flatten
        ``"zip"``, ``"cartesian"`` or ``"stringify"`` (see the module docstring).

    Raises
    ------
    SchemaError
        For lists of one row that ``zip`` cannot pair, or lists ``stringify``
        cannot write.
    """
    mode = check_list_flatten(list_flatten)
    while has_nested(table.schema):
        while any(pa.types.is_struct(t) for t in table.schema.types):
            table = table.flatten()  # "p.a", "p.b"
        if not any(_is_list(t) for t in table.schema.types):
            break
        if mode == "stringify":
            cols = [_stringify(col) if _is_list(col.type) else col for col in table.columns]
            table = pa.Table.from_arrays(cols, names=table.column_names)
        else:
            table = _expand(table, mode)
    return table


def check_list_index(schema: pa.Schema, index: str | None, list_flatten: str) -> None:
    """An index must come from the lists that expand rows (as 5.x requires).

    Raises
    ------
    ConfigError
        For an index column that would repeat across an expansion's rows.
    """
    lists = list_sources(schema)
    if index is None or not lists or list_flatten == "stringify" or index in lists:
        return
    raise ConfigError(
        f"cannot index a table on {index!r} while list column(s) {sorted(lists)} expand "
        "its rows: the index would repeat across the rows of an expansion. Index on a "
        "list column, or load with list_flatten='stringify'"
    )


def list_sources(schema: pa.Schema) -> set[str]:
    """The columns (after struct flattening) that come from list columns."""
    out = set()
    for field in schema:
        _collect(field, field.name, out)
    return out


def _collect(field: pa.Field, name: str, out: set[str]) -> None:
    if pa.types.is_struct(field.type):
        for child in field.type:
            _collect(child, f"{name}.{child.name}", out)
    elif _is_list(field.type):
        out.add(name)
