//! SF107: `COPY . .` sends what the image should not get, because `.dockerignore` does not leave it out.
//! Needs the build context (the listing of the project's files); without one it says nothing.

use super::{Ctx, Hit};
use crate::report::Severity;

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` that sends a whole folder of the build context (`COPY . .`) while that
    /// folder holds `.git`, `node_modules`, a `target/` build folder (beside Cargo.toml or pom.xml) or a
    /// `.env` file with keys, and `.dockerignore` does not leave them out. It needs the build context
    /// (`slimfile check` reads the Dockerfile's folder; the playground's Project files). A `.env` file is a
    /// warning; the others are info. `slimfile dockerignore` prints a `.dockerignore` that leaves them out,
    /// and the playground offers it as a download.
    ///
    /// ## Why is this bad?
    /// Everything the context sends is uploaded to the builder at every build and lands in a layer. `.git`
    /// holds the whole history; the host's `node_modules` overwrites the image's own `npm ci` with packages
    /// installed for another system (native modules built for macOS fail on Linux); a host's `target/`
    /// makes the context large and the cache miss. A `.env` file puts its secrets in a layer, where anyone
    /// with the image (or the builder's cache) reads them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// WORKDIR /app
    /// COPY package*.json ./
    /// RUN npm ci
    /// COPY . .        # also sends .git, node_modules and .env
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// Add them to `.dockerignore` (`.git`, `node_modules`, `.env`), and pass secrets at run time.
    pub struct ContextNotIgnored {
        id: "SF107",
        name: "context-not-ignored",
        severity: Info,
        applies_to: UsedStages,
        summary: "`COPY . .` sends .git, node_modules, target/ or secrets that .dockerignore does not leave out",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(project) = ctx.project else { return };
    for (inst, sent) in crate::context::dockerignore::sent(project, ctx.doc, ctx.model) {
        let secret = sent.iter().any(|s| s.secret);
        let mut what: Vec<String> = sent.iter().map(|s| format!("{} ({})", s.path, s.what)).collect();
        let last = what.pop().unwrap_or_default();
        let listed = if what.is_empty() { last } else { format!("{} and {last}", what.join(", ")) };
        let (them, ignore) = match (sent.len(), project.dockerignore.text.is_some()) {
            (1, true) => ("it", ".dockerignore does not leave it out"),
            (1, false) => ("it", "there is no .dockerignore"),
            (_, true) => ("them", ".dockerignore does not leave them out"),
            (_, false) => ("them", "there is no .dockerignore"),
        };
        out.push(Hit {
            rule: META.id,
            severity: if secret { Severity::Warning } else { META.severity },
            message: format!(
                "This sends {listed} into the build: {ignore}. Add {them} to .dockerignore (`slimfile dockerignore` prints one){}",
                if secret { "; secrets belong in the environment at run time, never in a layer" } else { "" }
            ),
            inst,
            stage: ctx.model.stages.iter().find(|s| s.body.contains(&inst)).map(|s| s.index),
        });
    }
}
