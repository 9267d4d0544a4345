//! The build context from a folder: a bounded listing and the files the engine's readers want
//! (`slimfile_core::context::wants`), nothing else.
//!
//! - The listing names at most `MAX_PATHS` paths; `.git/`, `node_modules/`, `target/` and the other
//!   `OPAQUE_FOLDERS` are named, not entered. Past the limit the listing is marked incomplete.
//! - A wanted file is read only when it is at most `MAX_FILE_BYTES` (and all together at most
//!   `MAX_TOTAL_BYTES`, sources at most `MAX_SOURCE_FILES`), UTF-8, and inside the context: a symlink
//!   whose target leaves the context is listed and never followed. What is not read is said on stderr.
//! - `.env` files reach the engine as the names of their keys only (`prepare`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use slimfile_core::context::{prepare, wants, BuildContext, Want, MAX_FILE_BYTES, MAX_PATHS, MAX_SOURCE_FILES, MAX_TOTAL_BYTES, OPAQUE_FOLDERS};

/// A folder's context, and what could not be read (one sentence each, for stderr).
pub struct Loaded {
    pub context: BuildContext,
    pub skipped: Vec<String>,
}

pub fn load(root: &Path) -> Result<Loaded, String> {
    let canonical = std::fs::canonicalize(root).map_err(|e| format!("cannot read the context {}: {e}", root.display()))?;
    if !canonical.is_dir() {
        return Err(format!("the context {} is not a folder", root.display()));
    }
    let mut out = Loaded { context: BuildContext { complete: true, ..BuildContext::default() }, skipped: vec![] };
    let mut wanted: Vec<(String, PathBuf)> = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(canonical.clone(), String::new())];
    'walk: while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            out.skipped.push(format!("{}: the folder cannot be read", display(&rel)));
            out.context.complete = false;
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if out.context.paths.len() >= MAX_PATHS {
                out.context.complete = false;
                out.skipped.push(format!("the context has more than {MAX_PATHS} files and folders: slimfile listed the first {MAX_PATHS}"));
                break 'walk;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let path = format!("{rel}{name}");
            let Ok(meta) = std::fs::symlink_metadata(e.path()) else { continue };
            if meta.file_type().is_symlink() {
                // Listed; read only when it stays inside the context.
                match std::fs::canonicalize(e.path()) {
                    Ok(target) if target.starts_with(&canonical) && target.is_file() => {
                        out.context.paths.push(path.clone());
                        if wants(&path) != Want::No {
                            wanted.push((path, target));
                        }
                    }
                    Ok(target) if target.starts_with(&canonical) => out.context.paths.push(format!("{path}/")),
                    _ => {
                        out.context.paths.push(path.clone());
                        if wants(&path) != Want::No {
                            out.skipped.push(format!("{path} is a link that leaves the context: not followed"));
                        }
                    }
                }
            } else if meta.is_dir() {
                out.context.paths.push(format!("{path}/"));
                if !OPAQUE_FOLDERS.contains(&name.as_str()) {
                    stack.push((e.path(), format!("{path}/")));
                }
            } else {
                out.context.paths.push(path.clone());
                if wants(&path) != Want::No {
                    wanted.push((path, e.path()));
                }
            }
        }
    }
    out.context.paths.sort();
    wanted.sort();
    let (mut total, mut sources) = (0usize, 0usize);
    for (path, file) in wanted {
        let size = std::fs::metadata(&file).map(|m| m.len() as usize).unwrap_or(usize::MAX);
        let source = path.ends_with(".go") || path.ends_with(".rs");
        let why = if size > MAX_FILE_BYTES {
            Some(format!("{path} is {}, over the {} MiB slimfile reads of one file: not read", mib(size), MAX_FILE_BYTES >> 20))
        } else if total + size > MAX_TOTAL_BYTES {
            Some(format!("{path}: the files read already come to {}, and slimfile reads at most {} MiB of a context: not read", mib(total), MAX_TOTAL_BYTES >> 20))
        } else if source && sources >= MAX_SOURCE_FILES {
            Some(format!("{path}: slimfile reads at most {MAX_SOURCE_FILES} source files: not read"))
        } else {
            None
        };
        if let Some(w) = why {
            out.skipped.push(w);
            continue;
        }
        match std::fs::read(&file).map(String::from_utf8) {
            Ok(Ok(text)) => {
                total += size;
                sources += usize::from(source);
                out.context.files.insert(path.clone(), prepare(&path, &text));
            }
            Ok(Err(_)) => out.skipped.push(format!("{path} is not UTF-8 text: not read")),
            Err(e) => out.skipped.push(format!("{path} cannot be read: {e}")),
        }
    }
    Ok(out)
}

fn display(rel: &str) -> &str {
    if rel.is_empty() {
        "."
    } else {
        rel
    }
}

fn mib(n: usize) -> String {
    format!("{:.1} MiB", n as f64 / (1 << 20) as f64)
}

/// Contexts loaded once per folder, with what could not be read said once on stderr.
#[derive(Default)]
pub struct Contexts {
    loaded: HashMap<PathBuf, Arc<BuildContext>>,
}

impl Contexts {
    pub fn get(&mut self, dir: &Path) -> Result<Arc<BuildContext>, String> {
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(c) = self.loaded.get(&key) {
            return Ok(c.clone());
        }
        let l = load(dir)?;
        for s in &l.skipped {
            eprintln!("slimfile: context {}: {s}", dir.display());
        }
        let c = Arc::new(l.context);
        self.loaded.insert(key, c.clone());
        Ok(c)
    }
}

/// The folder a Dockerfile's context is by default: the Dockerfile's own.
pub fn default_dir(file: &str) -> PathBuf {
    Path::new(file).parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_what_the_readers_want_within_limits() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("package.json"), "{}").unwrap();
        std::fs::write(d.join("README.md"), "not read").unwrap();
        std::fs::write(d.join(".env"), "TOKEN=secret\n").unwrap();
        std::fs::create_dir_all(d.join("node_modules/pg")).unwrap();
        std::fs::write(d.join("node_modules/pg/package.json"), "{}").unwrap();
        std::fs::create_dir_all(d.join("src")).unwrap();
        std::fs::write(d.join("src/main.go"), "package main\n").unwrap();
        std::fs::write(d.join("big.go"), vec![b'a'; MAX_FILE_BYTES + 1]).unwrap();
        std::fs::write(d.join("bad.go"), [0xff, 0xfe]).unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("Cargo.toml"), d.join("Cargo.toml")).unwrap();
        let l = load(d).unwrap();
        let files: Vec<&str> = l.context.files.keys().map(String::as_str).collect();
        assert_eq!(files, [".env", "package.json", "src/main.go"]);
        assert_eq!(l.context.files[".env"], "TOKEN=\n", "keys only");
        assert!(l.context.paths.contains(&"node_modules/".to_owned()) && !l.context.paths.iter().any(|p| p.starts_with("node_modules/pg")));
        assert!(l.context.paths.contains(&"README.md".to_owned()));
        assert!(l.context.complete);
        let skipped = l.skipped.join("\n");
        assert!(skipped.contains("big.go is 4.0 MiB, over the 4 MiB slimfile reads of one file: not read"), "{skipped}");
        assert!(skipped.contains("bad.go is not UTF-8 text"), "{skipped}");
        #[cfg(unix)]
        assert!(skipped.contains("Cargo.toml is a link that leaves the context: not followed"), "{skipped}");
    }
}
