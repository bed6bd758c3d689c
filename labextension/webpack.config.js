// Extra webpack settings merged by @jupyterlab/builder into the prebuilt
// extension build. Perspective ships ES modules plus WebAssembly: the .wasm
// files are emitted as plain assets (their URL is handed to init_client), and
// the engine's dist/esm bundles create a blob-URL import() at run time that
// webpack must not try to resolve.
module.exports = {
  module: {
    rules: [
      { test: /\.wasm$/, type: "asset/resource" },
      {
        test: /@finos[\\/]perspective[^\\/]*[\\/]dist[\\/]esm[\\/].*\.js$/,
        parser: { import: false },
      },
    ],
  },
  experiments: { asyncWebAssembly: false },
};
