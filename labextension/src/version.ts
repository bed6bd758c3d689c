/** The npm name and version the Python widget's `_model_module` points at. */
export const MODULE_NAME = "perspective-nb-labextension";
export const MODULE_VERSION = "0.1.0";
