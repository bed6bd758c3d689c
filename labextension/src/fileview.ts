/**
 * The viewer of a data file tab: asks the Jupyter server to host the file
 * (`POST <base_url>/perspective/open?path=...`), then shows the hosted
 * table through the hub's websocket, so only the rows drawn travel.
 * Loaded lazily, with the viewer, when a file tab first shows.
 */
import { URLExt } from "@jupyterlab/coreutils";
import { ServerConnection } from "@jupyterlab/services";

import { attachTable, StatusCallback } from "./attach";
import { labTheme } from "./config";
import { hub } from "./hubclient";
import { SizeGate } from "./size";

/** What the server answers when it hosts a file. */
export interface IHostedFile {
  table: string;
  path: string;
  rows: number;
}

/**
 * Ask the server to host the file at `path` (relative to its root) as a
 * table; it reads the file again if it changed, or always with `reload`.
 */
export async function hostFile(path: string, reload = false): Promise<IHostedFile> {
  const settings = ServerConnection.makeSettings();
  const url =
    URLExt.join(settings.baseUrl, "perspective", "open") +
    `?path=${encodeURIComponent(path)}` +
    (reload ? "&reload=1" : "");
  const response = await ServerConnection.makeRequest(url, { method: "POST" }, settings);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.message || `${response.status} ${response.statusText}`);
  }
  return body as IHostedFile;
}

/** A <perspective-viewer> in `host` showing one data file; drawn only while sized. */
export class FileViewer {
  readonly viewer: any;
  private gate: SizeGate;
  private loaded = false;
  private queue: Promise<void> = Promise.resolve();
  private themeObserver: MutationObserver;

  constructor(host: HTMLElement, private status: StatusCallback) {
    this.viewer = document.createElement("perspective-viewer");
    host.appendChild(this.viewer);
    this.gate = new SizeGate(this.viewer);
    // A hidden tab has no size: redraw ourselves, never at zero size.
    this.gate.onResize(() => {
      if (this.loaded) {
        this.then(() => this.viewer.resize());
      }
    });
    this.themeObserver = new MutationObserver(() => {
      if (this.loaded) {
        this.then(() => this.viewer.restore({ theme: labTheme() }));
      }
    });
    this.themeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-jp-theme-light"],
    });
  }

  /** Host the file and show it; resolves once it is shown (or failed, said in the status). */
  async open(path: string): Promise<void> {
    try {
      this.status(`Loading ${path}...`);
      const hosted = await hostFile(path);
      const client = await hub();
      await attachTable(client, hosted.table, this.status, async (table) => {
        await this.gate.ready();
        this.viewer.setAutoSize?.(false);
        await this.viewer.load(table);
        await this.viewer.restore({ theme: labTheme(), settings: true, title: hosted.path });
        this.loaded = true;
      });
    } catch (err: any) {
      this.status(`Could not open ${path}: ${err?.message ?? err}`);
    }
  }

  /** Read the file again (its table's rows are replaced; the viewer keeps its config). */
  async reload(path: string): Promise<void> {
    try {
      await hostFile(path, true);
      this.status("");
    } catch (err: any) {
      this.status(`Could not reload ${path}: ${err?.message ?? err}`);
    }
  }

  dispose(): void {
    this.themeObserver.disconnect();
    this.gate.dispose();
    void this.viewer.delete?.();
  }

  private then(step: () => Promise<void>): void {
    this.queue = this.queue
      .then(async () => {
        await this.gate.ready();
        await step();
      })
      .catch((err) => this.status(`Could not draw the viewer: ${err}`));
  }
}
