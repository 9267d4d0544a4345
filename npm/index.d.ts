// `import { convert, convertJson, version } from "slimfile"`: the engine, ready to use (Node and browsers).
export { convert, convertJson, version } from "./js/slimfile_js.js";
export type * from "./js/slimfile_js.js";
