"""``ProxySession``: serve another peer's requests through an existing client.

A proxy session looks like a server session to its peer (it takes encoded
requests in ``handle_request`` and sends encoded responses to a callback),
but answers by forwarding each request through a :class:`~.client.Client`
that is already connected to a server, local or remote. A widget or web
handler can so expose the tables of the client it holds, without a server of
its own.

Requests travel under fresh ids of the client (so they never collide with
the client's own calls) and replies go back under the peer's ids; streaming
requests (``on_update``, ``on_delete``, subscribed ``get_hosted_tables``)
keep routing until the peer removes them or the session closes. ``close()``
deletes the views the peer opened through it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from google.protobuf.message import DecodeError

from ..protocol import pb
from .connection import Connection
from .replies import reply_bytes

__all__ = ["ProxySession"]

log = logging.getLogger(__name__)

# Requests answered by a stream of replies, not one.
_STREAMING = {"view_on_update_req", "view_on_delete_req", "table_on_delete_req"}

# What cancels a stream that outlives the views the session deletes on close.
_CANCEL_OF = {
    "table_on_delete_req": "table_remove_delete_req",
    "get_hosted_tables_req": "remove_hosted_tables_update_req",
}

# Requests cancelling a stream: their ``id`` names the streaming request.
_CANCELS = {
    "view_remove_on_update_req",
    "view_remove_delete_req",
    "table_remove_delete_req",
    "remove_hosted_tables_update_req",
}


class ProxySession:
    """A session that answers its peer through ``client``.

    Parameters
    ----------
    client : Client or AsyncClient
        A connected client; the peer's requests go through it.
    handle_request : callable
        ``handle_request(bytes)`` sends one encoded response to the peer
        (perspective-python's name; it may be a coroutine function).

    Examples
    --------
    >>> from perspective_nb import Client, Server
    >>> local = Server().new_local_client()
    >>> _ = local.table({"a": [1, 2]}, name="shared")
    >>> proxy = ProxySession(local, lambda response: peer.handle_response(response))
    >>> peer = Client(proxy.handle_request)
    >>> peer.open_table("shared").size()
    2
    """

    def __init__(self, client: Connection, handle_request: Callable[[bytes], Any]) -> None:
        self._client = client
        self._respond = handle_request
        self._lock = threading.Lock()
        # peer msg_id -> (client msg_id, request kind, entity), for streams
        # the peer may cancel later (and this session cancels on close)
        self._streams: dict[int, tuple[int, str, str]] = {}
        self._views: set[str] = set()
        self._closed = False
        self._tasks: set[asyncio.Future[Any]] = set()

    def _reply(self, response: pb.Response, payload: Any, peer_id: int) -> None:
        response.msg_id = peer_id
        outcome = self._respond(reply_bytes(response, payload))
        if inspect.isawaitable(outcome):
            # An async transport: send on the running loop, keeping the task alive.
            task = asyncio.ensure_future(outcome)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _error(self, peer_id: int, entity_id: str, message: str) -> None:
        response = pb.Response(msg_id=peer_id, entity_id=entity_id)
        response.server_error.message = message
        self._reply(response, None, peer_id)

    def handle_request(self, data: bytes) -> None:
        """Forward one encoded request from the peer; its replies go to the callback."""
        try:
            request = pb.Request.FromString(bytes(data))
        except (DecodeError, TypeError, ValueError) as exc:
            self._error(0, "", f"malformed request ({exc}); expected a protobuf Request")
            return
        if self._closed:
            self._error(request.msg_id, request.entity_id, "this proxy session is closed")
            return
        kind = request.WhichOneof("client_req")
        peer_id = request.msg_id
        streaming = kind in _STREAMING or (
            kind == "get_hosted_tables_req" and request.get_hosted_tables_req.subscribe
        )
        if kind in _CANCELS:
            body = getattr(request, kind)
            with self._lock:
                stream = self._streams.pop(body.id, None)
            if stream is not None:
                body.id = stream[0]
                self._client._stop_forward(body.id)
        if kind == "table_make_view_req":
            with self._lock:
                self._views.add(request.table_make_view_req.view_id)
        elif kind == "view_delete_req":
            with self._lock:
                self._views.discard(request.entity_id)

        def on_reply(response: pb.Response, payload: Any) -> bool:
            if not self._closed:
                self._reply(response, payload, peer_id)
            return streaming

        try:
            client_id = self._client._forward(request, on_reply)
        except Exception as exc:
            self._error(peer_id, request.entity_id, f"{type(exc).__name__}: {exc}")
            return
        if streaming:
            with self._lock:
                self._streams[peer_id] = (client_id, kind, request.entity_id)

    async def handle_request_async(self, data: bytes) -> None:
        """:meth:`handle_request`, awaitable (for async transports)."""
        self.handle_request(data)

    def close(self) -> None:
        """Stop every stream and delete the views the peer opened (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            streams, self._streams = list(self._streams.values()), {}
            views, self._views = list(self._views), set()
        requests = []
        for client_id, kind, entity_id in streams:
            self._client._stop_forward(client_id)
            cancel = _CANCEL_OF.get(kind)
            if cancel is not None:
                request = pb.Request(entity_id=entity_id)
                getattr(request, cancel).id = client_id
                requests.append(request)
        for view_id in views:
            request = pb.Request(entity_id=view_id)
            request.view_delete_req.SetInParent()
            requests.append(request)
        for request in requests:
            try:
                self._client._forward(request, lambda response, payload: False)
            except Exception:
                log.debug("cleaning up a closed proxy session failed", exc_info=True)
