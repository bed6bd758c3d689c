"""Flat views (no group_by): filtered rows, their sort order and split columns.

A flat view keeps the filtered rows and a sort order over them; reads
gather only the viewport (``take`` of the window's indices). With split_by,
each output column holds a row's value only under that row's own split
values; Perspective aggregates each row alone there, so its own cell shows
the type's zero instead of null (and sorts by it).

Pure pyarrow + numpy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .config import ViewConfig
from .dtypes import decoded, zero_scalar
from .encoding import encode, format_label
from .pivot import row_sort_specs

__all__ = ["FlatFrame", "SortOrder", "compute_flat", "split_window"]


class SortOrder:
    """The sorted row order of a flat view, computed as far as reads need it.

    A grid first asks for the top 100 rows: those come from a top-k
    selection (O(N)) with the row number as the last key, which makes the
    unstable selection agree exactly with the stable full sort. Reading
    past the first few thousand rows computes (and caches) the full sort.
    """

    _TOP_K_LIMIT = 4096

    def __init__(self, keys: pa.Table, sort_keys: list[tuple[str, str, str]]) -> None:
        self._keys = keys
        self._sort_keys = sort_keys
        self._full: pa.Array | None = None
        self._lock = threading.Lock()
        # Top-k cannot place nulls first, so it is used only without nulls.
        self._top_k_ok = not any(c.null_count for c in keys.columns)

    def window(self, start: int, end: int) -> pa.Array:
        n = self._keys.num_rows
        if self._full is None and self._top_k_ok and end <= self._TOP_K_LIMIT and n > 8 * end:
            if end == 0:
                return pa.array([], pa.uint64())
            tbl = self._keys.append_column("__row", pa.array(np.arange(n)))
            keys = [(k, o) for k, o, _ in self._sort_keys] + [("__row", "ascending")]
            top = pc.select_k_unstable(tbl, k=end, sort_keys=keys)
            return top.slice(start)
        with self._lock:
            if self._full is None:
                self._full = pc.sort_indices(self._keys, sort_keys=self._sort_keys)
        return self._full.slice(start, end - start)


@dataclass
class FlatFrame:
    """The rows of a flat view (``source``), their order and their split paths."""

    source: pa.Table
    order: SortOrder | None
    ids: pa.Array
    split_paths: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    @property
    def split_cols(self) -> list[str]:
        """Output names of the split columns: ``value|value|column``."""
        return ["|".join((*labels, col)) for labels, col in self.split_paths]

    @property
    def num_rows(self) -> int:
        return self.source.num_rows


def compute_flat(
    data: pa.Table,
    schema: dict[str, str],
    cfg: ViewConfig,
    index: str | None,
    rownums: pa.Array | None,
) -> FlatFrame:
    """Order the (already filtered) rows of a flat view and find its split paths."""
    index = index
    if index is not None:
        ids = data.column(index)
    else:
        ids = rownums if rownums is not None else pa.array(np.arange(data.num_rows))
    sorts = row_sort_specs(cfg)
    order = None
    if sorts:
        keys, cols = [], {}
        for i, (c, d) in enumerate(sorts):
            col = data.column(c)
            if cfg.split_by:
                # Rows of a flat split view are aggregated alone (nulls become zeros).
                plain = decoded(col)
                col = pc.fill_null(plain, zero_scalar(schema[c], plain.type))
            if d.endswith("abs"):
                col = pc.fill_null(pc.abs(col), 0)  # abs sorts count a null as 0
            if schema[c] == "string":
                # Sort strings by their value-ordered codes (null = 0 sorts
                # first ascending, last descending, as Perspective does).
                col = pa.array(encode(col).codes)
            cols[f"k{i}"] = col
            desc = d.startswith("desc")
            keys.append(
                (
                    f"k{i}",
                    "descending" if desc else "ascending",
                    "at_end" if desc else "at_start",
                )
            )
        order = SortOrder(pa.table(cols), keys)
    split_paths = _split_paths(data, cfg) if cfg.split_by else []
    return FlatFrame(data, order, ids, split_paths)


def _split_paths(data: pa.Table, cfg: ViewConfig) -> list[tuple[tuple[str, ...], str]]:
    encs = [encode(data.column(c)) for c in cfg.split_by]
    if not encs or data.num_rows == 0:
        return []
    codes = pa.table({f"s{j}": pa.array(e.codes) for j, e in enumerate(encs)})
    combos = codes.group_by(codes.column_names, use_threads=False).aggregate([])
    cm = np.column_stack([combos.column(k).to_numpy() for k in codes.column_names])
    cm = cm[np.lexsort(cm.T[::-1])]
    labels = [[format_label(v) for v in e.decode(cm[:, j]).to_pylist()] for j, e in enumerate(encs)]
    values = [tuple(lab[i] for lab in labels) for i in range(len(cm))]
    if cfg.split_rollup_mode == "rollup":
        # Each split path is preceded by its shorter paths not yet shown, the
        # row's own values (the empty path) first, as 5.x lays them out.
        rolled: list[tuple[str, ...]] = [()]
        for v in values:
            rolled.extend(v[:j] for j in range(1, len(v) + 1) if v[:j] not in rolled)
        values = rolled
    return [(v, c) for v in values for c in cfg.columns]


def split_window(
    part: pa.Table,
    paths: list[tuple[tuple[str, ...], str]],
    cfg: ViewConfig,
    schema: dict[str, str],
) -> dict[str, pa.Array]:
    """The split columns ``paths`` for the window rows ``part``."""
    labels = [pc.fill_null(_labels(part.column(c)), "null") for c in cfg.split_by]
    out = {}
    for values, col in paths:
        hit = pa.array(np.ones(part.num_rows, bool))  # a rollup path's prefix may be empty
        for lab, v in zip(labels, values, strict=False):
            m = pc.equal(lab, v)
            hit = m if hit is None else pc.and_(hit, m)
        raw = part.column(col)
        src = decoded(raw)
        src = pc.fill_null(src, zero_scalar(schema[col], src.type))
        cell = pc.if_else(hit, src, pa.nulls(len(src), src.type))
        if pa.types.is_dictionary(raw.type):
            cell = pc.dictionary_encode(cell)  # strings stay dictionary-encoded, as stored
        out["|".join((*values, col))] = cell
    return out


def _labels(col: pa.ChunkedArray) -> pa.ChunkedArray:
    t = col.type
    if pa.types.is_timestamp(t):
        col = col.cast(pa.timestamp("ms", t.tz))
    if pa.types.is_dictionary(t):
        col = col.cast(t.value_type)
    if pa.types.is_floating(col.type):
        # Window rows only: formatting each float in Python is O(viewport).
        return pa.array(
            [None if v is None else format_label(v) for v in col.to_pylist()], pa.string()
        )
    if pa.types.is_boolean(col.type):
        return pc.if_else(col, "true", "false")
    return col.cast(pa.string())
