//! Text → Report: parse, model, analyze, findings, rewrite, estimate and diff, through `convert`.
//!
//! The first byte picks the options (5 in 16: automatic target; otherwise one of the 11 families; its low
//! bits: non-root, comments, cache mounts); the rest is the Dockerfile, read as UTF-8 with invalid
//! sequences replaced (what a browser hands over). Besides not panicking, the report keeps the
//! invariants: a reason when nothing is converted, and a converted output that converts to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slimfile_core::{convert, report_json, Options, RuntimeFamily, Status};

pub fn options(first: u8) -> Options {
    Options {
        target: match first >> 4 {
            0..=4 => None,
            n => RuntimeFamily::ALL.get(usize::from(n - 5)).copied(),
        },
        non_root: first & 1 != 0,
        keep_comments: first & 2 != 0,
        cache_mounts: first & 4 != 0,
        carry_files: first & 8 == 0,
        date: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let options = options(first);
    let text = String::from_utf8_lossy(rest);
    let r = convert(&text, &options);
    let _ = report_json(&r);
    match (&r.status, &r.output) {
        (Status::Converted, Some(out)) => {
            let again = convert(out, &options);
            assert!(
                again.status == Status::Unchanged || again.output.as_deref() == Some(out.as_str()),
                "converting the output again gives {:?} {:?}\n--- output ---\n{out}\n--- again ---\n{}",
                again.status,
                again.reasons,
                again.output.as_deref().unwrap_or("")
            );
        }
        (Status::Converted, None) => panic!("converted without an output"),
        _ => assert!(!r.reasons.is_empty(), "{:?} without a reason", r.status),
    }
});
