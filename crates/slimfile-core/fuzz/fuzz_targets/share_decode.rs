//! The playground's URL-fragment decoder (`src/share.rs` of the top-level `slimfile-web` package, which
//! has no library target: the file is included by path). A link carries anything: the decoder must
//! never panic, never inflate past the engine's limit, and what it decodes must round-trip and go
//! through `convert` as the page does.
//!
//! The first byte's low bit picks the input: 0, the rest is the fragment as typed (`#v1.…`); 1, the rest
//! is deflated and base64url-encoded behind `v1.` first, to reach the payload parser and the engine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slimfile_core::convert;
use slimfile_core::syntax::MAX_INPUT_BYTES;

#[allow(dead_code)]
#[path = "../../../../src/share.rs"]
mod share;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let fragment = if first & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let mut s = String::from("#v1.");
        share::base64url_encode(&miniz_oxide::deflate::compress_to_vec(rest, 6), &mut s);
        s
    };
    let Some((text, options)) = share::decode(&fragment) else { return };
    assert!(text.len() <= MAX_INPUT_BYTES + 256, "decoded {} bytes", text.len());
    // Round trip: what the page would write back into the URL reads the same.
    let again = share::decode(&share::encode(&text, &options));
    assert_eq!(again.as_ref(), Some(&(text.clone(), options.clone())));
    let _ = convert(&text, &options);
});
