use super::{Ctx, Hit};
use crate::report::{Severity, StageBase};
use crate::syntax::{Command, Kind};
use crate::knowledge::runtimes;
use crate::shell::{shell_syntax, split_words};

declare_rule! {
    /// ## What it does
    /// Checks whether the final image's `CMD` or `ENTRYPOINT` (the last one of the last stage, or inherited
    /// from the stage it is built `FROM`) is in shell form (`CMD node server.js`) instead of JSON (exec)
    /// form (`CMD ["node", "server.js"]`), and its `HEALTHCHECK CMD` too (as hadolint does since 2.15).
    /// Builder stages are not checked: their `CMD` never runs.
    ///
    /// The severity is *error* when the final image is `scratch` or distroless: they have no `/bin/sh`,
    /// so a shell-form command cannot start at all.
    ///
    /// ## Why is this bad?
    /// The shell form runs `/bin/sh -c "<command>"`: the shell is PID 1 and the app is its child. `docker
    /// stop` sends SIGTERM to the shell, which does not pass it on, so the app gets no chance to shut down
    /// cleanly and is killed after the timeout. The shell form also needs a shell in the image, and an
    /// `ENTRYPOINT` in shell form ignores `CMD` and `docker run` arguments.
    ///
    /// When the command needs the shell (variables, `&&`), keep it but make the app replace the shell:
    /// `CMD ["sh", "-c", "exec node server.js --port $PORT"]`.
    ///
    /// A shell-form `HEALTHCHECK CMD` starts `/bin/sh` for every check and cannot run where there is no shell
    /// (distroless, scratch). A closing `|| exit 1` only maps every failure to exit code 1: Docker counts every
    /// non-zero exit code as a failed check (moby's daemon/health.go), so the exec form without it behaves the
    /// same.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY . /app
    /// CMD node /app/server.js
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY . /app
    /// CMD ["node", "/app/server.js"]
    /// ```
    pub struct ShellFormCmd {
        id: "DL3025",
        name: "shell-form-cmd",
        severity: Warning,
        applies_to: FinalImage,
        summary: "Use JSON (exec) form for CMD and ENTRYPOINT so the app receives signals",
    }
}

fn json(words: &[String]) -> String {
    let quoted: Vec<String> =
        words.iter().map(|w| format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    format!("[{}]", quoted.join(", "))
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let chain: Vec<(usize, usize, &crate::syntax::Instruction)> = ctx.chain_instructions().collect();
    let last = |k: Kind| chain.iter().rev().find(|(_, _, inst)| inst.kind == k).copied();
    let entrypoint = last(Kind::Entrypoint);
    // ENTRYPOINT resets a CMD inherited from the base image (here: from an earlier stage of the chain).
    let cmd = last(Kind::Cmd).filter(|(cs, _, _)| entrypoint.is_none_or(|(es, _, _)| es <= *cs));
    let root = ctx.chain.first().copied();
    // A distroless language image names its interpreter by a path (node is /nodejs/bin/node, not on PATH).
    let interpreter_image = root.and_then(|r| match &ctx.model.stages[r].base {
        StageBase::Image { image } => Some(format!("{}/{}", image.registry, image.repository)),
        _ => None,
    });
    let no_shell = root.is_some_and(|r| match &ctx.model.stages[r].base {
        StageBase::Scratch => true,
        StageBase::Image { image } => {
            image.repository.starts_with("distroless/") && !image.tag.as_deref().unwrap_or("").contains("debug")
        }
        StageBase::Stage { .. } => false,
    });
    for (stage, i, inst) in [entrypoint, cmd].into_iter().flatten() {
        let Some(Command::Shell(script)) = inst.command() else { continue };
        let script = script.trim();
        let k = inst.kind.as_str();
        let (severity, message) = match (no_shell, shell_syntax(script)) {
            (true, None) => (
                Severity::Error,
                format!("{k} is in shell form but the final image has no /bin/sh, so `{script}` cannot start: write `{k} {}`", json(&split_words(script))),
            ),
            (true, Some(why)) => (
                Severity::Error,
                format!("{k} is in shell form but the final image has no /bin/sh, so `{script}` cannot start (and it needs a shell because {why}): run an executable the image contains, in JSON form"),
            ),
            (false, None) => (
                META.severity,
                format!("{k} is in shell form, so /bin/sh is PID 1 and `{script}` never receives SIGTERM: write `{k} {}`", json(&split_words(script))),
            ),
            (false, Some(why)) => (
                META.severity,
                format!("{k} is in shell form, so /bin/sh is PID 1 and `{script}` never receives SIGTERM: it needs a shell because {why}, so write `{k} [\"/bin/sh\", \"-c\", \"exec …\"]` to make the app replace the shell"),
            ),
        };
        out.push(ctx.hit(&META, severity, i, Some(stage), message));
    }
    healthcheck(ctx, &chain, no_shell, interpreter_image.as_deref(), out);
}

/// The final image's HEALTHCHECK in shell form (hadolint 2.15 extended DL3025 to it: hadolint/hadolint#1209).
fn healthcheck(
    ctx: &Ctx<'_>,
    chain: &[(usize, usize, &crate::syntax::Instruction)],
    no_shell: bool,
    image: Option<&str>,
    out: &mut Vec<Hit>,
) {
    let Some(&(stage, i, inst)) = chain.iter().rev().find(|(_, _, inst)| inst.kind == Kind::Healthcheck) else { return };
    let Some(Command::Shell(script)) = inst.command() else { return };
    let script = script.trim();
    let words = crate::analyze::healthcheck_words(script);
    let exact = crate::shell::exact_words(words).map(|mut w| {
        let interpreter = image.zip(w.first()).and_then(|(image, p)| runtimes::interpreter_named(image, crate::shell::basename(p)));
        if let Some(path) = interpreter {
            w[0] = path.to_owned();
        }
        format!("HEALTHCHECK CMD {}", json(&w))
    });
    let dropped = if words.len() < script.len() {
        " (`|| exit 1` only maps every failure to exit code 1, and Docker counts every non-zero exit code as a failed check)"
    } else {
        ""
    };
    let (severity, message) = match (no_shell, exact) {
        (true, Some(e)) => (Severity::Error, format!("the HEALTHCHECK is in shell form but the final image has no /bin/sh, so `{script}` cannot run: write `{e}`{dropped}")),
        (true, None) => (
            Severity::Error,
            format!("the HEALTHCHECK is in shell form but the final image has no /bin/sh, so `{script}` cannot run: check with a program the image contains, in JSON form"),
        ),
        (false, Some(e)) => (META.severity, format!("the HEALTHCHECK is in shell form, so every check starts /bin/sh: write `{e}`{dropped}")),
        (false, None) => (
            META.severity,
            format!("the HEALTHCHECK is in shell form, and `{script}` needs the shell: write `HEALTHCHECK CMD [\"/bin/sh\", \"-c\", …]` to say so"),
        ),
    };
    out.push(ctx.hit(&META, severity, i, Some(stage), message));
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{hits, lines, messages};
    use crate::report::Severity;

    #[test]
    fn shell_form_cmd_in_the_final_image() {
        let text = "FROM node:20-slim\nCMD node server.js\n";
        assert_eq!(hits(text, "DL3025"), [(2, Severity::Warning)]);
        assert!(messages(text, "DL3025")[0].contains("CMD [\"node\", \"server.js\"]"));
        let text = "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT /app\n";
        assert_eq!(hits(text, "DL3025"), [(4, Severity::Error)]);
        let inherited = "FROM node:20-slim AS base\nCMD node $APP\nFROM base\n";
        assert_eq!(lines(inherited, "DL3025"), [2]);
    }

    #[test]
    fn shell_form_healthcheck() {
        let text = "FROM node:20-slim\nHEALTHCHECK --interval=5s CMD node healthcheck.js\nCMD [\"node\", \"server.js\"]\n";
        assert_eq!(hits(text, "DL3025"), [(2, Severity::Warning)]);
        assert!(messages(text, "DL3025")[0].contains("HEALTHCHECK CMD [\"node\", \"healthcheck.js\"]"));
        let text = "FROM node:20-slim\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"node\", \"server.js\"]\n";
        assert!(messages(text, "DL3025")[0].contains("`HEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]` (`|| exit 1`"));
        let text = "FROM scratch\nCOPY app /app\nHEALTHCHECK CMD /app -health\nCMD [\"/app\"]\n";
        assert_eq!(hits(text, "DL3025"), [(3, Severity::Error)]);
        // On distroless/nodejs node is /nodejs/bin/node, not on PATH: the exec form names it by that path.
        let text = "FROM gcr.io/distroless/nodejs22-debian13\nCOPY . /app\nHEALTHCHECK CMD node healthcheck.js\nCMD [\"server.js\"]\n";
        assert_eq!(hits(text, "DL3025"), [(3, Severity::Error)]);
        assert!(messages(text, "DL3025")[0].ends_with("write `HEALTHCHECK CMD [\"/nodejs/bin/node\", \"healthcheck.js\"]`"), "{:?}", messages(text, "DL3025"));
        assert!(lines("FROM node:20-slim\nHEALTHCHECK CMD [\"node\", \"h.js\"]\nCMD [\"node\", \"s.js\"]\n", "DL3025").is_empty());
        assert!(lines("FROM node:20-slim\nHEALTHCHECK NONE\nCMD [\"node\", \"s.js\"]\n", "DL3025").is_empty());
    }

    #[test]
    fn exec_form_builders_and_overridden_cmds_pass() {
        let text =
            "FROM golang:1.22 AS build\nCMD go test ./...\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\"]\n";
        assert!(lines(text, "DL3025").is_empty());
        let reset = "FROM node:20-slim AS base\nCMD node a.js\nFROM base\nENTRYPOINT [\"node\", \"b.js\"]\n";
        assert!(lines(reset, "DL3025").is_empty());
    }
}
