// slimfile for browsers and bundlers: the engine's WebAssembly, loaded before this module resolves
// (top-level await; the wasm's URL is `new URL("slimfile_js_bg.wasm", import.meta.url)` in js/slimfile_js.js,
// which Vite, webpack 5, Parcel and esbuild copy as an asset). Node takes node.js instead (package.json).
import init from "./js/slimfile_js.js";

await init();

export { convert, convertJson, version } from "./js/slimfile_js.js";
