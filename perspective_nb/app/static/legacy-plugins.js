// Lets 4.x viewer plugins register with the 5.x <perspective-viewer>.
//
// npm has no 5.x build of @perspective-dev/viewer-d3fc (the newest is
// 4.4.1). The 5.x viewer reads a plugin's metadata once, from
// `get_static_config()`, where 4.x plugins expose it as separate getters
// (name, category, select_mode, ...). Installing this before the plugin
// module is imported adds the method, built from those getters, to every
// plugin element class that lacks it.

function staticConfig() {
    return {
        name: this.name,
        category: this.category ?? null,
        select_mode: this.select_mode ?? "select",
        min_config_columns: this.min_config_columns ?? null,
        config_column_names: this.config_column_names ?? [],
        max_cells: this.max_cells ?? null,
        max_columns: this.max_columns ?? null,
        group_rollup_modes: this.group_rollups ?? null,
        priority: this.priority ?? null,
    };
}

export function adaptLegacyPlugins() {
    const define = customElements.define.bind(customElements);
    customElements.define = (name, cls, options) => {
        if (name.startsWith("perspective-viewer-") && !("get_static_config" in cls.prototype)) {
            cls.prototype.get_static_config = staticConfig;
        }
        return define(name, cls, options);
    };
}
