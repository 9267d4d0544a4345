//! Typical sizes of what a build leaves in an image (`data/artifacts.json`): the application it
//! produces (a Go or Rust binary, node_modules, a venv, a fat jar, a publish folder, an SPA build)
//! and the caches and indexes a single-stage build keeps (apt lists, pip/npm/apk caches, Go and
//! cargo caches, ~/.m2). Each has a low, typical and high figure in bytes, with its reasoning and
//! source.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Artifact {
    /// Stable key the estimator uses (`go-binary-stripped`, `apt-lists-bookworm`, …).
    pub id: String,
    pub description: String,
    /// `output` (what the final stage keeps) or `cache` (what a multi-stage build leaves behind).
    pub kind: String,
    pub low: u64,
    pub typical: u64,
    pub high: u64,
    /// True when the figures are a judgement from the reasoning rather than a measurement.
    pub approximate: bool,
    pub reasoning: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct ArtifactData {
    pub about: String,
    pub artifacts: Vec<Artifact>,
}

pub fn data() -> &'static ArtifactData {
    static DATA: OnceLock<ArtifactData> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/artifacts.json")).expect("data/artifacts.json is valid (tested)")
    })
}

pub fn get(id: &str) -> Option<&'static Artifact> {
    data().artifacts.iter().find(|a| a.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_sources_and_ordered_ranges() {
        let d = data();
        let mut ids = std::collections::HashSet::new();
        for a in &d.artifacts {
            assert!(ids.insert(a.id.as_str()), "duplicate {}", a.id);
            assert!(
                a.low <= a.typical && a.typical <= a.high,
                "{}: {} {} {}",
                a.id,
                a.low,
                a.typical,
                a.high
            );
            assert!(
                !a.source.trim().is_empty() && !a.reasoning.trim().is_empty(),
                "{}",
                a.id
            );
            assert!(a.kind == "output" || a.kind == "cache", "{}: {}", a.id, a.kind);
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
