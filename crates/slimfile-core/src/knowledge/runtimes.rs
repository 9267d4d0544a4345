//! The distroless images slimfile may emit and what the engine needs of each (`data/runtimes.json`).
//! Which of them exist and are maintained on a day is the image knowledge's ([`super::distroless`]):
//! the rewrite chooses with it, then takes the entry here.

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
    /// The interpreter's path in a language image (`/nodejs/bin/node`, `/usr/bin/python3`,
    /// `/usr/bin/java`): a command names it by this path there (node is not on PATH, and there is no
    /// `python`).
    pub interpreter: Option<&'static str>,
    /// The shared libraries the image has, by soname (`libc.so.6`, `libssl.so.3`): what a binary may
    /// link to run there. `Some(&[])` for an image without any (distroless/static); `None` where the
    /// data does not list them.
    pub libraries: Option<&'static [&'static str]>,
}

/// The shared libraries every image of a package manager's distributions has (shell patterns of sonames):
/// a slim runtime of the builder's release needs no package for them.
#[derive(Clone, Debug)]
pub struct SystemLibraries {
    pub manager: &'static str,
    pub sonames: &'static [&'static str],
}

/// The [`SystemLibraries`] of `manager` (`apt`, `apk`).
pub fn system_libraries(manager: &str) -> &'static [&'static str] {
    SYSTEM_LIBRARIES.iter().find(|l| l.manager == manager).map_or(&[], |l| l.sonames)
}

// IMAGES, SYSTEM_LIBRARIES.
include!(concat!(env!("OUT_DIR"), "/runtimes.rs"));

/// The entry of `image` (`gcr.io/distroless/cc-debian13`, without a tag).
pub fn image(image: &str) -> Option<&'static RuntimeImage> {
    IMAGES.iter().find(|i| i.image == image)
}

/// The path `image` has the interpreter at that the program `name` names (`node` on distroless/nodejs:
/// `/nodejs/bin/node`), if `name` is its interpreter: `node` and `nodejs` are node; `python`, `python3` and
/// `python3.12` are python3; `java` is java.
pub fn interpreter_named(image: &str, name: &str) -> Option<&'static str> {
    fn family(n: &str) -> &str {
        match n {
            "node" | "nodejs" => "node",
            n if n == "python" || n.starts_with("python3") => "python",
            other => other,
        }
    }
    let path = self::image(image)?.interpreter?;
    (family(name) == family(path.rsplit('/').next().unwrap_or(path))).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{distroless, releases};

    #[test]
    fn loads() {
        for i in IMAGES {
            assert!(i.image.starts_with("gcr.io/distroless/"), "{}", i.image);
        }
        assert_eq!(image("gcr.io/distroless/java21-debian13").unwrap().version, Some("21"));
        assert_eq!(interpreter_named("gcr.io/distroless/nodejs22-debian13", "node"), Some("/nodejs/bin/node"));
        assert_eq!(interpreter_named("gcr.io/distroless/python3-debian13", "python3.13"), Some("/usr/bin/python3"));
        assert_eq!(interpreter_named("gcr.io/distroless/nodejs22-debian13", "curl"), None);
        assert_eq!(interpreter_named("gcr.io/distroless/static-debian13", "node"), None);
    }

    /// The entries agree with the image knowledge: each is an image distroless published, of the same
    /// family, release and language version, and every image it maintains on the knowledge's date (of the
    /// families slimfile emits) has an entry.
    #[test]
    fn agree_with_the_image_knowledge() {
        for i in IMAGES {
            let d = distroless::image(i.image).unwrap_or_else(|| panic!("{} is no distroless image of the knowledge", i.image));
            assert_eq!((d.family, d.release, d.version), (i.family, Some(i.release), i.version), "{}", i.image);
        }
        let emitted = ["distroless/static", "distroless/base", "distroless/cc", "distroless/java", "distroless/nodejs", "distroless/python3"];
        for d in distroless::images().into_iter().filter(|d| emitted.contains(&d.family) && d.maintained(releases::as_of())) {
            assert!(image(d.image).is_some(), "{} is maintained and has no entry in data/runtimes.json", d.image);
        }
    }
}
