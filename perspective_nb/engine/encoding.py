"""Value-ordered integer codes for group_by / split_by columns.

Grouping on small integers is the fastest thing Arrow's hash aggregation
does, and codes assigned in *sorted value order* make the default row
order (ascending, nulls first, as Perspective shows groups) a plain integer
sort. Code 0 is null; 1..k are the k distinct values in ascending order.

Pure pyarrow + numpy.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .dtypes import value_type

__all__ = ["Encoded", "encode", "format_label", "value_labels"]


@dataclass(frozen=True)
class Encoded:
    """Codes of one column: ``codes[i]`` is 0 for null, else 1 + rank of the value."""

    codes: np.ndarray  # int32, one per row
    values: pa.Array  # the distinct values in ascending order (no nulls)

    def decode(self, codes: np.ndarray) -> pa.Array:
        """Values for ``codes`` (null for code 0)."""
        idx = pa.array(codes.astype(np.int64) - 1, mask=codes <= 0)
        return self.values.take(idx)

    def code_of(self, value: object) -> int:
        """The code of one value (0 for null, -1 when absent)."""
        if value is None:
            return 0
        try:
            scalar = pa.scalar(value, self.values.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return -1
        pos = pc.index(self.values, scalar).as_py()
        return pos + 1 if pos >= 0 else -1


def value_labels(enc: Encoded, codes: np.ndarray) -> list[str]:
    """Perspective's text for split values (used in ``a|b|col`` column names)."""
    vals = enc.decode(codes)
    return [format_label(v) for v in vals.to_pylist()]


def format_label(value: object) -> str:
    """One value as Perspective names it in a column path."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # C++ stream formatting: six significant digits.
        return format(value, "g")
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"

    return str(value)


def encode(col: pa.ChunkedArray | pa.Array) -> Encoded:
    """Encode a column into value-ordered codes (vectorised; O(N) + sort of distinct values)."""
    if isinstance(col, pa.Array):
        col = pa.chunked_array([col])
    if len(col) == 0:
        return Encoded(np.zeros(0, np.int32), pa.array([], value_type(col.type)))
    if pa.types.is_dictionary(col.type):
        col = pa.table({"c": col}).unify_dictionaries().column("c")
    else:
        col = pc.dictionary_encode(col)
    dictionary = col.chunk(0).dictionary
    # Rank the dictionary once: distinct values only, so the sort is cheap.
    order = pc.sort_indices(dictionary).to_numpy()
    rank = np.empty(len(dictionary) + 1, dtype=np.int32)
    rank[order] = np.arange(1, len(dictionary) + 1, dtype=np.int32)
    rank[-1] = 0  # index -1 (null) maps to code 0
    idx = np.concatenate(
        [pc.fill_null(c.indices, -1).to_numpy(zero_copy_only=False) for c in col.chunks]
    ).astype(np.int64)
    codes = rank[idx]
    values = dictionary.take(pa.array(order))
    return Encoded(codes, values)
