//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF303` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a Go build where cgo is on (the default where gcc is installed, or `CGO_ENABLED=1`), so the binary may link glibc and the final image is distroless/base rather than distroless/static. With go.mod and the sources in the build context, a module that needs cgo (mattn/go-sqlite3, …) or a file that imports "C" answers it: a change note instead of the question.
    ///
    /// ## Why is this bad?
    /// distroless/base is larger than distroless/static, and a dynamically linked binary ties the final image to the builder's Debian release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// RUN go build -o /app .
    /// ```
    ///
    /// If the program needs no C code (no sqlite3 via mattn/go-sqlite3, no cgo DNS resolver), build with `CGO_ENABLED=0` and it runs on distroless/static.
    pub struct CgoLinksGlibc {
        id: "SF303",
        name: "cgo-links-glibc",
        severity: Info,
        applies_to: Conversion,
        summary: "A Go build with cgo on needs glibc at run time",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
