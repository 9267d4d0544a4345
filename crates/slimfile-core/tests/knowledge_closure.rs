//! The Debian closure sizes embedded in the library (`data/debian/bookworm-closure.json`) are
//! reproducible: `scripts/debian-closure.py --check` recomputes every package's closure over every
//! base from the committed index snapshot (`data/debian/bookworm-Packages.trimmed.gz`) and compares.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn closure_json_is_reproducible_from_the_snapshot() {
    let script = root().join("scripts/debian-closure.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg("--check")
        .output()
        .expect("python3 runs (the test suite's machines have it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "debian-closure.py --check failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.starts_with("ok:"), "{stdout}");
}

#[test]
fn snapshot_is_committed_and_small() {
    let snap = root().join("crates/slimfile-core/data/debian/bookworm-Packages.trimmed.gz");
    let len = std::fs::metadata(&snap).expect("snapshot exists").len();
    assert!(len > 1_000_000 && len < 5_000_000, "snapshot is {len} bytes");
}
