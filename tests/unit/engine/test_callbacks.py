"""Subscribers: the callback registries of tables and views; call_safely logs and goes on."""

from __future__ import annotations

import itertools
import logging

from perspective_nb.engine.callbacks import Subscribers, call_safely
from perspective_nb.engine.table import Table


def test_subscribers_add_remove_snapshot_and_drain():
    subs = Subscribers()
    a, b = subs.add("a"), subs.add("b")
    assert a != b
    assert subs.snapshot() == ["a", "b"]
    subs.remove(a)
    subs.remove(12345)  # unknown ids are ignored
    assert subs.snapshot() == ["b"]
    assert subs.drain() == ["b"]
    assert len(subs) == 0
    assert subs.snapshot() == []


def test_registries_sharing_ids_never_hand_out_the_same_id():
    ids = itertools.count(1)
    updates, deletes = Subscribers(ids), Subscribers(ids)
    assert len({updates.add(1), deletes.add(2), updates.add(3)}) == 3


def test_a_raising_callback_is_logged_and_the_others_still_run(caplog):
    t = Table({"x": [1]}, name="t")
    view = t.view()
    seen = []

    def bad(port_id, delta):
        raise RuntimeError("boom")

    view.on_update(bad)
    view.on_update(lambda port_id, delta: seen.append(port_id))
    with caplog.at_level(logging.ERROR, logger="perspective_nb"):
        t.update({"x": [2]})
    assert seen == [0]
    assert "boom" in caplog.text
    # removed callbacks are not called; a deleted view drops its callbacks
    deleted = []
    cid = view.on_delete(lambda: deleted.append("first"))
    view.on_delete(lambda: deleted.append("second"))
    view.remove_delete(cid)
    view.delete()
    assert deleted == ["second"]
    call_safely(lambda: None, what="a no-op")  # returns without raising
