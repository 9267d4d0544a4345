//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF302` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports that the rewrite had to copy a binary whose name the Dockerfile does not show (`cargo run`, `cargo build` with no CMD naming the binary), so it added `ARG BIN_NAME=app` to the builder. With Cargo.toml in the build context the name is read from it (default-run, `[[bin]]`, the package, a workspace member); the question stays when Cargo.toml does not decide (several binaries, no default-run).
    ///
    /// ## Why is this bad?
    /// Guessing the name would build an image that fails at start. The marked ARG makes the build fail loudly at the `cp` when the name is wrong, instead of silently.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM rust:1.75
    /// WORKDIR /usr/src/app
    /// COPY . .
    /// CMD ["cargo", "run", "--release"]
    /// ```
    ///
    /// Set the name: `docker build --build-arg BIN_NAME=myapp .`, or edit the ARG's default, or run the binary by name in CMD so slimfile can read it.
    pub struct BinaryNameUnknown {
        id: "SF302",
        name: "binary-name-unknown",
        severity: Warning,
        applies_to: Conversion,
        summary: "The binary's name is not in the Dockerfile: an ARG asks for it",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
