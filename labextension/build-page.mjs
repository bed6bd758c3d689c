// Bundles the full-page viewer (src/page.ts) with esbuild into
// ../perspective_nb/labextension/page/, next to the prebuilt extension.
// The viewer's .wasm is copied beside page.js and fetched by URL.
import { build } from "esbuild";

await build({
  entryPoints: { page: "src/page.ts" },
  bundle: true,
  format: "esm",
  target: "es2022",
  outdir: "../perspective_nb/labextension/page",
  loader: { ".wasm": "file", ".css": "css" },
  assetNames: "[name]-[hash]",
  minify: true,
  logLevel: "warning",
});
