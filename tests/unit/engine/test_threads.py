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


def test_replace_never_shows_readers_an_intermediate_table():
    rows = {"k": list(range(2000)), "v": [1] * 2000}
    t = Table(rows, name="t", index="k")
    seen: set[int] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.add(t.size())
            seen.add(t.data.num_rows)

    th = threading.Thread(target=reader)
    th.start()
    for _ in range(50):
        t.replace(rows)
    stop.set()
    th.join(timeout=60)
    assert seen == {2000}


def test_a_raising_callback_neither_fails_the_write_nor_silences_the_others(caplog):
    t = Table({"k": [1], "v": [1]}, name="t", index="k")
    v1, v2 = t.view(), t.view()
    calls: list[str] = []

    def bad(port_id, delta):
        calls.append("bad")
        raise RuntimeError("subscriber bug")

    v1.on_update(bad)
    v1.on_update(lambda port_id, delta: calls.append("first view, second callback"))
    v2.on_update(lambda port_id, delta: calls.append("second view"), mode="row")
    with caplog.at_level("ERROR", logger="perspective_nb"):
        t.update({"k": [2], "v": [2]})  # does not raise
    assert t.size() == 2
    assert calls == ["bad", "first view, second callback", "second view"]
    assert "subscriber bug" in caplog.text
    t.on_delete(lambda: (_ for _ in ()).throw(RuntimeError("on_delete bug")))
    t.on_delete(lambda: calls.append("deleted"))
    v1.delete()
    v2.delete()
    t.delete()
    assert calls[-1] == "deleted"
