// The standalone page: connects the official Perspective client to this
// server's websocket and loads the hosted table into <perspective-viewer>.
//
// Which npm build to import (the @finos 3.x or @perspective-dev 5.x
// generation), the websocket path and the table come from the JSON config
// the server renders into the page. State is published on
// `window.perspectiveNb` ({ready, error, client, table, viewer, name}) so
// scripts and tests can wait for the viewer.

const config = JSON.parse(document.getElementById("perspective-nb-config").textContent);
const state = (window.perspectiveNb = { ready: false, error: null, config });
const status = document.getElementById("status");
const select = document.getElementById("tables");

function websocketUrl(path) {
    const url = new URL(path, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.href;
}

function showTables(names, current) {
    select.replaceChildren(
        ...names.map((n) => {
            const option = document.createElement("option");
            option.value = option.textContent = n;
            option.selected = n === current;
            return option;
        }),
    );
    select.disabled = names.length < 2;
    select.onchange = () => {
        const params = new URLSearchParams(window.location.search);
        params.set("table", select.value);
        window.location.search = params.toString();
    };
}

async function main() {
    // Import the viewer before the client: with the 3.x builds the other
    // order breaks the viewer's wasm initialisation.
    await import(config.urls.viewer);
    await import(config.urls.datagrid);
    if (config.adapt_legacy_plugins) {
        (await import("./legacy-plugins.js")).adaptLegacyPlugins();
    }
    await import(config.urls.d3fc);
    const perspective = (await import(config.urls.client)).default;
    const client = await perspective.websocket(websocketUrl(config.websocket));
    const names = await client.get_hosted_table_names();
    const name = config.table || names[0];
    if (!name) {
        throw new Error("the server hosts no table yet; create one with client.table(data, name=...)");
    }
    if (!names.includes(name)) {
        throw new Error(`no table named "${name}" is hosted (hosted: ${names.join(", ") || "none"})`);
    }
    showTables(names, name);
    const table = await client.open_table(name);
    const viewer = document.querySelector("perspective-viewer");
    // Open as people know <perspective-viewer>: the settings panel open, and
    // a title, without which 3.x hides the status bar and the settings
    // toggle once the panel is closed.
    const shown = { settings: true, title: name };
    if (config.load_by_name) {
        // 5.x viewers take the client and open the table by name;
        // load(table) still works there but is deprecated.
        await viewer.load(client);
        await viewer.restore({ table: name, ...shown });
    } else {
        await viewer.load(table);
        await viewer.restore(shown);
    }
    // Opening the panel resizes the plugin: let it finish drawing before
    // anything (a script, a test) scrolls or restores it again.
    await viewer.flush();
    document.title = `${name} · perspective_nb`;
    const showSize = async () => {
        status.textContent = `${name}: ${await table.size()} rows`;
    };
    await showSize();
    // Keep the count current as the table is written to: a view of no
    // columns computes nothing, and its on_update fires after every write.
    const counter = await table.view({ columns: [] });
    counter.on_update(() => showSize().catch(() => {}));
    Object.assign(state, { client, table, viewer, name, ready: true });
}

main().catch((err) => {
    state.error = String(err && err.message ? err.message : err);
    status.textContent = state.error;
    status.classList.add("error");
    console.error(err);
});
