"""Calling user callbacks (on_update, on_delete) without letting one break the rest.

A write that succeeded stays successful whatever a subscriber does: a
callback that raises is logged (with its traceback) and the remaining
subscribers are still called — websocket clients among them.

Pure Python: no I/O beyond the ``logging`` module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["call_safely"]

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
