use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Checks for `sudo` in a `RUN` (every stage the final image needs).
    ///
    /// ## Why is this bad?
    /// `RUN` already runs as the current `USER`; switching users is what `USER` is for. `sudo` needs to be
    /// installed and configured, it may prompt for a password or refuse without a TTY, and it changes
    /// the environment in ways that differ between images. Put `USER root` before the steps that need root
    /// and `USER <app>` after them; in an entrypoint script that must drop privileges, use a tool made for
    /// it such as `gosu` or `su-exec`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update
    /// USER app
    /// ```
    pub struct Sudo {
        id: "DL3004",
        name: "sudo",
        severity: Error,
        applies_to: UsedStages,
        summary: "Do not use sudo in RUN: use USER",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, _) in ctx.used_instructions() {
        let Some(c) = ctx.commands(i).iter().find(|c| c.wrappers.contains(&"sudo")) else { continue };
        let inner = Some(c.program().to_owned()).filter(|p| !p.is_empty());
        let what = inner.map_or_else(|| "`sudo`".to_owned(), |p| format!("`sudo {p}`"));
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!("{what} in RUN: switch users with USER instead (RUN already runs as the current USER)"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn sudo_in_run() {
        let text = "FROM debian:12\nRUN apt-get update && sudo apt-get install -y --no-install-recommends curl\n";
        assert_eq!(lines(text, "DL3004"), [2]);
        assert!(messages(text, "DL3004")[0].contains("`sudo apt-get`"));
    }

    #[test]
    fn no_sudo_passes() {
        let text = "FROM debian:12\nUSER root\nRUN apt-get update && echo sudo\n";
        assert!(lines(text, "DL3004").is_empty());
    }
}
