//! The URL fragment: the Dockerfile and the options, deflated and base64url-encoded, so that a link
//! reproduces the view. The same payload, uncompressed, is what the page keeps in localStorage.
//!
//! Format: `#v1.<base64url(raw deflate(payload))>`, where the payload is one line of options
//! (`target=auto&non_root=1&keep_comments=1&cache_mounts=0&carry_files=1`), a newline, then the Dockerfile as
//! typed. An option a link does not name keeps its default (links made before it existed).
//! The compression is the browser's own (`CompressionStream`), in `www/share.js`, the one implementation
//! of the format, which the widget uses too: the wasm carries no deflate (docs/benchmarks.md). This
//! file makes and reads the payload; `www/share.js` turns it into a code and back, and never inflates
//! more than the engine reads (`MAX_INPUT_BYTES`).

use slimfile_core::syntax::MAX_INPUT_BYTES;
use slimfile_core::{Options, RuntimeFamily};
use std::rc::Rc;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

/// The options line and the text, uncompressed.
pub fn payload(text: &str, options: &Options) -> String {
    let target = options.target.map_or("auto", RuntimeFamily::as_str);
    let flag = |b: bool| if b { '1' } else { '0' };
    format!(
        "target={target}&non_root={}&keep_comments={}&cache_mounts={}&carry_files={}\n{text}",
        flag(options.non_root),
        flag(options.keep_comments),
        flag(options.cache_mounts),
        flag(options.carry_files)
    )
}

/// Reads a payload back. `None` when it has no options line.
pub fn parse_payload(payload: &str) -> Option<(String, Options)> {
    let (head, text) = payload.split_once('\n')?;
    let mut options = Options::default();
    let mut seen = false;
    for pair in head.split('&') {
        let Some((k, v)) = pair.split_once('=') else { continue };
        seen = true;
        let on = v == "1";
        match k {
            "target" => options.target = RuntimeFamily::parse(v),
            "non_root" => options.non_root = on,
            "keep_comments" => options.keep_comments = on,
            "cache_mounts" => options.cache_mounts = on,
            "carry_files" => options.carry_files = on,
            _ => {}
        }
    }
    seen.then(|| (text.to_owned(), options))
}

#[wasm_bindgen(module = "/www/share.js")]
extern "C" {
    #[wasm_bindgen(js_name = payloadToCode)]
    fn payload_to_code(payload: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = codeToPayload)]
    fn code_to_payload(code: &str) -> js_sys::Promise;
}

/// The fragment (`v1.…`, without `#`) for a text and options; `None` if the browser could not compress.
pub async fn encode(text: Rc<str>, options: Options) -> Option<String> {
    JsFuture::from(payload_to_code(&payload(&text, &options))).await.ok()?.as_string()
}

/// The text and options of a fragment (with or without the leading `#`), or `None` when it is not one
/// of ours or is damaged.
pub async fn decode(fragment: String) -> Option<(String, Options)> {
    if !fragment.trim_start_matches('#').starts_with("v1.") {
        return None; // not ours (a plain visit has none): no need to ask share.js
    }
    let payload = JsFuture::from(code_to_payload(&fragment)).await.ok()?.as_string()?;
    // share.js stops at MAX_PAYLOAD, the engine's limit plus room for the options line.
    debug_assert!(payload.len() <= MAX_INPUT_BYTES + 256);
    parse_payload(&payload)
}

/// What a docs page pastes to show this Dockerfile as slimfile's widget (README, "The widget"): the loader
/// from this site, next to the page at `page_url`, and the Dockerfile in a `<pre class="slimfile">` block,
/// HTML-escaped, with the options that differ from the defaults as data attributes.
pub fn embed_snippet(page_url: &str, text: &str, options: &Options) -> String {
    let page = page_url.split(['?', '#']).next().unwrap_or_default();
    let dir = page.rfind('/').map_or(page, |i| &page[..=i]);
    let defaults = Options::default();
    let mut attrs = String::new();
    if let Some(t) = options.target {
        attrs.push_str(&format!(" data-target=\"{}\"", t.as_str()));
    }
    if options.non_root != defaults.non_root {
        attrs.push_str(&format!(" data-non-root=\"{}\"", options.non_root));
    }
    if options.keep_comments != defaults.keep_comments {
        attrs.push_str(&format!(" data-keep-comments=\"{}\"", options.keep_comments));
    }
    if options.cache_mounts != defaults.cache_mounts {
        attrs.push_str(&format!(" data-cache-mounts=\"{}\"", options.cache_mounts));
    }
    if options.carry_files != defaults.carry_files {
        attrs.push_str(&format!(" data-carry-files=\"{}\"", options.carry_files));
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.trim_end_matches(['\n', '\r']).chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    format!("<script src=\"{dir}embed.js\" defer></script>\n<pre class=\"slimfile\"{attrs}>{escaped}</pre>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_text_and_options() {
        let text = "FROM ubuntu\nRUN echo 'héllo' \\\n  && true\r\n# ünïcode ✓\n";
        let options = Options {
            target: Some(RuntimeFamily::Scratch),
            non_root: false,
            keep_comments: false,
            cache_mounts: true,
            carry_files: false,
        };
        let p = payload(text, &options);
        assert_eq!(p.lines().next(), Some("target=scratch&non_root=0&keep_comments=0&cache_mounts=1&carry_files=0"));
        assert_eq!(parse_payload(&p), Some((text.to_owned(), options)));
        assert_eq!(parse_payload(&payload("", &Options::default())), Some((String::new(), Options::default())));
        assert_eq!(parse_payload("FROM x"), None, "no options line");
        assert_eq!(parse_payload("FROM x\nRUN y"), None, "a first line without options");
    }

    #[test]
    fn options_are_read_leniently() {
        let (text, o) = parse_payload("target=nope&non_root=0&whatever=1\nFROM x").unwrap();
        assert_eq!(text, "FROM x");
        assert_eq!(o.target, None);
        assert!(!o.non_root);
        assert!(o.keep_comments);
        // A link made before carry_files existed keeps its default.
        let (_, o) = parse_payload("target=auto&non_root=1&keep_comments=1&cache_mounts=0\nFROM x").unwrap();
        assert!(o.carry_files);
    }

    #[test]
    fn the_embed_snippet_escapes_the_text_and_names_only_changed_options() {
        let page = "https://example.org/tools/slimfile/index.html?x=1";
        let text = "FROM alpine\nRUN echo '</pre><script>alert(1)</script>' && true\n";
        let s = embed_snippet(page, text, &Options::default());
        assert_eq!(
            s,
            "<script src=\"https://example.org/tools/slimfile/embed.js\" defer></script>\n\
             <pre class=\"slimfile\">FROM alpine\nRUN echo '&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;' &amp;&amp; true</pre>\n"
        );
        let options = Options {
            target: RuntimeFamily::parse("distroless/base"),
            non_root: false,
            keep_comments: false,
            cache_mounts: true,
            carry_files: false,
        };
        let s = embed_snippet("http://127.0.0.1:8080/", "FROM x\n", &options);
        assert!(s.starts_with("<script src=\"http://127.0.0.1:8080/embed.js\" defer></script>\n"), "{s}");
        assert!(
            s.contains("<pre class=\"slimfile\" data-target=\"distroless/base\" data-non-root=\"false\" data-keep-comments=\"false\" data-cache-mounts=\"true\" data-carry-files=\"false\">FROM x</pre>"),
            "{s}"
        );
    }
}
