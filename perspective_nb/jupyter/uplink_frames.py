"""The private framing of the kernel uplink (hub <-> kernel websocket).

One kernel uplink carries the Perspective traffic of many browser sessions.
Binary frames are ``<u32 big-endian session number><Perspective protobuf
bytes>``, unchanged in both directions; text frames are small JSON control
messages (``register`` / ``unregister`` a table name, ``reply`` to one,
``close`` a session). Session number 0 is the hub's own session (it asks
kernels for table sizes and schemas).

This module is pure data: it imports nothing from tornado, jupyter_server or
the rest of perspective_nb except the error hierarchy.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from ..errors import ProtocolError

__all__ = [
    "ENV_HUB_URL",
    "ENV_SECRET",
    "HUB_SESSION",
    "SECRET_HEADER",
    "decode_control",
    "encode_control",
    "pack_frame",
    "unpack_frame",
]

#: Environment variable with the hub's kernel-uplink websocket URL.
ENV_HUB_URL = "PERSPECTIVE_NB_HUB_URL"
#: Environment variable with the secret a kernel presents to the hub.
ENV_SECRET = "PERSPECTIVE_NB_HUB_SECRET"
#: HTTP header carrying that secret on the uplink's upgrade request.
SECRET_HEADER = "X-Perspective-Secret"
#: Session number reserved for the hub's own queries.
HUB_SESSION = 0

_HEADER = struct.Struct(">I")


def pack_frame(session: int, payload: bytes) -> bytes:
    """Prefix a Perspective message with the session number it belongs to.

    >>> unpack_frame(pack_frame(7, b"abc"))
    (7, b'abc')
    """
    return _HEADER.pack(session) + payload


def unpack_frame(frame: bytes) -> tuple[int, bytes]:
    """Split an uplink binary frame into ``(session, payload)``."""
    if len(frame) < _HEADER.size:
        raise ProtocolError(
            f"uplink frame of {len(frame)} bytes is shorter than its 4-byte session header"
        )
    (session,) = _HEADER.unpack_from(frame)
    return session, bytes(frame[_HEADER.size :])


def encode_control(op: str, **fields: Any) -> str:
    """A JSON control message ``{"op": op, **fields}``."""
    return json.dumps({"op": op, **fields})


def decode_control(text: str) -> dict[str, Any]:
    """Parse a JSON control message; it must be an object with an ``op``."""
    try:
        message = json.loads(text)
    except ValueError as exc:
        raise ProtocolError(f"uplink control message is not JSON: {text[:80]!r}") from exc
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ProtocolError(f"uplink control message has no 'op': {text[:80]!r}")
    return message
