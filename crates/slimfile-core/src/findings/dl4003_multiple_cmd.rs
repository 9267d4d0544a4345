use super::{Ctx, Hit};
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks for more than one `CMD` in a stage (every stage the final image needs). Each `CMD` but the
    /// last is reported: it has no effect.
    ///
    /// ## Why is this bad?
    /// Only the last `CMD` of a stage takes effect; the earlier ones are dead code that suggests the image
    /// runs something it does not. To run several processes, use one `CMD` that starts a process manager,
    /// or several containers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "migrate.py"]
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "app.py"]
    /// ```
    pub struct MultipleCmd {
        id: "DL4003",
        name: "multiple-cmd",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Only the last CMD of a stage takes effect",
    }
}

/// Reports every instruction of `kind` in a stage but the last one.
pub(super) fn overridden(ctx: &Ctx<'_>, kind: Kind, meta: &super::Meta, out: &mut Vec<Hit>) {
    for stage in &ctx.model.stages {
        if ctx.scope(stage.index) == super::Scope::Unused {
            continue;
        }
        let found: Vec<usize> = stage.body.clone().filter(|&i| ctx.doc.instructions[i].kind == kind).collect();
        let Some((&last, earlier)) = found.split_last() else { continue };
        for &i in earlier {
            out.push(ctx.hit(
                meta,
                meta.severity,
                i,
                Some(stage.index),
                format!(
                    "this {k} has no effect: the {k} on line {} of {} replaces it",
                    ctx.line(last),
                    ctx.stage_label(stage.index),
                    k = kind.as_str()
                ),
            ));
        }
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    overridden(ctx, Kind::Cmd, &META, out);
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn earlier_cmds_are_flagged() {
        let text = "FROM alpine:3.20\nCMD [\"a\"]\nCMD [\"b\"]\nCMD [\"c\"]\n";
        assert_eq!(lines(text, "DL4003"), [2, 3]);
        assert!(messages(text, "DL4003")[0].contains("line 4"));
    }

    #[test]
    fn one_cmd_per_stage_passes() {
        let text = "FROM alpine:3.20 AS a\nCMD [\"a\"]\nFROM a\nCMD [\"b\"]\n";
        assert!(lines(text, "DL4003").is_empty());
    }
}
