// Webpack emits .wasm files as assets (see webpack.config.js): importing one
// yields its URL.
declare module "*.wasm" {
  const url: string;
  export default url;
}
