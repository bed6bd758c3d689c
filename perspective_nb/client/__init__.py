"""The client side of Perspective's protocol: clients and the Table/View proxies.

:class:`Client` (and its asyncio twin :class:`AsyncClient`) is
perspective-python's client API over any transport: construct it with a
``handle_request`` function, or get one from ``Server.new_local_client()``
(:class:`LocalClient`, in-process), :func:`websocket` or
:func:`async_websocket` (a remote server; their module, :mod:`.remote`, and
so tornado, load on first use). :class:`ProxySession` serves another client's
requests through an existing client.

Imports the engine (argument checks, schema detection) and the protocol; the
server package imports this one, never the reverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .async_client import AsyncClient
from .client import Client
from .local import LocalClient
from .proxy_session import ProxySession
from .table_proxy import Table
from .view_proxy import View

if TYPE_CHECKING:
    from .remote import AsyncWebsocketClient, WebsocketClient

__all__ = [
    "AsyncClient",
    "Client",
    "LocalClient",
    "ProxySession",
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
