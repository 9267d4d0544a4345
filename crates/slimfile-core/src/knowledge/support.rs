//! Support windows per family and version (`data/support.json`): Debian, Ubuntu and Alpine releases,
//! Node.js, Python, Go, Ruby, Java (Eclipse Temurin), .NET and nginx, each family from its upstream
//! data, with its source.
//!
//! Dates are `YYYY-MM-DD`, or `YYYY-MM` where upstream gives a month (the window ends with that
//! month). The engine has no clock: every question about "now" takes the day `on`, which is
//! [`releases::as_of`] unless the caller knows better.

use super::releases::{self, version_cmp, Release};
use super::tags;
use std::cmp::Ordering;

/// One version of a family and its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Support {
    /// `debian`, `ubuntu`, `alpine`, `node`, `python`, `go`, `ruby`, `java`, `dotnet`, `nginx`.
    pub family: &'static str,
    /// `12`, `24.04`, `3.20`, `20`, `3.9`, `1.22`, `3.3`, `17`, `8.0`, `1.27`.
    pub version: &'static str,
    /// Debian's and Ubuntu's codename; Node's LTS codename (`jod`).
    pub codename: Option<&'static str>,
    pub released: Option<&'static str>,
    /// The end of support (regular security support for Debian, standard support for Ubuntu, `end` for
    /// Node, end of availability for Temurin). `None`: no date published yet.
    pub eol: Option<&'static str>,
    /// Paid or community extended support after `eol` (Debian LTS, Ubuntu Pro), for a note only.
    pub extended: Option<&'static str>,
    /// A long-term line (Node and Ubuntu LTS, Java LTS, .NET LTS, nginx's stable branch): an
    /// alternative is taken among these when the family has them.
    pub lts: bool,
}

/// A family: its source and the images whose tags name its versions.
#[derive(Debug)]
pub struct Family {
    pub name: &'static str,
    /// The address of the family's upstream data (the file's `source` says more).
    pub source: &'static str,
    /// `golang` for `go`; the .NET repositories for `dotnet`.
    pub images: &'static [&'static str],
    /// `version|codename|released|eol|extended|lts` lines, in natural version order.
    rows: &'static str,
}

// FAMILIES.
include!(concat!(env!("OUT_DIR"), "/image_support.rs"));

impl Family {
    /// Its versions, in natural order.
    pub fn versions(&self) -> Vec<Support> {
        self.rows
            .lines()
            .map(|line| {
                let mut f = releases::fields(line);
                let mut next = || f.next().flatten();
                Support {
                    family: self.name,
                    version: next().unwrap_or(""),
                    codename: next(),
                    released: next(),
                    eol: next(),
                    extended: next(),
                    lts: next().is_some(),
                }
            })
            .collect()
    }
}

/// The family by name (`go`) or by an image that names its versions (`golang`, `library/golang`,
/// `mcr.microsoft.com/dotnet/aspnet`).
pub fn family(name_or_repository: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.name == name_or_repository).or_else(|| {
        let k = name_or_repository.strip_prefix("docker.io/").unwrap_or(name_or_repository);
        let k = k.strip_prefix("library/").unwrap_or(k);
        FAMILIES.iter().find(|f| f.images.contains(&k))
    })
}

/// The support window of `version` of a family (or of the image that names its versions): the entry
/// whose version is `version` or its leading part (`20.11.1` → `20`, `3.9.7` → `3.9`, `8u302` → `8`,
/// `12.5` → `12`), or whose codename it is (`bookworm`, `jammy`).
pub fn support(family_or_repository: &str, version: &str) -> Option<Support> {
    let mut best: Option<Support> = None;
    for s in family(family_or_repository)?.versions() {
        if s.codename == Some(version) {
            return Some(s);
        }
        let prefix = version.strip_prefix(s.version).is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()));
        if prefix && best.is_none_or(|b| b.version.len() < s.version.len()) {
            best = Some(s);
        }
    }
    // A bare major (`python:2`, `python:2-alpine`) stands for the newest minor of that major: 2.7.
    if best.is_none() && !version.is_empty() && version.chars().all(|c| c.is_ascii_digit()) {
        let minor = format!("{version}.");
        best = family(family_or_repository)?.versions().into_iter().filter(|s| s.version.starts_with(&minor)).max_by_key(|s| s.released);
    }
    best
}

impl Support {
    /// Whether the window is over on the day `on`.
    pub fn ended(&self, on: &str) -> bool {
        self.eol.is_some_and(|e| releases::ended(e, on))
    }

    /// Whether the version is released and supported on `on`.
    pub fn maintained(&self, on: &str) -> bool {
        self.released.is_some_and(|r| releases::begun(r, on)) && !self.ended(on)
    }

    /// Where the family's dates come from.
    pub fn source(&self) -> &'static str {
        family(self.family).map_or("", |f| f.source)
    }

    /// The maintained version to move to: the oldest newer version maintained on `on`, a long-term one
    /// when the family has them (Node 20 → 22, .NET 8.0 → 10.0, Debian 11 → 13 once 12 ended).
    pub fn alternative(&self, on: &str) -> Option<Support> {
        let newer = family(self.family)?.versions().into_iter().filter(|s| version_cmp(s.version, self.version) == Ordering::Greater);
        pick(newer.collect(), on)
    }
}

/// The first of `versions` maintained on `on`, a long-term one when any of them is long-term.
fn pick(versions: Vec<Support>, on: &str) -> Option<Support> {
    let has_lts = versions.iter().any(|s| s.lts);
    let mut live = versions.into_iter().filter(|s| s.maintained(on));
    let first = live.next()?;
    if first.lts || !has_lts {
        return Some(first);
    }
    live.find(|s| s.lts).or(Some(first))
}

/// The newest version of a family maintained on `on` (a long-term one when the family has them).
pub fn newest_maintained(family_or_repository: &str, on: &str) -> Option<Support> {
    let mut versions = family(family_or_repository)?.versions();
    versions.reverse();
    pick(versions, on)
}

/// The support window of the product version an image tag names (`node:20-slim` → Node 20,
/// `node:lts` → the LTS line today, `golang:1.22.3` → Go 1.22, `debian:bookworm` → Debian 12,
/// `mcr.microsoft.com/dotnet/aspnet:8.0` → .NET 8.0).
/// A repository the tag tables do not hold (`mcr.microsoft.com/dotnet/sdk`, `microsoft/dotnet`) is read
/// by the tag's first word when it is a version (`2.0-sdk` → 2.0).
pub fn of_tag(repository: &str, tag: &str) -> Option<Support> {
    let f = family(repository)?;
    let leading = || tag.split('-').next().filter(|w| w.starts_with(|c: char| c.is_ascii_digit())).map(str::to_owned);
    support(f.name, &tags::version_of(repository, tag).or_else(leading)?)
}

/// The support window of a Linux release (Debian, Ubuntu, Alpine).
pub fn of_release(release: &Release) -> Option<Support> {
    match release.distro {
        "debian" | "ubuntu" | "alpine" => support(release.distro, release.version?),
        _ => None,
    }
}

/// A base past its support window: what ended, and the maintained alternative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    pub support: Support,
    pub alternative: Option<Support>,
}

/// What of `repository:tag` is past its window on `on`: the product version the tag names, and the
/// Linux release it resolves to (`node:16-buster` → Node 16 and Debian 10). Empty when all is
/// maintained or the knowledge does not say.
pub fn end_of_life(repository: &str, tag: &str, on: &str) -> Vec<Ended> {
    let product = of_tag(repository, tag);
    let release = tags::resolves_to(repository, tag).and_then(|r| of_release(&r.release));
    let mut out: Vec<Ended> = Vec::new();
    for s in [product, release].into_iter().flatten() {
        if s.ended(on) && !out.iter().any(|e| e.support == s) {
            out.push(Ended { support: s, alternative: s.alternative(on) });
        }
    }
    out
}

/// All families, sorted by name.
pub fn families() -> &'static [Family] {
    FAMILIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(support("node", "20.11.1").unwrap().version, "20");
        assert_eq!(support("python", "3.9.7").unwrap().version, "3.9");
        assert_eq!(support("python", "3.1").unwrap().version, "3.1");
        assert_eq!(support("python", "3.10").unwrap().version, "3.10");
        assert_eq!(support("java", "8u302").unwrap().version, "8");
        assert_eq!(support("debian", "bookworm").unwrap().version, "12");
        assert_eq!(support("golang", "1.22.3").unwrap().family, "go");
        assert!(support("node", "2").is_none());
        assert_eq!(support("python", "2").unwrap().version, "2.7");
        assert_eq!(end_of_life("python", "2-alpine", "2026-12-03").first().map(|e| e.support.version), Some("2.7"));
        assert!(family("library/python").is_some_and(|f| f.name == "python"));
    }
}
