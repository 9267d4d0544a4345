use super::{Ctx, Hit, Scope};

declare_rule! {
    /// ## What it does
    /// Reports stages the final (last) stage does not need: it is not built `FROM` them, and no
    /// `COPY --from` or `RUN --mount=from=` of it (or of a stage it needs) names them. This is the only
    /// finding such stages get: BuildKit does not build them.
    ///
    /// ## Why is this bad?
    /// It is not, necessarily: test or lint stages built with `docker build --target test` are unused by
    /// the final image on purpose. But a stage nobody builds may be one the final image was meant to copy
    /// from, and its instructions are not checked by the other rules. (The legacy builder, without
    /// BuildKit, does build every stage, which makes builds slower.)
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /app .
    ///
    /// FROM golang:1.22 AS test
    /// RUN go test ./...
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /app /app
    /// ```
    ///
    /// Build the test stage explicitly (`docker build --target test .`), or make the final stage depend on
    /// it if its result matters.
    pub struct UnusedStage {
        id: "SF106",
        name: "unused-stage",
        severity: Info,
        applies_to: UnusedStages,
        summary: "A stage the final image does not need is skipped by BuildKit",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for stage in &ctx.model.stages {
        if ctx.scope(stage.index) != Scope::Unused {
            continue;
        }
        let target = match &stage.name {
            Some(n) => format!(" unless you build it with `--target {n}`"),
            None => String::new(),
        };
        out.push(ctx.hit(
            &META,
            META.severity,
            stage.from,
            Some(stage.index),
            format!("{} is not used by the final stage, so BuildKit skips it{target}", ctx.stage_label(stage.index)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, run};

    #[test]
    fn unused_stages_get_only_this_finding() {
        let text = "FROM golang AS test\nRUN cd /src && sudo go test\nMAINTAINER x\nFROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\nUSER 10001\n";
        assert_eq!(lines(text, "SF106"), [1]);
        let rules: Vec<String> = run(text).into_iter().filter(|f| f.stage == Some(0)).map(|f| f.rule).collect();
        assert_eq!(rules, ["SF106"]);
    }

    #[test]
    fn used_stages_pass() {
        let text = "FROM golang:1.22 AS build\nFROM build AS mid\nFROM alpine:3.20\nCOPY --from=mid /app /app\n";
        assert!(lines(text, "SF106").is_empty());
    }
}
