//! The runtime stage: the final image a strategy chose ([`Runtime`]), and what the stage holds: the
//! original's labels and ENV (build-only settings dropped), WORKDIR, runtime packages, the user, the files
//! copied from the builder, the runtime-only instructions, the command, and the ARGs it uses.

use std::collections::BTreeSet;

use super::health::{self, Health};
use super::render::{close_open_continuation, copy_paths, json_array};
use super::libraries::PACKAGE_LIST;
use super::user::UserPlan;
use super::{Split, Writer};
use crate::report::RuntimeFamily;
use crate::shell::{key_values, referenced_vars, shell_syntax};
use crate::syntax::{Command, Kind};

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

    pub(super) fn distroless(&self) -> bool {
        self.image.starts_with("gcr.io/distroless/")
    }
}

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

impl Split<'_, '_> {
    /// Writes the runtime stage; returns its image. Err: the reasons to refuse (a file it cannot carry, a
    /// command it cannot run).
    pub(super) fn write_runtime_stage(
        &mut self,
        out: &mut String,
        w: &mut Writer,
        runtime: &Runtime,
        user_plan: UserPlan,
        moved: &[usize],
        repositories: &[String],
    ) -> Result<String, Vec<String>> {
        let ctx = self.ctx;
        let f = ctx.target();
        let nl = w.nl;
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
        let discovered = self.gate.discovers();
        let apt = (!runtime.packages.is_empty() || discovered) && !runtime.image.contains("alpine");
        self.write_config(&mut runtime_lines, w, moved, apt);
        let workdir = self.workdir.clone().unwrap_or_else(|| f.workdir.clone());
        if !runtime.packages.is_empty() || discovered {
            self.write_install(&mut runtime_lines, runtime, repositories, discovered, nl);
        }
        if let Some(line) = &user_plan.create {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        // The app's folders first: a folder a COPY creates gets its owner, one WORKDIR created does not.
        self.write_app_copies(&mut runtime_lines, nl);
        if workdir != "/" {
            runtime_lines.push_str(&format!("WORKDIR {workdir}{nl}"));
        }
        self.carry_files(&workdir, &user_plan, runtime)?;
        self.write_copies(&mut runtime_lines, nl);
        for line in &self.extra {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        self.write_moved(&mut runtime_lines, w, moved, runtime, &workdir)?;
        if let Some(line) = &user_plan.line {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
        self.changes.extend(user_plan.changes);

        // The command.
        let cmd_lines = self.command_lines(runtime, moved, w)?;
        runtime_lines.push_str(&cmd_lines);
        out.push_str(&self.arg_lines(&runtime_lines, nl));
        out.push_str(&runtime_lines);
        Ok(image)
    }

    /// Whether the original kept apt from asking questions: `DEBIAN_FRONTEND=noninteractive` in an ENV of
    /// the final stage or on one of its commands.
    fn original_apt_quiet(&self) -> bool {
        let ctx = self.ctx;
        let quiet = |k: &str, v: &str| k == "DEBIAN_FRONTEND" && v == "noninteractive";
        let stage = ctx.model.target().expect("complete document");
        ctx.target().env.iter().any(|(k, v, _)| quiet(k, v))
            || stage.body.clone().any(|i| ctx.analysis.commands(i).iter().any(|c| c.env.iter().any(|(k, v)| quiet(k, v))))
    }

    /// Labels and ENV, verbatim, in their order (ENV that only configures the build stays in the builder),
    /// and the strategy's own ENV lines.
    /// `apt`: the runtime stage installs packages with apt-get.
    fn write_config(&mut self, runtime_lines: &mut String, rw: &mut Writer, moved: &[usize], apt: bool) {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let nl = rw.nl;
        let target = ctx.model.target().expect("complete document");
        for &i in moved {
            if matches!(doc.instructions[i].kind, Kind::Label | Kind::Maintainer) {
                rw.instruction(runtime_lines, i, &[]);
            }
        }
        let mut dropped_env: Vec<String> = Vec::new();
        for i in target.body.clone() {
            let inst = &doc.instructions[i];
            if inst.kind != Kind::Env {
                continue;
            }
            let keys: Vec<String> = crate::shell::key_values(inst.arg_text()).into_iter().map(|(k, _)| k).collect();
            if self.skip.contains(&Kind::Env) || keys.iter().all(|k| BUILD_ONLY_ENV.contains(&k.as_str()) || k.starts_with("UV_")) {
                dropped_env.extend(keys);
                continue;
            }
            rw.instruction(runtime_lines, i, &[]);
        }
        if !dropped_env.is_empty() {
            self.changes.push(ctx.change(
                "drop-build-env",
                format!(
                    "ENV {} stays in the builder only: it configures the build and means nothing to the final image{}.",
                    dropped_env.join(", "),
                    if apt && dropped_env.iter().any(|k| k == "DEBIAN_FRONTEND") && self.original_apt_quiet() {
                        "; the runtime stage's apt-get install sets DEBIAN_FRONTEND=noninteractive on its own line, as the original's install had it, so that debconf asks nothing there either"
                    } else {
                        ""
                    }
                ),
                None,
            ));
        }
        for line in &self.runtime_env {
            runtime_lines.push_str(line);
            runtime_lines.push_str(nl);
        }
    }

    /// The runtime packages: those the Dockerfile shows, and with `discovered`, those the library gate
    /// writes to [`PACKAGE_LIST`] (copied from the builder first).
    fn write_install(&mut self, runtime_lines: &mut String, runtime: &Runtime, repositories: &[String], discovered: bool, nl: &str) {
        let ctx = self.ctx;
        if discovered {
            runtime_lines.push_str(&format!("COPY --from={} {PACKAGE_LIST} {PACKAGE_LIST}{nl}", self.builder_name));
        }
        // A package the original installed with apt's recommended packages keeps them: the app may use one
        // (graphviz's fonts) and the rewrite must not change that silently.
        let f = ctx.target();
        let with_recommends: Vec<&str> = runtime
            .packages
            .iter()
            .filter(|p| {
                f.packages.iter().filter(|u| u.manager == "apt" && u.name == **p).any(|u| {
                    f.installs.iter().any(|i| i.manager == "apt" && i.inst == u.inst && !i.no_recommends && !i.from_list)
                })
            })
            .map(String::as_str)
            .collect();
        let recommends = !with_recommends.is_empty() && !runtime.image.contains("alpine");
        // The original kept apt from asking questions (ENV DEBIAN_FRONTEND, or on its install line): the
        // runtime stage's install does too. (A build has no terminal: without the variable, Debian 13's
        // debconf warns three times and falls back to its noninteractive frontend by itself.)
        runtime_lines.push_str(&install_line(runtime, repositories, discovered, recommends, self.original_apt_quiet()));
        runtime_lines.push_str(nl);
        if recommends {
            self.changes.push(ctx.change(
                "keep-recommends",
                format!(
                    "The original installed {} with apt's recommended packages (no --no-install-recommends), so the runtime stage does too: the app may use one of them.",
                    with_recommends.join(", ")
                ),
                None,
            ));
        }
        let from = if repositories.is_empty() {
            String::new()
        } else {
            format!(", from the repositories the build named ({})", repositories.join(" "))
        };
        let mut shown = format!("only {}{from} — what the app needs at run time — not the compilers and headers", runtime.packages.join(", "));
        // A package slimfile usually counts as build-only that stays, with why.
        let mut kept: Vec<String> = Vec::new();
        for u in &ctx.target().packages {
            if let Some(why) = u.kept_because.filter(|_| runtime.packages.contains(&u.name)) {
                let line = format!("{} ({why})", u.name);
                if !kept.contains(&line) {
                    kept.push(line);
                }
            }
        }
        if !kept.is_empty() {
            shown.push_str(&format!("; it keeps {}", kept.join(", ")));
        }
        let why = if discovered {
            // The libraries the Dockerfile's header packages stand for: what the gate is expected to find.
            let f = ctx.target();
            let expected: Vec<&str> = runtime
                .packages
                .iter()
                .filter(|p| f.packages.iter().any(|u| u.runtime.contains(p)))
                .map(String::as_str)
                .collect();
            // And the library of each header package whose runtime package slimfile does not know.
            let unknown: Vec<String> = ctx.analysis.unmapped_dev.iter().map(|d| format!("the library of {d}")).collect();
            let all: Vec<&str> = expected.into_iter().chain(unknown.iter().map(String::as_str)).collect();
            let expected = if all.is_empty() { "none the Dockerfile shows".to_owned() } else { all.join(", ") };
            let discovered = format!(
                "the packages of the shared libraries the copied files link, which the build discovers ({PACKAGE_LIST}, \
                 written by the builder's library gate; expected: {expected})"
            );
            if runtime.packages.is_empty() {
                format!("The runtime stage installs {discovered}.")
            } else {
                format!("The runtime stage installs {shown}, and {discovered}.")
            }
        } else {
            format!("The runtime stage installs {shown}.")
        };
        self.changes.push(ctx.change("install-runtime-packages", why, None));
    }

    /// The COPY --from lines of the files and folders the runtime stage takes from the builder.
    fn write_copies(&mut self, runtime_lines: &mut String, nl: &str) {
        let ctx = self.ctx;
        for c in &self.copies {
            let chown = c.chown.as_ref().map(|o| format!(" --chown={o}")).unwrap_or_default();
            runtime_lines.push_str(&format!("COPY --from={}{chown} {}{nl}", self.builder_name, copy_paths(&c.from, &c.to)));
        }
        if !self.copies.is_empty() || !self.app_copies.is_empty() {
            let what: Vec<&str> = self.app_copies.iter().chain(&self.copies).map(|c| c.from.as_str()).collect();
            self.changes.push(ctx.change(
                "copy-artifacts",
                format!("The runtime stage copies from the builder: {}.", what.join(", ")),
                None,
            ));
        }
    }

    /// The runtime-only instructions of the original (EXPOSE, VOLUME, STOPSIGNAL, ONBUILD, HEALTHCHECK) a
    /// strategy does not replace.
    /// Err: a HEALTHCHECK the runtime cannot run (see `health`).
    fn write_moved(&mut self, runtime_lines: &mut String, rw: &mut Writer, moved: &[usize], runtime: &Runtime, workdir: &str) -> Result<(), Vec<String>> {
        let doc = self.ctx.doc;
        for &i in moved {
            let inst = &doc.instructions[i];
            if self.skip.contains(&inst.kind) {
                continue;
            }
            match inst.kind {
                Kind::Expose | Kind::Volume | Kind::Stopsignal | Kind::Onbuild => {
                    rw.instruction(runtime_lines, i, &[]);
                }
                Kind::Healthcheck if !runtime.family.has_shell() => {
                    let present = |p: &str| self.in_runtime(p, workdir);
                    match health::healthcheck(self.ctx, i, runtime.family, &runtime.image, &present).map_err(|r| vec![r])? {
                        Health::Keep => rw.instruction(runtime_lines, i, &[]),
                        Health::Line(line, change) => {
                            runtime_lines.push_str(&rw.leading(i));
                            runtime_lines.push_str(&line);
                            runtime_lines.push_str(rw.nl);
                            self.changes.push(change);
                        }
                        Health::Drop(change) => self.changes.push(change),
                    }
                }
                Kind::Healthcheck => {
                    rw.instruction(runtime_lines, i, &[]);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the program path `p` (absolute, relative to `workdir`, or a bare name found through PATH) is
    /// in the runtime stage: copied from the builder, or the program its command runs.
    fn in_runtime(&self, p: &str, workdir: &str) -> bool {
        let command_program = match &self.command {
            Some((ep, cmd)) => ep.as_ref().and_then(|e| e.first()).or(cmd.as_ref().and_then(|c| c.first())).cloned(),
            None => crate::analyze::final_argv(self.ctx.doc, self.ctx.target()).and_then(|a| a.into_iter().next()),
        };
        if command_program.as_deref() == Some(p) {
            return true;
        }
        if !p.contains('/') {
            return self.copies.iter().any(|c| c.to.rsplit('/').next() == Some(p) && crate::rewrite::shared::on_default_path(&c.to));
        }
        let abs = crate::analyze::normalize(&if p.starts_with('/') { p.to_owned() } else { format!("{workdir}/{p}") });
        self.copies.iter().any(|c| crate::analyze::under(&abs, &c.to))
    }

    /// The ARG lines re-declaring the ARGs `runtime_lines` use: an ARG is visible only in its stage.
    fn arg_lines(&mut self, runtime_lines: &str, nl: &str) -> String {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let f = ctx.target();
        let used: BTreeSet<String> = referenced_vars(runtime_lines).into_iter().collect();
        let mut arg_lines = String::new();
        for name in &used {
            if let Some((_, _, i)) = f.args.iter().find(|(k, _, _)| k == name) {
                let text = doc.instructions[*i].text(doc);
                // An `ARG A=1 B=2` line is split: only the one used.
                match key_values(doc.instructions[*i].arg_text()).into_iter().find(|(k, _)| k == name) {
                    Some((k, Some(v))) if key_values(doc.instructions[*i].arg_text()).len() > 1 => {
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
        arg_lines
    }

    /// The rest of the file after the runtime stage: the original's trailing comments, and a final newline.
    pub(super) fn write_trailing(&self, out: &mut String, w: &Writer) {
        let doc = self.ctx.doc;
        let nl = w.nl;
        if w.keep_comments {
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
}

/// The runtime stage's package install; `repositories`: apk options naming where the build got them;
/// `discovered`: the packages the library gate listed too, read from [`PACKAGE_LIST`] by `xargs` (an empty
/// list and no package named: nothing installed, not even apt's lists fetched), and removed after.
/// `recommends`: apt installs the recommended packages too, as the original did.
fn install_line(runtime: &Runtime, repositories: &[String], discovered: bool, recommends: bool, noninteractive: bool) -> String {
    let alpine = runtime.image.contains("alpine");
    let pre = if noninteractive && !alpine { "DEBIAN_FRONTEND=noninteractive " } else { "" };
    // An Alpine release older than apk's `--no-cache` (alpine:3.1): `--update`, and the index removed after.
    let old_apk = alpine && runtime.image.strip_prefix("alpine:").is_some_and(|tag| !crate::knowledge::packages::apk_has_no_cache(tag));
    let mut words: Vec<&str> = match (alpine, old_apk) {
        (true, false) => vec!["apk", "add", "--no-cache"],
        (true, true) => vec!["apk", "add", "--update"],
        _ => vec!["apt-get", "install", "-y"],
    };
    if !alpine && !recommends {
        words.push("--no-install-recommends");
    }
    words.extend(repositories.iter().map(String::as_str));
    if discovered && !alpine {
        // A package the image already has stays as it is (apt would upgrade one named on the line).
        words.push("--no-upgrade");
    }
    words.extend(runtime.packages.iter().map(String::as_str));
    let install = words.join(" ");
    let apk_cache = if old_apk { " /var/cache/apk/*" } else { "" };
    match (alpine, discovered) {
        (true, false) if old_apk => format!("RUN {install} && rm -rf /var/cache/apk/*"),
        (true, false) => format!("RUN {install}"),
        (false, false) => format!("RUN apt-get update && {pre}{install} && rm -rf /var/lib/apt/lists/*"),
        (true, true) => {
            let xargs = if runtime.packages.is_empty() { "xargs -r" } else { "xargs" };
            let rm = if old_apk { "rm -rf" } else { "rm" };
            format!("RUN {xargs} {install} < {PACKAGE_LIST} && {rm} {PACKAGE_LIST}{apk_cache}")
        }
        // Nothing named and an empty list: no `apt-get update` at all.
        (false, true) if runtime.packages.is_empty() => format!(
            "RUN if [ -s {PACKAGE_LIST} ]; then apt-get update && {pre}xargs {install} < {PACKAGE_LIST} && rm -rf /var/lib/apt/lists/*; fi && rm {PACKAGE_LIST}"
        ),
        (false, true) => format!("RUN apt-get update && {pre}xargs {install} < {PACKAGE_LIST} && rm -rf /var/lib/apt/lists/* {PACKAGE_LIST}"),
    }
}

impl Split<'_, '_> {
    /// The runtime's (ENTRYPOINT, CMD) when the first `replaced` words of the command the container ran
    /// (the original's ENTRYPOINT words, then its CMD's) become `with`: ENTRYPOINT stays ENTRYPOINT and CMD
    /// stays CMD, so that `docker run IMAGE ARGS` still replaces what it replaced. `image_entrypoint` is
    /// the runtime image's own ENTRYPOINT (distroless nodejs's node): where the original had no
    /// ENTRYPOINT, `with` drops it and the image's runs the CMD; where `with` cannot start with it (JVM
    /// options before `-jar`), the ENTRYPOINT must replace the image's.
    pub fn keep_kinds(&self, argv: &[String], replaced: usize, with: Vec<String>, image_entrypoint: &[String]) -> super::ExecCommand {
        let (ep, cmd) = self.original_command();
        let words = |c: Option<&Command>| -> Option<Vec<String>> {
            match c? {
                Command::Exec(v) => Some(v.clone()),
                Command::Shell(s) => Some(vec!["/bin/sh".to_owned(), "-c".to_owned(), s.clone()]),
            }
        };
        let rest = |from: usize| argv.get(from..).map(<[String]>::to_vec).unwrap_or_default();
        let cmd_only = |with: Vec<String>, from: usize| -> super::ExecCommand {
            match with.strip_prefix(image_entrypoint) {
                Some(args) => (None, Some([args, &rest(from)].concat())),
                None => (Some(with), Some(rest(from)).filter(|r| !r.is_empty())),
            }
        };
        let e = match ep {
            None => return cmd_only(with, replaced),
            Some(Command::Shell(s)) => {
                // A shell-form ENTRYPOINT ignores CMD: the words after the replaced ones are its own.
                let own = crate::shell::commands(s, self.ctx.doc.escape).into_iter().next().map(|c| c.argv).unwrap_or_default();
                let tail = own.get(replaced..).map(<[String]>::to_vec).unwrap_or_default();
                return (Some([with, tail].concat()), None);
            }
            Some(Command::Exec(v)) => v.clone(),
        };
        // The command as the container ran it must be these words, or the split is not known
        // (`sh -c "exec …"`): then the words go where they went before.
        let c = words(cmd);
        let joined: Vec<String> = e.iter().cloned().chain(c.clone().unwrap_or_default()).collect();
        if joined != argv {
            return cmd_only(with, replaced);
        }
        if replaced <= e.len() {
            let new_ep: Vec<String> = with.into_iter().chain(e[replaced..].iter().cloned()).collect();
            if new_ep == image_entrypoint {
                return (None, c);
            }
            (Some(new_ep), c)
        } else {
            let c = c.unwrap_or_default();
            (Some(with), Some(c[(replaced - e.len()).min(c.len())..].to_vec()).filter(|r| !r.is_empty()))
        }
    }
}

/// `ENTRYPOINT [...]` and `CMD [...]` of a runtime stage's command, for a change note.
pub fn command_text(command: &super::ExecCommand) -> String {
    let (ep, cmd) = command;
    let parts: Vec<String> = [("ENTRYPOINT", ep), ("CMD", cmd)]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("`{k} {}`", json_array(v))))
        .collect();
    parts.join(" with ")
}

/// The change note of a command on an interpreter's distroless image (`image`, whose ENTRYPOINT runs
/// `interpreter`).
pub fn interpreter_note(image: &str, interpreter: &[&str], command: &super::ExecCommand, had_entrypoint: bool) -> String {
    let text = command_text(command);
    let interpreter = interpreter.join(" ");
    if had_entrypoint && command.0.is_some() {
        format!("The command is now {text}: the original's ENTRYPOINT stays the ENTRYPOINT, naming {image}'s `{interpreter}` by its path, so `docker run IMAGE ARGS` still passes ARGS to it.")
    } else if command.0.is_some() {
        format!("The command is now {text}: its options come before what {image}'s own ENTRYPOINT (`{interpreter}`) can take, so it has an ENTRYPOINT of its own.")
    } else {
        format!("The command is now {text}: {image} runs `{interpreter}` as its ENTRYPOINT, so the CMD holds its arguments.")
    }
}
