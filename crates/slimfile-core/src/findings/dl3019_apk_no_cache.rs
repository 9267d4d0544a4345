use crate::shell::packages::{self, manager_subcommand};
use crate::shell::removes;
use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Checks for `apk add` in the final image without `--no-cache`.
    ///
    /// Passes with `--no-cache`, when the same `RUN` removes `/var/cache/apk`, or with a
    /// `RUN --mount=type=cache` (or `tmpfs`) on `/var/cache/apk` or `/etc/apk/cache`. Builder stages are not
    /// checked: their cache never reaches the final image.
    ///
    /// On an Alpine release whose apk predates `--no-cache` (before 3.3: `apk_no_cache` in
    /// data/packages.json), the advice is to remove `/var/cache/apk/*` in the same `RUN`.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, apk stores the package index it downloads in `/var/cache/apk`, and that layer
    /// ships with the image. `--no-cache` fetches the index to a temporary place instead, which also makes
    /// `apk update` (and `--update`) unnecessary.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk update && apk add ca-certificates
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache ca-certificates
    /// ```
    pub struct ApkNoCache {
        id: "DL3019",
        name: "apk-no-cache",
        severity: Info,
        applies_to: FinalImage,
        summary: "Use `apk add --no-cache` instead of `apk update` or removing `/var/cache/apk/*`",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    // The final image's Alpine release, when its apk has no --no-cache (alpine:3.1).
    let old_apk = ctx.chain.first().and_then(|&r| super::context::stage_image(ctx.model, r)).and_then(|image| {
        let tag = image.tag.as_deref()?;
        (image.repository.ends_with("alpine") && !crate::knowledge::packages::apk_has_no_cache(tag)).then(|| format!("alpine:{tag}"))
    });
    for (stage, i, inst) in ctx.final_instructions() {
        let cmds = ctx.commands(i);
        let Some(add) = cmds
            .iter()
            .find(|c| c.program() == "apk" && manager_subcommand(c) == Some("add") && !c.has_flag(&["--no-cache"]))
        else {
            continue;
        };
        let cleaned = removes(cmds, |p| p.starts_with("/var/cache/apk"));
        let mounted = ctx.cache_mount(inst, |t| t.starts_with("/var/cache/apk") || t.starts_with("/etc/apk/cache"));
        if cleaned || mounted {
            continue;
        }
        let names: Vec<String> =
            packages::read(add, &Default::default()).map(|p| p.packages.into_iter().map(|p| p.name).collect()).unwrap_or_default();
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            match &old_apk {
                Some(image) => format!(
                    "`apk add {}` keeps the apk index in /var/cache/apk in the final image: remove /var/cache/apk/* in the same RUN ({image}'s apk has no --no-cache)",
                    names.join(" ")
                ),
                None => format!("`apk add {}` keeps the apk index in /var/cache/apk in the final image: use `apk add --no-cache`", names.join(" ")),
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn apk_add_without_no_cache() {
        let text = "FROM alpine:3.20\nRUN apk update && apk add curl\n";
        assert_eq!(lines(text, "DL3019"), [2]);
        assert!(messages(text, "DL3019")[0].contains("apk add curl"));
    }

    #[test]
    fn a_release_before_no_cache_is_told_to_remove_the_index() {
        let text = "FROM alpine:3.1\nRUN apk add --update g++ make\n";
        assert_eq!(lines(text, "DL3019"), [2]);
        let m = &messages(text, "DL3019")[0];
        assert!(m.contains("remove /var/cache/apk/* in the same RUN (alpine:3.1's apk has no --no-cache)"), "{m}");
        assert!(messages("FROM alpine:3.3\nRUN apk add curl\n", "DL3019")[0].contains("use `apk add --no-cache`"));
    }

    #[test]
    fn no_cache_or_cleanup_passes() {
        let text = "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN apk add tzdata && rm -rf /var/cache/apk/*\n";
        assert!(lines(text, "DL3019").is_empty());
    }

    #[test]
    fn builder_stages_are_not_checked() {
        let text = "FROM alpine:3.20 AS build\nRUN apk add build-base\nFROM alpine:3.20\nCOPY --from=build /app /app\n";
        assert!(lines(text, "DL3019").is_empty());
    }
}
