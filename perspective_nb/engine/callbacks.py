"""User callbacks (on_update, on_delete): who is subscribed, and calling them safely.

:class:`Subscribers` is the registry tables and views (in-memory and
virtual) keep per kind of callback. A write that succeeded stays
successful whatever a subscriber does: a callback that raises is logged
(with its traceback) and the remaining subscribers are still called —
websocket clients among them.

Pure Python: no I/O beyond the ``logging`` module.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Subscribers", "call_safely"]

log = logging.getLogger("perspective_nb")


def call_safely(callback: Callable[..., Any], *args: Any, what: str) -> None:
    """Call ``callback(*args)``; log and swallow any exception it raises.

    Parameters
    ----------
    callback
        The user's callback.
    what
        Names the subscription in the log message (e.g. ``"on_update of table 't'"``).
    """
    try:
        callback(*args)
    except Exception:
        log.exception(
            "%s callback %r raised; the write stands and the other subscribers "
            "were still notified (fix the callback to silence this)",
            what,
            callback,
        )


class Subscribers:
    """Subscriptions by id: ``add`` returns the id ``remove`` takes.

    Owners call what a snapshot holds outside their own locks (a callback
    may read or write any table). Ids come from ``ids``, which several
    registries of one owner may share (a view's ``on_update`` and
    ``on_delete`` ids never coincide).
    """

    def __init__(self, ids: Iterator[int] | None = None) -> None:
        self._ids = ids if ids is not None else itertools.count(1)
        self._items: dict[int, Any] = {}
        self._lock = threading.Lock()

    def add(self, item: Any) -> int:
        """Subscribe ``item`` (a callback, or a callback with its options)."""
        with self._lock:
            cid = next(self._ids)
            self._items[cid] = item
            return cid

    def remove(self, cid: int) -> None:
        """Unsubscribe ``cid``; an unknown id is ignored."""
        with self._lock:
            self._items.pop(cid, None)

    def snapshot(self) -> list[Any]:
        """The subscribed items now, to call outside any lock."""
        with self._lock:
            return list(self._items.values())

    def drain(self) -> list[Any]:
        """The subscribed items, unsubscribing them all (an owner being deleted)."""
        with self._lock:
            items = list(self._items.values())
            self._items.clear()
            return items

    def __len__(self) -> int:
        return len(self._items)
