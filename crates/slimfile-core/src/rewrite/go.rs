//! Go: build in the original stage, run the binary on distroless/static (static, `CGO_ENABLED=0`),
//! distroless/base (cgo on, glibc of the same Debian release), or the builder's own distribution when
//! the binary links musl or an Ubuntu glibc.

use super::shared::{add_cache_mounts, on_default_path, program_path, slim_for_binary, slim_image};
use super::split::{AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco, Step};
use super::images;
use crate::report::RuntimeFamily;

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let doc = ctx.doc;
    let mut split = Split::new(ctx);
    let argv = final_argv(doc, f).unwrap_or_default();
    let builds: Vec<&Step> =
        f.steps.iter().filter(|s| s.tool == "go" && matches!(s.cmd.arg(1), "build" | "install" | "get")).collect();
    let eco = Some(Eco::Go);
    let (from, to, step, command) = match the_binary(ctx, &mut split, &argv, &builds) {
        Ok(binary) => binary,
        Err(outcome) => return outcome,
    };

    // Static or not.
    let link = linkage(f, step);
    let target = ctx.options.target;
    let needs = &ctx.analysis.needs;
    let extra = super::shared::lacks(ctx, RuntimeFamily::DistrolessBase);
    if (!needs.shell.is_empty() || !extra.is_empty()) && !matches!(link, Link::Musl(_)) {
        let why = if needs.shell.is_empty() {
            format!("the app needs {} at run time, which distroless cannot install; the builder's distribution, slim, can.", extra.join(", "))
        } else {
            format!("{}; the builder's distribution, slim, keeps a shell without the Go toolchain.", needs.shell.join("; "))
        };
        if let Some(t) = target.filter(|t| *t != RuntimeFamily::Slim) {
            return refused(eco, [format!("{} — {} cannot provide that", why.trim_end_matches('.'), t.as_str())]);
        }
        let Some(runtime) = super::shared::slim_for_binary(ctx, &mut split, &why) else {
            return refused(eco, [super::shared::no_builder_release(f, "no slim runtime can be chosen")]);
        };
        split.copy(from, to);
        if let Some((replaced, with)) = command {
            split.command = Some(split.keep_kinds(&argv, replaced, with, &[]));
        }
        split.app_files = app_files(ctx, &mut split);
        return split.into_outcome(runtime, "go", eco);
    }
    let runtime = match go_runtime(ctx, &mut split, link, step) {
        Ok(runtime) => runtime,
        Err(outcome) => return outcome,
    };
    split.copy(from, to.clone());
    if let Some((replaced, with)) = command {
        split.command = Some(split.keep_kinds(&argv, replaced, with, &[]));
    }
    if ctx.options.cache_mounts {
        let gopath = builds.first().and_then(|s| s.var("GOPATH")).unwrap_or("/root/go").to_owned();
        let insts: Vec<usize> = f.steps.iter().filter(|s| s.tool == "go").map(|s| s.inst).collect();
        add_cache_mounts(
            ctx,
            &mut split,
            &insts,
            &format!("--mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target={gopath}/pkg/mod"),
            "Go build and module",
        );
    }
    split.app_files = app_files(ctx, &mut split);
    split.into_outcome(runtime, "go", eco)
}

/// The binary the container runs: (path in the builder, path in the runtime, the step that builds it, and
/// when the command changes: how many of its first words the binary replaces, and with what).
type Binary<'a> = (String, String, &'a Step, Option<(usize, Vec<String>)>);

/// The binary the container runs, or the outcome when slimfile cannot tell it.
fn the_binary<'a>(ctx: &'a Ctx, split: &mut Split, argv: &[String], builds: &[&'a Step]) -> Result<Binary<'a>, Outcome> {
    if argv.first().is_some_and(|p| p == "go") && argv.get(1).is_some_and(|a| a == "run") {
        go_run(ctx, split, argv, builds)
    } else if let Some(prog) = argv.first() {
        built_binary(ctx, split, prog, argv, builds).map(|(from, to, step)| (from, to, step, None))
    } else {
        Err(refused(Some(Eco::Go), ["the final stage has no CMD or ENTRYPOINT, so slimfile cannot tell which binary runs".to_owned()]))
    }
}

/// `CMD go run …`: the builder compiles the program once.
fn go_run<'a>(ctx: &'a Ctx, split: &mut Split, argv: &[String], builds: &[&'a Step]) -> Result<Binary<'a>, Outcome> {
    let f = ctx.target();
    // `CMD go run .` compiles at every start: build once in the builder instead.
    let rest: Vec<String> = argv[2..].to_vec();
    let pkg_pos = rest.iter().position(|a| !a.starts_with('-'));
    // `go run [flags] PKG`: those words become the binary; the program's arguments stay.
    let (pkg, replaced) = match pkg_pos {
        Some(p) => (rest[p].clone(), 2 + p + 1),
        None => (".".to_owned(), argv.len()),
    };
    let out = "/usr/local/bin/app".to_owned();
    split.append.push(format!("RUN go build -o {out} {pkg}"));
    split.changes.push(ctx.change(
        "go-run-to-build",
        format!(
            "`go run {pkg}` compiled the program at every start; the builder now compiles it once with \
             `go build -o {out} {pkg}` and the final image runs the binary, from the instruction `go run` was in \
             (ENTRYPOINT stays ENTRYPOINT, CMD stays CMD)."
        ),
        f.entrypoint.or(f.cmd),
    ));
    let step = builds.last().copied().or_else(|| f.steps.iter().rev().find(|s| s.tool == "go"));
    match step {
        Some(s) => Ok((out.clone(), out.clone(), s, Some((replaced, vec![out])))),
        // No go step at all: the runtime environment of `go run` is the stage's.
        None => Err(go_run_without_steps()),
    }
}

/// The artifact of a `go build` (or `go install`) that the command `prog` runs: (path in the builder, path
/// in the runtime, the step). A `go build` without `-o` gets one, named as the command names the program.
fn built_binary<'a>(ctx: &Ctx, split: &mut Split, prog: &str, argv: &[String], builds: &[&'a Step]) -> Result<(String, String, &'a Step), Outcome> {
    let f = ctx.target();
    let mut binary: Option<(String, String, &Step)> = None;
    let wd = &f.workdir;
    let wanted = program_path(prog, wd);
    let base = prog.rsplit('/').next().unwrap_or(prog).to_owned();
    for s in builds {
        for a in f.artifacts.iter().filter(|a| a.inst == s.inst) {
            let matches = match &wanted {
                Some(p) => *p == a.path,
                None => a.path.rsplit('/').next() == Some(base.as_str()),
            };
            if matches {
                let to = match &wanted {
                    Some(p) => p.clone(),
                    None if on_default_path(&a.path) => a.path.clone(),
                    None => format!("/usr/local/bin/{base}"),
                };
                binary = Some((a.path.clone(), to, s));
            }
        }
    }
    if binary.is_none() {
        // `go build` without -o, or `go install` of the module: the name is the one the command uses.
        if let Some(s) = builds.iter().rev().find(|s| s.cmd.arg(1) == "build" && s.cmd.option(&["-o"]).is_none()) {
            let out = match &wanted {
                Some(p) => p.clone(),
                None => format!("/usr/local/bin/{base}"),
            };
            if let Some(edit) = insert_after_go_build(ctx, s.inst, &format!(" -o {out}")) {
                split.edits.push(edit);
                split.changes.push(ctx.change(
                    "go-build-output",
                    format!(
                        "`go build` now writes `{out}` explicitly (`-o`): without it the binary's name comes from the \
                         module, which the Dockerfile does not show; `{prog}` is the name the command runs."
                    ),
                    Some(s.inst),
                ));
                binary = Some((out.clone(), out, s));
            }
        } else if let Some(s) = builds.iter().rev().find(|s| matches!(s.cmd.arg(1), "install" | "get")) {
            if wanted.is_none() {
                let gobin = s.var("GOBIN").map(str::to_owned).unwrap_or(format!("{}/bin", s.var("GOPATH").unwrap_or("/go")));
                binary = Some((format!("{gobin}/{base}"), format!("/usr/local/bin/{base}"), s));
            }
        }
    }
    binary.ok_or_else(|| {
        refused(
            Some(Eco::Go),
            [format!(
                "the command `{}` does not run a binary this Dockerfile builds ({}), so slimfile cannot tell what \
                 the final image must hold",
                argv.join(" "),
                if builds.is_empty() { "there is no `go build`".to_owned() } else { "its `go build` writes elsewhere".to_owned() }
            )],
        )
    })
}

/// The runtime for the binary, by how it links and the target the user asked for.
fn go_runtime(ctx: &Ctx, split: &mut Split, link: Link, step: &Step) -> Result<Runtime, Outcome> {
    let f = ctx.target();
    let eco = Some(Eco::Go);
let runtime = match (link, ctx.options.target) {
    (_, Some(t)) if !matches!(
        t,
        RuntimeFamily::Scratch | RuntimeFamily::DistrolessStatic | RuntimeFamily::DistrolessBase | RuntimeFamily::DistrolessCc | RuntimeFamily::Slim
    ) => {
        return Err(refused(eco, [format!("a Go binary does not run on {}: choose scratch, distroless/static, distroless/base, distroless/cc or slim", t.as_str())]));
    }
    (Link::Static(why), t) => {
        let family = t.unwrap_or(RuntimeFamily::DistrolessStatic);
        match family {
            RuntimeFamily::Scratch => {
                scratch_extras(ctx, split);
                Runtime::new(family, "scratch", format!("the binary is static ({why}); scratch holds nothing but it."))
            }
            RuntimeFamily::Slim => match slim_runtime(ctx, split, "the slim image of the builder's distribution was asked for.") {
                Some(r) => r,
                None => return Err(refused(eco, ["no slim image is known for this builder".to_owned()])),
            },
            fam => {
                let img = images::distroless(ctx, fam.as_str(), None, None).map_err(|e| refused(eco, [e]))?;
                Runtime::new(
                    fam,
                    img.image,
                    format!(
                        "the binary is static ({why}), so it needs no libc; distroless/static still has CA certificates, tzdata and a nonroot user.{}",
                        images::release_words(None, "", img)
                    ),
                )
            }
        }
    }
    (Link::Glibc(why), t) => {
        if t == Some(RuntimeFamily::Scratch) || t == Some(RuntimeFamily::DistrolessStatic) {
            return Err(refused(
                eco,
                [format!("the binary links glibc dynamically ({why}) and cannot run on {}; build with CGO_ENABLED=0 first", t.map_or("", |t| t.as_str()))],
            ));
        }
        match (&f.distro, t) {
            (Distro::Debian { .. }, None | Some(RuntimeFamily::DistrolessBase | RuntimeFamily::DistrolessCc)) => {
                let fam = t.unwrap_or(RuntimeFamily::DistrolessBase);
                let img = glibc_distroless(ctx, split, fam, eco)?;
                match ctx.project.and_then(|p| p.go.as_ref().and_then(|g| g.needs_cgo().map(|w| (p, g, w)))) {
                    Some((p, g, needs)) => {
                        p.cite(g.sources.cgo.first().filter(|_| g.cgo_modules().is_empty()).unwrap_or(&g.path));
                        split.changes.push(ctx.change(
                            "cgo",
                            format!("{needs}: the binary links glibc, so it runs on {}, not distroless/static.", fam.as_str()),
                            Some(step.inst),
                        ));
                    }
                    None => split.findings.push(ctx.ask(
                        "SF303",
                        format!("The Go build may link glibc ({why}). If the program needs no cgo, build with CGO_ENABLED=0 and it can run on distroless/static (smaller)."),
                        Some(step.inst),
                    )),
                }
                Runtime::new(fam, img.0, format!("the binary may link glibc dynamically ({why}); {} has a glibc that runs it.{}", fam.as_str(), img.1))
            }
            _ => match slim_runtime(
                ctx,
                split,
                &if t == Some(RuntimeFamily::Slim) {
                    format!("the slim image of the builder's distribution was asked for; it has the glibc the binary may link ({why}).")
                } else {
                    format!("the binary may link the builder's glibc ({why}), and distroless's Debian glibc is not the same library; the builder's own base image, without the toolchain, is.")
                },
            ) {
                Some(r) => r,
                None => return Err(refused(eco, [format!("the binary may link glibc dynamically ({why}) and no runtime image of the builder's distribution is known")])),
            },
        }
    }
    (Link::Musl(why), t) => {
        if t.is_some_and(|t| t != RuntimeFamily::Slim) {
            return Err(refused(eco, [format!("the binary links musl dynamically ({why}) and cannot run on a glibc image; build with CGO_ENABLED=0 first")]));
        }
        let img = alpine_runtime(f);
        Runtime::new(RuntimeFamily::Slim, img, format!("the binary links musl dynamically ({why}); it needs the same Alpine libraries, not distroless's glibc."))
    }
};

    Ok(runtime)
}

/// The distroless image of `family` for a program linked against the builder's glibc (Go with cgo, Rust,
/// C): the newest maintained whose glibc is at least the builder's ([`images::distroless`]), and the
/// change note's sentence on its release. Err: the refusal, when the builder's release is unknown or no
/// maintained image runs what it built.
pub fn glibc_distroless(ctx: &Ctx, split: &mut Split, family: RuntimeFamily, eco: Option<Eco>) -> Result<(&'static str, String), Outcome> {
    let shown = ctx.target().image.as_ref().map(crate::image::display).unwrap_or_default();
    let Some(base) = split.builder_release() else {
        return Err(refused(eco, [format!(
            "the image knowledge does not say which Debian release `{shown}` is built on, so no distroless image can be matched to the glibc the program links; name the release in the tag (`-trixie`, `-bookworm`)"
        )]));
    };
    let img = images::distroless(ctx, family.as_str(), None, Some(&base)).map_err(|e| refused(eco, [e]))?;
    Ok((img.image, images::release_words(Some(&base), &shown, img)))
}

fn go_run_without_steps() -> Outcome {
    refused(
        Some(Eco::Go),
        ["`go run` needs the Go toolchain, and the Dockerfile installs none slimfile can see".to_owned()],
    )
}

pub enum Link {
    Static(String),
    Glibc(String),
    Musl(String),
}

/// How a `go build` step links, from its environment and the stage's packages.
pub fn linkage(f: &crate::analyze::StageFacts, step: &Step) -> Link {
    let cgo = step.var("CGO_ENABLED");
    if cgo == Some("0") {
        return Link::Static("CGO_ENABLED=0".to_owned());
    }
    let text = step.cmd.argv.join(" ");
    if text.contains("-extldflags") && text.contains("-static") {
        return Link::Static("linked with -extldflags -static".to_owned());
    }
    let has_cc = f.packages.iter().any(|p| {
        matches!(p.name.as_str(), "gcc" | "build-base" | "build-essential" | "clang" | "musl-dev" | "g++")
            || (p.name == "golang-go" || p.name == "golang") && !f.installs.iter().any(|i| i.inst == p.inst && i.no_recommends)
    });
    match &f.distro {
        Distro::Alpine { .. } => {
            if has_cc && cgo != Some("0") {
                Link::Musl("cgo is on and gcc is installed on Alpine".to_owned())
            } else {
                Link::Static("golang on Alpine has no C compiler, so cgo is off".to_owned())
            }
        }
        _ => {
            let image_has_cc = f.image.as_ref().is_some_and(|i| i.repository == "library/golang");
            if has_cc || image_has_cc || cgo == Some("1") {
                Link::Glibc("cgo is on by default where gcc is installed".to_owned())
            } else {
                Link::Static("no C compiler is installed, so cgo is off".to_owned())
            }
        }
    }
}

fn alpine_runtime(f: &crate::analyze::StageFacts) -> String {
    let tag = f.image.as_ref().and_then(|i| i.tag.clone()).unwrap_or_default();
    let ver = tag.split('-').find_map(|p| p.strip_prefix("alpine")).filter(|v| !v.is_empty());
    if f.image.as_ref().is_some_and(|i| i.repository == "library/alpine") {
        return format!("alpine:{}", if tag.is_empty() { "3" } else { &tag });
    }
    format!("alpine:{}", ver.unwrap_or("3"))
}

/// scratch has no CA certificates, no tzdata, no /etc/passwd: copy the first two when the builder has them.
fn scratch_extras(ctx: &Ctx, split: &mut Split) {
    let f = ctx.target();
    // The golang images install ca-certificates (Debian and Alpine variants alike); rust's Debian images too.
    let has_certs = f.packages.iter().any(|p| p.name == "ca-certificates")
        || f.image.as_ref().is_some_and(|i| i.repository == "library/golang")
        || f.image.as_ref().is_some_and(|i| i.repository == "library/rust") && !matches!(f.distro, Distro::Alpine { .. });
    if has_certs {
        split.copy("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt");
    } else {
        split.findings.push(ctx.ask(
            "SF304",
            "scratch has no CA certificates: if the program makes TLS connections, install ca-certificates in the builder and copy /etc/ssl/certs/ca-certificates.crt, or use distroless/static.",
            None,
        ));
    }
}

/// Inserts text right after `go build` in a RUN instruction.
fn insert_after_go_build(ctx: &Ctx, inst: usize, text: &str) -> Option<(std::ops::Range<usize>, String)> {
    let doc = ctx.doc;
    let span = doc.instructions[inst].span.clone();
    let src = &doc.text[span.clone()];
    let at = src.find("go build")? + "go build".len();
    Some((span.start + at..span.start + at, text.to_owned()))
}

/// What a compiled app's runtime stage gets besides its program. When the build context is given and
/// every source file of it was read, the files the sources name are copied one by one and nothing else
/// ([`AppFiles::Named`]): the context proves what the program opens. Otherwise the builder gathers the
/// app's folders ([`AppFiles::Gather`]); the files the sources named are inside them, so their copies are
/// dropped again unless the carry_files option is off.
pub fn app_files(ctx: &Ctx, split: &mut Split) -> AppFiles {
    let (copies, changes) = (split.copies.len(), split.changes.len());
    if runtime_files(ctx, split) {
        return AppFiles::Named;
    }
    if ctx.options.carry_files {
        split.copies.truncate(copies);
        split.changes.truncate(changes);
    }
    AppFiles::Gather
}

/// The files the sources name that the build context has (`templates/`, `config.yaml`): the runtime stage
/// copies them from the builder to the same place, each with a note naming the source file. True when
/// every source file was read, so nothing else is named: the question about run-time files is answered.
fn runtime_files(ctx: &Ctx, split: &mut Split) -> bool {
    let Some(project) = ctx.project else { return false };
    let f = ctx.target();
    let scanned;
    let sources = match f.eco {
        Some(Eco::Go) => match &project.go {
            Some(g) => &g.sources,
            None => return false,
        },
        Some(Eco::Rust) if project.cargo.is_some() => {
            scanned = crate::context::sources::scan(project.context, &project.root, "rs");
            &scanned
        }
        _ => return false,
    };
    if sources.read == 0 {
        return false;
    }
    for (path, file) in &sources.embedded {
        if sources.embedded.iter().any(|(p, _)| p == path) && !split.changes.iter().any(|c| c.kind == "embedded-files" && c.why.starts_with(file.as_str())) {
            let paths: Vec<&str> = sources.embedded.iter().filter(|(_, f)| f == file).map(|(p, _)| p.as_str()).collect();
            split.changes.push(ctx.change(
                "embedded-files",
                format!("{} embeds {} into the binary at compile time: the runtime stage needs no copy of them.", project.cite(file), paths.join(", ")),
                None,
            ));
        }
    }
    let mut complete = sources.complete;
    for (rel, file) in &sources.named {
        let in_context = project.at_root(rel);
        if !project.root_copied || project.dockerignore.excludes(&in_context) {
            // The builder does not have it: a COPY --from would fail the build.
            complete = false;
            continue;
        }
        let abs = crate::analyze::join_path(&f.workdir, rel);
        split.copy(abs.clone(), abs.clone());
        split.changes.push(ctx.change(
            "runtime-files",
            format!(
                "{} names `{rel}`, which is in the build context: the program may open it at run time, so the runtime \
                 stage copies {abs} from the builder.",
                project.cite(file)
            ),
            None,
        ));
    }
    complete
}

/// The slim runtime of the builder's distribution ([`slim_for_binary`]: `debian:<release>-slim` for the
/// golang image, which has no slim variant of its own), else the slim image its role names.
fn slim_runtime(ctx: &Ctx, split: &mut Split, why: &str) -> Option<Runtime> {
    slim_for_binary(ctx, split, why).or_else(|| slim_image(ctx.target(), None).map(|img| Runtime::new(RuntimeFamily::Slim, img, why)))
}
