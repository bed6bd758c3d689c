"""Websocket soak: 20 clients follow a 200k-row table that a writer updates ten times a second.

One real Tornado server (the project's handler, a free loopback port)
hosts an indexed table. Each update permutes the values of some rows, so
the grand total never changes while the groups' sums do. Twenty websocket
clients each hold a grouped view with ``on_update`` and re-read its first
100 rows on every notification. The test checks that no client saw an
error, that every client got every update's notification, and that every
read showed one whole version (the groups add up to the conserved total).
It prints the notifications delivered, read latency percentiles and the
server's resident memory at start and end; no timing is asserted.

``PERSPECTIVE_NB_WS_SOAK_SECONDS`` bounds the run (default 60).
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np

from perspective_nb.client import websocket

from .conftest import wait_until

SECONDS = float(os.environ.get("PERSPECTIVE_NB_WS_SOAK_SECONDS", "60"))
ROWS = 200_000
GROUPS = 40
CLIENTS = 20
WRITES_PER_SECOND = 10
ROWS_PER_WRITE = 200
READ_ROWS = 100
TOTAL_ROW_VALUE_RANGE = 1000


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Follower:
    """One websocket client: a grouped view, re-read on every notification."""

    def __init__(self, url: str, total: int) -> None:
        self.total = total
        self.client = websocket(url)
        self.table = self.client.open_table("soak")
        self.view = self.table.view(group_by=["g"], columns=["v"], aggregates={"v": "sum"})
        self.notifications = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self.callback_id = self.view.on_update(self._on_update)
        # on_update is not acknowledged; a round trip behind it (one
        # connection's requests run in order) means the server registered it.
        assert self.view.num_rows() == GROUPS + 1

    def _on_update(self, port_id: int) -> None:
        with self._lock:
            self.notifications += 1
        try:
            start = time.perf_counter()
            columns = self.view.to_columns(end_row=READ_ROWS)
            self.latencies.append(time.perf_counter() - start)
            total, *groups = columns["v"]
            # the root row and the groups: one version, the conserved total
            if total != self.total or sum(groups) != self.total or len(groups) != GROUPS:
                self.errors.append(f"inconsistent read: total {total}, groups sum {sum(groups)}")
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        try:
            self.view.remove_update(self.callback_id)
            self.view.delete()
        finally:
            self.client.terminate()


def test_twenty_websocket_clients_follow_a_writer(server, live):
    rng = np.random.default_rng(20261130)
    values = rng.integers(0, TOTAL_ROW_VALUE_RANGE, ROWS)
    total = int(values.sum())
    writer_client = server.new_local_client()
    table = writer_client.table(
        {"k": np.arange(ROWS), "g": rng.integers(0, GROUPS, ROWS).astype(str), "v": values},
        name="soak",
        index="k",
    )
    rss_start = _resident_mib()
    followers: list[Follower] = []
    writes = 0
    try:
        followers = [Follower(live.url, total) for _ in range(CLIENTS)]
        deadline = time.monotonic() + SECONDS
        started = time.monotonic()
        while time.monotonic() < deadline:
            keys = rng.choice(ROWS, ROWS_PER_WRITE, replace=False)
            values[keys] = rng.permutation(values[keys])  # same sum, other groups
            table.update({"k": keys, "v": values[keys]})
            writes += 1
            time.sleep(max(0.0, started + writes / WRITES_PER_SECOND - time.monotonic()))
        # every update's notification reaches every client (a generous bound)
        delivered = wait_until(
            lambda: all(f.notifications >= writes for f in followers), timeout=60
        )
        # and the reads those notifications started have finished
        wait_until(lambda: all(len(f.latencies) + len(f.errors) >= writes for f in followers))
        rss_end = _resident_mib()
        counts = [f.notifications for f in followers]
        latencies = np.array([lat for f in followers for lat in f.latencies]) * 1000
        p50, p95, p99 = np.percentile(latencies, [50, 95, 99]) if len(latencies) else (0, 0, 0)
        print(
            f"\nwebsocket soak: {SECONDS:g} s, {writes} writes of {ROWS_PER_WRITE} rows to "
            f"{ROWS} rows, {CLIENTS} clients; notifications delivered {sum(counts)} "
            f"(per client {min(counts)}..{max(counts)}, expected {writes}); "
            f"reads {len(latencies)}, latency ms p50 {p50:.1f} p95 {p95:.1f} p99 {p99:.1f}; "
            f"server RSS {rss_start:.0f} MiB -> {rss_end:.0f} MiB"
        )
        errors = [e for f in followers for e in f.errors]
        assert errors == [], errors[:5]
        assert delivered, f"notifications lost: {counts}, expected {writes} each"
        assert counts == [writes] * CLIENTS, f"extra notifications: {counts}"
        assert len(latencies) == writes * CLIENTS
        assert writes > 0
    finally:
        for follower in followers:
            follower.close()
        writer_client.terminate()
        assert wait_until(lambda: not [s for s in server.sessions if not s.out_of_band])
