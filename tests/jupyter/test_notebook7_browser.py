"""The widget in Notebook 7 (the same prebuilt labextension as in JupyterLab)."""

from __future__ import annotations

import pytest

# Shared with the JupyterLab test: browser helpers, the skip rule, and the
# fixture exposing the built labextension.
from test_lab_browser import (  # noqa: F401
    VIEWER,
    WAIT_MS,
    _chromium_page,
    lab_extensions,
    open_and_run_all,
    pytestmark,
    wait_until,
    write_notebook,
)

pytest.importorskip("notebook")


@pytest.fixture
def jp_server_config():
    return {
        "ServerApp": {
            "jpserver_extensions": {"perspective_nb.jupyter": True, "notebook": True},
            "ip": "127.0.0.1",
        },
        "JupyterNotebookApp": {"expose_app_in_browser": True},
    }


async def test_widget_renders_in_notebook_7(
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_root_dir,
    lab_extensions,  # noqa: F811 (the fixture imported above)
    hub,
):
    write_notebook(
        jp_root_dir / "nb7.ipynb",
        "%load_ext perspective_nb",
        "from perspective_nb import PerspectiveWidget\n"
        "w = PerspectiveWidget({'r': ['a', 'b', 'a'], 'v': [1.0, 2.0, 3.0]},\n"
        "                      name='nb7', group_by=['r'])\n"
        "w",
    )
    token = jp_serverapp.identity_provider.token
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    async with _chromium_page() as (page, _):
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(f"{e} @ {e.stack}"))
        await open_and_run_all(page, f"{base}notebooks/nb7.ipynb?token={token}")
        await page.wait_for_selector(".perspective-nb-widget perspective-viewer", timeout=WAIT_MS)
        # The viewer shows the kernel's table, grouped: the total row and 2 groups.
        await wait_until(
            page,
            f"(async () => {{ try {{ const v = {VIEWER};"
            " return (await (await v.getView()).num_rows()) === 3; }"
            " catch (e) { return false; } })()",
        )
        assert "nb7" in hub.names
        # Notebook 7's own settings loader fails on the test server's bare
        # data dir ("reading 'schema'" in notebook_core); nothing else may fail.
        ours = [e for e in errors if "notebook_core" not in e]
        assert ours == []
