//! The few browser APIs the page uses, each failing quietly (a blocked localStorage or clipboard must
//! not break the playground). Nothing here writes HTML: attributes and text only.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub const STORAGE_LAST: &str = "slimfile.last";
pub const STORAGE_THEME: &str = "slimfile.theme";

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// `location.hash`, with its `#`.
pub fn hash() -> String {
    window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The page's address without its fragment.
pub fn page_url() -> String {
    let Some(w) = window() else { return String::new() };
    let href = w.location().href().unwrap_or_default();
    match href.find('#') {
        Some(i) => href[..i].to_owned(),
        None => href,
    }
}

/// Replaces the fragment without a history entry or a `hashchange` event.
pub fn replace_hash(fragment: &str) {
    let Some(w) = window() else { return };
    if let Ok(history) = w.history() {
        let url = format!("{}#{}", page_url(), fragment);
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Keeps the current address as a history entry, so that Back returns to it (before an example
/// replaces the text; the `hashchange` listener then restores it).
pub fn push_history() {
    let Some(w) = window() else { return };
    if let (Ok(history), Ok(href)) = (w.history(), w.location().href()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&href));
    }
}

/// Writes text to the clipboard; `done(true)` when the browser accepted it.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(w) = window() else { return done(false) };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Offers text as a file download (a Blob URL on a temporary link).
pub fn download(name: &str, text: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Sets (or with `None` removes) an attribute of `<html>`.
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Whether a media query matches now, and a listener for when that changes (kept for the page's life).
pub fn media_query(query: &str, on_change: impl Fn(bool) + 'static) -> bool {
    let Some(mql) = window().and_then(|w| w.match_media(query).ok().flatten()) else { return false };
    let matches = mql.matches();
    let cb = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |e: web_sys::MediaQueryListEvent| {
        on_change(e.matches())
    });
    let _ = mql.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
    cb.forget();
    matches
}

/// Calls `f` on every `hashchange` (a pasted link in the same tab) and `popstate` (Back and Forward
/// between entries the page pushed), for the page's life.
pub fn on_hash_change(f: impl Fn() + 'static) {
    let Some(w) = window() else { return };
    let cb = Closure::<dyn Fn()>::new(f);
    let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    let _ = w.add_event_listener_with_callback("popstate", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Writes measurements where the browser test (and a curious user) can read them.
pub fn set_metric(name: &str, value: f64) {
    set_root_attribute(name, Some(&slimfile_core::units::decimal(value, 2)));
}

/// Removes the static "loading" note once the app has drawn itself.
pub fn remove_element(id: &str) {
    if let Some(e) = window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        e.remove();
    }
}
