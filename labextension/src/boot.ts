/**
 * Loads Perspective in the page exactly once: the <perspective-viewer>
 * custom element, its WebAssembly client, and the datagrid and d3fc chart
 * plugins. The engine itself never runs in the browser (it lives in the
 * kernel), so only the viewer's wasm is fetched.
 *
 * Custom elements can be defined once per page. When another extension
 * (e.g. perspective-python's own JupyterLab widget, same 3.8 generation)
 * already defined <perspective-viewer>, that copy is shared instead of
 * redefined: the client below finds its wasm module through the element.
 */
import perspective from "@finos/perspective";

let ready: Promise<void> | null = null;

async function loadOwnViewer(wasmUrl: string | undefined): Promise<void> {
  const viewer = await import("@finos/perspective-viewer");
  await import("@finos/perspective-viewer-datagrid");
  await import("@finos/perspective-viewer-d3fc");
  const url = wasmUrl ?? (await import("@finos/perspective-viewer/dist/wasm/perspective-viewer.wasm")).default;
  await viewer.init_client(fetch(url));
}

/**
 * Resolves once <perspective-viewer> and its wasm client are usable.
 *
 * `wasmUrl` overrides where the viewer's wasm is fetched from (the
 * standalone page resolves it next to its own script).
 */
export function bootPerspective(wasmUrl?: string): Promise<void> {
  if (ready === null) {
    ready = customElements.get("perspective-viewer")
      ? customElements.whenDefined("perspective-viewer").then(() => undefined)
      : loadOwnViewer(wasmUrl);
  }
  return ready;
}

/** A Perspective client over the browser websocket at `url`. */
export async function websocketClient(url: string): Promise<any> {
  await bootPerspective();
  return perspective.websocket(url);
}

/**
 * A Perspective client whose protocol bytes travel through `send`; feed the
 * replies to the returned client's `handle_response`.
 */
export async function callbackClient(send: (bytes: Uint8Array) => void): Promise<any> {
  await bootPerspective();
  const element: any = customElements.get("perspective-viewer");
  const { Client } = element.__wasm_module__;
  return new Client(
    async (bytes: Uint8Array) => send(bytes.slice()),
    async () => undefined
  );
}
