"""Which handler answers which request: the one table a session dispatches on.

Maps a ``Request``'s oneof field name to ``handler(session, request,
response) -> bool`` (whether to send the response now; False for streams
answered later). The server hands this table to each session, so the
session module does not import the handlers (which refer to sessions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import client_requests, table_requests, view_requests

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Any, Any, Any], bool]

HANDLERS: dict[str, Handler] = {
    **client_requests.HANDLERS,
    **table_requests.HANDLERS,
    **view_requests.HANDLERS,
}
