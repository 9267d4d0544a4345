//! slimfile for JavaScript: a wasm-bindgen module usable from a plain ES module, without the playground.
//!
//! ```js
//! import init, { convert, convertJson, version } from "./slimfile_js.js";
//! await init();
//! const report = convert("FROM golang:1.22\n…", { target: "auto", non_root: true });
//! report.status;            // "converted" | "unchanged" | "refused"
//! report.output;            // the rewritten Dockerfile, or null
//! convertJson(text, opts);  // the same bytes `slimfile convert --format json` prints (without its final newline)
//! ```
//! Options use the Report's own names: `target` (`"auto"`, null or a family such as `"distroless/static"`),
//! `non_root`, `keep_comments`, `cache_mounts`, `carry_files`. Unknown keys are an error, so a typo does not
//! pass silently.

use slimfile_core::{convert as engine_convert, report_json, Options};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Options of a conversion; every field is optional. */
export interface ConvertOptions {
  /** The final image family, or "auto" / null to let slimfile choose. */
  target?: "auto" | null | "scratch" | "distroless/static" | "distroless/base" | "distroless/cc"
    | "distroless/python3" | "distroless/java" | "distroless/nodejs" | "nginx" | "dotnet/aspnet"
    | "dotnet/runtime" | "slim";
  /** Run as a non-root user where the app allows (default true). */
  non_root?: boolean;
  /** Keep the user's comments (default true). */
  keep_comments?: boolean;
  /** Add RUN --mount=type=cache to go, cargo, npm, pip and maven steps (default false). */
  cache_mounts?: boolean;
  /** Carry a compiled app's run-time files (templates, static files, configuration: its folders without
   * sources and build files) to the final image (default true); false copies the program only. */
  carry_files?: boolean;
}
export interface Span { start: number; end: number; line: number; column: number; end_line: number }
export interface Change { kind: string; why: string; span: Span | null }
export interface Finding { rule: string; severity: "error" | "warning" | "info" | "style"; message: string; span: Span | null; stage: number | null }
export interface Diagnostic { severity: "error" | "warning" | "info" | "style"; message: string; span: Span | null }
export interface Bytes { typical: number; low: number; high: number }
export interface LayerEstimate { instruction: string; span: Span | null; size: Bytes; basis: string; approximate: boolean }
export interface ImageEstimate { base: string; layers: LayerEstimate[]; total: Bytes; compressed: Bytes }
export interface Estimate {
  unit: string; original: ImageEstimate; rewritten: ImageEstimate | null;
  savings: { bytes: Bytes; compressed: Bytes; percent: number; percent_low: number; percent_high: number } | null;
  assumptions: string[]; approximate_matches: string[];
}
export interface DiffSegment { text: string; emphasized: boolean }
export interface DiffRow { tag: "equal" | "delete" | "insert" | "replace"; left: { line: number; segments: DiffSegment[] } | null; right: { line: number; segments: DiffSegment[] } | null }
/** The Report: the same object `slimfile convert --format json` prints. See the README's JSON format. */
export interface Report {
  version: string;
  options: { target: string | null; non_root: boolean; keep_comments: boolean; cache_mounts: boolean; carry_files: boolean };
  status: "converted" | "unchanged" | "refused";
  runtime: string | null;
  runtime_image: string | null;
  ecosystem: string | null;
  strategy: string | null;
  output: string | null;
  reasons: string[];
  changes: Change[];
  findings: Finding[];
  stages: Array<{ index: number; name: string | null; base: { kind: "image"; image: { raw: string; resolved: string; registry: string; repository: string; tag: string | null; digest: string | null; unresolved: boolean } } | { kind: "stage"; index: number } | { kind: "scratch" }; span: Span; ecosystem: string | null; build_tools: string[]; packages: Array<{ manager: string; name: string; role: string; span: Span }>; artifacts: Array<{ path: string; kind: string; span: Span }>; target: boolean; used: boolean }>;
  edges: Array<{ from: number; to: number; kind: "from" | "copy" | "mount"; span: Span }>;
  external_refs: Array<{ image: string; to: number; kind: string; span: Span }>;
  runtime_needs: { shell: string[]; libc: string; ca_certificates: boolean; tzdata: boolean; user: string; root: string[]; packages: string[]; paths: string[] };
  diagnostics: Diagnostic[];
  diff: { rows: DiffRow[]; unified: string };
  estimate: Estimate | null;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "Report")]
    pub type JsReport;
    #[wasm_bindgen(typescript_type = "ConvertOptions")]
    pub type JsOptions;
}

/// Reads options from their JSON text (what `JSON.stringify(options)` gives).
pub fn options_from_json(json: &str) -> Result<Options, String> {
    let mut v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("options are not JSON: {e}"))?;
    if v.is_null() {
        return Ok(Options::default());
    }
    let obj = v.as_object_mut().ok_or("options must be an object")?;
    for k in obj.keys() {
        if !matches!(k.as_str(), "target" | "non_root" | "keep_comments" | "cache_mounts" | "carry_files") {
            return Err(format!("unknown option '{k}' (expected target, non_root, keep_comments, cache_mounts, carry_files)"));
        }
    }
    if obj.get("target").and_then(|t| t.as_str()) == Some("auto") {
        obj.insert("target".to_owned(), serde_json::Value::Null);
    }
    serde_json::from_value(v).map_err(|e| format!("bad options: {e}"))
}

fn options_of(options: Option<JsOptions>) -> Result<Options, JsError> {
    match options {
        None => Ok(Options::default()),
        Some(o) => {
            let v: JsValue = o.into();
            if v.is_undefined() || v.is_null() {
                return Ok(Options::default());
            }
            let text = js_sys::JSON::stringify(&v).map_err(|_| JsError::new("options cannot be turned into JSON"))?;
            options_from_json(&String::from(text)).map_err(|e| JsError::new(&e))
        }
    }
}

/// Converts a Dockerfile; returns the Report as a JavaScript object. Throws only on bad options.
#[wasm_bindgen]
pub fn convert(text: &str, options: Option<JsOptions>) -> Result<JsReport, JsError> {
    let json = convert_json(text, options)?;
    js_sys::JSON::parse(&json).map(JsCast::unchecked_into).map_err(|_| JsError::new("internal: the report is not JSON"))
}

/// Converts a Dockerfile; returns the Report as JSON text, byte for byte what `slimfile convert --format
/// json` prints (without its final newline).
#[wasm_bindgen(js_name = convertJson)]
pub fn convert_json(text: &str, options: Option<JsOptions>) -> Result<String, JsError> {
    let options = options_of(options)?;
    Ok(report_json(&engine_convert(text, &options)))
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let o = options_from_json(r#"{"target":"auto","non_root":false}"#).unwrap();
        assert_eq!(o.target, None);
        assert!(!o.non_root && o.keep_comments);
        let o = options_from_json(r#"{"target":"distroless/static"}"#).unwrap();
        assert_eq!(o.target.map(|t| t.as_str()), Some("distroless/static"));
        assert!(options_from_json(r#"{"nonRoot":false}"#).unwrap_err().contains("unknown option 'nonRoot'"));
        assert!(options_from_json(r#"{"target":"alpine"}"#).unwrap_err().contains("bad options"));
        assert_eq!(options_from_json("null").unwrap(), Options::default());
        assert!(Options::default().carry_files);
        assert!(!options_from_json(r#"{"carry_files":false}"#).unwrap().carry_files);
    }
}
