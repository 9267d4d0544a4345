//! C, C++ and other builds with make, cmake or a compiler: the program the command runs is copied to a
//! runtime with glibc and libstdc++ (distroless/cc of the builder's Debian release), or to a slim image
//! of the builder's distribution with the runtime libraries its headers stood for.

use super::shared::{lacks, no_builder_release, program_path, resolve_program, slim_for_binary};
use super::split::{Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco};
use crate::report::RuntimeFamily;

/// Programs that are interpreters: a final image running one needs its runtime, which this strategy
/// cannot supply.
const INTERPRETERS: &[&str] = &["python", "python3", "node", "java", "ruby", "php", "perl", "bash", "sh", "dotnet", "lua", "Rscript"];

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = f.eco.or(Some(Eco::C));
    // With nothing built, what the image installs and runs is the reason, whatever the program (or none).
    let builds = f.steps.iter().any(|s| matches!(s.tool, "make" | "cmake"));
    if !builds {
        return super::multistage::builds_nothing(ctx, f);
    }
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    let Some(prog) = argv.first() else {
        return refused(eco, ["the final stage has no CMD or ENTRYPOINT, so slimfile cannot tell which program must run".to_owned()]);
    };
    let base = prog.rsplit('/').next().unwrap_or(prog);
    if INTERPRETERS.iter().any(|i| base == *i || base.starts_with("python3.")) {
        return refused(eco, [format!("the final command runs `{base}`, and slimfile cannot tell which of the installed packages it needs")]);
    }
    let installs = f.steps.iter().any(|s| s.cmd.argv.iter().any(|a| a == "install" || a == "--install"));
    if installs {
        // `./configure --prefix=/usr`, `-DCMAKE_INSTALL_PREFIX=/usr`: the install lands among the system's own files.
        let stage = ctx.model.target().expect("complete document");
        for i in stage.body.clone().filter(|&i| ctx.doc.instructions[i].kind == crate::syntax::Kind::Run) {
            let text = ctx.doc.instructions[i].text(ctx.doc);
            for key in ["--prefix=", "--prefix ", "CMAKE_INSTALL_PREFIX=", "PREFIX="] {
                if let Some(at) = text.find(key) {
                    let prefix: String = text[at + key.len()..].chars().take_while(|c| !c.is_whitespace() && *c != '\\' && *c != '"' && *c != '\'').collect();
                    if prefix.trim_end_matches('/') != "/usr/local" {
                        return refused(eco, [format!(
                            "`make install` installs into {prefix} (`{}`), among the files of the base image, so slimfile cannot tell which files are the program's",
                            key.trim()
                        )]);
                    }
                }
            }
        }
    }
    // A program known only from `make install` may be a script (`install -m 755 bin/harness`).
    let mut from_install = false;
    let (from, to) = match resolve_program(f, prog) {
        Some(p) => p,
        None => match program_path(prog, &f.workdir) {
            Some(p) => (p.clone(), p),
            None if installs => {
                // The program is only known to come from `make install`; with an interpreter the image keeps
                // (lkp-tests: ruby), it may be a script that runs with it, which the runtime would lack.
                let mut kept: Vec<&str> = Vec::new();
                for p in f.packages.iter().filter(|p| p.removed.is_none()) {
                    let interpreter = INTERPRETERS.contains(&p.name.as_str()) || matches!(p.name.as_str(), "nodejs" | "python2");
                    if interpreter && !kept.contains(&p.name.as_str()) {
                        kept.push(&p.name);
                    }
                }
                if !kept.is_empty() {
                    return refused(eco, [format!(
                        "`{prog}` comes from `make install`, and the image keeps {} ({}): the program may be a script that runs with {}, so slimfile cannot tell which of the installed packages it needs",
                        kept.join(", "),
                        if kept.len() == 1 { "an interpreter" } else { "interpreters" },
                        if kept.len() == 1 { "it" } else { "one of them" }
                    )]);
                }
                from_install = true;
                (format!("/usr/local/bin/{base}"), format!("/usr/local/bin/{base}"))
            }
            None => return refused(eco, [format!("`{prog}` is found through PATH, and no `make install` shows where the build puts it")]),
        },
    };
    let program = from.clone();
    // Without a prefix option, `make install` installs where the Makefile says; a program it put among the
    // system's own files (/usr/bin) may come with data and libraries beside them (/usr/share/NAME,
    // /usr/lib), which slimfile cannot tell from the base image's files.
    let system = ["/usr/", "/bin/", "/sbin/", "/lib/"].iter().any(|d| from.starts_with(d)) && !from.starts_with("/usr/local/");
    if installs && system {
        return refused(eco, [format!(
            "`make install` installs the program as {from}, among the files of the base image, so slimfile cannot tell which other files the install wrote (data under /usr/share, libraries under /usr/lib) that the program needs"
        )]);
    }
    let mut split = Split::new(ctx);
    // /usr/local is empty in Debian, Ubuntu and Alpine images: after `make install` it holds exactly what was installed.
    let debianish = matches!(f.distro, Distro::Debian { .. } | Distro::Ubuntu { .. } | Distro::Alpine { .. });
    if from.starts_with("/usr/local/") && debianish && installs {
        // `make install` may also write libraries and data under /usr/local, which is empty in Debian images.
        split.copy("/usr/local", "/usr/local");
    } else {
        split.copy(from, to);
    }
    let extra = lacks(ctx, RuntimeFamily::DistrolessCc);
    let shell = &ctx.analysis.needs.shell;
    let target = ctx.options.target;
    if let Some(t) = target {
        if !matches!(t, RuntimeFamily::DistrolessCc | RuntimeFamily::DistrolessBase | RuntimeFamily::Slim) {
            return refused(eco, [format!("a program built with a C compiler links glibc (and often libstdc++) dynamically; {} cannot run it", t.as_str())]);
        }
    }
    let runtime = if extra.is_empty() && shell.is_empty() && matches!(f.distro, Distro::Debian { .. }) && target != Some(RuntimeFamily::Slim) {
        let fam = target.unwrap_or(RuntimeFamily::DistrolessCc);
        let (img, release) = match super::go::glibc_distroless(ctx, &mut split, fam, eco) {
            Ok(chosen) => chosen,
            Err(outcome) => return outcome,
        };
        let what = if fam == RuntimeFamily::DistrolessCc { "glibc and libstdc++; distroless/cc has both" } else { "glibc; distroless/base has it" };
        Runtime::new(fam, img, format!("the program links {what}.{release}"))
    } else {
        let why = if !shell.is_empty() {
            format!("{}; the builder's own distribution keeps a shell.", shell.join("; "))
        } else if matches!(f.distro, Distro::Alpine { .. }) {
            // distroless is glibc's: a program built on Alpine links musl, which only Alpine has.
            let libs = if extra.is_empty() { String::new() } else { format!(" and installs {}", extra.join(", ")) };
            format!("the program is built on Alpine and links musl, which distroless (built on glibc) lacks; the Alpine runtime has musl{libs}.")
        } else if !extra.is_empty() {
            format!("the program needs {} at run time, which distroless cannot install.", extra.join(", "))
        } else {
            "the program links the builder's own glibc, which only the builder's distribution is sure to have.".to_owned()
        };
        match slim_for_binary(ctx, &mut split, &why) {
            Some(r) => r,
            None => return refused(eco, [no_builder_release(f, "no runtime with the same libraries can be chosen")]),
        }
    };
    // On a runtime with no shell or interpreter, a program known only from `make install` must be compiled:
    // the builder checks it.
    let plain = program.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c));
    if from_install && !runtime.family.has_shell() && plain {
        let image = runtime.image.clone();
        split.append.push(format!(
            "# slimfile: `make install` put the program at {program}; {image} has no shell or interpreter, so the build stops unless it is a compiled program."
        ));
        split.append.push(format!(
            "RUN [ \"$(head -c 4 {program} | tail -c 3)\" = ELF ] || {{ echo 'slimfile: {program} is not a compiled program (a script?), and {image} has no shell or interpreter to run it: convert with --target slim, or keep the original' >&2; exit 1; }}"
        ));
        split.changes.push(ctx.change(
            "check-program",
            format!("The program comes from `make install`, which may install a script: the builder checks that {program} is a compiled (ELF) program, and the build stops with a message otherwise, since {image} has no shell or interpreter to run a script."),
            None,
        ));
    }
    split.app_files = super::go::app_files(ctx, &mut split);
    split.into_outcome(runtime, "native", eco)
}
