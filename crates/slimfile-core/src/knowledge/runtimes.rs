//! The final-stage images slimfile emits (`data/runtimes.json`).

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct RuntimeImage {
    pub family: String,
    /// `debian12` or `debian13`.
    pub release: String,
    /// The interpreter or JDK major version, for python3, java and nodejs.
    #[serde(default)]
    pub version: Option<String>,
    pub image: String,
    pub libc: String,
    #[serde(default)]
    pub interpreter: Option<String>,
    pub entrypoint: Vec<String>,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Release {
    pub codename: String,
    pub distroless: String,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DefaultRelease {
    pub codename: String,
    pub why: String,
}

#[derive(Debug, Deserialize)]
pub struct RuntimeData {
    pub images: Vec<RuntimeImage>,
    pub releases: Vec<Release>,
    pub default_release: DefaultRelease,
}

pub fn data() -> &'static RuntimeData {
    static DATA: OnceLock<RuntimeData> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/runtimes.json")).expect("data/runtimes.json is valid (tested)")
    })
}

/// The distroless release (`debian12`) for a Debian codename (`bookworm`).
pub fn distroless_release(codename: &str) -> Option<&'static str> {
    data().releases.iter().find(|r| r.codename == codename).map(|r| r.distroless.as_str())
}

/// The Debian codename for a distroless release.
pub fn codename(release: &str) -> Option<&'static str> {
    data().releases.iter().find(|r| r.distroless == release).map(|r| r.codename.as_str())
}

/// The image of `family` for `release`, of interpreter/JDK `version` when the family has versions.
pub fn find(family: &str, release: &str, version: Option<&str>) -> Option<&'static RuntimeImage> {
    data().images.iter().find(|i| {
        i.family == family && i.release == release && (version.is_none() || i.version.as_deref() == version)
    })
}

/// Releases in which `family` exists at `version`.
pub fn releases_with(family: &str, version: &str) -> Vec<&'static str> {
    data()
        .images
        .iter()
        .filter(|i| i.family == family && i.version.as_deref() == Some(version))
        .map(|i| i.release.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_sources() {
        for i in &data().images {
            assert!(!i.source.is_empty(), "{}", i.image);
            assert!(i.image.starts_with("gcr.io/distroless/"), "{}", i.image);
        }
        assert_eq!(distroless_release("bookworm"), Some("debian12"));
        assert_eq!(codename("debian13"), Some("trixie"));
    }

    #[test]
    fn lookups() {
        assert_eq!(find("distroless/static", "debian12", None).unwrap().image, "gcr.io/distroless/static-debian12");
        assert_eq!(find("distroless/java", "debian12", Some("21")).unwrap().image, "gcr.io/distroless/java21-debian12");
        assert!(find("distroless/nodejs", "debian12", Some("24")).is_none());
        assert_eq!(releases_with("distroless/nodejs", "22"), vec!["debian12", "debian13"]);
    }
}
