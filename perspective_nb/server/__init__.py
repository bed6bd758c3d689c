"""The server side of Perspective's protocol: Server, sessions, request handlers.

``Server`` hosts engine tables by name; ``Server.new_session(send)`` gives a
``Session`` whose ``handle_request(bytes)`` is the only transport seam (the
handlers for each request type are in ``client_requests``,
``table_requests`` and ``view_requests``, dispatched through
:mod:`.dispatch`). ``AsyncServer`` gives sessions for asyncio transports.
The clients (local, remote, and the Table/View proxies) are in
:mod:`perspective_nb.client`; this package imports that one, never the
reverse.
"""

from __future__ import annotations

from .async_server import AsyncServer, AsyncSession
from .registry import Registry
from .server import Server
from .session import Session

__all__ = ["AsyncServer", "AsyncSession", "Registry", "Server", "Session"]
