use crate::shell::{removes, subcommand};
use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Checks for `npm install` / `npm ci` (and their aliases `i`, `add`, `it`, `install-ci-test`) in the
    /// final image without `npm cache clean --force` in the same `RUN`.
    ///
    /// Passes when the same `RUN` removes the cache folder (`rm -rf /root/.npm`, `~/.npm`), or with a
    /// `RUN --mount=type=cache` (or `tmpfs`) on a `.npm` folder. Builder stages are not checked: their cache
    /// never reaches the final image. (hadolint's DL3068 suggests a cache mount for speed; this rule is about
    /// size.)
    ///
    /// ## Why is this bad?
    /// npm keeps a copy of every package tarball it fetches in `~/.npm/_cacache`. The installed
    /// `node_modules` do not need it, and it is often as big as they are. Cleaning in a later `RUN` does not
    /// shrink the image: the earlier layer keeps the files.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package*.json ./
    /// RUN npm ci --omit=dev
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package*.json ./
    /// RUN npm ci --omit=dev && npm cache clean --force
    /// ```
    pub struct NpmCacheClean {
        id: "SF103",
        name: "npm-cache-clean",
        severity: Info,
        applies_to: FinalImage,
        summary: "Run `npm cache clean --force` after `npm install`/`npm ci`",
    }
}

const NPM_VALUE_OPTIONS: &[&str] =
    &["--prefix", "-C", "--cache", "--registry", "-w", "--workspace", "--omit", "--include"];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, inst) in ctx.final_instructions() {
        let cmds = ctx.commands(i);
        let install = cmds.iter().find(|c| {
            c.program() == "npm"
                && matches!(
                    subcommand(c, NPM_VALUE_OPTIONS).0,
                    Some("install" | "i" | "ci" | "add" | "it" | "install-ci-test" | "isntall")
                )
        });
        let Some(install) = install else { continue };
        let cleaned = cmds.iter().any(|c| {
            c.program() == "npm" && {
                let (sub, rest) = subcommand(c, &[]);
                sub == Some("cache") && matches!(rest.first().copied(), Some("clean" | "clear" | "rm"))
            }
        });
        let removed = removes(cmds, |p| {
            p.trim_end_matches('/').ends_with("/.npm") || p.contains("/.npm/_cacache") || p == "~/.npm"
        });
        let mounted = ctx.cache_mount(inst, |t| t.ends_with(".npm") || t.contains("/.npm/"));
        let own_cache = install.has_flag(&["--cache"]);
        if cleaned || removed || mounted || own_cache {
            continue;
        }
        let (sub, _) = subcommand(install, NPM_VALUE_OPTIONS);
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!(
                "`npm {}` keeps npm's package cache (~/.npm) in the final image: add `&& npm cache clean --force` to this RUN",
                sub.unwrap_or("install")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn npm_ci_without_cache_clean() {
        let text = "FROM node:20-slim\nCOPY . .\nRUN npm ci --omit=dev\n";
        assert_eq!(lines(text, "SF103"), [3]);
    }

    #[test]
    fn cache_clean_removal_or_mount_passes() {
        let text = "FROM node:20-slim\nRUN npm ci && npm cache clean --force\nRUN npm install && rm -rf /root/.npm\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN npm run build\n";
        assert!(lines(text, "SF103").is_empty());
    }

    #[test]
    fn builder_stages_are_not_checked() {
        let text = "FROM node:20 AS build\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n";
        assert!(lines(text, "SF103").is_empty());
    }
}
