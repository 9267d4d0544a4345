//! What slimfile knows of the images people build FROM (`data/images-roles.json`).

#[derive(Clone, Debug)]
pub struct BaseImage {
    pub repository: &'static str,
    /// `None`: Docker Hub.
    pub registry: Option<&'static str>,
    pub ecosystem: Option<&'static str>,
    pub distro: &'static str,
    pub toolchain: bool,
    pub slim: Option<&'static str>,
    pub slim_alpine: Option<&'static str>,
    /// Where the image's package manager installs libraries (ruby's GEM_HOME).
    pub gem_home: Option<&'static str>,
    /// The image's own WORKDIR, where a relative COPY lands (golang's `/go`); `None`: `/`.
    pub workdir: Option<&'static str>,
    /// Debian packages the image's Debian tags have that a program built there may read at run time
    /// (CA certificates, /etc/services): a slim runtime for that program installs them.
    pub ships: &'static [&'static str],
    /// Shared libraries the image installs outside its package manager, the same in each of its variants
    /// (python's own libpython in /usr/local/lib, in the full and the slim image alike), as shell patterns:
    /// a program built on one variant that links one needs no package on another.
    pub local_libraries: &'static [&'static str],
}

#[derive(Clone, Debug)]
pub struct Codename {
    pub codename: &'static str,
    pub distro: &'static str,
    pub version: &'static str,
}

#[derive(Clone, Debug)]
pub struct Nginx {
    pub root: &'static str,
    pub nonroot: &'static str,
    pub root_port: &'static str,
    pub nonroot_port: &'static str,
    pub html: &'static str,
}

#[derive(Clone, Debug)]
pub struct Dotnet {
    pub aspnet: &'static str,
    pub runtime: &'static str,
}

// IMAGES, CODENAMES, NGINX, DOTNET (each entry's source stays in the file).
include!(concat!(env!("OUT_DIR"), "/images_roles.rs"));

pub fn find(registry: &str, repository: &str) -> Option<&'static BaseImage> {
    IMAGES.iter().find(|i| i.repository == repository && i.registry.unwrap_or("docker.io") == registry)
}

/// A Debian or Ubuntu codename mentioned in a tag (`1.22-bookworm` → bookworm).
pub fn codename_in_tag(tag: &str) -> Option<&'static Codename> {
    CODENAMES.iter().find(|c| tag.split(['-', '.', '_']).any(|p| p == c.codename))
}

/// The codename of an Ubuntu tag (`22.04` → jammy, `latest`/none → noble).
pub fn ubuntu_codename(tag: Option<&str>) -> Option<String> {
    let t = tag.unwrap_or("latest");
    let t = if t == "latest" || t == "rolling" { "24.04" } else { t };
    CODENAMES
        .iter()
        .find(|c| c.distro == "ubuntu" && (t.starts_with(c.version) || t.split('-').any(|p| p == c.codename)))
        .map(|c| c.codename.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        assert_eq!(find("docker.io", "library/golang").unwrap().ecosystem, Some("go"));
        assert_eq!(find("mcr.microsoft.com", "dotnet/sdk").unwrap().distro, "debian");
        assert_eq!(codename_in_tag("3.12-slim-bookworm").unwrap().codename, "bookworm");
        assert!(codename_in_tag("3.12-slim").is_none());
    }
}
