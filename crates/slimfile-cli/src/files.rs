//! Inputs: files, `-` for standard input, globs (`**/Dockerfile*`, matched with globset) and folders
//! (every Dockerfile under them). Globs and folders are walked as ripgrep walks (the ignore crate): what
//! `.gitignore` and `.ignore` exclude is skipped, and so are `node_modules/`, `target/` and hidden
//! folders, unless `--no-ignore` asks for ignored files too.

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};
use ignore::WalkBuilder;

use crate::args::InputFlags;

/// Folders a glob or a folder argument skips unless `--no-ignore`: dependencies and build output, which
/// hold other projects' Dockerfiles.
const SKIPPED_FOLDERS: [&str; 2] = ["node_modules", "target"];

/// Which files a walk skips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignore {
    /// What `.gitignore`, `.ignore`, `.git/info/exclude` and the global git excludes exclude, and
    /// `node_modules/` and `target/`.
    Default,
    /// `--no-ignore`: none of those.
    Nothing,
}

impl From<InputFlags> for Ignore {
    fn from(f: InputFlags) -> Ignore {
        if f.no_ignore {
            Ignore::Nothing
        } else {
            Ignore::Default
        }
    }
}

/// Whether a file name looks like a Dockerfile: `Dockerfile`, `Dockerfile.prod`, `prod.Dockerfile`,
/// `Containerfile`, `app.dockerfile` (what a folder argument picks).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // Ignore files, and data beside a Dockerfile (`Dockerfile.json`, `Dockerfile.official.json`, a
    // `.md` note): no Dockerfile is written in those formats.
    const NOT_DOCKERFILES: &[&str] = &[".dockerignore", ".containerignore", ".json", ".yaml", ".yml", ".toml", ".md", ".txt", ".snap", ".orig", ".bak", ".swp"];
    if NOT_DOCKERFILES.iter().any(|e| lower.ends_with(e)) {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|base| {
        lower == *base
            || lower.strip_prefix(base).is_some_and(|r| r.starts_with(['.', '-', '_']))
            || lower.strip_suffix(base).is_some_and(|r| r.ends_with('.'))
    })
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Expands the command line's inputs, in order, without duplicates. Literal paths are kept as given (a
/// missing one fails when it is read); a glob or folder that matches nothing is an error.
pub fn expand(inputs: &[String], ignore: Ignore) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let push = |p: String, out: &mut Vec<String>| {
        if p == "-" || !out.contains(&p) {
            out.push(p);
        }
    };
    for input in inputs {
        if input == "-" {
            if out.iter().any(|p| p == "-") {
                return Err("standard input (-) can be read once".to_owned());
            }
            push(input.clone(), &mut out);
        } else if is_glob(input) {
            let found = glob(input, ignore)?;
            if found.is_empty() {
                return Err(format!("no file matches '{input}'"));
            }
            for f in found {
                push(f, &mut out);
            }
        } else if Path::new(input).is_dir() {
            let found: Vec<String> = files_under(Path::new(input), ignore, vec![])
                .iter()
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_dockerfile_name))
                .map(|p| display(p))
                .collect();
            if found.is_empty() {
                return Err(format!("no Dockerfile under {input}"));
            }
            for f in found {
                push(f, &mut out);
            }
        } else {
            push(input.clone(), &mut out);
        }
    }
    Ok(out)
}

/// A path as users write it: `./x/Dockerfile` → `x/Dockerfile`.
fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").map(str::to_owned).unwrap_or_else(|| s.into_owned())
}

/// Every file under `root`, sorted, without following links to folders (no loops; links to files are
/// files). Hidden entries are skipped unless one of `hidden` (a glob's components that start with a dot)
/// matches their name; `.git/` always is. Unreadable folders are skipped.
fn files_under(root: &Path, ignore: Ignore, hidden: Vec<GlobMatcher>) -> Vec<PathBuf> {
    let respect = ignore == Ignore::Default;
    let mut walk = WalkBuilder::new(root);
    walk.standard_filters(false)
        .git_ignore(respect)
        .git_exclude(respect)
        .git_global(respect)
        .ignore(respect)
        .parents(respect)
        // A .gitignore counts outside a git repository too: an unpacked archive, a fresh copy.
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b));
    walk.filter_entry(move |e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        if is_dir && (name == ".git" || (respect && SKIPPED_FOLDERS.contains(&name.as_ref()))) {
            return false;
        }
        !name.starts_with('.') || hidden.iter().any(|g| g.is_match(name.as_ref()))
    });
    let mut out: Vec<PathBuf> = walk
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file())))
        .map(ignore::DirEntry::into_path)
        .collect();
    out.sort();
    out
}

/// The files matching `pattern`, sorted. `*` and `?` stay within a path component, `**` spans any number
/// of them, `[abc]`, `[a-z]`, `[!a]` and `{a,b}` as in globset. A wildcard does not match hidden names (as
/// in a shell): only a component that starts with a dot does.
pub fn glob(pattern: &str, ignore: Ignore) -> Result<Vec<String>, String> {
    let absolute = pattern.starts_with('/');
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let literal = parts.iter().take_while(|p| !is_glob(p)).count();
    if literal == parts.len() {
        return Ok(if Path::new(pattern).is_file() { vec![pattern.to_owned()] } else { vec![] });
    }
    let mut base = PathBuf::from(if absolute { "/" } else { "." });
    for p in &parts[..literal] {
        base.push(p);
    }
    let bad = |e: globset::Error| format!("bad pattern '{pattern}': {}", e.kind());
    let rest = &parts[literal..];
    let matcher = GlobBuilder::new(&rest.join("/")).literal_separator(true).build().map_err(bad)?.compile_matcher();
    let hidden = rest
        .iter()
        .filter(|p| p.starts_with('.'))
        .map(|p| Glob::new(p).map(|g| g.compile_matcher()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)?;
    Ok(files_under(&base, ignore, hidden)
        .iter()
        .filter(|f| f.strip_prefix(&base).is_ok_and(|rel| matcher.is_match(rel)))
        .map(|f| display(f))
        .collect())
}

/// Reads an input as UTF-8 text: `(display name, text)`.
pub fn read(path: &str) -> Result<(String, String), String> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(("<stdin>".to_owned(), decode(buf, "<stdin>")?));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Ok((path.to_owned(), decode(bytes, path)?))
}

fn decode(bytes: Vec<u8>, name: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name} is not UTF-8 text (invalid byte at offset {}); Dockerfiles are read as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in ["Dockerfile", "dockerfile", "Dockerfile.prod", "Dockerfile-dev", "prod.Dockerfile", "Containerfile", "x.dockerfile"] {
            assert!(is_dockerfile_name(n), "{n}");
        }
        for n in ["Dockerfile.dockerignore", ".dockerignore", "Dockerfiles", "mydockerfile", "README.md", "docker-compose.yml", "Dockerfile.official.json", "Dockerfile.md", "Dockerfile.orig"] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }

    /// A fresh folder with the given files, outside any repository whose .gitignore could apply.
    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let (path, text) = f.split_once('=').unwrap_or((f, "FROM scratch\n"));
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn rel(dir: &Path, v: Vec<String>) -> Vec<String> {
        let d = format!("{}/", dir.display());
        v.into_iter().map(|p| p.strip_prefix(&d).unwrap_or(&p).to_owned()).collect()
    }

    #[test]
    fn globs_and_folders() {
        let dir = tree(&["a/Dockerfile", "a/b/Dockerfile.prod", "a/b/c/app.Dockerfile", "a/.hidden/Dockerfile", "a/README.md", "Dockerfile"]);
        let d = dir.path().display().to_string();
        let g = |p: &str| rel(dir.path(), glob(&format!("{d}/{p}"), Ignore::Default).unwrap());
        assert_eq!(g("**/Dockerfile*"), ["Dockerfile", "a/Dockerfile", "a/b/Dockerfile.prod"]);
        assert_eq!(g("a/*/Dockerfile*"), ["a/b/Dockerfile.prod"]);
        assert_eq!(g("a/**/*.Dockerfile"), ["a/b/c/app.Dockerfile"]);
        assert_eq!(g("a/**/{Dockerfile,*.Dockerfile}"), ["a/Dockerfile", "a/b/c/app.Dockerfile"]);
        assert_eq!(g("a/[ab]/Dockerfile.*"), ["a/b/Dockerfile.prod"]);
        assert_eq!(g("**/.hidden/Dockerfile"), ["a/.hidden/Dockerfile"], "a component with a dot matches hidden names");
        assert_eq!(rel(dir.path(), expand(&[format!("{d}/a")], Ignore::Default).unwrap()), ["a/Dockerfile", "a/b/Dockerfile.prod", "a/b/c/app.Dockerfile"]);
        assert!(expand(&[format!("{d}/**/nothing*")], Ignore::Default).unwrap_err().contains("no file matches"));
        assert!(glob(&format!("{d}/[ab"), Ignore::Default).unwrap_err().contains("unclosed"));
        assert!(expand(&["-".into(), "-".into()], Ignore::Default).is_err());
    }

    #[test]
    fn ignored_files_and_dependency_folders_are_skipped_unless_asked() {
        let dir = tree(&[
            ".gitignore=build/\n*.generated.Dockerfile\n",
            "sub/.ignore=vendor/\n",
            "Dockerfile",
            "api/Dockerfile",
            "api/x.generated.Dockerfile",
            "build/Dockerfile",
            "sub/Dockerfile",
            "sub/vendor/lib/Dockerfile",
            "node_modules/x/Dockerfile",
            "web/node_modules/y/Dockerfile",
            "target/debug/Dockerfile",
            ".git/Dockerfile",
        ]);
        let d = dir.path().display().to_string();
        let g = |p: &str, i: Ignore| rel(dir.path(), expand(&[format!("{d}/{p}")], i).unwrap());
        let kept = ["Dockerfile", "api/Dockerfile", "sub/Dockerfile"];
        assert_eq!(g("**/*Dockerfile*", Ignore::Default), kept);
        assert_eq!(rel(dir.path(), expand(std::slice::from_ref(&d), Ignore::Default).unwrap()), kept);
        let all = [
            "Dockerfile",
            "api/Dockerfile",
            "api/x.generated.Dockerfile",
            "build/Dockerfile",
            "node_modules/x/Dockerfile",
            "sub/Dockerfile",
            "sub/vendor/lib/Dockerfile",
            "target/debug/Dockerfile",
            "web/node_modules/y/Dockerfile",
        ];
        assert_eq!(g("**/*Dockerfile*", Ignore::Nothing), all, ".git/ stays skipped");
        assert_eq!(rel(dir.path(), expand(std::slice::from_ref(&d), Ignore::Nothing).unwrap()), all);
        // A file named on the command line is read whatever ignores it.
        assert_eq!(g("node_modules/x/Dockerfile", Ignore::Default), ["node_modules/x/Dockerfile"]);
        // So is a folder named before a glob's first wildcard, as a folder argument is walked.
        assert_eq!(g("node_modules/**/Dockerfile", Ignore::Default), ["node_modules/x/Dockerfile"]);
        assert!(glob(&format!("{d}/web/**/Dockerfile"), Ignore::Default).unwrap().is_empty(), "web/node_modules is below the named folder");
    }
}
