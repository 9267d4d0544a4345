//! The distroless images per Debian release (`data/distroless.json`): which the README lists (and when
//! it listed them), the language version each ships, and SUPPORT_POLICY.md's end of life.

use super::releases::{self, version_cmp, Release};
use super::support::{self, Support};

/// A Debian release distroless builds for (`debian13` is `trixie`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistrolessRelease {
    pub name: &'static str,
    pub codename: &'static str,
}

/// One image, as the README has listed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistrolessImage {
    /// `gcr.io/distroless/java21-debian13`.
    pub image: &'static str,
    /// `distroless/java` (the families of runtimes.json, plus `distroless/base-nossl`, `java-base`...).
    pub family: &'static str,
    /// The language version (`21`, Node `22`, Python `3.13`); `None` for the base images and for the
    /// old unversioned names (`nodejs-debian11`).
    pub version: Option<&'static str>,
    /// `debian13`; `None` for the first names without a release (`gcr.io/distroless/base`, until 2019).
    pub release: Option<&'static str>,
    /// The first day the README listed it.
    pub listed_since: &'static str,
    /// The day the README stopped listing it (no longer updated); `None`: listed today.
    pub listed_until: Option<&'static str>,
    /// SUPPORT_POLICY.md's end of life for its family and release: a month (`2026-09`), `None` where the
    /// policy gives a rule instead (`debian 14 release day + 1yr`, in `policy`).
    pub eol: Option<&'static str>,
    /// The policy's own words for this family and release.
    pub policy: Option<&'static str>,
}

// RELEASES, IMAGES.
include!(concat!(env!("OUT_DIR"), "/image_distroless.rs"));

fn parse_image(line: &'static str) -> DistrolessImage {
    let mut f = releases::fields(line);
    let mut next = || f.next().flatten();
    DistrolessImage {
        image: next().unwrap_or(""),
        family: next().unwrap_or(""),
        version: next(),
        release: next(),
        listed_since: next().unwrap_or(""),
        listed_until: next(),
        eol: next(),
        policy: next(),
    }
}

fn parse_release(line: &'static str) -> DistrolessRelease {
    let (name, codename) = line.split_once('|').unwrap_or((line, ""));
    DistrolessRelease { name, codename }
}

/// The tags every distroless image has (`:latest`, `:nonroot`, `:debug`, `:debug-nonroot`).
pub fn standard_tag(tag: &str) -> bool {
    matches!(tag, "" | "latest" | "nonroot" | "debug" | "debug-nonroot")
}

/// The image by name (`gcr.io/distroless/cc-debian13`; a tag or digest after it is ignored). A name
/// without a release (`gcr.io/distroless/static`) is the image of the release such names select today
/// (`data/distroless.json`'s `unsuffixed`: `static-debian13`) where that one exists; otherwise (the first
/// names, `gcr.io/distroless/java`, until 2019) the name's own entry.
pub fn image(name: &str) -> Option<DistrolessImage> {
    let name = name.split('@').next().unwrap_or(name);
    let name = match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => &name[..i],
        _ => name,
    };
    let all = images();
    let own = all.iter().find(|i| i.image == name)?;
    if own.release.is_none() {
        let selected = format!("{name}-{UNSUFFIXED}");
        if let Some(i) = all.iter().find(|i| i.image == selected) {
            return Some(*i);
        }
    }
    Some(*own)
}

/// The release a distroless name without one selects today (`debian13`).
pub fn unsuffixed_release() -> &'static str {
    UNSUFFIXED
}

/// The image of `family` for `release` (`debian13`), of language `version` where the family has one.
pub fn find(family: &str, release: &str, version: Option<&str>) -> Option<DistrolessImage> {
    images().into_iter().find(|i| i.family == family && i.release == Some(release) && (version.is_none() || i.version == version))
}

/// The Debian codename of a distroless release (`debian13` → `trixie`).
pub fn release_codename(name: &str) -> Option<&'static str> {
    releases().find(|r| r.name == name).map(|r| r.codename)
}

/// The distroless release of a Debian codename (`trixie` → `debian13`).
pub fn release_of(codename: &str) -> Option<&'static str> {
    releases().find(|r| r.codename == codename).map(|r| r.name)
}

/// The distroless releases, sorted by name (`debian12`, `debian13`).
pub fn releases() -> impl Iterator<Item = DistrolessRelease> {
    RELEASES.lines().map(parse_release)
}

/// Every image the README has listed, sorted by name.
pub fn images() -> Vec<DistrolessImage> {
    IMAGES.lines().map(parse_image).collect()
}

impl DistrolessImage {
    /// The Debian release it is built on.
    pub fn debian(&self) -> Option<Release> {
        releases::release(release_codename(self.release?)?)
    }

    /// The support window of the language it ships (Node 22 for `nodejs22-debian13`, Temurin 21 for
    /// `java21-debian13`, Python 3.13 for `python3-debian13`).
    pub fn language(&self) -> Option<Support> {
        let family = match self.family {
            "distroless/nodejs" => "node",
            "distroless/java" => "java",
            "distroless/python3" => "python",
            _ => return None,
        };
        support::support(family, self.version?)
    }

    /// Whether it is maintained on `on`: the README lists it, SUPPORT_POLICY.md's end of life has not
    /// passed, and the language version it ships is supported.
    pub fn maintained(&self, on: &str) -> bool {
        self.unmaintained(on).is_none()
    }

    /// Why it is not maintained on `on`; `None` when it is.
    pub fn unmaintained(&self, on: &str) -> Option<Unmaintained> {
        if let Some(until) = self.listed_until {
            return Some(Unmaintained::NoLongerListed { since: until });
        }
        if let Some(eol) = self.eol.filter(|e| releases::ended(e, on)) {
            return Some(Unmaintained::PastEndOfLife { eol });
        }
        self.language().filter(|s| s.ended(on)).map(Unmaintained::LanguageEnded)
    }
}

/// Why a distroless image is not maintained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmaintained {
    /// The README stopped listing it on `since`: no longer updated.
    NoLongerListed { since: &'static str },
    /// SUPPORT_POLICY.md's end of life (a month) has passed.
    PastEndOfLife { eol: &'static str },
    /// The language version it ships is past its own window (Node 20 in `nodejs20-debian13`).
    LanguageEnded(Support),
}

/// The newest maintained image of `family` (of language `version` where given) on `on` whose Debian
/// release runs what `builder` built: glibc at least the builder's ([`Release::runs_programs_of`]).
/// `builder: None` sets no such bound (a static program). The choice for a runtime: never a release
/// older than the builder's, never an image out of support.
pub fn newest_maintained(family: &str, version: Option<&str>, builder: Option<&Release>, on: &str) -> Option<DistrolessImage> {
    images()
        .into_iter()
        .filter(|i| i.family == family && (version.is_none() || i.version == version) && i.maintained(on))
        .filter(|i| match (builder, i.debian()) {
            (None, Some(_)) => true,
            (Some(b), Some(d)) => d.runs_programs_of(b) == Some(true),
            (_, None) => false,
        })
        .max_by(|a, b| version_cmp(a.release.unwrap_or(""), b.release.unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(image("gcr.io/distroless/cc-debian13:nonroot").unwrap().family, "distroless/cc");
        assert_eq!(release_codename("debian12"), Some("bookworm"));
        assert_eq!(release_of("trixie"), Some("debian13"));
        assert_eq!(find("distroless/python3", "debian13", None).unwrap().version, Some("3.13"));
    }

    #[test]
    fn a_name_without_a_release_is_the_image_it_selects_today() {
        assert_eq!(unsuffixed_release(), "debian13");
        let static_ = image("gcr.io/distroless/static:nonroot").unwrap();
        assert_eq!((static_.image, static_.release), ("gcr.io/distroless/static-debian13", Some("debian13")));
        assert!(static_.maintained("2026-12-03"));
        assert_eq!(image("gcr.io/distroless/python3").unwrap().image, "gcr.io/distroless/python3-debian13");
        // A first name with no image of today's release keeps its own entry: no longer listed since 2019.
        let java = image("gcr.io/distroless/java:11").unwrap();
        assert_eq!((java.image, java.release), ("gcr.io/distroless/java", None));
        assert!(!java.maintained("2026-12-03"));
    }
}
