use super::{Ctx, Hit};
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks for more than one `ENTRYPOINT` in a stage (every stage the final image needs). Each
    /// `ENTRYPOINT` but the last is reported: it has no effect.
    ///
    /// ## Why is this bad?
    /// Only the last `ENTRYPOINT` of a stage takes effect (and setting `ENTRYPOINT` also resets a `CMD`
    /// inherited from the base image). An earlier one is dead code that suggests the image starts
    /// something it does not.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/docker-entrypoint.sh"]
    /// ENTRYPOINT ["/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/app"]
    /// ```
    pub struct MultipleEntrypoint {
        id: "DL4004",
        name: "multiple-entrypoint",
        severity: Error,
        applies_to: UsedStages,
        summary: "Only the last ENTRYPOINT of a stage takes effect",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    super::dl4003_multiple_cmd::overridden(ctx, Kind::Entrypoint, &META, out);
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn earlier_entrypoints_are_flagged() {
        let text = "FROM alpine:3.20\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n";
        assert_eq!(lines(text, "DL4004"), [2]);
    }

    #[test]
    fn one_entrypoint_per_stage_passes() {
        let text = "FROM alpine:3.20 AS a\nENTRYPOINT [\"a\"]\nFROM a\nENTRYPOINT [\"b\"]\n";
        assert!(lines(text, "DL4004").is_empty());
    }
}
