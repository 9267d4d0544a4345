//! "Project files": a dropped folder, a picked folder or picked files, read in the browser. `www/project-
//! files.js` lists what was given (folders of dependencies named, not entered); this reads only the files
//! the engine's readers want (`slimfile_core::context::wants`), within the engine's limits, and nothing
//! leaves the page.

use slimfile_core::context::{prepare, wants, BuildContext, Want, MAX_FILE_BYTES, MAX_PATHS, MAX_SOURCE_FILES, MAX_TOTAL_BYTES, OPAQUE_FOLDERS};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::state::Project;

#[wasm_bindgen(module = "/www/project-files.js")]
extern "C" {
    #[wasm_bindgen(js_name = listInput)]
    fn list_input(input: &JsValue, opaque: &JsValue, max: u32) -> JsValue;
    #[wasm_bindgen(js_name = listDrop)]
    fn list_drop(data_transfer: &JsValue, opaque: &JsValue, max: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = readText)]
    fn read_text(file: &JsValue) -> js_sys::Promise;
}

fn opaque() -> JsValue {
    OPAQUE_FOLDERS.iter().map(|s| JsValue::from_str(s)).collect::<js_sys::Array>().into()
}

/// The files of an `<input type=file>` (a folder with `webkitdirectory`, or files).
pub async fn from_input(input: &JsValue) -> Project {
    read(list_input(input, &opaque(), MAX_PATHS as u32)).await
}

/// What a drop holds (`event.dataTransfer`): one folder, or files.
pub async fn from_drop(data_transfer: &JsValue) -> Project {
    match JsFuture::from(list_drop(data_transfer, &opaque(), MAX_PATHS as u32)).await {
        Ok(listed) => read(listed).await,
        Err(_) => Project { skipped: vec!["the browser did not give the dropped files".to_owned()], ..Project::default() },
    }
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads the wanted files of a listing (`{paths: [[path, size, File]], truncated, folder}`).
async fn read(listed: JsValue) -> Project {
    let entries = js_sys::Array::from(&get(&listed, "paths"));
    let truncated = get(&listed, "truncated").as_bool().unwrap_or(false);
    let folder = get(&listed, "folder").as_bool().unwrap_or(false);
    let mut p = Project::default();
    p.context.complete = folder && !truncated;
    if truncated {
        p.skipped.push(format!("the folder has more than {MAX_PATHS} files and folders: the page listed the first {MAX_PATHS}"));
    }
    let (mut total, mut sources) = (0usize, 0usize);
    for e in entries.iter() {
        let e = js_sys::Array::from(&e);
        let Some(path) = e.get(0).as_string() else { continue };
        let size = e.get(1).as_f64().unwrap_or(0.0) as usize;
        let file = e.get(2);
        p.context.paths.push(path.clone());
        if path.ends_with('/') || wants(&path) == Want::No || file.is_null() {
            continue;
        }
        let source = path.ends_with(".go") || path.ends_with(".rs");
        if size > MAX_FILE_BYTES {
            p.skipped.push(format!("{path} is over {} MiB: not read", MAX_FILE_BYTES >> 20));
            continue;
        }
        if total + size > MAX_TOTAL_BYTES || (source && sources >= MAX_SOURCE_FILES) {
            p.skipped.push(format!("{path}: the page reads at most {} MiB and {MAX_SOURCE_FILES} source files: not read", MAX_TOTAL_BYTES >> 20));
            continue;
        }
        match JsFuture::from(read_text(&file)).await.ok().and_then(|t| t.as_string()) {
            Some(text) => {
                total += size;
                sources += usize::from(source);
                let text = prepare(&path, &text);
                p.context.files.insert(path, text);
            }
            None => p.skipped.push(format!("{path} is not UTF-8 text: not read")),
        }
    }
    p.context.paths.sort();
    p.context.paths.dedup();
    let n = p.context.paths.iter().filter(|q| !q.ends_with('/')).count();
    p.origin = if folder { format!("a folder of {n} files") } else { format!("{n} files") };
    p
}

/// The project a link carries.
pub fn from_link(context: BuildContext) -> Project {
    let origin = if context.is_empty() { String::new() } else { "the link".to_owned() };
    Project { context, skipped: vec![], origin }
}
