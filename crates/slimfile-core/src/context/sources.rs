//! The sources of a compiled app (Go, Rust): the files they name that exist in the context (what the
//! program may open at run time, relative to its working folder), what they embed into the binary, and
//! for Go the files that `import "C"`.
//!
//! The facts it relies on:
//! - A relative path a program opens is resolved against its working folder, which the rewrite keeps
//!   (the runtime stage's WORKDIR is the builder's).
//! - `//go:embed PATTERN…` puts the matching files, relative to the source file's folder, into the
//!   binary (<https://pkg.go.dev/embed>); Rust's `include_str!` and `include_bytes!` do the same at compile
//!   time, relative to the source file (<https://doc.rust-lang.org/std/macro.include_str.html>).
//! - A Go file that imports the pseudo-package "C" is compiled with cgo (<https://pkg.go.dev/cmd/cgo>).
//!
//! A string literal counts as naming a path when, without a leading `./` and without the part from its
//! first wildcard (`templates/*.html` → `templates`), it is a file or folder of the app's folder. That
//! can name a folder the program never opens (copying it costs a few bytes), and cannot see a path
//! built from pieces that are not themselves paths: what it finds is copied, and the question about
//! run-time files stays unless every source file was read.

use super::BuildContext;
use crate::analyze::normalize;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// Every listed source file of the kind was read (none over a limit, the listing complete).
    pub complete: bool,
    /// How many source files were read.
    pub read: usize,
    /// Files that `import "C"`.
    pub cgo: Vec<String>,
    /// Paths (relative to the context) the sources embed into the binary, with the file that does.
    pub embedded: Vec<(String, String)>,
    /// Paths of the app's folder (relative to it) that the sources name, with the first file naming each.
    pub named: Vec<(String, String)>,
}

/// Scans the source files (`ext`: `go` or `rs`) below `root`.
pub fn scan(ctx: &BuildContext, root: &str, ext: &str) -> Sources {
    let is_source = |p: &str| {
        p.starts_with(root) && p.ends_with(&format!(".{ext}")) && !p.ends_with("_test.go") && super::wants(p) == super::Want::Whole
    };
    let mut s = Sources { complete: ctx.read_all(is_source), ..Sources::default() };
    let mut literals: Vec<(String, String)> = Vec::new();
    for (path, text) in ctx.files.iter().filter(|(p, _)| is_source(p)) {
        s.read += 1;
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        if ext == "go" && imports_c(text) {
            s.cgo.push(path.clone());
        }
        for line in text.lines() {
            if let Some(patterns) = line.trim_start().strip_prefix("//go:embed ") {
                for p in patterns.split_whitespace() {
                    let p = p.trim_matches(['"', '`']).trim_start_matches("all:");
                    s.embedded.push((normalize(&format!("{dir}/{}", before_wildcard(p))).trim_start_matches('/').to_owned(), path.clone()));
                }
            }
        }
        for (lit, embeds) in string_literals(text, ext) {
            if embeds {
                s.embedded.push((normalize(&format!("{dir}/{lit}")).trim_start_matches('/').to_owned(), path.clone()));
            } else {
                literals.push((lit, path.clone()));
            }
        }
    }
    for (lit, file) in literals {
        let Some(rel) = path_of(&lit) else { continue };
        let full = format!("{root}{rel}");
        let inside_embed = s.embedded.iter().any(|(e, _)| full == *e || full.starts_with(&format!("{e}/")) || e.starts_with(&format!("{full}/")));
        if ctx.exists(&full) && !inside_embed && !s.named.iter().any(|(n, _)| *n == rel) && !is_build_file(&rel, ext) {
            s.named.push((rel, file));
        }
    }
    s.named.sort();
    // A folder named makes the files inside it named too.
    let folders: Vec<String> = s.named.iter().map(|(n, _)| format!("{n}/")).collect();
    s.named.retain(|(n, _)| !folders.iter().any(|f| n.starts_with(f.as_str())));
    s
}

fn before_wildcard(p: &str) -> &str {
    match p.find(['*', '?', '[', '{']) {
        Some(i) => p[..i].rsplit_once('/').map_or("", |(d, _)| d),
        None => p,
    }
}

/// The path of the app's folder a literal names, if it looks like one.
fn path_of(lit: &str) -> Option<String> {
    if lit.contains("://") || lit.contains(char::is_whitespace) || lit.starts_with('/') || lit.contains("..") || lit.len() > 200 {
        return None;
    }
    let rel = before_wildcard(lit.trim_start_matches("./")).trim_end_matches('/');
    (!rel.is_empty() && rel != "." && !rel.starts_with('-')).then(|| rel.to_owned())
}

/// Files the build itself reads (sources, manifests): naming them is not a run-time need.
fn is_build_file(rel: &str, ext: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    rel.ends_with(&format!(".{ext}")) || matches!(name, "go.mod" | "go.sum" | "Cargo.toml" | "Cargo.lock" | "Dockerfile" | "Makefile")
}

/// Whether a Go file imports "C": `import "C"`, or `"C"` in an import block.
fn imports_c(text: &str) -> bool {
    let mut in_block = false;
    for line in text.lines() {
        let t = line.split("//").next().unwrap_or("").trim();
        if t == "import \"C\"" {
            return true;
        }
        if t.starts_with("import (") {
            in_block = true;
        } else if in_block && t.starts_with(')') {
            in_block = false;
        } else if in_block && t == "\"C\"" {
            return true;
        }
        if t.starts_with("func ") || t.starts_with("type ") || t.starts_with("var ") {
            return false;
        }
    }
    false
}

/// The double-quoted (and for Go, backquoted) string literals of a source file outside comments, each
/// with whether it is the argument of `include_str!` / `include_bytes!`.
fn string_literals(text: &str, ext: &str) -> Vec<(String, bool)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' if ext == "go" || b.get(i + 2) == Some(&b'\'') || b.get(i + 1) == Some(&b'\\') => {
                // A character literal: skip it whole (`'"'`).
                i += 1;
                while i < b.len() && b[i] != b'\'' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            q @ (b'"' | b'`') if q == b'"' || ext == "go" => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q == b'"' { 2 } else { 1 };
                }
                let lit = &text[start..i.min(b.len())];
                let before = text[..start - 1].trim_end();
                let embeds = before.ends_with("include_str!(") || before.ends_with("include_bytes!(");
                if !lit.contains('\\') {
                    out.push((lit.to_owned(), embeds));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(files: &[(&str, &str)], listed: &[&str]) -> BuildContext {
        let mut c = BuildContext { complete: true, ..Default::default() };
        for (p, t) in files {
            c.files.insert((*p).into(), (*t).into());
            c.paths.push((*p).into());
        }
        c.paths.extend(listed.iter().map(|s| (*s).to_owned()));
        c
    }

    const MAIN_GO: &str = r#"package main

import (
	"embed"
	"html/template"
	"net/http"
	"os"
)

//go:embed static
var static embed.FS

// "docs/guide.md" is only mentioned in a comment.
func main() {
	tmpl := template.Must(template.ParseGlob("templates/*.html"))
	cfg, _ := os.ReadFile("./config.yaml")
	http.Handle("/static/", http.FileServer(http.FS(static)))
	_ = `migrations/`
	_, _ = tmpl, cfg
}
"#;

    #[test]
    fn go_sources_name_their_run_time_files() {
        let c = ctx(&[("main.go", MAIN_GO), ("go.mod", "module x\n")], &["templates/index.html", "static/app.css", "config.yaml", "migrations/001.sql", "docs/guide.md"]);
        let s = scan(&c, "", "go");
        assert!(s.complete);
        let named: Vec<&str> = s.named.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(named, ["config.yaml", "migrations", "templates"]);
        assert_eq!(s.embedded, [("static".to_owned(), "main.go".to_owned())]);
        assert!(s.cgo.is_empty());
    }

    #[test]
    fn cgo_imports_and_incomplete_sources() {
        let c = ctx(&[("db.go", "package main\n\n// #include <stdlib.h>\nimport \"C\"\n")], &["cmd/other.go"]);
        let s = scan(&c, "", "go");
        assert_eq!(s.cgo, ["db.go"]);
        assert!(!s.complete, "cmd/other.go is listed and not read");
        assert!(imports_c("package x\nimport (\n\t\"fmt\"\n\t\"C\"\n)\n"));
        assert!(!imports_c("package x\nimport \"fmt\"\nfunc f() { _ = \"C\" }\n"));
    }

    #[test]
    fn rust_include_str_embeds() {
        let main_rs = "fn main() {\n    let page = include_str!(\"../templates/index.html\");\n    let c = '\"';\n    let cfg = std::fs::read_to_string(\"Settings.toml\").unwrap();\n}\n";
        let c = ctx(&[("src/main.rs", main_rs)], &["templates/index.html", "Settings.toml"]);
        let s = scan(&c, "", "rs");
        let named: Vec<&str> = s.named.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(named, ["Settings.toml"]);
        assert_eq!(s.embedded[0].0, "templates/index.html");
    }
}
