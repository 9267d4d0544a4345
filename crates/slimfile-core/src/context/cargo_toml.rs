//! `Cargo.toml`: the binaries a package builds and which one `cargo run` runs.
//!
//! The facts it relies on (the Cargo reference, <https://doc.rust-lang.org/cargo/reference/>):
//! - A binary's file is named after its target: `[[bin]] name`, else the package's `name` for
//!   `src/main.rs` (hyphens kept: `target/release/my-app`) (`cargo-targets.html#binaries`).
//! - Binaries are discovered in `src/main.rs` and `src/bin/NAME.rs` / `src/bin/NAME/main.rs` unless
//!   `autobins = false`; a `[[bin]]` table with the same name or path is that target
//!   (`cargo-targets.html#target-auto-discovery`).
//! - `cargo run` runs `default-run` when set, else the package's only binary, else it fails and asks for
//!   `--bin` (`manifest.html#the-default-run-field`, `commands/cargo-run.html`).
//! - A manifest with `[workspace]` and no `[package]` is a virtual manifest; `members` are paths or globs
//!   (`workspaces.html#the-members-and-exclude-fields`), and `cargo run -p NAME` picks a member by its
//!   package name.

use super::toml::{self, Doc, Value};
use super::BuildContext;

#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub path: String,
    pub name: Option<String>,
    pub default_run: Option<String>,
    /// Every binary target's name.
    pub bins: Vec<String>,
    /// False when the listing could not show `src/main.rs` and `src/bin/` (auto-discovered binaries).
    pub bins_complete: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Cargo {
    /// The manifest at the app's folder (a package, or a virtual workspace).
    pub root: Manifest,
    /// Members of its workspace, read from their own Cargo.toml.
    pub members: Vec<Manifest>,
    /// Members named in `[workspace] members` whose Cargo.toml the context does not hold.
    pub unread_members: Vec<String>,
}

pub fn read(ctx: &BuildContext, root: &str, bad: &mut dyn FnMut(&str, u32, u32, &str)) -> Option<Cargo> {
    let path = format!("{root}Cargo.toml");
    let doc = parse(ctx, &path, bad)?;
    let mut cargo = Cargo { root: manifest(ctx, &path, &doc), ..Cargo::default() };
    let members = doc.get("workspace", "members").map(Value::strings).unwrap_or_default();
    for m in members {
        let dirs: Vec<String> = if m.contains('*') {
            let prefix = format!("{root}{}", m.split('*').next().unwrap_or(""));
            ctx.all_paths()
                .iter()
                .filter_map(|p| p.strip_suffix("/Cargo.toml"))
                .filter(|d| d.starts_with(&prefix) && !d[prefix.len()..].contains('/'))
                .map(|d| format!("{d}/"))
                .collect()
        } else {
            vec![format!("{root}{}/", m.trim_end_matches('/'))]
        };
        for d in dirs {
            let p = format!("{d}Cargo.toml");
            match parse(ctx, &p, bad) {
                Some(doc) => cargo.members.push(manifest(ctx, &p, &doc)),
                None => cargo.unread_members.push(p),
            }
        }
    }
    Some(cargo)
}

fn parse(ctx: &BuildContext, path: &str, bad: &mut dyn FnMut(&str, u32, u32, &str)) -> Option<Doc> {
    let text = ctx.files.get(path)?;
    match toml::parse(text) {
        Ok(d) => Some(d),
        Err(e) => {
            bad(path, e.line, e.column, &e.message);
            None
        }
    }
}

fn manifest(ctx: &BuildContext, path: &str, doc: &Doc) -> Manifest {
    let dir = path.strip_suffix("Cargo.toml").unwrap_or("");
    let name = doc.str("package", "name").map(str::to_owned);
    let mut bins: Vec<String> = doc.array("bin").iter().filter_map(|t| doc.str(t, "name").map(str::to_owned)).collect();
    let explicit_paths: Vec<String> = doc.array("bin").iter().filter_map(|t| doc.str(t, "path").map(|p| format!("{dir}{p}"))).collect();
    let autobins = doc.get("package", "autobins").and_then(Value::as_bool) != Some(false);
    let mut bins_complete = !autobins || ctx.complete;
    if autobins && name.is_some() {
        let main = format!("{dir}src/main.rs");
        let main_seen = ctx.exists(&main) || (!ctx.complete && bins.is_empty());
        if main_seen && !explicit_paths.contains(&main) {
            bins.push(name.clone().expect("checked"));
        }
        let bin_dir = format!("{dir}src/bin/");
        for p in ctx.all_paths() {
            let Some(rest) = p.strip_prefix(&bin_dir) else { continue };
            let found = match rest.split_once('/') {
                None => rest.strip_suffix(".rs"),
                Some((d, "main.rs")) => Some(d),
                _ => None,
            };
            if let Some(b) = found {
                if !explicit_paths.contains(&p.to_owned()) {
                    bins.push(b.to_owned());
                }
            }
        }
        if !ctx.complete && bins.len() == 1 && doc.array("bin").is_empty() {
            // Only Cargo.toml is known: src/main.rs is the one binary a runnable package has.
            bins_complete = true;
        }
    }
    bins.sort();
    bins.dedup();
    Manifest { path: path.to_owned(), name, default_run: doc.str("package", "default-run").map(str::to_owned), bins, bins_complete }
}

/// The binary `cargo run` runs, and why: (name, the manifest that says so, how it says it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunBinary {
    pub name: String,
    pub manifest: String,
    pub how: String,
}

impl Manifest {
    fn run_binary(&self) -> Result<RunBinary, String> {
        if let Some(d) = &self.default_run {
            return Ok(RunBinary { name: d.clone(), manifest: self.path.clone(), how: format!("its default-run is `{d}`") });
        }
        match (self.bins.as_slice(), self.bins_complete) {
            ([one], true) => {
                let how = if self.name.as_deref() == Some(one.as_str()) {
                    format!("the package `{one}` builds one binary, named after it")
                } else {
                    format!("its one binary is `{one}`")
                };
                Ok(RunBinary { name: one.clone(), manifest: self.path.clone(), how })
            }
            ([], true) => Err(format!("{} declares no binary", self.path)),
            (many, true) => Err(format!("{} has several binaries ({}) and no default-run", self.path, many.join(", "))),
            (_, false) => Err(format!("the context does not show {}'s src/ folder, where binaries are found", self.path)),
        }
    }
}

impl Cargo {
    /// The binary `cargo run [-p PACKAGE]` runs, or why the manifests cannot tell.
    pub fn run_binary(&self, package: Option<&str>) -> Result<RunBinary, String> {
        if let Some(p) = package {
            let all = std::iter::once(&self.root).chain(&self.members);
            return match all.into_iter().find(|m| m.name.as_deref() == Some(p)) {
                Some(m) => m.run_binary(),
                None => Err(format!("no Cargo.toml in the context names the package `{p}`")),
            };
        }
        if self.root.name.is_some() {
            return self.root.run_binary();
        }
        // A virtual workspace: the only binary of all its members.
        if !self.unread_members.is_empty() {
            return Err(format!("the workspace's members {} are not in the context", self.unread_members.join(", ")));
        }
        let found: Vec<RunBinary> = self.members.iter().filter_map(|m| m.run_binary().ok()).collect();
        let incomplete = self.members.iter().any(|m| !m.bins_complete);
        match found.as_slice() {
            [one] if !incomplete && self.members.iter().map(|m| m.bins.len()).sum::<usize>() == 1 => Ok(RunBinary {
                how: format!("it is the only binary of the workspace ({})", self.root.path),
                ..one.clone()
            }),
            _ => Err(format!("{} is a workspace whose members build several binaries, or none the context shows", self.root.path)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(files: &[(&str, &str)], listed: &[&str], complete: bool) -> BuildContext {
        let mut c = BuildContext { complete, ..Default::default() };
        for (p, t) in files {
            c.files.insert((*p).into(), (*t).into());
            c.paths.push((*p).into());
        }
        c.paths.extend(listed.iter().map(|s| (*s).to_owned()));
        c
    }

    fn run(c: &BuildContext, package: Option<&str>) -> Result<String, String> {
        read(c, "", &mut |_, _, _, m| panic!("{m}")).unwrap().run_binary(package).map(|b| b.name)
    }

    #[test]
    fn the_binary_cargo_run_runs() {
        let toml = "[package]\nname = \"hello-web\"\nversion = \"0.1.0\"\n";
        assert_eq!(run(&ctx(&[("Cargo.toml", toml)], &["src/main.rs"], true), None), Ok("hello-web".into()));
        // Only the manifest, pasted: src/main.rs is assumed.
        assert_eq!(run(&ctx(&[("Cargo.toml", toml)], &[], false), None), Ok("hello-web".into()));
        // A src/bin/ binary as well: cargo run needs default-run.
        let c = ctx(&[("Cargo.toml", toml)], &["src/main.rs", "src/bin/migrate.rs"], true);
        assert!(run(&c, None).unwrap_err().contains("several binaries (hello-web, migrate)"));
        let with_default = "[package]\nname = \"hello-web\"\ndefault-run = \"migrate\"\n";
        let c = ctx(&[("Cargo.toml", with_default)], &["src/main.rs", "src/bin/migrate.rs"], true);
        assert_eq!(run(&c, None), Ok("migrate".into()));
        // [[bin]] renames src/main.rs.
        let renamed = "[package]\nname = \"svc\"\n\n[[bin]]\nname = \"server\"\npath = \"src/main.rs\"\n";
        assert_eq!(run(&ctx(&[("Cargo.toml", renamed)], &["src/main.rs"], true), None), Ok("server".into()));
    }

    #[test]
    fn workspaces() {
        let root = "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n";
        let api = "[package]\nname = \"api\"\n";
        let core = "[package]\nname = \"core\"\n\n[lib]\npath = \"src/lib.rs\"\n";
        let c = ctx(&[("Cargo.toml", root), ("crates/api/Cargo.toml", api), ("crates/core/Cargo.toml", core)], &["crates/api/src/main.rs", "crates/core/src/lib.rs"], true);
        assert_eq!(run(&c, None), Ok("api".into()));
        assert_eq!(run(&c, Some("api")), Ok("api".into()));
        assert!(run(&c, Some("web")).unwrap_err().contains("names the package `web`"));
        let c = ctx(&[("Cargo.toml", "[workspace]\nmembers = [\"api\"]\n")], &[], false);
        assert!(run(&c, None).unwrap_err().contains("api/Cargo.toml"));
    }
}
