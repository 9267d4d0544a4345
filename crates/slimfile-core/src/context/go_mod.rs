//! `go.mod` and the Go sources beside it.
//!
//! The facts it relies on (<https://go.dev/ref/mod#go-mod-file>): `module PATH`; `go VERSION`, the
//! language version the module needs; `require PATH VERSION`, alone or in a `require ( … )` block, for
//! every module the build uses, the ones marked `// indirect` included (Go 1.17 and later list the
//! dependencies of dependencies too). Modules that need cgo are data (`data/project-packages.json`,
//! kind `cgo`); the sources are read by `sources` (`import "C"`, `//go:embed`, files they name).

use super::sources::{self, Sources};
use super::BuildContext;
use crate::knowledge::project_packages::{self as known, Kind};

#[derive(Clone, Debug, Default)]
pub struct GoMod {
    pub path: String,
    pub module: Option<String>,
    pub go: Option<String>,
    pub requires: Vec<String>,
    pub sources: Sources,
}

pub fn read(ctx: &BuildContext, root: &str, bad: &mut dyn FnMut(&str, u32, u32, &str)) -> Option<GoMod> {
    let path = format!("{root}go.mod");
    let text = ctx.files.get(&path)?;
    let mut m = GoMod { path: path.clone(), ..GoMod::default() };
    let mut block: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(b) = &block {
            if line == ")" {
                block = None;
            } else if b == "require" {
                m.requires.push(words[0].trim_matches('"').to_owned());
            }
            continue;
        }
        match words.as_slice() {
            ["module", p] => m.module = Some(p.trim_matches('"').to_owned()),
            ["go", v] => m.go = Some((*v).to_owned()),
            [verb, "("] => block = Some((*verb).to_owned()),
            ["require", p, _, ..] => m.requires.push(p.trim_matches('"').to_owned()),
            ["toolchain" | "replace" | "exclude" | "retract" | "godebug", ..] => {}
            _ => {
                bad(&path, n as u32 + 1, 1, &format!("unknown directive `{}`", words[0]));
                return None;
            }
        }
    }
    m.sources = sources::scan(ctx, root, "go");
    Some(m)
}

impl GoMod {
    /// The required modules that need cgo, from the data (a module path or one below it).
    pub fn cgo_modules(&self) -> Vec<&'static known::Package> {
        known::all()
            .iter()
            .filter(|k| k.ecosystem == "go" && k.kind == Kind::Cgo)
            .filter(|k| self.requires.iter().any(|r| r == k.name || r.starts_with(&format!("{}/", k.name))))
            .collect()
    }

    /// Why the program needs cgo, when go.mod or the sources prove it.
    pub fn needs_cgo(&self) -> Option<String> {
        if let Some(m) = self.cgo_modules().first() {
            return Some(format!("{} requires {}, which needs cgo", self.path, m.name));
        }
        self.sources.cgo.first().map(|f| format!("{f} imports \"C\" (cgo)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_go_mod() {
        let text = "module github.com/acme/shop\n\ngo 1.22\n\ntoolchain go1.22.4\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/mattn/go-sqlite3 v1.14.22 // indirect\n)\n\nrequire golang.org/x/text v0.16.0\n";
        let mut ctx = BuildContext::default();
        ctx.files.insert("go.mod".into(), text.into());
        let m = read(&ctx, "", &mut |_, _, _, e| panic!("{e}")).unwrap();
        assert_eq!(m.module.as_deref(), Some("github.com/acme/shop"));
        assert_eq!(m.go.as_deref(), Some("1.22"));
        assert_eq!(m.requires, ["github.com/gin-gonic/gin", "github.com/mattn/go-sqlite3", "golang.org/x/text"]);
        assert_eq!(m.needs_cgo().unwrap(), "go.mod requires github.com/mattn/go-sqlite3, which needs cgo");
        ctx.files.insert("go.mod".into(), "module x\nfrobnicate y\n".into());
        let mut errs = vec![];
        assert!(read(&ctx, "", &mut |f, l, _, e| errs.push(format!("{f}:{l}: {e}"))).is_none());
        assert_eq!(errs, ["go.mod:2: unknown directive `frobnicate`"]);
    }
}
