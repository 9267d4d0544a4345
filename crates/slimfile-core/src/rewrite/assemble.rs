//! The split every strategy shares: the target stage becomes `AS build`, a runtime stage follows.
//!
//! Strategies fill a [`Split`] (what to copy, which command to run, edits to the builder) and a
//! [`Runtime`] (the final image); [`Split::finish`] writes the Dockerfile, keeping the user's text and
//! comments verbatim wherever it can, and records a [`Change`] for everything it does.

use std::collections::BTreeSet;
use std::ops::Range;

use super::{Ctx, Plan};
use crate::analyze::{join_path, made_files, under, Distro, Eco, Made, StageFacts};
use crate::knowledge::{images_roles, runtimes};
use crate::report::{Change, Finding, RuntimeFamily, StageBase};
use crate::syntax::{Args, Command, Document, Kind};
use crate::shell::{referenced_vars, shell_syntax};

/// The final image a strategy chose.
#[derive(Clone, Debug)]
pub struct Runtime {
    pub family: RuntimeFamily,
    /// The reference without the user tag (`gcr.io/distroless/static-debian12`, `python:3.11-slim-bookworm`).
    pub image: String,
    /// The image's own ENTRYPOINT (distroless python3, nodejs and java set one).
    pub entrypoint: Vec<String>,
    /// OS packages the app needs at run time, installed in the runtime stage (slim images only).
    pub packages: Vec<String>,
    /// Why this runtime (one sentence, for the change note).
    pub why: String,
}

impl Runtime {
    pub fn new(family: RuntimeFamily, image: impl Into<String>, why: impl Into<String>) -> Runtime {
        Runtime { family, image: image.into(), entrypoint: vec![], packages: vec![], why: why.into() }
    }

    fn distroless(&self) -> bool {
        self.image.starts_with("gcr.io/distroless/")
    }
}

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

/// Instructions that only matter in the final image: they move from the builder to the runtime stage.
const RUNTIME_ONLY: &[Kind] = &[
    Kind::Cmd,
    Kind::Entrypoint,
    Kind::Expose,
    Kind::Healthcheck,
    Kind::Volume,
    Kind::Stopsignal,
    Kind::Label,
    Kind::Maintainer,
    Kind::Onbuild,
];

/// ENV keys that only configure a build tool; they stay in the builder. Source: each tool's docs
/// (go env, pip config, npm config, dpkg's DEBIAN_FRONTEND).
const BUILD_ONLY_ENV: &[&str] = &[
    "CGO_ENABLED",
    "GOOS",
    "GOARCH",
    "GOFLAGS",
    "GO111MODULE",
    "GOPROXY",
    "GOPRIVATE",
    "GONOSUMDB",
    "DEBIAN_FRONTEND",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "PIP_DEFAULT_TIMEOUT",
    "POETRY_VIRTUALENVS_CREATE",
    "POETRY_NO_INTERACTION",
    "POETRY_VERSION",
    "CARGO_INCREMENTAL",
    "RUSTFLAGS",
    "MAVEN_OPTS",
    "GRADLE_OPTS",
    "DOTNET_CLI_TELEMETRY_OPTOUT",
    "NUGET_XMLDOC_MODE",
    "PNPM_HOME",
    "COREPACK_ENABLE_DOWNLOAD_PROMPT",
];

/// A file or folder copied from the builder into the runtime stage.
#[derive(Clone, Debug)]
pub struct CopyItem {
    pub from: String,
    pub to: String,
    pub chown: Option<String>,
}

pub struct Split<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub builder_name: String,
    /// The runtime stage's name (`runtime` unless a stage has it).
    pub runtime_name: String,
    /// Replacement for the builder's base image text (a pinned Debian release), with its reason.
    pub builder_image: Option<(String, String)>,
    /// Edits of the builder's instructions: (absolute byte range in the input, replacement).
    pub edits: Vec<(Range<usize>, String)>,
    /// Lines inserted before instruction i of the builder.
    pub insert_before: Vec<(usize, String)>,
    /// Lines appended at the end of the builder.
    pub append: Vec<String>,
    pub copies: Vec<CopyItem>,
    /// Extra ENV lines for the runtime stage (`PATH` of a venv…).
    pub runtime_env: Vec<String>,
    /// The runtime WORKDIR; defaults to the builder's final WORKDIR.
    pub workdir: Option<String>,
    /// Exec-form ENTRYPOINT and CMD replacing the original's (`None`: carry the original).
    pub command: Option<ExecCommand>,
    /// Runtime-only instructions of the original not carried (a strategy replaces them, with a change note).
    pub skip: Vec<Kind>,
    /// Lines written after the COPY lines of the runtime stage (configuration, EXPOSE of a new port).
    pub extra: Vec<String>,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
}

pub fn json_array(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| serde_json::to_string(s).unwrap_or_default()).collect();
    format!("[{}]", items.join(", "))
}

/// The exec-form words of a shell-form command, when the conversion is exact.
pub fn exact_exec(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    if shell_syntax(s).is_some() {
        return None;
    }
    let mut words: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
    if words.first().is_some_and(|w| w == "exec") {
        words.remove(0);
    }
    (!words.is_empty()).then_some(words)
}

impl<'a, 'c> Split<'a, 'c> {
    pub fn new(ctx: &'a Ctx<'c>) -> Self {
        let target = ctx.model.target().expect("complete document");
        let taken: Vec<String> =
            ctx.model.stages.iter().filter_map(|s| s.name.clone()).map(|n| n.to_ascii_lowercase()).collect();
        let builder_name = target.name.clone().unwrap_or_else(|| {
            ["build", "builder", "build-stage"]
                .iter()
                .find(|n| !taken.contains(&(**n).to_owned()))
                .map_or("slimfile-build".to_owned(), |n| (*n).to_owned())
        });
        // The new stage's name must be free too: a target already named `runtime` made a duplicate.
        let runtime_name = ["runtime", "final", "slim-runtime"]
            .iter()
            .find(|n| !taken.contains(&(**n).to_owned()) && !builder_name.eq_ignore_ascii_case(n))
            .map_or("slimfile-runtime".to_owned(), |n| (*n).to_owned());
        Split {
            ctx,
            builder_name,
            runtime_name,
            builder_image: None,
            edits: vec![],
            insert_before: vec![],
            append: vec![],
            copies: vec![],
            runtime_env: vec![],
            workdir: None,
            command: None,
            skip: vec![],
            extra: vec![],
            changes: vec![],
            findings: vec![],
        }
    }

    pub fn copy(&mut self, from: impl Into<String>, to: impl Into<String>) {
        let (from, to) = (from.into(), to.into());
        if !self.copies.iter().any(|c| c.from == from && c.to == to) {
            self.copies.push(CopyItem { from, to, chown: None });
        }
    }

    /// The target stage's ENTRYPOINT and CMD as the container runs them: (entrypoint, cmd), each exec
    /// words or a shell-form string.
    pub fn original_command(&self) -> (Option<&'a Command>, Option<&'a Command>) {
        let f = self.ctx.target();
        let doc = self.ctx.doc;
        (f.entrypoint.and_then(|i| doc.instructions[i].command()), f.cmd.and_then(|i| doc.instructions[i].command()))
    }

    /// Pins the builder to a Debian release so builder and runtime agree on glibc (and Python's ABI).
    /// Returns the distroless release (`debian12`) to use. Ubuntu or unknown builders give `None`.
    pub fn pin_debian_release(&mut self) -> Option<&'static str> {
        let f = self.ctx.target();
        match &f.distro {
            Distro::Debian { codename: Some(c) } => runtimes::distroless_release(c),
            Distro::Debian { codename: None } => {
                let img = f.image.as_ref()?;
                let def = &runtimes::DEFAULT_RELEASE;
                let codename = def.codename;
                let release = runtimes::distroless_release(codename)?;
                // Only the official images whose tags take a `-<codename>` suffix are pinned.
                if !matches!(
                    img.repository.as_str(),
                    "library/golang" | "library/rust" | "library/node" | "library/python" | "library/ruby"
                        | "library/buildpack-deps" | "library/debian"
                ) || img.digest.is_some()
                    || img.unresolved
                {
                    return None;
                }
                let tag = img.tag.clone().unwrap_or_default();
                let new_tag = if img.repository == "library/debian" {
                    if tag.is_empty() || tag == "latest" { codename.to_owned() } else { return None }
                } else if tag.is_empty() || tag == "latest" {
                    codename.to_owned()
                } else if let Some(rest) = tag.strip_suffix("-slim") {
                    // node names the release before `-slim`; python, ruby and rust after it.
                    if img.repository == "library/node" {
                        format!("{rest}-{codename}-slim")
                    } else {
                        format!("{rest}-slim-{codename}")
                    }
                } else if tag.contains('-') {
                    return None;
                } else {
                    format!("{tag}-{codename}")
                };
                let new = if img.raw.contains('$') {
                    // `golang:${GO_VERSION}`: keep the ARG, so `--build-arg GO_VERSION=…` still works, and add
                    // the release after it. Only a plain `name:${VAR}` reference can take a suffix.
                    let (name, raw_tag) = img.raw.rsplit_once(':')?;
                    if name.contains('$') || tag.is_empty() || tag.contains('-') || !raw_tag.ends_with('}') && !raw_tag.starts_with('$') {
                        return None;
                    }
                    format!("{name}:{raw_tag}-{codename}")
                } else {
                    let name = img.repository.strip_prefix("library/").unwrap_or(&img.repository);
                    format!("{name}:{new_tag}")
                };
                self.builder_image = Some((new, def.why.to_owned()));
                Some(release)
            }
            _ => None,
        }
    }

    /// [`Split::finish`] as the strategy's outcome: converted, or refused with the reasons.
    pub fn into_outcome(self, runtime: Runtime, strategy: &'static str, eco: Option<Eco>) -> super::Outcome {
        match self.finish(runtime, strategy, eco) {
            Ok(plan) => super::Outcome::Converted(plan),
            Err(reasons) => super::refused(eco, reasons),
        }
    }

    /// Writes the Dockerfile. Err: reasons to refuse (the runtime cannot run the command).
    pub fn finish(mut self, runtime: Runtime, strategy: &'static str, eco: Option<Eco>) -> Result<Plan, Vec<String>> {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let f = ctx.target();
        let opts = ctx.options;
        let target = ctx.model.target().expect("complete document");
        let needs = &ctx.analysis.needs;
        let nl = if doc.crlf { "\r\n" } else { "\n" };
        let has_shell = runtime.family.has_shell();
        let mut out = String::new();
        let mut w = Writer { doc, keep_comments: opts.keep_comments, nl };

        // Refuse early what the runtime cannot do.
        if !has_shell {
            let shell_reasons: Vec<String> = needs
                .shell
                .iter()
                .filter(|r| !(self.command.is_some() && (r.contains("CMD") || r.contains("ENTRYPOINT")) && !r.contains("HEALTHCHECK")))
                .cloned()
                .collect();
            if !shell_reasons.is_empty() {
                return Err(shell_reasons
                    .into_iter()
                    .map(|r| format!("{r}, and {} has no shell", runtime.family.as_str()))
                    .collect());
            }
            if !runtime.packages.is_empty() {
                return Err(vec![format!(
                    "the app needs {} at run time, and {} has no package manager to install it",
                    runtime.packages.join(", "),
                    runtime.family.as_str()
                )]);
            }
        }
        // The runtime stage installs with its image's package manager: names read from another manager's
        // install (`apk add` on what looks like a Debian image) mean other packages there, or none (fuzzer:
        // `apk add perl` became `apt-get install perl`, a build package on the next pass).
        let runtime_manager = if runtime.image.contains("alpine") { "apk" } else { "apt" };
        // A name counts for the manager that installed it for run time, or whose `-dev` package it is the
        // library of (apk's perl-dev stands for apk's perl; apt's perl as a build tool does not count).
        let (mut same, mut other) = (std::collections::HashSet::new(), std::collections::HashSet::new());
        for p in &f.packages {
            let is_same = p.manager == runtime_manager;
            let set = if is_same { &mut same } else { &mut other };
            if !is_same || p.role != crate::knowledge::packages::Role::Build {
                set.insert(p.name.as_str());
            }
            set.extend(p.runtime.iter().map(String::as_str));
        }
        let foreign: Vec<&str> = runtime
            .packages
            .iter()
            .map(String::as_str)
            .filter(|name| other.contains(name) && !same.contains(name))
            .collect();
        if !foreign.is_empty() {
            return Err(vec![format!(
                "the app needs {} at run time, installed with another package manager than the runtime image `{}` uses ({runtime_manager})",
                foreign.join(", "),
                runtime.image
            )]);
        }
        // The runtime stage installs from its image's default sources, plus the repositories the build's
        // install named (`apk add --repository URL`): a package from a source the build set up would be
        // missing there, or another build of it.
        let mut from_extra: Vec<(u32, Vec<&str>)> = Vec::new();
        let mut repositories: Vec<String> = Vec::new();
        for name in &runtime.packages {
            // The installs that bring it: by its name, or as the library of a `-dev` package.
            let bringing: Vec<&crate::analyze::PkgUse> = f
                .packages
                .iter()
                .filter(|p| p.manager == runtime_manager && (p.name == *name || p.runtime.contains(name)))
                .collect();
            if let Some(at) = bringing.iter().find_map(|p| p.extra_source) {
                let line = doc.span(doc.instructions[at].span.clone()).line;
                match from_extra.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, names)) => names.push(name),
                    None => from_extra.push((line, vec![name])),
                }
            }
            for r in bringing.iter().flat_map(|p| &p.repositories) {
                if !repositories.contains(r) {
                    repositories.push(r.clone());
                }
            }
        }
        if !from_extra.is_empty() {
            return Err(from_extra
                .into_iter()
                .map(|(line, names)| {
                    let (them, are) =
                        if names.len() == 1 { ("it", "it may be missing or a different build") } else { ("them", "they may be missing or different builds") };
                    format!(
                        "the app needs {} at run time, from a package source the build sets up (line {line}); the \
                         runtime stage would install {them} from `{}`'s default sources, where {are}",
                        names.join(", "),
                        runtime.image
                    )
                })
                .collect());
        }

        // 1. Directives, global ARGs, earlier stages.
        out.push_str(doc.slice(doc.directives.clone()));
        let first_from = ctx.model.stages.first().map_or(doc.instructions.len(), |s| s.from);
        for i in 0..first_from {
            w.instruction(&mut out, i, &[]);
        }
        for (si, stage) in ctx.model.stages.iter().enumerate() {
            if si == target.index {
                break;
            }
            for i in stage.from..stage.body.end {
                w.instruction(&mut out, i, &[]);
            }
        }

        // The user the final image runs as decides who must own its volumes.
        let user_plan = self.plan_user(&runtime);
        self.own_volumes(&user_plan);

        // 2. The builder: the target stage minus what only matters at run time.
        let from_i = target.from;
        let mut from_edits: Vec<(Range<usize>, String)> = Vec::new();
        if let Args::From { image_span, alias, .. } = &doc.instructions[from_i].args {
            if let Some((img, why)) = &self.builder_image {
                from_edits.push((image_span.clone(), img.clone()));
                self.changes.push(ctx.change(
                    "pin-builder-release",
                    format!("The builder is pinned to `{img}` so that it and `{}` share one Debian release: {why}", runtime.image),
                    Some(from_i),
                ));
            }
            if alias.is_none() {
                let end = doc.instructions[from_i].span.end;
                from_edits.push((end..end, format!(" AS {}", self.builder_name)));
            }
        }
        self.changes.push(ctx.change(
            "add-builder-stage",
            format!(
                "The original stage is now the builder `{}`: it keeps the compilers, package managers and sources, \
                 and none of them reach the final image.",
                self.builder_name
            ),
            Some(from_i),
        ));
        w.instruction(&mut out, from_i, &from_edits);
        let body: Vec<usize> = target.body.clone().collect();
        let last_run = body.iter().rev().find(|&&i| doc.instructions[i].kind == Kind::Run).copied();
        let mut moved: Vec<usize> = Vec::new();
        for &i in &body {
            for (_, line) in self.insert_before.iter().filter(|(at, _)| *at == i) {
                out.push_str(line);
                out.push_str(nl);
            }
            let inst = &doc.instructions[i];
            let is_runtime_only = RUNTIME_ONLY.contains(&inst.kind);
            let trailing_user = inst.kind == Kind::User && last_run.is_none_or(|r| r < i);
            if is_runtime_only || trailing_user {
                moved.push(i);
                continue;
            }
            w.instruction(&mut out, i, &self.edits);
        }
        if let Some(lines) = self.library_check(&runtime) {
            self.append.extend(lines);
        }
        for line in &self.append {
            out.push_str(line);
            out.push_str(nl);
        }
        out.push_str(nl);

        // 3. The runtime stage.
        let image = match &user_plan.tag {
            Some(tag) => format!("{}:{tag}", runtime.image),
            None => runtime.image.clone(),
        };
        out.push_str(&format!("FROM {image} AS {}{nl}", self.runtime_name));
        self.changes.push(ctx.change(
            "add-runtime-stage",
            format!("The final image is now `{image}` ({}): {}", runtime.family.as_str(), runtime.why),
            None,
        ));

        let mut runtime_lines = String::new();
        let mut rw = Writer { doc, keep_comments: opts.keep_comments, nl };
        // Labels and ENV, verbatim, in their order.
        for &i in &moved {
            if matches!(doc.instructions[i].kind, Kind::Label | Kind::Maintainer) {
                rw.instruction(&mut runtime_lines, i, &[]);
            }
        }
        let mut dropped_env: Vec<String> = Vec::new();
        for &i in &body {
            let inst = &doc.instructions[i];
            if inst.kind != Kind::Env {
                continue;
            }
            let keys: Vec<String> = crate::shell::key_values(inst.arg_text()).into_iter().map(|(k, _)| k).collect();
            if self.skip.contains(&Kind::Env) || keys.iter().all(|k| BUILD_ONLY_ENV.contains(&k.as_str()) || k.starts_with("UV_")) {
                dropped_env.extend(keys);
                continue;
            }
            rw.instruction(&mut runtime_lines, i, &[]);
        }
        if !dropped_env.is_empty() {
            self.changes.push(ctx.change(
                "drop-build-env",
                format!(
                    "ENV {} stays in the builder only: it configures the build and means nothing to the final image.",
                    dropped_env.join(", ")
                ),
                None,
            ));
        }
        for line in &self.runtime_env {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        let workdir = self.workdir.clone().unwrap_or_else(|| f.workdir.clone());
        if workdir != "/" {
            runtime_lines.push_str(&format!("WORKDIR {workdir}{nl}"));
        }
        if !runtime.packages.is_empty() {
            let line = install_line(&runtime, &repositories);
            runtime_lines.push_str(&line);
            runtime_lines.push_str(nl);
            self.changes.push(ctx.change(
                "install-runtime-packages",
                format!(
                    "The runtime stage installs only {} — what the app needs at run time — not the compilers and headers{}.",
                    runtime.packages.join(", "),
                    if repositories.is_empty() {
                        String::new()
                    } else {
                        format!(", from the repositories the build named ({})", repositories.join(" "))
                    }
                ),
                None,
            ));
        }
        if let Some(line) = &user_plan.create {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        // Files the runtime reads that were placed outside the copied folders.
        let chown_to = if runtime.family.has_shell() { ChownTo::Names } else { ChownTo::Uid(user_plan.runtime_uid()) };
        let refusals = self.carry_outside_copies(&workdir, &chown_to);
        if !refusals.is_empty() {
            return Err(refusals);
        }
        for p in &needs.paths {
            if self.copies.iter().any(|c| under(p, &c.to)) || under(p, &workdir) {
                continue;
            }
            self.copies.push(CopyItem { from: p.clone(), to: p.clone(), chown: None });
            self.changes.push(ctx.change(
                "carry-file",
                format!("`{p}`, which the command names, is made by the build outside the app folder: the runtime stage copies it from the builder."),
                f.cmd.or(f.entrypoint),
            ));
        }
        for c in &self.copies {
            let chown = c.chown.as_ref().map(|o| format!(" --chown={o}")).unwrap_or_default();
            runtime_lines.push_str(&format!("COPY --from={}{chown} {}{nl}", self.builder_name, copy_paths(&c.from, &c.to)));
        }
        if !self.copies.is_empty() {
            let what: Vec<&str> = self.copies.iter().map(|c| c.from.as_str()).collect();
            self.changes.push(ctx.change(
                "copy-artifacts",
                format!("Only what the app runs is copied from the builder: {}.", what.join(", ")),
                None,
            ));
        }
        for line in &self.extra {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        for &i in &moved {
            let inst = &doc.instructions[i];
            if self.skip.contains(&inst.kind) {
                continue;
            }
            match inst.kind {
                Kind::Expose | Kind::Volume | Kind::Stopsignal | Kind::Onbuild => {
                    rw.instruction(&mut runtime_lines, i, &[]);
                }
                Kind::Healthcheck => {
                    rw.instruction(&mut runtime_lines, i, &[]);
                }
                _ => {}
            }
        }
        if let Some(line) = &user_plan.line {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        self.changes.extend(user_plan.changes);

        // The command.
        let cmd_lines = self.command_lines(&runtime, &moved, &mut rw)?;
        runtime_lines.push_str(&cmd_lines);

        // Re-declare the ARGs the runtime stage uses.
        let used: BTreeSet<String> = referenced_vars(&runtime_lines).into_iter().collect();
        let mut arg_lines = String::new();
        for name in &used {
            if let Some((_, _, i)) = f.args.iter().find(|(k, _, _)| k == name) {
                let text = doc.instructions[*i].text(doc);
                // An `ARG A=1 B=2` line is split: only the one used.
                match crate::shell::key_values(doc.instructions[*i].arg_text()).into_iter().find(|(k, _)| k == name) {
                    Some((k, Some(v))) if crate::shell::key_values(doc.instructions[*i].arg_text()).len() > 1 => {
                        arg_lines.push_str(&format!("ARG {k}={v}{nl}"));
                    }
                    _ => {
                        arg_lines.push_str(&close_open_continuation(text, doc.escape));
                        arg_lines.push_str(nl);
                    }
                }
            } else if ctx.model.global_args.iter().any(|(k, _, _)| k == name) {
                arg_lines.push_str(&format!("ARG {name}{nl}"));
            }
        }
        if !arg_lines.is_empty() {
            self.changes.push(ctx.change(
                "redeclare-args",
                "The runtime stage re-declares the ARGs it uses: an ARG is visible only in the stage that declares it."
                    .to_owned(),
                None,
            ));
        }
        out.push_str(&arg_lines);
        out.push_str(&runtime_lines);
        if opts.keep_comments {
            let trailing = doc.slice(doc.trailing.clone());
            let t = trailing.trim_start_matches(['\r', '\n']);
            if !t.trim().is_empty() {
                out.push_str(nl);
                out.push_str(t);
            }
        }
        if !out.ends_with('\n') {
            out.push_str(nl);
        }
        let runtime_image = image;
        Ok(Plan {
            strategy,
            ecosystem: eco,
            runtime: runtime.family,
            runtime_image,
            output: out,
            changes: self.changes,
            findings: self.findings,
        })
    }

    /// A VOLUME's folder is created root-owned when the image lacks it, and a non-root app cannot write
    /// there. The builder creates each one and the runtime stage copies it owned by the app's user.
    fn own_volumes(&mut self, plan: &UserPlan) {
        let ctx = self.ctx;
        let f = ctx.target();
        // None: root, or a named user created in the runtime stage (slim), which can chown itself.
        let Some(uid) = plan.runtime_uid() else { return };
        let target = ctx.model.target().expect("complete document");
        let vols: Vec<String> = f
            .volumes
            .iter()
            .filter(|(_, i)| target.body.contains(i))
            .map(|(v, _)| crate::analyze::normalize(v))
            .filter(|v| v != "/" && !v.contains('$'))
            .collect();
        if vols.is_empty() {
            return;
        }
        self.append.push(format!("RUN mkdir -p {}", vols.join(" ")));
        for v in &vols {
            self.copies.retain(|c| c.from != *v);
            self.copies.push(CopyItem { from: v.clone(), to: v.clone(), chown: Some(uid.clone()) });
        }
        self.changes.push(ctx.change(
            "volume-owner",
            format!(
                "The builder creates {} and the runtime stage copies it owned by {uid}: a volume folder the image lacks is created root-owned, and the non-root app could not write to it.",
                vols.join(", ")
            ),
            f.volumes.first().map(|(_, i)| *i),
        ));
    }

    /// COPY/ADD of the original stage whose destination lies outside every folder copied to the runtime
    /// stage and outside the WORKDIR sources: configuration and scripts the app reads. They are copied
    /// from the builder (which has them, with any later changes) to the same place.
    /// Err-like: the reasons to refuse (an archive unpacked where slimfile cannot tell what the app needs).
    fn carry_outside_copies(&mut self, workdir: &str, chown_to: &ChownTo) -> Vec<String> {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let target = ctx.model.target().expect("complete document");
        let mut wd = "/".to_owned();
        let removed = removed_paths(ctx, target.body.clone());
        let mut written = Vec::new();
        let mut refusals = Vec::new();
        let first_carried = self.copies.len();
        for i in target.body.clone() {
            let inst = &doc.instructions[i];
            if inst.kind == Kind::Workdir {
                wd = join_path(&wd, inst.arg_text());
            }
            if inst.kind == Kind::Run {
                self.carry_run_writes(i, &wd, &removed, &mut written, chown_to, &mut refusals);
                continue;
            }
            if !matches!(inst.kind, Kind::Copy | Kind::Add) || inst.flag("from").is_some() {
                continue;
            }
            let Args::Copy { dest, .. } = &inst.args else { continue };
            if dest.contains('$') {
                continue;
            }
            let mut abs = join_path(&wd, dest);
            let dest_is_dir = dest.ends_with('/') || dest == "." || dest == "./";
            // Inside the workdir (sources) or under a folder already copied: nothing to add.
            if under(&abs, workdir) || under(&abs, &wd) || self.copies.iter().any(|c| under(&abs, &c.to)) {
                continue;
            }
            if abs == "/" {
                continue;
            }
            if dest_is_dir {
                // `COPY a b /etc/app/`: copy the folder.
                abs = abs.trim_end_matches('/').to_owned();
            }
            let chown = inst.flag_value("chown").map(str::to_owned);
            if !self.copies.iter().any(|c| c.from == abs) {
                self.copies.push(CopyItem { from: abs.clone(), to: abs.clone(), chown });
                self.changes.push(ctx.change(
                    "carry-file",
                    format!("`{abs}` was copied into the original image outside the app folder; the runtime stage copies it from the builder."),
                    Some(i),
                ));
            }
        }
        // A file carried on its own and then its folder (`touch /var/log/app/out.log`, then `chown -R app
        // /var/log/app`): the folder's COPY has it.
        let carried: Vec<String> = self.copies[first_carried..].iter().map(|c| c.to.clone()).collect();
        let folded: Vec<&String> = carried.iter().filter(|c| carried.iter().any(|d| d != *c && under(c, d))).collect();
        let mut k = 0;
        self.copies.retain(|c| {
            k += 1;
            k <= first_carried || !folded.contains(&&c.to)
        });
        self.changes.retain(|ch| !(ch.kind == "carry-file" && folded.iter().any(|t| ch.why.starts_with(&format!("`{t}`")))));
        refusals
    }

    /// Files a RUN of the original final stage makes ([`made_files`]: `cat <<EOF > /etc/app.yaml`,
    /// `echo "$V" > version.txt`, `cp`, `curl -o`), touches or hands to a user with `chown`: the app may read them, so the runtime stage copies them, wherever they
    /// are, except where only the build looks ([`crate::analyze::BUILD_ONLY_PATHS`]) or under a folder
    /// already copied, or removed again by the stage (`rm`: copying it would fail the build). A relative path
    /// after a `cd` in the same RUN cannot be placed and is left out.
    ///
    /// What `tar -x` or `unzip` unpacks is the same, unless the build uses it ([`Split::build_uses`]: a
    /// toolchain unpacked into /usr/local, `protoc`) or it is the build folder itself; a whole archive
    /// unpacked into a folder the system shares ([`SHARED_FOLDERS`]) cannot be carried without the
    /// builder's other files there: refused.
    #[allow(clippy::too_many_arguments)]
    fn carry_run_writes(
        &mut self,
        i: usize,
        wd: &str,
        removed: &[String],
        written: &mut Vec<String>,
        chown_to: &ChownTo,
        refusals: &mut Vec<String>,
    ) {
        let ctx = self.ctx;
        let cmds = ctx.analysis.commands(i);
        let cds = cmds.iter().any(|c| c.program() == "cd");
        let place = |w: &str| place_path(wd, w, cds);
        for c in cmds {
            // (where it lands, how the RUN writes it, the owner a chown gives it)
            let mut targets: Vec<(String, String, Option<String>)> = Vec::new();
            // Redirections and `tee`, `cp`/`install` destinations, `curl`/`wget` downloads, unpacked archives.
            for (w, how) in made_files(c) {
                let Some(abs) = place(&w) else {
                    // After a `cd` (or through a variable) the folder is not known: say so rather than
                    // guess a path a COPY would not find.
                    self.changes.push(ctx.change(
                        "file-left-in-builder",
                        format!(
                            "`{w}` is made by a RUN (`{} … {w}`) in a folder slimfile cannot tell (after a `cd`, or named by a variable): it stays in the builder. If the app needs it at run time, add a COPY --from for it.",
                            c.program()
                        ),
                        Some(i),
                    ));
                    continue;
                };
                if matches!(how, Made::Extracted | Made::Unpacked) {
                    // Unpacked into the build folder (sources, vendored code) or a scratch place: the build's.
                    if abs == wd || crate::analyze::BUILD_ONLY_PATHS.iter().any(|d| under(&abs, d)) {
                        continue;
                    }
                    let line = |k: usize| ctx.doc.span(ctx.doc.instructions[k].span.clone()).line;
                    if let Some((k, what)) = self.build_uses(i, &abs, how == Made::Unpacked) {
                        self.changes.push(ctx.change(
                            "builder-only-archive",
                            format!(
                                "`{abs}` is unpacked (`{} … {w}`) and {what} at line {}: a tool for the build, it stays in the builder. If the app also needs it at run time, add a COPY --from for it.",
                                c.program(),
                                line(k),
                            ),
                            Some(i),
                        ));
                        continue;
                    }
                    if how == Made::Unpacked && SHARED_FOLDERS.contains(&abs.as_str()) {
                        refusals.push(format!(
                            "line {} unpacks an archive into {abs} (`{} … {w}`), a folder that also holds the builder's own files; slimfile cannot tell which of them the app needs at run time: name the members to unpack, or unpack it into a folder of its own",
                            line(i),
                            c.program()
                        ));
                        continue;
                    }
                }
                let how = if c.writes.contains(&w) {
                    format!("{} … > {w}", c.program())
                } else if c.program() == "tee" {
                    format!("tee {w}")
                } else {
                    format!("{} … {w}", c.program())
                };
                targets.push((abs, how, None));
            }
            // `touch` makes files; `chown` hands a file or folder to the app's user (a log folder, a data
            // folder): the app writes there at run time.
            if c.program() == "touch" {
                targets.extend(c.positional(0).filter_map(|w| place(w).map(|abs| (abs, format!("touch {w}"), None))));
            }
            if c.program() == "chown" {
                let mut args = c.positional(0);
                if let Some(owner) = args.next() {
                    for w in args {
                        if let Some(abs) = place(w) {
                            targets.push((abs, format!("chown {owner} {w}"), Some(owner.to_owned())));
                        }
                    }
                }
            }
            // `mv file.tmp file`: a written file that moves is written where it lands.
            if c.program() == "mv" {
                let args: Vec<&str> = c.positional(0).collect();
                if let Some((dest, sources)) = args.split_last() {
                    for src in sources.iter().filter_map(|s| place(s)).filter(|s| written.contains(s)) {
                        if let Some(d) = place(dest) {
                            let landed = if dest.ends_with('/') {
                                format!("{d}/{}", src.rsplit('/').next().unwrap_or_default())
                            } else {
                                d
                            };
                            targets.push((landed, format!("mv … {dest}"), None));
                        }
                    }
                }
            }
            for (abs, w, owner) in targets {
                written.push(abs.clone());
                let name = abs.rsplit('/').next().unwrap_or_default();
                if abs == "/"
                    || crate::analyze::BUILD_ONLY_PATHS.iter().any(|d| under(&abs, d))
                    || crate::analyze::BUILD_CREDENTIAL_FILES.contains(&name)
                    || removed.iter().any(|r| under(&abs, r))
                    || self.copies.iter().any(|c| under(&abs, &c.to))
                {
                    continue;
                }
                let chown = match (owner, chown_to) {
                    (Some(o), _) if numeric_user(&o) => Some(o),
                    (Some(o), ChownTo::Names) => Some(o),
                    (Some(_), ChownTo::Uid(uid)) => uid.clone(),
                    (None, _) => None,
                };
                self.copies.push(CopyItem { from: abs.clone(), to: abs.clone(), chown });
                self.changes.push(ctx.change(
                    "carry-file",
                    format!("`{abs}` is made by a RUN of the original image (`{w}`), and the app may use it: the runtime stage copies it from the builder."),
                    Some(i),
                ));
            }
        }
    }

    /// The builder's last lines when the runtime is a distroless image whose shared libraries the data
    /// lists ([`runtimes::RuntimeImage::libraries`]) and the program it runs is copied from the builder:
    /// `ldd` names what the program links, and one the runtime lacks stops the build with its name. A
    /// library slimfile could not see (a crate that links the rust image's zlib, a cgo package's own C
    /// library) then fails the build with a reason instead of the container at its start ("error while
    /// loading shared libraries").
    fn library_check(&mut self, runtime: &Runtime) -> Option<Vec<String>> {
        let ctx = self.ctx;
        let program = match &self.command {
            Some((ep, cmd)) => ep.as_ref().and_then(|e| e.first()).or(cmd.as_ref().and_then(|c| c.first())).cloned(),
            None => crate::analyze::final_argv(ctx.doc, ctx.target()).and_then(|a| a.into_iter().next()),
        }?;
        let built = self.copies.iter().find_map(|c| {
            if c.to == program || (!program.contains('/') && c.to.rsplit('/').next() == Some(program.as_str())) {
                Some(c.from.clone())
            } else {
                program.strip_prefix(&format!("{}/", c.to.trim_end_matches('/'))).map(|rest| format!("{}/{rest}", c.from.trim_end_matches('/')))
            }
        })?;
        let lines = ldd_check(&runtime.image, &built, ctx.doc.escape)?;
        self.changes.push(ctx.change("check-libraries", check_libraries_why(&built, &runtime.image), None));
        Some(lines)
    }

    /// Whether the stage's build uses what RUN `i` unpacks at `abs` (`whole`: an archive's whole content
    /// in that folder), and where: PATH names a folder inside it (`ENV PATH=/usr/local/go/bin:$PATH`); a
    /// later RUN runs a program from it (`/opt/protoc/bin/protoc`, or the member `protoc` by name); or a
    /// whole archive lands where programs are found (/usr/local, /usr/local/bin, …) before a build step
    /// (Node.js unpacked into /usr/local, then `npm ci`). The instruction and what it does, for the note.
    fn build_uses(&self, i: usize, abs: &str, whole: bool) -> Option<(usize, String)> {
        let ctx = self.ctx;
        let f = ctx.target();
        let target = ctx.model.target()?;
        const DEFAULT_PATH: &[&str] = &["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
        for (_, v, at) in f.env.iter().filter(|(k, _, _)| k == "PATH") {
            if let Some(d) = v.split(':').find(|d| under(d, abs) && !DEFAULT_PATH.contains(d)) {
                return Some((*at, format!("PATH names {d}, inside it,")));
            }
        }
        let name = abs.rsplit('/').next().unwrap_or(abs);
        for k in target.body.clone().filter(|&k| k > i && ctx.doc.instructions[k].kind == Kind::Run) {
            for c in ctx.analysis.commands(k) {
                let p = c.program();
                if (p.starts_with('/') && under(p, abs)) || (!whole && !p.is_empty() && p == name) {
                    return Some((k, format!("a later RUN runs `{p}`")));
                }
            }
        }
        let on_path = |d: &str| DEFAULT_PATH.contains(&d) || DEFAULT_PATH.contains(&format!("{d}/bin").as_str()) || d == "/";
        if whole && on_path(abs) {
            if let Some(step) = f.steps.iter().find(|s| s.inst > i) {
                let shown: Vec<&str> = step.cmd.argv.iter().take(2).map(String::as_str).collect();
                return Some((step.inst, format!("the build step `{}` that follows may run a program from it", shown.join(" "))));
            }
        }
        None
    }

    fn command_lines(&mut self, runtime: &Runtime, moved: &[usize], w: &mut Writer) -> Result<String, Vec<String>> {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let nl = w.nl;
        let has_shell = runtime.family.has_shell();
        let mut s = String::new();
        if let Some((ep, cmd)) = self.command.clone() {
            let originals: Vec<usize> =
                moved.iter().copied().filter(|&i| matches!(doc.instructions[i].kind, Kind::Cmd | Kind::Entrypoint)).collect();
            // Keep the user's comments above the command.
            if let Some(&first) = originals.first() {
                s.push_str(&w.leading(first));
            }
            if let Some(ep) = ep {
                s.push_str(&format!("ENTRYPOINT {}{nl}", json_array(&ep)));
            }
            if let Some(cmd) = cmd {
                s.push_str(&format!("CMD {}{nl}", json_array(&cmd)));
            }
            return Ok(s);
        }
        for &i in moved {
            let inst = &doc.instructions[i];
            if !matches!(inst.kind, Kind::Cmd | Kind::Entrypoint) {
                continue;
            }
            match inst.command() {
                Some(Command::Shell(text)) if !has_shell => match exact_exec(text) {
                    Some(words) => {
                        s.push_str(&w.leading(i));
                        s.push_str(&format!("{} {}{nl}", inst.kind.as_str(), json_array(&words)));
                        self.changes.push(ctx.change(
                            "exec-form",
                            format!(
                                "{} is now in exec form: {} has no shell to run `{}`, and the words need no shell \
                                 (no variables, quotes or operators), so the meaning is the same.",
                                inst.kind.as_str(),
                                runtime.family.as_str(),
                                text.trim()
                            ),
                            Some(i),
                        ));
                    }
                    None => {
                        return Err(vec![format!(
                            "{} `{}` is in shell form and needs a shell ({}), and {} has none",
                            inst.kind.as_str(),
                            text.trim(),
                            shell_syntax(text.trim()).unwrap_or("it uses shell syntax"),
                            runtime.family.as_str()
                        )]);
                    }
                },
                _ => w.instruction(&mut s, i, &[]),
            }
        }
        Ok(s)
    }

    fn plan_user(&self, runtime: &Runtime) -> UserPlan {
        let ctx = self.ctx;
        let f = ctx.target();
        let needs = &ctx.analysis.needs;
        let mut plan = UserPlan::default();
        let orig = f.user.as_ref().map(|(u, i)| (u.as_str(), *i));
        let explicit_root = orig.is_some_and(|(u, _)| u == "root" || u == "0" || u.starts_with("0:") || u.starts_with("root:"));
        let numeric = orig.is_some_and(|(u, _)| numeric_user(u));
        if runtime.distroless() {
            let wants_nonroot = (ctx.options.non_root || orig.is_some()) && !explicit_root;
            if !needs.root.is_empty() && wants_nonroot && !numeric {
                plan.changes.push(ctx.change(
                    "runs-as-root",
                    format!("The final image keeps running as root because {}.", needs.root.join("; ")),
                    None,
                ));
                return plan;
            }
            if explicit_root || !wants_nonroot {
                match orig {
                    // Said explicitly: kept as written (distroless has root in its /etc/passwd).
                    Some((_, i)) if explicit_root => plan.line = Some(doc_text(ctx.doc, i)),
                    _ => plan.changes.push(ctx.change(
                        "runs-as-root",
                        "The final image runs as root, as the original did (the non-root option is off).",
                        None,
                    )),
                }
                return plan;
            }
            if numeric {
                let (u, i) = orig.expect("numeric implies a user");
                plan.line = Some(format!("USER {u}"));
                plan.changes.push(ctx.change("keep-user", format!("USER {u} is kept: a numeric user needs no /etc/passwd entry."), Some(i)));
                return plan;
            }
            plan.tag = Some("nonroot".to_owned());
            let why = match orig {
                Some((u, i)) => {
                    plan.line = Some("USER nonroot".to_owned());
                    plan.changes.push(ctx.change(
                        "map-user",
                        format!(
                            "USER {u} became distroless's `nonroot` user (uid 65532): the user `{u}` was created in the \
                             original image and does not exist in distroless. The app's files stay root-owned and read-only."
                        ),
                        Some(i),
                    ));
                    return plan;
                }
                None => "The final image runs as the unprivileged `nonroot` user (uid 65532, `:nonroot` tag) instead of root. \
                         Turn the non-root option off if the app must write outside /tmp or bind a port below 1024."
                    .to_owned(),
            };
            plan.changes.push(ctx.change("non-root", why, None));
            return plan;
        }
        if runtime.family == RuntimeFamily::Scratch {
            // scratch has no /etc/passwd: only numeric users exist. The original's own USER is kept (as a uid)
            // whatever the non-root option says, as on distroless: that option only adds a user.
            let wants_nonroot = (ctx.options.non_root || orig.is_some()) && !explicit_root;
            if numeric {
                let (u, i) = orig.expect("numeric implies a user");
                plan.line = Some(format!("USER {u}"));
                plan.changes.push(ctx.change("keep-user", format!("USER {u} is kept: scratch has no /etc/passwd, and a numeric user needs none."), Some(i)));
            } else if let (true, Some((u, i))) = (explicit_root, orig) {
                plan.line = Some("USER 0:0".to_owned());
                plan.changes.push(ctx.change(
                    "keep-user",
                    format!("USER {u} is kept as `USER 0:0`: scratch has no /etc/passwd to look the name up in."),
                    Some(i),
                ));
            } else if wants_nonroot && !needs.root.is_empty() {
                plan.changes.push(ctx.change(
                    "runs-as-root",
                    format!("The final image keeps running as root because {}.", needs.root.join("; ")),
                    orig.map(|(_, i)| i),
                ));
            } else if !wants_nonroot {
                if !explicit_root {
                    plan.changes.push(ctx.change(
                        "runs-as-root",
                        "The final image runs as root, as the original did (the non-root option is off).",
                        None,
                    ));
                }
            } else {
                plan.line = Some("USER 65532:65532".to_owned());
                plan.changes.push(ctx.change(
                    "non-root",
                    format!(
                        "The final image runs as uid 65532 (scratch has no user names){}.",
                        orig.map_or(String::new(), |(u, _)| format!("; `{u}` existed only in the original image"))
                    ),
                    orig.map(|(_, i)| i),
                ));
            }
            return plan;
        }
        // Images with a shell and /etc/passwd: keep the original user, creating it when it was created in the
        // original image.
        if let Some((u, i)) = orig {
            if !explicit_root && !numeric {
                let name = u.split(':').next().unwrap_or(u);
                // The original's own commands give the user the same uid, so it still owns the files copied
                // from the builder (COPY --from keeps their owner); a generic system user would get another.
                let own = self.original_user_commands(name);
                let create = own.clone().unwrap_or_else(|| match &f.distro {
                    Distro::Alpine { .. } => format!("RUN addgroup -S {name} && adduser -S -G {name} {name}"),
                    _ => format!("RUN groupadd --system {name} && useradd --system --gid {name} --no-create-home {name}"),
                });
                // Users every Debian, Ubuntu and Alpine image already has (base-passwd, busybox's passwd).
                let system_user = matches!(name, "nobody" | "daemon" | "bin" | "sys" | "www-data" | "mail" | "games" | "operator");
                let exists_in_runtime = system_user
                    || runtime.family == RuntimeFamily::DotnetAspnet && name == "app"
                    || runtime.family == RuntimeFamily::DotnetRuntime && name == "app"
                    || runtime.image.contains("nginx") && name == "nginx"
                    || runtime.image.starts_with("node:") && name == "node";
                if !exists_in_runtime {
                    plan.create = Some(create);
                    let how = if own.is_some() {
                        " with the original's own commands, so it keeps its uid and still owns the files copied from the builder"
                    } else {
                        ""
                    };
                    plan.changes.push(ctx.change(
                        "create-user",
                        format!("The runtime stage creates the user `{name}` again{how}: it was created in the builder, which the final image no longer inherits."),
                        Some(i),
                    ));
                }
            }
            plan.line = Some(doc_text(ctx.doc, i));
        }
        plan
    }
}

impl Split<'_, '_> {
    /// `RUN …` with the commands of the original final stage that create the user `name` and its group
    /// (`adduser`, `useradd`, `addgroup`, `groupadd`), or `None` when there are none or one holds shell
    /// syntax that would not survive being written again word by word.
    fn original_user_commands(&self, name: &str) -> Option<String> {
        let ctx = self.ctx;
        let target = ctx.model.target()?;
        let cmds: Vec<&crate::shell::SimpleCommand> = target.body.clone().flat_map(|i| ctx.analysis.commands(i)).collect();
        let user = cmds
            .iter()
            .find(|c| matches!(c.program(), "adduser" | "useradd") && c.positional(0).last() == Some(name))?;
        let groups = cmds.iter().filter(|c| {
            matches!(c.program(), "addgroup" | "groupadd")
                && c.positional(0).last().is_some_and(|g| g == name || user.argv.iter().any(|a| a == g))
        });
        let creating: Vec<_> = groups.chain(std::iter::once(user)).collect();
        let plain = |w: &String| !w.is_empty() && !w.contains(char::is_whitespace) && shell_syntax(w).is_none();
        if !creating.iter().all(|c| c.env.is_empty() && c.argv.iter().all(plain)) {
            return None;
        }
        let line: Vec<String> = creating.iter().map(|c| c.argv.join(" ")).collect();
        Some(format!("RUN {}", line.join(" && ")))
    }
}

/// A runtime stage's exec-form `(ENTRYPOINT, CMD)`; `None` for one the stage does not set.
pub type ExecCommand = (Option<Vec<String>>, Option<Vec<String>>);

/// `from to` for a COPY line; the JSON form when a path holds whitespace or a quote, which the plain form
/// would split into more paths (fuzzer: a WORKDIR with spaces made the copied artifact two sources).
fn copy_paths(from: &str, to: &str) -> String {
    let plain = |p: &str| !p.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if plain(from) && plain(to) {
        format!("{from} {to}")
    } else {
        json_array(&[from.to_owned(), to.to_owned()])
    }
}

fn doc_text(doc: &Document, i: usize) -> String {
    close_open_continuation(doc.instructions[i].text(doc), doc.escape)
}

/// The runtime stage's package install; `repositories`: apk options naming where the build got them.
fn install_line(runtime: &Runtime, repositories: &[String]) -> String {
    let pkgs = runtime.packages.join(" ");
    if runtime.image.contains("alpine") {
        let repos: String = repositories.iter().map(|r| format!("{r} ")).collect();
        format!("RUN apk add --no-cache {repos}{pkgs}")
    } else {
        format!(
            "RUN apt-get update && apt-get install -y --no-install-recommends {pkgs} && rm -rf /var/lib/apt/lists/*"
        )
    }
}

impl UserPlan {
    /// The `uid:gid` the runtime stage runs as when it is a number there (distroless's `nonroot`, a numeric
    /// USER); `None` for root or for a named user of an image with /etc/passwd.
    fn runtime_uid(&self) -> Option<String> {
        if self.tag.as_deref() == Some("nonroot") || self.line.as_deref() == Some("USER nonroot") {
            return Some("65532:65532".to_owned());
        }
        let u = self.line.as_deref()?.strip_prefix("USER ")?.trim();
        numeric_user(u).then(|| if u.contains(':') { u.to_owned() } else { format!("{u}:{u}") })
    }
}

/// The lines of the builder check for a program at `built` (an absolute path of plain characters) bound
/// for `image` (a runtime whose libraries the data lists): `ldd` names what it links, and one `image`
/// lacks stops the build with the library's name. `None` when there is no list, the path is not plain,
/// or the file's escape character is not `\` (the lines continue with it).
pub fn ldd_check(image: &str, built: &str, escape: char) -> Option<Vec<String>> {
    let img = runtimes::IMAGES.iter().find(|r| r.image == image && !r.libraries.is_empty())?;
    if escape != '\\' || !built.starts_with('/') || !built.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c)) {
        return None;
    }
    Some(vec![
        format!("# slimfile: the build stops if {built} links a shared library {image} does not have."),
        format!("RUN ldd {built} > /tmp/slimfile-ldd 2>&1 || true; \\"),
        "    while read -r so _; do case \"$so\" in \\".to_owned(),
        // Exact sonames: Debian 10's libssl.so.1.1 is not the libssl.so.3 of distroless/base-debian12.
        format!("      /*|{}) ;; \\", img.libraries.join("|")),
        format!("      lib*.so*) echo \"slimfile: {built} links $so, which {image} does not have: convert with the slim target (--target slim) and install the package that holds $so in the runtime stage\" >&2; exit 1 ;; \\"),
        "    esac; done < /tmp/slimfile-ldd".to_owned(),
    ])
}

/// The change note of [`ldd_check`].
pub fn check_libraries_why(built: &str, image: &str) -> String {
    format!(
        "The builder checks with `ldd` that {built} links only shared libraries `{image}` has (listed in the RUN line): a library slimfile cannot see in the Dockerfile (one a crate or a cgo package links) stops the build with its name, instead of the container at its start."
    )
}

/// Folders the system and the builder's packages share: an archive unpacked whole into one cannot be told
/// apart from what else is there.
const SHARED_FOLDERS: &[&str] = &[
    "/", "/usr", "/usr/local", "/usr/lib", "/usr/share", "/usr/bin", "/bin", "/lib", "/opt", "/etc", "/var", "/var/lib", "/home", "/root",
];

/// `1000` or `1000:1000`: a user no /etc/passwd needs to name.
fn numeric_user(u: &str) -> bool {
    u.split(':').next().is_some_and(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()))
}

/// Who owns a folder the runtime stage copies from the builder because a `chown` gave it to someone.
enum ChownTo {
    /// The runtime image knows the builder's user names (a slim image, where the user is created again).
    Names,
    /// It does not (distroless, scratch): the uid the app runs as, or nobody's business when root runs it.
    Uid(Option<String>),
}

#[derive(Default)]
struct UserPlan {
    tag: Option<String>,
    line: Option<String>,
    create: Option<String>,
    changes: Vec<Change>,
}

/// Writes instructions of the input verbatim (with their comments) and applies edits.
pub struct Writer<'d> {
    pub doc: &'d Document,
    pub keep_comments: bool,
    pub nl: &'static str,
}

impl Writer<'_> {
    /// The comments and blank lines before instruction i (directives excluded).
    pub fn leading(&self, i: usize) -> String {
        let doc = self.doc;
        let mut r = doc.instructions[i].leading.clone();
        if r.start < doc.directives.end {
            r.start = doc.directives.end.min(r.end);
        }
        let text = doc.slice(r);
        if self.keep_comments {
            text.to_owned()
        } else {
            // Keep the blank lines that separate, drop the comments.
            let blank = text.split_inclusive('\n').any(|l| l.trim().is_empty());
            if blank && i > 0 { self.nl.to_owned() } else { String::new() }
        }
    }

    pub fn instruction(&mut self, out: &mut String, i: usize, edits: &[(Range<usize>, String)]) {
        let doc = self.doc;
        let inst = &doc.instructions[i];
        out.push_str(&self.leading(i));
        let span = inst.span.clone();
        let mut mine: Vec<&(Range<usize>, String)> =
            edits.iter().filter(|(r, _)| r.start >= span.start && r.end <= span.end).collect();
        mine.sort_by_key(|(r, _)| (r.start, r.end));
        let mut pos = span.start;
        let mut text = String::new();
        for (r, rep) in mine {
            if r.start < pos {
                continue;
            }
            text.push_str(&doc.text[pos..r.start]);
            text.push_str(rep);
            pos = r.end;
        }
        text.push_str(&doc.text[pos..span.end]);
        if !self.keep_comments && inst.heredocs().is_empty() && text.contains('\n') {
            // Comment lines inside a continued instruction are ignored by the parser: drop them.
            text = text
                .split_inclusive('\n')
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect();
        }
        if inst.heredocs().is_empty() {
            text = close_open_continuation(&text, doc.escape);
        }
        out.push_str(&text);
        out.push_str(self.nl);
    }
}

/// An instruction left open by a line continuation at the end of the file (`CMD ["/app"] \` as the last
/// line; its span holds the blank and comment lines after it, as BuildKit reads them) without the
/// continuation: copied where lines follow, it would swallow them (fuzzer: a copied `ENV … \` took the next
/// WORKDIR into its value). At the end of a file the continuation continues nothing, so this changes nothing.
pub fn close_open_continuation(text: &str, escape: char) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    // The blank and comment lines the open continuation swallowed stay, as lines of their own.
    let Some(k) = lines.iter().rposition(|l| !(l.trim().is_empty() || l.trim_start().starts_with('#'))) else {
        return text.to_owned();
    };
    match lines[k].trim_end_matches([' ', '\t', '\r']).strip_suffix(escape) {
        Some(open) if k > 0 || !open.trim().is_empty() => {
            let cr = if lines[k].ends_with('\r') && k + 1 < lines.len() { "\r" } else { "" };
            let closed = format!("{}{cr}", open.trim_end_matches([' ', '\t']));
            lines[k] = &closed;
            lines.join("\n")
        }
        _ => text.to_owned(),
    }
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

/// Runtime packages the app needs that `family` lacks (libpq5, ffmpeg, curl for a HEALTHCHECK…).
pub fn missing_packages(ctx: &Ctx, family: RuntimeFamily) -> Vec<String> {
    let f = ctx.target();
    let manager = f.installs.first().map_or("apt", |i| i.manager);
    ctx.analysis
        .needs
        .packages
        .iter()
        .filter(|name| {
            let (_, entry) = crate::knowledge::packages::lookup(manager, name);
            !entry.and_then(|e| e.provided_by).is_some_and(|p| family_provides(family, p))
        })
        .cloned()
        .collect()
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
        Distro::Debian { .. } => {
            let release = split.pin_debian_release();
            let codename = match &f.distro {
                Distro::Debian { codename: Some(c) } => c.clone(),
                _ => runtimes::codename(release?)?.to_owned(),
            };
            debian_slim(&codename)
        }
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
        if a.kind == crate::analyze::ArtKind::Folder {
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
    for a in f.artifacts.iter().rev().filter(|a| a.kind == crate::analyze::ArtKind::Folder) {
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

/// The target's WORKDIR holds the app (interpreted languages): refuse when it is `/`.
pub fn app_folder(ctx: &Ctx) -> Result<String, String> {
    let wd = ctx.target().workdir.clone();
    if wd == "/" {
        Err("the app's files live in / beside the operating system (no WORKDIR), so slimfile cannot copy the app alone; add a WORKDIR".to_owned())
    } else {
        Ok(wd)
    }
}

/// The whole input with edits applied (comments and layout kept): for strategies that change a line or two.
pub fn rewrite_in_place(ctx: &Ctx, edits: &[(Range<usize>, String)]) -> String {
    let doc = ctx.doc;
    let nl = if doc.crlf { "\r\n" } else { "\n" };
    let mut w = Writer { doc, keep_comments: ctx.options.keep_comments, nl };
    let mut out = String::new();
    out.push_str(doc.slice(doc.directives.clone()));
    for i in 0..doc.instructions.len() {
        w.instruction(&mut out, i, edits);
    }
    if ctx.options.keep_comments {
        let trailing = doc.slice(doc.trailing.clone());
        out.push_str(trailing.strip_prefix(nl).or_else(|| trailing.strip_prefix('\n')).unwrap_or(trailing));
    }
    if !out.ends_with('\n') {
        out.push_str(nl);
    }
    out
}

/// The absolute paths `rm`, `unlink` or `mv` (its sources) removes in the RUNs of `body` (relative ones
/// resolved against the WORKDIR; none after a `cd`, whose folder is unknown here; none with a variable or
/// glob).
fn removed_paths(ctx: &Ctx, body: std::ops::Range<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut wd = "/".to_owned();
    for i in body {
        let inst = &ctx.doc.instructions[i];
        if inst.kind == Kind::Workdir {
            wd = join_path(&wd, inst.arg_text());
        }
        let mut cd = false;
        for c in ctx.analysis.commands(i) {
            cd |= c.program() == "cd";
            let gone: Vec<&str> = match c.program() {
                "rm" | "unlink" => c.positional(0).collect(),
                "mv" => {
                    let mut args: Vec<&str> = c.positional(0).collect();
                    args.pop(); // the destination
                    args
                }
                _ => continue,
            };
            out.extend(gone.into_iter().filter_map(|p| place_path(&wd, p, cd)));
        }
    }
    out
}

/// Where a path a RUN names lands: absolute, or against the WORKDIR `wd`; `None` when it cannot be told
/// from the Dockerfile (a variable, a glob, `~`, or a relative path after a `cd`).
fn place_path(wd: &str, p: &str, after_cd: bool) -> Option<String> {
    let unknown = p.contains(['$', '*', '?', '`', '~']) || (!p.starts_with('/') && after_cd);
    (!unknown).then(|| join_path(wd, p))
}

#[cfg(test)]
mod continuation_tests {
    use super::close_open_continuation;

    #[test]
    fn an_open_continuation_is_closed() {
        assert_eq!(close_open_continuation("ENV A=1 \\\n  B=2 \\", '\\'), "ENV A=1 \\\n  B=2");
        assert_eq!(close_open_continuation("CMD [\"a\"] \\\r\n  \r\n# c", '\\'), "CMD [\"a\"]\r\n  \r\n# c");
        assert_eq!(close_open_continuation("RUN dir c:\\ `", '`'), "RUN dir c:\\");
        // Closed instructions are copied as they are.
        for (t, escape) in [("RUN a \\\n  b", '\\'), ("RUN echo \\\n# c\n  b", '\\'), ("RUN dir c:\\", '`')] {
            assert_eq!(close_open_continuation(t, escape), t);
        }
    }

    #[test]
    fn copy_paths_with_spaces_use_the_json_form() {
        assert_eq!(super::copy_paths("/app", "/app"), "/app /app");
        assert_eq!(super::copy_paths("/my app/bin", "/app"), "[\"/my app/bin\", \"/app\"]");
    }
}

#[cfg(test)]
mod tests {
    use crate::{convert, Options, Status};

    #[test]
    fn a_system_user_is_not_created_again() {
        // `nobody` exists in every Debian image: `useradd nobody` would fail the build.
        let text = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER nobody\nCMD [\"python\", \"app.py\"]\n";
        let r = convert(text, &Options::default());
        assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
        let out = r.output.unwrap();
        assert!(!out.contains("useradd"), "{out}");
        assert!(out.contains("USER nobody"), "{out}");
    }
}
