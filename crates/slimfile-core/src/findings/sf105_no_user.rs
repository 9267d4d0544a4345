use super::{stage_image, Ctx, Hit};
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks for a final image with no `USER` instruction at all: none in the last stage, none in the
    /// stages it is built `FROM`. The finding points at the last stage's `FROM`.
    ///
    /// Base images known to run as an unprivileged user pass: tags containing `nonroot` (distroless
    /// `:nonroot`, `:debug-nonroot`) and .NET `chiseled` images. An explicit `USER root` is DL3002.
    ///
    /// hadolint has no rule for this (its DL3002 only looks at an explicit `USER`).
    ///
    /// ## Why is this bad?
    /// Without `USER`, the container runs as the base image's default user, which is root for almost every
    /// image (`debian`, `alpine`, `node`, `python`, `scratch`, …). Root in the container makes any exploit
    /// of the app worse. Create (or use) an unprivileged user and set it last.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --uid 10001 --no-create-home app
    /// COPY . /app
    /// USER 10001
    /// CMD ["python", "/app/main.py"]
    /// ```
    pub struct NoUser {
        id: "SF105",
        name: "no-user",
        severity: Warning,
        applies_to: FinalImage,
        summary: "Set a non-root USER in the final image",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(&target) = ctx.chain.last() else { return };
    if ctx.chain_instructions().any(|(_, _, inst)| inst.kind == Kind::User) {
        return;
    }
    let root = ctx.chain.first().copied().unwrap_or(target);
    if let Some(image) = stage_image(ctx.model, root) {
        let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
        // distroless `:nonroot` images run as 65532; .NET chiseled images run as their `app` user.
        if tag.contains("nonroot") || tag.contains("chiseled") {
            return;
        }
    }
    let from = ctx.model.stages[target].from;
    out.push(ctx.hit(
        &META,
        META.severity,
        from,
        Some(target),
        "the final image sets no USER, so it runs as the base image's default user, root for most images: add `USER <uid>` of an unprivileged user".to_owned(),
    ));
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn no_user_in_the_final_image() {
        let text = "FROM golang:1.22 AS build\nUSER nobody\nFROM debian:12-slim\nCOPY --from=build /app /app\n";
        assert_eq!(lines(text, "SF105"), [3]);
    }

    #[test]
    fn a_user_in_the_chain_or_a_nonroot_base_passes() {
        let text = "FROM debian:12 AS base\nUSER 10001\nFROM base\nCMD [\"/app\"]\n";
        assert!(lines(text, "SF105").is_empty());
        let text = "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n";
        assert!(lines(text, "SF105").is_empty());
    }
}
