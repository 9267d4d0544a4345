//! A final stage that builds nothing: it copies what earlier stages (or other images) built. When it
//! starts from a heavy image (a toolchain, a full distribution, a JRE with a shell) and what it copies
//! tells which runtime suffices, the FROM line is swapped; everything else stays as written.
//! A single stage that builds nothing is left unchanged, or refused when it installs packages it runs.

use std::ops::Range;

use super::shared::minimal_family;
use super::split::health::{self, Health};
use super::split::{check_why, exact_exec, gate, json_array, rewrite_in_place, Against, Shape};
use super::{refused, Ctx, Outcome, Plan};
use crate::analyze::{final_argv, normalize, ArtKind, BaseRelease, Distro, Eco, PkgUse, StageFacts};
use crate::knowledge::debian;
use crate::knowledge::packages::{self, build_use, BuildUse, Role};
use crate::units::mb;
use crate::model::Stage;
use crate::report::{Change, RuntimeFamily, StageBase};
use crate::shell::expand;
use crate::syntax::{Args, Command, Kind};

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let doc = ctx.doc;
    let stage = ctx.model.target().expect("complete document");
    if let StageBase::Stage { index } = stage.base {
        return continues_stage(ctx, index);
    }
    let (from_stages, external, has_run) = copied(ctx, f, stage);
    if from_stages.is_empty() && external.is_empty() {
        return builds_nothing(ctx, f);
    }
    if has_run {
        return or_sibling(ctx, Outcome::Unchanged {
            reasons: vec!["the final stage runs commands (RUN) while it is built, so its base keeps the shell and package manager they need".to_owned()],
            runtime: None,
        });
    }
    if minimal_family(f).is_some() {
        return Outcome::Unchanged { reasons: vec!["the final stage already starts from a minimal image".to_owned()], runtime: minimal_family(f) };
    }
    let argv = final_argv(doc, f).unwrap_or_default();
    let (family, image, why) = match choose(ctx, f, &from_stages, &external, &argv) {
        Ok(chosen) => chosen,
        Err(reason) => {
            let reason = reason.unwrap_or_else(|| {
                format!(
                    "the final stage starts from {} and copies files slimfile cannot classify; it cannot tell which smaller runtime would run them",
                    f.image.as_ref().map_or("its base".to_owned(), |i| i.resolved.clone())
                )
            });
            return or_sibling(ctx, Outcome::Unchanged { reasons: vec![reason], runtime: None });
        }
    };
    // A runtime the user asked for is kept: with `slim`, converting slimfile's own eclipse-temurin output
    // again swapped it for distroless/java.
    if let Some(t) = ctx.options.target.filter(|t| *t != family) {
        return Outcome::Unchanged {
            reasons: vec![format!(
                "you asked for {}; what the final stage copies would move it to {}, so its base `{}` stays",
                t.as_str(),
                family.as_str(),
                f.image.as_ref().map_or("scratch".to_owned(), |i| i.raw.clone())
            )],
            runtime: None,
        };
    }
    // The command must be exec form on a shell-less runtime. On distroless/java, a shell that only expands
    // $JAVA_OPTS is replaced by JAVA_TOOL_OPTIONS (`java::tool_options`), and `java_command` writes it.
    let tool = super::java::tool_options(ctx, f).filter(|_| family == RuntimeFamily::DistrolessJava);
    let mut e = Edits { edits: Vec::new(), changes: Vec::new() };
    if tool.is_none() {
        if let Err(unchanged) = exec_form(ctx, stage, family, &mut e) {
            return or_sibling(ctx, unchanged);
        }
    }
    // A shell-form command that can be exec form needs no shell (and is not listed); every need listed is
    // real: `sh`, a `.sh` script, a command that cannot be exec form (an inherited one too), a shell-form
    // HEALTHCHECK (the last two are not the command's, and must not send the stage to distroless).
    let shell: Vec<String> = ctx
        .analysis
        .needs
        .shell
        .iter()
        .filter(|r| tool.is_none() || r.contains("HEALTHCHECK") || !(r.contains("CMD") || r.contains("ENTRYPOINT")))
        .cloned()
        .collect();
    if !shell.is_empty() {
        return or_sibling(ctx, Outcome::Unchanged { reasons: shell, runtime: None });
    }
    // distroless/java's ENTRYPOINT is `java -jar`: the command keeps only the jar and its arguments.
    if family == RuntimeFamily::DistrolessJava {
        let argv = tool.as_ref().map_or(argv.clone(), |t| t.without_variable(&argv));
        if let Err(unchanged) = java_command(ctx, stage, &argv, &mut e) {
            return unchanged;
        }
        if let Some(t) = &tool {
            let at = ctx.doc.instructions[t.inst].span.start;
            if let Some(line) = t.env_line() {
                let nl = if ctx.doc.crlf { "\r\n" } else { "\n" };
                e.edits.push((at..at, format!("{line}{nl}")));
            }
            e.changes.push(t.change(ctx));
        }
    }
    // The HEALTHCHECK too: exec form, with the runtime's interpreter, or the stage stays.
    if let Err(unchanged) = healthcheck_in_place(ctx, stage, family, &image, &mut e) {
        return or_sibling(ctx, unchanged);
    }
    let full = swap_base(ctx, stage, &image, &why, &from_stages, &mut e);
    let Edits { edits, changes } = e;
    let output = rewrite_in_place(ctx, &edits);
    Outcome::Converted(Plan {
        strategy: "multistage",
        ecosystem: f.eco.or_else(|| from_stages.first().and_then(|(s, _)| ctx.analysis.stages[*s].eco)),
        runtime: family,
        runtime_image: full,
        output,
        changes,
        findings: vec![],
    })
}

/// Where distroless cannot take the final stage (it runs RUN lines, needs a shell, or its Java version has
/// no distroless image), a JDK base still moves to its JRE sibling when nothing needs the JDK.
fn or_sibling(ctx: &Ctx, unchanged: Outcome) -> Outcome {
    match super::sibling::rewrite(ctx, true) {
        Some(converted @ Outcome::Converted(_)) => converted,
        _ => unchanged,
    }
}

/// The edits of the final stage's lines, each with its change note.
struct Edits {
    edits: Vec<(Range<usize>, String)>,
    changes: Vec<Change>,
}

/// A final stage built `FROM` another stage: left as it is.
fn continues_stage(ctx: &Ctx, index: usize) -> Outcome {
    let root = super::root_facts(ctx, index);
    if let Some(fam) = super::family_of(root) {
        return Outcome::Unchanged {
            reasons: vec![format!(
                "the final stage already runs on {} (`{}`, through stage `{}`)",
                fam.as_str(),
                root.image.as_ref().map_or("scratch".to_owned(), |i| i.resolved.clone()),
                ctx.model.stages[index].reference()
            )],
            runtime: Some(fam),
        };
    }
    Outcome::Unchanged {
        reasons: vec![format!(
            "the final stage continues stage {index} (`FROM {}`), which holds the build; slimfile rewrites a final stage that copies its artifacts",
            ctx.model.stages[index].reference()
        )],
        runtime: None,
    }
}

/// What the stage copies from other stages (stage, source path) and from other images, and whether it
/// runs commands.
fn copied(ctx: &Ctx, f: &StageFacts, stage: &Stage) -> (Vec<(usize, String)>, Vec<String>, bool) {
    let doc = ctx.doc;
    // Stage ARG defaults, to read `COPY --from=build ${DIR}/app.jar`.
    let mut vars = ctx.model.global_vars();
    for (k, v, _) in &f.args {
        if let Some(v) = v {
            vars.insert(k.clone(), v.clone());
        }
    }
    let mut from_stages: Vec<(usize, String)> = Vec::new();
    let mut external = Vec::new();
    let mut has_run = false;
    for i in stage.body.clone() {
        let inst = &doc.instructions[i];
        match inst.kind {
            Kind::Run => has_run = true,
            Kind::Copy | Kind::Add => {
                let Some(from) = inst.flag_value("from") else { continue };
                let from = expand(from, &vars).text;
                let Args::Copy { sources, .. } = &inst.args else { continue };
                match ctx.model.stage_ref(&from, stage.index) {
                    Some(s) => from_stages.extend(sources.iter().map(|src| (s, normalize(&expand(src, &vars).text)))),
                    None => external.push(from),
                }
            }
            _ => {}
        }
    }
    (from_stages, external, has_run)
}

/// A final stage that builds nothing (no RUN runs a compiler or a build tool): it runs what it installs,
/// downloads or copies. Unchanged when it keeps no package slimfile counts as build-only (the reason names
/// what it installs and runs); else refused, naming what the build-only packages it keeps are for (fetching
/// what it installs, a person in a shell, or, for compilers no RUN uses, perhaps the program at run time).
pub(super) fn builds_nothing(ctx: &Ctx, f: &StageFacts) -> Outcome {
    let pkgs = &ctx.analysis.needs.packages;
    // A fetch tool is build-only where a RUN of the stage calls it and it stays; one no RUN calls (git as
    // the image's product, a git server) is the image's own software, and one the build removes is gone.
    let stage = ctx.model.target().expect("complete document");
    let calls = |cmd: &str| {
        stage.body.clone().filter(|&i| ctx.doc.instructions[i].kind == Kind::Run).any(|i| ctx.analysis.commands(i).iter().any(|c| c.calls(cmd)))
    };
    // A RUN that builds with a tool slimfile does not convert (`bazel build`) builds something: saying
    // nothing is built would be false, and what the build wrote is not known.
    let runs = stage.body.clone().filter(|&i| ctx.doc.instructions[i].kind == Kind::Run);
    for i in runs {
        let found = ctx.analysis.commands(i).iter().find_map(|c| packages::other_builder(c.program(), c.argv.get(1..).unwrap_or_default()).map(|w| (c, w)));
        if let Some((c, what)) = found {
            let call: Vec<&str> = c.argv.iter().take(3).map(String::as_str).collect();
            return refused(f.eco, [format!(
                "the RUN at line {} builds with {what} (`{}`), which slimfile does not convert: it cannot tell which of the files the build writes the app runs, so it cannot move the build to a builder stage",
                ctx.doc.span(ctx.doc.instructions[i].span.clone()).line,
                call.join(" ")
            )]);
        }
    }
    let fetches = |name: &str| packages::fetch_commands(name).iter().any(|c| calls(c));
    let own = |p: &PkgUse| p.removed.is_none() && build_use(&p.name) == BuildUse::Fetch && !fetches(&p.name);
    let mut installed: Vec<&str> = pkgs.iter().filter(|p| f.packages.iter().any(|q| &q.name == *p)).map(String::as_str).collect();
    for p in f.build_packages().filter(|p| own(p)) {
        if !installed.contains(&p.name.as_str()) {
            installed.push(p.name.as_str());
        }
    }
    // What else it keeps that is not build-only: an interpreter beside the program (python3 with radiusd).
    for p in f.packages.iter().filter(|p| p.removed.is_none() && p.role != Role::Build) {
        if !installed.contains(&p.name.as_str()) {
            installed.push(p.name.as_str());
        }
    }
    let build: Vec<&PkgUse> = f.build_packages().filter(|p| !own(p)).collect();
    if installed.is_empty() && build.iter().all(|p| p.removed.is_some()) {
        return Outcome::Unchanged {
            reasons: vec!["the final image builds nothing: it holds only the files the app runs, on its base image".to_owned()],
            runtime: None,
        };
    }
    let names = |purpose: BuildUse, kept: bool| -> Vec<&str> {
        let mut v: Vec<&str> = build
            .iter()
            .filter(|p| build_use(&p.name) == purpose && (!kept || p.removed.is_none()))
            .map(|p| p.name.as_str())
            .collect();
        v.dedup();
        v
    };
    // A shell given a script (`ENTRYPOINT ["/bin/bash"]`, `CMD ["/usr/local/bin/start"]`) runs the script.
    let program = final_argv(ctx.doc, f).and_then(|a| match a.as_slice() {
        [sh, script, ..] if crate::shell::is_shell(crate::shell::basename(sh)) && !script.starts_with('-') => Some(script.clone()),
        _ => a.into_iter().next(),
    });
    let mut reason = String::from("nothing in this image is built (no RUN runs a compiler, make, cmake or a language's build tool)");
    // No CMD or ENTRYPOINT: the image is a toolbox of what it installs (gcc, jq, texlive), run with a command
    // of the user's choosing, so every package it keeps, a compiler too, is what the image is for.
    if program.is_none() {
        let mut kept = installed.clone();
        for p in build.iter().filter(|p| p.removed.is_none()) {
            if !kept.contains(&p.name.as_str()) {
                kept.push(p.name.as_str());
            }
        }
        if !kept.is_empty() {
            reason.push_str(&format!(
                ": it installs software with the package manager ({}) and sets no CMD or ENTRYPOINT of its own (the base image's shell is its default): the image is a toolbox of that software, run with a command of the user's choosing, so slimfile takes what it installs as what the image is for, and there is no build to move to a builder stage",
                kept.join(", ")
            ));
            return Outcome::Unchanged { reasons: vec![reason], runtime: None };
        }
    }
    let mut does: Vec<String> = Vec::new();
    if !installed.is_empty() {
        does.push(format!("installs software with the package manager ({})", installed.join(", ")));
    }
    if let Some(p) = program {
        does.push(format!("runs `{p}`"));
    }
    if !does.is_empty() {
        reason.push_str(&format!(": it {}", does.join(" and ")));
    }
    // What the packages slimfile counts as build-only are for, singular or plural.
    let said = |names: &[&str], one: &str, many: &str| format!("{} {}", names.join(", "), if names.len() == 1 { one } else { many });
    let mut uses: Vec<String> = Vec::new();
    let mut fetch = names(BuildUse::Fetch, true);
    fetch.retain(|p| fetches(p));
    if !fetch.is_empty() {
        uses.push(said(&fetch, "fetches and sets up what it installs", "fetch and set up what it installs"));
    }
    let interactive = names(BuildUse::Interactive, true);
    if !interactive.is_empty() {
        uses.push(said(&interactive, "is an interactive tool", "are interactive tools"));
    }
    let compile = names(BuildUse::Compile, true);
    if !compile.is_empty() {
        uses.push(said(&compile, "is a build tool or headers that no RUN uses (the program may need it at run time)", "are build tools or headers that no RUN uses (the program may need them at run time)"));
    }
    if !uses.is_empty() {
        reason.push_str(&format!("; of the packages slimfile counts as build-only, {}", uses.join("; ")));
    }
    reason.push_str(": there is no build to move to a builder stage, and distroless has no package manager to install that software");
    // Without a build-only package kept, there is nothing to take out: the file is as slim as a rewrite could
    // make it, which is `unchanged`, not a refusal (a refusal names something that blocks a saving).
    if uses.is_empty() {
        return Outcome::Unchanged { reasons: vec![reason], runtime: None };
    }
    // What taking the build-only packages out would save, when every one's size is known: under what any
    // rewrite is worth (an interactive htop, tar), the file is as slim as slimfile would make it.
    let (key, set) = f.package_set();
    let kept: Vec<&&PkgUse> = build.iter().filter(|p| p.removed.is_none() && (build_use(&p.name) != BuildUse::Fetch || fetches(&p.name))).collect();
    let bytes: Option<u64> = kept.iter().map(|p| debian::package_size(if p.manager == "apt" { key } else { p.manager }, set, &p.name).map(|s| s.bytes_with_recommends)).sum();
    if let Some(b) = bytes.filter(|b| *b < ctx.never_worth) {
        let mut names: Vec<&str> = kept.iter().map(|p| p.name.as_str()).collect();
        names.dedup();
        return Outcome::Unchanged {
            reasons: vec![format!(
                "{reason}; without {} the image would be about {} smaller (package closures), under what a rewrite is worth ({}): slimfile leaves the file as it is",
                names.join(", "),
                mb(b),
                mb(ctx.never_worth)
            )],
            runtime: None,
        };
    }
    refused(f.eco, [reason])
}

/// The stage's own HEALTHCHECK on a runtime without a shell (`split/health.rs`); Err when it cannot run there.
fn healthcheck_in_place(ctx: &Ctx, stage: &Stage, family: RuntimeFamily, image: &str, e: &mut Edits) -> Result<(), Outcome> {
    let f = ctx.target();
    let Some(h) = f.healthcheck.filter(|h| stage.body.contains(h)) else { return Ok(()) };
    if family.has_shell() {
        return Ok(());
    }
    // The stage's COPY destinations and its command's program are what the image has besides the base.
    let mut wd = "/".to_owned();
    let mut dests = Vec::new();
    for i in stage.body.clone() {
        let inst = &ctx.doc.instructions[i];
        match (&inst.kind, &inst.args) {
            (Kind::Workdir, _) => wd = crate::analyze::join_path(&wd, inst.arg_text()),
            (Kind::Copy | Kind::Add, Args::Copy { dest, .. }) => dests.push(crate::analyze::join_path(&wd, dest)),
            _ => {}
        }
    }
    let program = final_argv(ctx.doc, f).and_then(|a| a.into_iter().next());
    let present = |p: &str| {
        program.as_deref() == Some(p)
            || p.contains('/') && dests.iter().any(|d| crate::analyze::under(&normalize(&if p.starts_with('/') { p.to_owned() } else { format!("{}/{p}", f.workdir) }), d))
    };
    match health::healthcheck(ctx, h, family, image, &present) {
        Ok(Health::Keep) => Ok(()),
        Ok(Health::Line(line, change)) => {
            e.edits.push((ctx.doc.instructions[h].span.clone(), line));
            e.changes.push(change);
            Ok(())
        }
        Ok(Health::Drop(change)) => {
            e.edits.push((ctx.doc.instructions[h].span.clone(), String::new()));
            e.changes.push(change);
            Ok(())
        }
        Err(reason) => Err(Outcome::Unchanged { reasons: vec![reason], runtime: None }),
    }
}

/// The stage's own shell-form ENTRYPOINT and CMD in exec form; Err when one needs a shell.
fn exec_form(ctx: &Ctx, stage: &Stage, family: RuntimeFamily, e: &mut Edits) -> Result<(), Outcome> {
    let f = ctx.target();
    let doc = ctx.doc;
    for idx in [f.entrypoint, f.cmd].into_iter().flatten() {
        let inst = &doc.instructions[idx];
        if !stage.body.contains(&idx) {
            continue;
        }
        if let Some(Command::Shell(text)) = inst.command() {
            match exact_exec(text) {
                Some(words) => {
                    e.edits.push((inst.span.clone(), format!("{} {}", inst.kind.as_str(), json_array(&words))));
                    e.changes.push(ctx.change("exec-form", format!("{} is now in exec form: {} has no shell, and `{}` needs none.", inst.kind.as_str(), family.as_str(), text.trim()), Some(idx)));
                }
                None => {
                    return Err(Outcome::Unchanged {
                        reasons: vec![format!("the command `{}` needs a shell, so the final base (which has one) stays", text.trim())],
                        runtime: None,
                    });
                }
            }
        }
    }
    Ok(())
}

/// The command of a distroless/java stage: the jar and its arguments (distroless/java's ENTRYPOINT is
/// `java -jar`), or an ENTRYPOINT of its own when the JVM takes options. A stage whose own ENTRYPOINT runs
/// java keeps it as written: it replaces the image's, and java is on distroless's PATH; a CMD in its place
/// would change what `docker run IMAGE ARGS` does.
fn java_command(ctx: &Ctx, stage: &Stage, argv: &[String], out: &mut Edits) -> Result<(), Outcome> {
    let f = ctx.target();
    let doc = ctx.doc;
    let own_entrypoint = f.entrypoint.filter(|i| stage.body.contains(i)).and_then(|i| match doc.instructions[i].command() {
        Some(Command::Exec(v)) => Some(v.first().is_some_and(|p| p.rsplit('/').next() == Some("java"))),
        // A shell form became exec form above, with the same words.
        Some(Command::Shell(s)) => Some(s.split_whitespace().next().is_some_and(|p| p.rsplit('/').next() == Some("java"))),
        None => None,
    });
    if own_entrypoint == Some(true) {
        return Ok(());
    }
    if let Some((opts, jar, args)) = super::java::java_jar(argv) {
        let (ep, cmd) = if opts.is_empty() {
            let mut c = vec![jar.clone()];
            c.extend(args);
            (None, c)
        } else {
            let mut e = vec!["/usr/bin/java".to_owned()];
            e.extend(opts);
            e.extend(["-jar".to_owned(), jar.clone()]);
            (Some(e), args)
        };
        let mut text = String::new();
        if let Some(e) = &ep {
            text.push_str(&format!("ENTRYPOINT {}", json_array(e)));
        }
        if !cmd.is_empty() || ep.is_none() {
            if !text.is_empty() {
                text.push_str(if doc.crlf { "\r\n" } else { "\n" });
            }
            text.push_str(&format!("CMD {}", json_array(&cmd)));
        }
        let cmd_inst = f.cmd.or(f.entrypoint).filter(|i| stage.body.contains(i));
        let Some(ci) = cmd_inst else {
            return Err(Outcome::Unchanged { reasons: vec!["the final stage inherits its command, which slimfile cannot rewrite for distroless/java".to_owned()], runtime: None });
        };
        out.edits.retain(|(r, _)| *r != doc.instructions[ci].span);
        if let (Some(e), Some(c)) = (f.entrypoint, f.cmd) {
            // Both set: the ENTRYPOINT line goes, the CMD line carries the new command.
            let _ = e;
            out.edits.retain(|(r, _)| *r != doc.instructions[c].span);
        }
        out.edits.push((doc.instructions[ci].span.clone(), text));
        for other in [f.entrypoint, f.cmd].into_iter().flatten().filter(|i| *i != ci && stage.body.contains(i)) {
            out.edits.push((doc.instructions[other].span.clone(), String::new()));
        }
        let why = match &ep {
            None => "The command now names only the jar: distroless/java's ENTRYPOINT is `java -jar`.".to_owned(),
            Some(e) => format!(
                "The command is now `ENTRYPOINT {}`: the JVM options come before -jar, which distroless/java's own ENTRYPOINT (`java -jar`) cannot take.",
                json_array(e)
            ),
        };
        out.changes.push(ctx.change("interpreter-entrypoint", why, Some(ci)));
    }
    Ok(())
}

/// The FROM line on the new base (`:nonroot` where the app allows), the user mapped to distroless's, and
/// the library gate at the end of each stage the final stage copies from (`copies`: stage, path there).
/// Returns the new base.
fn swap_base(ctx: &Ctx, stage: &Stage, image: &str, why: &str, copies: &[(usize, String)], e: &mut Edits) -> String {
    let f = ctx.target();
    let doc = ctx.doc;
    let needs_root = !ctx.analysis.needs.root.is_empty();
    let user = f.user.as_ref().filter(|(_, i)| stage.body.contains(i));
    let explicit_root = user.is_some_and(|(u, _)| u == "root" || u == "0");
    let distroless = image.starts_with("gcr.io/distroless/");
    let nonroot = distroless && ctx.options.non_root && !needs_root && !explicit_root;
    let full = if nonroot { format!("{image}:nonroot") } else { image.to_owned() };
    if let Some((u, i)) = user {
        let numeric = u.split(':').next().is_some_and(|x| x.chars().all(|c| c.is_ascii_digit()));
        if distroless && !numeric && !explicit_root {
            e.edits.push((doc.instructions[*i].span.clone(), "USER nonroot".to_owned()));
            e.changes.push(ctx.change("map-user", format!("USER {u} became distroless's `nonroot` user: `{u}` does not exist there."), Some(*i)));
        }
    }
    let Args::From { image_span, .. } = &doc.instructions[stage.from].args else { unreachable!("a stage starts with FROM") };
    e.edits.push((image_span.clone(), full.clone()));
    // Each stage the final stage copies from ends with the library gate: one RUN for all it copies.
    let nl = if doc.crlf { "\r\n" } else { "\n" };
    let sonames = crate::knowledge::runtimes::image(image).and_then(|r| r.libraries);
    let mut stages: Vec<usize> = copies.iter().map(|(s, _)| *s).collect();
    stages.dedup();
    for s in stages.into_iter().filter(|_| sonames.is_some()) {
        let paths: Vec<String> = copies.iter().filter(|(k, _)| *k == s).map(|(_, p)| p.clone()).collect();
        let shape = if matches!(ctx.analysis.stages[s].distro, Distro::Alpine { .. }) { Shape::Musl } else { Shape::Glibc };
        let sonames = sonames.unwrap_or_default();
        let Some(lines) = gate(shape, Against::Libraries { image, sonames }, &paths, doc.escape) else { continue };
        let st = &ctx.model.stages[s];
        let last = st.body.clone().last().unwrap_or(st.from);
        let end = doc.instructions[last].span.end;
        e.edits.push((end..end, format!("{nl}{}", lines.join(nl))));
        e.changes.push(ctx.change("check-libraries", check_why(image, sonames.is_empty()), Some(last)));
    }
    e.changes.push(ctx.change(
        "swap-runtime-base",
        format!(
            "The final stage now starts from `{full}` instead of `{}`: {why}",
            f.image.as_ref().map_or(String::new(), |i| i.raw.clone())
        ),
        Some(stage.from),
    ));
    let kept_numeric = user.filter(|(u, _)| !explicit_root && u.split(':').next().is_some_and(|x| x.chars().all(|c| c.is_ascii_digit())));
    if let (true, Some((u, i))) = (nonroot, kept_numeric) {
        e.changes.push(ctx.change(
            "non-root",
            format!("The final image keeps the original's `USER {u}`: it ran as that unprivileged uid, and still does (the `:nonroot` tag's user, uid 65532, is only the default a USER line overrides)."),
            Some(*i),
        ));
    } else if nonroot {
        e.changes.push(ctx.change("non-root", "The final image runs as distroless's `nonroot` user (uid 65532) instead of root.", None));
    } else if needs_root && distroless {
        e.changes.push(ctx.change("runs-as-root", format!("The final image keeps running as root because {}.", ctx.analysis.needs.root.join("; ")), None));
    }
    full
}

/// The runtime that what the stage copies needs, from the stages that built it: its family, image and why.
fn choose(
    ctx: &Ctx,
    f: &StageFacts,
    copies: &[(usize, String)],
    external: &[String],
    argv: &[String],
) -> Result<(RuntimeFamily, String, String), Option<String>> {
    // Java: `java -jar` of a copied jar.
    if let Some((_, _jar, _)) = super::java::java_jar(argv) {
        let version = f.version.clone().or_else(|| copies.iter().find_map(|(s, _)| ctx.analysis.stages[*s].version.clone())).ok_or(None)?;
        let img = super::java::distroless_java(ctx, &version).map_err(Some)?;
        return Ok((
            RuntimeFamily::DistrolessJava,
            img.image.to_owned(),
            format!("the stage runs a jar with Java {version}; distroless/java has that JRE and nothing else.{}", super::images::release_words(None, "", img)),
        ));
    }
    // Binaries: every copied path must be a known binary of its stage.
    let mut family = RuntimeFamily::DistrolessStatic;
    // The release whose glibc the binaries need at least (the newest of their builders').
    let mut release: Option<BaseRelease> = None;
    let mut bound = |r: BaseRelease| {
        if release.is_none_or(|have| have.release.runs_programs_of(&r.release) == Some(false)) {
            release = Some(r);
        }
    };
    let mut binaries = 0;
    for (s, src) in copies {
        let sf = &ctx.analysis.stages[*s];
        let art = sf.artifacts.iter().find(|a| a.path == *src && a.kind == ArtKind::Binary);
        // `cargo build --release` without `--bin` records its folder (the name is in Cargo.toml): a file
        // copied straight out of it, with no extension (`target/release/app`, not `app.d`), is the binary.
        let cargo_output = || {
            let (dir, name) = src.rsplit_once('/')?;
            let built = sf.artifacts.iter().find(|a| a.kind == ArtKind::Folder && a.path == dir)?;
            let step = sf.steps.iter().find(|st| st.inst == built.inst && st.tool == "cargo")?;
            (!name.is_empty() && !name.contains('.') && step.cmd.arg(1) == "build").then_some(built)
        };
        let art = art.or_else(|| (sf.eco == Some(Eco::Rust)).then(cargo_output).flatten());
        match (art, sf.eco) {
            (Some(a), Some(Eco::Go)) => {
                binaries += 1;
                let step = sf.steps.iter().find(|st| st.inst == a.inst).ok_or(None)?;
                match super::go::linkage(sf, step) {
                    super::go::Link::Static(_) => {}
                    super::go::Link::Glibc(_) => {
                        family = RuntimeFamily::DistrolessBase;
                        bound(glibc_release(sf, f).map_err(Some)?);
                    }
                    super::go::Link::Musl(_) => return Err(None),
                }
            }
            (Some(_), Some(Eco::Rust)) => {
                binaries += 1;
                if !matches!(sf.distro, Distro::Alpine { .. }) {
                    family = RuntimeFamily::DistrolessCc;
                    bound(glibc_release(sf, f).map_err(Some)?);
                }
            }
            // Folders that are not binaries (config, assets) ride along; unknown binaries do not.
            (None, _) if is_data_path(src) => {}
            _ => return Err(None),
        }
    }
    // Only data files (a config named like `…/x.conf`): the program the stage runs is not among them, so
    // nothing says which runtime it needs, and distroless/static would be a guess.
    if binaries == 0 && external.is_empty() {
        return Err(None);
    }
    if !external.is_empty() && family == RuntimeFamily::DistrolessStatic {
        // A binary from another image may link glibc: base has it, and runs static binaries too.
        family = RuntimeFamily::DistrolessBase;
    }
    let builder = if family == RuntimeFamily::DistrolessStatic { None } else { release };
    let img = super::images::distroless(ctx, family.as_str(), None, builder.as_ref()).map_err(Some)?;
    // The image the stage starts from, through `FROM <stage>` parents (`builder` FROM `base` FROM rust:1).
    let image_of = |mut s: usize| loop {
        match ctx.model.stages[s].base {
            crate::report::StageBase::Stage { index } if index < s => s = index,
            _ => break ctx.analysis.stages[s].image.as_ref(),
        }
    };
    let builder_image = copies.first().and_then(|(s, _)| image_of(*s)).map(crate::image::display).unwrap_or_default();
    let release_note = super::images::release_words(builder.as_ref(), &builder_image, img);
    let why = match family {
        RuntimeFamily::DistrolessStatic => "what it copies is a static binary, which needs no libc.".to_owned(),
        RuntimeFamily::DistrolessBase if !external.is_empty() => "it copies binaries from other images, which may link glibc; distroless/base has it.".to_owned(),
        RuntimeFamily::DistrolessBase => "the binary links glibc; distroless/base has the builder's.".to_owned(),
        _ => "the binary links glibc and libgcc; distroless/cc has both.".to_owned(),
    };
    Ok((family, img.image.to_owned(), why + &release_note))
}

/// The release whose glibc a binary built in stage `sf` needs at least: the builder's (named, or what its
/// tag resolves to), else the final stage's, which runs it today (`FROM debian:bookworm-slim`). Err: why
/// none can be told.
fn glibc_release(sf: &StageFacts, f: &StageFacts) -> Result<BaseRelease, String> {
    let glibc = |r: &Option<BaseRelease>| r.filter(|r| r.release.is_glibc() && matches!(r.release.distro, "debian" | "ubuntu"));
    glibc(&sf.release).or_else(|| glibc(&f.release)).ok_or_else(|| {
        "the image knowledge does not say which Debian release the binary's builder is built on, so no distroless image can be matched to the glibc it links".to_owned()
    })
}

/// Paths that hold data rather than programs (config, templates, static assets).
fn is_data_path(p: &str) -> bool {
    let last = p.rsplit('/').next().unwrap_or("");
    ["config", "configs", "templates", "static", "public", "assets", "migrations", "locales", "etc"].contains(&last)
        || [".yaml", ".yml", ".json", ".toml", ".conf", ".env", ".html", ".css", ".js", ".ini"].iter().any(|e| last.ends_with(e))
}
