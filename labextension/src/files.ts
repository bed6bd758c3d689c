/**
 * JupyterLab plugin: data files (.csv, .parquet, .arrow, .feather, .jsonl)
 * open in a <perspective-viewer> tab, by double-click (the default viewer)
 * or "Open With > Perspective". The tab never downloads the file: its
 * model loads no content (fileFormat null) and the viewer asks the Jupyter
 * server to host the file as a table (see fileview.ts). Tabs come back
 * after a page reload through the layout restorer.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ToolbarButton, WidgetTracker } from "@jupyterlab/apputils";
import {
  ABCWidgetFactory,
  DocumentModel,
  DocumentRegistry,
  DocumentWidget,
  IDocumentWidget,
} from "@jupyterlab/docregistry";
import { Widget } from "@lumino/widgets";

/** The widget factory's name, shown in "Open With". */
export const FACTORY = "Perspective";
const MODEL = "perspective-nb-file";

/** File types this factory opens, with the extensions of those it registers itself. */
const FILE_TYPES: Array<[string, string, string[]]> = [
  ["csv", "CSV File", [".csv"]],
  ["jsonl", "JSONLines File", [".jsonl", ".ndjson"]],
  ["parquet", "Parquet File", [".parquet"]],
  ["arrow", "Arrow File", [".arrow"]],
  ["feather", "Feather File", [".feather"]],
];

/** A document model that loads nothing: the server reads the file, not the page. */
class NoContentModelFactory implements DocumentRegistry.IModelFactory<DocumentRegistry.IModel> {
  readonly name = MODEL;
  readonly contentType = "file" as const;
  readonly fileFormat = null;
  readonly collaborative = false;
  isDisposed = false;

  preferredLanguage(): string {
    return "";
  }

  createNew(options: any): DocumentRegistry.IModel {
    return new DocumentModel(options);
  }

  dispose(): void {
    this.isDisposed = true;
  }
}

/** The tab's content: a status line and the viewer (loaded when first shown). */
export class PerspectiveFileWidget extends Widget {
  private statusNode: HTMLDivElement;
  private view: any = null;

  constructor(private context: DocumentRegistry.Context) {
    super();
    this.addClass("perspective-nb-file");
    this.statusNode = document.createElement("div");
    this.statusNode.className = "perspective-nb-status";
    this.node.appendChild(this.statusNode);
    void context.ready.then(() => this.start());
  }

  /** Read the file again from disk. */
  async reload(): Promise<void> {
    await this.view?.reload(this.context.path);
  }

  private setStatus = (message: string): void => {
    this.statusNode.textContent = message;
  };

  private async start(): Promise<void> {
    const { FileViewer } = await import("./fileview");
    if (this.isDisposed) {
      return;
    }
    this.view = new FileViewer(this.node, this.setStatus);
    await this.view.open(this.context.path);
  }

  dispose(): void {
    this.view?.dispose();
    super.dispose();
  }
}

class PerspectiveFileFactory extends ABCWidgetFactory<IDocumentWidget<PerspectiveFileWidget>> {
  protected createNewWidget(context: DocumentRegistry.Context): IDocumentWidget<PerspectiveFileWidget> {
    const content = new PerspectiveFileWidget(context);
    const widget = new DocumentWidget({ content, context });
    widget.addClass("perspective-nb-file-tab");
    widget.toolbar.addItem(
      "reload",
      new ToolbarButton({
        label: "Reload",
        tooltip: "Read the file again from disk",
        onClick: () => void content.reload(),
      })
    );
    return widget;
  }
}

export const filesPlugin: JupyterFrontEndPlugin<void> = {
  id: "perspective-nb-labextension:files",
  description: "Open data files in a Perspective viewer hosted by the Jupyter server.",
  autoStart: true,
  optional: [ILayoutRestorer],
  activate: (app: JupyterFrontEnd, restorer: ILayoutRestorer | null) => {
    const registry = app.docRegistry;
    registry.addModelFactory(new NoContentModelFactory());
    const fileTypes = FILE_TYPES.map(([name]) => name);
    const tracker = new WidgetTracker<IDocumentWidget<PerspectiveFileWidget>>({
      namespace: "perspective-nb-file",
    });
    if (restorer) {
      void restorer.restore(tracker, {
        command: "docmanager:open",
        args: (widget) => ({ path: widget.context.path, factory: FACTORY }),
        name: (widget) => widget.context.path,
      });
    }
    // The last factory registered `defaultFor` a file type is its default
    // viewer (JupyterLab's settings only add overrides). Registering once
    // every plugin is active, and before the layout restorer reopens tabs,
    // puts this viewer ahead of the CSV and JSON Lines viewers.
    void app.started.then(() => {
      // File types nobody registered yet (another extension may have).
      for (const [name, displayName, extensions] of FILE_TYPES) {
        const missing = extensions.filter((ext) => registry.getFileTypesForPath(`x${ext}`).length === 0);
        if (!registry.getFileType(name) && missing.length > 0) {
          registry.addFileType({
            name,
            displayName,
            extensions: missing,
            mimeTypes: ["application/octet-stream"],
            contentType: "file",
            fileFormat: "base64",
          });
        }
      }
      const factory = new PerspectiveFileFactory({
        name: FACTORY,
        label: "Perspective",
        modelName: MODEL,
        fileTypes,
        defaultFor: fileTypes,
        readOnly: true,
      });
      factory.widgetCreated.connect((_, widget) => {
        widget.context.pathChanged.connect(() => void tracker.save(widget));
        void tracker.add(widget);
      });
      registry.addWidgetFactory(factory);
    });
  },
};
