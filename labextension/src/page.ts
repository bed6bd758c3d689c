/**
 * The full-page viewer served at `<base_url>/perspective/view/<name>`: one
 * <perspective-viewer> bound to a hosted table through the hub's websocket
 * (authenticated by the Jupyter login cookie of this same origin).
 */
import "@finos/perspective-viewer/dist/css/themes.css";

import { attachTable } from "./attach";
import { bootPerspective, websocketClient } from "./boot";
import VIEWER_WASM from "@finos/perspective-viewer/dist/wasm/perspective-viewer.wasm";

function pageTheme(): string {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "Pro Dark" : "Pro Light";
}

async function main(): Promise<void> {
  const config = JSON.parse(document.getElementById("perspective-nb-page")!.textContent || "{}");
  const status = (message: string) => {
    document.getElementById("status")!.textContent = message;
  };
  const viewer: any = document.querySelector("perspective-viewer");
  viewer.setAttribute("theme", pageTheme());
  const url = new URL(config.ws, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  try {
    // esbuild gives the wasm's path relative to this script, not to the page.
    await bootPerspective(new URL(VIEWER_WASM, import.meta.url).toString());
    const client = await websocketClient(url.toString());
    await attachTable(client, config.table, status, async (table) => {
      await viewer.load(table);
      await viewer.restore({ theme: pageTheme(), settings: true, title: config.table });
    });
  } catch (err) {
    status(`Could not connect to ${url}: ${err}`);
  }
}

void main();
