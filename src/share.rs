//! The URL fragment: the Dockerfile and the options, deflated and base64url-encoded, so that a link
//! reproduces the view. The same payload, uncompressed, is what the page keeps in localStorage.
//!
//! Format: `#v1.<base64url(raw deflate(payload))>`, where the payload is one line of options
//! (`target=auto&non_root=1&keep_comments=1&cache_mounts=0&carry_files=1`), a newline, then the Dockerfile as
//! typed. An option a link does not name keeps its default (links made before it existed).
//! With project files the options line ends `&files=1` and the next line is their JSON (the engine's
//! `BuildContext`): only the small files the conversion used go in ([`shareable`]), never a `.env`.
//! The compression is the browser's own (`CompressionStream`), in `www/share.js`, the one implementation
//! of the format, which the widget uses too: the wasm carries no deflate (docs/benchmarks.md). This
//! file makes and reads the payload; `www/share.js` turns it into a code and back, and never inflates
//! more than the engine reads (`MAX_INPUT_BYTES`).

use slimfile_core::context::{wants, BuildContext, Want};
use slimfile_core::syntax::MAX_INPUT_BYTES;
use slimfile_core::{Options, Report, RuntimeFamily};
use std::rc::Rc;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

/// The project files a link carries at most (their text, before compression): a link stays one that
/// chat tools and browsers take (tens of kB once deflated), and the engine's files are small.
pub const MAX_LINK_FILES: usize = 64 * 1024;
/// The listing a link carries at most (its JSON); past that it carries the files alone.
pub const MAX_LINK_PATHS: usize = 16 * 1024;

/// The options line, the project files' line when there are any, and the text, uncompressed.
pub fn payload(text: &str, options: &Options, files: &BuildContext) -> String {
    let target = options.target.map_or("auto", RuntimeFamily::as_str);
    let flag = |b: bool| if b { '1' } else { '0' };
    let files_line = if files.is_empty() {
        String::new()
    } else {
        format!("&files=1\n{}", serde_json::to_string(files).unwrap_or_default())
    };
    format!(
        "target={target}&non_root={}&keep_comments={}&cache_mounts={}&carry_files={}{files_line}\n{text}",
        flag(options.non_root),
        flag(options.keep_comments),
        flag(options.cache_mounts),
        flag(options.carry_files)
    )
}

/// What a link keeps of the project: the files the conversion used (never a `.env`), smallest first
/// while they fit [`MAX_LINK_FILES`], and the listing when it fits [`MAX_LINK_PATHS`]; with what it
/// leaves out, for the Share dialog.
pub fn shareable(context: &BuildContext, report: &Report) -> (BuildContext, Vec<String>) {
    let mut out = BuildContext::default();
    let mut left = Vec::new();
    let used: Vec<&String> = report.context.as_ref().map(|c| c.files_used.iter().collect()).unwrap_or_default();
    let mut files: Vec<(&String, &String)> = context.files.iter().filter(|(p, _)| used.contains(p) && wants(p) == Want::Whole).collect();
    files.sort_by_key(|(p, t)| (t.len(), p.as_str()));
    let mut total = 0;
    for (p, t) in files {
        if total + t.len() > MAX_LINK_FILES {
            left.push(format!("{p} ({} KB)", t.len().div_ceil(1000)));
            continue;
        }
        total += t.len();
        out.files.insert(p.clone(), t.clone());
    }
    let listing = serde_json::to_string(&context.paths).map_or(usize::MAX, |s| s.len());
    if listing <= MAX_LINK_PATHS {
        out.paths = context.paths.clone();
        out.complete = context.complete && left.is_empty();
    } else if !context.paths.is_empty() {
        left.push(format!("the list of the folder's {} paths", context.paths.len()));
        out.paths = out.files.keys().cloned().collect();
    }
    if out.files.is_empty() && (out.paths.is_empty() || used.is_empty()) {
        out = BuildContext::default();
    }
    (out, left)
}

/// Reads a payload back: text, options and the project files (empty when it has none). `None` when it
/// has no options line, or its files line is not the engine's JSON.
pub fn parse_payload(payload: &str) -> Option<(String, Options, BuildContext)> {
    let (head, mut text) = payload.split_once('\n')?;
    let mut options = Options::default();
    let mut seen = false;
    let mut with_files = false;
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
            "files" => with_files = on,
            _ => {}
        }
    }
    let mut files = BuildContext::default();
    if with_files {
        let (line, rest) = text.split_once('\n').unwrap_or((text, ""));
        files = serde_json::from_str(line).ok()?;
        text = rest;
    }
    seen.then(|| (text.to_owned(), options, files))
}

#[wasm_bindgen(module = "/www/share.js")]
extern "C" {
    #[wasm_bindgen(js_name = payloadToCode)]
    fn payload_to_code(payload: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = codeToPayload)]
    fn code_to_payload(code: &str) -> js_sys::Promise;
}

/// The fragment (`v1.…`, without `#`) for a text, options and project files; `None` if the browser could
/// not compress.
pub async fn encode(text: Rc<str>, options: Options, files: Rc<BuildContext>) -> Option<String> {
    JsFuture::from(payload_to_code(&payload(&text, &options, &files))).await.ok()?.as_string()
}

/// The text, options and project files of a fragment (with or without the leading `#`), or `None` when
/// it is not one of ours or is damaged.
pub async fn decode(fragment: String) -> Option<(String, Options, BuildContext)> {
    if !fragment.trim_start_matches('#').starts_with("v1.") {
        return None; // not ours (a plain visit has none): no need to ask share.js
    }
    let payload = JsFuture::from(code_to_payload(&fragment)).await.ok()?.as_string()?;
    // share.js stops at MAX_PAYLOAD, the engine's limit plus room for the options and files lines.
    debug_assert!(payload.len() <= MAX_INPUT_BYTES + (128 << 10));
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
        let options =
            Options { target: Some(RuntimeFamily::Scratch), non_root: false, keep_comments: false, cache_mounts: true, carry_files: false, date: None };
        let none = BuildContext::default();
        let p = payload(text, &options, &none);
        assert_eq!(p.lines().next(), Some("target=scratch&non_root=0&keep_comments=0&cache_mounts=1&carry_files=0"));
        assert_eq!(parse_payload(&p), Some((text.to_owned(), options.clone(), none.clone())));
        assert_eq!(parse_payload(&payload("", &Options::default(), &none)), Some((String::new(), Options::default(), none.clone())));
        // Project files: a second line of JSON, the text after it as typed.
        let mut files = BuildContext { complete: true, ..BuildContext::default() };
        files.files.insert("package.json".into(), "{\n  \"scripts\": {\"start\": \"node a.js\"}\n}\n".into());
        files.paths = vec!["a.js".into(), "package.json".into()];
        let p = payload(text, &options, &files);
        assert!(p.lines().next().unwrap().ends_with("&files=1"));
        assert_eq!(parse_payload(&p), Some((text.to_owned(), options, files)));
        assert_eq!(parse_payload("target=auto&files=1\nnot json\nFROM x"), None);
        assert_eq!(parse_payload("FROM x"), None, "no options line");
        assert_eq!(parse_payload("FROM x\nRUN y"), None, "a first line without options");
    }

    #[test]
    fn a_link_keeps_the_small_files_used_and_never_a_dot_env() {
        let mut ctx = BuildContext { complete: true, ..BuildContext::default() };
        ctx.files.insert("package.json".into(), r#"{"scripts": {"start": "node server.js"}}"#.into());
        ctx.files.insert("package-lock.json".into(), format!(r#"{{"lockfileVersion": 3, "pad": "{}"}}"#, "x".repeat(MAX_LINK_FILES)));
        ctx.files.insert(".env".into(), "TOKEN=\n".into());
        ctx.paths = vec![".env".into(), ".git/".into(), "package-lock.json".into(), "package.json".into(), "server.js".into()];
        let text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"start\"]\n";
        let mut report = slimfile_core::convert_with(text, &Options::default(), &ctx);
        report.context.as_mut().unwrap().files_used.extend(["package-lock.json".to_owned(), ".env".to_owned()]);
        let (shared, left) = shareable(&ctx, &report);
        assert_eq!(shared.files.keys().collect::<Vec<_>>(), ["package.json"]);
        assert_eq!(shared.paths, ctx.paths, "the listing is small: kept");
        assert!(!shared.complete, "a file was left out");
        assert_eq!(left.len(), 1);
        assert!(left[0].starts_with("package-lock.json ("), "{left:?}");
        // The link converts as the page did.
        let again = slimfile_core::convert_with(text, &Options::default(), &shared);
        assert_eq!(again.runtime, report.runtime);
        // Nothing used: nothing shared.
        let plain = slimfile_core::convert(text, &Options::default());
        assert!(shareable(&ctx, &plain).0.is_empty());
    }

    #[test]
    fn options_are_read_leniently() {
        let (text, o, _) = parse_payload("target=nope&non_root=0&whatever=1\nFROM x").unwrap();
        assert_eq!(text, "FROM x");
        assert_eq!(o.target, None);
        assert!(!o.non_root);
        assert!(o.keep_comments);
        // A link made before carry_files existed keeps its default.
        let (_, o, _) = parse_payload("target=auto&non_root=1&keep_comments=1&cache_mounts=0\nFROM x").unwrap();
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
            date: None,
        };
        let s = embed_snippet("http://127.0.0.1:8080/", "FROM x\n", &options);
        assert!(s.starts_with("<script src=\"http://127.0.0.1:8080/embed.js\" defer></script>\n"), "{s}");
        assert!(
            s.contains("<pre class=\"slimfile\" data-target=\"distroless/base\" data-non-root=\"false\" data-keep-comments=\"false\" data-cache-mounts=\"true\" data-carry-files=\"false\">FROM x</pre>"),
            "{s}"
        );
    }
}
