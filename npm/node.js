// slimfile for Node: the engine's WebAssembly read from the package's folder and compiled synchronously,
// so importing this module needs no top-level await.
import { readFileSync } from "node:fs";
import { initSync } from "./js/slimfile_js.js";

initSync({ module: readFileSync(new URL("./js/slimfile_js_bg.wasm", import.meta.url)) });

export { convert, convertJson, version } from "./js/slimfile_js.js";
