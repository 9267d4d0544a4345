//! What the CLI's test files share: the binary, a sandbox folder, a Dockerfile.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The classic single-stage Go build on Ubuntu.
pub const CLASSIC: &str = "FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n";

/// The day the CLI tests judge support windows on (`SLIMFILE_DATE`): fixed, so that outputs do not change
/// with the calendar.
pub const JUDGED_ON: &str = "2026-12-03";

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slimfile"));
    c.env_remove("NO_COLOR");
    c.env("SLIMFILE_DATE", JUDGED_ON);
    c
}

pub fn run_in(dir: Option<&Path>, args: &[&str], stdin: &str) -> Output {
    let mut c = bin();
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let mut child = c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // The binary may exit (a usage error) before it reads standard input.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub fn run(args: &[&str], stdin: &str) -> Output {
    run_in(None, args, stdin)
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh folder under the target directory with the given files.
pub fn sandbox(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

