//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF309` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a conversion from a full language image (python, ruby, node: built on buildpack-deps) to its slim variant. A lockfile in the build context that lists every package (poetry.lock, uv.lock, pip-compile's requirements.txt, Gemfile.lock) answers it when slimfile knows each package: the runtime libraries of those compiled against the full image's are installed, with a change note naming the file.
    ///
    /// ## Why is this bad?
    /// The full image ships many libraries with their headers (libpq, libxml2, libjpeg, …), so a package compiled from source can link one without the Dockerfile installing it. The slim image lacks them, and the import fails at run time.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// RUN pip install psycopg2   # builds against the full image's libpq
    /// ```
    ///
    /// Install the runtime library in the runtime stage (`apt-get install -y --no-install-recommends libpq5`), or use binary wheels (psycopg2-binary).
    pub struct FullImageLibraries {
        id: "SF309",
        name: "full-image-libraries",
        severity: Info,
        applies_to: Conversion,
        summary: "The full image's libraries are not in the slim one",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
