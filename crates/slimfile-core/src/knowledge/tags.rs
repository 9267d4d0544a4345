//! Which tags an image has published, which are still updated, and which Linux release each resolves
//! to (`data/official-images.json`, `data/dotnet-images.json`, `data/distroless.json`).
//!
//! A tag is read as `version-variant`: its first word is the version when it starts with a digit or is
//! one of the repository's aliases (`latest`, `lts`, `jod`, `mainline`, `stable`, a Debian codename in
//! the `debian` image), the rest is the variant (`1.22-bookworm`: `1.22` and `bookworm`;
//! `lts-alpine`: `lts` and `alpine`; `slim-bookworm`: no version, all variant; Java 8's build is part
//! of its version: `8u302-b08-jre`: `8u302-b08` and `jre`). For each variant the
//! tables keep runs of versions in natural order ([`releases::version_cmp`]); a version inside a run
//! has the variant. Runs span the versions the image published, and each version line's newest
//! release number is kept, so a version past it (`1.22.99`, `aspnet:8.0.100`) is not published; a
//! number skipped inside a line would read as published.
//!
//! Repositories are named as a Dockerfile names them: `golang`, `library/golang`,
//! `docker.io/library/golang`, `mcr.microsoft.com/dotnet/aspnet`, `gcr.io/distroless/cc-debian13`.

use super::releases::{self, version_cmp, Release};
use crate::report::ImageRef;
use std::cmp::Ordering;

/// One repository's tables, as text (see build.rs `tag_repo`).
#[derive(Debug)]
pub struct Repo {
    pub name: &'static str,
    aliases: &'static str,
    /// Runs of versions the tables do not keep (gone before the horizon, below the major where only
    /// majors are kept): unknown here.
    old: &'static str,
    /// Each version line's newest release number, `line<n;…`.
    lines: &'static str,
    tags: &'static str,
    resolves: &'static str,
}

// REPOS.
include!(concat!(env!("OUT_DIR"), "/image_tags.rs"));

/// What the knowledge says of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    /// The image has published this tag (it may no longer be updated: see [`tag_current`]).
    Yes,
    /// Never published: the repository's table has no such tag.
    No,
    /// The knowledge does not cover it: a repository slimfile writes no tags of (`maven`, `php`: the
    /// data files have them, the engine's tables do not), a registry slimfile has no data of, a
    /// Windows, pre-release (`rc`, `beta`, `ea`) or date-stamped snapshot tag, a version all of whose
    /// tags were gone before the tables' horizon (`table_since` in the data files), eclipse-temurin
    /// below its major version, a variant naming an Alpine minor release (`alpine3.20`: slimfile writes
    /// `-alpine`), a distroless tag other than the four standard.
    Unknown,
}

/// The release a tag resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub release: Release,
    /// The tag names the release itself (`1.22-bookworm`): it never moves.
    pub named: bool,
    /// For a tag that names none and is still published (`1.22`, `lts-slim`): the first day a tag of its
    /// run had this release (roughly when the image's default moved to it); `None` for a tag that names
    /// its release and for tags of runs no longer published.
    pub since: Option<&'static str>,
}

/// The repository key: `golang`, `microsoft/dotnet`, `mcr.microsoft.com/dotnet/sdk`.
fn key(repository: &str) -> &str {
    let r = repository.strip_prefix("docker.io/").or_else(|| repository.strip_prefix("index.docker.io/")).unwrap_or(repository);
    r.strip_prefix("library/").unwrap_or(r)
}

fn repo(repository: &str) -> Option<&'static Repo> {
    let k = key(repository);
    REPOS.binary_search_by(|r| r.name.cmp(k)).ok().map(|i| &REPOS[i])
}

/// The repository key of an image reference (`golang`, `mcr.microsoft.com/dotnet/aspnet`).
pub fn repository_of(image: &ImageRef) -> String {
    if image.registry == "docker.io" {
        key(&image.repository).to_owned()
    } else {
        format!("{}/{}", image.registry, image.repository)
    }
}

impl Repo {
    fn aliases(&self) -> impl Iterator<Item = (&'static str, Option<(&'static str, &'static str)>)> {
        self.aliases.split(';').filter(|a| !a.is_empty()).map(|a| match a.split_once('=') {
            Some((w, now)) => (w, now.split_once('|')),
            None => (a, None),
        })
    }

    /// Whether a version sorting inside a run was released: its line's newest number is at least its
    /// own (`1.22.99` is past Go 1.22's newest, `8.0.100` an SDK's number, not a runtime's).
    fn has_version(&self, version: &str) -> bool {
        let Some((line, last)) = version.rsplit_once('.') else { return true };
        let Ok(n) = last.parse::<u64>() else { return true };
        if !version.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        self.lines.split(';').find_map(|e| e.split_once('<').filter(|(l, _)| *l == line)).is_some_and(|(_, max)| max.parse::<u64>().is_ok_and(|m| n <= m))
    }

    fn is_alias(&self, word: &str) -> bool {
        self.aliases().any(|(w, _)| w == word)
    }

    /// `(version, variant)` of a tag.
    fn split<'t>(&self, tag: &'t str) -> (&'t str, &'t str) {
        let (first, rest) = tag.split_once('-').unwrap_or((tag, ""));
        let (build, after) = rest.split_once('-').unwrap_or((rest, ""));
        let java8 = first.split_once('u').is_some_and(|(a, b)| digits(a) && digits(b));
        if java8 && build.strip_prefix('b').is_some_and(|b| b.split_once('.').map_or(digits(b), |(x, y)| digits(x) && digits(y))) {
            // Java 8's `8u302-b08`: the build is part of the version.
            return (&tag[..first.len() + 1 + build.len()], after);
        }
        if first.as_bytes().first().is_some_and(u8::is_ascii_digit) || self.is_alias(first) {
            (first, rest)
        } else {
            ("", tag)
        }
    }
}

/// Whether a variant names an Alpine minor release (`alpine3.20`, `jre-alpine-3.21`): the tables leave
/// those out (slimfile writes `-alpine`, and they would double the table), so they are unknown.
pub fn alpine_minor(variant: &str) -> bool {
    variant.match_indices("alpine").any(|(i, _)| {
        let rest = variant[i + 6..].strip_prefix('-').unwrap_or(&variant[i + 6..]);
        let (major, minor) = rest.split_once('.').unwrap_or((rest, ""));
        let minor = minor.split('-').next().unwrap_or("");
        digits(major) && digits(minor)
    })
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The runs of `variant` in a table (`variants=runs` lines), or `None`.
fn runs_of(table: &'static str, variant: &str) -> Option<&'static str> {
    table.lines().find_map(|line| {
        let (vars, runs) = line.split_once('=')?;
        vars.split(',').any(|v| v == variant).then_some(runs)
    })
}

/// The run (its text after the span) whose span holds `version`.
fn run_with(runs: &'static str, version: &str) -> Option<&'static str> {
    runs.split(';').find_map(|run| {
        let end = run.find([':', '*']).unwrap_or(run.len());
        let (lo, hi) = run[..end].split_once('~').unwrap_or((&run[..end], &run[..end]));
        (version_cmp(lo, version) != Ordering::Greater && version_cmp(version, hi) != Ordering::Greater).then_some(&run[end..])
    })
}

/// Whether the tables leave the tag out (Windows, date-stamped snapshot, pre-release), as the script's
/// `excluded_class`.
fn excluded(tag: &str) -> bool {
    tag.split('-').enumerate().any(|(i, w)| {
        let stem = w.trim_end_matches(|c: char| c.is_ascii_digit());
        let (day, fraction) = w.split_once('.').unwrap_or((w, "0"));
        w.starts_with("windowsservercore")
            || w.starts_with("nanoserver")
            || w == "windows"
            || day.len() == 8 && digits(day) && digits(fraction)
            || matches!(w.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'), "rc" | "ea" | "alpha" | "beta" | "preview" | "dev")
            || i > 0 && w.strip_prefix('p').is_some_and(digits)
            || i == 0
                && w.starts_with(|c: char| c.is_ascii_digit())
                && ["alpha", "beta", "preview", "rc", "ea", "a", "b"].iter().any(|s| stem.len() > s.len() && stem.ends_with(s))
    })
}

/// Whether `repository` has published `tag` (an empty tag is `latest`).
pub fn tag_published(repository: &str, tag: &str) -> Published {
    lookup(repository, tag).map_or(Published::Unknown, |run| if run.is_some() { Published::Yes } else { Published::No })
}

/// Whether the tag is still in the image's current list (updated), `None` where the knowledge does not
/// say or the tag was never published.
pub fn tag_current(repository: &str, tag: &str) -> Option<bool> {
    lookup(repository, tag).ok()?.map(|rest| rest.starts_with('*'))
}

/// Whether `repository` has published the tag `version-variant` (`variant_exists("golang", "1.17",
/// "bookworm")`). An empty version asks about the variant alone (`bookworm`), an empty variant about
/// the version alone.
pub fn variant_exists(repository: &str, version: &str, variant: &str) -> Published {
    let tag = match (version.is_empty(), variant.is_empty()) {
        (true, _) => variant.to_owned(),
        (false, true) => version.to_owned(),
        (false, false) => format!("{version}-{variant}"),
    };
    tag_published(repository, &tag)
}

/// `Err(())`: unknown; `Ok(None)`: never published; `Ok(Some(rest))`: the run's flag (`*`: current).
fn lookup(repository: &str, tag: &str) -> Result<Option<&'static str>, ()> {
    let tag = if tag.is_empty() { "latest" } else { tag };
    if repository.starts_with("gcr.io/distroless/") {
        // The four tags the README lists for every image; other tags (older images' `:11`) are unknown.
        return match super::distroless::image(repository) {
            Some(d) if super::distroless::standard_tag(tag) => Ok(Some(if d.listed_until.is_none() { "*" } else { "" })),
            Some(_) => Err(()),
            None => Ok(None),
        };
    }
    let r = repo(repository).ok_or(())?;
    if excluded(tag) {
        return Err(());
    }
    let (version, variant) = r.split(tag);
    if alpine_minor(variant) {
        return Err(());
    }
    if run_with(r.old, version).is_some() {
        return Err(());
    }
    Ok(runs_of(r.tags, variant).and_then(|runs| run_with(runs, version)).filter(|_| r.has_version(version)))
}

/// Whether the tables leave the version `tag` names out because all its tags were gone before they
/// begin ([`releases::table_since`]): an image of then, built on a release no newer than the ones of
/// that day. `false` for a repository the tables do not hold (nothing is known of it). (In
/// eclipse-temurin, whose tables keep major versions only, a version below the major reads as left out
/// too.)
pub fn before_tables(repository: &str, tag: &str) -> bool {
    let tag = if tag.is_empty() { "latest" } else { tag };
    let Some(r) = repo(repository) else { return false };
    let (version, _) = r.split(tag);
    !version.is_empty() && run_with(r.old, version).is_some()
}

/// The release `tag` of `repository` resolves to: the one it names, else the one the image's tables
/// give it (today's for a current tag, the last one for a tag no longer updated). `None`: the knowledge
/// does not say (a repository the tables do not hold, an old tag whose list named no release, a typo).
pub fn resolves_to(repository: &str, tag: &str) -> Option<Resolution> {
    let tag = if tag.is_empty() { "latest" } else { tag };
    if let Some(r) = releases::named_in(tag) {
        return Some(Resolution { release: r, named: true, since: None });
    }
    if let Some(d) = super::distroless::image(repository) {
        let name = super::distroless::release_codename(d.release?)?;
        return Some(Resolution { release: releases::release(name)?, named: true, since: None });
    }
    let r = repo(repository)?;
    let (version, variant) = r.split(tag);
    let rest = runs_of(r.resolves, variant).and_then(|runs| run_with(runs, version))?;
    let rest = rest.strip_prefix(':')?;
    let (name, since) = rest.split_once('@').map_or((rest, None), |(n, s)| (n, Some(s)));
    Some(Resolution { release: releases::release(name)?, named: false, since })
}

/// What an alias (`lts`, `latest`, `current`, `jod`, `mainline`, `stable`) of `repository` stands for
/// today: `(line, version)`, e.g. `node`'s `lts` → `("24", "24.19.0")`. `None`: not an alias, or one
/// no longer published.
pub fn alias(repository: &str, word: &str) -> Option<(&'static str, &'static str)> {
    repo(repository)?.aliases().find(|(w, _)| *w == word)?.1
}

/// The version a tag names, with an alias replaced by the line it stands for today (`lts-slim` →
/// `24`, `1.22.3-bookworm` → `1.22.3`); an alias no longer published stays as it is (`focal`,
/// `dubnium`: a codename [`support::support`](super::support::support) may know). `None` when the tag
/// names no version (`bookworm` of golang, `slim`).
pub fn version_of(repository: &str, tag: &str) -> Option<String> {
    let tag = if tag.is_empty() { "latest" } else { tag };
    let r = repo(repository)?;
    let (version, _) = r.split(tag);
    if version.is_empty() {
        return None;
    }
    if version.as_bytes()[0].is_ascii_digit() {
        return Some(version.to_owned());
    }
    Some(alias(repository, version).map_or(version, |(line, _)| line).to_owned())
}

/// Every repository the tables know (the ones slimfile writes tags of; the data files hold more).
pub fn repositories() -> impl Iterator<Item = &'static str> {
    REPOS.iter().map(|r| r.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions() {
        for t in ["1.22-windowsservercore-ltsc2022", "bookworm-20240110", "bookworm-20240110-slim", "3.15.0rc1-slim", "27-ea-14-jdk", "3.14.0a5", "8.6-rc-cli", "2.1.2-p95", "8.0.0-preview.3-bookworm-slim"] {
            assert!(excluded(t), "{t}");
        }
        for t in ["1.22-bookworm", "8u302-b08-jdk", "21.0.4_7-jre-noble", "lts-slim", "3.12", "bookworm", "1.27.0", "alpine3.20"] {
            assert!(!excluded(t), "{t}");
        }
        assert!(alpine_minor("alpine3.20") && alpine_minor("jre-alpine-3.21") && alpine_minor("alpine3.9-slim"));
        assert!(!alpine_minor("alpine") && !alpine_minor("slim-alpine") && !alpine_minor("alpine-perl"));
    }

    #[test]
    fn keys() {
        assert_eq!(key("docker.io/library/golang"), "golang");
        assert_eq!(key("library/node"), "node");
        assert_eq!(key("mcr.microsoft.com/dotnet/aspnet"), "mcr.microsoft.com/dotnet/aspnet");
        assert!(repo("golang").is_some() && repo("mcr.microsoft.com/dotnet/runtime").is_some());
        // Repositories slimfile writes no tags of are in the data files only.
        assert!(repo("microsoft/dotnet").is_none() && repo("maven").is_none() && repo("nope").is_none());
    }
}
