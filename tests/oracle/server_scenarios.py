"""Perspective's server/client patterns as functions of the library module.

Each scenario takes ``lib`` (``perspective`` or ``perspective_nb``, which
share the API) and returns a trace of what it observed. The oracle tests run
them on perspective-python 3.8 in process and on 5.6.1 in its subprocess
(as source, so each scenario imports only what it uses inside).
"""

from __future__ import annotations

from typing import Any


def poll_scenario(lib: Any) -> list[Any]:
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


def poll_from_another_thread(lib: Any) -> list[Any]:
    import threading

    # The documented threading pattern: the callback hands poll() to a worker.
    wake = threading.Event()
    stop = threading.Event()
    server = lib.Server(on_poll_request=lambda s: wake.set())

    def worker() -> None:
        while not stop.is_set():
            if wake.wait(0.05):
                wake.clear()
                server.poll()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        client = server.new_local_client()
        table = client.table({"a": [1, 2, 3]})
        seen: list[int] = []
        updated = threading.Event()
        view = table.view()

        def on_update(*args: Any) -> None:
            seen.append(threading.get_ident())
            updated.set()

        view.on_update(on_update)
        table.update({"a": [4, 5]})
        assert updated.wait(10)
        return [table.size(), len(seen), seen[0] == thread.ident]
    finally:
        stop.set()
        thread.join(5)


def session_wiring(lib: Any) -> list[Any]:
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


def constructors(lib: Any) -> list[Any]:
    trace = []
    for cls in (lib.Table, lib.View):
        try:
            cls()
            trace.append("constructed")
        except TypeError:
            trace.append("TypeError")
    return trace


SCENARIOS = [poll_scenario, poll_from_another_thread, session_wiring, constructors]
