// A .wasm file imported by the Workers entry: wrangler bundles it as a compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
