//! Robustness: inputs that once crashed, hung or broke an invariant, and the engine's limits end to end.
//!
//! Every file in `tests/regressions/` (fuzzer crashes and timeouts keep their `crash-…`/`timeout-…` names,
//! hand-written cases end in `.Dockerfile`; `README.md` explains) goes through `convert` with several
//! option sets: it must not panic, must finish quickly, must say why when it converts nothing, and a
//! converted output must convert to itself. The bytes are read as UTF-8 with invalid sequences replaced, as
//! the fuzz target does; a fuzzer's file starts with the options byte, which is read as the fuzz target
//! reads it (`fuzz/fuzz_targets/convert.rs`) and tried besides the others.
//!
//! The limits: past 1 MiB or 10,000 instructions, or when stages built `FROM` each other inherit too
//! much, `convert` refuses with a diagnostic and returns at once; the diff of a large file is capped with
//! a warning, so the report stays small.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use slimfile_core::diff::MAX_DIFF_ROWS;
use slimfile_core::model::MAX_INHERITED;
use slimfile_core::syntax::{MAX_INPUT_BYTES, MAX_INSTRUCTIONS};
use slimfile_core::{convert, report_json, Options, Report, RuntimeFamily, Status};

/// Generous: a debug build on a busy 2-core machine. A hang is minutes, not seconds.
const SLOW: Duration = Duration::from_secs(20);

fn option_sets() -> Vec<Options> {
    let mut v = Vec::new();
    for bits in 0..16u8 {
        v.push(Options {
            target: None,
            non_root: bits & 1 != 0,
            keep_comments: bits & 2 != 0,
            cache_mounts: bits & 4 != 0,
            carry_files: bits & 8 == 0,
            date: None,
        });
    }
    for family in RuntimeFamily::ALL {
        v.push(Options { target: Some(family), ..Options::default() });
    }
    v
}

/// The fuzz target's reading of its first byte.
fn fuzz_options(first: u8) -> Options {
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

fn regression_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md"))
        .collect();
    v.sort();
    v
}

/// The invariants every report keeps; returns the time `convert` took.
fn check(name: &str, text: &str, options: &Options) -> (Report, Duration) {
    let start = Instant::now();
    let r = std::panic::catch_unwind(|| convert(text, options)).unwrap_or_else(|_| panic!("{name}: convert panicked with {options:?}"));
    let took = start.elapsed();
    assert!(took < SLOW, "{name}: convert took {took:?} with {options:?}");
    match r.status {
        Status::Converted => {
            let out = r.output.as_deref().unwrap_or_else(|| panic!("{name}: converted without an output"));
            let again = convert(out, options);
            assert!(
                again.status == Status::Unchanged || again.output.as_deref() == Some(out),
                "{name}: converting the output again gives {:?} ({:?})",
                again.status,
                again.reasons
            );
        }
        _ => assert!(!r.reasons.is_empty(), "{name}: {:?} without a reason", r.status),
    }
    assert!(r.diff.rows.len() <= MAX_DIFF_ROWS, "{name}: {} diff rows", r.diff.rows.len());
    (r, took)
}

#[test]
fn regression_inputs_convert_safely() {
    let files = regression_files();
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let fuzzed = ["crash-", "timeout-", "oom-", "slow-unit-"].iter().any(|p| name.starts_with(p));
        let (text, mut sets) = match bytes.split_first() {
            Some((&first, rest)) if fuzzed => (String::from_utf8_lossy(rest), vec![fuzz_options(first)]),
            _ => (String::from_utf8_lossy(&bytes), vec![]),
        };
        sets.extend(option_sets());
        for options in sets {
            check(&name, &text, &options);
        }
    }
}

/// `ENV V1=$V0$V0` doubling 40 times: the expansion is bounded, the report stays small.
#[test]
fn doubling_expansions_stay_small() {
    for file in ["env-doubling.Dockerfile", "arg-doubling.Dockerfile"] {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions").join(file)).unwrap();
        let (r, _) = check(file, &text, &Options::default());
        let json = report_json(&r);
        assert!(json.len() < 200_000, "{file}: the report is {} bytes", json.len());
    }
}

/// Cache mounts added to two RUNs: each one has its change (the second one had none).
#[test]
fn every_cache_mount_has_its_change() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/cache-mounts-two-runs.Dockerfile");
    let text = std::fs::read_to_string(path).unwrap();
    let r = convert(&text, &Options { cache_mounts: true, ..Options::default() });
    assert_eq!(r.status, Status::Converted);
    let lines: Vec<u32> =
        r.changes.iter().filter(|c| c.kind == "cache-mount").filter_map(|c| c.span.as_ref().map(|s| s.line)).collect();
    assert_eq!(lines, [4, 6]);
}

/// The rewrite's new stage takes a free name: a target already named `runtime` gave a duplicate stage name
/// (a refusal as "a bug in slimfile").
#[test]
fn the_runtime_stage_name_is_free() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/target-named-runtime.Dockerfile");
    let r = convert(&std::fs::read_to_string(path).unwrap(), &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    let out = r.output.unwrap();
    assert!(out.contains("FROM golang:1.22 AS runtime\n") && out.contains(" AS final\n"), "{out}");
}

/// A slim runtime stage that installs curl for its HEALTHCHECK is not a build (fuzzer, first seconds:
/// converting slimfile's own output added a second `runtime` stage).
#[test]
fn a_healthcheck_program_is_a_runtime_package() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/crash-b8777616abe2ae17a030b0ccc4532fd6d6ea52bc");
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes[1..]);
    let r = convert(&text, &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    let again = convert(r.output.as_deref().unwrap(), &Options::default());
    assert_eq!(again.status, Status::Unchanged, "{:?}", again.reasons);
    let runtime = again.stages.last().unwrap();
    assert!(runtime.packages.iter().any(|p| p.name == "curl" && p.role == "runtime"), "{:?}", runtime.packages);
}

/// A final stage that only copies a static binary keeps its shell when its HEALTHCHECK needs one (it went to
/// distroless/static with the shell-form HEALTHCHECK, which cannot run there; fuzzer). A shell-form check whose
/// words need no shell moves with it, in exec form.
#[test]
fn a_shell_form_healthcheck_keeps_the_shell() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/healthcheck-needs-shell-multistage.Dockerfile");
    let r = convert(&std::fs::read_to_string(path).unwrap(), &Options::default());
    assert_eq!(r.status, Status::Unchanged, "{:?}", r.output);
    assert!(r.reasons[0].contains("HEALTHCHECK"), "{:?}", r.reasons);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/healthcheck-shell-multistage.Dockerfile");
    let r = convert(&std::fs::read_to_string(path).unwrap(), &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    assert!(r.output.as_deref().unwrap().contains("HEALTHCHECK CMD [\"/app\", \"-health\"]\n"), "{:?}", r.output);
    // The same for an ENTRYPOINT that runs a script.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/script-entrypoint-multistage.Dockerfile");
    let r = convert(&std::fs::read_to_string(path).unwrap(), &Options::default());
    assert_eq!(r.status, Status::Unchanged, "{:?}", r.output);
}

/// A final stage that copies only data (a config file) runs a program of its base image: no smaller runtime
/// follows from that (it went to distroless/static; fuzzer).
#[test]
fn a_final_stage_copying_only_data_keeps_its_base() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/final-copies-only-data.Dockerfile");
    let r = convert(&std::fs::read_to_string(path).unwrap(), &Options::default());
    assert_eq!(r.status, Status::Unchanged, "{:?}", r.output);
}

/// A word that cannot be a package name is not one: `apk add bash "\\"` put `bash \` in the runtime stage's
/// install line, which swallowed the line after it (fuzzer).
#[test]
fn only_package_names_reach_an_install_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/package-name-backslash.Dockerfile");
    let r = convert(&std::fs::read_to_string(path).unwrap(), &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    let out = r.output.unwrap();
    assert!(out.contains("RUN xargs apk add --no-cache bash < /tmp/slimfile-runtime-packages && rm /tmp/slimfile-runtime-packages\n"), "{out}");
}

/// A Go build that converts, with `pad` inserted after the FROM line.
fn go_build(pad: &str) -> String {
    format!("FROM golang:1.22\n{pad}WORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nEXPOSE 8080\nENTRYPOINT [\"/app\"]\n")
}

/// Comment lines of about 64 bytes making `go_build` exactly `size` bytes.
fn comment_padding(size: usize) -> String {
    let base = go_build("").len();
    let mut pad = String::new();
    while base + pad.len() + 64 <= size {
        pad.push_str(&format!("# {:-<61}\n", pad.len()));
    }
    let rest = size - base - pad.len();
    if rest > 0 {
        pad.push('#');
        pad.push_str(&" ".repeat(rest - 2));
        pad.push('\n');
    }
    pad
}

#[test]
fn input_over_one_mib_is_refused_at_once() {
    let text = go_build(&comment_padding(MAX_INPUT_BYTES + 1));
    assert_eq!(text.len(), MAX_INPUT_BYTES + 1);
    let (r, took) = check("over 1 MiB", &text, &Options::default());
    assert_eq!(r.status, Status::Refused);
    assert!(r.diagnostics[0].message.contains("1 MiB"), "{:?}", r.diagnostics);
    assert!(r.reasons[0].contains("1 MiB"), "{:?}", r.reasons);
    assert!(r.diff.rows.len() == MAX_DIFF_ROWS, "the diff is capped, not empty");
    assert!(r.diagnostics.iter().any(|d| d.message.contains("side-by-side diff stops")), "{:?}", r.diagnostics);
    assert!(report_json(&r).len() < 8 * MAX_INPUT_BYTES, "the report stays within a few times the input");
    eprintln!("over 1 MiB: {took:?}");
}

#[test]
fn one_mib_input_converts_with_a_capped_diff() {
    // Exactly 1 MiB is read, but its rewrite (a new stage) would be over 1 MiB: a clear refusal.
    let text = go_build(&comment_padding(MAX_INPUT_BYTES));
    assert_eq!(text.len(), MAX_INPUT_BYTES);
    let (r, _) = check("1 MiB", &text, &Options::default());
    assert_eq!(r.status, Status::Refused);
    assert!(r.reasons[0].contains("would be over what slimfile reads"), "{:?}", r.reasons);
    // A little less converts (the rewrite adds the runtime stage, the gathering of the app's files and the
    // builder's library gate, a few KiB).
    let text = go_build(&comment_padding(MAX_INPUT_BYTES - 4096));
    let (r, took) = check("1 MiB - 4 KiB", &text, &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    assert_eq!(r.diff.rows.len(), MAX_DIFF_ROWS);
    assert!(r.diagnostics.iter().any(|d| d.message.contains("side-by-side diff stops")), "{:?}", r.diagnostics);
    assert!(r.diff.unified.contains("+FROM gcr.io/distroless/static"), "the unified diff has every change");
    assert!(report_json(&r).len() < 8 * MAX_INPUT_BYTES);
    // Without comments every comment line is a deleted line: the line diff stays fast.
    let (r, took2) = check("1 MiB, no comments", &text, &Options { keep_comments: false, ..Options::default() });
    assert_eq!(r.status, Status::Converted);
    eprintln!("1 MiB: {took:?}; without comments: {took2:?}");
}

#[test]
fn a_million_empty_lines_give_a_small_report() {
    let text = go_build(&"\n".repeat(MAX_INPUT_BYTES - 4096 - go_build("").len()));
    let (r, _) = check("empty lines", &text, &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
    let json = report_json(&r);
    assert!(json.len() < 10_000_000, "the report is {} bytes", json.len());
}

#[test]
fn more_than_10000_instructions_are_refused() {
    let text = go_build(&"RUN true\n".repeat(MAX_INSTRUCTIONS));
    let (r, _) = check("10,001+ instructions", &text, &Options::default());
    assert_eq!(r.status, Status::Refused);
    let d = &r.diagnostics[0];
    assert!(d.message.contains("more than 10000 instructions"), "{}", d.message);
    assert_eq!(d.span.as_ref().unwrap().line, MAX_INSTRUCTIONS as u32, "points where reading stopped");
    // Exactly 10,000 is read, but the rewrite would have more.
    let text = go_build(&"RUN true\n".repeat(MAX_INSTRUCTIONS - 6));
    let (r, _) = check("10,000 instructions", &text, &Options::default());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.reasons[0].contains("would be over what slimfile reads"), "{:?}", r.reasons);
    let text = go_build(&"RUN true\n".repeat(MAX_INSTRUCTIONS - 20));
    let (r, _) = check("9,986 instructions", &text, &Options::default());
    assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
}

#[test]
fn deep_stage_inheritance_is_refused_with_a_diagnostic() {
    let mut text = String::from("FROM golang:1.22 AS s0\n");
    for i in 1..4000 {
        text.push_str(&format!("FROM s{} AS s{i}\nENV V{i}=$V{}\n", i - 1, i - 1));
    }
    text.push_str("RUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
    let (r, _) = check("stage chain", &text, &Options::default());
    assert_eq!(r.status, Status::Refused);
    let d = r.diagnostics.iter().find(|d| d.message.contains(&MAX_INHERITED.to_string())).expect("the limit's diagnostic");
    assert!(d.span.as_ref().unwrap().line > 100);
    assert!(r.reasons[0].contains("stops reading"), "{:?}", r.reasons);
    // A few stages FROM each other are read as before.
    let text = "FROM golang:1.22 AS base\nENV CGO_ENABLED=0\nFROM base AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM build\nENTRYPOINT [\"/app\"]\n";
    let (r, _) = check("short chain", text, &Options::default());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}
