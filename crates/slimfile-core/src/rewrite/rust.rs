//! Rust: `cargo build --release` in the original stage; the binary runs on distroless/cc (glibc of the
//! same Debian release), distroless/static (musl from rust:alpine), or a slim image when it links other
//! system libraries (libpq for diesel, …).

use super::shared::{add_cache_mounts, lacks, no_builder_release, resolve_program, slim_for_binary};
use super::split::{Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
use super::images;
use crate::report::RuntimeFamily;

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Rust);
    let mut split = Split::new(ctx);
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    let builds: Vec<usize> = f.steps.iter().filter(|s| s.tool == "cargo").map(|s| s.inst).collect();

    let (from, to, command) = if argv.first().is_some_and(|p| p == "cargo") && argv.get(1).is_some_and(|a| a == "run") {
        cargo_run(ctx, &mut split, &argv)
    } else if let Some(prog) = argv.first() {
        match resolve_program(f, prog) {
            Some((from, to)) => (from, to, None),
            None => {
                return refused(
                    eco,
                    [format!(
                        "the command `{}` does not run a binary this Dockerfile builds with cargo, so slimfile cannot tell \
                         what the final image must hold",
                        argv.join(" ")
                    )],
                );
            }
        }
    } else {
        return refused(eco, ["the final stage has no CMD or ENTRYPOINT, so slimfile cannot tell which binary runs".to_owned()]);
    };

    let runtime = match rust_runtime(ctx, &mut split) {
        Ok(runtime) => runtime,
        Err(outcome) => return outcome,
    };
    split.copy(from, to);
    if let Some((replaced, with)) = command {
        split.command = Some(split.keep_kinds(&argv, replaced, with, &[]));
    }
    if ctx.options.cache_mounts {
        // Only the registry: a cache mount on target/ would keep the binary out of the layer we copy from.
        let home = if f.image.as_ref().is_some_and(|i| i.repository == "library/rust") { "/usr/local/cargo" } else { "/root/.cargo" };
        add_cache_mounts(ctx, &mut split, &builds, &format!("--mount=type=cache,target={home}/registry"), "cargo registry");
    }
    split.app_files = super::go::app_files(ctx, &mut split);
    split.into_outcome(runtime, "rust", eco)
}

/// `cargo run` builds at every start and needs the toolchain: build once in the builder. The binary's name
/// is in Cargo.toml, not here: ask for it with a marked ARG. (path in the builder, in the runtime, and how
/// many first words of the command the binary replaces, with it)
fn cargo_run(ctx: &Ctx, split: &mut Split, argv: &[String]) -> (String, String, Option<(usize, Vec<String>)>) {
    let f = ctx.target();
    let release = argv.iter().any(|a| a == "--release" || a == "-r");
    let bin = argv.iter().position(|a| a == "--bin").and_then(|p| argv.get(p + 1)).cloned();
    // `cargo run [options] [-- ARGS]`: everything up to `--` becomes the binary; ARGS stay.
    let replaced = argv.iter().position(|a| a == "--").map_or(argv.len(), |p| p + 1);
    let profile = if release { "release" } else { "debug" };
    let built = f.steps.iter().any(|s| {
        s.tool == "cargo" && s.cmd.arg(1) == "build" && s.cmd.has_flag(&["--release", "-r"]) == release && bin.is_none()
    });
    let mut build = "RUN cargo build".to_owned();
    if release {
        build.push_str(" --release");
    }
    // Without `--bin`, Cargo.toml names the binary `cargo run` runs.
    let package = argv.iter().position(|a| a == "-p" || a == "--package").and_then(|p| argv.get(p + 1)).map(String::as_str);
    let from_manifest = match (&bin, ctx.project.and_then(|p| p.cargo.as_ref())) {
        (None, Some(cargo)) => Some(cargo.run_binary(package)),
        _ => None,
    };
    let bin = match (bin, &from_manifest) {
        (None, Some(Ok(b))) => {
            let file = ctx.project.map(|p| p.cite(&b.manifest)).unwrap_or_default();
            split.changes.push(ctx.change(
                "binary-name",
                format!("{file} names the binary `cargo run` runs: {}, so the builder copies target/{profile}/{}.", b.how, b.name),
                f.cmd.or(f.entrypoint),
            ));
            Some(b.name.clone())
        }
        (b, _) => b,
    };
    let named_by_manifest = matches!(from_manifest, Some(Ok(_)));
    let name = match bin {
        Some(b) => {
            // The Dockerfile's own `cargo build` already built the binary Cargo.toml names.
            if !(named_by_manifest && built_without_bin(f, release)) {
                build.push_str(&format!(" --bin {b}"));
                split.append.push(build);
            }
            split.append.push(format!("RUN cp target/{profile}/{b} /usr/local/bin/{b}"));
            b
        }
        None => {
            if !built {
                split.append.push(build);
            }
            split.append.push("# slimfile: BIN_NAME must be your binary's name (the [[bin]] or [package] name in Cargo.toml).".to_owned());
            split.append.push("ARG BIN_NAME=app".to_owned());
            split.append.push(format!("RUN cp \"target/{profile}/${{BIN_NAME}}\" /usr/local/bin/app"));
            let why = match &from_manifest {
                Some(Err(e)) => {
                    if let Some(p) = ctx.project.and_then(|p| p.cargo.as_ref().map(|c| (p, c))) {
                        p.0.cite(&p.1.root.path);
                    }
                    format!("The binary's name is not certain: {e}. slimfile added")
                }
                _ => "The binary's name is in Cargo.toml, not in the Dockerfile: slimfile added".to_owned(),
            };
            split.findings.push(ctx.ask(
                "SF302",
                format!(
                    "{why} `ARG BIN_NAME=app` to the builder. Set it to your binary's name (or build with --build-arg \
                     BIN_NAME=...); the build fails loudly if it is wrong."
                ),
                f.cmd.or(f.entrypoint),
            ));
            "app".to_owned()
        }
    };
    split.changes.push(ctx.change(
        "cargo-run-to-build",
        "`cargo run` compiled the program at every start and needed the whole toolchain; the builder now compiles it once, and the final image runs the binary from the instruction `cargo run` was in (ENTRYPOINT stays ENTRYPOINT, CMD stays CMD).",
        f.entrypoint.or(f.cmd),
    ));
    let path = format!("/usr/local/bin/{name}");
    (path.clone(), path.clone(), Some((replaced, vec![path])))
}

/// Whether a `cargo build` of the stage (of the same profile) builds every binary (no `--bin`, `-p`).
fn built_without_bin(f: &crate::analyze::StageFacts, release: bool) -> bool {
    f.steps.iter().any(|s| {
        s.tool == "cargo" && s.cmd.arg(1) == "build" && s.cmd.has_flag(&["--release", "-r"]) == release && s.cmd.option(&["--bin", "-p", "--package"]).is_none()
    })
}

/// The runtime for the binary: musl from rust:alpine runs on distroless/static; glibc needs distroless/cc
/// of the builder's Debian release, or the builder's distribution, slim, when it links more.
fn rust_runtime(ctx: &Ctx, split: &mut Split) -> Result<Runtime, Outcome> {
    let f = ctx.target();
    let eco = Some(Eco::Rust);
    let target = ctx.options.target;
    let runtime = if matches!(f.distro, Distro::Alpine { .. }) {
        let fam = target.unwrap_or(RuntimeFamily::DistrolessStatic);
        match fam {
            RuntimeFamily::Scratch => Runtime::new(fam, "scratch", "rust:alpine links musl statically, so the binary needs nothing else."),
            RuntimeFamily::DistrolessStatic | RuntimeFamily::DistrolessBase | RuntimeFamily::DistrolessCc => {
                let img = images::distroless(ctx, fam.as_str(), None, None).map_err(|e| refused(eco, [e]))?;
                Runtime::new(
                    fam,
                    img.image,
                    format!("rust:alpine builds for musl and links it statically, so the binary needs no libc.{}", images::release_words(None, "", img)),
                )
            }
            RuntimeFamily::Slim => match slim_for_binary(ctx, split, "the slim image of the builder's distribution was asked for.") {
                Some(r) => r,
                None => return Err(refused(eco, ["no slim image is known for this builder".to_owned()])),
            },
            t => return Err(refused(eco, [format!("a Rust binary does not run on {}", t.as_str())])),
        }
    } else {
        let extra = lacks(ctx, RuntimeFamily::DistrolessCc);
        let shell = ctx.analysis.needs.shell.clone();
        match target {
            Some(t @ (RuntimeFamily::Scratch | RuntimeFamily::DistrolessStatic)) => {
                return Err(refused(eco, [format!("the binary links glibc dynamically (the rust image targets x86_64-unknown-linux-gnu) and cannot run on {}", t.as_str())]));
            }
            Some(t) if !matches!(t, RuntimeFamily::DistrolessCc | RuntimeFamily::DistrolessBase | RuntimeFamily::Slim) => {
                return Err(refused(eco, [format!("a Rust binary does not run on {}", t.as_str())]));
            }
            _ => {}
        }
        if !extra.is_empty() || !shell.is_empty() || target == Some(RuntimeFamily::Slim) || !matches!(f.distro, Distro::Debian { .. }) {
            let why = if !shell.is_empty() {
                format!("{}; the builder's distribution, slim, keeps a shell.", shell.join("; "))
            } else if extra.is_empty() {
                "the binary links the builder's glibc, and only the builder's own distribution is sure to have the same one.".to_owned()
            } else {
                format!("the binary links system libraries distroless does not have ({}); a slim image of the builder's release installs their packages.", extra.join(", "))
            };
            match slim_for_binary(ctx, split, &why) {
                Some(r) => r,
                None => return Err(refused(eco, [no_builder_release(f, "no runtime with the same libraries can be chosen")])),
            }
        } else {
            let fam = target.unwrap_or(RuntimeFamily::DistrolessCc);
            let (img, release) = super::go::glibc_distroless(ctx, split, fam, eco)?;
            Runtime::new(fam, img, format!("Rust binaries link glibc and libgcc_s; {} has both.{release}", fam.as_str()))
        }
    };
    Ok(runtime)
}
