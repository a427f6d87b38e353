// The engine's two wasm builds, each compiled once per page and handed to the page's own
// instance and to every worker that runs it. Browsers keep the optimised code of a module's
// hot functions with the compiled module, so the points after the first one run at full speed
// from their first tree: when each worker compiled its own, WebKit ran a second point's first
// eight trees in its baseline tier, ten times slower, inside the timed fit.

/** @typedef {"threaded" | "single"} Build */

/** @type {Record<Build, URL>} */
const WASM_URLS = {
  threaded: new URL("./pkg/coresweep_bg.wasm", import.meta.url),
  single: new URL("./pkg-single/coresweep_bg.wasm", import.meta.url),
};

/** @type {Map<Build, Promise<WebAssembly.Module>>} */
const compiled = new Map();

/**
 * `build`'s module, compiled on its first use in this page (a failed compilation is tried
 * again on the next use).
 * @param {Build} build
 * @returns {Promise<WebAssembly.Module>}
 */
export function compiledModule(build) {
  let module = compiled.get(build);
  if (!module) {
    module = WebAssembly.compileStreaming(fetch(WASM_URLS[build])).catch((error) => {
      compiled.delete(build);
      throw error;
    });
    compiled.set(build, module);
  }
  return module;
}
