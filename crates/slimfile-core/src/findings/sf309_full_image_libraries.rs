//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF309` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Says what the build cannot check about the shared libraries of a converted image: a library loaded with
    /// `dlopen` (when the builder is a full python, ruby or node image, whose many libraries a package compiled from
    /// source may use without the Dockerfile naming them), or every library, where slimfile cannot check them.
    ///
    /// ## Why is this bad?
    /// The rewrite's library gate (a RUN at the end of the builder) lists every shared library the files copied to
    /// the runtime stage link (`ldd`, or `scanelf` on Alpine): on a distroless runtime one it lacks stops the build,
    /// and a slim runtime installs the package of each (`dpkg-query --search`, `apk info --who-owns`). A library the
    /// app loads with `dlopen` (ctypes, ffi) is not linked, so the gate cannot see it; and where the gate cannot
    /// run (a runtime whose libraries slimfile does not list, a builder of another release or distribution than the
    /// runtime), nothing checks. A library missing at run time fails at start ("error while loading shared
    /// libraries") or at the import.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// RUN pip install python-magic   # loads libmagic.so.1 with ctypes at run time
    /// ```
    ///
    /// Install the library's package in the runtime stage (`apt-get install -y --no-install-recommends libmagic1`).
    pub struct FullImageLibraries {
        id: "SF309",
        name: "full-image-libraries",
        severity: Info,
        applies_to: Conversion,
        summary: "A shared library the build cannot check",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
