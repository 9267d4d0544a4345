//! The images a rewrite names, from the image knowledge (docs/knowledge.md), judged on [`Ctx::on`]:
//!
//! - **The builder never moves to an older release** than its tag resolves to today
//!   ([`crate::analyze::StageFacts::release`]). A tag that names no release and is still updated
//!   (`golang:1.26`, trixie today) is pinned to the release it resolves to, with a tag the image
//!   published (`golang:1.26-trixie`, [`pinned_tag`]), so that builder and runtime keep agreeing when
//!   the image moves its default to a newer release; the change note says so. A tag no longer updated
//!   (`golang:1.22`, `node:10`) cannot move and stays as written. A digest, or a tag whose release
//!   the knowledge does not tell, is never pinned.
//! - **The runtime's release** is the newest maintained one whose glibc is at least the builder's
//!   ([`distroless`]): a program built on bookworm runs on `-debian13`; one built on trixie never runs
//!   on `-debian12`. Slim images of the builder's own line (`python:3.12-slim-trixie`,
//!   `debian:bookworm-slim`) keep the builder's release: their packages and ABI are the builder's.
//! - **Version-bound runtimes** (distroless java, nodejs, python3) only where that language version
//!   has a maintained image; otherwise the strategy takes the slim or JRE image of the same version and
//!   its change note gives [`distroless`]'s reason. The user's language version is never changed.
//! - **Every tag written was published.** A tag slimfile builds (a pin, a slim or JRE image, a .NET
//!   runtime) is checked with [`check_published`] before it is written: `No` (never published) gives
//!   another choice or a refusal that says so. `Unknown` (a repository or version outside the engine's
//!   tables) is written only for tags taken from the input itself (the user's own `node:14-alpine3.14`
//!   as its runtime) and for `nginxinc/nginx-unprivileged`, which publishes the official nginx image's
//!   version tags; `tests/images_published.rs` checks every emitted image against the data files.

use super::{Ctx, Split};
use crate::analyze::{BaseRelease, ReleaseBasis};
use crate::image::parse_ref;
use crate::knowledge::distroless::{self, Unmaintained};
use crate::knowledge::releases::{self, Release};
use crate::knowledge::runtimes::{self, RuntimeImage};
use crate::knowledge::tags::{self, Published};

/// `Debian 13 (trixie)`, `Ubuntu 24.04 (noble)`, `Alpine 3.20`.
pub fn describe(r: &Release) -> String {
    let distro = match r.distro {
        "debian" => "Debian",
        "ubuntu" => "Ubuntu",
        "alpine" => "Alpine",
        d => d,
    };
    match r.version {
        Some(v) if r.distro == "alpine" => format!("Alpine {v}"),
        Some(v) => format!("{distro} {v} ({})", r.name),
        None => distro.to_owned(),
    }
}

/// [`describe`] with the glibc: `Debian 12 (bookworm, glibc 2.36)`.
pub fn with_glibc(r: &Release) -> String {
    match (r.glibc, r.version) {
        (Some(g), Some(v)) if r.distro != "alpine" => format!("{} {v} ({}, glibc {g})", describe(r).split(' ').next().unwrap_or(""), r.name),
        _ => describe(r),
    }
}

/// What the builder's base is, for a change note: "`golang:1.22` (Debian 12 (bookworm))", with how it
/// is known when the tag does not name it.
pub fn builder_words(image: &str, base: &BaseRelease) -> String {
    match base.basis {
        ReleaseBasis::Named | ReleaseBasis::Resolved { .. } => format!("`{image}` is {}", with_glibc(&base.release)),
        ReleaseBasis::BeforeTables => format!(
            "`{image}` is no newer than {} (its tags were gone before {})",
            with_glibc(&base.release),
            releases::table_since()
        ),
    }
}

/// The tag that pins `tag` of `repository` to `release`, one the image published: the release's word
/// among the tag's words where the image puts it (`1.26` → `1.26-trixie`, `22-slim` →
/// `22-bookworm-slim`, `3.12-slim` → `3.12-slim-trixie`, `latest` → `trixie`); the debian image's
/// moving suite (`stable-slim`) becomes the release's name (`trixie-slim`). `None` when no such tag
/// was published.
pub fn pinned_tag(repository: &str, tag: &str, release: &str) -> Option<String> {
    let words: Vec<&str> = if tag.is_empty() || tag == "latest" { vec![] } else { tag.split('-').collect() };
    let mut candidates: Vec<String> = (0..=words.len())
        .rev()
        .map(|i| {
            let mut w = words.clone();
            w.insert(i, release);
            w.join("-")
        })
        .collect();
    if tags::repository_of(&parse_ref(repository, repository, false)) == "debian" && words.first() == Some(&"stable") {
        candidates.push(std::iter::once(release).chain(words[1..].iter().copied()).collect::<Vec<_>>().join("-"));
    }
    candidates.into_iter().find(|t| tags::tag_published(repository, t) == Published::Yes)
}

/// The builder's `FROM` image pinned to its release, as it is written (`golang:1.26-trixie`,
/// `golang:${GO_VERSION}-trixie`), and the change note's reason; `None` when the tag should not or
/// cannot be pinned (see the module's policy).
pub fn builder_pin(ctx: &Ctx) -> Option<(String, String)> {
    let f = ctx.target();
    let base = f.release?;
    let img = f.image.as_ref()?;
    // A tag still updated may move to a newer release; so may one an ARG names (`golang:${GO_VERSION}`:
    // `--build-arg` picks another version).
    let ReleaseBasis::Resolved { current, since } = base.basis else { return None };
    if !current && !img.raw.contains('$') {
        return None;
    }
    if base.release.distro != "debian" || img.digest.is_some() || img.unresolved {
        return None;
    }
    let repository = tags::repository_of(img);
    let tag = img.tag.clone().unwrap_or_default();
    let pinned = pinned_tag(&repository, &tag, base.release.name)?;
    let written = if img.raw.contains('$') {
        // `golang:${GO_VERSION}`: keep the ARG, so `--build-arg GO_VERSION=…` still works, and add the
        // release after it. Only a plain `name:${VAR}` reference whose pin appends the release can.
        let (name, raw_tag) = img.raw.rsplit_once(':')?;
        let appended = pinned == format!("{tag}-{}", base.release.name);
        if name.contains('$') || tag.is_empty() || !appended || !raw_tag.ends_with('}') && !raw_tag.starts_with('$') {
            return None;
        }
        format!("{name}:{raw_tag}-{}", base.release.name)
    } else {
        let name = img.repository.strip_prefix("library/").unwrap_or(&img.repository);
        let name = if img.registry == "docker.io" { name.to_owned() } else { format!("{}/{name}", img.registry) };
        format!("{name}:{pinned}")
    };
    let shown = crate::image::display(img);
    let why = format!(
        "`{shown}` resolves to {} today{}, and the runtime is chosen for that release; pinned, the builder stays on it when the image moves its default to a newer one.",
        describe(&base.release),
        since.map(|d| format!(" (since {d})")).unwrap_or_default()
    );
    Some((written, why))
}

impl Split<'_, '_> {
    /// The release the builder is built on ([`crate::analyze::StageFacts::release`]), pinning the
    /// builder's tag to it where the tag may move ([`builder_pin`]). `None` when the knowledge does not
    /// say.
    pub fn builder_release(&mut self) -> Option<BaseRelease> {
        if let Some(pin) = builder_pin(self.ctx) {
            self.builder_image = Some(pin);
        }
        self.ctx.target().release
    }
}

/// The distroless image of `family` (`distroless/cc`; of language `version` for the version-bound
/// families) for a program built on `builder` (`None`: a static program, or one that runs in the
/// image's own interpreter): the newest maintained on [`Ctx::on`] whose glibc is at least the builder's.
/// Err: why there is none, for a change note or a refusal.
pub fn distroless(ctx: &Ctx, family: &str, version: Option<&str>, builder: Option<&BaseRelease>) -> Result<&'static RuntimeImage, String> {
    let on = ctx.on;
    let name = family.trim_start_matches("distroless/");
    if let Some(d) = distroless::newest_maintained(family, version, builder.map(|b| &b.release), on) {
        return runtimes::image(d.image).ok_or_else(|| format!("{} is not in slimfile's runtime data (data/runtimes.json)", d.image));
    }
    let of_family: Vec<_> = distroless::images().into_iter().filter(|i| i.family == family && i.release.is_some()).collect();
    let language = match family {
        "distroless/nodejs" => "Node.js",
        "distroless/java" => "Java",
        "distroless/python3" => "Python",
        _ => "",
    };
    if let Some(v) = version {
        let same: Vec<_> = of_family.iter().filter(|i| i.version == Some(v)).collect();
        let support_family = match family {
            "distroless/nodejs" => "node",
            "distroless/python3" => "python",
            _ => "java",
        };
        let ended = crate::knowledge::support::support(support_family, v).filter(|s| s.ended(on));
        if same.is_empty() && ended.is_none() {
            return Err(format!("distroless has never listed a distroless/{name} image of {language} {v}"));
        }
        if let Some(ended) = ended {
            return Err(format!(
                "{language} {v} reached its end of life {}, and distroless maintains no distroless/{name} image of it",
                ended.eol.map_or("".to_owned(), |e| if e.len() == 7 { format!("at the end of {e}") } else { format!("on {e}") })
            ));
        }
        let why: Vec<String> = same.iter().filter_map(|i| i.unmaintained(on).map(|u| format!("{} {}", short(i.image), unmaintained_words(u)))).collect();
        if !why.is_empty() && why.len() == same.len() {
            return Err(format!("no maintained distroless/{name} image has {language} {v} on {on}: {}", why.join("; ")));
        }
    }
    match builder {
        Some(b) => Err(format!(
            "no maintained distroless/{name} image{} has a glibc at least that of the builder, {}: a program built there may need symbols an older glibc lacks",
            version.map(|v| format!(" of {language} {v}")).unwrap_or_default(),
            with_glibc(&b.release)
        )),
        None => Err(format!("no maintained distroless/{name} image is known on {on}")),
    }
}

/// `cc-debian13` of `gcr.io/distroless/cc-debian13`.
fn short(image: &str) -> &str {
    image.rsplit('/').next().unwrap_or(image)
}

fn unmaintained_words(u: Unmaintained) -> String {
    match u {
        Unmaintained::NoLongerListed { since } => format!("is no longer updated (the distroless README stopped listing it on {since})"),
        Unmaintained::PastEndOfLife { eol } => format!("is past its end of life ({eol}, distroless's SUPPORT_POLICY.md)"),
        Unmaintained::LanguageEnded(s) => {
            format!("ships {} {}, whose support ended on {}", s.family, s.version, s.eol.unwrap_or("?"))
        }
    }
}

/// The sentence a runtime's change note adds about its release: the builder's, or a newer one whose
/// glibc runs what the builder built.
pub fn release_words(builder: Option<&BaseRelease>, builder_image: &str, runtime: &RuntimeImage) -> String {
    let Some(rt) = distroless::image(runtime.image).and_then(|d| d.debian()) else { return String::new() };
    match builder {
        None => format!(" It is {}, the newest maintained release.", describe(&rt)),
        Some(b) if b.release.name == rt.name => format!(" It is {}, the builder's own release.", describe(&rt)),
        Some(b) => format!(
            " It is {}, the newest maintained release; {}, and a program built against a glibc runs on the same or a newer one.",
            with_glibc(&rt),
            builder_words(builder_image, b)
        ),
    }
}

/// The nginx line a static site is served with: the newest stable (long-term) line maintained on
/// [`Ctx::on`] whose `nginx:<line>-alpine` tag the official image published (`1.30`); `None` when the
/// knowledge has none.
pub fn nginx_line(ctx: &Ctx) -> Option<&'static str> {
    let versions = crate::knowledge::support::family("nginx")?.versions();
    versions
        .into_iter()
        .rev()
        .filter(|v| v.lts && v.maintained(ctx.on))
        .map(|v| v.version)
        .find(|v| tags::variant_exists("nginx", v, "alpine") == Published::Yes)
}

/// Err: why `image` (as a `FROM` line names it) cannot be written: the knowledge says the tag was never
/// published. A tag the knowledge does not cover (`Unknown`) passes: see the module's policy.
pub fn check_published(image: &str) -> Result<(), String> {
    if image == "scratch" || image.contains('$') {
        return Ok(());
    }
    let r = parse_ref(image, image, false);
    let repository = tags::repository_of(&r);
    let tag = r.tag.as_deref().unwrap_or("latest");
    match tags::tag_published(&repository, tag) {
        Published::No => Err(format!(
            "`{image}` was never published: the image knowledge (as of {}) has no tag `{tag}` of {repository}",
            releases::as_of()
        )),
        Published::Yes | Published::Unknown => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_use_tags_that_were_published() {
        assert_eq!(pinned_tag("golang", "1.26", "trixie").as_deref(), Some("1.26-trixie"));
        assert_eq!(pinned_tag("node", "22-slim", "bookworm").as_deref(), Some("22-bookworm-slim"));
        assert_eq!(pinned_tag("python", "3.12-slim", "trixie").as_deref(), Some("3.12-slim-trixie"));
        assert_eq!(pinned_tag("python", "slim", "trixie").as_deref(), Some("slim-trixie"));
        assert_eq!(pinned_tag("golang", "", "trixie").as_deref(), Some("trixie"));
        assert_eq!(pinned_tag("debian", "stable-slim", "trixie").as_deref(), Some("trixie-slim"));
        // Never a tag that did not exist.
        assert_eq!(pinned_tag("golang", "1.17", "bookworm"), None);
        assert_eq!(pinned_tag("node", "10-slim", "bookworm"), None);
        assert_eq!(pinned_tag("golang", "1.22", "trixie"), None);
    }

    #[test]
    fn published() {
        assert!(check_published("gcr.io/distroless/static-debian13:nonroot").is_ok());
        assert!(check_published("golang:1.17-bookworm").unwrap_err().contains("never published"));
        assert!(check_published("mcr.microsoft.com/dotnet/runtime:2.0").is_err());
        assert!(check_published("mcr.microsoft.com/dotnet/aspnet:8.0.100").is_err());
        assert!(check_published("nginxinc/nginx-unprivileged:1.30-alpine").is_ok()); // Unknown: not in the tables
        assert!(check_published("scratch").is_ok());
    }

    #[test]
    fn words() {
        let trixie = releases::release("trixie").unwrap();
        assert_eq!(describe(&trixie), "Debian 13 (trixie)");
        assert_eq!(with_glibc(&trixie), "Debian 13 (trixie, glibc 2.41)");
        assert_eq!(describe(&releases::release("noble").unwrap()), "Ubuntu 24.04 (noble)");
    }
}
