"""Serving the engine over Perspective's protocol: Server, Session and clients.

``Server`` hosts engine tables by name; ``Server.new_session(send)`` gives a
``Session`` whose ``handle_request(bytes)`` is the only transport seam.
``Server.new_local_client()`` returns a ``Client`` with perspective-python's
API that goes through that same seam in-process; :func:`websocket` and
:func:`async_websocket` connect the same API to a remote server (their
module, :mod:`.remote`, and so tornado, load on first use).

Imports the engine and protocol; must not import handlers or jupyter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .client import Client
from .local import LocalClient
from .server import Server
from .session import Session
from .table_proxy import Table
from .view_proxy import View

if TYPE_CHECKING:
    from .remote import AsyncWebsocketClient, WebsocketClient

__all__ = [
    "Client",
    "LocalClient",
    "Server",
    "Session",
    "Table",
    "View",
    "async_websocket",
    "websocket",
]


def websocket(url: str) -> WebsocketClient:
    """Connect to a Perspective websocket server; return a synchronous client.

    The client runs its own IO thread; call ``terminate()`` when done.

    Examples
    --------
    >>> client = websocket("ws://localhost:8080/websocket")  # doctest: +SKIP
    >>> client.open_table("trades").view(group_by=["region"]).to_records()  # doctest: +SKIP
    """
    from .remote import websocket as connect

    return connect(url)


async def async_websocket(url: str) -> AsyncWebsocketClient:
    """Connect from a running asyncio loop; every method of the client is awaitable.

    Examples
    --------
    >>> client = await async_websocket("ws://localhost:8080/websocket")  # doctest: +SKIP
    >>> table = await client.open_table("trades")  # doctest: +SKIP
    """
    from .remote import async_websocket as connect

    return await connect(url)
