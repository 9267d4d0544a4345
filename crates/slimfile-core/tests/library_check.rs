//! The library gate the rewrite ends every builder with (change `check-libraries`), run for real with `sh`
//! against programs and libraries of this machine, no container needed: the RUN line of a converted output,
//! with the copied path swapped for a folder of files compiled here with gcc (against libpq, libxml2, zlib,
//! a library of their own), must stop the build exactly when a file links a library the runtime image lacks,
//! naming it, the file, its package and the fix; and, for a slim runtime, write exactly the packages that hold
//! what the files link, which the runtime stage's install line then reads.
//!
//! The apk shape (an Alpine builder: `scanelf --needed`, `apk info --who-owns`) cannot run here, as no
//! Alpine is reachable: its lines run under BusyBox's sh and tools (what an Alpine image has) with `scanelf`
//! and `apk` replaced by scripts that print recorded outputs, written from the documented formats (pax-utils'
//! `--format '%n %F'`, which the real scanelf of Debian's pax-utils is checked to print here too, and
//! apk-tools' `PATH is owned by NAME-VERSION` / `ERROR: PATH: Could not find owner package`).
//!
//! Needs gcc, ldd, dpkg-query and the -dev packages of libpq, libxml2 and zlib, BusyBox and pax-utils
//! (`scripts/test.sh` installs what is missing).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use slimfile_core::{convert, Options, RuntimeFamily};

/// A Rust app on the full rust image, whose libpq the Dockerfile never names (diesel's `postgres`).
const RUST: &str = "FROM rust:1.75\nWORKDIR /usr/src/blog\nCOPY . .\nRUN cargo build --release --bin blog-api\nCMD [\"./target/release/blog-api\"]\n";
const RUST_BINARY: &str = "/usr/src/blog/target/release/blog-api";
/// A C program on Alpine: musl links dynamically, so the runtime is alpine with the apk shape of the gate.
const ALPINE: &str = "FROM alpine:3.20\nRUN apk add --no-cache build-base postgresql-dev\nWORKDIR /src\nCOPY . .\nRUN make && make install\nENTRYPOINT [\"/usr/local/bin/app\"]\n";
const LIST: &str = "/tmp/slimfile-runtime-packages";

/// A fresh folder for one test, its name with a space (the gate quotes every path it walks).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slimfile-gate {name} {}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where a test's gate writes its list and scratch file: the gate names them without quotes, as the
/// fixed /tmp paths they are.
fn work(dir: &Path) -> PathBuf {
    let w = std::env::temp_dir().join(dir.file_name().unwrap().to_str().unwrap().replace(' ', "-"));
    std::fs::create_dir_all(&w).unwrap();
    w
}

fn gcc(args: &[&str]) {
    let out = Command::new("gcc").args(args).output().expect("gcc (scripts/test.sh installs it)");
    assert!(out.status.success(), "gcc {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A C file that calls `call` (declared `int call(void)`-like by `decl`), compiled into `out` with `libs`.
fn program(dir: &Path, name: &str, body: &str, flags: &[&str]) -> PathBuf {
    let src = dir.join(format!("{name}.c"));
    std::fs::write(&src, body).unwrap();
    let out = dir.join(name);
    let mut args = vec![src.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(flags);
    gcc(&args);
    std::fs::remove_file(&src).unwrap();
    out
}

const LIBPQ: &str = "#include <libpq-fe.h>\n#include <stdio.h>\nint main(void) { printf(\"%d\\n\", PQlibVersion()); return 0; }\n";
const ZLIB: &str = "#include <zlib.h>\n#include <stdio.h>\nint main(void) { puts(zlibVersion()); return 0; }\n";
const LIBXML2_EXT: &str = "#include <libxml/xmlversion.h>\nint ext(void) { xmlCheckVersion(LIBXML_VERSION); return 0; }\n";
const PLAIN: &str = "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n";

/// The gate's RUN of `output` as one shell script (continuations joined), with the copied path `from`
/// (single-quoted in the script) swapped for `to`, and its scratch files moved into `dir`.
fn gate_script(output: &str, from: &str, to: &Path, dir: &Path) -> String {
    let start = output.find("RUN command -v ").expect("the builder ends with the library gate") + 4;
    let end = output[start..].find("exit \"$fail\"").map(|e| start + e + "exit \"$fail\"".len()).unwrap();
    let quoted = |p: &str| format!("'{}'", p.replace('\'', "'\\''"));
    output[start..end]
        .replace(" \\\n", "\n")
        .replace(&quoted(from), &quoted(to.to_str().unwrap()))
        .replace(LIST, work(dir).join("list").to_str().unwrap())
        .replace("/tmp/slimfile-needed", work(dir).join("needed").to_str().unwrap())
}

fn run(script: &str, path: Option<&str>) -> Output {
    let mut c = Command::new("sh");
    c.arg("-c").arg(script);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    c.output().unwrap()
}

fn listed(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(work(dir).join("list")).unwrap_or_default().lines().map(str::to_owned).collect()
}

/// The package dpkg says holds a library, as the gate should name it.
fn package_of(soname_path: &str) -> String {
    let out = Command::new("dpkg-query").arg("--search").arg(soname_path).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    s.split(':').next().unwrap_or_default().trim().to_owned()
}

fn libpq_path() -> String {
    let out = Command::new("ldd").arg("/usr/lib/x86_64-linux-gnu/libpq.so.5").output();
    assert!(out.is_ok(), "ldd");
    // The path ldd resolves libpq.so.5 to, from a program that links it.
    let dir = scratch("libpq-path");
    let p = program(&dir, "pq", LIBPQ, &["-I/usr/include/postgresql", "-lpq"]);
    let out = Command::new("ldd").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let _ = std::fs::remove_dir_all(&dir);
    text.lines().find(|l| l.trim_start().starts_with("libpq.so.5 =>")).and_then(|l| l.split_whitespace().nth(2)).expect("libpq.so.5 resolves").to_owned()
}

#[test]
fn distroless_stops_the_build_on_libpq_naming_file_package_and_fix() {
    let out = convert(RUST, &Options::default()).output.expect("converted");
    assert!(out.contains("FROM gcr.io/distroless/cc-debian13:nonroot AS runtime"), "{out}");
    let dir = scratch("cc");
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let pq = program(&files, "blog api", LIBPQ, &["-I/usr/include/postgresql", "-lpq"]);
    program(&files, "plain", PLAIN, &[]);
    std::fs::write(files.join("README.txt"), "not a program").unwrap();
    let r = run(&gate_script(&out, RUST_BINARY, &files, &dir), None);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "libpq.so.5 is not in cc-debian13: {stderr}");
    let expected = format!(
        "slimfile: {} links libpq.so.5 ({}, package libpq5), which gcr.io/distroless/cc-debian13 does not have: convert with the slim target (--target slim), whose runtime stage installs libpq5\n",
        pq.display(),
        libpq_path()
    );
    assert!(stderr.contains(&expected), "{stderr}\nexpected: {expected}");
    // libpq's own libraries (libssl is in cc, libldap and the Kerberos ones are not) stop it too; glibc does not.
    assert!(!stderr.contains("libc.so.6") && !stderr.contains("plain"), "{stderr}");

    // Only what cc has: the build goes on.
    std::fs::remove_file(&pq).unwrap();
    let r = run(&gate_script(&out, RUST_BINARY, &files, &dir), None);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    cleanup(&dir);
}

#[test]
fn distroless_static_takes_only_static_files() {
    let go = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n";
    let out = convert(go, &Options::default()).output.unwrap();
    assert!(out.contains("distroless/static-debian13"), "{out}");
    let dir = scratch("static");
    let files = dir.join("app");
    std::fs::create_dir_all(&files).unwrap();
    program(&files, "static", PLAIN, &["-static"]);
    let r = run(&gate_script(&out, "/app", &files, &dir), None);
    assert_eq!(r.status.code(), Some(0), "a static binary: {}", String::from_utf8_lossy(&r.stderr));
    let dynamic = program(&files, "dynamic", ZLIB, &["-lz"]);
    let r = run(&gate_script(&out, "/app", &files, &dir), None);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    for so in ["libz.so.1", "libc.so.6"] {
        assert!(
            stderr.contains(&format!("slimfile: {} links {so} (", dynamic.display()))
                && stderr.contains("and gcr.io/distroless/static-debian13 has no shared libraries: link it statically"),
            "{stderr}"
        );
    }
    cleanup(&dir);
}

#[test]
fn slim_target_discovers_exactly_the_packages_and_the_runtime_installs_them() {
    let opts = Options { target: Some(RuntimeFamily::Slim), ..Options::default() };
    let out = convert(RUST, &opts).output.expect("converted");
    assert!(out.contains("FROM debian:bookworm-slim AS runtime"), "{out}");
    let dir = scratch("slim");
    let files = dir.join("release");
    std::fs::create_dir_all(files.join("lib")).unwrap();
    program(&files, "blog api", LIBPQ, &["-I/usr/include/postgresql", "-lpq"]);
    program(&files, "zlibver", ZLIB, &["-lz"]);
    // An extension module named like Python's, linking libxml2 (not executable: found by its name).
    let ext = files.join("lib/_xml.cpython-311-x86_64-linux-gnu.so");
    let src = dir.join("ext.c");
    std::fs::write(&src, LIBXML2_EXT).unwrap();
    gcc(&["-shared", "-fPIC", "-I/usr/include/libxml2", src.to_str().unwrap(), "-o", ext.to_str().unwrap(), "-lxml2"]);
    // A library the copied files bring themselves (found through $ORIGIN): no package.
    let own = dir.join("own.c");
    std::fs::write(&own, "int own(void) { return 1; }\n").unwrap();
    gcc(&["-shared", "-fPIC", "-Wl,-soname,libown.so.1", own.to_str().unwrap(), "-o", files.join("lib/libown.so.1").to_str().unwrap()]);
    let lib_dir = files.join("lib");
    program(
        &files,
        "usesown",
        "int own(void);\nint main(void) { return own() - 1; }\n",
        &[&format!("-L{}", lib_dir.display()), "-l:libown.so.1", "-Wl,-rpath,$ORIGIN/lib"],
    );
    let r = run(&gate_script(&out, RUST_BINARY, &files, &dir), None);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    let got = listed(&dir);
    // The build log names what the runtime stage will install.
    let log = String::from_utf8_lossy(&r.stdout);
    assert!(log.contains(&format!("slimfile: the runtime stage installs: {} ", got.join(" "))), "{log}");

    // What the files link, as ldd and dpkg-query say here, minus what every Debian image has (glibc, libgcc,
    // libstdc++: the data's list) and the copied files' own library.
    let system = slimfile_core::knowledge::runtimes::system_libraries("apt");
    let in_every_image = |so: &str| system.iter().any(|p| p.strip_suffix('*').map_or(*p == so, |prefix| so.starts_with(prefix)));
    let mut expected: Vec<String> = Vec::new();
    for f in ["blog api", "zlibver", "usesown", "lib/_xml.cpython-311-x86_64-linux-gnu.so"] {
        let ldd = Command::new("ldd").arg(files.join(f)).output().unwrap();
        for line in String::from_utf8_lossy(&ldd.stdout).lines() {
            let Some((so, rest)) = line.trim().split_once(" => ") else { continue };
            let path = rest.rsplit_once(" (0x").map_or(rest, |(p, _)| p);
            if in_every_image(so) || path.starts_with(files.to_str().unwrap()) {
                continue;
            }
            let pkg = package_of(&format!("*{}", path.strip_prefix("/usr").unwrap_or(path)));
            assert!(!pkg.is_empty(), "{path} has a package");
            if !expected.contains(&pkg) {
                expected.push(pkg);
            }
        }
    }
    expected.sort();
    assert_eq!(got, expected, "the packages of every library the files link, once each, sorted");
    for p in ["libpq5", "libxml2", "zlib1g"] {
        assert!(got.iter().any(|g| g == p), "{p} in {got:?}");
    }
    for p in ["libc6", "libgcc-s1", "libstdc++6"] {
        assert!(!got.iter().any(|g| g == p), "{p} is in every image: {got:?}");
    }

    // The runtime stage reads that list: its install line, with apt-get stood in for by a script that
    // records what it was asked to install.
    let line = out.lines().find(|l| l.starts_with("RUN apt-get update && xargs apt-get install")).expect("the runtime install");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("apt.log");
    std::fs::write(bin.join("apt-get"), format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display())).unwrap();
    make_executable(&bin.join("apt-get"));
    let script = line[4..].replace(LIST, work(&dir).join("list").to_str().unwrap()).replace("rm -rf /var/lib/apt/lists/* ", "rm -rf ");
    let r = run(&script, Some(&format!("{}:/usr/bin:/bin", bin.display())));
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls,
        format!("update\ninstall -y --no-install-recommends --no-upgrade ca-certificates netbase {}\n", expected.join(" ")),
        "the named packages and every listed one, in one install"
    );
    assert!(!work(&dir).join("list").exists(), "the list is removed");
    cleanup(&dir);
}

#[test]
fn a_library_no_package_holds_or_the_builder_lacks_stops_the_build() {
    let opts = Options { target: Some(RuntimeFamily::Slim), ..Options::default() };
    let out = convert(RUST, &opts).output.unwrap();
    let dir = scratch("unowned");
    let files = dir.join("release");
    let elsewhere = dir.join("built from source");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let src = dir.join("foo.c");
    std::fs::write(&src, "int foo(void) { return 0; }\n").unwrap();
    let foo = elsewhere.join("libfoo.so.1");
    gcc(&["-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", src.to_str().unwrap(), "-o", foo.to_str().unwrap()]);
    let main = "int foo(void);\nint main(void) { return foo(); }\n";
    let l = format!("-L{}", elsewhere.display());
    let rpath = format!("-Wl,-rpath,{}", elsewhere.display());
    let uses = program(&files, "uses foo", main, &[&l, "-l:libfoo.so.1", &rpath]);
    let r = run(&gate_script(&out, RUST_BINARY, &files, &dir), None);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "slimfile: {} links libfoo.so.1 ({}), which no package of the builder holds and debian:bookworm-slim does not have: copy it to the runtime stage (COPY --from) or install it from a package",
            uses.display(),
            foo.display()
        )),
        "{stderr}"
    );
    // Gone from the builder too: the program cannot start there either.
    std::fs::remove_file(&foo).unwrap();
    let r = run(&gate_script(&out, RUST_BINARY, &files, &dir), None);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("slimfile: {} links libfoo.so.1, which the builder does not have either", uses.display())), "{stderr}");
    cleanup(&dir);
}

#[test]
fn an_empty_list_installs_nothing() {
    // A pure Python app: nothing to install by name, and nothing the gate lists.
    let py = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
    let out = convert(py, &Options::default()).output.unwrap();
    let line = out.lines().find(|l| l.starts_with("RUN if [ -s ")).expect("the conditional install");
    let dir = scratch("empty");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("apt.log");
    std::fs::write(bin.join("apt-get"), format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display())).unwrap();
    make_executable(&bin.join("apt-get"));
    let list = work(&dir).join("list");
    let script = line[4..].replace(LIST, list.to_str().unwrap()).replace("rm -rf /var/lib/apt/lists/*", "true");
    let path = format!("{}:/usr/bin:/bin", bin.display());
    std::fs::write(&list, "").unwrap();
    assert!(run(&script, Some(&path)).status.success());
    assert!(!log.exists() && !list.exists(), "no apt-get at all, the list removed");
    std::fs::write(&list, "libxml2\n").unwrap();
    assert!(run(&script, Some(&path)).status.success());
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "update\ninstall -y --no-install-recommends --no-upgrade libxml2\n");
    cleanup(&dir);
}

fn cleanup(dir: &Path) {
    let _ = std::fs::remove_dir_all(work(dir));
    let _ = std::fs::remove_dir_all(dir);
}

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// BusyBox's applets in a folder, first on PATH: the tools an Alpine image has.
fn busybox_path(dir: &Path) -> String {
    let bb = ["/usr/bin/busybox", "/bin/busybox"].into_iter().find(|p| Path::new(p).exists()).expect("busybox (scripts/test.sh installs it)");
    let bin = dir.join("busybox");
    std::fs::create_dir_all(&bin).unwrap();
    for applet in ["sh", "find", "grep", "sort", "awk", "sed", "head", "tr", "printf", "cat", "rm", "echo", "xargs", "dirname"] {
        std::os::unix::fs::symlink(bb, bin.join(applet)).unwrap();
    }
    bin.to_str().unwrap().to_owned()
}

#[test]
fn the_apk_shape_reads_recorded_scanelf_and_apk_outputs() {
    let out = convert(ALPINE, &Options::default()).output.expect("converted");
    assert!(out.contains("FROM alpine:3.20 AS runtime"), "{out}");
    let dir = scratch("apk");
    // An Alpine root: the carried /usr/local and the system's library folders, searched by the gate.
    let root = dir.join("root");
    let local = root.join("usr/local");
    for d in ["usr/local/bin", "usr/local/lib", "usr/lib", "lib"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    for (d, so) in [("usr/lib", "libpq.so.5"), ("lib", "libssl.so.3"), ("lib", "libc.musl-x86_64.so.1"), ("usr/local/lib", "libown.so.1"), ("usr/lib", "libbuilt.so.2")] {
        std::fs::write(root.join(d).join(so), "").unwrap();
    }
    let app = local.join("bin/app");
    let static_app = local.join("bin/static tool");
    let built = local.join("bin/uses built");
    let gone = local.join("bin/uses gone");
    // scanelf --recursive --needed --nobanner --format '%n %F' PATHS, as pax-utils prints it: the needed
    // sonames joined by commas, a space, the file; a static file has no needed sonames (" FILE").
    let scanelf = format!(
        "#!/bin/sh\ncat <<'EOF'\nlibpq.so.5,libssl.so.3,libown.so.1,libc.musl-x86_64.so.1 {}\n {}\nlibbuilt.so.2,libc.musl-x86_64.so.1 {}\nlibgone.so.9,libc.musl-x86_64.so.1 {}\nEOF\n",
        app.display(),
        static_app.display(),
        built.display(),
        gone.display()
    );
    // apk info --who-owns PATH (apk-tools' info_who_owns): "PATH is owned by NAME-VERSION", or an error and a
    // non-zero exit status for a file no package owns.
    let owned = |so: &str, d: &str, pkg: &str| format!("  '{}') echo \"$3 is owned by {pkg}\" ;;\n", root.join(d).join(so).display());
    let apk = format!(
        "#!/bin/sh\n[ \"$1 $2\" = 'info --who-owns' ] || exit 2\ncase \"$3\" in\n{}{}{}  *) echo \"ERROR: $3: Could not find owner package\" >&2; exit 1 ;;\nesac\n",
        owned("libpq.so.5", "usr/lib", "libpq-16.4-r0"),
        owned("libssl.so.3", "lib", "libssl3-3.3.2-r0"),
        owned("libc.musl-x86_64.so.1", "lib", "musl-1.2.5-r0"),
    );
    let tools = dir.join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    std::fs::write(tools.join("scanelf"), scanelf).unwrap();
    std::fs::write(tools.join("apk"), apk).unwrap();
    make_executable(&tools.join("scanelf"));
    make_executable(&tools.join("apk"));
    let path = format!("{}:{}", busybox_path(&dir), tools.display());
    let script = gate_script(&out, "/usr/local", &local, &dir)
        .replace("/lib /usr/local/lib /usr/lib", &format!("'{0}/lib' '{0}/usr/local/lib' '{0}/usr/lib'", root.display()));
    let r = run(&script, Some(&path));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    // libbuilt.so.2 is in the system's folder but no package owns it; libgone.so.9 is nowhere.
    assert!(stderr.contains(&format!(
        "slimfile: {} links libbuilt.so.2 ({}), which no package of the builder holds and alpine:3.20 does not have",
        built.display(),
        root.join("usr/lib/libbuilt.so.2").display()
    )), "{stderr}");
    assert!(stderr.contains(&format!("slimfile: {} links libgone.so.9, which the builder does not have either", gone.display())), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    // Each owned library by soname, for apk to resolve in the runtime's release; musl's libc (in every Alpine
    // image) and the copied files' own library (under the carried /usr/local) are not listed.
    assert_eq!(listed(&dir), ["so:libpq.so.5", "so:libssl.so.3"]);

    // Without the two, it passes.
    let fixed = script.replace(&format!("libbuilt.so.2,libc.musl-x86_64.so.1 {}\n", built.display()), "").replace(&format!("libgone.so.9,libc.musl-x86_64.so.1 {}\n", gone.display()), "");
    std::fs::write(
        tools.join("scanelf"),
        format!("#!/bin/sh\ncat <<'EOF'\nlibpq.so.5,libssl.so.3,libown.so.1,libc.musl-x86_64.so.1 {}\n {}\nEOF\n", app.display(), static_app.display()),
    )
    .unwrap();
    let r = run(&fixed, Some(&path));
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(listed(&dir), ["so:libpq.so.5", "so:libssl.so.3"]);
    cleanup(&dir);
}

#[test]
fn pax_utils_scanelf_prints_the_format_the_apk_shape_reads() {
    // The real scanelf (Debian's pax-utils) on real files: the needed sonames joined by commas, a space, the
    // file; a static file with nothing before the space.
    let dir = scratch("scanelf");
    let dynamic = program(&dir, "uses zlib", ZLIB, &["-lz"]);
    let stat = program(&dir, "static", PLAIN, &["-static"]);
    let out = Command::new("scanelf")
        .args(["--recursive", "--needed", "--nobanner", "--format", "%n %F"])
        .arg(&dir)
        .output()
        .expect("scanelf (pax-utils; scripts/test.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l == format!("libz.so.1,libc.so.6 {}", dynamic.display())), "{text}");
    assert!(text.lines().any(|l| l == format!(" {}", stat.display())), "{text}");
    cleanup(&dir);
}

#[test]
fn only_a_file_escape_and_paths_the_shell_can_name_change_the_gate() {
    let backtick = format!("# escape=`\n{RUST}");
    let out = convert(&backtick, &Options::default()).output.unwrap();
    let gate: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("RUN command -v ldd")).take_while(|l| !l.is_empty()).collect();
    assert!(gate.len() > 5 && gate[..gate.len() - 1].iter().all(|l| l.ends_with(" `")), "continued with the file's escape:\n{out}");
    // nginx serves files: nothing to check.
    let spa = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npx\", \"serve\", \"-s\", \"dist\"]\n";
    let out = convert(spa, &Options::default()).output.unwrap();
    assert!(!out.contains("library gate"), "{out}");
}

/// A C++ program built on Alpine runs on alpine with g++'s runtime libraries (libstdc++, libgcc: the data's
/// runtime packages of build-base) installed beside what the gate discovers; the gate, in musl's shape
/// (`scanelf`, whose run against real files is the test above), reads the program and the app's files the
/// builder gathered, and runs after the gathering.
#[test]
fn a_cpp_program_on_alpine_gets_gccs_libraries_and_the_musl_gate() {
    let cpp = "FROM alpine:3.20\nRUN apk add --no-cache build-base cmake\nWORKDIR /src\nCOPY . .\nRUN cmake -B build && cmake --build build\nCMD [\"/src/build/server\"]\n";
    let out = convert(cpp, &Options::default()).output.expect("converted");
    assert!(out.contains("RUN xargs apk add --no-cache libstdc++ libgcc < /tmp/slimfile-runtime-packages"), "{out}");
    assert!(out.contains("scanelf --recursive --needed --nobanner --format '%n %F' '/src/build/server' '/tmp/slimfile-carry'"), "{out}");
    let gathered = out.find("mkdir -p /tmp/slimfile-carry").expect("the app's files are gathered");
    let gate = out.find("# slimfile: the library gate").expect("the gate");
    assert!(gathered < gate && !out[gate..].contains("mkdir -p /tmp/slimfile-carry"), "the gate comes last: {out}");
}
