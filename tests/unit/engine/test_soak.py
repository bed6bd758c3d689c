"""A writer at full speed against readers: every read sees one whole version.

The writer moves amounts between rows of an indexed table (and adds new,
empty rows), so every consistent version has the same total and a row
count that only grows. Readers check that on every read, through views
that update incrementally and through views made afresh.
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np

from perspective_nb.engine.table import Table

SECONDS = float(os.environ.get("PERSPECTIVE_NB_SOAK_SECONDS", "60"))
TOTAL = 1_000_000


def test_a_full_speed_writer_never_shows_readers_half_an_update():
    n = 20_000
    rng = np.random.default_rng(5)
    values = np.zeros(n, np.int64)
    values[0] = TOTAL
    t = Table(
        {"k": np.arange(n), "g": rng.choice(list("abcdefgh"), n), "v": values},
        name="soak",
        index="k",
    )
    errors: list[BaseException] = []
    stop = threading.Event()
    counts = {"writes": 0, "reads": 0}

    def writer() -> None:
        try:
            size = n
            state = values.copy()
            while not stop.is_set():
                keys = rng.choice(size, 10, replace=False)
                moved = state[keys] // 2
                new = state[keys] - moved
                new[0] += moved.sum()  # conserved: the first key takes what the others gave
                state[keys] = new
                add = rng.integers(0, 3)
                fresh = np.arange(size, size + add)
                state = np.concatenate([state, np.zeros(add, np.int64)])
                size += add
                t.update(
                    {
                        "k": np.concatenate([keys, fresh]),
                        "g": rng.choice(list("abcdefgh"), len(keys) + add),
                        "v": np.concatenate([new, np.zeros(add, np.int64)]),
                    }
                )
                counts["writes"] += 1
        except BaseException as exc:
            errors.append(exc)

    def reader(live: bool) -> None:
        try:
            grouped = t.view(group_by=["g"], columns=["v", "k"], aggregates={"k": "count"})
            split = t.view(group_by=["g"], split_by=["g"], columns=["v"])
            last_size = 0
            while not stop.is_set():
                if not live:
                    grouped.delete()
                    grouped = t.view(group_by=["g"], columns=["v", "k"], aggregates={"k": "count"})
                cols = grouped.to_columns()
                assert cols["v"][0] == TOTAL, cols["v"][0]
                assert sum(cols["v"][1:]) == TOTAL
                assert cols["k"][0] == sum(cols["k"][1:]) >= last_size
                last_size = cols["k"][0]
                split_cols = split.to_columns()
                split_total = sum(v[0] or 0 for c, v in split_cols.items() if c.endswith("|v"))
                assert split_total == TOTAL, split_total
                data = t.data
                assert int(np.sum(data.column("v").to_numpy())) == TOTAL
                keys = data.column("k").to_numpy()
                assert (np.diff(keys) > 0).all()
                counts["reads"] += 1
            grouped.delete()
            split.delete()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer)]
    threads += [threading.Thread(target=reader, args=(live,)) for live in (True, False)]
    for th in threads:
        th.start()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline and not errors:
        time.sleep(0.2)
    stop.set()
    for th in threads:
        th.join(timeout=60)
    assert not errors, errors[0]
    assert not any(th.is_alive() for th in threads)
    assert counts["writes"] > 100, counts
    assert counts["reads"] > 10, counts
    print(f"soak: {counts['writes']} writes, {counts['reads']} checked reads in {SECONDS:.0f} s")
