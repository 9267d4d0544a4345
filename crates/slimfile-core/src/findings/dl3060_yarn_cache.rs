use crate::shell::subcommand;
use super::{Ctx, Hit};

declare_rule! {
    /// ## What it does
    /// Checks for `yarn install` (or a bare `yarn`, or `yarn add`) in the final image without
    /// `yarn cache clean` in the same `RUN`.
    ///
    /// Passes with a `RUN --mount=type=cache` (or `tmpfs`) on yarn's cache folder. Builder stages are not
    /// checked: their cache never reaches the final image.
    ///
    /// ## Why is this bad?
    /// Yarn keeps a copy of every package it downloads in its global cache
    /// (`/usr/local/share/.cache/yarn` for root). The installed `node_modules` do not need it, and it is
    /// often as big as they are. Cleaning in a later `RUN` does not shrink the image: the earlier layer
    /// keeps the files.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package.json yarn.lock ./
    /// RUN yarn install --frozen-lockfile --production
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// COPY package.json yarn.lock ./
    /// RUN yarn install --frozen-lockfile --production && yarn cache clean
    /// ```
    pub struct YarnCacheClean {
        id: "DL3060",
        name: "yarn-cache-clean",
        severity: Info,
        applies_to: FinalImage,
        summary: "Run `yarn cache clean` after `yarn install`",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, inst) in ctx.final_instructions() {
        let cmds = ctx.commands(i);
        let install = cmds.iter().find(|c| {
            c.program() == "yarn"
                && matches!(
                    subcommand(c, &["--cwd", "--modules-folder", "--cache-folder"]).0,
                    None | Some("install" | "add")
                )
        });
        let Some(install) = install else { continue };
        let cleaned = cmds.iter().any(|c| {
            c.program() == "yarn" && {
                let (sub, rest) = subcommand(c, &[]);
                sub == Some("cache") && rest.first() == Some(&"clean")
            }
        });
        let own_cache = install.has_flag(&["--cache-folder"]);
        let mounted = ctx.cache_mount(inst, |t| t.contains("yarn"));
        if cleaned || mounted || own_cache {
            continue;
        }
        let shown = install.argv.join(" ");
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!("`{shown}` keeps yarn's package cache in the final image: add `&& yarn cache clean` to this RUN"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn yarn_install_without_cache_clean() {
        let text = "FROM node:20-slim\nRUN yarn install --frozen-lockfile\nRUN yarn\n";
        assert_eq!(lines(text, "DL3060"), [2, 3]);
    }

    #[test]
    fn cache_clean_in_the_same_run_passes() {
        let text = "FROM node:20-slim\nRUN yarn install --frozen-lockfile && yarn cache clean\nRUN yarn build\n";
        assert!(lines(text, "DL3060").is_empty());
    }

    #[test]
    fn builder_stages_are_not_checked() {
        let text = "FROM node:20 AS build\nRUN yarn install\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n";
        assert!(lines(text, "DL3060").is_empty());
    }
}
