//! The build context: the project's own files, read so that the rewrite answers from what the project
//! says (package.json's start script, Cargo.toml's binary, pom.xml's jar) instead of asking or guessing.
//!
//! [`BuildContext`] is plain data, IO-free, so the same engine runs in the browser: a map of relative path
//! → file content (only the files a reader wants, [`wants`]), the list of paths that exist (names only:
//! large trees are listed, not read), whether that list is complete, and the health checks a compose file
//! runs inside the container. The CLI fills it from the Dockerfile's folder, the playground from a dropped
//! folder or pasted files, the JavaScript API from its third argument.
//!
//! [`Project::read`] finds the folder of the context the app comes from ([`Project::root`], as the
//! Dockerfile's COPY instructions place it) and runs each reader, one module per file kind:
//! `package_json` (scripts, main, engines, native addons and dev servers, lockfiles), `cargo_toml`
//! (package name, `[[bin]]`, default-run, workspace members), `go_mod` (go version, cgo modules, and the
//! sources: `import "C"`, `//go:embed`, files they name), `maven` and `gradle` (the jar a build writes),
//! `python` (requirements*.txt, pyproject.toml, poetry.lock, uv.lock), `gemfile` (Gemfile.lock) and
//! `dockerignore` (what `COPY . .` really sends). `toml` is the small TOML reader the TOML files share.
//!
//! Every answer the rewrite takes from a file names it in its change note, and [`Project::cite`] records
//! the file, so the Report says which files were used. A file that does not parse is a diagnostic with its
//! line and column, and is ignored. An empty context changes nothing: `convert` behaves as without one.
//! Depends on `analyze`, `model`, `shell`, `syntax`, `knowledge` and `report`.

pub mod cargo_toml;
pub mod dockerignore;
pub mod gemfile;
pub mod go_mod;
pub mod gradle;
pub mod maven;
pub mod needs;
pub mod package_json;
pub mod python;
pub mod sources;
pub mod toml;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::analyze::{join_path, normalize, Analysis};
use crate::model::Model;
use crate::report::{ContextReport, Diagnostic, Severity};
use crate::syntax::{Args, Document, Kind};

/// The largest file a reader takes (a bigger one is listed, not read): lockfiles of large apps are a few
/// MB.
pub const MAX_FILE_BYTES: usize = 4 << 20;
/// All files read together.
pub const MAX_TOTAL_BYTES: usize = 16 << 20;
/// Paths a listing names at most; past that it is incomplete.
pub const MAX_PATHS: usize = 20_000;
/// Source files (`.go`, `.rs`) read at most; past that the sources are incomplete and the rewrite asks.
pub const MAX_SOURCE_FILES: usize = 500;
/// Folders a listing names but does not enter: version control, dependencies, build output, caches.
pub const OPAQUE_FOLDERS: &[&str] = &[".git", "node_modules", "target", "__pycache__", ".venv", "venv", ".gradle", ".mypy_cache", ".pytest_cache", ".tox", "vendor"];

/// The project's files, as the engine reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuildContext {
    /// Relative path (`/`-separated, no leading `./`) → content, for the files the readers want.
    pub files: BTreeMap<String, String>,
    /// Paths that exist, relative, folders with a trailing `/` (`src/`, `src/main.rs`, `.git/`). A folder
    /// in [`OPAQUE_FOLDERS`] is named, not entered.
    pub paths: Vec<String>,
    /// True when `paths` lists every file and folder (outside opaque folders): what is not listed does
    /// not exist. False for pasted or picked files.
    pub complete: bool,
    /// Health checks a compose file runs inside the container: run-time needs of the image.
    pub healthchecks: Vec<HealthCheck>,
}

/// A compose service's `healthcheck.test`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthCheck {
    /// Where it comes from, as a change note names it: `compose.yaml (service web)`.
    pub source: String,
    /// As compose writes it: `["CMD", "curl", "-f", "http://localhost"]`, `["CMD-SHELL", "curl … || exit 1"]`,
    /// or one string (run by the shell).
    pub test: Vec<String>,
}

impl BuildContext {
    /// Nothing in it: `convert` behaves exactly as without a context.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.paths.is_empty() && self.healthchecks.is_empty()
    }

    /// A file or folder that exists (read, or listed).
    pub fn exists(&self, path: &str) -> bool {
        let p = path.trim_end_matches('/');
        self.files.contains_key(p) || self.paths.iter().any(|q| q.trim_end_matches('/') == p) || self.is_dir(p)
    }

    /// A folder: listed as one, or holding a listed or read path.
    pub fn is_dir(&self, path: &str) -> bool {
        let p = path.trim_end_matches('/');
        if p.is_empty() {
            return true;
        }
        let prefix = format!("{p}/");
        self.paths.iter().any(|q| q.starts_with(&prefix)) || self.files.keys().any(|q| q.starts_with(&prefix))
    }

    /// Every listed or read path, files without a trailing `/`, sorted, once.
    pub fn all_paths(&self) -> BTreeSet<&str> {
        self.paths.iter().map(String::as_str).chain(self.files.keys().map(String::as_str)).collect()
    }

    /// Whether every listed file `keep` accepts was read (none over a limit, none skipped).
    pub fn read_all(&self, keep: impl Fn(&str) -> bool) -> bool {
        self.complete && self.paths.iter().filter(|p| !p.ends_with('/') && keep(p)).all(|p| self.files.contains_key(p.as_str()))
    }
}

/// Whether a shell reads a file for the engine, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    No,
    Whole,
    /// Only the names of its keys (`.env`): the values are secrets and never leave the file ([`prepare`]).
    KeysOnly,
}

/// The files some reader wants, by their path relative to the context.
pub fn wants(path: &str) -> Want {
    if path.split('/').any(|c| OPAQUE_FOLDERS.contains(&c)) {
        return Want::No;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let whole = matches!(
        name,
        "package.json" | "package-lock.json" | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml" | "Cargo.toml" | "go.mod"
            | "pom.xml" | "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts" | "pyproject.toml"
            | "poetry.lock" | "uv.lock" | "Gemfile.lock" | ".dockerignore"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
        || (name.ends_with(".go") && !name.ends_with("_test.go"))
        || (name.ends_with(".rs") && !path.contains("tests/") && !path.contains("benches/"));
    if whole {
        Want::Whole
    } else if name == ".env" || name.starts_with(".env.") {
        Want::KeysOnly
    } else {
        Want::No
    }
}

/// What a shell puts in [`BuildContext::files`] for a file it read: the text itself, or for a `.env` file
/// only the names of the keys that have a value (`KEY=`), so no secret reaches the engine, a report or a
/// share link.
pub fn prepare(path: &str, content: &str) -> String {
    if wants(path) != Want::KeysOnly {
        return content.to_owned();
    }
    let mut out = String::new();
    for line in content.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let k = k.trim();
            if !k.is_empty() && !v.trim().is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push_str(k);
                out.push_str("=\n");
            }
        }
    }
    out
}

/// The project's answers, read once per conversion.
pub struct Project<'c> {
    pub context: &'c BuildContext,
    /// The folder of the context the app's files come from, with a trailing `/` (`""` for the context
    /// itself, `api/` for `COPY api/ .`).
    pub root: String,
    /// The Dockerfile copies that folder whole into the final stage's WORKDIR (`COPY . .`), so every file
    /// of it (but what .dockerignore leaves out) is in the builder.
    pub root_copied: bool,
    pub package_json: Option<package_json::PackageJson>,
    pub cargo: Option<cargo_toml::Cargo>,
    pub go: Option<go_mod::GoMod>,
    pub maven: Option<maven::Pom>,
    pub gradle: Option<gradle::Gradle>,
    pub python: Option<python::Deps>,
    pub gems: Option<gemfile::Gems>,
    pub dockerignore: dockerignore::Patterns,
    /// What the app needs at run time that the files prove: runtime libraries of native packages, the
    /// tools a compose health check runs.
    pub needs: Vec<Need>,
    /// Files that do not parse.
    pub diagnostics: Vec<Diagnostic>,
    used: RefCell<BTreeSet<String>>,
}

/// A run-time need the context proves, with the sentence that says where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub what: NeedKind,
    /// `requirements.txt lists psycopg2, which is compiled against libpq-dev`.
    pub why: String,
    /// The file it comes from (cited when the rewrite uses it).
    pub file: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NeedKind {
    /// An OS package of the final image (`libpq5`, `curl`).
    Package(String),
    /// A header package whose runtime library is not known for the builder's release.
    UnknownLibrary(String),
    /// `/bin/sh` (a health check in shell form).
    Shell,
}

impl<'c> Project<'c> {
    /// `None` for an empty context.
    pub fn read(context: &'c BuildContext, doc: &Document, model: &Model, analysis: &Analysis) -> Option<Project<'c>> {
        if context.is_empty() {
            return None;
        }
        let (root, root_copied) = app_root(context, doc, model, analysis);
        let mut diagnostics = Vec::new();
        let mut bad = |file: &str, line: u32, column: u32, message: &str| {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                message: format!("{file} does not parse (line {line}, column {column}): {message}; slimfile ignored it"),
                span: None,
            });
        };
        let workdir_name = analysis.stages.last().map(|f| f.workdir.rsplit('/').next().unwrap_or("").to_owned()).unwrap_or_default();
        let mut p = Project {
            package_json: package_json::read(context, &root, &mut bad),
            cargo: cargo_toml::read(context, &root, &mut bad),
            go: go_mod::read(context, &root, &mut bad),
            maven: maven::read(context, &root, &mut bad),
            gradle: gradle::read(context, &root, &workdir_name),
            python: python::read(context, &root, &mut bad),
            gems: gemfile::read(context, &root),
            dockerignore: dockerignore::read(context),
            needs: vec![],
            context,
            root,
            root_copied,
            diagnostics,
            used: RefCell::new(BTreeSet::new()),
        };
        p.needs = needs::read(&p, analysis);
        Some(p)
    }

    /// Adds what the context proves the app needs at run time to the analysis: packages, a shell, and
    /// libraries whose runtime package is unknown (which the strategies refuse on, as for the
    /// Dockerfile's own).
    pub fn add_needs(&self, analysis: &mut Analysis) {
        for n in &self.needs {
            if let (NeedKind::Package(p), Some(f)) = (&n.what, analysis.stages.last_mut()) {
                // A tool installed in the final stage that the container runs (a health check's curl) is
                // needed at run time, as for the Dockerfile's own HEALTHCHECK.
                for pkg in f.packages.iter_mut().filter(|q| q.name == *p && q.role == crate::knowledge::packages::Role::Build) {
                    pkg.role = crate::knowledge::packages::Role::Runtime;
                }
            }
            match &n.what {
                NeedKind::Package(p) if !analysis.needs.packages.contains(p) => analysis.needs.packages.push(p.clone()),
                NeedKind::UnknownLibrary(h) => analysis.unmapped_dev.push(format!("{h} ({})", n.why)),
                NeedKind::Shell => analysis.needs.shell.push(n.why.clone()),
                NeedKind::Package(_) => {}
            }
        }
    }

    /// Records that an answer came from `path` and returns it, for the change note.
    pub fn cite(&self, path: &str) -> String {
        if self.context.files.contains_key(path) {
            self.used.borrow_mut().insert(path.to_owned());
        }
        path.to_owned()
    }

    /// A path of the app's folder, relative to the context (`server.js` → `api/server.js`).
    pub fn at_root(&self, rel: &str) -> String {
        format!("{}{}", self.root, rel.trim_start_matches("./"))
    }

    /// What the Report says about the context: the files answers came from, and a proposed
    /// `.dockerignore` when the build sends what it should not.
    pub fn report(&self, dockerignore: Option<String>) -> ContextReport {
        ContextReport { files_used: self.used.borrow().iter().cloned().collect(), dockerignore }
    }
}

/// The folder of the context that lands in the final stage's WORKDIR: the source of the COPY whose
/// destination is that folder (`COPY . .`, `COPY api/ ./`, `COPY api/package.json ./` → `api/`).
/// The last such COPY of a folder wins; a copied file only says where its folder is when no folder is
/// copied. `""` (the context itself) when nothing says otherwise. With whether a folder was copied whole.
pub fn app_root(context: &BuildContext, doc: &Document, model: &Model, analysis: &Analysis) -> (String, bool) {
    let (Some(target), Some(facts)) = (model.target(), analysis.stages.last()) else { return (String::new(), false) };
    let workdir = facts.workdir.clone();
    let mut stages = vec![target.index];
    let mut s = target.index;
    while let crate::report::StageBase::Stage { index } = model.stages[s].base {
        if stages.contains(&index) {
            break;
        }
        stages.push(index);
        s = index;
    }
    let (mut folder, mut file_dir) = (None::<String>, None::<String>);
    // The chain from its root: each stage starts in the folder its parent ended in.
    let mut wd = "/".to_owned();
    for &si in stages.iter().rev() {
        let stage = &model.stages[si];
        for i in stage.body.clone() {
            let inst = &doc.instructions[i];
            if inst.kind == Kind::Workdir {
                wd = join_path(&wd, inst.arg_text());
            }
            if !matches!(inst.kind, Kind::Copy | Kind::Add) || inst.flag("from").is_some() {
                continue;
            }
            let Args::Copy { sources, dest, .. } = &inst.args else { continue };
            if join_path(&wd, dest) != workdir {
                continue;
            }
            for src in sources {
                let clean = normalize(&format!("/{src}"));
                let rel = clean.trim_start_matches('/');
                if rel.is_empty() {
                    folder = Some(String::new());
                } else if !rel.contains(['*', '?', '[', '$']) && context.is_dir(rel) {
                    folder = Some(format!("{rel}/"));
                } else if file_dir.is_none() {
                    file_dir = Some(rel.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/")));
                }
            }
        }
    }
    match folder {
        Some(f) => (f, true),
        None => (file_dir.unwrap_or_default(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_files() {
        assert_eq!(wants("package.json"), Want::Whole);
        assert_eq!(wants("api/Cargo.toml"), Want::Whole);
        assert_eq!(wants("requirements-prod.txt"), Want::Whole);
        assert_eq!(wants("cmd/server/main.go"), Want::Whole);
        assert_eq!(wants("main_test.go"), Want::No);
        assert_eq!(wants("node_modules/pg/package.json"), Want::No);
        assert_eq!(wants("README.md"), Want::No);
        assert_eq!(wants(".env.production"), Want::KeysOnly);
    }

    #[test]
    fn env_files_keep_only_their_keys() {
        let text = "# comment\nexport API_KEY=sk-live-123\nEMPTY=\nDB_URL = postgres://u:p@h/db\nnot a line\n";
        assert_eq!(prepare(".env", text), "API_KEY=\nDB_URL=\n");
        assert_eq!(prepare("package.json", "{}"), "{}");
    }
}
