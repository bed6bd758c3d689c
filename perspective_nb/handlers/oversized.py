"""Discarding a websocket frame over the size limit without dropping the connection.

Tornado answers a frame longer than ``max_message_size`` by closing the
socket with the frame still arriving, which the client sees as a connection
reset (every pending call of every view on that connection fails). Instead,
:class:`DiscardingProtocol` reads such a frame's payload in small chunks and
throws it away, keeping only its first bytes, then hands those to the handler
flagged as oversized; the handler answers the request's ``msg_id`` with a
``server_error`` and the connection carries on. Memory stays bounded by the
chunk size, whatever the frame's announced length.

Only a single-frame message is discarded this way; a fragmented message over
the limit is still refused by tornado's own check (a close with code 1009).

Imports tornado; must not import jupyter.
"""

from __future__ import annotations

from typing import Any, Protocol

from tornado.websocket import WebSocketProtocol13

__all__ = ["DiscardingProtocol", "OversizedSink"]

#: Bytes of an oversized frame kept to read the request's msg_id and entity_id.
PEEK_BYTES = 512
_CHUNK = 64 * 1024
# Lets a single frame of any length reach _read_bytes (which enforces the real limit).
_UNBOUNDED = 1 << 62


class OversizedSink(Protocol):
    """What the handler offers the protocol: its limit and a place to report a frame."""

    @property
    def max_message_size(self) -> int: ...

    def oversized_frame(self, size: int) -> None: ...


class _Params:
    """tornado's protocol parameters, with the size check moved to the payload read."""

    def __init__(self, params: Any, protocol: DiscardingProtocol) -> None:
        self._params = params
        self._protocol = protocol

    def __getattr__(self, name: str) -> Any:
        return getattr(self._params, name)

    @property
    def max_message_size(self) -> int:
        # While a fragmented message is being assembled tornado's own check
        # applies (its total is only known to tornado).
        if self._protocol._fragmented_message_buffer is not None:
            return self._params.max_message_size
        return _UNBOUNDED


class DiscardingProtocol(WebSocketProtocol13):
    """WebSocket protocol 13 that skips over oversized frames (see the module docstring)."""

    def __init__(self, handler: Any, mask_outgoing: bool, params: Any) -> None:
        super().__init__(handler, mask_outgoing, params)
        self._limit = params.max_message_size
        self._sink: OversizedSink = handler
        self.params = _Params(params, self)

    @classmethod
    def supported(cls) -> bool:
        """Whether this tornado has the hooks the protocol relies on."""
        return hasattr(WebSocketProtocol13, "_read_bytes")

    async def _read_bytes(self, n: int) -> bytes:
        # Frame headers are at most 8 bytes, so a read past the limit is a payload.
        if n <= max(self._limit, 8):
            return await super()._read_bytes(n)
        head = await super()._read_bytes(min(n, PEEK_BYTES))
        remaining = n - len(head)
        while remaining:
            chunk = min(remaining, _CHUNK)
            await super()._read_bytes(chunk)
            remaining -= chunk
        self._sink.oversized_frame(n)
        return head
