//! The CLI as a user runs it: the real binary, files and stdin, stdout, stderr and exit codes.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{bin, run, run_in, sandbox, text, CLASSIC};


/// A multi-stage file: a builder, a test stage nothing needs, an image copied from, pragmas.
const MULTI: &str = "\
# syntax=docker/dockerfile:1
ARG GO=1.22
FROM golang:${GO} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .

FROM build AS test
RUN go test ./...

FROM node:20 AS docs
RUN npm ci && npm run docs

# slimfile ignore=DL3007
FROM alpine:latest
RUN apk update && apk add ca-certificates
COPY --from=build /app /app
COPY --from=nginx:1.27 /etc/nginx/mime.types /etc/mime.types
USER 65532
ENTRYPOINT [\"/app\"]
";

const BROKEN: &str = "FROM alpine\nRUN true\nFORM x\n";

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/real")
}

// ---------------------------------------------------------------------------------------------- convert

#[test]
fn convert_prints_the_dockerfile_and_explains_on_stderr() {
    let o = run(&["convert", "-"], CLASSIC);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("classic-dockerfile", text(&o.stdout));
    // What happened, then the question the rewrite asks (SF301: files read at run time), then the date of
    // the image knowledge and the day support was judged on (SLIMFILE_DATE in these tests).
    let err = text(&o.stderr);
    assert!(err.starts_with("<stdin>: converted to gcr.io/distroless/static-debian13:nonroot (distroless/static)\n"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[1..lines.len() - 1].iter().all(|l| l.starts_with("<stdin>: SF3")), "{err}");
    let as_of = slimfile_core::knowledge::releases::as_of();
    assert_eq!(lines.last(), Some(&format!("image knowledge as of {as_of}, support judged on 2026-12-03").as_str()), "{err}");
}

#[test]
fn convert_json_has_the_documented_fields() {
    let o = run(&["convert", "-", "--format", "json"], CLASSIC);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in ["status", "runtime", "output", "reasons", "changes", "findings", "stages", "edges", "diagnostics", "diff"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["status"], "converted");
    assert_eq!(v["runtime"], "distroless/static");
    assert_eq!(v["stages"].as_array().unwrap().len(), 1);
    assert!(o.stderr.is_empty(), "JSON mode keeps stderr quiet");
}

#[test]
fn convert_diff_and_options() {
    let o = run(&["convert", "-", "--format=diff", "--target", "scratch", "--root"], CLASSIC);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("classic-diff-scratch-root", text(&o.stdout));
}

#[test]
fn convert_carries_the_app_files_unless_told_not_to() {
    // By default the builder gathers /src's run-time files and the runtime stage copies them.
    let o = run(&["convert", "-"], CLASSIC);
    let out = text(&o.stdout);
    assert!(out.contains("RUN find /src ") && out.contains("COPY --from=build --chown=65532:65532 /tmp/slimfile-carry/ /"), "{out}");
    // --no-carry-files, or carry-files = false in .slimfile.toml: the program only, and the question says so.
    let o = run(&["convert", "-", "--no-carry-files"], CLASSIC);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert!(!out.contains("slimfile-carry") && out.contains("COPY --from=build /app /app"), "{out}");
    assert!(err.contains("SF301") && err.contains("carry_files option is off"), "{err}");
    let dir = sandbox("carry-files-config", &[(".slimfile.toml", "carry-files = false\n"), ("Dockerfile", CLASSIC)]);
    let o = run_in(Some(&dir), &["convert", "Dockerfile"], "");
    assert!(!text(&o.stdout).contains("slimfile-carry"), "{}", text(&o.stdout));
    let o = run_in(Some(&dir), &["convert", "Dockerfile", "--carry-files"], "");
    assert!(text(&o.stdout).contains("slimfile-carry"), "the flag wins over the file");
}

#[test]
fn refused_and_bad_input_exit_1_with_line_and_column() {
    let o = run(&["convert", "-"], BROKEN);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = text(&o.stderr);
    assert!(err.contains("<stdin>:3:1: syntax error: unknown instruction 'FORM' (did you mean FROM?)"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["convert", "--format", "yaml"], "");
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("invalid value 'yaml' for '--format <FORMAT>'") && err.contains("[possible values: dockerfile, diff, json]"), "{err}");
    assert!(err.contains("For more information, try '--help'."), "{err}");
    let o = run(&["convert", "/nonexistent/Dockerfile"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot read /nonexistent/Dockerfile"));
    let o = run(&["frobnicate"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unrecognized subcommand 'frobnicate'"));
    // What clap cannot declare is checked after parsing, and said the same way.
    let o = run(&["convert", "x", "--write", "--format", "json"], "");
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.starts_with("error: --write writes Dockerfiles; it does not combine with --format diff or json\n"), "{err}");
    assert!(err.contains("Usage: slimfile convert"), "{err}");
    let main_help = text(&run(&["--help"], "").stdout);
    for help in [&["--help"][..], &[], &["help"], &["-h"]] {
        let o = run(help, "");
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(text(&o.stdout), main_help, "{help:?}");
    }
    let o = run(&["check", "--help"], "");
    assert!(text(&o.stdout).starts_with("Findings (hadolint's rule ids)"));
    assert_eq!(text(&run(&["help", "check"], "").stdout), text(&o.stdout));
    for v in [&["--version"][..], &["-V"], &["version"]] {
        assert_eq!(text(&run(v, "").stdout), format!("slimfile {}\n", env!("CARGO_PKG_VERSION")));
    }
}

// ------------------------------------------------------------------------------------------------- help

const COMMANDS: [&str; 7] = ["convert", "check", "graph", "explain", "verify", "completions", "version"];

fn help(args: &[&str]) -> String {
    let o = bin().env_remove("COLUMNS").args(args).arg("--help").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn help_of_every_command() {
    insta::assert_snapshot!("help-slimfile", help(&[]));
    for c in COMMANDS {
        insta::assert_snapshot!(format!("help-{c}"), help(&[c]));
    }
}

/// The flags a help text documents, each with the value it takes (`None` for a switch) and the first of its
/// possible values: `-f, --format <FORMAT>  … [alias: --x] [possible values: a, b]`.
fn documented_flags(help: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = help.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if !t.starts_with('-') || line.len() - t.len() < 2 {
            continue;
        }
        // The flag's help runs on until the next flag or a blank line.
        let mut entry = t.to_owned();
        for next in &lines[i + 1..] {
            if next.trim().is_empty() || next.trim_start().starts_with('-') || !next.starts_with("   ") {
                break;
            }
            entry.push(' ');
            entry.push_str(next.trim());
        }
        let value_name = entry.split_once('<').and_then(|(_, r)| r.split_once('>')).map(|(v, _)| v.to_owned());
        let first_possible = entry
            .split_once("[possible values: ")
            .map(|(_, r)| r.split([',', ']']).next().unwrap().trim().to_owned());
        let value = value_name.map(|v| first_possible.clone().unwrap_or_else(|| sample_value(&v)));
        let head = entry.split("  ").next().unwrap();
        let mut names: Vec<String> = head.split([',', ' ']).filter(|w| w.starts_with('-')).map(str::to_owned).collect();
        for alias in ["[alias: ", "[aliases: ", "[short alias: ", "[short aliases: "] {
            if let Some((_, r)) = entry.split_once(alias) {
                let list = r.split(']').next().unwrap();
                names.extend(list.split(", ").map(|a| if a.starts_with('-') { a.to_owned() } else { format!("-{a}") }));
            }
        }
        out.extend(names.into_iter().map(|n| (n, value.clone())));
    }
    out
}

fn sample_value(name: &str) -> String {
    match name {
        "LEVEL" => "warning",
        "SIZE" => "100MB",
        "RULE" => "DL3009",
        "FILE" => "slimfile.toml",
        "REGEX" => "[0-9]+ms",
        "COMMAND" => "CMD true",
        "SECS" => "5",
        "DIR" => ".",
        "[PORT]/PATH" => "8080/",
        "NAME" => "x",
        "YYYY-MM-DD" => "2026-12-03",
        other => panic!("no sample value for <{other}>: add one"),
    }
    .to_owned()
}

#[test]
fn every_documented_flag_parses() {
    let dir = sandbox("every-flag", &[("Dockerfile", CLASSIC), ("slimfile.toml", "")]);
    // Each command with arguments that make it fail fast after parsing (or do nothing harmful).
    let base: [(&str, &[&str]); 6] = [
        ("convert", &["Dockerfile"]),
        ("check", &["Dockerfile", "--no-fail"]),
        ("graph", &["Dockerfile"]),
        ("explain", &["DL3009"]),
        ("verify", &["missing/Dockerfile"]),
        ("completions", &["bash"]),
    ];
    let mut seen = 0;
    for (command, args) in base {
        for (flag, value) in documented_flags(&help(&[command])) {
            if flag == "-h" || flag == "--help" {
                continue;
            }
            let mut argv = vec![command.to_owned()];
            argv.extend(args.iter().map(|a| a.to_string()));
            argv.push(flag.clone());
            argv.extend(value.clone());
            let o = bin().current_dir(&dir).args(&argv).stdin(Stdio::null()).output().unwrap();
            let err = text(&o.stderr);
            // clap's usage errors start with `error:`; what the command itself reports, with `slimfile:`.
            assert!(!err.starts_with("error:"), "{argv:?} is documented but does not parse: {err}");
            seen += 1;
        }
    }
    // Flags that parsed before the help listed them are documented now.
    let check = documented_flags(&help(&["check"]));
    for flag in ["-c", "-f", "-t", "--no-color", "--no-colour", "--colour", "--failure-threshold", "--no-ignore"] {
        assert!(check.iter().any(|(f, _)| f == flag), "{flag} is not in check's help");
    }
    assert!(seen > 40, "{seen} flags tried");
    assert!(help(&[]).contains("verify "), "verify is in the usage");
}

#[test]
fn typos_get_a_suggestion() {
    let o = run(&["convrt", "-"], CLASSIC);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("tip: a similar subcommand exists: 'convert'"), "{}", text(&o.stderr));
    let o = run(&["check", "-", "--fail-levl", "warning"], CLASSIC);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("tip: a similar argument exists: '--fail-level'"), "{}", text(&o.stderr));
    let o = run(&["convert", "-", "--target", "distroless/statik"], CLASSIC);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("tip: a similar value exists: 'distroless/static'"), "{}", text(&o.stderr));
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell], "");
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let script = text(&o.stdout);
        assert!(script.len() > 1000, "{shell}: {script}");
        for c in COMMANDS {
            assert!(script.contains(c), "{shell}: {c} missing");
        }
        assert!(script.contains("no-ignore") && script.contains("fail-level") && script.contains("health-cmd"), "{shell}");
        // The shell itself reads the script, when it is installed.
        match Command::new(shell).arg("-n").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
            Ok(mut child) => {
                child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
                let o = child.wait_with_output().unwrap();
                assert!(o.status.success(), "{shell} -n: {}", text(&o.stderr));
            }
            Err(_) => eprintln!("skipped: no {shell} to read its completion script"),
        }
    }
    assert_eq!(run(&["completions", "tcsh"], "").status.code(), Some(2));
}

// ----------------------------------------------------------------------------------------------- inputs

#[test]
fn globs_and_folders_skip_ignored_files_unless_no_ignore() {
    let dir = sandbox(
        "ignored-inputs",
        &[
            (".gitignore", "generated/\n"),
            ("Dockerfile", CLASSIC),
            ("generated/Dockerfile", CLASSIC),
            ("node_modules/x/Dockerfile", BROKEN),
            ("target/release/Dockerfile", BROKEN),
            ("web/node_modules/y/Dockerfile", BROKEN),
        ],
    );
    let files = |args: &[&str]| -> Vec<String> {
        let o = run_in(Some(&dir), args, "");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o.stderr)));
        v["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().to_owned()).collect()
    };
    for input in ["**/Dockerfile", "."] {
        assert_eq!(files(&["check", input, "--format", "json", "--no-fail"]), ["Dockerfile"], "{input}");
        assert_eq!(
            files(&["check", input, "--format", "json", "--no-fail", "--no-ignore"]),
            ["Dockerfile", "generated/Dockerfile", "node_modules/x/Dockerfile", "target/release/Dockerfile", "web/node_modules/y/Dockerfile"],
            "{input}"
        );
    }
    // A file named on the command line is read, ignored or not.
    assert_eq!(files(&["check", "node_modules/x/Dockerfile", "--format", "json", "--no-fail"]), ["node_modules/x/Dockerfile"]);
}

#[test]
fn binary_input_is_a_clear_error() {
    let dir = sandbox("binary", &[]);
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("Dockerfile");
    std::fs::write(&p, b"FROM alpine\n\xff\xfe").unwrap();
    let o = run(&["convert", p.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is not UTF-8 text (invalid byte at offset 12)"), "{}", text(&o.stderr));
}

#[test]
fn convert_several_files_writes_in_place_or_prints_diffs() {
    let dir = sandbox("convert-write", &[("go/Dockerfile", CLASSIC), ("broken/Dockerfile", BROKEN)]);
    let o = run_in(Some(&dir), &["convert", "**/Dockerfile"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("2 files to convert: add --write"), "{}", text(&o.stderr));

    // A diff per file, named so that `patch -p0` applies it; the refused file exits 1.
    let o = run_in(Some(&dir), &["convert", "**/Dockerfile", "--format", "diff"], "");
    assert_eq!(o.status.code(), Some(1));
    let diff = text(&o.stdout);
    assert!(diff.starts_with("--- go/Dockerfile\n+++ go/Dockerfile\n@@"), "{diff}");
    let err = text(&o.stderr);
    assert!(err.contains("broken/Dockerfile:3:1: syntax error") && err.contains("go/Dockerfile: converted to"), "{err}");

    // JSON: one {file, report} per file.
    let o = run_in(Some(&dir), &["convert", ".", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = v.as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["broken/Dockerfile", "go/Dockerfile"]);
    assert_eq!(v[1]["report"]["status"], "converted");

    let o = run_in(Some(&dir), &["convert", "--write", "go/Dockerfile", "broken/Dockerfile"], "");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
    assert!(text(&o.stderr).contains("go/Dockerfile: rewritten for gcr.io/distroless/static-debian13:nonroot"));
    let rewritten = std::fs::read_to_string(dir.join("go/Dockerfile")).unwrap();
    assert_eq!(rewritten, text(&run(&["convert", "-"], CLASSIC).stdout));
    assert_eq!(std::fs::read_to_string(dir.join("broken/Dockerfile")).unwrap(), BROKEN, "a refused file is left alone");
    // The rewrite converges: converting it again changes nothing.
    let o = run_in(Some(&dir), &["convert", "--write", "go/Dockerfile"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.join("go/Dockerfile")).unwrap(), rewritten);
    assert!(run(&["convert", "-", "--write"], "").status.code() == Some(2));
}

#[test]
fn convert_prints_the_questions_of_the_rewrite() {
    // What the file does not say becomes a question (SF3xx) on stderr, after the outcome.
    let rust = "FROM rust:1.79\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/app\"]\n";
    let o = run(&["convert", "-"], rust);
    assert_eq!(o.status.code(), Some(0));
    let err = text(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with("<stdin>: converted to gcr.io/distroless/cc-debian13"), "{err}");
    // rust:1.79's Debian 12 is past its regular support and the tag is no longer updated (SF108), then the
    // questions, then the knowledge line.
    assert!(lines[1].starts_with("<stdin>:1:1: SF108 warning: `rust:1.79` is built on Debian 12 (bookworm)"), "{err}");
    assert!(lines[2..lines.len() - 1].iter().all(|l| l.starts_with("<stdin>") && l.contains(": SF3")) && lines.len() > 3, "{err}");
    assert!(lines[lines.len() - 1].starts_with("image knowledge as of "), "{err}");
    // check reports the file's own findings, not the rewrite's questions.
    let o = run(&["check", "-", "--format", "json", "--no-fail"], rust);
    assert!(!text(&o.stdout).contains("\"SF3"), "{}", text(&o.stdout));
}

// ------------------------------------------------------------------------------------------------ check

fn check_sandbox(name: &str) -> PathBuf {
    sandbox(name, &[("services/api/Dockerfile", CLASSIC), ("services/web/Dockerfile.prod", MULTI), ("README.md", "not a Dockerfile\n")])
}

#[test]
fn check_tty_lists_findings_like_hadolint_and_fails_at_info() {
    let dir = check_sandbox("check-tty");
    let o = run_in(Some(&dir), &["check", "**/Dockerfile*"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(!out.contains('\x1b'), "no colour when stdout is not a terminal");
    insta::assert_snapshot!("check-tty", out);
}

#[test]
fn check_exit_codes_follow_the_fail_level() {
    let dir = check_sandbox("check-levels");
    let code = |args: &[&str]| run_in(Some(&dir), args, "").status.code();
    // CLASSIC has warnings and info, no error.
    assert_eq!(code(&["check", "services/api/Dockerfile"]), Some(1));
    assert_eq!(code(&["check", "services/api/Dockerfile", "--fail-level", "warning"]), Some(1));
    assert_eq!(code(&["check", "services/api/Dockerfile", "--fail-level", "error"]), Some(0));
    assert_eq!(code(&["check", "services/api/Dockerfile", "--failure-threshold=error"]), Some(0));
    assert_eq!(code(&["check", "services/api/Dockerfile", "--no-fail"]), Some(0));
    // A file that does not parse is an error (DL1000), at any level but none.
    let o = run(&["check", "-", "--fail-level", "error"], BROKEN);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout), "<stdin>:3:1 DL1000 error: syntax error: unknown instruction 'FORM' (did you mean FROM?)\n");
    // Usage, I/O and configuration errors are 2 — but the other files are still reported.
    assert_eq!(code(&["check", "--fail-level", "loud"]), Some(2));
    assert_eq!(code(&["check", "--format", "xml"]), Some(2));
    assert_eq!(code(&["check", "nothing/**/Dockerfile"]), Some(2));
    let o = run_in(Some(&dir), &["check", "services/api/Dockerfile", "missing/Dockerfile", "--no-fail"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot read missing/Dockerfile"));
    assert!(text(&o.stdout).contains("services/api/Dockerfile:1:1 DL3006"));
    // A clean file exits 0 and prints nothing.
    let clean = "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n";
    let o = run(&["check", "-"], clean);
    assert_eq!((o.status.code(), text(&o.stdout)), (Some(0), String::new()));
    // The same on debian12 is past its end of life (September 2026) on the tests' day, not before it.
    let old = clean.replace("debian13", "debian12");
    let o = run(&["check", "-"], &old);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).starts_with("<stdin>:1:1 SF108 warning: `gcr.io/distroless/static-debian12:nonroot` reached its end of life at the end of 2026-09"), "{}", text(&o.stdout));
    let o = run(&["check", "-", "--date", "2026-08-22"], &old);
    assert_eq!((o.status.code(), text(&o.stdout)), (Some(0), String::new()));
}

#[test]
fn check_ignores_by_flag_pragma_and_config_found_upwards() {
    let dir = sandbox(
        "check-config",
        &[
            (".slimfile.toml", "ignore = ['DL3006', 'no-user']\nfailure-threshold = 'warning'\n"),
            ("a/Dockerfile", CLASSIC),
            ("b/.slimfile.toml", "ignored = ['DL3009']\n"),
            ("b/Dockerfile", CLASSIC),
            ("c/Dockerfile", "FROM ubuntu\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y gcc\n# slimfile global ignore=SF105\nCMD [\"/app\"]\n"),
        ],
    );
    let rules = |out: &Output| -> Vec<String> {
        text(&out.stdout).lines().filter_map(|l| l.split(' ').nth(1).map(str::to_owned)).filter(|r| r.starts_with(['D', 'S'])).collect()
    };
    // a: the root config drops DL3006 and SF105 (by name) and fails at warning: SF101 is one.
    let o = run_in(Some(&dir), &["check", "a/Dockerfile"], "");
    assert_eq!(rules(&o), ["DL3009", "DL3015", "SF101"], "{}", text(&o.stdout));
    assert_eq!(o.status.code(), Some(1));
    let o = run_in(Some(&dir), &["check", "a/Dockerfile", "--ignore", "SF101"], "");
    assert_eq!(o.status.code(), Some(0), "DL3009 and DL3015 are info, under the config's warning threshold");
    // b: the nearest config wins (no merging).
    let o = run_in(Some(&dir), &["check", "b/Dockerfile"], "");
    assert_eq!(rules(&o), ["DL3006", "SF105", "DL3015", "SF101"], "{}", text(&o.stdout));
    // c: inline pragmas, hadolint's spelling too.
    let o = run_in(Some(&dir), &["check", "c/Dockerfile", "--no-config"], "");
    assert_eq!(rules(&o), ["DL3006", "DL3015", "SF101"], "{}", text(&o.stdout));
    // --no-config and --config.
    let o = run_in(Some(&dir), &["check", "a/Dockerfile", "--no-config"], "");
    assert_eq!(rules(&o), ["DL3006", "SF105", "DL3009", "DL3015", "SF101"]);
    let o = run_in(Some(&dir), &["check", "a/Dockerfile", "--config", "b/.slimfile.toml"], "");
    assert_eq!(rules(&o), ["DL3006", "SF105", "DL3015", "SF101"]);
    // Standard input looks for the config from the working directory.
    let o = run_in(Some(&dir.join("a")), &["check", "-"], CLASSIC);
    assert_eq!(rules(&o), ["DL3009", "DL3015", "SF101"]);
    // A config error names the file and exits 2.
    let bad = sandbox("check-config-bad", &[(".slimfile.toml", "failure-threshold = 'loud'\n"), ("Dockerfile", CLASSIC)]);
    let o = run_in(Some(&bad), &["check"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains(".slimfile.toml: failure-threshold: unknown level 'loud'"), "{}", text(&o.stderr));
    let o = run_in(Some(&dir), &["check", "a/Dockerfile", "--ignore", "DL3OO6"], "");
    assert_eq!(o.status.code(), Some(2));
    // The config's engine options reach convert too.
    let conv = sandbox("convert-config", &[(".slimfile.toml", "target = 'scratch'\nnon-root = false\n"), ("Dockerfile", CLASSIC)]);
    let o = run_in(Some(&conv), &["convert"], "");
    assert!(text(&o.stdout).contains("FROM scratch"), "{}", text(&o.stdout));
    let o = run_in(Some(&conv), &["convert", "--target", "auto"], "");
    assert!(text(&o.stdout).contains("FROM gcr.io/distroless/static-debian13 AS runtime"), "{}", text(&o.stdout));
}

#[test]
fn check_json() {
    let dir = check_sandbox("check-json");
    let o = run_in(Some(&dir), &["check", "services", "--format", "json"], "");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    insta::assert_json_snapshot!("check-json", v);
}

#[test]
fn check_github_annotations() {
    let dir = check_sandbox("check-github");
    let o = run_in(Some(&dir), &["check", "services", "--format", "github"], "");
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("check-github", text(&o.stdout));
}

/// Validates a SARIF log against the OASIS schema vendored in `tests/` (see `tests/SARIF-SCHEMA-SOURCE.md`)
/// with Python's `jsonschema` (scripts/test.sh installs it): `Ok` or the validator's messages.
fn validate_sarif(log: &[u8]) -> Result<(), String> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif-schema-2.1.0.json");
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        log = json.load(sys.stdin)\n\
        v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)\n\
        errors = sorted(v.iter_errors(log), key=lambda e: list(e.path))\n\
        for e in errors[:20]:\n    print('/'.join(map(str, e.path)), e.message[:300])\n\
        sys.exit(1 if errors else 0)\n";
    let mut child = Command::new("python3")
        .args(["-c", script, schema.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed to validate SARIF (scripts/test.sh installs jsonschema)");
    child.stdin.take().unwrap().write_all(log).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        !text(&o.stderr).contains("ModuleNotFoundError"),
        "Python's jsonschema is missing: python3 -m pip install jsonschema (scripts/test.sh does)"
    );
    if o.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", text(&o.stdout), text(&o.stderr)))
    }
}

#[test]
fn check_sarif_is_valid_sarif_2_1_0_with_rules_and_regions() {
    let dir = check_sandbox("check-sarif");
    std::fs::write(dir.join("services/broken.Dockerfile"), BROKEN).unwrap();
    let o = run_in(Some(&dir), &["check", "services", "--format", "sarif"], "");
    assert_eq!(o.status.code(), Some(1));
    validate_sarif(&o.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rules.len(), slimfile_rule_count() + 2, "every engine rule, DL1000 and SF000: {ids:?}");
    for r in rules {
        for key in ["id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"] {
            assert!(r.get(key).is_some(), "rule {} lacks {key}", r["id"]);
        }
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
    }
    let results = run["results"].as_array().unwrap();
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        let region = &res["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1);
        assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
    }
    // The results without the (long) rule documentation, as a reviewed snapshot.
    insta::assert_json_snapshot!("check-sarif-results", results);

    // The validator does reject what is not SARIF (so that passing means something).
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = serde_json::json!(0);
    let err = validate_sarif(&serde_json::to_vec(&broken).unwrap()).unwrap_err();
    assert!(err.contains("'fatal' is not one of") && err.contains("0 is less than the minimum of 1"), "{err}");
}

fn slimfile_rule_count() -> usize {
    let o = run(&["explain", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The SF3xx questions of the rewrite are explained too, but `check` does not report them.
    v.as_array().unwrap().iter().filter(|r| r["id"] != "DL1000" && r["id"] != "SF000" && r["applies_to"] != "conversion").count()
}

#[test]
fn check_sarif_over_the_whole_corpus_is_valid() {
    let root = corpus_root();
    let o = run_in(Some(&root), &["check", "**/Dockerfile", "--format", "sarif", "--no-fail"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    validate_sarif(&o.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: std::collections::BTreeSet<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert!(files.len() > 200, "{} files with results", files.len());
}

#[test]
fn check_reads_stdin_and_files_together() {
    let dir = check_sandbox("check-stdin");
    let o = run_in(Some(&dir), &["check", "-", "services/api/Dockerfile", "--format", "json", "--no-fail"], BROKEN);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["file"], "<stdin>");
    assert_eq!(v["files"][0]["findings"][0]["rule"], "DL1000");
    assert_eq!(v["files"][1]["file"], "services/api/Dockerfile");
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let o = run(&["check", "-", "--color", "always"], CLASSIC);
    assert!(text(&o.stdout).contains("\x1b[33mDL3006\x1b[0m"), "{:?}", text(&o.stdout));
    assert!(!text(&run(&["check", "-"], CLASSIC).stdout).contains('\x1b'));
    // A real terminal, through util-linux `script`, when it is there.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to run the CLI on a terminal");
        return;
    }
    let dir = sandbox("colour", &[("Dockerfile", CLASSIC)]);
    let tty = |no_color: Option<&str>| {
        let mut c = Command::new("script");
        c.args(["-qec", &format!("{} check --no-fail Dockerfile", env!("CARGO_BIN_EXE_slimfile")), "/dev/null"]).current_dir(&dir);
        c.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        text(&c.output().unwrap().stdout)
    };
    assert!(tty(None).contains("\x1b[33mDL3006"), "{:?}", tty(None));
    assert!(!tty(Some("1")).contains('\x1b'));
    assert!(tty(Some("")).contains('\x1b'), "an empty NO_COLOR does not count");
}

#[test]
fn min_savings_fails_on_a_sure_saving() {
    // CLASSIC ships Go and Ubuntu: the estimate is well over 100 MB (at least ~850 MB).
    let o = run(&["check", "-", "--min-savings", "100MB", "--no-fail"], CLASSIC);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let out = text(&o.stdout);
    let sf000: Vec<&str> = out.lines().filter(|l| l.contains(" SF000 ")).collect();
    assert_eq!(sf000.len(), 1, "{out}");
    assert!(sf000[0].starts_with("<stdin>:1:1 SF000 error: converting to a multi-stage build on gcr.io/distroless/static-debian13:nonroot would save about "), "{out}");
    assert!(sf000[0].contains("more than --min-savings 100 MB"), "{out}");
    // Under the threshold (or its low end under it), no SF000; and it can be ignored like any rule.
    for args in [&["--min-savings", "50GB"][..], &["--min-savings", "99.99%"], &["--min-savings", "100MB", "--ignore", "SF000"]] {
        let mut a = vec!["check", "-", "--no-fail"];
        a.extend_from_slice(args);
        let o = run(&a, CLASSIC);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stdout));
        assert!(!text(&o.stdout).contains("SF000"));
    }
    // From the config file too; in SARIF it is a result of rule SF000.
    let dir = sandbox("min-savings", &[(".slimfile.toml", "min-savings = '50%'\nfailure-threshold = 'none'\n"), ("Dockerfile", CLASSIC)]);
    let o = run_in(Some(&dir), &["check", "--format", "sarif"], "");
    assert_eq!(o.status.code(), Some(1));
    validate_sarif(&o.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["runs"][0]["results"].as_array().unwrap().iter().any(|r| r["ruleId"] == "SF000" && r["level"] == "error"));
    // The conversion note carries the estimate.
    let o = run(&["check", "-", "--no-fail"], CLASSIC);
    let note = text(&o.stdout).lines().find(|l| l.contains(" note: ")).unwrap_or_default().to_owned();
    assert!(note.contains(" instead of ") && note.contains(", saving about ") && note.contains("; at least "), "{note}");
    assert_eq!(run(&["check", "-", "--min-savings", "lots"], CLASSIC).status.code(), Some(2));
    // A file without a saving (already minimal) never trips it.
    let clean = "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nUSER 65532\nENTRYPOINT [\"/app\"]\n";
    assert_eq!(run(&["check", "-", "--min-savings", "1B"], clean).status.code(), Some(0));
}

// ------------------------------------------------------------------------------------------------ graph

#[test]
fn graph_formats() {
    let dir = sandbox("graph", &[("Dockerfile", MULTI)]);
    let out = |f: &str| {
        let o = run_in(Some(&dir), &["graph", "--format", f], "");
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    let mermaid = out("mermaid");
    insta::assert_snapshot!("graph-mermaid", mermaid);
    insta::assert_snapshot!("graph-dot", out("dot"));
    let v: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    insta::assert_json_snapshot!("graph-json", v);
    // Whatever the layout: edge kinds, the target and unused stages, external images.
    assert!(mermaid.contains("-->|\"FROM\"|") && mermaid.contains("-.->|\"COPY --from\"|"));
    assert!(mermaid.contains("(target)") && mermaid.contains("test (unused)") && mermaid.contains("[\"nginx:1.27\"]"));
    // Graphviz accepts the dot output, when it is installed.
    if let Ok(mut child) = Command::new("dot").arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        child.stdin.take().unwrap().write_all(out("dot").as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let o = run(&["graph", "-"], BROKEN);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("<stdin>:3:1: syntax error"));
    assert_eq!(run(&["graph", "a", "b"], "").status.code(), Some(2));
}

#[test]
fn graph_marks_mounts() {
    let text_in = "FROM alpine AS tools\nRUN echo\n\nFROM golang:1.22 AS build\nRUN --mount=from=tools,source=/x,target=/x go build -o /app .\n\nFROM scratch\nCOPY --from=build /app /app\n";
    let o = run(&["graph", "-", "--format", "json"], text_in);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let edges: Vec<String> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} -{}-> {}", e["from"].as_str().unwrap(), e["label"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert_eq!(edges, ["i0 -FROM-> s0", "i1 -FROM-> s1", "s0 -mount-> s1", "i2 -FROM-> s2", "s1 -COPY --from-> s2"]);
    assert_eq!(v["images"][2]["image"], "scratch");
}

// ---------------------------------------------------------------------------------------------- explain

#[test]
fn explain_lists_and_documents_rules() {
    let o = run(&["explain"], "");
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("explain-list", text(&o.stdout));
    let o = run(&["explain", "dl3009"], "");
    let doc = text(&o.stdout);
    assert!(doc.starts_with("DL3009 apt-lists-left-behind (info)\n"), "{doc}");
    assert!(doc.contains("## What it does") && doc.contains("## Why is this bad?") && doc.contains("```dockerfile"));
    let o = run(&["explain", "build-packages-in-final-image", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["id"], "SF101");
    let o = run(&["explain", "DL3008"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown rule 'DL3008' (a hadolint rule slimfile does not have)"));
    let o = run(&["explain", "apt-list-left-behind"], "");
    assert!(text(&o.stderr).contains("did you mean apt-lists-left-behind?"));
}
