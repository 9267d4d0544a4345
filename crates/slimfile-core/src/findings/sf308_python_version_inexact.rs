//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF308` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a Python image whose tag does not name an exact version (X.Y): slimfile copies all of /usr/local from the builder instead of the version's site-packages.
    ///
    /// ## Why is this bad?
    /// /usr/local holds the interpreter too: the copy repeats files the slim image already has (about 50 MB).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// Pin the tag (`python:3.12`).
    pub struct PythonVersionInexact {
        id: "SF308",
        name: "python-version-inexact",
        severity: Info,
        applies_to: Conversion,
        summary: "The Python version is not exact, so all of /usr/local is copied",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
