"""A kernel's uplink comes back by itself after the connection to the hub drops,
including after a server restart; while it cannot, the kernel says so."""

from __future__ import annotations

import asyncio

import pytest

from perspective_nb.jupyter.extension import hub_uplink_url, start_extension
from perspective_nb.jupyter.hub import Hub
from perspective_nb.jupyter.hub_keys import kernel_token
from perspective_nb.jupyter.kernel_host import HubUnreachableWarning, KernelHost


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
        host._loop.call_soon_threadsafe(lambda: host.uplink._ws.close())
        await _until(lambda: "reconnecting" not in hub.names)

        await _until(lambda: "reconnecting" in hub.names and host.connected)
        assert hub.names["reconnecting"].kernel_id == "k-reconnect"
    finally:
        await asyncio.to_thread(host.stop)
    await _until(lambda: "reconnecting" not in hub.names)


async def test_kernels_reconnect_to_a_restarted_server_on_the_same_port(
    jp_serverapp, http_server_client, hub_key
):
    settings = jp_serverapp.web_app.settings
    token = kernel_token(hub_key, "k-survivor")
    host = KernelHost(hub_uplink_url(jp_serverapp), token, kernel_id="k-survivor")
    await asyncio.to_thread(host.start)
    try:
        await asyncio.to_thread(host.table, {"id": [1, 2]}, "kept", "id")
        # What a restart does: a new, empty hub, and the key read back from the
        # runtime directory; the running kernel's connection drops.
        settings["perspective_hub"] = new_hub = Hub()
        await start_extension(jp_serverapp)
        assert settings["perspective_hub_key"] == hub_key
        host._loop.call_soon_threadsafe(lambda: host.uplink._ws.close())
        await _until(lambda: "kept" in new_hub.names)
        assert new_hub.names["kept"].names["kept"]["index"] == "id"
    finally:
        await asyncio.to_thread(host.stop)


async def test_a_kernel_the_hub_refuses_says_so_and_recovers(
    jp_serverapp, http_server_client, hub, hub_key, caplog
):
    settings = jp_serverapp.web_app.settings
    token = kernel_token(hub_key, "k-refused")
    host = KernelHost(hub_uplink_url(jp_serverapp), token, kernel_id="k-refused")
    await asyncio.to_thread(host.start)
    try:
        settings["perspective_hub_key"] = b"another server's key".ljust(32, b".")
        host._loop.call_soon_threadsafe(lambda: host.uplink._ws.close())
        await _until(lambda: "refused this kernel's token" in caplog.text)
        assert not host.connected
        with pytest.warns(HubUnreachableWarning, match="'later' is hosted only in this kernel"):
            await asyncio.to_thread(host.table, {"x": [1]}, "later")
        assert "later" not in hub.names
        # the right key again: the kernel gets in and registers what it hosted meanwhile
        settings["perspective_hub_key"] = hub_key
        await _until(lambda: "later" in hub.names and host.connected)
        assert hub.names["later"].kernel_id == "k-refused"
    finally:
        await asyncio.to_thread(host.stop)
