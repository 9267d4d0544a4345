use super::{Ctx, Hit};
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks for the `MAINTAINER` instruction in every stage the final image needs.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` has been deprecated since Docker 1.13. It only sets the image's `Author` field, which
    /// tools no longer show. A label is the supported way, and the OCI annotation
    /// `org.opencontainers.image.authors` is what registries and scanners read.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    pub struct Maintainer {
        id: "DL4000",
        name: "maintainer-deprecated",
        severity: Error,
        applies_to: UsedStages,
        summary: "MAINTAINER is deprecated: use a LABEL",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, inst) in ctx.used_instructions() {
        if inst.kind != Kind::Maintainer {
            continue;
        }
        let who = inst.arg_text().trim().replace('"', "\\\"");
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!("MAINTAINER is deprecated: write `LABEL org.opencontainers.image.authors=\"{who}\"` instead"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn maintainer_is_flagged() {
        let text = "FROM alpine:3.20\nMAINTAINER Jane <j@x.org>\n";
        assert_eq!(lines(text, "DL4000"), [2]);
        assert!(messages(text, "DL4000")[0].contains("authors=\"Jane <j@x.org>\""));
    }

    #[test]
    fn labels_and_unused_stages_pass() {
        let text =
            "FROM alpine:3.20 AS old\nMAINTAINER x\nFROM alpine:3.20\nLABEL org.opencontainers.image.authors=x\n";
        assert!(lines(text, "DL4000").is_empty());
    }
}
