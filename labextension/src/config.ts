/**
 * The viewer configuration synced between the kernel's traits and
 * <perspective-viewer>: which model attributes exist, and how to turn them
 * into a `restore()` argument and back.
 */

/**
 * Model attributes that mirror a field of the bundled (3.8) viewer's config.
 * The rollup modes are kept by the kernel but not sent: this viewer
 * generation does not know them.
 */
export const CONFIG_KEYS = [
  "plugin",
  "columns",
  "columns_config",
  "group_by",
  "split_by",
  "aggregates",
  "sort",
  "filter",
  "filter_op",
  "expressions",
  "plugin_config",
  "settings",
  "title",
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Theme used when the model's `theme` is empty: follow JupyterLab. */
export function labTheme(): string {
  return document.body.dataset.jpThemeLight === "false" ? "Pro Dark" : "Pro Light";
}

/** The viewer config for a model's current attribute values. */
export function configFromModel(get: (key: string) => any): Record<string, any> {
  const config: Record<string, any> = {};
  for (const key of CONFIG_KEYS) {
    const value = get(key);
    if (key === "plugin" && !value) {
      continue;
    }
    if (key === "title" && !value) {
      config.title = null;
      continue;
    }
    config[key] = value;
  }
  config.theme = get("theme") || labTheme();
  const pluginConfig = { ...(get("plugin_config") || {}) };
  if (get("editable")) {
    pluginConfig.edit_mode = "EDIT";
  }
  config.plugin_config = pluginConfig;
  return config;
}

/** The model attribute changes a viewer config (from `save()`) implies. */
export function modelFromConfig(config: Record<string, any>): Record<string, any> {
  const attrs: Record<string, any> = {};
  for (const key of CONFIG_KEYS) {
    if (key in config && config[key] !== undefined) {
      attrs[key] = key === "title" ? config[key] ?? null : config[key];
    }
  }
  if (attrs.plugin_config) {
    const { edit_mode, ...rest } = attrs.plugin_config;
    attrs.plugin_config = rest;
    if (edit_mode !== undefined) {
      attrs.editable = edit_mode === "EDIT";
    }
  }
  return attrs;
}
