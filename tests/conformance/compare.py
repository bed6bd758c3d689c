"""Compare one view config across engines: every read of the view, row for row.

``assert_same_view(expected, actual, cfg)`` opens ``cfg`` on two client
tables holding the same rows (the in-memory engine's is ``expected``) and
compares what a user reads: the row count, the schema, the column paths,
``to_columns`` (tree order and ``__ROW_PATH__`` included), and on request
``to_json``, ``to_arrow``, ``to_csv`` and ``get_min_max``. Floats are
compared to 9 significant digits: a database sums in another order.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import pyarrow as pa

from perspective_nb.engine.sql.aggregates import SQL_AGGREGATES
from tests.oracle.strategies import ptype

#: Everything :func:`assert_same_view` can compare; ``"columns"`` is always read.
OUTPUTS = ("columns", "json", "arrow", "csv", "min_max")


def _norm(v: Any) -> Any:
    if isinstance(v, float):
        return None if math.isnan(v) else float(f"{v:.9g}")
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return tuple(_norm(x) for x in v)
    return v


def _csv_cells(text: str) -> list[list[Any]]:
    """CSV text as rows of cells, numbers read as floats rounded like :func:`_norm`."""
    rows = []
    for row in csv.reader(io.StringIO(text)):
        cells = []
        for cell in row:
            try:
                cells.append(_norm(float(cell)))
            except ValueError:
                cells.append(cell)
        rows.append(cells)
    return rows


def _arrow(data: bytes) -> tuple[pa.Schema, dict[str, list[Any]]]:
    table = pa.ipc.open_stream(data).read_all()
    return table.schema, _norm(table.to_pydict())


def assert_same_columns(actual: dict, expected: dict, context: Any = None) -> None:
    """``to_columns`` outputs equal: the same columns in the same order, the same values."""
    a, b = _norm(actual), _norm(expected)
    assert list(a) == list(b), f"column order differs for {context}: {list(a)} != {list(b)}"
    for k in a:
        assert a[k] == b[k], (
            f"column {k!r} differs for {context}:\nactual   {a[k]}\nexpected {b[k]}"
        )


def assert_same_view(
    expected: Any,
    actual: Any,
    cfg: dict,
    window: dict | None = None,
    outputs: tuple[str, ...] = ("columns",),
) -> None:
    """Open ``cfg`` on both client tables and compare the views' reads (see module doc)."""
    window = window or {}
    context = (cfg, window)
    ours = actual.view(**cfg)  # first: a view the engine refuses leaves nothing open
    theirs = expected.view(**cfg)
    try:
        assert ours.num_rows() == theirs.num_rows(), context
        assert ours.schema() == theirs.schema(), context
        assert ours.column_paths() == theirs.column_paths(), context
        assert_same_columns(ours.to_columns(**window), theirs.to_columns(**window), context)
        if "json" in outputs:
            assert _norm(ours.to_json(**window)) == _norm(theirs.to_json(**window)), context
        if "arrow" in outputs:
            a, b = _arrow(ours.to_arrow(**window)), _arrow(theirs.to_arrow(**window))
            assert a[0] == b[0], f"Arrow schema differs for {context}:\n{a[0]}\n{b[0]}"
            assert a[1] == b[1], context
        if "csv" in outputs:
            assert _csv_cells(ours.to_csv(**window)) == _csv_cells(theirs.to_csv(**window)), context
        if "min_max" in outputs:
            for column in dict.fromkeys(cfg.get("columns") or expected.columns()):
                assert _norm(list(ours.get_min_max(column))) == _norm(
                    list(theirs.get_min_max(column))
                ), (column, context)
    finally:
        ours.delete()
        theirs.delete()


def supported(cfg: dict) -> dict:
    """``cfg`` without the aggregates virtual tables refuse (generated configs)."""
    cfg = dict(cfg)
    aggs = {c: a for c, a in cfg.get("aggregates", {}).items() if a in SQL_AGGREGATES[ptype(c)]}
    cfg.pop("aggregates", None)
    if aggs:
        cfg["aggregates"] = aggs
    return cfg


#: Percentages compiled for virtual tables in Perspective 3.x's meaning only;
#: with split_by a virtual table refuses them.
SPLIT_PERCENTAGES = ("pct sum parent", "pct sum grand total")


def refused_on_virtual_tables(cfg: dict) -> bool:
    """A split view with a percentage aggregate: virtual tables refuse it."""
    aggs = cfg.get("aggregates") or {}
    return bool(cfg.get("split_by")) and any(a in SPLIT_PERCENTAGES for a in aggs.values())
