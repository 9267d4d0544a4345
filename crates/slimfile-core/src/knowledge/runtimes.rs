//! The final-stage images slimfile emits (`data/runtimes.json`).

/// One final-stage image (its libc and source stay in the file: the engine does not read them).
#[derive(Clone, Debug)]
pub struct RuntimeImage {
    pub family: &'static str,
    /// `debian12` or `debian13`.
    pub release: &'static str,
    /// The interpreter or JDK major version, for python3, java and nodejs.
    pub version: Option<&'static str>,
    pub image: &'static str,
    /// The image's own ENTRYPOINT (distroless nodejs's `/nodejs/bin/node`): a CMD is its arguments.
    pub entrypoint: &'static [&'static str],
    /// The shared libraries the image has, by soname (`libc.so.6`, `libssl.so.3`): what a binary may
    /// link to run there. Empty where the data does not list them.
    pub libraries: &'static [&'static str],
}

#[derive(Clone, Debug)]
pub struct Release {
    pub codename: &'static str,
    pub distroless: &'static str,
}

#[derive(Clone, Debug)]
pub struct DefaultRelease {
    pub codename: &'static str,
    /// Shown in the report when the builder is pinned to it.
    pub why: &'static str,
}

/// The shared libraries an alpine image has, by soname as musl's `ldd` names them, and those of the
/// runtime packages a rewrite installs there.
#[derive(Clone, Debug)]
pub struct AlpineLibraries {
    pub libraries: &'static [&'static str],
    /// (package, its libraries).
    pub packages: &'static [(&'static str, &'static [&'static str])],
}

impl AlpineLibraries {
    /// What an alpine image with `installed` added has; `None` when a package's libraries are not known.
    pub fn with(&self, installed: &[String]) -> Option<Vec<&'static str>> {
        let mut out: Vec<&'static str> = self.libraries.to_vec();
        for p in installed {
            let (_, libs) = self.packages.iter().find(|(name, _)| name == p)?;
            out.extend(libs.iter().copied());
        }
        Some(out)
    }
}

// IMAGES, RELEASES, DEFAULT_RELEASE, ALPINE.
include!(concat!(env!("OUT_DIR"), "/runtimes.rs"));

/// The distroless release (`debian12`) for a Debian codename (`bookworm`).
pub fn distroless_release(codename: &str) -> Option<&'static str> {
    RELEASES.iter().find(|r| r.codename == codename).map(|r| r.distroless)
}

/// The Debian codename for a distroless release.
pub fn codename(release: &str) -> Option<&'static str> {
    RELEASES.iter().find(|r| r.distroless == release).map(|r| r.codename)
}

/// The image of `family` for `release`, of interpreter/JDK `version` when the family has versions.
pub fn find(family: &str, release: &str, version: Option<&str>) -> Option<&'static RuntimeImage> {
    IMAGES
        .iter()
        .find(|i| i.family == family && i.release == release && (version.is_none() || i.version == version))
}

/// Releases in which `family` exists at `version`.
pub fn releases_with(family: &str, version: &str) -> Vec<&'static str> {
    IMAGES.iter().filter(|i| i.family == family && i.version == Some(version)).map(|i| i.release).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        for i in IMAGES {
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
