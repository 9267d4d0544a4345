//! What the strategies share besides the split: the families that are already minimal, the slim image of
//! a builder's line, the runtime packages a family lacks, the program a command runs, cache mounts.

use super::{Ctx, Runtime, Split};
use crate::analyze::{ArtKind, Distro, ReleaseBasis, StageFacts};
use crate::knowledge::{images_roles, packages};
use crate::report::{RuntimeFamily, StageBase};
use crate::syntax::Kind;


/// The families that are already minimal: an input ending on one is left unchanged.
pub fn minimal_family(f: &StageFacts) -> Option<RuntimeFamily> {
    match &f.distro {
        Distro::Scratch => return Some(RuntimeFamily::Scratch),
        Distro::Distroless => {}
        _ => return None,
    }
    let img = f.image.as_ref()?;
    let base = img.repository.rsplit('/').next().unwrap_or("");
    let fam = base.split('-').next().unwrap_or("");
    Some(match fam {
        "static" => RuntimeFamily::DistrolessStatic,
        "base" => RuntimeFamily::DistrolessBase,
        "cc" => RuntimeFamily::DistrolessCc,
        f if f.starts_with("python") => RuntimeFamily::DistrolessPython3,
        f if f.starts_with("java") => RuntimeFamily::DistrolessJava,
        f if f.starts_with("nodejs") => RuntimeFamily::DistrolessNodejs,
        _ => RuntimeFamily::DistrolessBase,
    })
}

/// The slim image of the builder's own line (`python:3.11-slim-bookworm`, `node:20-alpine`,
/// `debian:bookworm-slim`, `ubuntu:22.04`), from `data/images-roles.json`.
pub fn slim_image(f: &StageFacts, release_codename: Option<&str>) -> Option<String> {
    let img = f.image.as_ref()?;
    let role = images_roles::find(&img.registry, &img.repository)?;
    let tag = img.tag.clone().unwrap_or_else(|| "latest".to_owned());
    let version = f.version.clone();
    let template = match &f.distro {
        Distro::Alpine { .. } => role.slim_alpine.or_else(|| (img.repository == "library/alpine").then_some(role.slim).flatten())?,
        _ => role.slim?,
    };
    let codename = match &f.distro {
        Distro::Debian { codename: Some(c) } => Some(c.clone()),
        _ => release_codename.map(str::to_owned),
    };
    let mut s = template.replace("{tag}", &tag);
    if s.contains("{version}") {
        s = s.replace("{version}", version.as_deref()?);
    }
    if s.contains("{codename}") {
        match codename {
            Some(c) => s = s.replace("{codename}", &c),
            // No release known: drop the `-{codename}` part (the image's current default).
            None => s = s.replace("-{codename}", "").replace("{codename}-", "").replace("{codename}", "stable"),
        }
    }
    Some(s)
}

/// `a`, `a and b`, `a, b and c`; `a, b, … and N more` past the shown ones (`total` counts them all).
pub fn and_list(shown: &[String], total: usize) -> String {
    match (shown, total.saturating_sub(shown.len())) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        (many, 0) => format!("{} and {}", many[..many.len() - 1].join(", "), many[many.len() - 1]),
        (many, more) => format!("{} and {more} more", many.join(", ")),
    }
}

/// A program named in a command resolved to the path the runtime must hold it at.
pub fn program_path(program: &str, workdir: &str) -> Option<String> {
    if program.starts_with('/') {
        Some(crate::analyze::normalize(program))
    } else if program.contains('/') {
        Some(crate::analyze::normalize(&format!("{workdir}/{program}")))
    } else {
        None
    }
}

/// The stage is based on another stage (`FROM build`): the strategies do not rewrite those.
pub fn based_on_stage(ctx: &Ctx) -> bool {
    matches!(ctx.model.target().map(|s| &s.base), Some(StageBase::Stage { .. }))
}

/// Whether `family` already contains what `provided_by` (a family name from the package data) names.
pub fn family_provides(family: RuntimeFamily, provided_by: &str) -> bool {
    use RuntimeFamily as F;
    match provided_by {
        "distroless/static" => family != F::Slim,
        "distroless/base" => !matches!(family, F::Scratch | F::DistrolessStatic | F::Slim),
        "distroless/cc" => matches!(family, F::DistrolessCc | F::DistrolessNodejs | F::Slim | F::DotnetAspnet | F::DotnetRuntime),
        _ => false,
    }
}

/// Runtime packages the app needs that `family` lacks (libpq5, ffmpeg, curl for a HEALTHCHECK…). The
/// HEALTHCHECK's probe tool is no need when the user asked for a runtime without a shell: the check is
/// left out there (`split/health.rs`).
pub fn missing_packages(ctx: &Ctx, family: RuntimeFamily) -> Vec<String> {
    let f = ctx.target();
    let manager = f.installs.first().map_or("apt", |i| i.manager);
    let dropped_probe = super::split::health::drop_probe_asked(ctx).then(|| super::split::health::probe_tool(ctx)).flatten();
    ctx.analysis
        .needs
        .packages
        .iter()
        .filter(|name| Some(name.as_str()) != dropped_probe)
        .filter(|name| {
            let (_, entry) = packages::lookup(manager, name);
            !entry.and_then(|e| e.provided_by).is_some_and(|p| family_provides(family, p))
        })
        .cloned()
        .collect()
}

/// The Debian codename the builder is built on, for a slim runtime of the same release: the one its tag
/// names, else the one it resolves to (the builder pinned to it where the tag may move,
/// [`Split::builder_release`]). `None` when the knowledge does not say, or says only that the image is
/// older than its tables.
pub fn builder_codename(split: &mut Split) -> Option<String> {
    let f = split.ctx.target();
    if let Distro::Debian { codename: Some(c) } = &f.distro {
        return Some(c.clone());
    }
    let base = split.builder_release()?;
    (base.release.distro == "debian" && base.basis != ReleaseBasis::BeforeTables).then(|| base.release.name.to_owned())
}

/// What `family` lacks for the app: [`missing_packages`], and the library of each header package whose
/// runtime package slimfile does not know (`the library of libluajit-5.1-dev`). Those choose a runtime with
/// a package manager, where the library gate finds the package at build time.
pub fn lacks(ctx: &Ctx, family: RuntimeFamily) -> Vec<String> {
    let mut v = missing_packages(ctx, family);
    v.extend(ctx.analysis.unmapped_dev.iter().map(|d| format!("the library of {d}")));
    v
}

/// Why no runtime of the builder's distribution can be chosen, ending with `so …` (`consequence`): a
/// Debian suite that is not a release (`debian:sid-slim`, `debian:testing`) changes every day and has no
/// release slimfile's tables know; anything else is a distribution slimfile does not know.
pub fn no_builder_release(f: &StageFacts, consequence: &str) -> String {
    let image = f.image.as_ref().filter(|i| i.repository == "library/debian");
    let suite = image.and_then(|i| i.tag.as_deref()).and_then(|t| t.split('-').next()).filter(|s| matches!(*s, "sid" | "unstable" | "testing" | "experimental" | "rc"));
    match (image, suite) {
        (Some(i), Some(s)) => format!(
            "`{}` is Debian's {s} suite, which changes every day and is no release slimfile's tables know, so {consequence}",
            i.raw
        ),
        _ => format!("the builder's distribution is unknown, so {consequence}"),
    }
}

/// `debian:<codename>-slim`, the slim runtime for an app built on Debian.
pub fn debian_slim(codename: &str) -> String {
    format!("debian:{codename}-slim")
}

/// The runtime for a glibc-linked binary when distroless cannot hold what it needs: the builder's own
/// distribution, slim, with the runtime packages a slim image lacks ([`missing_packages`] for slim: more
/// than distroless lacks, e.g. ca-certificates). `None` when that distribution is unknown.
pub fn slim_for_binary(ctx: &Ctx, split: &mut Split, why: &str) -> Option<Runtime> {
    let f = ctx.target();
    let img = match &f.distro {
        Distro::Debian { .. } => debian_slim(&builder_codename(split)?),
        Distro::Ubuntu { tag } => format!("ubuntu:{}", tag.clone().unwrap_or_else(|| "latest".to_owned())),
        Distro::Alpine { tag } => {
            let t = tag.clone().unwrap_or_default();
            let ver = t.split('-').find_map(|p| p.strip_prefix("alpine")).filter(|v| !v.is_empty());
            if f.image.as_ref().is_some_and(|i| i.repository == "library/alpine") {
                format!("alpine:{}", if t.is_empty() { "3" } else { &t })
            } else {
                format!("alpine:{}", ver.unwrap_or("3"))
            }
        }
        _ => return None,
    };
    let mut r = Runtime::new(RuntimeFamily::Slim, img, why);
    r.packages = missing_packages(ctx, RuntimeFamily::Slim);
    // What the builder image had without an install (the golang image's CA certificates): the program may
    // read it, and the slim image lacks it.
    if matches!(f.distro, Distro::Debian { .. } | Distro::Ubuntu { .. }) {
        for p in f.role.map_or(&[][..], |role| role.ships) {
            if !r.packages.iter().any(|q| q == p) {
                r.packages.push((*p).to_owned());
            }
        }
    }
    Some(r)
}

/// The artifact a command's program names: (path in the builder, path to give it in the runtime).
/// A bare name (found through PATH) lands in /usr/local/bin unless it already sits on the default PATH.
pub fn resolve_program(f: &StageFacts, prog: &str) -> Option<(String, String)> {
    let wanted = program_path(prog, &f.workdir);
    let base = prog.rsplit('/').next().unwrap_or(prog);
    // Exact artifact files first, then folders that contain the path.
    for a in f.artifacts.iter().rev() {
        if a.kind == ArtKind::Folder {
            continue;
        }
        let hit = match &wanted {
            Some(p) => *p == a.path,
            None => a.path.rsplit('/').next() == Some(base),
        };
        if hit {
            let to = match &wanted {
                Some(p) => p.clone(),
                None if on_default_path(&a.path) => a.path.clone(),
                None => format!("/usr/local/bin/{base}"),
            };
            return Some((a.path.clone(), to));
        }
    }
    for a in f.artifacts.iter().rev().filter(|a| a.kind == ArtKind::Folder) {
        let dir = a.path.trim_end_matches('/');
        match &wanted {
            Some(p) if p.starts_with(&format!("{dir}/")) && !p[dir.len() + 1..].contains('/') => {
                return Some((p.clone(), p.clone()));
            }
            None => {
                let from = format!("{dir}/{base}");
                let to = if on_default_path(&from) { from.clone() } else { format!("/usr/local/bin/{base}") };
                return Some((from, to));
            }
            _ => {}
        }
    }
    None
}

pub fn on_default_path(p: &str) -> bool {
    ["/usr/local/bin/", "/usr/bin/", "/bin/", "/usr/local/sbin/", "/usr/sbin/"]
        .iter()
        .any(|d| p.starts_with(d) && !p[d.len()..].contains('/'))
}

/// Adds `--mount=type=cache,...` to the RUN instructions of the given build steps.
pub fn add_cache_mounts(ctx: &Ctx, split: &mut Split, insts: &[usize], mounts: &str, tool: &str) {
    let doc = ctx.doc;
    for &i in insts {
        let inst = &doc.instructions[i];
        if inst.kind != Kind::Run || inst.flags.iter().any(|f| f.name.eq_ignore_ascii_case("mount")) {
            continue;
        }
        let at = inst.span.start + 3;
        if split.edits.iter().any(|(r, _)| r.start == at) {
            continue;
        }
        split.edits.push((at..at, format!(" {mounts}")));
        // One change per edited RUN, each pointing at its line.
        split.changes.push(ctx.change(
            "cache-mount",
            format!("The {tool} caches are BuildKit cache mounts: rebuilds reuse them, and they never enter a layer."),
            Some(i),
        ));
    }
}
