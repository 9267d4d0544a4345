//! The HEALTHCHECK of a final image without a shell (distroless, scratch). A check whose words need no shell
//! becomes exec form (hadolint 2.15's DL3025 asks for it everywhere), its interpreter named by the path the
//! runtime image has it at (`node` → `/nodejs/bin/node`, `python` → `/usr/bin/python3`: `data/runtimes.json`).
//! A check that runs a tool the image lacks (curl, wget, nc) cannot run there: the strategies keep a slim
//! runtime that installs it, unless the user asked for a runtime without a shell, in which case the check is
//! left out and the orchestrator's probe takes its place (a change says so).

use crate::analyze::{healthcheck_words, Eco};
use crate::knowledge::runtimes;
use crate::report::{Change, RuntimeFamily};
use crate::rewrite::Ctx;
use crate::shell::{basename, exact_words};
use crate::syntax::{Command, Kind};

use super::render::json_array;

/// Programs a HEALTHCHECK runs to probe the app over the network, which no distroless image has.
pub const PROBE_TOOLS: &[&str] = &["curl", "wget", "nc"];

/// What becomes of the HEALTHCHECK in a runtime without a shell.
pub enum Health {
    /// Written as it is.
    Keep,
    /// Written as this line, for the reason the change gives.
    Line(String, Change),
    /// Left out, for the reason the change gives.
    Drop(Change),
}

/// The program the HEALTHCHECK runs first, by name (`curl`), if any.
pub fn probe_tool(ctx: &Ctx) -> Option<&'static str> {
    let f = ctx.target();
    let cmd = ctx.doc.instructions[f.healthcheck?].command()?;
    let first = match cmd {
        Command::Shell(s) => crate::shell::commands(s, ctx.doc.escape).into_iter().next()?.argv.into_iter().next()?,
        Command::Exec(v) => v.first()?.clone(),
    };
    PROBE_TOOLS.iter().copied().find(|t| *t == basename(&first))
}

/// Whether the user asked for a runtime without a shell (`--target distroless/nodejs`): a HEALTHCHECK that
/// probes with curl is then left out rather than the runtime kept slim.
pub fn drop_probe_asked(ctx: &Ctx) -> bool {
    ctx.options.target.is_some_and(|t| !t.has_shell())
}

/// The HEALTHCHECK instruction `inst` on `image` (a runtime of `family` without a shell). `present`: whether a
/// program path is in the runtime (copied from the builder). Err: why it cannot run there.
pub fn healthcheck(ctx: &Ctx, inst: usize, family: RuntimeFamily, image: &str, present: &dyn Fn(&str) -> bool) -> Result<Health, String> {
    let doc = ctx.doc;
    let i = &doc.instructions[inst];
    debug_assert_eq!(i.kind, Kind::Healthcheck);
    let Some(cmd) = i.command() else { return Ok(Health::Keep) };
    let (mut words, shell_text) = match cmd {
        Command::Exec(v) => (v.clone(), None),
        Command::Shell(s) => {
            let kept = healthcheck_words(s);
            match exact_words(kept) {
                Some(w) => (w, Some((s.trim().to_owned(), kept.len() < s.trim().len()))),
                None => return Err(format!("the shell-form HEALTHCHECK `{}` needs a shell, and {} has none", s.trim(), family.as_str())),
            }
        }
    };
    let Some(program) = words.first().cloned() else { return Ok(Health::Keep) };
    let name = basename(&program);
    if PROBE_TOOLS.contains(&name) {
        if drop_probe_asked(ctx) {
            return Ok(Health::Drop(ctx.change(
                "drop-healthcheck",
                format!(
                    "The HEALTHCHECK ran `{}`; {}, the target you chose, has no {name} and no package manager to install it, so the check is left out. Let the orchestrator probe the app instead (Kubernetes ignores HEALTHCHECK and runs its own liveness and readiness probes, e.g. an httpGet on the same URL). Docker and Compose run checks only inside the container: for them, convert without a target and keep the slim runtime that has {name}.",
                    command_text(cmd),
                    family.as_str()
                ),
                Some(inst),
            )));
        }
        return Err(format!("the HEALTHCHECK runs `{name}`, which {} does not have", family.as_str()));
    }
    let mut renamed = None;
    match runtimes::interpreter_named(image, name) {
        Some(path) => {
            if program != path {
                renamed = Some(path);
                words[0] = path.to_owned();
            }
        }
        _ if present(&program) => {}
        _ => return Err(format!("the HEALTHCHECK runs `{program}`, which {} does not have", family.as_str())),
    }
    if shell_text.is_none() && renamed.is_none() {
        return Ok(Health::Keep);
    }
    let flags_end = i.flags.iter().map(|f| f.span.end).max();
    let head = match flags_end {
        Some(end) => doc.text[i.span.start..end].to_owned(),
        None => "HEALTHCHECK".to_owned(),
    };
    let line = format!("{head} CMD {}", json_array(&words));
    let mut why = match &shell_text {
        Some((text, _)) => format!(
            "The HEALTHCHECK is now in exec form (`CMD {}`): {} has no shell to run `{text}`, and its words need none{}.",
            json_array(&words),
            family.as_str(),
            if text.contains(['"', '\'']) { " (its quotes only group words)" } else { "" }
        ),
        None => format!("The HEALTHCHECK now runs `{}`.", json_array(&words)),
    };
    if let Some(path) = renamed {
        why.push_str(&format!(" There the interpreter is `{path}`: `{name}` alone is not found."));
    }
    if shell_text.as_ref().is_some_and(|(_, dropped)| *dropped) {
        why.push_str(
            " The closing `|| exit 1` is left out: it only turned every failure into exit code 1, and Docker counts every non-zero exit code as a failed check (moby's daemon/health.go), so the check fails and passes as before; `docker inspect` shows the program's own code (the HEALTHCHECK reference defines only 0 and 1, and reserves 2).",
        );
    }
    Ok(Health::Line(line, ctx.change("healthcheck-exec-form", why, Some(inst))))
}

fn command_text(c: &Command) -> String {
    match c {
        Command::Shell(s) => s.trim().to_owned(),
        Command::Exec(v) => v.join(" "),
    }
}

/// The distroless family an app of `eco` would run on, for the question of a slim runtime kept for a probe.
pub fn distroless_for(eco: Option<Eco>) -> Option<RuntimeFamily> {
    Some(match eco? {
        Eco::Node => RuntimeFamily::DistrolessNodejs,
        Eco::Python => RuntimeFamily::DistrolessPython3,
        Eco::Java => RuntimeFamily::DistrolessJava,
        Eco::Go => RuntimeFamily::DistrolessStatic,
        Eco::Rust | Eco::C => RuntimeFamily::DistrolessCc,
        _ => return None,
    })
}
