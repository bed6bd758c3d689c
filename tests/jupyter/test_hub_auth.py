"""Every hub route refuses requests without Jupyter credentials (or the kernel secret)."""

from __future__ import annotations

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from perspective_nb.jupyter.uplink_frames import SECRET_HEADER


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


async def test_kernel_uplink_requires_secret(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url
):
    url = _url(jp_http_port, jp_base_url, "perspective", "kernel", scheme="ws")
    for headers in ({}, {SECRET_HEADER: "not-the-secret"}):
        with pytest.raises(HTTPClientError) as err:
            await websocket_connect(HTTPRequest(url, headers=headers))
        assert err.value.code == 403


async def test_kernel_uplink_ignores_jupyter_token(jp_ws_fetch):
    """A Jupyter token is not the kernel secret: the uplink still refuses."""
    with pytest.raises(HTTPClientError) as err:
        await jp_ws_fetch("perspective", "kernel")
    assert err.value.code == 403


async def test_kernel_uplink_accepts_secret(fake_kernel):
    kernel = await fake_kernel()
    reply = await kernel.control("register", name="t")
    assert reply["ok"] is True


def test_start_publishes_hub_env(jp_serverapp, jp_http_port, jp_base_url, hub_secret):
    import os

    from perspective_nb.jupyter.uplink_frames import ENV_HUB_URL, ENV_SECRET

    assert (
        os.environ[ENV_HUB_URL] == f"ws://127.0.0.1:{jp_http_port}{jp_base_url}perspective/kernel"
    )
    assert os.environ[ENV_SECRET] == hub_secret


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
