"""Runs requests in a perspective-python 5.6.1 interpreter for the oracle5 tests.

Started by ``tests/oracle5/conftest.py`` as ``<5.6.1 venv>/bin/python worker.py``.
It imports only perspective-python and the standard library (pandas and
pyarrow when a request holds them), never perspective_nb: the two cannot
share an interpreter, since both perspective-python versions are ``perspective``.

Protocol: each request and each reply is a pickle, prefixed by its length as
8 big-endian bytes, on stdin / stdout. A request is a dict:

- ``data``: the table's data (dict, list of rows, CSV/JSON text, Arrow IPC
  bytes, a pandas DataFrame...), ``table``: keyword arguments of ``table()``;
- ``updates``: data for ``update()`` calls, in order;
- ``view``: the view config, ``outputs``: method names to call, on the view
  (``to_columns``, ``to_records``, ``schema``...) or, prefixed ``table.``,
  on the table (``table.schema``, ``table.size``...);
- or ``code``: Python source run with ``perspective``, ``client`` and
  ``data`` in scope, which sets ``result``.

The reply is ``{"ok": {output: value}}`` (``{"ok": result}`` for code) or
``{"error": [type name, message]}``; the error also says which step failed
(``"table"``, ``"update 0"``, ``"view"``...).
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import traceback

import perspective

_client = perspective.Server().new_local_client()


def _run(req: dict) -> dict:
    if "code" in req:
        scope = {"perspective": perspective, "client": _client, "data": req.get("data")}
        exec(req["code"], scope)
        return {"ok": scope.get("result")}
    step = "table"
    table = None
    view = None
    try:
        table = _client.table(req["data"], **req.get("table", {}))
        calls = 0
        for i, upd in enumerate(req.get("updates", [])):
            step = f"update {i}"
            table.update(upd)
        if req.get("on_update"):
            # Count the on_update notifications an update fires.
            step = "on_update"
            view = table.view()
            seen = []
            view.on_update(lambda *a: seen.append(1))
            for i, upd in enumerate(req["on_update"]):
                step = f"on_update {i}"
                table.update(upd)
            table.size()  # a round trip: the notifications have been delivered
            calls = len(seen)
            view.delete()
            view = None
        step = "view"
        view = table.view(**req.get("view", {}))
        out = {}
        for name in req.get("outputs", ["to_columns"]):
            step = name
            target = table if name.startswith("table.") else view
            out[name] = getattr(target, name.removeprefix("table."))()
        if req.get("on_update"):
            out["on_update_calls"] = calls
        return {"ok": out}
    except Exception as exc:  # reported to the test, which decides what it expects
        return {"error": [type(exc).__name__, f"{step}: {exc}"]}
    finally:
        if view is not None:
            view.delete()
        if table is not None:
            table.delete()


def _read(stream) -> bytes | None:
    head = stream.read(8)
    if len(head) < 8:
        return None
    (n,) = struct.unpack(">Q", head)
    return stream.read(n)


def main() -> None:
    # Replies go to a private copy of fd 1; fd 1 itself goes to stderr, so what
    # perspective's Rust core logs to stdout cannot corrupt the reply stream.
    stdin = sys.stdin.buffer
    stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    while (raw := _read(stdin)) is not None:
        try:
            reply = _run(pickle.loads(raw))
        except Exception:
            reply = {"error": ["WorkerError", traceback.format_exc()]}
        try:
            body = pickle.dumps(reply, protocol=4)
        except Exception as exc:  # a result pickle cannot carry
            body = pickle.dumps({"error": ["WorkerError", f"unpicklable result: {exc}"]})
        stdout.write(struct.pack(">Q", len(body)) + body)
        stdout.flush()


if __name__ == "__main__":
    main()
