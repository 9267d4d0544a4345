//! Rust: `cargo build --release` in the original stage; the binary runs on distroless/cc (glibc of the
//! same Debian release), distroless/static (musl from rust:alpine), or a slim image when it links other
//! system libraries (libpq for diesel, …).

use super::shared::{add_cache_mounts, missing_packages, resolve_program, slim_for_binary};
use super::split::{AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
use crate::knowledge::runtimes;
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

    if !ctx.analysis.unmapped_dev.is_empty() {
        return refused(eco, [format!(
            "the program is built against {}, and slimfile does not know which runtime package holds each library; a final image without them would not start",
            ctx.analysis.unmapped_dev.join(", ")
        )]);
    }
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
    split.app_files = AppFiles::Gather;
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
    let name = match bin {
        Some(b) => {
            build.push_str(&format!(" --bin {b}"));
            split.append.push(build);
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
            split.findings.push(ctx.ask(
                "SF302",
                "The binary's name is in Cargo.toml, not in the Dockerfile: slimfile added `ARG BIN_NAME=app` to the \
                 builder. Set it to your binary's name (or build with --build-arg BIN_NAME=...); the build fails loudly \
                 if it is wrong.",
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
                let name = fam.as_str().trim_start_matches("distroless/");
                let img = runtimes::find(&format!("distroless/{name}"), "debian12", None).map(|r| r.image.to_owned()).unwrap_or_default();
                Runtime::new(fam, img, "rust:alpine builds for musl and links it statically, so the binary needs no libc.")
            }
            RuntimeFamily::Slim => match slim_for_binary(ctx, split, "the slim image of the builder's distribution was asked for.") {
                Some(r) => r,
                None => return Err(refused(eco, ["no slim image is known for this builder".to_owned()])),
            },
            t => return Err(refused(eco, [format!("a Rust binary does not run on {}", t.as_str())])),
        }
    } else {
        let extra = missing_packages(ctx, RuntimeFamily::DistrolessCc);
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
                format!("the binary links system libraries distroless does not have ({}); a slim image of the builder's release installs them.", extra.join(", "))
            };
            match slim_for_binary(ctx, split, &why) {
                Some(r) => r,
                None => return Err(refused(eco, ["the builder's distribution is unknown, so no runtime with the same libraries can be chosen".to_owned()])),
            }
        } else {
            let Some(release) = split.pin_debian_release() else {
                return Err(refused(eco, ["the builder's Debian release is unknown, so no distroless release can be matched to its glibc".to_owned()]));
            };
            let fam = target.unwrap_or(RuntimeFamily::DistrolessCc);
            let name = fam.as_str().trim_start_matches("distroless/");
            let img = runtimes::find(&format!("distroless/{name}"), release, None).map(|r| r.image.to_owned()).unwrap_or_default();
            Runtime::new(fam, img, "Rust binaries link glibc and libgcc_s; distroless/cc has both, from the builder's Debian release.")
        }
    };
    Ok(runtime)
}
