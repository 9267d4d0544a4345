//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF304` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a conversion to `scratch` (asked for with the target option) when the builder has no CA certificates to copy.
    ///
    /// ## Why is this bad?
    /// A program that makes TLS connections fails with `x509: certificate signed by unknown authority` in an image without `/etc/ssl/certs/ca-certificates.crt`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu
    /// RUN apt-get update && apt-get install -y golang-go
    /// RUN CGO_ENABLED=0 go build -o /app .
    /// ```
    ///
    /// Install `ca-certificates` in the builder (slimfile then copies the bundle), or use distroless/static, which has them.
    pub struct ScratchWithoutCertificates {
        id: "SF304",
        name: "scratch-without-certificates",
        severity: Warning,
        applies_to: Conversion,
        summary: "scratch has no CA certificates",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
