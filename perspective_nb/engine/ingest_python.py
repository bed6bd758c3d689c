"""Python values (a dict of columns, a list of row dicts) as Arrow columns.

Inference follows Perspective for a new table: string columns whose values
all read as booleans, integers, floats, dates or datetimes become that type
(:func:`~perspective_nb.engine.parsing.infer_strings`); untyped integers
are int32 when they fit. On update, the table's schema decides: a column
the table has is left for the table to cast, a column it lacks is ignored.

Rows that leave a column out ("unset" cells) are told apart from an explicit
``None``: an update keeps the old value of an unset cell and nulls a ``None``.

Pure pyarrow + numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SchemaError
from .column_names import check_column_names
from .dtypes import PERSPECTIVE_TYPES
from .parsing import infer_strings

__all__ = ["from_columns", "from_rows", "narrow_int", "owned"]

Unset = dict[str, np.ndarray]


def from_columns(data: dict[Any, Any], schema: dict[str, str] | None) -> pa.Table:
    """A dict of columns as a table (strings inferred only for a new table)."""
    names = [str(name) for name in data]
    if len(set(names)) != len(names):
        # Keys 1 and "1" would become one column "1".
        check_column_names(names, reserved=False)
    arrays = {}
    for name, values in data.items():
        name = str(name)
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise SchemaError(
                f"column {name!r} must be a list of values, got {values!r}; for an empty "
                f"table from a schema, use one of the type names {list(PERSPECTIVE_TYPES)}"
            )
        if schema is not None and name not in schema:
            # A column the table lacks is ignored: only its length matters.
            arrays[name] = pa.nulls(len(values))
            continue
        try:
            arrays[name] = _column_array(values, infer=schema is None)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            if schema is not None and schema[name] != "string":
                # Mixed text and numbers ("3", 4) into a typed column: read every
                # value as text and let the table parse it (one Python pass, on
                # this fallback only).
                try:
                    arrays[name] = pa.array([_text(v) for v in values], pa.string())
                    continue
                except (pa.ArrowInvalid, pa.ArrowTypeError):
                    pass
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


def from_rows(rows: list[Any], schema: dict[str, str] | None) -> tuple[pa.Table, Unset | None]:
    """A list of row dicts as a table, and the cells rows leave out.

    Returns
    -------
    (table, unset)
        ``unset`` maps a column to a boolean mask of the rows without it
        (``None`` when every row has every column).
    """
    if not rows:
        return pa.table({}), None
    if not all(isinstance(r, dict) for r in rows):
        raise SchemaError("a list input must hold row dicts like {'col': value, ...}")
    names: dict[str, None] = {}
    for r in rows:  # Column discovery: one pass over keys (not values).
        names.update(dict.fromkeys(r))
    # Row input is read cell by cell in Python anyway (O(rows x columns));
    # the masks cost one more such pass, and only when some row is partial.
    cols = {n: [r.get(n) for r in rows] for n in names}
    unset = None
    if any(len(r) != len(names) for r in rows):
        unset = {}
        for n in names:
            mask = np.fromiter((n not in r for r in rows), bool, len(rows))
            if mask.any():
                unset[str(n)] = mask
    return from_columns(cols, schema), unset


def _column_array(values: Any, infer: bool) -> pa.Array:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    mod = type(values).__module__.split(".")[0]
    if mod in ("numpy", "pandas"):
        return owned(pa.array(values))
    if mod == "polars":
        return pa.array(values)
    arr = pa.array(list(values), from_pandas=True)
    if infer and pa.types.is_string(arr.type):
        arr = infer_strings(arr)
    return narrow_int(arr) if infer else arr


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def owned(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
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


def narrow_int(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Untyped integers (Python, JSON, CSV) are Perspective "integer": int32 when they fit."""
    if arr.type != pa.int64() or len(arr) == 0:
        return arr
    lo_hi = pc.min_max(arr).as_py()
    lo, hi = lo_hi["min"], lo_hi["max"]
    if lo is None or (lo >= -(2**31) and hi < 2**31):
        return arr.cast(pa.int32())
    return arr
