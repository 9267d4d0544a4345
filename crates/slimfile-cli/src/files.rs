//! Inputs: files, `-` for standard input, globs (`**/Dockerfile*`, matched here, no dependency) and
//! folders (every Dockerfile under them).

use std::io::Read;
use std::path::{Path, PathBuf};

/// Whether a file name looks like a Dockerfile: `Dockerfile`, `Dockerfile.prod`, `prod.Dockerfile`,
/// `Containerfile`, `app.dockerfile` (what a folder argument picks).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".containerignore") {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|base| {
        lower == *base
            || lower.strip_prefix(base).is_some_and(|r| r.starts_with(['.', '-', '_']))
            || lower.strip_suffix(base).is_some_and(|r| r.ends_with('.'))
    })
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands the command line's inputs, in order, without duplicates. Literal paths are kept as given (a
/// missing one fails when it is read); a glob or folder that matches nothing is an error.
pub fn expand(inputs: &[String]) -> Result<Vec<String>, String> {
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
            let found = glob(input)?;
            if found.is_empty() {
                return Err(format!("no file matches '{input}'"));
            }
            for f in found {
                push(f, &mut out);
            }
        } else if Path::new(input).is_dir() {
            let mut found = Vec::new();
            walk(Path::new(input), &mut |p| {
                if p.file_name().and_then(|n| n.to_str()).is_some_and(is_dockerfile_name) {
                    found.push(display(p));
                }
            });
            found.sort();
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

/// Visits every file under `dir`, skipping hidden folders (`.git`) and not following symbolic links to
/// folders (no loops). Unreadable folders are skipped.
fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(ty) = e.file_type() else { continue };
        let path = e.path();
        if ty.is_dir() {
            if !e.file_name().to_string_lossy().starts_with('.') {
                walk(&path, visit);
            }
        } else if ty.is_file() || (ty.is_symlink() && path.is_file()) {
            visit(&path);
        }
    }
}

/// The files matching `pattern`, sorted. `*` and `?` stay within a path component, `**` spans any number of
/// them, `[abc]`, `[a-z]` and `[!a]` are character classes. A component starting with `*` or `?` does not
/// match hidden names (as in a shell), and `**` does not enter hidden folders.
pub fn glob(pattern: &str) -> Result<Vec<String>, String> {
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
    for p in &parts[literal..] {
        check_class_syntax(p).map_err(|e| format!("bad pattern '{pattern}': {e}"))?;
    }
    let rest = &parts[literal..];
    let mut out = Vec::new();
    walk_match(&base, rest, &mut out);
    out.sort();
    out.dedup();
    Ok(out.iter().map(|p| display(p)).collect())
}

fn walk_match(dir: &Path, pat: &[&str], out: &mut Vec<PathBuf>) {
    let Some((first, rest)) = pat.split_first() else { return };
    if *first == "**" {
        // Zero components…
        walk_match(dir, rest, out);
        // …or one more folder, keeping `**`.
        for (name, path, is_dir) in entries(dir) {
            if is_dir && !name.starts_with('.') {
                walk_match(&path, pat, out);
            }
        }
        return;
    }
    for (name, path, is_dir) in entries(dir) {
        if name.starts_with('.') && !first.starts_with('.') {
            continue;
        }
        if !matches(first, &name) {
            continue;
        }
        if rest.is_empty() {
            if !is_dir {
                out.push(path);
            }
        } else if is_dir {
            walk_match(&path, rest, out);
        }
    }
}

/// `(name, path, is a folder)` of the entries of `dir`; symbolic links to folders count as files (so that
/// `**` never loops); links to files are files.
fn entries(dir: &Path) -> Vec<(String, PathBuf, bool)> {
    let Ok(rd) = std::fs::read_dir(dir) else { return vec![] };
    rd.filter_map(Result::ok)
        .filter_map(|e| {
            let ty = e.file_type().ok()?;
            let path = e.path();
            let is_dir = ty.is_dir();
            if ty.is_symlink() && !path.is_file() {
                return None;
            }
            Some((e.file_name().to_string_lossy().into_owned(), path, is_dir))
        })
        .collect()
}

fn check_class_syntax(p: &str) -> Result<(), String> {
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            match class(&chars[i..], ' ') {
                Some((_, len)) => i += len,
                None => return Err("unclosed '['".to_owned()),
            }
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// Whether one path component `name` matches the component pattern `pat`.
pub fn matches(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> bool {
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((ok, len)) = class(&p[pi..], n[ni]) {
                        if ok {
                            pi += len;
                            ni += 1;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                c if c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class at the start of `p` (`[…]`): `(matched, length of the class)`, or None
/// when `p` is no class (no closing `]`).
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = p.get(i) == Some(&'!') || p.get(i) == Some(&'^');
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
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
        for n in ["Dockerfile.dockerignore", ".dockerignore", "Dockerfiles", "mydockerfile", "README.md", "docker-compose.yml"] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }

    #[test]
    fn component_matching() {
        assert!(matches("Dockerfile*", "Dockerfile"));
        assert!(matches("Dockerfile*", "Dockerfile.prod"));
        assert!(!matches("Dockerfile*", "x.Dockerfile"));
        assert!(matches("*.Dockerfile", "x.Dockerfile"));
        assert!(matches("D?ckerfile", "Dockerfile"));
        assert!(matches("[Dd]ockerfile", "dockerfile"));
        assert!(!matches("[!Dd]ockerfile", "dockerfile"));
        assert!(matches("[a-c]*", "build"));
        assert!(matches("*a*b*c", "xxaxxbxxc"));
        assert!(!matches("*a*b*c", "xxaxxbxxcx"));
        assert!(matches("*", ""));
        assert!(matches("[x", "[x"), "an unclosed class is literal");
    }

    #[test]
    fn globs_and_folders() {
        let dir = std::env::temp_dir().join(format!("slimfile-glob-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for f in ["a/Dockerfile", "a/b/Dockerfile.prod", "a/b/c/app.Dockerfile", "a/.hidden/Dockerfile", "a/README.md", "Dockerfile"] {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "FROM scratch\n").unwrap();
        }
        let d = dir.to_string_lossy().into_owned();
        let rel = |v: Vec<String>| v.into_iter().map(|p| p.strip_prefix(&format!("{d}/")).unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!(rel(glob(&format!("{d}/**/Dockerfile*")).unwrap()), ["Dockerfile", "a/Dockerfile", "a/b/Dockerfile.prod"]);
        assert_eq!(rel(glob(&format!("{d}/a/*/Dockerfile*")).unwrap()), ["a/b/Dockerfile.prod"]);
        assert_eq!(rel(glob(&format!("{d}/a/**/*.Dockerfile")).unwrap()), ["a/b/c/app.Dockerfile"]);
        assert_eq!(rel(expand(&[format!("{d}/a")]).unwrap()), ["a/Dockerfile", "a/b/Dockerfile.prod", "a/b/c/app.Dockerfile"]);
        assert!(expand(&[format!("{d}/**/nothing*")]).unwrap_err().contains("no file matches"));
        assert!(glob(&format!("{d}/[ab")).unwrap_err().contains("unclosed"));
        assert!(expand(&["-".into(), "-".into()]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
