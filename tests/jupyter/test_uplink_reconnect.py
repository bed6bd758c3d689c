"""A kernel's uplink comes back by itself after the connection to the hub drops."""

from __future__ import annotations

import asyncio

from perspective_nb.jupyter.extension import hub_uplink_url
from perspective_nb.jupyter.hub_keys import kernel_token
from perspective_nb.jupyter.kernel_host import KernelHost


async def _until(predicate, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_dropped_uplink_reconnects_and_registers_again(
    jp_serverapp, http_server_client, hub, hub_key
):
    token = kernel_token(hub_key, "k-reconnect")
    host = KernelHost(hub_uplink_url(jp_serverapp), token, kernel_id="k-reconnect")
    # The host blocks while it talks to the hub, which runs on this loop.
    await asyncio.to_thread(host.start)
    try:
        await asyncio.to_thread(host.table, {"x": [1, 2]}, "reconnecting")
        await _until(lambda: "reconnecting" in hub.names)

        # Drop the connection as a network failure would (not a deliberate stop).
        host._loop.call_soon_threadsafe(lambda: host._ws.close())
        await _until(lambda: "reconnecting" not in hub.names)

        await _until(lambda: "reconnecting" in hub.names and host.connected)
        assert hub.names["reconnecting"].kernel_id == "k-reconnect"
    finally:
        await asyncio.to_thread(host.stop)
    await _until(lambda: "reconnecting" not in hub.names)
