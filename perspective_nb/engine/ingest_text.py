"""Text inputs as Arrow tables: CSV, JSON (rows or columns) and NDJSON.

CSV is read by Arrow's CSV reader, as Perspective reads it: ISO dates are
dates, ISO datetimes and month-first ``02/03/2021`` are datetimes, ``nan``
and empty cells are null, ``true``/``false`` are booleans, other text stays
text. JSON values go through the same inference as Python values
(:mod:`~perspective_nb.engine.ingest_python`). On update, columns the table
has are read as text where the table's type needs parsing (dates,
datetimes, booleans, strings) and cast by the table.

Pure pyarrow.
"""

from __future__ import annotations

import contextlib
import io
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson

from ..errors import SchemaError
from .column_names import check_column_names
from .ingest_python import Unset, from_columns, from_rows, narrow_int
from .parsing import ParseError, infer_strings, parse_temporal

__all__ = ["from_text"]

# Target types whose text Arrow would read differently from Perspective.
_AS_TEXT = ("string", "date", "datetime", "boolean")


def from_text(text: str, schema: dict[str, str] | None) -> tuple[pa.Table, Unset | None]:
    """Read CSV, JSON or NDJSON text (told apart by the first character)."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return _from_json(stripped, schema)
    return _from_csv(text, schema), None


def _from_json(text: str, schema: dict[str, str] | None) -> tuple[pa.Table, Unset | None]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        # Not one JSON document: newline-delimited rows.
        return _from_ndjson(text, schema), None
    if isinstance(obj, list):
        return from_rows(obj, schema)
    return from_columns(obj, schema), None


def _from_ndjson(text: str, schema: dict[str, str] | None) -> pa.Table:
    try:
        tbl = pajson.read_json(io.BytesIO(text.encode()))
    except pa.ArrowInvalid as exc:
        raise SchemaError(f"text is neither JSON nor NDJSON: {exc}") from exc
    _check_names(tbl.column_names)
    if schema is not None:
        return tbl
    cols = []
    for col in tbl.columns:
        if pa.types.is_string(col.type):
            col = infer_strings(col)
        elif pa.types.is_timestamp(col.type):
            # Arrow's JSON reader reads "2021-02-03" as a timestamp; a column of
            # midnights is dates, as Perspective infers them from JSON.
            col = _maybe_date(col)
        cols.append(narrow_int(col))
    return pa.Table.from_arrays(cols, names=tbl.column_names)


def _from_csv(text: str, schema: dict[str, str] | None) -> pa.Table:
    types = {}
    if schema is not None:
        types = {name: pa.string() for name, t in schema.items() if t in _AS_TEXT}
    convert = pacsv.ConvertOptions(
        column_types=types,
        strings_can_be_null=True,
        true_values=["true", "True", "TRUE"],
        false_values=["false", "False", "FALSE"],
        timestamp_parsers=[pacsv.ISO8601, "%m/%d/%Y"],
    )
    try:
        tbl = pacsv.read_csv(io.BytesIO(text.encode()), convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise SchemaError(f"cannot parse CSV text: {exc}") from exc
    _check_names(tbl.column_names)
    if schema is not None:
        return tbl
    cols = []
    for col in tbl.columns:
        if pa.types.is_string(col.type):
            # Arrow reads ISO datetimes with and without an offset in one column
            # as text; Perspective reads them as datetimes.
            with contextlib.suppress(ParseError):
                col = parse_temporal(col, "datetime", iso_only=True)[0]
        cols.append(narrow_int(col))
    return pa.Table.from_arrays(cols, names=tbl.column_names)


def _check_names(names: list[str]) -> None:
    # A repeated CSV header or JSON key: refuse rather than keep one column.
    check_column_names(names, reserved=False)


def _maybe_date(col: pa.ChunkedArray) -> pa.ChunkedArray:
    valid = pc.drop_null(col)
    if len(valid) and pc.all(pc.equal(pc.cast(valid, pa.date32()).cast(col.type), valid)).as_py():
        return col.cast(pa.date32())
    return col
