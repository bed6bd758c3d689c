"""User callbacks (on_update, on_delete): who is subscribed, and calling them safely.

:class:`Subscribers` is the registry tables and views (in-memory and
virtual) keep per kind of callback; :class:`DeleteCallbacks` and
:class:`UpdateCallbacks` give them the ``on_delete`` / ``on_update``
surface over those registries. A write that succeeded stays
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

from ..errors import ConfigError

__all__ = ["DeleteCallbacks", "Subscribers", "UpdateCallbacks", "call_safely"]

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


class DeleteCallbacks:
    """``on_delete`` / ``remove_delete`` of a table or view (a mixin).

    The owner keeps a :class:`Subscribers` as ``_delete_callbacks`` and, when
    it is deleted, drains it under its lock and calls :meth:`_fire_delete`
    outside it.
    """

    _delete_callbacks: Subscribers

    def on_delete(self, callback: Callable[[], None]) -> int:
        """Call ``callback()`` when this is deleted; returns an id for ``remove_delete``."""
        return self._delete_callbacks.add(callback)

    def remove_delete(self, callback_id: int) -> None:
        """Unregister an ``on_delete`` callback."""
        self._delete_callbacks.remove(callback_id)

    @staticmethod
    def _fire_delete(callbacks: list[Callable[[], None]], what: str) -> None:
        for cb in callbacks:
            call_safely(cb, what=what)


class UpdateCallbacks(DeleteCallbacks):
    """``on_update`` (with ``mode=None | "row"``) and ``on_delete`` of a view (a mixin).

    The owner keeps ``(callback, mode)`` pairs in ``_update_callbacks`` and
    calls :meth:`_fire_update` after each write with a function making the
    row delta, which runs only when a ``"row"`` subscriber wants it.
    """

    _update_callbacks: Subscribers

    def _add_update(self, callback: Callable[..., None], mode: str | None) -> int:
        if mode not in (None, "row"):
            raise ConfigError(f"on_update mode must be None or 'row', got {mode!r}")
        return self._update_callbacks.add((callback, mode))

    def remove_update(self, callback_id: int) -> None:
        """Unregister an ``on_update`` callback."""
        self._update_callbacks.remove(callback_id)

    def _fire_update(self, port_id: int, make_delta: Callable[[], Any], what: str) -> None:
        callbacks = self._update_callbacks.snapshot()
        delta = make_delta() if any(mode == "row" for _, mode in callbacks) else None
        for cb, mode in callbacks:
            call_safely(cb, port_id, delta if mode == "row" else None, what=what)
