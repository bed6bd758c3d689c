"""Derived tables: ``client.table(view)``, a read-only table that follows its view.

As Perspective 5.x keeps them (docs: ``explanation/derived_table.md``):

- an unpivoted view gives its own columns (expressions included) and one
  row per row passing its ``filter``, in the source table's row order (the
  view's ``sort`` does not order it); the source's ``index`` is inherited
  when the index column is among the view's columns, and its ``limit``;
- a pivoted view gives the rows it shows (subtotals and the grand total
  under the default rollup) with each ``group_by`` column as a key column of
  that bare name (null above its depth); a data column of the same name is
  qualified by its aggregate (``"x (sum)"``); split columns keep their paths;
- ``schema={...}`` fixes the columns: one the view lacks is null, one the
  schema leaves out is dropped, a type that disagrees is an error;
- it is read-only (``update``, ``remove``, ``replace`` and ``clear`` raise),
  and takes no ``index`` or ``limit`` of its own.

The table reads an internal copy of the view without ``sort`` and, after
every write to the source table, replaces its rows with that view's output:
O(view rows) per source write, like a view read.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..errors import ConfigError, PerspectiveError, SchemaError
from .dtypes import arrow_type_to_perspective
from .ingest import schema_to_empty_table
from .storage import to_storage
from .table import Table
from .view import View

__all__ = ["ViewTable"]

_GROUP_SUFFIX = " (Group by "


def _rows(view: View, schema: dict[str, str] | None) -> pa.Table:
    """The derived table's rows: ``view``'s output with key columns named bare."""
    # The view names columns as 5.x does: a group-by level by its column, an
    # aggregate of that same column "<col> (<aggregate>)". A level still
    # named "<col> (Group by N)" (3.x naming) is renamed bare.
    out = view.to_table()
    names = list(out.column_names)
    for i, name in enumerate(names):
        if _GROUP_SUFFIX in name and name.endswith(")"):
            names[i] = name[: name.index(_GROUP_SUFFIX)]
    out = out.rename_columns(names)
    if schema is None:
        return out
    empty = schema_to_empty_table(schema)
    cols = []
    for field in empty.schema:
        if field.name not in out.column_names:
            cols.append(pa.nulls(out.num_rows, field.type))
            continue
        col = out.column(field.name)
        have = arrow_type_to_perspective(col.type)
        if have != schema[field.name]:
            raise SchemaError(
                f"schema gives column {field.name!r} type {schema[field.name]}, but the view's "
                f"column is {have}; declare it as {have} or leave it out"
            )
        cols.append(col)
    return pa.Table.from_arrays(cols, names=empty.column_names)


class ViewTable(Table):
    """A read-only table holding a view's rows, kept up to date with its source.

    Parameters
    ----------
    view
        The source view (an engine :class:`~.view.View`).
    name
        The name the table is hosted under.
    schema
        Optional ``{column: type}`` fixing the table's columns.

    Raises
    ------
    SchemaError
        For a ``schema`` type that disagrees with the view's column.
    """

    def __init__(self, view: View, *, name: str, schema: dict[str, str] | None = None) -> None:
        source = view._table
        config = view.get_config()
        # Rollup modes decide which rows the view shows (get_config may omit them).
        for mode in ("group_rollup_mode", "split_rollup_mode"):
            if getattr(view.config, mode, None) is not None:
                config[mode] = getattr(view.config, mode)
        self.source_view = view
        self._source = source
        self._fixed_schema = dict(schema) if schema else None
        # The view without its sort: rows in the source's order.
        self._shadow = source.view(**{**config, "sort": []})
        try:
            rows = _rows(self._shadow, self._fixed_schema)
            flat = not (config.get("group_by") or config.get("split_by"))
            index = source.get_index() if flat else None
            if index is not None and index not in rows.column_names:
                index = None
            limit = source.get_limit() if hasattr(source, "get_limit") else None
            super().__init__(
                rows,
                name=name,
                index=index,
                limit=None if index is not None else limit,
            )
            self._hook = source.add_dependent(name, self._source_changed)
        except BaseException:
            self._shadow.delete()
            raise

    def _source_changed(self) -> None:
        """Replace the rows with the view's output (runs in the writer's thread)."""
        with self._lock:
            if self._deleted:
                return
            rows = _rows(self._shadow, self._fixed_schema)
            if rows.column_names != self._storage_schema.names:
                # A split value that appeared or went: keep the columns made at creation.
                rows = _conform(rows, self._storage_schema)
            rows = to_storage(rows, key=self._index)
            if rows.schema != self._storage_schema:
                rows = rows.cast(self._storage_schema)
            self._swap(self._fresh_store(rows), None)
        self._notify(0, self._state[1].table(), None, reset=True)  # as replace() reports

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise PerspectiveError(
            f"cannot update the read-only derived table {self._name!r}: it follows a view of "
            f"table {self._source.get_name()!r}; update that table instead"
        )

    update = remove = replace = clear = _refuse  # type: ignore[assignment]

    def delete(self) -> None:
        """Delete the table and stop following its view."""
        was_deleted = self._deleted
        super().delete()
        if not was_deleted:
            self._source.remove_dependent(self._hook)
            self._shadow.delete()


def _conform(rows: pa.Table, schema: pa.Schema) -> pa.Table:
    """``rows`` with exactly ``schema``'s columns (missing ones null)."""
    cols = [
        rows.column(f.name) if f.name in rows.column_names else pa.nulls(rows.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(cols, names=schema.names)


def check_no_options(index: str | None, limit: int | None) -> None:
    """A table made from a view takes its identity from the view.

    Raises
    ------
    ConfigError
        When ``index`` or ``limit`` is given.
    """
    if index is not None or limit is not None:
        raise ConfigError(
            "index and limit cannot be set on a table made from a view: it inherits the "
            "source table's; drop them"
        )
