"""The in-process client: a :class:`~.client.Client` wired straight to a Session.

Requests go to ``Session.handle_message`` on the caller's thread, which
answers synchronously, so a call costs no thread hop and no protobuf
encoding: request and response messages are passed as objects, and large
values (in-memory table data going in; Arrow, JSON and CSV coming out) travel
beside the messages by reference, so loading a pyarrow Table copies nothing.
It is still the one request/response path every transport uses. Streaming
replies (on_update, on_delete, hosted-table changes) arrive on whichever
thread triggered them and run the callback there.

It knows its server only as something with ``new_session`` (:class:`SessionHost`),
so the client package does not import the server package.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from ..engine.ingest import is_schema
from ..errors import ProtocolError
from ..protocol import pb
from ..protocol.table_data import encode_table_data
from .client import Client
from .replies import Reply

__all__ = ["LocalClient"]


class SessionHost(Protocol):
    """What a local client needs of a server: a session for its requests."""

    def new_session(
        self, send: Callable[..., None], generation: int | None = ..., out_of_band: bool = ...
    ) -> Any: ...


_TEXT = (str, bytes, bytearray, memoryview)


class _Slot:
    """Holds the one reply a synchronous session produces."""

    __slots__ = ("reply",)

    def __init__(self) -> None:
        self.reply: Reply | None = None

    def set(self, reply: Reply) -> None:
        self.reply = reply


class LocalClient(Client):
    """A client of an in-process :class:`~.server.Server`.

    Examples
    --------
    >>> from perspective_nb import Server
    >>> client = Server().new_local_client()
    >>> client.get_hosted_table_names()
    []
    """

    _in_process = True

    def __init__(
        self, server: SessionHost, loop_callback: Callable[..., Any] | None = None
    ) -> None:
        super().__init__()
        self._loop_callback = loop_callback
        self.server = server
        self._outgoing = threading.local()
        self.session = server.new_session(self._route, out_of_band=True)

    def _send_request(self, request: pb.Request) -> None:
        payload = getattr(self._outgoing, "payload", None)
        self._outgoing.payload = None
        self.session.handle_message(request, payload)

    def _encode_data(self, data: Any, into: pb.MakeTableData, format: str | None) -> None:
        if format is None and not isinstance(data, _TEXT) and not is_schema(data):
            # Objects (DataFrames, pyarrow Tables, dicts, rows) go to the engine as they are.
            self._outgoing.payload = data
            return
        encode_table_data(data, into, format)

    def _make_waiter(self) -> _Slot:
        return _Slot()

    def _finish(self, waiter: _Slot, decode: Callable[[Reply], Any]) -> Any:
        if waiter.reply is None:
            raise ProtocolError("the session did not answer; is it closed?")
        return decode(waiter.reply)

    def terminate(self) -> None:
        """Close the session, deleting the views this client opened."""
        self.session.close()

    close = terminate
