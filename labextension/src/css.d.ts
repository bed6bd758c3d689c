// Stylesheets imported for their side effect (bundled by webpack / esbuild).
declare module "*.css";
