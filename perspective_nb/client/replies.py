"""Reading a server's responses: decoding bytes, bodies with out-of-band payloads.

A reply is a ``Response`` message plus, for in-process clients, the large
value (Arrow, JSON, CSV) that travelled beside it instead of inside it. These
helpers give every client one view of both, and turn a 5.x server's scalar
``get_min_max`` reply into the 3.x shape the proxies decode.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from google.protobuf.message import DecodeError

from ..protocol import pb
from ..protocol.json_text import JsonText
from ..protocol.view_config import decode_scalar

__all__ = ["Decoder", "Reply", "parse_response", "reply_body", "reply_bytes"]

Decoder = Callable[[Any], Any]

#: A response and its out-of-band payload ``(field, value)``, if any.
Reply = tuple[pb.Response, "tuple[str, Any] | None"]


class _BodyWithPayload:
    """A response body whose large field travelled beside it, not inside it."""

    __slots__ = ("_body", "_field", "_value")

    def __init__(self, body: Any, field: str, value: Any) -> None:
        self._body, self._field, self._value = body, field, value

    def __getattr__(self, name: str) -> Any:
        return self._value if name == self._field else getattr(self._body, name)

    def HasField(self, name: str) -> bool:  # noqa: N802 - protobuf's name
        return name == self._field or self._body.HasField(name)


def reply_body(response: pb.Response, payload: tuple[str, Any] | None) -> Any:
    """The body of ``response`` (its set oneof field), with ``payload`` in place."""
    kind = response.WhichOneof("client_resp")
    body = getattr(response, kind) if kind else None
    if payload is None or body is None:
        return body
    return _BodyWithPayload(body, *payload)


def reply_bytes(response: pb.Response, payload: tuple[str, Any] | None) -> bytes:
    """Encode a reply as wire bytes, putting an out-of-band payload back in its field."""
    if payload is not None:
        kind = response.WhichOneof("client_resp")
        field, value = payload
        if isinstance(value, JsonText):
            value = str(value)
        setattr(getattr(response, kind), field, value)
    return response.SerializeToString()


def parse_response(data: bytes) -> Any:
    """Decode one response frame (a 3.x ``Response`` or a 5.x scalar min/max reply)."""
    try:
        return pb.Response.FromString(data)
    except DecodeError:
        # A 5.x server answers get_min_max with Scalars where 3.x sends JSON.
        return pb.ScalarMinMaxResponse.FromString(data)


def from_scalar_min_max(scalar: pb.ScalarMinMaxResponse) -> pb.Response:
    """Convert a 5.x scalar ``get_min_max`` reply into the 3.x JSON shape."""
    response = pb.Response(msg_id=scalar.msg_id, entity_id=scalar.entity_id)
    body = scalar.view_get_min_max_resp
    response.view_get_min_max_resp.min = json.dumps(decode_scalar(body.min))
    response.view_get_min_max_resp.max = json.dumps(decode_scalar(body.max))
    return response
