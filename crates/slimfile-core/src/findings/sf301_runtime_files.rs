//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF301` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports, on a conversion of a compiled app (Go, Rust, C), that only the program was copied to the final image while the original also held the build context (`COPY . .`). With the project's Go or Rust sources in the build context, the files they name (templates, config) are copied and what they embed is not, each with a change note; the question stays only when a source file was not read.
    ///
    /// ## Why is this bad?
    /// A program that reads files next to it at run time (HTML templates, static assets, a config file, migrations) finds them in the single-stage image, and not in the rewritten one. The Dockerfile cannot say which files the program opens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /app .
    /// ENTRYPOINT ["/app"]   # reads ./templates at run time
    /// ```
    ///
    /// Add the folders it reads to the runtime stage: `COPY --from=build /src/templates /src/templates`.
    pub struct RuntimeFilesNotCopied {
        id: "SF301",
        name: "runtime-files-not-copied",
        severity: Info,
        applies_to: Conversion,
        summary: "The build context stays in the builder of a compiled app",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
