//! slimfile for JavaScript: a wasm-bindgen module usable from a plain ES module, without the playground.
//!
//! ```js
//! import init, { convert, convertJson, version } from "./slimfile_js.js";
//! await init();
//! const report = convert("FROM golang:1.22\n…", { target: "auto", non_root: true });
//! // With the project's files (the build context): package.json's start script, Cargo.toml's binary, …
//! convert(text, {}, { "package.json": "{ \"scripts\": { \"start\": \"node server.js\" } }" });
//! report.status;            // "converted" | "unchanged" | "refused"
//! report.output;            // the rewritten Dockerfile, or null
//! convertJson(text, opts);  // the same bytes `slimfile convert --format json` prints (without its final newline)
//! ```
//! Options use the Report's own names: `target` (`"auto"`, null or a family such as `"distroless/static"`),
//! `non_root`, `keep_comments`, `cache_mounts`, `carry_files` (default true; false copies a compiled app's program only), `date` (the day support windows are judged on,
//! `"YYYY-MM-DD"`; default: today, from the browser's clock, as the CLI does). Unknown keys are an
//! error, so a typo does not pass silently.
//! The third argument, the project's files, is an object of path (relative to the build context) → text,
//! or the whole context `{ files, paths, complete, healthchecks }` (`slimfile_core::BuildContext`); no
//! file leaves the page: the engine reads them where it runs.

use slimfile_core::context::{prepare, BuildContext};
use slimfile_core::{convert_with, report_json, Options};
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
  /** The day support windows are judged on, "YYYY-MM-DD" (default: today, UTC). */
  date?: string | null;
}
/** A compose service's health check, which runs inside the container. */
export interface HealthCheck { source: string; test: string[] }
/** The build context: the project's files the readers want, the paths that exist, whether that list is
 *  every path, and compose health checks. */
export interface BuildContext {
  files: Record<string, string>;
  paths?: string[];
  complete?: boolean;
  healthchecks?: HealthCheck[];
}
/** The project's files: path (relative to the build context) → text, or the whole context. */
export type ProjectFiles = Record<string, string> | BuildContext;
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
  options: { target: string | null; non_root: boolean; keep_comments: boolean; cache_mounts: boolean; carry_files: boolean; date: string | null };
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
  /** Present when project files were given: the files answers came from, and a proposed .dockerignore. */
  context?: { files_used: string[]; dockerignore: string | null };
  /** The date of the image knowledge (which tags exist, support windows) and the day support was judged on. */
  knowledge: { as_of: string; judged_on: string };
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "Report")]
    pub type JsReport;
    #[wasm_bindgen(typescript_type = "ConvertOptions")]
    pub type JsOptions;
    #[wasm_bindgen(typescript_type = "ProjectFiles")]
    pub type JsFiles;
}

/// Reads the project's files from their JSON text: an object of path → text (the listing is those paths,
/// not the whole context), or `{ "files": {…}, "paths": […], "complete": …, "healthchecks": […] }`. Each
/// file goes through `prepare` (a `.env` file keeps only its key names).
pub fn context_from_json(json: &str) -> Result<BuildContext, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("files are not JSON: {e}"))?;
    if v.is_null() {
        return Ok(BuildContext::default());
    }
    let obj = v.as_object().ok_or("files must be an object of path → text")?;
    let mut ctx = if obj.get("files").is_some_and(|f| f.is_object()) {
        serde_json::from_value::<BuildContext>(v).map_err(|e| format!("bad build context: {e}"))?
    } else {
        let mut ctx = BuildContext::default();
        for (path, text) in obj {
            let text = text.as_str().ok_or_else(|| format!("the file '{path}' is not text"))?;
            ctx.files.insert(path.clone(), text.to_owned());
            ctx.paths.push(path.clone());
        }
        ctx
    };
    ctx.files = std::mem::take(&mut ctx.files).into_iter().map(|(p, t)| {
        let t = prepare(&p, &t);
        (p, t)
    }).collect();
    Ok(ctx)
}

fn context_of(files: Option<JsFiles>) -> Result<BuildContext, JsError> {
    let Some(f) = files else { return Ok(BuildContext::default()) };
    let v: JsValue = f.into();
    if v.is_undefined() || v.is_null() {
        return Ok(BuildContext::default());
    }
    let text = js_sys::JSON::stringify(&v).map_err(|_| JsError::new("files cannot be turned into JSON"))?;
    context_from_json(&String::from(text)).map_err(|e| JsError::new(&e))
}

/// Reads options from their JSON text (what `JSON.stringify(options)` gives).
pub fn options_from_json(json: &str) -> Result<Options, String> {
    let mut v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("options are not JSON: {e}"))?;
    if v.is_null() {
        return Ok(Options::default());
    }
    let obj = v.as_object_mut().ok_or("options must be an object")?;
    for k in obj.keys() {
        if !matches!(k.as_str(), "target" | "non_root" | "keep_comments" | "cache_mounts" | "carry_files" | "date") {
            return Err(format!("unknown option '{k}' (expected target, non_root, keep_comments, cache_mounts, carry_files, date)"));
        }
    }
    if obj.get("target").and_then(|t| t.as_str()) == Some("auto") {
        obj.insert("target".to_owned(), serde_json::Value::Null);
    }
    serde_json::from_value(v).map_err(|e| format!("bad options: {e}"))
}

/// The options, judged on today (UTC, the browser's clock) unless they name a `date`.
fn options_of(options: Option<JsOptions>) -> Result<Options, JsError> {
    let mut o = match options.map(JsValue::from).filter(|v| !v.is_undefined() && !v.is_null()) {
        None => Options::default(),
        Some(v) => {
            let text = js_sys::JSON::stringify(&v).map_err(|_| JsError::new("options cannot be turned into JSON"))?;
            options_from_json(&String::from(text)).map_err(|e| JsError::new(&e))?
        }
    };
    if o.date.is_none() {
        o.date = Some(String::from(js_sys::Date::new_0().to_iso_string()).chars().take(10).collect());
    }
    Ok(o)
}

/// Converts a Dockerfile, with the project's files when given; returns the Report as a JavaScript
/// object. Throws only on bad options or files.
#[wasm_bindgen]
pub fn convert(text: &str, options: Option<JsOptions>, files: Option<JsFiles>) -> Result<JsReport, JsError> {
    let json = convert_json(text, options, files)?;
    js_sys::JSON::parse(&json).map(JsCast::unchecked_into).map_err(|_| JsError::new("internal: the report is not JSON"))
}

/// Converts a Dockerfile; returns the Report as JSON text, byte for byte what `slimfile convert --format
/// json` prints (without its final newline).
#[wasm_bindgen(js_name = convertJson)]
pub fn convert_json(text: &str, options: Option<JsOptions>, files: Option<JsFiles>) -> Result<String, JsError> {
    let options = options_of(options)?;
    let context = context_of(files)?;
    Ok(report_json(&convert_with(text, &options, &context)))
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
        assert_eq!(options_from_json(r#"{"date":"2026-12-03"}"#).unwrap().date.as_deref(), Some("2026-12-03"));
    }

    #[test]
    fn files() {
        let c = context_from_json(r#"{"package.json": "{}", ".env": "TOKEN=secret\n"}"#).unwrap();
        assert_eq!(c.files[".env"], "TOKEN=\n", "a .env file keeps its key names only");
        assert_eq!(c.paths, [".env", "package.json"]);
        assert!(!c.complete);
        let c = context_from_json(r#"{"files": {"Cargo.toml": "[package]\nname = \"x\"\n"}, "paths": ["Cargo.toml", "src/main.rs"], "complete": true}"#).unwrap();
        assert!(c.complete && c.paths.len() == 2);
        assert!(context_from_json(r#"{"package.json": 3}"#).unwrap_err().contains("'package.json' is not text"));
        assert!(context_from_json(r#"{"files": {}, "extra": 1}"#).unwrap_err().contains("bad build context"));
        assert!(context_from_json("[]").unwrap_err().contains("must be an object"));
        assert_eq!(context_from_json("null").unwrap(), BuildContext::default());
    }
}
