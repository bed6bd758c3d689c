/**
 * When a widget may draw, and how tall it should be.
 *
 * A chart drawn into an element that is detached or has no size yet
 * computes NaN coordinates (the browser logs every bad SVG attribute).
 * `SizeGate` watches an element with a ResizeObserver: `ready()` resolves
 * once the element is attached and has a non-zero size, and `onResize`
 * reports only non-zero sizes. While a `ready()` waits it also looks every
 * `POLL_MS`: an element measured at zero in the middle of a restyle (a
 * JupyterLab theme switch swaps its stylesheets) and back at its old size
 * by the next frame never changed size as far as the ResizeObserver saw. `contentHeight` measures how tall a
 * <perspective-viewer> needs to be to show all its rows and its settings.
 */

/** How often a waiting `ready()` measures the element again. */
export const POLL_MS = 250;

export class SizeGate {
  private observer: ResizeObserver;
  private waiting: Array<() => void> = [];
  private poll: ReturnType<typeof setInterval> | null = null;
  private listeners: Array<() => void> = [];
  private lastSize = "";

  constructor(private element: HTMLElement) {
    this.observer = new ResizeObserver(() => this.check());
    this.observer.observe(element);
  }

  /** Attached to the document and laid out with a non-zero width and height. */
  get sized(): boolean {
    const rect = this.element.getBoundingClientRect();
    return this.element.isConnected && rect.width > 0 && rect.height > 0;
  }

  /** Resolves when the element is attached and has a size (at once if it has). */
  ready(): Promise<void> {
    if (this.sized) {
      return Promise.resolve();
    }
    if (this.poll === null) {
      this.poll = setInterval(() => this.check(), POLL_MS);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Call `listener` after each change to a new non-zero size. */
  onResize(listener: () => void): void {
    this.listeners.push(listener);
  }

  dispose(): void {
    this.stopPolling();
    this.observer.disconnect();
    this.waiting = [];
    this.listeners = [];
  }

  private stopPolling(): void {
    if (this.poll !== null) {
      clearInterval(this.poll);
      this.poll = null;
    }
  }

  private check(): void {
    if (!this.sized) {
      return;
    }
    const waiting = this.waiting;
    this.waiting = [];
    this.stopPolling();
    waiting.forEach((resolve) => resolve());
    const rect = this.element.getBoundingClientRect();
    const size = `${Math.round(rect.width)}x${Math.round(rect.height)}`;
    if (size !== this.lastSize) {
      this.lastSize = size;
      this.listeners.forEach((listener) => listener());
    }
  }
}

/** Height a chart gets when the widget sizes itself. */
export const CHART_HEIGHT = 400;
/** Bounds of a widget that sizes itself to its content. */
export const MIN_AUTO_HEIGHT = 160;
export const MAX_AUTO_HEIGHT = 600;

// Fallbacks (the 3.8 datagrid's defaults) while nothing is drawn yet.
const ROW_HEIGHT = 23;
const HEADER_HEIGHT = 46;
const STATUS_BAR_HEIGHT = 48;
// Room for a horizontal scrollbar under the last row.
const SCROLLBAR = 16;

/** The drawn height of `element` (0 when hidden); `fallback` when it is not there yet. */
function height(element: Element | null | undefined, fallback: number): number {
  return element ? element.getBoundingClientRect().height : fallback;
}

/**
 * How tall the settings panel's content is when nothing in it scrolls:
 * its own height plus whatever each scrolling part hides.
 */
function settingsHeight(viewer: any): number {
  const panel: HTMLElement | null = viewer.shadowRoot?.querySelector("#settings_panel");
  if (!panel || panel.getBoundingClientRect().height === 0) {
    return 0;
  }
  let hidden = 0;
  panel.querySelectorAll<HTMLElement>("*").forEach((el) => {
    const extra = el.scrollHeight - el.clientHeight;
    if (extra > 1 && getComputedStyle(el).overflowY !== "visible") {
      hidden += extra;
    }
  });
  return panel.scrollHeight + hidden;
}

/**
 * The height (px) `viewer` needs to show every row of its datagrid (or a
 * chart at CHART_HEIGHT) and its settings panel when open, without the
 * widget's own toolbar; `rows` is the number of rows of its view.
 */
export function contentHeight(viewer: any, plugin: string, rows: number): number {
  const settings = settingsHeight(viewer);
  if (plugin && plugin !== "Datagrid") {
    return Math.max(CHART_HEIGHT, settings);
  }
  const grid: any = viewer.querySelector("perspective-viewer-datagrid");
  const table: HTMLElement | null =
    grid?.regular_table ?? grid?.shadowRoot?.querySelector("regular-table") ?? null;
  const header = height(table?.querySelector("thead"), HEADER_HEIGHT);
  const row = height(table?.querySelector("tbody tr"), ROW_HEIGHT) || ROW_HEIGHT;
  // Everything around the table (the status bar when settings are shown,
  // paddings), as drawn now; and a horizontal scrollbar if one shows.
  const around = table
    ? viewer.getBoundingClientRect().height - table.getBoundingClientRect().height
    : STATUS_BAR_HEIGHT;
  const scrollbar = table
    ? table.scrollWidth > table.clientWidth
      ? Math.max(table.offsetHeight - table.clientHeight, SCROLLBAR)
      : 0
    : SCROLLBAR;
  return Math.max(around + header + rows * row + scrollbar, settings);
}

/** `content` (px) within the bounds of a widget that sizes itself. */
export function autoHeight(content: number, chrome: number): number {
  const max = Math.max(MIN_AUTO_HEIGHT, Math.min(MAX_AUTO_HEIGHT, window.innerHeight * 0.8));
  return Math.round(Math.min(max, Math.max(MIN_AUTO_HEIGHT, content + chrome)));
}
