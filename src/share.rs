//! The URL fragment: the Dockerfile and the options, deflated and base64url-encoded, so that a link
//! reproduces the view. The same payload is what the page keeps in localStorage.
//!
//! Format: `#v1.<base64url(raw deflate(payload))>`, where the payload is one line of options
//! (`target=auto&non_root=1&keep_comments=1&cache_mounts=0`), a newline, then the Dockerfile as typed.
//! Decoding is lenient about the options (an unknown key or target is ignored) and strict about size:
//! nothing larger than the engine reads (`MAX_INPUT_BYTES`) is ever inflated.

use slimfile_core::syntax::MAX_INPUT_BYTES;
use slimfile_core::{Options, RuntimeFamily};

const PREFIX: &str = "v1.";

/// The options line and the text, uncompressed.
pub fn payload(text: &str, options: &Options) -> String {
    let target = options.target.map_or("auto", RuntimeFamily::as_str);
    let flag = |b: bool| if b { '1' } else { '0' };
    format!(
        "target={target}&non_root={}&keep_comments={}&cache_mounts={}\n{text}",
        flag(options.non_root),
        flag(options.keep_comments),
        flag(options.cache_mounts)
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
            _ => {}
        }
    }
    seen.then(|| (text.to_owned(), options))
}

/// The fragment (without `#`) for a text and options.
pub fn encode(text: &str, options: &Options) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(payload(text, options).as_bytes(), 9);
    let mut out = String::with_capacity(PREFIX.len() + deflated.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    base64url_encode(&deflated, &mut out);
    out
}

/// The text and options of a fragment (with or without the leading `#`), or `None` when it is not one
/// of ours or is damaged.
pub fn decode(fragment: &str) -> Option<(String, Options)> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let code = fragment.strip_prefix(PREFIX)?;
    let bytes = base64url_decode(code)?;
    // The options line is short: the limit is the engine's plus room for it.
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_INPUT_BYTES + 256).ok()?;
    let payload = String::from_utf8(inflated).ok()?;
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

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5): safe in a URL fragment as it is.
pub fn base64url_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
}

pub fn base64url_decode(code: &str) -> Option<Vec<u8>> {
    let code = code.trim_end_matches('=');
    let mut out = Vec::with_capacity(code.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in code.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            // Standard base64 too, in case a link went through a tool that rewrote it.
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character cannot come from an encoder.
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let mut s = String::new();
            base64url_encode(&bytes, &mut s);
            assert!(!s.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&s).unwrap(), bytes, "len {len}");
        }
        assert_eq!(base64url_decode("a").map(|v| v.len()), None);
        assert_eq!(base64url_decode("a b"), None);
    }

    #[test]
    fn fragment_round_trips_text_and_options() {
        let text = "FROM ubuntu\nRUN echo 'héllo' \\\n  && true\r\n# ünïcode ✓\n";
        let options =
            Options { target: Some(RuntimeFamily::Scratch), non_root: false, keep_comments: false, cache_mounts: true };
        let code = encode(text, &options);
        assert!(code.starts_with("v1."));
        assert_eq!(decode(&format!("#{code}")), Some((text.to_owned(), options.clone())));
        assert_eq!(decode(&code), Some((text.to_owned(), options)));
    }

    #[test]
    fn damaged_or_foreign_fragments_are_ignored() {
        assert_eq!(decode(""), None);
        assert_eq!(decode("#section-2"), None);
        assert_eq!(decode("#v1.!!!"), None);
        assert_eq!(decode("#v1.AAAA"), None);
        let code = encode("FROM a\n", &Options::default());
        assert_eq!(decode(&code[..code.len() - 3]), None);
    }

    #[test]
    fn options_are_read_leniently() {
        let (text, o) = parse_payload("target=nope&non_root=0&whatever=1\nFROM x").unwrap();
        assert_eq!(text, "FROM x");
        assert_eq!(o.target, None);
        assert!(!o.non_root);
        assert!(o.keep_comments);
    }

    #[test]
    fn a_zip_bomb_is_not_inflated() {
        let big = "A".repeat(MAX_INPUT_BYTES + 10_000);
        let code = encode(&big, &Options::default());
        assert!(code.len() < 10_000);
        assert_eq!(decode(&code), None);
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
        };
        let s = embed_snippet("http://127.0.0.1:8080/", "FROM x\n", &options);
        assert!(s.starts_with("<script src=\"http://127.0.0.1:8080/embed.js\" defer></script>\n"), "{s}");
        assert!(
            s.contains("<pre class=\"slimfile\" data-target=\"distroless/base\" data-non-root=\"false\" data-keep-comments=\"false\" data-cache-mounts=\"true\">FROM x</pre>"),
            "{s}"
        );
    }
}
