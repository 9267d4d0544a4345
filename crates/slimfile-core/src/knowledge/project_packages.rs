//! What the build context's dependency files say about run time, package by package
//! (`data/project-packages.json`): development servers and file watchers of npm, the folder a front-end
//! build writes, native code and the header packages it compiles against (whose libraries the final image
//! needs), native code that bundles its libraries, pure packages, and Go modules that need cgo.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Serves from sources and rebuilds on change: not a production server.
    DevServer,
    /// Restarts `node FILE` when files change: production runs `node FILE`.
    Watcher,
    /// A build command that writes a known folder.
    BuildOutput,
    /// Native code compiled against system libraries (`headers`).
    Links,
    /// Native code with its libraries inside the package.
    Bundled,
    /// No native code.
    Pure,
    /// A Go module that needs cgo.
    Cgo,
    /// A test, lint, type-check or build tool: only a build or a test run loads it. A name ending in `*`
    /// covers every package of that prefix (`@types/*`).
    DevTool,
}

#[derive(Clone, Debug)]
pub struct Package {
    /// `npm`, `pypi`, `rubygems` or `go`.
    pub ecosystem: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    /// The subcommands a `dev-server` or `build-output` entry is about (`""`: the program alone, `"*"`: any).
    pub commands: &'static [&'static str],
    /// The header packages (apt) native code compiles against.
    pub headers: &'static [&'static str],
    /// The folder a `build-output` command writes.
    pub output: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/project_packages.rs"));

/// Every entry, sorted by ecosystem, name and kind.
pub fn all() -> &'static [Package] {
    PACKAGES
}

/// The entries of one package (a tool can be both a dev server and a build, as vite is).
pub fn find<'a>(ecosystem: &'a str, name: &'a str) -> impl Iterator<Item = &'static Package> + 'a {
    let start = PACKAGES.partition_point(|p| (p.ecosystem, p.name) < (ecosystem, name));
    PACKAGES[start..].iter().take_while(move |p| p.ecosystem == ecosystem && p.name == name)
}

/// The entry of `name` of `kind`.
pub fn find_kind(ecosystem: &str, name: &str, kind: Kind) -> Option<&'static Package> {
    find(ecosystem, name).find(|p| p.kind == kind)
}

/// Whether an npm package is a tool only a build or a test run loads (a `dev-tool` or a `watcher`
/// entry, by name or by prefix): pruning it from node_modules cannot break the app.
pub fn build_only_npm(name: &str) -> bool {
    PACKAGES.iter().filter(|p| p.ecosystem == "npm" && matches!(p.kind, Kind::DevTool | Kind::Watcher)).any(|p| match p.name.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => p.name == name,
    })
}

/// Whether `sub` (the word after the program, `""` for none) is one of `commands`.
pub fn runs(p: &Package, sub: &str) -> bool {
    p.commands.iter().any(|c| *c == "*" || *c == sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_found() {
        for w in PACKAGES.windows(2) {
            assert!((w[0].ecosystem, w[0].name) <= (w[1].ecosystem, w[1].name));
        }
        assert_eq!(find_kind("pypi", "psycopg2", Kind::Links).unwrap().headers, ["libpq-dev"]);
        assert_eq!(find("npm", "vite").count(), 3);
        assert!(runs(find_kind("npm", "vite", Kind::DevServer).unwrap(), ""));
        assert!(!runs(find_kind("npm", "next", Kind::DevServer).unwrap(), "start"));
        assert!(find("npm", "express").next().is_none());
        assert!(build_only_npm("jest") && build_only_npm("@types/node") && build_only_npm("eslint-plugin-import") && build_only_npm("nodemon"));
        assert!(!build_only_npm("express") && !build_only_npm("method-override") && !build_only_npm("@typesx/a") && !build_only_npm("jes"));
    }
}
