//! Which packages are build-only, which are needed at run time (`data/packages.json`).

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Build,
    Runtime,
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Build => "build",
            Role::Runtime => "runtime",
            Role::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct PackageEntry {
    pub manager: String,
    pub name: String,
    pub role: Role,
    /// For a header package: the runtime package(s) holding the library it builds against.
    #[serde(default)]
    pub runtime: Vec<String>,
    /// The toolchain the package is (`go`, `rust`, `node`, `python`, `java`).
    #[serde(default)]
    pub toolchain: Option<String>,
    /// The smallest runtime family that already contains it (`distroless/static`, …).
    #[serde(default)]
    pub provided_by: Option<String>,
    /// A header package whose library every image of the distribution already has (libc6-dev).
    #[serde(default)]
    pub header_only: bool,
    /// `runtime` for releases whose library is named differently (`bullseye: libssl1.1`).
    #[serde(default)]
    pub runtime_by_release: std::collections::BTreeMap<String, Vec<String>>,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Pattern {
    pub manager: String,
    #[serde(default)]
    pub suffix: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    pub role: Role,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct PackageData {
    pub packages: Vec<PackageEntry>,
    pub patterns: Vec<Pattern>,
}

pub fn data() -> &'static PackageData {
    static DATA: OnceLock<PackageData> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/packages.json")).expect("data/packages.json is valid (tested)")
    })
}

/// The entries by (manager family, name): `lookup` runs for every package of every install.
fn index() -> &'static std::collections::HashMap<(&'static str, &'static str), &'static PackageEntry> {
    static INDEX: OnceLock<std::collections::HashMap<(&'static str, &'static str), &'static PackageEntry>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = std::collections::HashMap::new();
        for e in &data().packages {
            // The first entry of a name wins, as the linear search it replaces did.
            m.entry((family(&e.manager), e.name.as_str())).or_insert(e);
        }
        m
    })
}

/// apt, apk, dnf, yum and microdnf share names often enough that an entry for one manager is a fallback
/// for the others of the same family.
fn family(manager: &str) -> &str {
    match manager {
        "yum" | "microdnf" => "dnf",
        m => m,
    }
}

/// Releases whose library packages were renamed for the 64-bit time_t transition (`libssl3t64`): a
/// mapping counts there only when `runtime_by_release` names it. Source: https://wiki.debian.org/ReleaseGoals/64bit-time
const T64_RELEASES: &[&str] = &["trixie", "noble", "forky", "plucky"];

/// The runtime packages of a header package on a release (`None`: not known there).
pub fn runtime_for(e: &PackageEntry, codename: Option<&str>) -> Option<Vec<String>> {
    if let Some(c) = codename {
        if let Some(r) = e.runtime_by_release.get(c) {
            return Some(r.clone());
        }
        if T64_RELEASES.contains(&c) && !e.runtime.is_empty() {
            return None;
        }
    }
    Some(e.runtime.clone())
}

/// What slimfile knows of a package, with the role from a pattern when no entry names it.
pub fn lookup(manager: &str, name: &str) -> (Role, Option<&'static PackageEntry>) {
    let d = data();
    let m = family(manager);
    if let Some(e) = index().get(&(m, name)) {
        return (e.role, Some(e));
    }
    for p in &d.patterns {
        if family(&p.manager) != m {
            continue;
        }
        let suffix_ok = p.suffix.as_deref().is_none_or(|s| name.ends_with(s));
        let prefix_ok = p.prefix.as_deref().is_none_or(|s| name.starts_with(s));
        if suffix_ok && prefix_ok {
            return (p.role, None);
        }
    }
    (Role::Unknown, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_loads_and_every_entry_has_a_source() {
        let d = data();
        assert!(d.packages.len() >= 30);
        for e in &d.packages {
            assert!(!e.source.trim().is_empty(), "{} has no source", e.name);
        }
        for p in &d.patterns {
            assert!(!p.source.trim().is_empty());
        }
    }

    #[test]
    fn roles() {
        assert_eq!(lookup("apt", "build-essential").0, Role::Build);
        assert_eq!(lookup("apt", "libxml2-dev").0, Role::Build);
        assert_eq!(lookup("apt", "libxml2").0, Role::Runtime);
        assert_eq!(lookup("apt", "libpq-dev").1.unwrap().runtime, vec!["libpq5".to_owned()]);
        assert_eq!(lookup("apk", "build-base").0, Role::Build);
        assert_eq!(lookup("apt", "some-daemon").0, Role::Unknown);
    }
}
