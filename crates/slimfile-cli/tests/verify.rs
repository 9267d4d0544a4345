//! `slimfile verify` driven end to end through stand-in engines on PATH (shell scripts that log their
//! arguments and act as docker or buildah would), without a daemon or a real build.
#![cfg(unix)]

mod common;

use std::path::PathBuf;

use common::{bin, sandbox, text, CLASSIC};

/// A stand-in `docker` (and `podman`) on PATH that logs its arguments, "builds" by checking the Dockerfile,
/// reports an image configuration and size, and "runs" an image by printing a line. Switches:
/// STUB_DIFFERENT (the rewritten image fails), STUB_VARY (each run prints its own start time),
/// STUB_TOOK (the rewritten image prints another duration), STUB_NO_CURL (the rewritten image has no
/// curl for a health check), STUB_FAIL_BUILD (no build succeeds), STUB_HC_ORIGINAL (the original image's
/// HEALTHCHECK, as its configuration's `Healthcheck` holds it; the rewritten image has none).
const STUB_DOCKER: &str = r#"#!/bin/sh
echo "$*" >> "$STUB_LOG"
case "$1 $2" in
  "buildx version"|"info "*) exit 0 ;;
  "buildx build"|"build --format")
    [ -n "$STUB_FAIL_BUILD" ] && { echo "E: Unable to locate package golang-go"; exit 100; }
    [ "$1" = buildx ] && shift; shift; while [ $# -gt 0 ]; do case "$1" in -f) f=$2; shift ;; -t) t=$2; shift ;; esac; shift; done
    grep -q '^FROM ' "$f" || exit 1
    echo "built $t from $(head -1 "$f")"; exit 0 ;;
  "image inspect")
    if [ "$3" = --format ]; then
      case "$5" in *:original) echo 1200000000 ;; *:rewritten) echo 9000000 ;; *) echo 2000000 ;; esac
    else
      hc=null; case "$3" in *:original) hc=${STUB_HC_ORIGINAL:-null} ;; esac
      echo '[{"Config":{"Entrypoint":["/app"],"Cmd":null,"User":"65532","WorkingDir":"/src","ExposedPorts":null,"Healthcheck":'"$hc"'}}]'
    fi; exit 0 ;;
  "run --rm")
    if [ "$5" = --entrypoint ]; then
      # A health check in a new container of the image: run --rm --network host --entrypoint PROG TAG ARG...
      case "$7" in *:rewritten) [ -n "$STUB_NO_CURL" ] && [ "$6" = curl ] && { echo "exec: \"curl\": executable file not found in \$PATH" >&2; exit 127; } ;; esac
      echo "health ok: $6"; exit 0
    fi
    case "$*" in *:rewritten*) [ -n "$STUB_DIFFERENT" ] && { echo "no such file /etc/app.conf" >&2; exit 1; } ;; esac
    echo "hello from /app"
    [ -n "$STUB_VARY" ] && echo "started at $(date +%H:%M:%S.%N) as pid $$"
    case "$*" in *:rewritten*) [ -n "$STUB_TOOK" ] && { echo "took 40ms"; exit 0; } ;; esac
    [ -n "$STUB_TOOK" ] && echo "took 12ms"
    exit 0 ;;
  "rm -f") exit 0 ;;
esac
echo "stub docker: unexpected: $*" >&2; exit 3
"#;

/// A stand-in `buildah` (as root, vfs storage, chroot isolation) whose images serve `STUB_WWW` over HTTP
/// on `STUB_PORT` with Python's http.server, and whose `buildah run` runs any other command on this
/// machine, as a chroot into the image would: except the program named by STUB_MISSING in the rewritten
/// image's working container, which "is not there". STUB_HC_ORIGINAL and STUB_HC_REWRITTEN: each image's
/// HEALTHCHECK, as the Docker configuration's `Healthcheck` holds it (JSON).
const STUB_BUILDAH: &str = r#"#!/bin/sh
echo "$*" >> "$STUB_LOG"
[ "$1" = --version ] && { echo "buildah version 1.39.3"; exit 0; }
[ "$1" = --storage-driver ] && shift 2
case "$1" in
  bud)
    while [ $# -gt 0 ]; do case "$1" in -f) f=$2; shift ;; -t) t=$2; shift ;; esac; shift; done
    grep -q '^FROM ' "$f" || exit 1; exit 0 ;;
  inspect)
    for image; do :; done
    hc=; case "$image" in *:original) hc=$STUB_HC_ORIGINAL ;; *:rewritten) hc=$STUB_HC_REWRITTEN ;; esac
    [ -n "$hc" ] && hc="\"Healthcheck\": $hc"
    echo '{"Manifest": "{\"layers\":[{\"size\":1000000},{\"size\":2000000}]}",
           "OCIv1": {"config": {"Entrypoint": ["/app"], "User": "65532", "WorkingDir": "/srv",
                                "ExposedPorts": {"'"$STUB_PORT"'/tcp": {}}}},
           "Docker": {"config": {'"$hc"'}}}'
    exit 0 ;;
  from|rm) exit 0 ;;
  run)
    shift
    while [ "$1" != -- ]; do case "$1" in --isolation|--user|--workingdir) shift ;; *) name=$1 ;; esac; shift; done
    shift
    [ "$1" = /app ] && exec python3 -m http.server "$STUB_PORT" --bind 127.0.0.1 --directory "$STUB_WWW"
    case "$name" in *-rewritten-*) [ "$1" = "$STUB_MISSING" ] && { echo "chroot: failed to run command '$1': No such file or directory" >&2; exit 127; } ;; esac
    exec "$@" ;;
esac
echo "stub buildah: unexpected: $*" >&2; exit 3
"#;

fn executable(path: &std::path::Path) {
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

fn stub_docker(name: &str) -> (PathBuf, PathBuf, String) {
    let dir = sandbox(name, &[("app/Dockerfile", CLASSIC), ("app/main.go", "package main\nfunc main() {}\n"), ("bin/docker", STUB_DOCKER)]);
    executable(&dir.join("bin/docker"));
    let path = format!("{}:{}", dir.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    (dir.clone(), dir.join("docker.log"), path)
}

/// `slimfile verify app/Dockerfile --engine docker --name classic ARGS` with the stand-in docker and the
/// given environment: the exit code, stdout, and stderr followed by the stand-in's log of its calls.
fn verify_with_docker(name: &str, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let (dir, log, path) = stub_docker(name);
    let mut c = bin();
    c.current_dir(&dir).env("PATH", &path).env("STUB_LOG", &log);
    c.args(["verify", "app/Dockerfile", "--engine", "docker", "--name", "classic"]).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    (o.status.code(), text(&o.stdout), format!("{}\n--- calls:\n{calls}", text(&o.stderr)))
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn verify_drives_docker_builds_runs_and_compares() {
    let (dir, log, path) = stub_docker("verify-docker");
    std::os::unix::fs::symlink(dir.join("bin/docker"), dir.join("bin/podman")).unwrap();
    let out = bin()
        .current_dir(&dir)
        .env("PATH", &path)
        .env("STUB_LOG", &log)
        .args(["verify", "app/Dockerfile", "--engine", "docker", "--name", "classic", "--format", "json"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}\n{}", text(&out.stdout));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "same");
    assert_eq!(r["images"]["original"]["size"], 1_200_000_000u64);
    assert_eq!(r["images"]["rewritten"]["size"], 9_000_000u64);
    assert_eq!(r["images"]["rewritten"]["output"], "hello from /app\n");
    let calls = std::fs::read_to_string(&log).unwrap();
    let builds: Vec<&str> = calls.lines().filter(|l| l.starts_with("buildx build --load -f ")).collect();
    assert_eq!(builds.len(), 2, "{calls}");
    assert!(builds[0].ends_with(" -t localhost/slimfile-verify/classic:original app"), "{calls}");
    assert!(calls.lines().any(|l| l.starts_with("run --rm --network host --name slimfile-verify-classic-rewritten-")
        && l.ends_with(" localhost/slimfile-verify/classic:rewritten")), "{calls}");
    assert!(calls.lines().any(|l| l.starts_with("rm -f slimfile-verify-classic-original-")), "{calls}");

    // The same, with a rewritten image that fails: `different`, exit 1, and the human report says so.
    let out = bin()
        .current_dir(&dir)
        .env("PATH", &path)
        .env("STUB_LOG", &log)
        .env("STUB_DIFFERENT", "1")
        .args(["verify", "app/Dockerfile", "--engine", "docker", "--name", "classic"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.starts_with("app/Dockerfile: the rewritten image behaves DIFFERENTLY\n"), "{stdout}");
    assert!(stdout.contains("no such file /etc/app.conf"), "{stdout}");

    // podman: `podman build` in Docker's format (the OCI format has no HEALTHCHECK), the rest as docker.
    std::fs::remove_file(&log).unwrap();
    let out = bin()
        .current_dir(&dir)
        .env("PATH", &path)
        .env("STUB_LOG", &log)
        .args(["verify", "app/Dockerfile", "--engine", "podman", "--name", "classic"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.lines().any(|l| l.starts_with("build --format docker -f ") && l.ends_with(" -t localhost/slimfile-verify/classic:rewritten app")), "{calls}");
    assert!(!calls.contains("buildx"), "{calls}");
}

#[test]
fn what_varies_between_the_originals_runs_is_masked_and_said() {
    let (code, out, err) = verify_with_docker("verify-vary", &[("STUB_VARY", "1")], &["--format", "json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let r = json(&out);
    assert_eq!(r["verdict"], "same");
    // The original ran twice, each printing its own time and pid.
    let first = r["images"]["original"]["output"].as_str().unwrap();
    let second = r["images"]["original"]["second_run"]["output"].as_str().unwrap();
    assert_ne!(first, second);
    let masked = r["masked"].as_array().unwrap();
    assert!(!masked.is_empty());
    for m in masked {
        assert_eq!(m["reason"], "differs between the original's two runs");
        assert_eq!(m["line"], 2, "only the varying tokens of line 2: {m}");
        assert!(!m["text"][0].as_str().unwrap().contains("started"), "the line's words stay compared: {m}");
    }
    // The text report lists each masked place.
    let (code, out, _) = verify_with_docker("verify-vary-text", &[("STUB_VARY", "1")], &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.lines().any(|l| l.starts_with("  masked (line 2): ") && l.ends_with(" — differs between the original's two runs")), "{out}");
}

#[test]
fn user_masks_cover_what_one_run_cannot_show() {
    // The rewrite prints another duration: the original's two runs agree, so only --mask can say it does not matter.
    let (code, out, _) = verify_with_docker("verify-took", &[("STUB_TOOK", "1")], &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let r = json(&out);
    assert_eq!(r["verdict"], "different");
    assert_eq!(r["differences"][0], "the output differs at line 2: the original printed \"12ms\" where the rewritten image printed \"40ms\"");
    let (code, out, _) = verify_with_docker("verify-took-masked", &[("STUB_TOOK", "1")], &["--format", "json", "--mask", "[0-9]+ms"]);
    assert_eq!(code, Some(0), "{out}");
    let r = json(&out);
    assert_eq!(r["verdict"], "same");
    assert_eq!(r["masked"], serde_json::json!([{"reason": "--mask [0-9]+ms", "text": ["12ms", "40ms"], "count": 3}]));
}

#[test]
fn a_health_check_that_fails_only_in_the_rewrite_is_different() {
    let check = r#"["CMD", "curl", "-f", "http://localhost"]"#;
    let (code, out, err) = verify_with_docker("verify-health", &[], &["--health-cmd", check, "--format", "json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let r = json(&out);
    assert_eq!(r["images"]["rewritten"]["health"][0]["exit"], 0);
    assert_eq!(r["images"]["original"]["health"][0]["command"], check);
    // The rewrite dropped curl: the page may still load, the deployment's health check does not pass.
    let (code, out, calls) = verify_with_docker("verify-health-curl", &[("STUB_NO_CURL", "1")], &["--health-cmd", check]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("app/Dockerfile: the rewritten image behaves DIFFERENTLY\n"), "{out}");
    assert!(out.contains(&format!("  health check in the rewritten image: {check} fails (exit 127)\n[stderr]\nexec: \"curl\": executable file not found in $PATH\n")), "{out}");
    assert!(out.contains(&format!("  difference: the health check {check} passes in the original and fails in the rewritten image (exit 127)\n")), "{out}");
    // A one-shot command's check runs in a new container of the image, with the check as its entrypoint.
    assert!(calls.lines().any(|l| l == "run --rm --network host --entrypoint curl localhost/slimfile-verify/classic:rewritten -f http://localhost"), "{calls}");
}

#[test]
fn a_healthcheck_the_rewrite_dropped_is_different() {
    let hc = r#"{"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "Interval": 30000000000}"#;
    let (code, out, calls) = verify_with_docker("verify-own-health-dropped", &[("STUB_HC_ORIGINAL", hc)], &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}{calls}");
    let r = json(&out);
    assert_eq!(r["verdict"], "different");
    assert_eq!(r["images"]["original"]["healthcheck"]["command"], r#"["CMD-SHELL", "curl -f http://localhost/ || exit 1"]"#);
    assert_eq!(r["images"]["original"]["healthcheck"]["exit"], 0);
    assert!(r["images"]["rewritten"].get("healthcheck").is_none(), "{r}");
    assert_eq!(
        r["differences"],
        serde_json::json!([r#"the original image has a HEALTHCHECK (["CMD-SHELL", "curl -f http://localhost/ || exit 1"]) and the rewritten image has none"#])
    );
    // A shell-form check runs with the image's shell, in a new container of the image (a one-shot command).
    assert!(calls.lines().any(|l| l == "run --rm --network host --entrypoint /bin/sh localhost/slimfile-verify/classic:original -c curl -f http://localhost/ || exit 1"), "{calls}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
}

/// `slimfile verify` with the stand-in buildah of `dir/bin`, its images serving `dir/www` on `port`, the
/// program `missing` absent from the rewritten image.
fn with_stub_buildah(dir: &std::path::Path, port: u16, missing: &str) -> std::process::Command {
    let mut c = bin();
    c.current_dir(dir)
        .env("PATH", format!("{}:{}", dir.join("bin").display(), std::env::var("PATH").unwrap_or_default()))
        .env("STUB_LOG", dir.join("buildah.log"))
        .env("STUB_PORT", port.to_string())
        .env("STUB_WWW", dir.join("www"))
        .env("STUB_MISSING", missing);
    c
}

#[test]
fn with_buildah_a_servers_health_check_runs_beside_it() {
    let dir = sandbox("verify-buildah", &[("app/Dockerfile", CLASSIC), ("www/index.html", "hello\n"), ("bin/buildah", STUB_BUILDAH)]);
    executable(&dir.join("bin/buildah"));
    let port = free_port();
    // The check asks the server: it passes only while the server runs.
    let check = format!(r#"["CMD", "python3", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:{port}/')"]"#);
    let verify = |missing: &str| {
        let o = with_stub_buildah(&dir, port, missing)
            .args(["verify", "app/Dockerfile", "--engine", "buildah", "--http", "/", "--health-cmd", &check, "--format", "json"])
            .output()
            .unwrap();
        (o.status.code(), json(&text(&o.stdout)), text(&o.stderr))
    };
    let (code, r, err) = verify("");
    assert_eq!(code, Some(0), "{r}\n{err}");
    for side in ["original", "rewritten"] {
        assert_eq!(r["images"][side]["http_status"], 200);
        assert_eq!(r["images"][side]["output"], "hello\n");
        assert_eq!(r["images"][side]["health"][0]["exit"], 0, "{side}: {}", r["images"][side]["health"]);
    }
    let calls = std::fs::read_to_string(dir.join("buildah.log")).unwrap();
    assert!(calls.lines().any(|l| l.starts_with("--storage-driver vfs run --isolation chroot --user 65532 --workingdir /srv slimfile-verify-app-rewritten-")
        && l.contains(" -- python3 -c ")), "{calls}");
    let (code, r, _) = verify("python3");
    assert_eq!(code, Some(1));
    assert_eq!(r["verdict"], "different");
    assert_eq!(r["images"]["rewritten"]["health"][0]["exit"], 127);
    assert!(r["images"]["rewritten"]["health"][0]["output"].as_str().unwrap().contains("No such file or directory"));
}

#[test]
fn with_buildah_each_images_own_healthcheck_runs_beside_its_server() {
    let dir = sandbox("verify-buildah-own", &[("app/Dockerfile", CLASSIC), ("www/index.html", "hello\n"), ("bin/buildah", STUB_BUILDAH)]);
    executable(&dir.join("bin/buildah"));
    let port = free_port();
    // Each image's own check asks its server, as `node healthcheck.js` does: the original's in shell form,
    // the rewrite's in exec form. They pass only while the server runs.
    let ask = format!("import urllib.request as u; u.urlopen('http://127.0.0.1:{port}/')");
    let original = serde_json::json!({"Test": ["CMD-SHELL", format!("python3 -c \"{ask}\"")], "Timeout": 3000000000u64});
    let rewritten = serde_json::json!({"Test": ["CMD", "python3", "-c", ask], "Timeout": 3000000000u64});
    let verify = |missing: &str, rewritten: &str| {
        let o = with_stub_buildah(&dir, port, missing)
            .env("STUB_HC_ORIGINAL", original.to_string())
            .env("STUB_HC_REWRITTEN", rewritten)
            .args(["verify", "app/Dockerfile", "--engine", "buildah", "--http", "/", "--format", "json"])
            .output()
            .unwrap();
        (o.status.code(), json(&text(&o.stdout)), text(&o.stderr))
    };
    let (code, r, err) = verify("", &rewritten.to_string());
    assert_eq!(code, Some(0), "{r}\n{err}");
    assert_eq!(r["verdict"], "same");
    assert_eq!(r["images"]["original"]["healthcheck"]["command"], format!("[\"CMD-SHELL\", {}]", serde_json::json!(format!("python3 -c \"{ask}\""))));
    assert_eq!(r["images"]["rewritten"]["healthcheck"]["command"], format!("[\"CMD\", \"python3\", \"-c\", {}]", serde_json::json!(ask)));
    for side in ["original", "rewritten"] {
        assert_eq!(r["images"][side]["healthcheck"]["exit"], 0, "{side}: {}", r["images"][side]);
    }
    let calls = std::fs::read_to_string(dir.join("buildah.log")).unwrap();
    // Built in Docker's format (the OCI format has no HEALTHCHECK); each check in its image's working
    // container, the shell form with /bin/sh -c.
    assert_eq!(calls.lines().filter(|l| l.starts_with("--storage-driver vfs bud --isolation chroot --layers --format docker -f ")).count(), 2, "{calls}");
    assert!(calls.lines().any(|l| l.starts_with("--storage-driver vfs run --isolation chroot --user 65532 --workingdir /srv slimfile-verify-app-original-")
        && l.ends_with(&format!(" -- /bin/sh -c python3 -c \"{ask}\""))), "{calls}");
    assert!(calls.lines().any(|l| l.starts_with("--storage-driver vfs run --isolation chroot --user 65532 --workingdir /srv slimfile-verify-app-rewritten-")
        && l.ends_with(&format!(" -- python3 -c {ask}"))), "{calls}");

    // The rewrite's check names a program its image does not have: it cannot run, and that is a failure.
    let (code, r, _) = verify("python3", &rewritten.to_string());
    assert_eq!(code, Some(1));
    assert_eq!(r["verdict"], "different");
    assert_eq!(r["images"]["rewritten"]["healthcheck"]["exit"], 127);
    assert_eq!(r["differences"][0], format!("the HEALTHCHECK passes in the original ({}) and fails in the rewritten image ({}: exit 127)",
        r["images"]["original"]["healthcheck"]["command"].as_str().unwrap(), r["images"]["rewritten"]["healthcheck"]["command"].as_str().unwrap()));
    // HEALTHCHECK NONE in the rewrite: the check is gone.
    let (code, r, _) = verify("", r#"{"Test": ["NONE"]}"#);
    assert_eq!(code, Some(1));
    assert!(r["differences"][0].as_str().unwrap().ends_with(" and the rewritten image has none"), "{r}");
}

#[test]
fn the_work_folder_is_removed_however_verify_ends() {
    let (dir, log, path) = stub_docker("verify-tmp");
    let tmp = dir.join("tmp");
    let verify = |env: &[(&str, &str)], stdout: std::process::Stdio| {
        std::fs::create_dir_all(&tmp).unwrap();
        let mut c = bin();
        c.current_dir(&dir).env("PATH", &path).env("STUB_LOG", &log).env("TMPDIR", &tmp).stdout(stdout);
        c.args(["verify", "app/Dockerfile", "--engine", "docker", "--name", "classic"]);
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().file_name()).collect();
        (o.status.code(), text(&o.stderr), left)
    };
    let (code, err, left) = verify(&[], std::process::Stdio::piped());
    assert_eq!((code, left.len()), (Some(0), 0), "{err}: {left:?}");
    let (code, err, left) = verify(&[("STUB_FAIL_BUILD", "1")], std::process::Stdio::piped());
    assert_eq!((code, left.len()), (Some(1), 0), "{err}: {left:?}");
    // An error that ends the command early (here: the report cannot be written) leaves nothing either.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let (code, err, left) = verify(&[], full.into());
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("slimfile: cannot write"), "{err}");
    assert!(left.is_empty(), "{left:?}");
}
