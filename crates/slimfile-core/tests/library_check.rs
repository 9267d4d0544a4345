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
    assert!(out.contains("FROM gcr.io/distroless/cc-debian12:nonroot"), "{out}");
    let img = slimfile_core::knowledge::runtimes::find("distroless/cc", "debian12", None).unwrap();
    let me = std::env::current_exe().unwrap();
    let candidates = [me.to_str().unwrap(), "/bin/ls", "/usr/bin/git", "/usr/bin/python3", "/bin/sh"];
    let (mut stopped, mut passed) = (0, 0);
    for path in candidates.iter().filter(|p| std::path::Path::new(p).exists()) {
        let expected = outside(path, img.libraries);
        let run = Command::new("sh").arg("-c").arg(check_script(&out, path)).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        if expected.is_empty() {
            assert_eq!(run.status.code(), Some(0), "{path} links only what cc-debian12 has: {stderr}");
            passed += 1;
        } else {
            assert_eq!(run.status.code(), Some(1), "{path} links {expected:?}");
            assert!(
                stderr.contains(&format!("slimfile: {path} links {}, which gcr.io/distroless/cc-debian12 does not have", expected[0])),
                "{stderr}"
            );
            stopped += 1;
        }
    }
    // This test binary links glibc and libgcc_s only; Debian's ls links libselinux, git libz and libpcre2.
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

/// A C++ program built on Alpine runs on alpine with libstdc++ and libgcc installed; the check reads musl's
/// `ldd`, whose lines differ from glibc's (the loader as `/lib/ld-musl-x86_64.so.1 (0x…)`, libc as
/// `libc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1 (0x…)`: musl's ldso/dynlink.c prints
/// "\t%s => %s (%p)\n" for each library it loads). No Alpine system is here: `ldd` is a shell function that
/// prints what musl's prints for each program.
#[test]
fn the_musl_check_reads_musls_ldd() {
    let cpp = "FROM alpine:3.20\nRUN apk add --no-cache build-base cmake\nWORKDIR /src\nCOPY . .\nRUN cmake -B build && cmake --build build\nCMD [\"/src/build/server\"]\n";
    let out = convert(cpp, &Options::default()).output.expect("converted");
    assert!(out.contains("RUN apk add --no-cache libstdc++ libgcc"), "{out}");
    let start = out.find("RUN ldd ").expect("the builder checks the program's libraries");
    let end = out[start..].find("< /tmp/slimfile-ldd\n").map(|e| start + e + "< /tmp/slimfile-ldd".len()).unwrap();
    let dir = std::env::temp_dir().join(format!("slimfile-musl-ldd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Its own file for ldd's output: the other test runs the glibc check at the same time.
    let script = out[start + 4..end].replace("/tmp/slimfile-ldd", &dir.join("ldd-output").display().to_string());
    let cases: [(&str, &str, Option<&str>); 3] = [
        (
            "a C++ program",
            "\t/lib/ld-musl-x86_64.so.1 (0x7f3a1c2b6000)\n\tlibstdc++.so.6 => /usr/lib/libstdc++.so.6 (0x7f3a1c000000)\n\tlibgcc_s.so.1 => /usr/lib/libgcc_s.so.1 (0x7f3a1bfdc000)\n\tlibc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1 (0x7f3a1c2b6000)\n",
            None,
        ),
        (
            "one that links libpq",
            "\t/lib/ld-musl-x86_64.so.1 (0x7f3a1c2b6000)\n\tlibpq.so.5 => /usr/lib/libpq.so.5 (0x7f3a1c100000)\n\tlibstdc++.so.6 => /usr/lib/libstdc++.so.6 (0x7f3a1c000000)\n\tlibc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1 (0x7f3a1c2b6000)\n",
            Some("slimfile: /src/build/server links libpq.so.5, which alpine:3.20 does not have: add the package that holds libpq.so.5 to the runtime stage's apk add"),
        ),
        ("a static one", "/lib/ld-musl-x86_64.so.1: /src/build/server: Not a valid dynamic program\n", None),
    ];
    for (what, printed, stops) in cases {
        let recorded = dir.join("printed");
        std::fs::write(&recorded, printed).unwrap();
        // `ldd` as a shell function: a script written here and run at once can fail with ETXTBSY while
        // another test forks.
        let run = Command::new("sh").arg("-c").arg(format!("ldd() {{ cat {}; }}\n{script}", recorded.display())).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        match stops {
            None => assert_eq!(run.status.code(), Some(0), "{what}: {stderr}"),
            Some(message) => {
                assert_eq!(run.status.code(), Some(1), "{what}");
                assert!(stderr.contains(message), "{what}: {stderr}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
