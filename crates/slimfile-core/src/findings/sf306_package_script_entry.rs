//! A question the rewrite asks (emitted by `rewrite/`, not by a check over the input): documented here
//! so that `slimfile explain SF306` and pragmas work for it like for every other rule.

use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Reports a Node.js image whose command runs a package script (`npm start`, `yarn start`): slimfile keeps a slim node image with npm, because the entry file is in package.json. With package.json in the build context the script is read instead: `node FILE` runs on distroless/nodejs, a watcher (nodemon) becomes `node FILE`, a development server is refused, anything else keeps npm with a change note saying why.
    ///
    /// ## Why is this bad?
    /// npm in the final image adds size and a process between the container and node (signals go to npm); dev dependencies may be needed by the script, so they are kept too.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["npm", "start"]
    /// ```
    ///
    /// Run the entry file directly, `CMD ["node", "server.js"]`: slimfile can then use distroless/nodejs and drop the dev dependencies package.json shows to be build tools.
    pub struct EntryHiddenInPackageJson {
        id: "SF306",
        name: "entry-hidden-in-package-json",
        severity: Info,
        applies_to: Conversion,
        summary: "`npm start` hides the entry file",
    }
}

pub(super) fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Hit>) {}
