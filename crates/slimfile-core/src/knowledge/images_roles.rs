//! What slimfile knows of the images people build FROM (`data/images-roles.json`).

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct BaseImage {
    pub repository: String,
    #[serde(default)]
    pub registry: Option<String>,
    #[serde(default)]
    pub ecosystem: Option<String>,
    pub distro: String,
    pub toolchain: bool,
    #[serde(default)]
    pub slim: Option<String>,
    #[serde(default)]
    pub slim_alpine: Option<String>,
    /// Where the image's package manager installs libraries (ruby's GEM_HOME).
    #[serde(default)]
    pub gem_home: Option<String>,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Codename {
    pub codename: String,
    pub distro: String,
    pub version: String,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Nginx {
    pub root: String,
    pub nonroot: String,
    pub root_port: String,
    pub nonroot_port: String,
    pub html: String,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Dotnet {
    pub aspnet: String,
    pub runtime: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct ImageRoles {
    pub images: Vec<BaseImage>,
    pub codenames: Vec<Codename>,
    pub nginx: Nginx,
    pub dotnet: Dotnet,
}

pub fn data() -> &'static ImageRoles {
    static DATA: OnceLock<ImageRoles> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/images-roles.json")).expect("data/images-roles.json is valid (tested)")
    })
}

pub fn find(registry: &str, repository: &str) -> Option<&'static BaseImage> {
    data()
        .images
        .iter()
        .find(|i| i.repository == repository && i.registry.as_deref().unwrap_or("docker.io") == registry)
}

/// A Debian or Ubuntu codename mentioned in a tag (`1.22-bookworm` → bookworm).
pub fn codename_in_tag(tag: &str) -> Option<&'static Codename> {
    data().codenames.iter().find(|c| tag.split(['-', '.', '_']).any(|p| p == c.codename))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        assert!(data().images.iter().all(|i| !i.source.is_empty()));
        assert_eq!(find("docker.io", "library/golang").unwrap().ecosystem.as_deref(), Some("go"));
        assert_eq!(find("mcr.microsoft.com", "dotnet/sdk").unwrap().distro, "debian");
        assert_eq!(codename_in_tag("3.12-slim-bookworm").unwrap().codename, "bookworm");
        assert!(codename_in_tag("3.12-slim").is_none());
    }
}

/// The codename of an Ubuntu tag (`22.04` → jammy, `latest`/none → noble).
pub fn ubuntu_codename(tag: Option<&str>) -> Option<String> {
    let t = tag.unwrap_or("latest");
    let t = if t == "latest" || t == "rolling" { "24.04" } else { t };
    data()
        .codenames
        .iter()
        .find(|c| c.distro == "ubuntu" && (t.starts_with(&c.version) || t.split('-').any(|p| p == c.codename)))
        .map(|c| c.codename.clone())
}
