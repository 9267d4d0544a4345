//! What a stage's base image says: its distribution, the toolchain version in its tag, and what a
//! `FROM <stage>` inherits.

use super::facts::{BaseRelease, Distro, Eco, ReleaseBasis, StageFacts};
use crate::image;
use crate::knowledge::{images_roles, releases, support, tags};
use crate::model::Stage;
use crate::report::{ImageRef, StageBase};

/// The facts a stage starts with, before its instructions: its base image's, or everything the stage it
/// is built `FROM` had.
pub(super) fn base_facts(stage: &Stage, parent: Option<&StageFacts>) -> StageFacts {
    let image = match &stage.base {
        StageBase::Image { image } => Some(image.clone()),
        _ => None,
    };
    let role = image.as_ref().and_then(|i| images_roles::find(&i.registry, &i.repository));
    let mut f = StageFacts {
        index: stage.index,
        image: image.clone(),
        role,
        distro: match (&stage.base, &image) {
            (StageBase::Scratch, _) => Distro::Scratch,
            (_, Some(img)) => distro_of(img, role),
            _ => parent.map(|p| p.distro.clone()).unwrap_or(Distro::Unknown),
        },
        release: match &image {
            Some(img) => release_of(img, role),
            None => parent.and_then(|p| p.release),
        },
        version: None,
        eco: role.and_then(|r| r.ecosystem).and_then(Eco::parse),
        tools: vec![],
        packages: vec![],
        installs: vec![],
        steps: vec![],
        artifacts: vec![],
        env: vec![],
        args: vec![],
        // A relative COPY lands in the image's own WORKDIR (golang's /go).
        workdir: role.and_then(|r| r.workdir).unwrap_or("/").to_owned(),
        user: None,
        cmd: None,
        entrypoint: None,
        healthcheck: None,
        shell: None,
        expose: vec![],
        volumes: vec![],
        placed: vec![],
        computed_runtime_deps: false,
        source_added: None,
    };
    if let Some(p) = parent {
        // `FROM <stage>` inherits everything the stage had.
        f.eco = p.eco;
        f.version = p.version.clone();
        f.tools = p.tools.clone();
        f.packages = p.packages.clone();
        f.artifacts = p.artifacts.clone();
        f.env = p.env.clone();
        f.workdir = p.workdir.clone();
        f.user = p.user.clone();
        f.cmd = p.cmd;
        f.entrypoint = p.entrypoint;
        f.healthcheck = p.healthcheck;
        f.expose = p.expose.clone();
        f.volumes = p.volumes.clone();
        f.placed = p.placed.clone();
        f.source_added = p.source_added;
    }
    if let Some(img) = &image {
        let tag = img.tag.as_deref().unwrap_or("");
        f.version = match f.eco {
            Some(Eco::Java) => java_version(&img.repository, tag),
            _ => tag_version(tag),
        };
        // golang's own image sets GOPATH=/go; node's WORKDIR is /. Base image ENV we rely on:
        if img.repository == "library/golang" {
            f.env.push(("GOPATH".into(), "/go".into(), stage.from));
        }
    }
    f
}

/// The release an image is built on: the one its tag names, or the one the tag resolves to in the image
/// knowledge; for a Debian-based official image whose version was gone before the tag tables begin, the
/// newest Debian release out then.
fn release_of(img: &ImageRef, role: Option<&images_roles::BaseImage>) -> Option<BaseRelease> {
    if img.unresolved {
        return None;
    }
    let repo = tags::repository_of(img);
    let tag = img.tag.as_deref().unwrap_or("");
    if let Some(r) = tags::resolves_to(&repo, tag) {
        let basis = if r.named {
            ReleaseBasis::Named
        } else {
            ReleaseBasis::Resolved { current: tags::tag_current(&repo, tag) == Some(true), since: r.since }
        };
        return Some(BaseRelease { release: r.release, basis });
    }
    if role.map(|r| r.distro) == Some("debian") && tags::before_tables(&repo, tag) {
        let since = releases::table_since();
        let newest = support::family("debian")?
            .versions()
            .into_iter()
            .rev()
            .filter(|v| v.released.is_some_and(|d| d < since))
            .find_map(|v| releases::release(v.codename?))?;
        return Some(BaseRelease { release: newest, basis: ReleaseBasis::BeforeTables });
    }
    None
}

fn tag_version(tag: &str) -> Option<String> {
    let first = tag.split('-').next()?;
    if first.chars().next()?.is_ascii_digit() {
        Some(first.to_owned())
    } else {
        None
    }
}

/// The Java major version in a maven/gradle/temurin tag (`3.9-eclipse-temurin-17` → 17).
fn java_version(repo: &str, tag: &str) -> Option<String> {
    let parts: Vec<&str> = tag.split('-').collect();
    for (i, p) in parts.iter().enumerate() {
        if matches!(*p, "temurin" | "openjdk" | "jdk" | "corretto" | "amazoncorretto" | "sapmachine" | "zulu")
            || p.starts_with("jdk")
        {
            let candidate = p.strip_prefix("jdk").filter(|s| !s.is_empty()).or(parts.get(i + 1).copied());
            if let Some(v) = candidate.and_then(|c| c.split('.').next()) {
                if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() {
                    return Some(v.to_owned());
                }
            }
        }
    }
    if matches!(repo, "library/eclipse-temurin" | "library/openjdk" | "library/amazoncorretto" | "library/java") {
        // `17.0.9_9`, `8u302`: the major version is the leading number.
        return tag_version(tag)
            .map(|v| v.chars().take_while(char::is_ascii_digit).collect::<String>())
            .filter(|v| !v.is_empty());
    }
    None
}

fn distro_of(img: &ImageRef, role: Option<&images_roles::BaseImage>) -> Distro {
    let tag = img.tag.clone();
    let t = tag.as_deref().unwrap_or("");
    if img.registry == "gcr.io" && img.repository.starts_with("distroless/") {
        return Distro::Distroless;
    }
    if img.repository.starts_with("chainguard/") || img.registry == "cgr.dev" {
        return Distro::Other("wolfi".into());
    }
    if t.split('-').any(|p| p.starts_with("alpine")) || img.repository == "library/alpine" {
        return Distro::Alpine { tag };
    }
    if let Some(c) = images_roles::codename_in_tag(t) {
        return if c.distro == "ubuntu" {
            Distro::Ubuntu { tag }
        } else {
            Distro::Debian { codename: Some(c.codename.to_owned()) }
        };
    }
    match role.map(|r| r.distro) {
        Some("debian") => {
            if img.repository == "library/debian" {
                // debian:12, debian:12-slim, debian:stable…
                let codename = match t.split(['-', '.']).next().unwrap_or("") {
                    "12" => Some("bookworm".to_owned()),
                    "13" => Some("trixie".to_owned()),
                    "11" => Some("bullseye".to_owned()),
                    _ => None,
                };
                return Distro::Debian { codename };
            }
            Distro::Debian { codename: None }
        }
        Some("ubuntu") => Distro::Ubuntu { tag },
        Some("alpine") => Distro::Alpine { tag },
        Some(other) => Distro::Other(other.to_owned()),
        None => Distro::Unknown,
    }
}

/// Display name for an image (`golang:1.22`).
pub fn image_name(f: &StageFacts) -> Option<String> {
    f.image.as_ref().map(image::display)
}
