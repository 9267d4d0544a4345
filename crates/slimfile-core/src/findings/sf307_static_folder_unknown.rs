//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF307` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a single-page app whose static server (`serve`, `http-server`) is started without naming the folder it serves, so slimfile copied the whole working directory to nginx. With package.json in the build context, a build script whose tool has a known output folder (react-scripts: build/, vite: dist/) answers it.
    ///
    /// ## Why is this bad?
    /// The whole working directory holds the sources and node_modules: nginx would serve them, and the image stays large.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["serve", "-s"]
    /// ```
    ///
    /// Name the build output folder in the command (`serve -s build`, `http-server dist`) and convert again.
    pub struct StaticFolderUnknown {
        id: "SF307",
        name: "static-folder-unknown",
        severity: Warning,
        applies_to: Conversion,
        summary: "The static server's folder is not named",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
