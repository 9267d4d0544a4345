//! `.dockerignore`: what a `COPY . .` really sends, and a proposed file when it sends what it should not.
//!
//! The syntax, from Docker's documentation (<https://docs.docker.com/build/concepts/context/#syntax>) and
//! its implementation (moby/patternmatcher):
//! - One pattern per line; a line starting with `#` is a comment; surrounding whitespace is trimmed and
//!   the pattern cleaned like Go's `filepath.Clean` (`.` and `..` elements, doubled and trailing `/`);
//!   a leading `/` is dropped: the context is both the root and the working folder.
//! - `*` matches any run of characters but `/`, `?` one character but `/`, `[…]` a class (`[^…]` or
//!   `[!…]` negated, `a-z` ranges), `\` escapes; `**` matches any number of folders, none included.
//! - A pattern that matches a folder excludes everything in it.
//! - A line starting with `!` is an exception: it includes again what an earlier line excluded. The last
//!   line that matches a path decides.
//!
//! BuildKit also reads `<Dockerfile name>.dockerignore` beside the Dockerfile before `.dockerignore`; the
//! context holds only `.dockerignore`, so a Dockerfile-specific file is not seen.

use super::{BuildContext, Project};
use crate::model::Model;
use crate::syntax::{Args, Document, Kind};

#[derive(Clone, Debug, Default)]
pub struct Patterns {
    /// The file's text when the context has one.
    pub text: Option<String>,
    rules: Vec<(bool, Vec<String>)>,
}

pub fn read(ctx: &BuildContext) -> Patterns {
    let Some(text) = ctx.files.get(".dockerignore") else { return Patterns::default() };
    let mut rules = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let line = line.trim();
        let (exception, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p.trim()),
            None => (false, line),
        };
        let segs = clean(pattern);
        if !segs.is_empty() {
            rules.push((!exception, segs));
        }
    }
    Patterns { text: Some(text.clone()), rules }
}

/// `filepath.Clean` on a pattern, as segments, the leading `/` dropped.
fn clean(p: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s.to_owned()),
        }
    }
    out
}

impl Patterns {
    /// Whether the path (relative to the context) is left out of the build context.
    pub fn excludes(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut excluded = false;
        for (exclude, pattern) in &self.rules {
            // The path itself, or a folder it is in.
            if (1..=segs.len()).any(|k| match_segments(pattern, &segs[..k])) {
                excluded = *exclude;
            }
        }
        excluded
    }
}

/// Whether a whole path matches a pattern of the same syntax (`/app/target/*.jar`), folders not counting
/// for their contents.
pub fn matches(pattern: &str, path: &str) -> bool {
    let p: Vec<String> = pattern.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let s: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match_segments(&p, &s)
}

fn match_segments(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((p, rest)) if p == "**" => (0..=path.len()).any(|k| match_segments(rest, &path[k..])),
        Some((p, rest)) => path.split_first().is_some_and(|(s, prest)| glob(p.as_bytes(), s.as_bytes()) && match_segments(rest, prest)),
    }
}

/// Go's `filepath.Match` within one segment.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|k| glob(&p[1..], &s[k..])),
        Some(b'?') => !s.is_empty() && glob(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some((c, rest)) = s.split_first() else { return false };
            let mut i = 1;
            let negated = matches!(p.get(1), Some(b'^' | b'!'));
            if negated {
                i += 1;
            }
            let mut hit = false;
            let mut first = true;
            while i < p.len() && (p[i] != b']' || first) {
                first = false;
                let lo = if p[i] == b'\\' && i + 1 < p.len() {
                    i += 1;
                    p[i]
                } else {
                    p[i]
                };
                if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|h| *h != b']') {
                    hit |= (lo..=p[i + 2]).contains(c);
                    i += 3;
                } else {
                    hit |= lo == *c;
                    i += 1;
                }
            }
            i < p.len() && hit != negated && glob(&p[i + 1..], rest)
        }
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

/// Something a COPY sends that the image should not get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The path in the context (`.git`, `api/node_modules`, `.env`).
    pub path: String,
    pub what: &'static str,
    /// A file with secrets (`.env` with keys).
    pub secret: bool,
}

/// The COPY and ADD instructions of the stages the target needs that send a folder of the context
/// whole (`COPY . .`), each with what it sends that it should not: the repository (`.git`), installed
/// dependencies (`node_modules`), build output (`target/` beside Cargo.toml or pom.xml), and `.env`
/// files with keys. Needs the listing: without one (pasted files) nothing is known to be sent.
pub fn sent(project: &Project, doc: &Document, model: &Model) -> Vec<(usize, Vec<Sent>)> {
    let ctx = project.context;
    if ctx.paths.is_empty() {
        return vec![];
    }
    let ignore = &project.dockerignore;
    let mut out = Vec::new();
    for stage in model.stages.iter().filter(|s| model.used.get(s.index).copied().unwrap_or(false)) {
        for i in stage.body.clone() {
            let inst = &doc.instructions[i];
            if !matches!(inst.kind, Kind::Copy | Kind::Add) || inst.flag("from").is_some() {
                continue;
            }
            let Args::Copy { sources, .. } = &inst.args else { continue };
            let mut found: Vec<Sent> = Vec::new();
            for src in sources {
                let rel = crate::analyze::normalize(&format!("/{src}")).trim_start_matches('/').to_owned();
                if rel.contains(['*', '?', '$']) || !ctx.is_dir(&rel) {
                    continue;
                }
                let base = if rel.is_empty() { String::new() } else { format!("{rel}/") };
                for s in candidates(ctx, &base) {
                    if !ignore.excludes(&s.path) && !found.contains(&s) {
                        found.push(s);
                    }
                }
            }
            if !found.is_empty() {
                out.push((i, found));
            }
        }
    }
    out
}

fn candidates(ctx: &BuildContext, base: &str) -> Vec<Sent> {
    let mut out = Vec::new();
    let listed = |p: &str| ctx.paths.iter().any(|q| q.trim_end_matches('/') == p);
    for (name, what) in [(".git", "the repository's history"), ("node_modules", "the host's installed packages")] {
        let p = format!("{base}{name}");
        if listed(&p) {
            out.push(Sent { path: p, what, secret: false });
        }
    }
    let target = format!("{base}target");
    if listed(&target) && (ctx.exists(&format!("{base}Cargo.toml")) || ctx.exists(&format!("{base}pom.xml"))) {
        out.push(Sent { path: target, what: "the host's build output", secret: false });
    }
    for (p, text) in &ctx.files {
        let Some(name) = p.strip_prefix(base).filter(|n| !n.contains('/')) else { continue };
        // The keys only (`prepare`) or the whole file: a line `KEY=…` is a key.
        let has_keys = text.lines().any(|l| l.trim_start().split_once('=').is_some_and(|(k, _)| !k.trim().is_empty() && !k.trim_start().starts_with('#')));
        if super::wants(p) == super::Want::KeysOnly && has_keys && !name.ends_with(".example") && !name.ends_with(".sample") {
            out.push(Sent { path: p.clone(), what: "keys and their values", secret: true });
        }
    }
    out
}

/// A `.dockerignore` that keeps what `sent` found out of the context: the current file, then one line
/// per path, under a comment saying why.
pub fn propose(current: Option<&str>, sent: &[Sent]) -> String {
    let mut out = current.unwrap_or("").to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    type Group = (&'static str, fn(&Sent) -> bool);
    let groups: [Group; 3] = [
        ("# The host's installed dependencies and build output: the image installs and builds its own.", |s| !s.secret && !s.path.ends_with(".git")),
        ("# The repository's history: the build does not need it.", |s| s.path.ends_with(".git")),
        ("# Secrets: pass them at run time (environment, secrets), never in the build context.", |s| s.secret),
    ];
    for (comment, pick) in groups {
        let mut lines: Vec<&str> = sent.iter().filter(|s| pick(s)).map(|s| s.path.as_str()).collect();
        lines.sort_unstable();
        lines.dedup();
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(comment);
        out.push('\n');
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(text: &str) -> Patterns {
        let mut ctx = BuildContext::default();
        ctx.files.insert(".dockerignore".into(), text.into());
        read(&ctx)
    }

    #[test]
    fn docker_pattern_syntax() {
        let p = patterns("# comment\n.git\n/node_modules/\n**/*.log\n*.md\n!README.md\ntemp?\n[a-c]x\nbuild/**\n!build/keep.txt\n");
        for ex in [".git", ".git/HEAD", "node_modules/x/y.js", "a/b/c.log", "x.log", "CHANGES.md", "temp1", "bx", "build/a/b"] {
            assert!(p.excludes(ex), "{ex}");
        }
        for kept in ["README.md", "docs/CHANGES.md", "temp12", "dx", "build/keep.txt", "src/main.rs", "a/node_modules"] {
            assert!(!p.excludes(kept), "{kept}");
        }
        let p = patterns("**/node_modules\n  # a pattern, not a comment: only column 1 starts one\n./target/../target\n");
        assert!(p.excludes("web/node_modules/react/index.js") && p.excludes("node_modules") && p.excludes("target/release/app"));
        let p = patterns("*\n!src\n");
        assert!(p.excludes(".git") && !p.excludes("src/main.go"));
        assert!(glob(b"[!a]b", b"cb") && !glob(b"[!a]b", b"ab") && glob(b"a\\*", b"a*") && !glob(b"a\\*", b"ab"));
    }

    #[test]
    fn proposal_keeps_the_current_file() {
        let sent = [
            Sent { path: ".git".into(), what: "", secret: false },
            Sent { path: "node_modules".into(), what: "", secret: false },
            Sent { path: ".env".into(), what: "", secret: true },
        ];
        let p = propose(Some("*.log"), &sent);
        assert!(p.starts_with("*.log\n\n# The host's installed"), "{p}");
        assert!(p.contains("\nnode_modules\n") && p.contains("\n.git\n") && p.ends_with("\n.env\n"), "{p}");
        let again = patterns(&p);
        assert!(again.excludes(".git/config") && again.excludes("node_modules/a") && again.excludes(".env") && again.excludes("x.log"));
    }
}
