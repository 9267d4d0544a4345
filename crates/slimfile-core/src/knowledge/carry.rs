//! What the runtime stage carries from the app's folders (`data/carry.json`): the files only a build reads
//! (sources, build files, build outputs and caches, tests, version control and Docker files), which the
//! builder leaves out when it gathers a compiled app's run-time files; the top-level entries of `/` that
//! belong to the system; and where frameworks write at run time.

/// How a pattern matches, as `find` matches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// A file or folder of that name (a shell pattern) at any depth: `find -name`.
    Name,
    /// A path relative to the gathered folder: `find -path <folder>/<pattern>`.
    Path,
    /// A path at any depth: `find -path '*/<pattern>'`.
    Subpath,
}

/// One entry of `build_only`: a file or folder only the build reads.
#[derive(Clone, Copy, Debug)]
pub struct BuildOnly {
    /// `common`, or the ecosystem or build tool it belongs to (`go`, `rust`, `java`, `maven`, `gradle`,
    /// `dotnet`, `c`).
    pub group: &'static str,
    pub kind: Match,
    pub pattern: &'static str,
    /// The kind of file, for the change note (`sources`, `build files`, `tests and examples`…).
    pub category: &'static str,
    /// What it is.
    pub what: &'static str,
}

/// Where a framework writes at run time.
#[derive(Clone, Copy, Debug)]
pub struct Writable {
    pub ecosystem: &'static str,
    pub framework: &'static str,
    /// Folders relative to the app's folder (its working directory).
    pub paths: &'static [&'static str],
    /// Environment variables that name a folder it writes to.
    pub env: &'static [&'static str],
    pub why: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/carry.rs"));

/// Where a rewrite's builder gathers the app's files; its runtime stage copies the folder to `/`.
pub const STAGING: &str = "/tmp/slimfile-carry";

/// The entries of the given groups, in the file's order.
pub fn build_only(groups: &[&str]) -> Vec<&'static BuildOnly> {
    BUILD_ONLY.iter().filter(|b| groups.contains(&b.group)).collect()
}

/// The groups of an ecosystem (`go`) and of the build tools a stage ran (`maven`, `gradle`, `make`…),
/// with `common` first.
pub fn groups(ecosystem: &str, tools: &[&str]) -> Vec<&'static str> {
    let mut out = vec!["common"];
    let mut add = |g: &'static str| {
        if !out.contains(&g) {
            out.push(g);
        }
    };
    for name in std::iter::once(ecosystem).chain(tools.iter().copied()) {
        match name {
            "go" => add("go"),
            "rust" | "cargo" => add("rust"),
            "java" => add("java"),
            "maven" => {
                add("java");
                add("maven");
            }
            "gradle" => {
                add("java");
                add("gradle");
            }
            "dotnet" => add("dotnet"),
            "c" | "make" | "cmake" => add("c"),
            _ => {}
        }
    }
    out
}

/// Whether `name` is a top-level entry of `/` that belongs to the system.
pub fn system_root_entry(name: &str) -> bool {
    ROOT_ENTRIES.contains(&name)
}

/// The framework conventions of an ecosystem.
pub fn writable(ecosystem: &str) -> impl Iterator<Item = &'static Writable> + '_ {
    WRITABLE.iter().filter(move |w| w.ecosystem == ecosystem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_the_build_tools() {
        assert_eq!(groups("go", &["go"]), ["common", "go"]);
        assert_eq!(groups("java", &["gradle"]), ["common", "java", "gradle"]);
        // A Go build driven by make also leaves C's build files behind.
        assert_eq!(groups("go", &["make", "go"]), ["common", "go", "c"]);
        assert!(build_only(&["common", "go"]).iter().any(|b| b.pattern == "*.go"));
        assert!(!build_only(&["common", "go"]).iter().any(|b| b.pattern == "target"));
    }
}
