use std::sync::OnceLock;

use serde::Deserialize;

use super::{from_text, stage_image, Ctx, Hit};
use crate::report::ImageRef;

declare_rule! {
    /// ## What it does
    /// Checks whether the final image is built on an SDK or toolchain image: `golang`, `rust`, `maven`,
    /// `gradle`, a JDK (`openjdk`, `eclipse-temurin` without `-jre`, `amazoncorretto`),
    /// `mcr.microsoft.com/dotnet/sdk`, `gcc`, `buildpack-deps`, or the *full* `node`, `python` and `ruby`
    /// images (not `-slim`, not `-alpine`), which are built on `buildpack-deps`. The list, with a source for
    /// each entry, is `data/toolchain-images.json`.
    ///
    /// The base image of the final image is the `FROM` image of the last stage or of the stage it is
    /// (transitively) built `FROM`. Toolchain images in builder stages are what they are for, and pass.
    ///
    /// ## Why is this bad?
    /// A toolchain image holds everything needed to *build*: compilers, headers, package managers, often
    /// git and curl. The app needs none of it to run. It makes the final image several times larger than
    /// needed (`golang` is ~800 MB for a binary of a few MB) and gives an attacker a full build environment.
    /// Build in the toolchain image as a builder stage and copy the result into a runtime image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /app .
    /// CMD ["/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /app .
    ///
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// COPY --from=build /app /app
    /// CMD ["/app"]
    /// ```
    pub struct ToolchainBaseImage {
        id: "SF102",
        name: "toolchain-base-image",
        severity: Warning,
        applies_to: FinalImage,
        summary: "Do not ship an SDK or toolchain image as the final image",
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct ToolchainImage {
    pub registry: String,
    /// `library/golang` for official images.
    pub repository: String,
    /// Tags containing one of these are the small variants (`slim`, `alpine`, `jre`).
    #[serde(default)]
    pub except_tags: Vec<String>,
    pub toolchain: String,
    /// Completes "the final image is built on …".
    pub what: String,
    /// What to run on instead.
    pub runtime: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct ToolchainData {
    pub images: Vec<ToolchainImage>,
}

pub fn data() -> &'static ToolchainData {
    static DATA: OnceLock<ToolchainData> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/toolchain-images.json"))
            .expect("data/toolchain-images.json is valid (tested)")
    })
}

/// The toolchain image entry `image` is, if any.
pub fn toolchain_image(image: &ImageRef) -> Option<&'static ToolchainImage> {
    let tag = image.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    data().images.iter().find(|t| {
        t.registry == image.registry
            && t.repository == image.repository
            && !t.except_tags.iter().any(|x| tag.contains(x.as_str()))
    })
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(&root) = ctx.chain.first() else { return };
    let Some(image) = stage_image(ctx.model, root) else { return };
    let Some(entry) = toolchain_image(image) else { return };
    let from = ctx.model.stages[root].from;
    out.push(ctx.hit(
        &META,
        META.severity,
        from,
        Some(root),
        format!(
            "the final image is built on `{}`, {}: use it as a builder stage and run on {}",
            from_text(ctx.doc, ctx.model, root),
            entry.what,
            entry.runtime
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::testing::lines;

    #[test]
    fn data_loads_with_sources() {
        for e in &data().images {
            assert!(e.source.starts_with("https://"), "{}", e.repository);
            assert!(!e.what.is_empty() && !e.runtime.is_empty());
        }
    }

    #[test]
    fn toolchain_as_the_final_image() {
        assert_eq!(lines("FROM golang:1.22\nRUN go build -o /app .\n", "SF102"), [1]);
        assert_eq!(lines("FROM mcr.microsoft.com/dotnet/sdk:8.0\n", "SF102"), [1]);
        assert_eq!(lines("FROM node:20 AS base\nFROM base\n", "SF102"), [1]);
        assert_eq!(lines("FROM python:3.12-bookworm\n", "SF102"), [1]);
    }

    #[test]
    fn runtime_variants_and_builders_pass() {
        assert!(lines("FROM node:20-slim\n", "SF102").is_empty());
        assert!(lines("FROM python:3.12-alpine\n", "SF102").is_empty());
        assert!(lines("FROM eclipse-temurin:21-jre\n", "SF102").is_empty());
        let text = "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(lines(text, "SF102").is_empty());
    }
}
