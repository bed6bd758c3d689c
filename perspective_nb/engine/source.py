"""What a :class:`~.view.View` reads from its table: the ``TableSource`` protocol.

Views depend on this protocol, not on :class:`~.table.Table`, so the table
module (which opens views) and the view module do not import each other.
"""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa

__all__ = ["TableSource"]


class TableSource(Protocol):
    """The read side of a table, as a view uses it."""

    @property
    def version(self) -> int:
        """Number of the current version (one per write)."""
        ...

    def get_name(self) -> str: ...

    def get_index(self) -> str | None: ...

    def schema(self) -> dict[str, str]: ...

    def size(self) -> int: ...

    def current(self) -> tuple[int, Any]:
        """The current version and its :class:`~.store.Store`, read together."""
        ...

    def snapshot(self) -> tuple[int, pa.Table]:
        """The current version and every row, read together."""
        ...

    def changes_since(self, version: int) -> tuple[int, list[Any]] | None:
        """The row deltas written since ``version`` (None if not all known)."""
        ...

    def release_view(self, view: Any) -> None:
        """Forget a deleted view (no more update notifications)."""
        ...
