/**
 * JupyterLab plugins: the perspective_nb widget, registered with the
 * ipywidgets manager so `PerspectiveWidget` renders in JupyterLab and
 * Notebook 7; and data files opened in a Perspective tab (files.ts).
 */
import { IJupyterWidgetRegistry } from "@jupyter-widgets/base";
import { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";

import { filesPlugin } from "./files";
import { MODULE_NAME, MODULE_VERSION } from "./version";

const plugin: JupyterFrontEndPlugin<void> = {
  id: "perspective-nb-labextension:plugin",
  description: "Perspective viewer widget for perspective_nb.",
  autoStart: true,
  requires: [IJupyterWidgetRegistry],
  activate: (_app: JupyterFrontEnd, registry: IJupyterWidgetRegistry) => {
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      // Loaded lazily: the viewer and its wasm are fetched only when a
      // notebook actually shows a Perspective widget.
      exports: async () => import("./widget"),
    });
  },
};

export default [plugin, filesPlugin];
