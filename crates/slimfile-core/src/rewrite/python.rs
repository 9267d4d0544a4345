//! Python: dependencies are installed (and compiled) in the builder; the runtime is the slim python image
//! of the same version and Debian release, with the installed packages and the app folder copied in.
//! distroless/python3 only when asked and when its Python version matches the builder's exactly.

use super::shared::{add_cache_mounts, missing_packages, slim_image};
use super::split::{AppFiles, Runtime, Split};
use super::{refused, root_app, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
use super::images;
use crate::report::RuntimeFamily;

/// Console scripts that are also runnable as `python -m <name>` (needed on distroless, whose ENTRYPOINT is
/// python). Source: each project's docs (`python -m gunicorn`, `python -m uvicorn`, `python -m flask`).
const MODULE_SCRIPTS: &[&str] = &["gunicorn", "uvicorn", "flask", "celery", "hypercorn", "daphne", "fastapi", "pytest", "streamlit"];

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Python);
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    if f.role.and_then(|r| r.ecosystem) != Some("python") {
        return refused(eco, [format!(
            "Python comes from the distribution's packages in `{}`, not an official python image, so slimfile does not know where the packages were installed or which runtime image has the same Python",
            f.image.as_ref().map_or("scratch".to_owned(), |i| i.resolved.clone())
        )]);
    }
    let folder = f.workdir.clone();
    // An app whose files live in / (no WORKDIR) and whose RUN lines only install dependencies: the runtime
    // stage repeats the stage's COPY lines (root_app). Otherwise the app's folders are carried (split/app.rs:
    // for / the builder gathers the entries that are not the system's).
    let root_copies = if f.workdir == "/" { root_app::context_copies(ctx).ok() } else { None };
    if argv.is_empty() {
        return refused(eco, ["the final stage has no CMD or ENTRYPOINT, so slimfile cannot tell how the app starts".to_owned()]);
    }
    if !ctx.analysis.unmapped_dev.is_empty() && ctx.options.target == Some(RuntimeFamily::DistrolessPython3) {
        return refused(eco, [format!(
            "native extensions are built against {}, and slimfile does not know which runtime package holds each library; distroless/python3 has no package manager to install it (the slim target discovers and installs it)",
            ctx.analysis.unmapped_dev.join(", ")
        )]);
    }
    let mut split = Split::new(ctx);
    let target = ctx.options.target;
    if let Some(t) = target {
        if !matches!(t, RuntimeFamily::Slim | RuntimeFamily::DistrolessPython3) {
            return refused(eco, [format!("a Python app does not run on {}: it needs a Python interpreter (slim or distroless/python3)", t.as_str())]);
        }
    }
    // `3.12.1` → `3.12`: site-packages is named after major.minor.
    // A bare major whose every minor has ended (`python:2-alpine`) no longer moves: it is the last minor, 2.7.
    let version = f.version.as_ref().and_then(|v| {
        let minor = v.split('.').take(2).collect::<Vec<_>>().join(".");
        if minor.matches('.').count() == 1 {
            return Some(minor);
        }
        crate::knowledge::support::support("python", v).filter(|s| s.ended(ctx.on) && s.version.starts_with(&format!("{v}."))).map(|s| s.version.to_owned())
    });
    let pure = if target.is_none() { pure_set(ctx) } else { None };
    let runtime = if target == Some(RuntimeFamily::DistrolessPython3) {
        match distroless(ctx, &mut split, &argv, version.as_deref()) {
            Ok(r) => r,
            Err(why) => return refused(eco, [why]),
        }
    } else if let Some(r) = pure.and_then(|note| {
        // Tried on a copy: a failure leaves the split as it was, for the slim runtime.
        let mut trial = Split::new(ctx);
        let r = distroless(ctx, &mut trial, &argv, version.as_deref()).ok()?;
        split.command = trial.command;
        split.builder_image = trial.builder_image;
        split.changes.extend(trial.changes);
        split.changes.push(note);
        Some(r)
    }) {
        r
    } else {
        let extra = missing_packages(ctx, RuntimeFamily::Slim);
        let codename = match &f.distro {
            Distro::Debian { .. } => super::shared::builder_codename(&mut split),
            _ => None,
        };
        let Some(img) = slim_image(f, codename.as_deref()) else {
            return refused(eco, [format!(
                "no slim Python image is known for the builder `{}`; slimfile needs an official python image (python:<version>) to match the interpreter exactly",
                f.image.as_ref().map_or("scratch".to_owned(), |i| i.resolved.clone())
            )]);
        };
        let same = if matches!(f.distro, Distro::Alpine { .. }) { "Alpine image" } else { "Debian release" };
        let mut r = Runtime::new(
            RuntimeFamily::Slim,
            img,
            format!(
                "the slim image of the same Python version and {same} runs the packages built in the builder; \
                 compilers and headers stay behind. (distroless/python3 is available as an option when its Python version matches.)"
            ),
        );
        r.packages = extra;
        r
    };
    // The installed packages: site-packages and console scripts of the official image's /usr/local.
    const SITE_STAGING: &str = "/tmp/slimfile-python";
    match (&runtime.family, version.as_deref()) {
        (RuntimeFamily::DistrolessPython3, Some(v)) => {
            let sp = format!("/usr/local/lib/python{v}/site-packages");
            split.copy(sp.clone(), sp.clone());
            split.runtime_env.push(format!("ENV PYTHONPATH={sp}"));
        }
        (_, Some(v)) => {
            split.copy(format!("/usr/local/lib/python{v}/site-packages"), format!("/usr/local/lib/python{v}/site-packages"));
            split.copy("/usr/local/bin", "/usr/local/bin");
        }
        (_, None) if runtime.image == split.builder_image_name() => {
            // The same moving tag (`python:3-alpine`) on both sides: one interpreter, whichever version the
            // tag holds at build time. The builder asks it where site-packages is and stages that folder at
            // its own path, so only the installed packages are copied, not the interpreter again.
            split.append.push(format!(
                "RUN sp=\"$(python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')\" && mkdir -p \"{SITE_STAGING}${{sp%/*}}\" && cp -a \"$sp\" \"{SITE_STAGING}$sp\""
            ));
            split.copy(format!("{SITE_STAGING}/"), "/");
            split.copy("/usr/local/bin", "/usr/local/bin");
            split.changes.push(ctx.change(
                "stage-site-packages",
                format!(
                    "`{}` names no exact Python version (X.Y), so the builder asks its interpreter where site-packages is and stages that folder under {SITE_STAGING}, at its own path: the runtime stage, the same image, copies the installed packages and console scripts, not the interpreter again.",
                    runtime.image
                ),
                Some(ctx.model.target().expect("complete").from),
            ));
        }
        (_, None) => {
            split.copy("/usr/local", "/usr/local");
            split.findings.push(ctx.ask(
                "SF308",
                "The Python version in the base tag is not exact (X.Y), so slimfile copies all of /usr/local, which repeats the \
                 interpreter's files (about 50 MB). Pin the tag (python:3.12) to copy only site-packages.",
                Some(ctx.model.target().expect("complete").from),
            ));
        }
    }
    for a in f.artifacts.iter().filter(|a| matches!(a.kind, crate::analyze::ArtKind::Venv | crate::analyze::ArtKind::Folder)) {
        if folder == "/" || !crate::analyze::under(&a.path, &folder) {
            split.copy(a.path.clone(), a.path.clone());
        }
    }
    match root_copies {
        Some(copies) => {
            root_app::repeat(ctx, &mut split, &copies);
            split.app_files = AppFiles::Named;
        }
        None => split.app_files = AppFiles::Whole,
    }
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "pip" | "poetry" | "uv")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv", "pip and uv");
    }
    full_image_note(ctx, &mut split, &runtime);
    split.into_outcome(runtime, "python", eco)
}

/// A lockfile that lists only packages without native code, on an app that needs nothing distroless
/// lacks: distroless/python3 runs it when its Python is the builder's. The change note that says so.
fn pure_set(ctx: &Ctx) -> Option<crate::report::Change> {
    let p = ctx.project?;
    let c = crate::context::needs::classify(p, Eco::Python)?;
    let needs = &ctx.analysis.needs;
    let ok = c.complete && !c.pure.is_empty() && c.bundled.is_empty() && c.links.is_empty() && c.unknown.is_empty()
        && needs.shell.is_empty() && missing_packages(ctx, RuntimeFamily::DistrolessPython3).is_empty();
    ok.then(|| {
        ctx.change(
            "pure-python",
            format!(
                "{} lists only pure-Python packages ({}): no compiled extension needs a library of the builder, so \
                 distroless/python3, whose Python is the builder's version, runs them.",
                p.cite(&c.file),
                c.pure.join(", ")
            ),
            None,
        )
    })
}

fn distroless(ctx: &Ctx, split: &mut Split, argv: &[String], version: Option<&str>) -> Result<Runtime, String> {
    let f = ctx.target();
    let Some(v) = version else {
        return Err("distroless/python3 needs the exact Python version of the builder (X.Y in the tag) to match its own".to_owned());
    };
    if !matches!(f.distro, Distro::Debian { .. }) {
        return Err("distroless/python3 needs a Debian builder (glibc and the same libraries)".to_owned());
    }
    let base = split.builder_release();
    let img = images::distroless(ctx, "distroless/python3", Some(v), base.as_ref()).map_err(|why| {
        let have: Vec<(&str, &str)> = crate::knowledge::distroless::images()
            .into_iter()
            .filter(|i| i.family == "distroless/python3" && i.maintained(ctx.on))
            .filter_map(|i| Some((i.version?, i.image.rsplit('/').next()?)))
            .collect();
        match have.first() {
            Some((newest, _)) if !have.iter().any(|(h, _)| h == &v) => format!(
                "distroless/python3 ships Debian's own Python ({}), not {v}: packages installed for {v} would not load. Use a python:{newest} builder, or the slim runtime",
                have.iter().map(|(h, i)| format!("{h} in {i}")).collect::<Vec<_>>().join(", ")
            ),
            _ => format!("{why}; the slim runtime runs it"),
        }
    })?;
    let release = crate::knowledge::distroless::image(img.image).and_then(|d| d.debian());
    match (base, release) {
        (Some(b), Some(r)) if b.release.name == r.name => {}
        (b, r) => {
            return Err(format!(
                "the builder is {} and distroless/python3 with Python {v} is {}: extension modules and the libraries they link differ between releases, and slimfile does not move the builder to another release",
                b.map_or("on a Debian release the image knowledge does not tell".to_owned(), |b| images::describe(&b.release)),
                r.map_or("another release".to_owned(), |r| images::describe(&r))
            ));
        }
    }
    // The command: distroless's ENTRYPOINT is python.
    let prog = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    let python: Vec<String> = img.entrypoint.iter().map(|w| (*w).to_owned()).collect();
    let with: Vec<String> = if prog.starts_with("python") {
        python.clone()
    } else if MODULE_SCRIPTS.contains(&prog) {
        [python.clone(), vec!["-m".to_owned(), prog.to_owned()]].concat()
    } else {
        return Err(format!("the command runs `{prog}`, which distroless/python3 cannot start (its ENTRYPOINT is python and it has no shell)"));
    };
    let command = split.keep_kinds(argv, 1, with, &python);
    split.changes.push(ctx.change(
        "interpreter-entrypoint",
        super::split::interpreter_note("distroless/python3", img.entrypoint, &command, f.entrypoint.is_some()),
        f.entrypoint.or(f.cmd),
    ));
    split.command = Some(command);
    Ok(Runtime::new(
        RuntimeFamily::DistrolessPython3,
        img.image,
        format!("distroless/python3 ({}) ships Python {v}, the builder's version, on the builder's release, so the packages built there load as they are.", img.release),
    ))
}

/// The full python/ruby/node images carry many -dev libraries (buildpack-deps). The library gate finds
/// at build time what the copied files link; the project's lockfile can also say it beforehand: when it
/// lists every package and the data knows each, a change note names them (the libraries of those that
/// link one are installed, `context::needs`).
pub fn full_image_note(ctx: &Ctx, split: &mut Split, runtime: &Runtime) {
    let f = ctx.target();
    let tag = f.image.as_ref().and_then(|i| i.tag.clone()).unwrap_or_default();
    if runtime.family != RuntimeFamily::Slim || !f.role.is_some_and(|r| r.toolchain) || tag.contains("slim") || tag.contains("alpine") {
        return;
    }
    let Some((p, c)) = ctx.project.zip(f.eco).and_then(|(p, eco)| crate::context::needs::classify(p, eco).map(|c| (p, c))) else { return };
    if !(c.complete && c.unknown.is_empty()) {
        return;
    }
    let file = p.cite(&c.file);
    let mut parts = vec![format!("{} without native code", c.pure.len())];
    if !c.bundled.is_empty() {
        parts.push(format!("{} with native code that brings its own libraries", c.bundled.join(", ")));
    }
    if !c.links.is_empty() {
        parts.push(format!("{} compiled against the full image's libraries, whose runtime libraries the runtime stage installs", c.links.join(", ")));
    }
    split.changes.push(ctx.change(
        "full-image-libraries",
        format!("{file} lists every package the app installs, and slimfile knows each: {}. The slim image runs them.", parts.join("; ")),
        Some(ctx.model.target().expect("complete").from),
    ));
}
