"""The rows an ``on_update(mode="row")`` callback receives, as Perspective 5.x reports them.

After a write, a view in row mode reports the rows of the view the write
changed, in the view's order, as Arrow IPC bytes of the view's columns
(no row path and no key column):

- a flat view: the written rows (new versions of upserted keys, appended
  rows) that pass its filter, in its sort order (key order or arrival
  order when unsorted), with every split column the view has; a ``remove``
  reports no rows, a ``replace`` every new row that passes the filter;
- a grouped view: every shown row whose group holds a written or removed
  row (the total row and each touched ancestor) and whose shown values
  changed (or that is new), with its new aggregates; a split cell that
  became empty is not a change, and a group the write emptied is gone
  from the view and not reported. After a ``replace``, every shown row
  (none when no new row passes the filter); after a ``clear``, none.

Cost: a flat delta sorts only the written rows; a grouped delta reads the
view (the read the client makes next anyway) and matches the touched group
paths against its rows with integer codes (``np.unique`` on code rows), no
Python loop over rows.

Pure pyarrow + numpy.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .flat import compute_flat
from .outputs import Window
from .pivot import PivotFrame
from .upsert import key_order


class View(Protocol):
    """What a row delta reads of its :class:`~.view.View` (a protocol, so the
    view module, which calls :func:`row_delta`, is not imported here)."""

    config: Any
    _cache: Any
    _lock: Any
    _schema_all: dict[str, str]
    _table: Any

    def _frame(self) -> Any: ...

    def _filtered(self, rows: pa.Table | None) -> pa.Table | None: ...

    def _with_expressions(self, rows: pa.Table | None) -> pa.Table | None: ...

    def _pivot_window(self, *args: Any, **kwargs: Any) -> Any: ...

    def _window_of(self, *args: Any, **kwargs: Any) -> Any: ...


__all__ = ["row_delta"]


def row_delta(
    view: View, added: pa.Table | None, removed: pa.Table | None, reset: bool = False
) -> bytes:
    """Arrow IPC bytes of the rows of ``view`` a write changed (see the module docstring)."""
    if view.config.windows:
        return _windowed_delta(view, added, reset)
    if view.config.group_by:
        return _grouped_delta(view, added, removed, reset)
    return _flat_delta(view, added)


def _prepared(view: View, rows: pa.Table | None) -> pa.Table | None:
    """``rows`` with the view's expressions, filtered by the view's filter."""
    if rows is None:
        return None
    return view._filtered(view._with_expressions(rows))


def _flat_delta(view: View, added: pa.Table | None) -> bytes:
    table = view._table
    if added is None:
        added = table._storage_schema.empty_table()
    data = _prepared(view, added)
    index = table.get_index()
    if index is not None and data.num_rows > 1:
        # The view lists rows by key; ties of its sort keep that order.
        data = data.take(key_order(data.column(index)))
    frame = compute_flat(data, view._schema_all, view.config, index, None)
    if view.config.split_by:
        # The rows come with every split column the view now has, not just
        # those of their own split values.
        frame.split_paths = view._frame().split_paths
    return Window(view._window_of(frame, {}).columns).to_arrow()


def _windowed_delta(view: View, added: pa.Table | None, reset: bool) -> bytes:
    """Views with window columns: a write can change the windows of rows it did not touch.

    The rows reported are those whose shown values changed, compared by
    position with the view before the write when it still holds that
    version (rows past the old end are all new); otherwise every row.
    O(view rows): a windowed view is re-laid out from the whole table anyway.
    """
    with view._lock:
        cached = view._cache
        before = None
        if not reset and cached is not None and cached[0] == view._table.version - 1:
            before = view._window_of(cached[1], {}).columns
        frame = view._frame()
    after = view._window_of(frame, {} if added is not None or not reset else {"end_row": 0})
    columns = after.columns
    n = len(next(iter(columns.values()))) if columns else 0
    if before is None or list(before) != list(columns) or not n:
        return Window(columns).to_arrow()
    m = min(n, len(next(iter(before.values()))) if before else 0)
    changed = np.ones(n, dtype=bool)
    changed[:m] = False
    for name, new in columns.items():
        old, cur = before[name][:m], new[:m]
        same = pc.fill_null(pc.equal(cur, old), False)
        same = pc.or_(same, pc.and_(cur.is_null(), old.is_null()))
        changed[:m] |= ~same.to_numpy(zero_copy_only=False)
    rows = pa.array(np.flatnonzero(changed))
    return Window({name: col.take(rows) for name, col in columns.items()}).to_arrow()


def _grouped_delta(
    view: View, added: pa.Table | None, removed: pa.Table | None, reset: bool
) -> bytes:
    group_by = view.config.group_by
    touched: list[pa.Table] = []
    if not reset:
        written = [t for t in (added, removed) if t is not None and t.num_rows]
        touched = [t for t in (_prepared(view, t) for t in written) if t.num_rows]
    # The touched rows as the view showed them before the write, when it
    # still holds that version (it does after a previous delta or read):
    # read now, before the view applies the write.
    # Held across both reads: a concurrent reader must not apply the write
    # to the view's group state in between (its lazy columns read that state).
    with view._lock:
        before = None
        cached = view._cache
        if touched and cached is not None and cached[0] == view._table.version - 1:
            old = cached[1]
            if isinstance(old, PivotFrame):
                old_rows = _touched_rows(old, group_by, touched)
                before = view._pivot_window(old, old_rows, list(old.columns), {})
        frame = view._frame()
    names = list(frame.columns)
    if reset:
        # After a replace every shown row is new, unless no new row passes
        # the filter; after a clear none is left to report (the total row is
        # not reported either, as 5.6.1 does).
        shown = added is not None and _prepared(view, added).num_rows > 0
        rows = np.arange(frame.num_rows if shown else 0)
    elif touched:
        rows = _touched_rows(frame, group_by, touched)
        if before is not None:
            after = view._pivot_window(frame, rows, names, {})
            rows = rows[_changed(after, before, bool(view.config.split_by))]
    else:
        rows = np.zeros(0, np.int64)
    return Window(view._pivot_window(frame, rows, names, {}).columns).to_arrow()


def _changed(after: Window, before: Window, split: bool) -> np.ndarray:
    """Which rows of ``after`` are new or show other values than in ``before``.

    Perspective reports a touched group only if its shown values changed (a
    row replaced by another of the same value changes nothing), and does not
    count a split cell that became empty. One Python step per touched group
    row (the write's groups and their ancestors), not per table row.
    """
    old = before.to_columns()
    new = after.to_columns()
    old_paths = old.pop("__ROW_PATH__")
    new_paths = new.pop("__ROW_PATH__")
    previous = {
        tuple(path): {c: values[i] for c, values in old.items()} for i, path in enumerate(old_paths)
    }
    keep = np.ones(len(new_paths), dtype=bool)
    for i, path in enumerate(new_paths):
        shown = previous.get(tuple(path))
        if shown is None:
            continue  # a new group
        now = {c: values[i] for c, values in new.items()}
        keep[i] = any(shown.get(c) != v for c, v in now.items() if not (split and v is None))
    return keep


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    return values


def _touched_rows(
    frame: PivotFrame, group_by: tuple[str, ...], touched: list[pa.Table]
) -> np.ndarray:
    """Positions of the frame's rows whose group path holds a touched row."""
    depth = frame.depth
    n = len(depth)
    levels = len(group_by)
    m = sum(t.num_rows for t in touched)
    view_codes = np.zeros((n, levels), np.int64)
    touched_codes = np.zeros((m, levels), np.int64)
    for i, column in enumerate(group_by):
        shown = _plain(frame.paths[i])
        written = _plain(pa.chunked_array([t.column(column) for t in touched]))
        try:
            written = written.cast(shown.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return np.arange(n)  # values that cannot be compared: report every row
        both = pa.concat_arrays([shown, written])
        codes = pc.dictionary_encode(both, null_encoding="encode").indices
        codes = codes.to_numpy(zero_copy_only=False)
        view_codes[:, i] = codes[:n]
        touched_codes[:, i] = codes[n:]
    keep = depth == 0  # the total row sums every row
    for d in range(1, levels + 1):
        at = np.nonzero(depth == d)[0]
        if not len(at):
            continue
        wanted = np.unique(touched_codes[:, :d], axis=0)
        _, inverse = np.unique(np.vstack([wanted, view_codes[at, :d]]), axis=0, return_inverse=True)
        inverse = inverse.ravel()
        keep[at] = np.isin(inverse[len(wanted) :], inverse[: len(wanted)])
    return np.nonzero(keep)[0]
