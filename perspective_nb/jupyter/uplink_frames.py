"""The private framing of the kernel uplink (hub <-> kernel websocket).

One kernel uplink carries the Perspective traffic of many browser sessions.
Binary frames are ``<u32 big-endian session number><Perspective protobuf
bytes>``, unchanged in both directions; text frames are small JSON control
messages (``register`` / ``unregister`` a table name, ``reply`` to one,
``close`` a session). Session number 0 is the hub's own session (it asks
kernels for table sizes and schemas).

Everything a kernel sends is checked here before the hub acts on it
(:func:`unpack_frame`, :func:`decode_control`, :func:`parse_registration`,
:func:`check_kernel_id`): a kernel is a separate process, and a malformed
message from it must fail that kernel's uplink, never the hub.

This module is pure data: it imports nothing from tornado, jupyter_server or
the rest of perspective_nb except the error hierarchy.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any, NamedTuple

from ..errors import ProtocolError

__all__ = [
    "ENV_HUB_URL",
    "ENV_KERNEL_ID",
    "ENV_TOKEN",
    "HUB_SESSION",
    "KERNEL_CONTROL_OPS",
    "TOKEN_HEADER",
    "Registration",
    "check_kernel_id",
    "decode_control",
    "encode_control",
    "pack_frame",
    "parse_registration",
    "unpack_frame",
]

#: Environment variable with the hub's kernel-uplink websocket URL.
ENV_HUB_URL = "PERSPECTIVE_NB_HUB_URL"
#: Environment variable with this kernel's own token (valid for its id only).
ENV_TOKEN = "PERSPECTIVE_NB_HUB_TOKEN"
#: Environment variable with the kernel id that token was issued for.
ENV_KERNEL_ID = "PERSPECTIVE_NB_KERNEL_ID"
#: HTTP header carrying the token on the uplink's upgrade request.
TOKEN_HEADER = "X-Perspective-Kernel-Token"
#: Session number reserved for the hub's own queries.
HUB_SESSION = 0
#: Control operations a kernel may send (``reply`` and ``close`` go the other way).
KERNEL_CONTROL_OPS = ("register", "unregister")

_HEADER = struct.Struct(">I")
_MAX_NAME = 1024
_MAX_LIMIT = 2**32 - 1  # HostedTable.limit is a uint32
_KERNEL_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class Registration(NamedTuple):
    """A validated ``register`` message."""

    name: str
    index: str | None
    limit: int | None
    #: Only claims the name: the table does not exist in the kernel yet.
    reserve: bool = False


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
    """Parse a JSON control message; it must be an object with an ``op``.

    A ``rid`` (the id a reply echoes), when present, must be an integer.
    """
    try:
        message = json.loads(text)
    except ValueError as exc:
        raise ProtocolError(f"uplink control message is not JSON: {text[:80]!r}") from exc
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ProtocolError(f"uplink control message has no 'op': {text[:80]!r}")
    rid = message.get("rid")
    if rid is not None and not _is_int(rid):
        raise ProtocolError(f"uplink control 'rid' must be an integer, got {rid!r}")
    return message


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_registration(message: dict[str, Any]) -> Registration:
    """Check the fields of a ``register`` (or ``unregister``) control message.

    Raises
    ------
    ProtocolError
        Naming the bad field and what it must be.

    Examples
    --------
    >>> parse_registration({"op": "register", "name": "t", "limit": 10})
    Registration(name='t', index=None, limit=10, reserve=False)
    """
    name = message.get("name")
    if not isinstance(name, str) or not 0 < len(name) <= _MAX_NAME:
        raise ProtocolError(
            f"table name must be a non-empty string of at most {_MAX_NAME} characters, "
            f"got {str(name)[:80]!r}; host the table under such a name"
        )
    index = message.get("index")
    if index is not None and (not isinstance(index, str) or not index):
        raise ProtocolError(
            f"index of table {name!r} must be a column name or None, got {str(index)[:80]!r}"
        )
    limit = message.get("limit")
    if limit is not None and (not _is_int(limit) or not 0 < limit <= _MAX_LIMIT):
        raise ProtocolError(
            f"limit of table {name!r} must be a whole number of rows from 1 to {_MAX_LIMIT} "
            f"or None, got {str(limit)[:80]!r}"
        )
    reserve = message.get("reserve", False)
    if not isinstance(reserve, bool):
        raise ProtocolError(f"'reserve' of table {name!r} must be true or false, got {reserve!r}")
    return Registration(name, index, limit, reserve)


def check_kernel_id(kernel_id: str) -> str:
    """Return ``kernel_id`` if it is a plausible Jupyter kernel id, else raise.

    >>> check_kernel_id("0f1e-42")
    '0f1e-42'
    """
    if not _KERNEL_ID.fullmatch(kernel_id):
        raise ProtocolError(
            f"kernel id {kernel_id[:80]!r} must be 1-128 letters, digits, '.', '_' or '-'"
        )
    return kernel_id
