//! Typical sizes of what a build leaves in an image (`data/artifacts.json`): the application it
//! produces (a Go or Rust binary, node_modules, a venv, a fat jar, a publish folder, an SPA build)
//! and the caches and indexes a single-stage build keeps (apt lists, pip/npm/apk caches, Go and
//! cargo caches, ~/.m2). Each has a low, typical and high figure in bytes, with its reasoning and
//! source.

/// What an artifact is: what the final stage keeps, or what a multi-stage build leaves behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArtifactKind {
    Output,
    Cache,
}

/// One entry of the file, as the engine uses it (its reasoning and source stay in the file).
#[derive(Clone, Debug)]
pub struct Artifact {
    /// Stable key the estimator uses (`go-binary-stripped`, `apt-lists-bookworm`, …).
    pub id: &'static str,
    pub description: &'static str,
    pub kind: ArtifactKind,
    pub low: u64,
    pub typical: u64,
    pub high: u64,
    /// True when the figures are a judgement from the reasoning rather than a measurement.
    pub approximate: bool,
}

include!(concat!(env!("OUT_DIR"), "/artifacts.rs"));

/// Every artifact, sorted by id.
pub fn all() -> &'static [Artifact] {
    ARTIFACTS
}

pub fn get(id: &str) -> Option<&'static Artifact> {
    ARTIFACTS.binary_search_by(|a| a.id.cmp(id)).ok().map(|i| &ARTIFACTS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_ordered_ranges() {
        let mut ids = std::collections::HashSet::new();
        for a in all() {
            assert!(ids.insert(a.id), "duplicate {}", a.id);
            assert!(
                a.low <= a.typical && a.typical <= a.high,
                "{}: {} {} {}",
                a.id,
                a.low,
                a.typical,
                a.high
            );
        }
        for id in [
            "go-binary-static-stripped",
            "go-binary-static",
            "rust-release-binary",
            "node-modules-express-prod",
            "node-modules-react-toolchain",
            "python-venv-flask",
            "python-venv-fastapi",
            "spring-boot-fat-jar",
            "dotnet-publish-framework-dependent",
            "spa-static-build",
            "apt-lists-bookworm",
            "pip-cache",
            "npm-cache",
            "npm-cache-server",
            "npm-cache-per-package",
            "node-modules-server-dev",
            "apk-cache",
            "go-mod-cache",
            "go-build-cache",
            "cargo-registry",
            "cargo-target",
            "maven-m2",
        ] {
            assert!(get(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn apt_lists_are_measured() {
        let a = get("apt-lists-bookworm").unwrap();
        assert!(!a.approximate);
        assert!(a.typical > 15_000_000 && a.typical < 30_000_000, "{}", a.typical);
    }
}
