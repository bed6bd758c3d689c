"""Every hub route refuses requests without Jupyter credentials (or a kernel's own token)."""

from __future__ import annotations

import os
import stat
from urllib.parse import quote

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from perspective_nb.jupyter.hub_keys import kernel_token
from perspective_nb.jupyter.uplink_frames import ENV_HUB_URL, ENV_KERNEL_ID, ENV_TOKEN, TOKEN_HEADER


def _url(port, base, *parts, scheme="http"):
    return f"{scheme}://127.0.0.1:{port}{base}" + "/".join(parts)


async def test_browser_socket_requires_token(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url
):
    with pytest.raises(HTTPClientError) as err:
        await websocket_connect(_url(jp_http_port, jp_base_url, "perspective", "ws", scheme="ws"))
    assert err.value.code == 403


async def test_browser_socket_refuses_wrong_token(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url
):
    url = _url(jp_http_port, jp_base_url, "perspective", "ws", scheme="ws") + "?token=wrong"
    with pytest.raises(HTTPClientError) as err:
        await websocket_connect(url)
    assert err.value.code == 403


async def test_browser_socket_accepts_token(jp_ws_fetch):
    ws = await jp_ws_fetch("perspective", "ws")
    ws.close()


async def _login_cookie(jp_fetch):
    """The login cookie Jupyter sets when a page is opened with the token."""
    response = await jp_fetch("perspective", "api", "tables")
    cookies = [c.split(";", 1)[0] for c in response.headers.get_list("Set-Cookie")]
    assert cookies, "Jupyter set no login cookie"
    return "; ".join(cookies)


async def test_browser_socket_accepts_same_origin_cookie(
    jp_fetch, http_server_client, jp_http_port, jp_base_url
):
    cookie = await _login_cookie(jp_fetch)
    url = _url(jp_http_port, jp_base_url, "perspective", "ws", scheme="ws")
    headers = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{jp_http_port}"}
    ws = await websocket_connect(HTTPRequest(url, headers=headers))
    ws.close()


async def test_browser_socket_refuses_cross_origin_cookie(
    jp_fetch, http_server_client, jp_http_port, jp_base_url
):
    cookie = await _login_cookie(jp_fetch)
    url = _url(jp_http_port, jp_base_url, "perspective", "ws", scheme="ws")
    headers = {"Cookie": cookie, "Origin": "http://evil.example"}
    with pytest.raises(HTTPClientError) as err:
        await websocket_connect(HTTPRequest(url, headers=headers))
    assert err.value.code == 403


async def test_tables_api_refuses_without_token(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("perspective", "api", "tables", headers={"Authorization": ""})
    assert err.value.code == 403


async def test_view_page_sends_anonymous_browsers_to_login(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "perspective", "view", "x", headers={"Authorization": ""}, follow_redirects=False
        )
    # like every Jupyter page: a redirect to the login page, not the viewer
    assert err.value.code == 302
    assert "/login" in err.value.response.headers["Location"]


@pytest.mark.parametrize("path", [("perspective", "api", "tables"), ("perspective", "view", "x")])
async def test_http_routes_accept_token(jp_fetch, path):
    response = await jp_fetch(*path)
    assert response.code == 200


async def test_kernel_uplink_requires_a_token_for_the_claimed_kernel(
    jp_serverapp, http_server_client, uplink_url, hub_key
):
    other = kernel_token(hub_key, "kernel-b")
    for kernel_id, headers in [
        ("kernel-a", {}),
        ("kernel-a", {TOKEN_HEADER: "not-a-token"}),
        # kernel-b's own token does not let it speak as kernel-a
        ("kernel-a", {TOKEN_HEADER: other}),
        ("", {TOKEN_HEADER: kernel_token(hub_key, "")}),
        ("bad id!", {TOKEN_HEADER: kernel_token(hub_key, "bad id!")}),
    ]:
        request = HTTPRequest(f"{uplink_url}?kernel_id={quote(kernel_id)}", headers=headers)
        with pytest.raises(HTTPClientError) as err:
            await websocket_connect(request)
        assert err.value.code == 403


async def test_kernel_uplink_ignores_jupyter_token(jp_ws_fetch):
    """A Jupyter token is not a kernel token: the uplink still refuses."""
    with pytest.raises(HTTPClientError) as err:
        await jp_ws_fetch("perspective", "kernel", params={"kernel_id": "k1"})
    assert err.value.code == 403


async def test_kernel_uplink_accepts_its_own_token(fake_kernel):
    kernel = await fake_kernel("kernel-a")
    reply = await kernel.control("register", name="t")
    assert reply["ok"] is True


async def test_each_kernel_gets_its_own_token_and_the_server_env_none(
    jp_serverapp, uplink_url, hub_key
):
    from perspective_nb.jupyter.extension import kernel_env

    settings = jp_serverapp.web_app.settings
    env_a, env_b = kernel_env(settings, "a"), kernel_env(settings, "b")
    assert env_a[ENV_HUB_URL] == uplink_url
    assert env_a[ENV_KERNEL_ID] == "a"
    assert env_a[ENV_TOKEN] == kernel_token(hub_key, "a") != env_b[ENV_TOKEN]
    # nothing in the server's own environment: terminals inherit no credential
    assert not {ENV_HUB_URL, ENV_KERNEL_ID, ENV_TOKEN} & set(os.environ)


async def test_a_started_kernel_receives_only_its_own_token(jp_serverapp, hub_key):
    """The kernel manager hands the token to the kernel it starts, and keeps it for restarts."""
    manager = jp_serverapp.kernel_manager
    launch = {"env": {"PATH": os.environ["PATH"], ENV_TOKEN: "inherited"}}
    _, _, kernel_id = manager.pre_start_kernel("python3", launch)
    assert launch["env"][ENV_KERNEL_ID] == kernel_id
    assert launch["env"][ENV_TOKEN] == kernel_token(hub_key, kernel_id)
    assert launch["env"]["PATH"] == os.environ["PATH"]


def test_hub_key_survives_a_server_restart_and_is_private(tmp_path):
    from perspective_nb.jupyter.hub_keys import hub_key, key_path

    first = hub_key(tmp_path, "/srv/notebooks", 8888)
    assert hub_key(tmp_path, "/srv/notebooks", 8888) == first
    assert hub_key(tmp_path, "/srv/notebooks", 8889) != first
    assert hub_key(tmp_path, "/srv/other", 8888) != first
    path = key_path(tmp_path, "/srv/notebooks", 8888)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # a key others could read is not trusted: a fresh one replaces it
    path.chmod(0o644)
    replaced = hub_key(tmp_path, "/srv/notebooks", 8888)
    assert replaced != first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("ip", "certfile", "expected"),
    [
        ("", "", "ws://127.0.0.1:8888/base/perspective/kernel"),
        ("0.0.0.0", "", "ws://127.0.0.1:8888/base/perspective/kernel"),
        ("::", "", "ws://[::1]:8888/base/perspective/kernel"),
        ("10.1.2.3", "cert.pem", "wss://10.1.2.3:8888/base/perspective/kernel"),
    ],
)
def test_hub_uplink_url_reaches_the_server_from_this_machine(ip, certfile, expected):
    from types import SimpleNamespace

    from perspective_nb.jupyter.extension import hub_uplink_url

    app = SimpleNamespace(ip=ip, port=8888, base_url="/base/", certfile=certfile, sock="")
    assert hub_uplink_url(app) == expected


def test_no_uplink_url_for_a_unix_socket_server():
    from types import SimpleNamespace

    from perspective_nb.jupyter.extension import hub_uplink_url

    app = SimpleNamespace(ip="", port=0, base_url="/", certfile="", sock="/tmp/jupyter.sock")
    assert hub_uplink_url(app) is None
