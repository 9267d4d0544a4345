//! The CLI as a user runs it: the real binary, files and stdin, stdout, stderr and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const CLASSIC: &str = "FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n";

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slimfile"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn convert_prints_the_dockerfile_and_explains_on_stderr() {
    let o = run(&["convert", "-"], CLASSIC);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("classic-dockerfile", text(&o.stdout));
    assert_eq!(text(&o.stderr), "<stdin>: converted to gcr.io/distroless/static-debian12:nonroot (distroless/static)\n");
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
fn refused_and_bad_input_exit_1_with_line_and_column() {
    let o = run(&["convert", "-"], "FROM alpine\nRUN true\nFORM x\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = text(&o.stderr);
    assert!(err.contains("<stdin>:3:1: syntax error: unknown instruction 'FORM' (did you mean FROM?)"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["convert", "--format", "yaml"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown format 'yaml'"));
    let o = run(&["convert", "/nonexistent/Dockerfile"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot read /nonexistent/Dockerfile"));
    let o = run(&["--help"], "");
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).starts_with("usage: slimfile convert"));
}

#[test]
fn binary_input_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("slimfile-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("Dockerfile");
    std::fs::write(&p, b"FROM alpine\n\xff\xfe").unwrap();
    let o = run(&["convert", p.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is not UTF-8 text (invalid byte at offset 12)"), "{}", text(&o.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}
