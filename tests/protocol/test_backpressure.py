"""A client that sends without reading: the server stops reading it instead of buffering.

The client is a raw socket (tornado's client would read eagerly into its own
buffer), with a small receive buffer so the kernel holds little.
"""

from __future__ import annotations

import base64
import os
import socket
import struct
import threading
import time

import numpy as np

from perspective_nb.protocol import pb
from perspective_nb.server.session import Session

from .conftest import wait_until

ROWS = 50_000  # each to_arrow reply is ~400 KB
REQUESTS = 100  # ~40 MB of replies if all were computed
BUDGET = 1 << 20


class RawClient:
    """A websocket client over a plain socket: frames out, reads only when asked."""

    def __init__(self, port: int, path: str) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self.sock.settimeout(30)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self._buffer = b""
        while b"\r\n\r\n" not in self._buffer:
            self._buffer += self.sock.recv(4096)
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def send(self, payload: bytes) -> None:
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x82, 0x80 | size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x82, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x82, 0x80 | 127, size)
        masked = np.frombuffer(payload, np.uint8) ^ np.resize(np.frombuffer(mask, np.uint8), size)
        self.sock.sendall(header + mask + masked.tobytes())

    def _read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            chunk = self.sock.recv(1 << 20)
            assert chunk, "the server closed the connection"
            self._buffer += chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def receive(self) -> pb.Response:
        _, size = struct.unpack("!BB", self._read(2))
        size &= 0x7F
        if size == 126:
            (size,) = struct.unpack("!H", self._read(2))
        elif size == 127:
            (size,) = struct.unpack("!Q", self._read(8))
        return pb.Response.FromString(self._read(size))

    def close(self) -> None:
        self.sock.close()


def _request(msg_id: int, entity_id: str, **body) -> bytes:
    ((field, message),) = body.items()
    request = pb.Request(msg_id=msg_id, entity_id=entity_id)
    getattr(request, field).CopyFrom(message)
    return request.SerializeToString()


def test_a_client_that_does_not_read_is_not_buffered_without_bound(live_tuned, server, monkeypatch):
    live = live_tuned(max_pending_requests=4, max_pending_bytes=BUDGET)
    server.make_table("t", {"x": np.arange(ROWS, dtype=np.float64)}, index=None, limit=None)
    computed: list[int] = []
    original = Session.handle_request

    def counting(session, data):
        computed.append(len(data))
        return original(session, data)

    monkeypatch.setattr(Session, "handle_request", counting)
    client = RawClient(live.port, "/tuned")
    sender: threading.Thread | None = None
    try:
        make_view = pb.TableMakeViewReq(view_id="v")
        make_view.config.SetInParent()
        client.send(_request(1, "t", table_make_view_req=make_view))
        frames = [
            _request(msg_id, "v", view_to_arrow_req=pb.ViewToArrowReq())
            for msg_id in range(2, REQUESTS + 2)
        ]

        def send_all() -> None:  # blocks once the server stops reading
            for frame in frames:
                client.send(frame)

        sender = threading.Thread(target=send_all, daemon=True)
        sender.start()
        # Let the server run until it stops on its own (nobody reads the replies).
        settled = [-1]

        def stopped_growing() -> bool:
            time.sleep(0.3)
            done, settled[0] = settled[0] == len(computed), len(computed)
            return done

        assert wait_until(stopped_growing)
        assert len(computed) < REQUESTS // 2, f"{len(computed)} of {REQUESTS} requests ran"
        (handler,) = live.connections
        queue = handler._requests
        assert queue.pending <= 4
        assert queue.unflushed_bytes <= BUDGET + 2 * ROWS * 8 + 65536
        # Now read: every reply arrives, in order.
        replies = [client.receive() for _ in range(REQUESTS + 1)]
        assert [r.msg_id for r in replies] == list(range(1, REQUESTS + 2))
        arrow = replies[-1].view_to_arrow_resp.arrow
        assert len(arrow) > ROWS * 8
        sender.join(30)
        assert not sender.is_alive()
    finally:
        client.close()
        if sender is not None:
            sender.join(30)
    assert wait_until(lambda: not server.sessions)
