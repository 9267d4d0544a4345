use crate::shell::packages::{is_apt, manager_subcommand};
use crate::shell::removes;
use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Checks for a `RUN` in the final image that runs `apt-get update` (or `apt update`) without removing
    /// `/var/lib/apt/lists/*` in the same `RUN`.
    ///
    /// Only stages whose files reach the final image are checked: the last stage and the stages it is
    /// built `FROM`. A builder stage that the final image only copies files out of may keep its lists.
    /// A `RUN --mount=type=cache` (or `tmpfs`) on `/var/lib/apt/lists` or `/var/lib/apt` also passes.
    ///
    /// ## Why is this bad?
    /// `apt-get update` downloads the package index (tens of MB) into `/var/lib/apt/lists`. Each `RUN` is a
    /// layer: removing the lists in a later `RUN` hides them but the earlier layer still ships them, so they
    /// must go in the same `RUN` that downloaded them. The final image has no use for them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends ca-certificates \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct AptListsLeftBehind {
        id: "DL3009",
        name: "apt-lists-left-behind",
        severity: Info,
        applies_to: FinalImage,
        summary: "Delete the apt lists in the RUN that ran `apt-get update`",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, inst) in ctx.final_instructions() {
        let cmds = ctx.commands(i);
        let Some(update) = cmds.iter().find(|c| is_apt(c) && manager_subcommand(c) == Some("update")) else {
            continue;
        };
        let cleaned =
            removes(cmds, |p| p.starts_with("/var/lib/apt/lists") || p.trim_end_matches('/') == "/var/lib/apt");
        let mounted = ctx.cache_mount(inst, |t| t.starts_with("/var/lib/apt"));
        if cleaned || mounted {
            continue;
        }
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!(
                "`{} update` leaves its package lists in the final image: add `&& rm -rf /var/lib/apt/lists/*` at the end of this RUN",
                update.program()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn lists_left_in_the_final_image() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
        assert_eq!(lines(text, "DL3009"), [2]);
    }

    #[test]
    fn removal_in_a_later_run_does_not_count() {
        let text = "FROM debian:12\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(lines(text, "DL3009"), [2]);
    }

    #[test]
    fn removal_in_the_same_run_or_a_cache_mount_passes() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n";
        assert!(lines(text, "DL3009").is_empty());
    }

    #[test]
    fn a_builder_stage_may_keep_its_lists() {
        let text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n";
        assert!(lines(text, "DL3009").is_empty());
    }

    #[test]
    fn a_stage_the_target_is_built_from_is_final_image_content() {
        let text = "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nFROM base\nCMD [\"curl\"]\n";
        assert_eq!(lines(text, "DL3009"), [2]);
    }
}
