"""Concurrent updates, view creation and reads on one table from several threads."""

from __future__ import annotations

import threading

from perspective_nb.engine.table import Table


def test_concurrent_updates_views_and_reads_stay_consistent():
    t = Table({"k": [0], "g": ["a"], "v": [0]}, name="t", index="k")
    errors: list[BaseException] = []
    stop = threading.Event()
    n_writers, per_writer = 3, 150

    def writer(w: int) -> None:
        try:
            for i in range(per_writer):
                key = w * per_writer + i + 1
                t.update({"k": [key], "g": ["ab"[i % 2]], "v": [1]})
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    def reader() -> None:
        try:
            while not stop.is_set():
                v = t.view(group_by=["g"], columns=["v", "k"], aggregates={"k": "count"})
                cols = v.to_columns()
                # Every snapshot is internally consistent: the total row equals
                # the sum of its groups, and counts equal the table size then.
                assert cols["v"][0] == sum(cols["v"][1:])
                assert cols["k"][0] == sum(cols["k"][1:])
                flat = t.view(columns=["k"])
                keys = flat.to_columns()["k"]
                assert keys == sorted(keys)
                flat.delete()
                v.delete()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(n_writers)]
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for th in readers + threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    stop.set()
    for th in readers:
        th.join(timeout=120)
    assert not errors, errors[0]
    assert not any(th.is_alive() for th in threads + readers)
    assert t.size() == 1 + n_writers * per_writer
    total = t.view(group_by=["g"], columns=["v"]).to_columns()["v"][0]
    assert total == n_writers * per_writer


def test_callbacks_may_read_and_write_other_tables_without_deadlock():
    source = Table({"x": [1]}, name="source")
    mirror = Table({"x": [1]}, name="mirror")
    v = source.view()

    def copy(port_id, delta):
        # Runs in the writer's thread after the source lock is released.
        mirror.replace(v.to_arrow())

    v.on_update(copy)
    done = threading.Event()

    def run():
        for i in range(20):
            source.update({"x": [i]})
        done.set()

    th = threading.Thread(target=run)
    th.start()
    th.join(timeout=60)
    assert done.is_set()
    assert mirror.size() == source.size() == 21
