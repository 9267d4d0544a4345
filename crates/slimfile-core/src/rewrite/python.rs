//! Python: dependencies are installed (and compiled) in the builder; the runtime is the slim python image
//! of the same version and Debian release, with the installed packages and the app folder copied in.
//! distroless/python3 only when asked and when its Python version matches the builder's exactly.

use super::shared::{add_cache_mounts, missing_packages, slim_image};
use super::split::{AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
use crate::knowledge::runtimes;
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
    if argv.is_empty() {
        return refused(eco, ["the final stage has no CMD or ENTRYPOINT, so slimfile cannot tell how the app starts".to_owned()]);
    }
    if !ctx.analysis.unmapped_dev.is_empty() {
        return refused(eco, [format!(
            "native extensions are built against {}, and slimfile does not know which runtime package holds each library; a runtime without them would fail to load them",
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
    let version = f.version.as_ref().map(|v| v.split('.').take(2).collect::<Vec<_>>().join(".")).filter(|v| v.matches('.').count() == 1);
    let runtime = if target == Some(RuntimeFamily::DistrolessPython3) {
        match distroless(ctx, &mut split, &argv, version.as_deref()) {
            Ok(r) => r,
            Err(why) => return refused(eco, [why]),
        }
    } else {
        let extra = missing_packages(ctx, RuntimeFamily::Slim);
        let codename = match &f.distro {
            Distro::Debian { codename: Some(c) } => Some(c.clone()),
            Distro::Debian { codename: None } => split.pin_debian_release().and_then(runtimes::codename).map(str::to_owned),
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
    split.app_files = AppFiles::Whole;
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "pip" | "poetry" | "uv")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/uv", "pip and uv");
    }
    full_image_note(ctx, &mut split, &runtime);
    split.into_outcome(runtime, "python", eco)
}

fn distroless(ctx: &Ctx, split: &mut Split, argv: &[String], version: Option<&str>) -> Result<Runtime, String> {
    let f = ctx.target();
    let Some(v) = version else {
        return Err("distroless/python3 needs the exact Python version of the builder (X.Y in the tag) to match its own".to_owned());
    };
    let candidates: Vec<&runtimes::RuntimeImage> =
        runtimes::IMAGES.iter().filter(|i| i.family == "distroless/python3" && i.version == Some(v)).collect();
    let Some(img) = candidates.first() else {
        let have: Vec<String> = runtimes::IMAGES
            .iter()
            .filter(|i| i.family == "distroless/python3")
            .map(|i| format!("{} on {}", i.version.unwrap_or_default(), i.release))
            .collect();
        return Err(format!(
            "distroless/python3 ships Debian's Python ({}), not {v}: packages built for {v} would not load. Use a python:{} builder, or the slim runtime",
            have.join(", "),
            have.first().map_or("3.11", |h| h.split(' ').next().unwrap_or("3.11"))
        ));
    };
    let codename = runtimes::codename(img.release).unwrap_or("bookworm");
    match &f.distro {
        Distro::Debian { codename: Some(c) } if c != codename => {
            return Err(format!("the builder is Debian {c}, distroless/python3 for Python {v} is {}; their libraries differ", img.release));
        }
        Distro::Debian { .. } => {}
        _ => return Err("distroless/python3 needs a Debian builder (glibc and the same libraries)".to_owned()),
    }
    if matches!(f.distro, Distro::Debian { codename: None }) {
        split.pin_debian_release();
        if let Some((img_text, _)) = &split.builder_image {
            if !img_text.contains(codename) {
                split.builder_image = Some((img_text.replace(runtimes::DEFAULT_RELEASE.codename, codename), "distroless/python3 of this Python version is on that release.".to_owned()));
            }
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
        format!("distroless/python3 on {} ships Python {v}, the builder's version, so the packages built there load as they are.", img.release),
    ))
}

/// The full python/ruby/node images carry many -dev libraries (buildpack-deps): a package compiled from
/// source against one needs its runtime library in the slim image, which the Dockerfile cannot show.
pub fn full_image_note(ctx: &Ctx, split: &mut Split, runtime: &Runtime) {
    let f = ctx.target();
    let tag = f.image.as_ref().and_then(|i| i.tag.clone()).unwrap_or_default();
    if runtime.family == RuntimeFamily::Slim && f.role.is_some_and(|r| r.toolchain) && !tag.contains("slim") && !tag.contains("alpine") {
        split.findings.push(ctx.ask(
            "SF309",
            "The builder is the full image, which ships many libraries with their headers (libpq, libxml2, libjpeg…). A \
             package compiled from source against one of them needs its runtime library in the slim image: if the app \
             fails to import a module, add that library (libpq5, libxml2, …) to the runtime stage.",
            Some(ctx.model.target().expect("complete").from),
        ));
    }
}
