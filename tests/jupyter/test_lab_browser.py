"""The prebuilt labextension in a real JupyterLab, driven by headless chromium.

JupyterLab runs in-process (as an extension of the test server) with this
checkout's built labextension; a notebook shows a PerspectiveWidget whose
viewer must load the kernel's table through the hub, follow trait changes
from the kernel, report viewer edits back to the kernel, and follow the
Lab theme. The full-page view is checked the same way.

Needs: the labextension built (``cd labextension && npm ci && npm run build``),
Debian ``chromium`` and PyPI ``playwright``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_server.base.handlers import FileFindHandler

playwright_api = pytest.importorskip("playwright.async_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BUILT = Path(__file__).parents[2] / "perspective_nb" / "labextension"
LAB_SHARE = Path(sys.prefix) / "share" / "jupyter"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Bounds for waits on the browser (a broken build fails instead of hanging).
WAIT_MS = 90_000

# Skipped without Debian's chromium, unless the run requires the browser (CI does).
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("PERSPECTIVE_NB_REQUIRE_BROWSER") != "1",
    reason="Debian chromium is not installed",
)


@pytest.fixture
def jp_server_config():
    return {
        "ServerApp": {
            # jupyter_lsp: Lab's frontend asks it for its status (a 404 is a console error)
            "jpserver_extensions": {
                "perspective_nb.jupyter": True,
                "jupyterlab": True,
                "jupyter_lsp": True,
            },
            "ip": "127.0.0.1",
        },
        "LabApp": {"expose_app_in_browser": True, "app_dir": str(LAB_SHARE / "lab")},
    }


@pytest.fixture
def lab_extensions(jp_data_dir):
    """Expose the built extension, the ipywidgets manager and, as in a real
    install with perspective-python (a test dependency), its own Perspective
    extension (whose <perspective-viewer> ours then shares) to the test Lab."""
    assert (BUILT / "package.json").is_file(), "build the labextension first (npm run build)"
    # jupyter_server caches where it found each static file, by relative path,
    # across apps of one process: forget the previous test's data directory
    # (its files would be refused with a 403 here).
    FileFindHandler._static_paths.clear()
    target = jp_data_dir / "labextensions"
    target.mkdir(parents=True, exist_ok=True)
    (target / "perspective-nb-labextension").symlink_to(BUILT)
    (target / "@jupyter-widgets").symlink_to(LAB_SHARE / "labextensions" / "@jupyter-widgets")
    if (LAB_SHARE / "labextensions" / "@finos").is_dir():
        (target / "@finos").symlink_to(LAB_SHARE / "labextensions" / "@finos")
    return target


@contextlib.asynccontextmanager
async def _chromium_page():
    """A headless chromium page (closed, with its browser, on exit)."""
    async with playwright_api.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1200, "height": 900})
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page, errors
        finally:
            await browser.close()


async def wait_until(page, predicate: str, arg=None, timeout_ms: int = WAIT_MS):
    """Poll ``predicate`` (JS, may be async) in ``page`` until truthy; return its value.

    Playwright's ``wait_for_function`` takes the Promise of an async
    predicate as truthy at once, so async conditions are polled from here.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_ms / 1000
    while True:
        value = await page.evaluate(predicate, arg)
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for: {predicate[:200]}")
        await asyncio.sleep(0.25)


def write_notebook(path: Path, *sources: str) -> None:
    """A python3 notebook with one code cell per source."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, path)


async def open_and_run_all(page, url: str) -> None:
    """Open a notebook page, wait for its kernel, and run every cell."""
    await page.goto(url)
    await page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel",
        timeout=WAIT_MS,
    )
    await page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


VIEWER = "document.querySelector('.perspective-nb-widget perspective-viewer')"


# Runs code in the notebook's kernel from the page; resolves to its stdout.
KERNEL_STDOUT = """async (code) => {
    const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    let text = "";
    const future = k.requestExecute({code});
    future.onIOPub = (m) => { if (m.header.msg_type === "stream") text += m.content.text; };
    await future.done;
    return text;
}"""


async def test_widget_renders_and_syncs_in_jupyterlab(
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_root_dir,
    lab_extensions,
    hub,
):
    write_notebook(
        jp_root_dir / "lab.ipynb",
        "%load_ext perspective_nb",
        "from perspective_nb import PerspectiveWidget\n"
        "w = PerspectiveWidget({'r': ['a', 'b', 'a', 'c'], 'v': [1.0, 2.0, 3.0, 4.0]},\n"
        "                      name='lab', group_by=['r'], plugin='Y Bar')\n"
        "w",
    )
    token = jp_serverapp.identity_provider.token
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    async with _chromium_page() as (page, errors):
        await open_and_run_all(page, f"{base}lab/tree/lab.ipynb?token={token}")
        await page.wait_for_selector(".perspective-nb-widget perspective-viewer", timeout=WAIT_MS)

        # the viewer loads the kernel's table (through /perspective/ws) with the widget's config
        await wait_until(
            page,
            f"(async () => {{ try {{ const v = {VIEWER}; const c = await v.save();"
            " const rows = await (await v.getView()).num_rows();"
            " return rows === 4 && c.plugin === 'Y Bar'"  # grand total + 3 groups
            " && JSON.stringify(c.group_by) === '[\"r\"]'; }"
            " catch (e) { return false; } })()",
        )
        assert "lab" in hub.names
        height = await page.evaluate(
            "document.querySelector('.perspective-nb-widget').getBoundingClientRect().height"
        )
        assert height > 100

        # kernel -> viewer
        await page.evaluate(KERNEL_STDOUT, "w.split_by = ['r']; w.plugin = 'Datagrid'")
        await wait_until(
            page,
            # The viewer may be mid-restore (not yet upgraded): poll until it answers.
            f"(async () => {{ try {{ const c = await {VIEWER}.save();"
            " return c.plugin === 'Datagrid' && c.split_by.length === 1; }"
            " catch (e) { return false; } })()",
        )

        # viewer -> kernel (a user edit in the viewer). The kernel's last change
        # may still be drawing and override an edit made meanwhile: edit again
        # until the edit holds, then it must reach the kernel.
        await wait_until(
            page,
            f"""async (code) => {{
                try {{
                    const v = {VIEWER};
                    await v.flush();
                    const c = await v.save();
                    if (c.group_by.length !== 0 || c.sort.length !== 1) {{
                        await v.restore({{group_by: [], sort: [['v', 'desc']]}});
                        return false;
                    }}
                }} catch (e) {{ return false; }}
                return (await ({KERNEL_STDOUT})(code)).trim() === 'True';
            }}""",
            "print(w.group_by == [] and w.sort == [['v', 'desc']])",
        )

        # follows JupyterLab's theme while `theme` is unset
        dark = {"theme": "JupyterLab Dark"}
        await page.evaluate(
            "(args) => window.jupyterapp.commands.execute('apputils:change-theme', args)", dark
        )
        await wait_until(
            page,
            f"(async () => {{ try {{ return (await {VIEWER}.save()).theme === 'Pro Dark'; }}"
            " catch (e) { return false; } })()",
        )
        assert errors == []

        # the full-page view of the same table, in another tab
        full = await page.context.new_page()
        await full.goto(f"{base}perspective/view/lab")
        await wait_until(
            full,
            "(async () => { const v = document.querySelector('perspective-viewer');"
            " try { return (await (await v.getView()).num_rows()) === 4; }"
            " catch (e) { return false; } })()",
        )
        status = await full.evaluate("document.getElementById('status').textContent")
        assert status == ""
        config = await full.evaluate("document.getElementById('perspective-nb-page').textContent")
        assert '"table": "lab"' in config

        # the kernel dies: the page says so; the notebook re-runs: the page re-attaches
        await page.evaluate(
            """() => {
                const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                k.requestExecute({code: "import os; os._exit(0)"}).done.catch(() => undefined);
            }"""
        )
        await full.wait_for_function(
            "document.getElementById('status').textContent.includes('not hosted')",
            timeout=WAIT_MS,
            polling=250,
        )
        await page.wait_for_function(
            "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
            timeout=WAIT_MS,
            polling=250,
        )
        await page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        await wait_until(
            full,
            "(async () => { const v = document.querySelector('perspective-viewer');"
            " if (document.getElementById('status').textContent !== '') return false;"
            " try { return (await (await v.getView()).num_rows()) === 4; }"
            " catch (e) { return false; } })()",
        )


QUICKSTART = Path(__file__).parents[2] / "notebooks" / "quickstart.ipynb"

# Resolves to the heights of the notebook's widgets once every viewer shows
# rows (and null until then).
WIDGET_HEIGHTS = """async () => {
    const widgets = Array.from(document.querySelectorAll('.perspective-nb-widget'));
    for (const w of widgets) {
        try {
            const v = w.querySelector('perspective-viewer');
            if ((await (await v.getView()).num_rows()) === 0) return null;
            await v.flush();
        } catch (e) { return null; }
    }
    return widgets.map((w) => w.getBoundingClientRect().height);
}"""


async def test_quickstart_draws_without_console_errors_and_widgets_fit(
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_root_dir,
    lab_extensions,
    hub,
):
    shutil.copy(QUICKSTART, jp_root_dir / "quickstart.ipynb")
    write_notebook(
        jp_root_dir / "sizes.ipynb",
        "from perspective_nb.widget import PerspectiveWidget\n"
        "small = {'a': list(range(7)), 'b': list('abcdefg')}",
        "PerspectiveWidget(small, settings=False)",
        "PerspectiveWidget({'a': list(range(5000))}, settings=False)",
        "PerspectiveWidget(small, settings=False, height=450)",
        "PerspectiveWidget(small, settings=False, height='20em', plugin='Y Line', columns=['a'])",
    )
    token = jp_serverapp.identity_provider.token
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    async with _chromium_page() as (page, errors):
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        await open_and_run_all(page, f"{base}lab/tree/quickstart.ipynb?reset&token={token}")
        # the chart widget (split by category after the second cell) and the magic's grid
        await wait_until(
            page,
            """async () => {
                const vs = document.querySelectorAll('.perspective-nb-widget perspective-viewer');
                if (vs.length !== 2) return false;
                try {
                    const c = await vs[0].save();
                    await vs[0].flush();
                    await vs[1].flush();
                    return c.plugin === 'Y Bar' && c.split_by.length === 1
                        && vs[0].querySelector('perspective-viewer-d3fc-ybar') !== null
                        && (await (await vs[1].getView()).num_rows()) > 0;
                } catch (e) { return false; }
            }""",
        )
        # every cell ran; then scroll the chart out of view and back (a windowed
        # notebook detaches cells out of view: no draw may happen at zero size)
        await wait_until(
            page,
            """() => window.jupyterapp.shell.currentWidget.content.widgets.every(
                (c) => c.model.type !== 'code' || c.model.executionCount)""",
        )
        for index in ("n.widgets.length - 1", "0", "n.widgets.length - 1"):
            await page.evaluate(
                f"async () => {{ const n = window.jupyterapp.shell.currentWidget.content;"
                f" await n.scrollToItem({index}, 'start'); }}"
            )
            await page.wait_for_timeout(1500)  # draws after the scroll would log now
        assert console == []
        assert errors == []

        # sizes: fit a small grid, cap a big one, honour height=
        await page.goto(f"{base}lab/tree/sizes.ipynb?reset&token={token}")
        await page.wait_for_function(
            "window.jupyterapp?.shell.currentWidget?.context?.path === 'sizes.ipynb'"
            " && window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel",
            timeout=WAIT_MS,
        )
        await page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        await wait_until(
            page,
            f"async () => (await ({WIDGET_HEIGHTS})())?.length === 4",
        )
        await page.wait_for_timeout(1000)  # the last fit follows the last draw
        small, big, fixed, em = await page.evaluate(WIDGET_HEIGHTS)
        # 7 rows of 23 px and a header: no screenful of blank space under them
        assert 7 * 23 < small < 300
        assert 500 <= big <= 600
        assert fixed == 450
        font = await page.evaluate(
            "parseFloat(getComputedStyle(document.querySelectorAll('.perspective-nb-widget')[3]).fontSize)"
        )
        assert em == pytest.approx(20 * font, abs=1)
        assert console == []
        assert errors == []


FILE_VIEWER = "document.querySelector('.perspective-nb-file perspective-viewer')"

# Resolves to [row count, first grid row's text] once the file tab shows rows.
FILE_GRID = f"""async () => {{
    const v = {FILE_VIEWER};
    try {{
        const rows = await (await v.getView()).num_rows();
        await v.flush();
        const grid = v.querySelector('perspective-viewer-datagrid').regular_table;
        const first = grid.querySelector('tbody tr');
        return rows > 0 && first
            ? [rows, Array.from(first.children).map((c) => c.textContent.trim())] : null;
    }} catch (e) {{ return null; }}
}}"""


LAYOUT_SAVED = """async ([url, label]) => {
    try {
        return (await (await fetch(url)).text()).includes(label);
    } catch (e) {
        return false;
    }
}"""

SHOW_RESTORED_TAB = """(label) => {
    try {
        for (const w of window.jupyterapp.shell.widgets('main')) {
            if (w.title.label === label) {
                window.jupyterapp.shell.activateById(w.id);
                return true;
            }
        }
    } catch (e) {}
    return false;
}"""


async def test_a_parquet_file_opens_from_the_file_browser_in_a_viewer_tab(
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_root_dir,
    lab_extensions,
    hub,
    tmp_path,
):
    import pyarrow as pa
    import pyarrow.parquet as pq

    (jp_root_dir / "data").mkdir()
    n = 5000
    table = pa.table(
        {
            "region": [["North", "South", "East"][i % 3] for i in range(n)],
            "units": list(range(n)),
            "price": [i * 0.5 for i in range(n)],
        }
    )
    pq.write_table(table, jp_root_dir / "data" / "sales.parquet")
    token = jp_serverapp.identity_provider.token
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    async with _chromium_page() as (page, errors):
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        await page.goto(f"{base}lab?reset&token={token}")
        await page.dblclick(".jp-DirListing-item[title*='data']", timeout=WAIT_MS)
        await page.dblclick(".jp-DirListing-item[title*='sales.parquet']", timeout=WAIT_MS)
        rows, first = await wait_until(page, FILE_GRID)
        assert rows == n
        assert first == ["North", "0", "0.00"]
        assert await page.evaluate("window.jupyterapp.shell.currentWidget.title.label") == (
            "sales.parquet"
        )
        # the server hosts the file; the page never downloaded it
        assert "file:data/sales.parquet" in hub.local_names()
        await page.screenshot(path=str(tmp_path / "parquet-tab.png"))

        # the default viewer of every data file type, and offered in "Open With"
        defaults = await page.evaluate(
            """() => ['a.csv', 'a.parquet', 'a.arrow', 'a.feather', 'a.jsonl'].map((p) => [
                window.jupyterapp.docRegistry.defaultWidgetFactory(p).name,
                window.jupyterapp.docRegistry.preferredWidgetFactories(p).map((f) => f.name)
                    .includes('Perspective')])"""
        )
        assert defaults == [["Perspective", True]] * 5

        # the tab survives a page reload (layout restorer); a restored tab
        # draws once shown, so show it as a user would (another tab may be
        # in front after the reload)
        # (JupyterLab saves its layout a moment after a change: wait for it)
        await wait_until(page, LAYOUT_SAVED, [f"{base}lab/api/workspaces", "sales.parquet"])
        await page.goto(f"{base}lab?token={token}")
        await wait_until(page, SHOW_RESTORED_TAB, "sales.parquet")
        assert (await wait_until(page, FILE_GRID))[0] == n
        assert console == []
        assert errors == []


NO_HUB_CONFIG = {
    "ServerApp": {"jpserver_extensions": {"jupyterlab": True}, "ip": "127.0.0.1"},
    "LabApp": {"expose_app_in_browser": True, "app_dir": str(LAB_SHARE / "lab")},
}


@pytest.mark.parametrize("jp_server_config", [NO_HUB_CONFIG])
async def test_widget_falls_back_to_its_comm_without_the_hub(
    jp_server_config,
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_root_dir,
    lab_extensions,
):
    assert "perspective_hub" not in jp_serverapp.web_app.settings
    write_notebook(
        jp_root_dir / "comm.ipynb",
        "from perspective_nb import PerspectiveWidget\n"
        "w = PerspectiveWidget({'r': ['a', 'b', 'a'], 'v': [1, 2, 3]}, group_by=['r'])\n"
        "w",
    )
    token = jp_serverapp.identity_provider.token
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    async with _chromium_page() as (page, errors):
        await open_and_run_all(page, f"{base}lab/tree/comm.ipynb?token={token}")
        await wait_until(
            page,
            f"(async () => {{ try {{ const v = {VIEWER};"
            " return (await (await v.getView()).num_rows()) === 3; }"  # total + 2 groups
            " catch (e) { return false; } })()",
        )
        out = await page.evaluate(KERNEL_STDOUT, "print(w.transport)")
        assert out.strip() == "comm"
        assert errors == []
