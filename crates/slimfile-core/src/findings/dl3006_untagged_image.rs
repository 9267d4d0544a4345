use super::{from_text, stage_image, Ctx, Hit};
use crate::report::Severity;
use crate::shell::referenced_vars;

declare_rule! {
    /// ## What it does
    /// Checks for `FROM <image>` without a tag or digest (which means `:latest`). `FROM scratch` and
    /// `FROM <earlier stage>` are not images and are not checked. Every stage the final image needs is
    /// checked: a builder's base image decides what is compiled as much as the final one.
    ///
    /// When the reference is made from an `ARG` that has no default (`FROM golang:${GO_VERSION}`),
    /// slimfile cannot know the tag; it reports that at severity *info* instead.
    ///
    /// ## Why is this bad?
    /// An untagged image is whatever `latest` points to on the day of the build: a new major version can
    /// arrive unannounced, and two builds of the same Dockerfile get different bases. A version tag (or a
    /// digest, `@sha256:…`) makes the build reproducible and the upgrade a visible change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// ```
    pub struct UntaggedImage {
        id: "DL3006",
        name: "untagged-image",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Always tag the version of a base image explicitly",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for stage in &ctx.model.stages {
        if ctx.scope(stage.index) == super::Scope::Unused {
            continue;
        }
        let Some(image) = stage_image(ctx.model, stage.index) else { continue };
        let written = from_text(ctx.doc, ctx.model, stage.index);
        if image.unresolved {
            let defaults = ctx.model.global_vars();
            let missing: Vec<String> =
                referenced_vars(&written).into_iter().filter(|v| !defaults.contains_key(v)).collect();
            let names =
                if missing.is_empty() { "an ARG".to_owned() } else { format!("ARG {}", missing.join(", ARG ")) };
            out.push(ctx.hit(
                &META,
                Severity::Info,
                stage.from,
                Some(stage.index),
                format!(
                    "the base image `{written}` depends on {names} with no default, so slimfile cannot tell which version it is until the build passes --build-arg: give the ARG a default"
                ),
            ));
            continue;
        }
        if image.tag.is_none() && image.digest.is_none() {
            out.push(ctx.hit(
                &META,
                META.severity,
                stage.from,
                Some(stage.index),
                format!(
                    "`FROM {written}` has no tag, so it pulls whatever `{}:latest` is today: pin a version tag",
                    image.resolved
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{hits, lines};
    use crate::report::Severity;

    #[test]
    fn untagged_images() {
        let text = "FROM golang AS build\nFROM debian:12-slim\nCOPY --from=build /app /app\n";
        assert_eq!(hits(text, "DL3006"), [(1, Severity::Warning)]);
    }

    #[test]
    fn tags_digests_stages_and_scratch_pass() {
        let text = "ARG V=1.22\nFROM golang:${V} AS build\nFROM alpine@sha256:abcd AS a\nFROM build AS b\nFROM scratch\nCOPY --from=a /x /x\nCOPY --from=b /y /y\n";
        assert!(lines(text, "DL3006").is_empty());
    }

    #[test]
    fn an_arg_without_default_is_unknown() {
        let text = "ARG GO_VERSION\nFROM golang:${GO_VERSION}\n";
        assert_eq!(hits(text, "DL3006"), [(2, Severity::Info)]);
        assert!(crate::findings::testing::messages(text, "DL3006")[0].contains("ARG GO_VERSION"));
    }
}
