//! The `ldd` check the rewrite adds to a builder whose program runs on distroless/base or distroless/cc
//! ([`slimfile_core::convert`], change `check-libraries`), run for real: the RUN line the output holds is
//! run by `sh` against programs of this machine, and it must stop (exit 1, naming the library) exactly
//! when the program links a shared library outside the runtime image's list, as `ldd` shows it.

use std::process::Command;

use slimfile_core::{convert, Options};

const RUST: &str = "FROM rust:1.75-bookworm\nWORKDIR /src\nCOPY . .\nRUN cargo install --path .\nCMD [\"myapp\"]\n";

/// The check's shell text from a converted output, for the program at `path`.
fn check_script(output: &str, path: &str) -> String {
    let start = output.find("RUN ldd ").expect("the builder checks the program's libraries");
    let end = output[start..].find("< /tmp/slimfile-ldd\n").map(|e| start + e + "< /tmp/slimfile-ldd".len()).unwrap();
    output[start + 4..end].replace("/usr/local/cargo/bin/myapp", path)
}

/// What the check should decide, from `ldd` read here: the sonames outside `allowed`.
fn outside(path: &str, allowed: &[&str]) -> Vec<String> {
    let out = Command::new("ldd").arg(path).output().expect("ldd");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|so| so.starts_with("lib") && so.contains(".so"))
        .filter(|so| !allowed.contains(so))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_builder_stops_on_a_library_distroless_cc_lacks() {
    let r = convert(RUST, &Options::default());
    let out = r.output.expect("converted");
    assert!(out.contains("FROM gcr.io/distroless/cc-debian13:nonroot"), "{out}");
    let img = slimfile_core::knowledge::runtimes::image("gcr.io/distroless/cc-debian13").unwrap();
    let me = std::env::current_exe().unwrap();
    let candidates = [me.to_str().unwrap(), "/bin/ls", "/usr/bin/git", "/usr/bin/python3", "/bin/sh"];
    let (mut stopped, mut passed) = (0, 0);
    for path in candidates.iter().filter(|p| std::path::Path::new(p).exists()) {
        let expected = outside(path, img.libraries);
        let run = Command::new("sh").arg("-c").arg(check_script(&out, path)).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        if expected.is_empty() {
            assert_eq!(run.status.code(), Some(0), "{path} links only what cc-debian13 has: {stderr}");
            passed += 1;
        } else {
            assert_eq!(run.status.code(), Some(1), "{path} links {expected:?}");
            assert!(
                stderr.contains(&format!("slimfile: {path} links {}, which gcr.io/distroless/cc-debian13 does not have", expected[0])),
                "{stderr}"
            );
            stopped += 1;
        }
    }
    // This test binary links glibc and libgcc_s only; Debian's ls links libselinux, git libpcre2.
    assert!(passed >= 1 && stopped >= 1, "both outcomes exercised: {passed} passed, {stopped} stopped");
}

#[test]
fn only_runtimes_with_a_library_list_and_a_copied_program_get_the_check() {
    let static_go = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n";
    let out = convert(static_go, &Options::default()).output.unwrap();
    assert!(out.contains("distroless/static") && !out.contains("ldd"), "a static binary on distroless/static: no check\n{out}");
    let backtick = format!("# escape=`\n{RUST}");
    let out = convert(&backtick, &Options::default()).output.unwrap();
    assert!(!out.contains("ldd"), "the check is written for `\\` continuations only\n{out}");
}
