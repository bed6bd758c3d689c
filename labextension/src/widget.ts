/**
 * The ipywidgets model and view of `perspective_nb.PerspectiveWidget`.
 *
 * The view hosts a <perspective-viewer>. Its table comes either from the
 * Jupyter server's hub (`<base_url>/perspective/ws`, the unchanged
 * Perspective protocol, authenticated like any Jupyter request) or, when
 * the kernel has no hub, from protocol bytes carried over the widget's comm.
 * Viewer config is synced two ways with the kernel's traits.
 *
 * Nothing is drawn until the widget is attached and has a size (a chart
 * drawn detached computes NaN coordinates): loads, restores and resizes wait
 * for the SizeGate. The widget is as tall as the `height` trait says, or
 * else as its content (rows, or a chart, and the settings panel), bounded.
 */
import { DOMWidgetModel, DOMWidgetView } from "@jupyter-widgets/base";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";

import { attachTable } from "./attach";
import { callbackClient } from "./boot";
import { hub } from "./hubclient";
import { CONFIG_KEYS, configFromModel, modelFromConfig } from "./config";
import { SizeGate, autoHeight, contentHeight } from "./size";
import { MODULE_NAME, MODULE_VERSION } from "./version";

export class PerspectiveModel extends DOMWidgetModel {
  defaults(): any {
    return {
      ...super.defaults(),
      _model_name: "PerspectiveModel",
      _model_module: MODULE_NAME,
      _model_module_version: MODULE_VERSION,
      _view_name: "PerspectiveView",
      _view_module: MODULE_NAME,
      _view_module_version: MODULE_VERSION,
      table_name: null,
      transport: "comm",
      plugin: "Datagrid",
      columns: [],
      columns_config: {},
      group_by: [],
      split_by: [],
      aggregates: {},
      sort: [],
      filter: [],
      filter_op: "and",
      expressions: {},
      plugin_config: {},
      settings: true,
      theme: null,
      title: null,
      editable: false,
      height: null,
    };
  }
}

export class PerspectiveView extends DOMWidgetView {
  private viewer: any = null;
  private status: HTMLDivElement | null = null;
  private applying = 0;
  /** The user edited the viewer while a kernel change was being applied. */
  private editedWhileApplying = false;
  /** A restore queued and not started yet. */
  private queuedRestore: Promise<void> | null = null;
  private restoring: Promise<void> = Promise.resolve();
  private commClient: any = null;
  private themeObserver: MutationObserver | null = null;
  private gate: SizeGate | null = null;
  private loaded = false;
  /** The height this view last gave itself; any other inline height is the user's. */
  private autoHeightSet = "";

  render(): void {
    this.el.classList.add("perspective-nb-widget");
    const toolbar = document.createElement("div");
    toolbar.className = "perspective-nb-toolbar";
    const title = document.createElement("span");
    title.className = "perspective-nb-title";
    toolbar.appendChild(title);
    const open = document.createElement("button");
    open.textContent = "Open in new tab";
    open.title = "Open this table in a full-page viewer";
    open.onclick = () => this.openInTab();
    toolbar.appendChild(open);
    this.el.appendChild(toolbar);
    this.status = document.createElement("div");
    this.status.className = "perspective-nb-status";
    this.el.appendChild(this.status);
    this.viewer = document.createElement("perspective-viewer");
    this.el.appendChild(this.viewer);
    this.gate = new SizeGate(this.viewer);
    // Redraw on resize ourselves (the viewer's auto-size is off, see load):
    // only ever at a real size.
    this.gate.onResize(() => {
      if (this.loaded) {
        this.chain(() => this.viewer.resize());
      }
    });
    this.applyHeight();
    this.listenTo(this.model, "change:height", () => {
      this.applyHeight();
      void this.fitHeight();
    });

    const syncToolbar = () => {
      title.textContent = this.model.get("table_name");
      open.style.display = this.model.get("transport") === "hub" ? "" : "none";
    };
    syncToolbar();
    this.listenTo(this.model, "change:table_name change:transport", () => {
      syncToolbar();
      void this.load();
    });
    const keys = [...CONFIG_KEYS, "theme", "editable"].map((k) => `change:${k}`);
    this.listenTo(this.model, keys.join(" "), () => void this.restore());
    this.listenTo(this.model, "msg:custom", (msg: any, buffers: DataView[]) =>
      this.onCustom(msg, buffers)
    );
    this.viewer.addEventListener("perspective-config-update", () => {
      void this.pushConfig();
      void this.fitHeight(); // e.g. the settings panel opened
    });
    // Follow JupyterLab's light/dark theme unless the kernel pinned one.
    this.themeObserver = new MutationObserver(() => {
      if (!this.model.get("theme")) {
        void this.restore(); // theme "" resolves to the Lab theme
      }
    });
    this.themeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-jp-theme-light"],
    });
    void this.load();
  }

  private setStatus(text: string): void {
    if (this.status) {
      this.status.textContent = text;
    }
  }

  private openInTab(): void {
    const name = this.model.get("table_name");
    const url = URLExt.join(
      PageConfig.getBaseUrl(),
      "perspective",
      "view",
      encodeURIComponent(name)
    );
    window.open(url, "_blank");
  }

  private async client(): Promise<any> {
    if (this.model.get("transport") === "hub") {
      return hub();
    }
    if (this.commClient === null) {
      this.commClient = await callbackClient((bytes: Uint8Array) =>
        this.send({ type: "request" }, [bytes.buffer])
      );
    }
    return this.commClient;
  }

  private onCustom(msg: any, buffers: DataView[]): void {
    if (msg?.type === "response" && this.commClient !== null) {
      for (const buffer of buffers) {
        const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
        void this.commClient.handle_response(bytes.slice().buffer);
      }
    }
  }

  private async load(): Promise<void> {
    const name = this.model.get("table_name");
    if (!name) {
      return;
    }
    try {
      const client = await this.client();
      await attachTable(client, name, (m) => this.setStatus(m), (table) =>
        this.loadTable(table)
      );
    } catch (err) {
      this.setStatus(`Could not connect to the table "${name}": ${err}`);
    }
  }

  /** Load a (re)opened table and apply the model's config, as one change. */
  private async loadTable(table: any): Promise<void> {
    await this.gate!.ready();
    // Resizes are driven by the SizeGate, which skips zero sizes (a hidden
    // tab, a cell scrolled out of a windowed notebook).
    this.viewer.setAutoSize?.(false);
    // The viewer reports its default config while loading: not a user edit.
    this.applying++;
    try {
      await this.viewer.load(table);
    } finally {
      this.applying--;
    }
    this.loaded = true;
    await this.restore();
  }

  /** Run `step` after every step queued before it (restores, resizes). */
  private chain(step: () => Promise<void>): Promise<void> {
    this.restoring = this.restoring
      .then(async () => {
        await this.gate!.ready();
        await step();
      })
      .catch((err) => this.setStatus(`Could not draw the viewer: ${err}`));
    return this.restoring;
  }

  /** An explicit `height` (CSS) from the kernel, or the last fitted one. */
  private applyHeight(): void {
    const height = this.model.get("height");
    if (height) {
      this.el.style.height = height;
      this.autoHeightSet = "";
    } else if (!this.userSized()) {
      this.el.style.height = this.autoHeightSet;
    }
  }

  /** Heights set by someone else: ipywidgets' `layout.height`, or a drag of the corner. */
  private userSized(): boolean {
    const layout = this.model.get("layout");
    if (layout?.get?.("height")) {
      return true;
    }
    return this.el.style.height !== "" && this.el.style.height !== this.autoHeightSet;
  }

  /** Without a `height`, make the widget as tall as its content (bounded). */
  private async fitHeight(): Promise<void> {
    if (this.model.get("height") && !this.model.get("layout")?.get?.("height")) {
      // again: ipywidgets' layout view clears the inline height when it starts
      this.applyHeight();
      return;
    }
    if (!this.loaded || this.userSized()) {
      return;
    }
    await this.gate!.ready();
    let rows = 0;
    try {
      rows = await (await this.viewer.getView()).num_rows();
    } catch {
      return; // the view is being replaced: the next restore fits again
    }
    const config = await this.viewer.save();
    const chrome = this.el.getBoundingClientRect().height - this.viewer.getBoundingClientRect().height;
    const px = `${autoHeight(contentHeight(this.viewer, config.plugin, rows), chrome)}px`;
    if (!this.userSized() && this.el.style.height !== px) {
      this.el.style.height = px;
      this.autoHeightSet = px;
    }
  }

  /**
   * Apply the model's config to the viewer. Calls are chained: one Python
   * statement can change several traits, and overlapping restores would
   * race inside the viewer. Each run reads the model afresh, so the last
   * one always applies the latest config.
   */
  private restore(): Promise<void> {
    if (!this.loaded) {
      return this.restoring; // loadTable restores once the table is in
    }
    if (this.queuedRestore !== null) {
      // One not started yet reads the model when it runs: it covers this
      // change too (several traits set one after another draw once).
      return this.queuedRestore;
    }
    this.applying++;
    this.restoring = this.restoring
      .then(async () => {
        this.queuedRestore = null;
        await this.gate!.ready();
        await this.viewer.restore(configFromModel((k) => this.model.get(k)));
        await this.viewer.flush();
      })
      .catch((err) => this.setStatus(`Could not apply the viewer config: ${err}`))
      .finally(() => {
        this.applying--;
      });
    const done = this.restoring.then(async () => {
      if (this.applying === 0 && this.editedWhileApplying) {
        await this.pushConfig();
      }
      await this.fitHeight();
    });
    this.queuedRestore = done;
    return done;
  }

  /** A user edit in the viewer: copy its config into the model. */
  private async pushConfig(): Promise<void> {
    if (this.applying > 0) {
      // Maybe our own restore, maybe the user: look again once it is done.
      this.editedWhileApplying = true;
      return;
    }
    this.editedWhileApplying = false;
    const attrs = modelFromConfig(await this.viewer.save());
    let changed = false;
    for (const [key, value] of Object.entries(attrs)) {
      if (JSON.stringify(this.model.get(key)) !== JSON.stringify(value)) {
        this.model.set(key, value);
        changed = true;
      }
    }
    if (changed) {
      this.touch();
    }
  }

  remove(): void {
    this.themeObserver?.disconnect();
    this.gate?.dispose();
    void this.viewer?.delete();
    super.remove();
  }
}
