use super::{from_text, stage_image, Ctx, Hit};
use crate::knowledge::siblings;

declare_rule! {
    /// ## What it does
    /// Checks whether a stage the final image needs starts from a deprecated official image: `openjdk`
    /// (deprecated since July 2022: only Early Access builds are still published, some old tags are gone
    /// from Docker Hub) or `java` (no updates after 2016, renamed `openjdk`). The list, with each
    /// deprecation notice and its source, is `data/runtime-siblings.json`.
    ///
    /// ## Why is this bad?
    /// A deprecated image gets no security updates: the JDK and the distribution under it stay at the day
    /// of its last build. Its maintained successor of the same Java version, Eclipse Temurin, builds the same
    /// OpenJDK sources; the message names its tag when one of the same Java version and distribution exists.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM openjdk:8-jre-alpine
    /// COPY app.jar /app.jar
    /// CMD ["java", "-jar", "/app.jar"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM eclipse-temurin:8-jre-alpine
    /// COPY app.jar /app.jar
    /// CMD ["java", "-jar", "/app.jar"]
    /// ```
    pub struct DeprecatedImage {
        id: "SF109",
        name: "deprecated-image",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Do not build on a deprecated official image",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for stage in &ctx.model.stages {
        if ctx.scope(stage.index) == super::Scope::Unused {
            continue;
        }
        let Some(image) = stage_image(ctx.model, stage.index) else { continue };
        let Some((d, successor)) = siblings::deprecation(&image.registry, &image.repository, image.tag.as_deref()) else { continue };
        let instead = match successor {
            Some(s) => format!("use `{s}`, its maintained successor of the same Java version"),
            None => "move to a maintained Java image (eclipse-temurin, amazoncorretto, sapmachine, ibm-semeru-runtimes): none of them publishes this Java version and distribution".to_owned(),
        };
        out.push(ctx.hit(
            &META,
            META.severity,
            stage.from,
            Some(stage.index),
            format!("`{}`: {} So {instead} (source: {}).", from_text(ctx.doc, ctx.model, stage.index), d.notice, d.source),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn deprecated_images_are_named() {
        assert_eq!(lines("FROM openjdk:8-jre-alpine\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n", "SF109"), [1]);
        assert_eq!(lines("FROM java:openjdk-8-jdk-alpine AS build\nRUN javac A.java\nFROM scratch\nCOPY --from=build /A.class /\n", "SF109"), [1]);
        assert!(lines("FROM eclipse-temurin:8-jre-alpine\n", "SF109").is_empty());
        // A stage the final image does not need is not checked.
        assert!(lines("FROM openjdk:8 AS old\nFROM eclipse-temurin:21-jre\n", "SF109").is_empty());
    }

    #[test]
    fn the_successor_is_named_when_it_exists() {
        let r = crate::findings::testing::run("FROM openjdk:11-jre-slim\n");
        let m = &r.iter().find(|f| f.rule == "SF109").unwrap().message;
        assert!(m.contains("use `eclipse-temurin:11-jre`"), "{m}");
        let r = crate::findings::testing::run("FROM java:7\n");
        let m = &r.iter().find(|f| f.rule == "SF109").unwrap().message;
        assert!(m.contains("move to a maintained Java image"), "{m}");
    }
}
