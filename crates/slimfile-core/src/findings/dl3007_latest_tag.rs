use super::{from_text, stage_image, Ctx, Hit, Scope};

declare_rule! {
    /// ## What it does
    /// Checks for `FROM <image>:latest`. A digest (`:latest@sha256:…`) pins the image and passes. Every
    /// stage the final image needs is checked. An untagged `FROM <image>` is DL3006.
    ///
    /// ## Why is this bad?
    /// `latest` moves: the next build may get a new major version of the base image, with a different
    /// libc, runtime or package set, and nothing in the Dockerfile shows that it changed. Pin the version
    /// you tested with.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20.15-slim
    /// ```
    pub struct LatestTag {
        id: "DL3007",
        name: "latest-tag",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Pin the base image to a version instead of `latest`",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for stage in &ctx.model.stages {
        if ctx.scope(stage.index) == Scope::Unused {
            continue;
        }
        let Some(image) = stage_image(ctx.model, stage.index) else { continue };
        if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
            continue;
        }
        out.push(ctx.hit(
            &META,
            META.severity,
            stage.from,
            Some(stage.index),
            format!(
                "`FROM {}` follows the `latest` tag, which moves to new versions without notice: pin a version tag",
                from_text(ctx.doc, ctx.model, stage.index)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn latest_is_flagged() {
        let text = "FROM node:latest AS build\nFROM nginx:latest\nCOPY --from=build /a /a\n";
        assert_eq!(lines(text, "DL3007"), [1, 2]);
    }

    #[test]
    fn versions_digests_and_unused_stages_pass() {
        let text =
            "FROM node:latest AS unused\nFROM nginx:latest@sha256:abcd AS a\nFROM nginx:1.27\nCOPY --from=a /a /a\n";
        assert!(lines(text, "DL3007").is_empty());
    }
}
