use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Checks for `cd` in a `RUN` (every stage the final image needs).
    ///
    /// ## Why is this bad?
    /// A `cd` only lasts until the end of its `RUN`: the next instruction starts again in the `WORKDIR`.
    /// Steps that depend on the directory are easy to break when lines move, and `COPY`, `CMD` and the
    /// next `RUN` do not see it. `WORKDIR` sets the directory for everything after it, and creates it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// COPY . /src
    /// RUN cd /src && go build -o /app .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /app .
    /// ```
    pub struct CdInRun {
        id: "DL3003",
        name: "cd-in-run",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Use WORKDIR to switch to a directory",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, _) in ctx.used_instructions() {
        let Some(cd) = ctx.commands(i).iter().find(|c| c.program() == "cd") else { continue };
        let dir = cd.positional(0).next().unwrap_or("~");
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!("`cd {dir}` only lasts for this RUN: set the directory with `WORKDIR {dir}` instead"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn cd_in_run() {
        let text = "FROM golang:1.22 AS build\nRUN cd /src && go build\nFROM scratch\nCOPY --from=build /app /app\n";
        assert_eq!(lines(text, "DL3003"), [2]);
        assert!(messages(text, "DL3003")[0].contains("WORKDIR /src"));
    }

    #[test]
    fn workdir_passes() {
        let text = "FROM golang:1.22\nWORKDIR /src\nRUN go build && echo cd\n";
        assert!(lines(text, "DL3003").is_empty());
    }
}
