"""Perspective's server/client patterns, run as the same code on both libraries.

Each scenario takes the library module (``perspective`` or ``perspective_nb``,
which share the API) and returns a trace of what it observed; the traces must
be equal. These are the patterns Perspective documents for custom servers:
``Server(on_poll_request=...)`` with ``poll()``, ``new_session`` wired to a
``Client(handle_request)``, ``Client.from_server``, and the constructors a
user must not call.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

import perspective_nb

perspective = pytest.importorskip("perspective")

pytestmark = pytest.mark.oracle


def _poll_scenario(lib: Any) -> list[Any]:
    trace: list[Any] = []
    requested: list[int] = []
    server = lib.Server(on_poll_request=lambda s: requested.append(1))
    client = server.new_local_client()
    table = client.table({"a": [1, 2], "b": ["x", "y"]}, index="a")
    view = table.view()
    fired: list[Any] = []
    view.on_update(lambda *args: fired.append(len(args)), mode="row")
    table.update({"a": [3], "b": ["z"]})
    trace.append(("asked to poll", bool(requested)))
    trace.append(("before poll", table.size(), view.num_rows(), len(fired)))
    server.poll()
    trace.append(("after poll", table.size(), view.num_rows(), len(fired)))
    table.remove([1])
    trace.append(("remove before poll", table.size()))
    server.poll()
    trace.append(("remove after poll", table.size(), view.to_columns()))
    server.poll()  # nothing queued: a no-op
    trace.append(("idle poll", table.size()))
    return trace


def _poll_from_another_thread(lib: Any) -> list[Any]:
    # The documented threading pattern: the callback hands poll() to a worker.
    wake = threading.Event()
    stop = threading.Event()
    server = lib.Server(on_poll_request=lambda s: wake.set())
    applied = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            if wake.wait(0.05):
                wake.clear()
                server.poll()
                applied.set()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        client = server.new_local_client()
        table = client.table({"a": [1, 2, 3]})
        seen: list[int] = []
        view = table.view()
        view.on_update(lambda *args: seen.append(threading.get_ident()))
        table.update({"a": [4, 5]})
        assert applied.wait(10)
        return [table.size(), len(seen), bool(seen) and seen[0] == thread.ident]
    finally:
        stop.set()
        thread.join(5)


def _session_wiring(lib: Any) -> list[Any]:
    server = lib.Server()
    session = server.new_session(lambda response: client.handle_response(response))
    client = lib.Client(lambda request: session.handle_request(request))
    table = client.table({"x": [1, 2, 3], "g": ["a", "b", "a"]}, name="wired")
    view = table.view(group_by=["g"], columns=["x"])
    trace: list[Any] = [table.size(), view.to_columns(), client.get_hosted_table_names()]
    updates: list[int] = []
    view.on_update(lambda *args: updates.append(1))
    table.update({"x": [10], "g": ["b"]})
    trace += [view.to_columns(), len(updates)]
    local = lib.Client.from_server(server)
    trace.append(local.open_table("wired").size())
    session.close()
    try:
        table.size()
        trace.append("answered after close")
    except Exception:
        trace.append("raises after close")
    return trace


def _constructors(lib: Any) -> list[Any]:
    trace = []
    for cls in (lib.Table, lib.View):
        try:
            cls()
            trace.append("constructed")
        except TypeError:
            trace.append("TypeError")
    return trace


@pytest.mark.parametrize(
    "scenario", [_poll_scenario, _poll_from_another_thread, _session_wiring, _constructors]
)
def test_same_as_perspective(scenario):
    assert scenario(perspective_nb) == scenario(perspective)


def test_constructor_errors_say_what_to_call():
    with pytest.raises(perspective_nb.ArgumentError, match=r"client\.table\(data\)"):
        perspective_nb.Table()
    with pytest.raises(perspective_nb.ArgumentError, match=r"table\.view\("):
        perspective_nb.View("v")
