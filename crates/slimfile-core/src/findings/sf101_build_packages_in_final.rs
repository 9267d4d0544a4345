use std::collections::BTreeSet;

use super::{Ctx, Hit};
use crate::knowledge::packages::{build_use, fetch_commands, lookup, BuildUse, Role};
use crate::shell::packages::{self, is_apt, manager_subcommand, Action, PackageCommand};
use crate::shell::SimpleCommand;
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks for build-only OS packages installed in the final image: compilers (`gcc`,
    /// `build-essential`, `build-base`), headers (`*-dev`, `*-devel`), build tools (`make`, `cmake`,
    /// `pkg-config`), source and download tools (`git`, `curl`, `wget`) and language toolchains (`golang`,
    /// `cargo`, `default-jdk`, …), as `data/packages.json` classifies them.
    ///
    /// Only stages whose files reach the final image are checked. Packages the same `RUN` removes again
    /// (`apt-get purge`, `apk del` of the package or of its `--virtual` group) pass, and so does a tool the
    /// final image's `CMD`, `ENTRYPOINT` or `HEALTHCHECK` runs (`curl` in a health check). An image with no
    /// `CMD` or `ENTRYPOINT` in which no `RUN` builds is a toolbox of what it installs (an image of gcc or
    /// jq, run with a command of the user's choosing): it passes.
    ///
    /// ## Why is this bad?
    /// Compilers and headers are only needed to *produce* the app. In the final image they add hundreds of
    /// MB, they give an attacker tools to build and fetch exploits, and every one of them is a source of CVE
    /// reports. Build in a builder stage, then copy only the result (and the runtime libraries it links,
    /// e.g. `libpq5` for `libpq-dev`) into the final stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///  && rm -rf /var/lib/apt/lists/*
    /// RUN pip install --no-cache-dir psycopg2
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    /// RUN pip install --no-cache-dir --prefix=/install psycopg2
    ///
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// COPY --from=build /install /usr/local
    /// ```
    pub struct BuildPackagesInFinal {
        id: "SF101",
        name: "build-packages-in-final-image",
        severity: Warning,
        applies_to: FinalImage,
        summary: "Install compilers, headers and build tools in a builder stage, not in the final image",
    }
}

/// Programs the final image runs on its own: CMD, ENTRYPOINT and HEALTHCHECK.
fn runtime_programs(ctx: &Ctx<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, _, inst) in ctx.chain_instructions() {
        if !matches!(inst.kind, Kind::Cmd | Kind::Entrypoint | Kind::Healthcheck) {
            continue;
        }
        let text = match inst.command() {
            Some(crate::syntax::Command::Exec(argv)) => argv.join(" "),
            Some(crate::syntax::Command::Shell(s)) => s.clone(),
            None => continue,
        };
        for c in crate::shell::commands(&text, ctx.doc.escape) {
            for a in &c.argv {
                out.insert(crate::shell::basename(a).to_owned());
            }
        }
    }
    out
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let command = ctx.chain_instructions().any(|(_, _, inst)| matches!(inst.kind, Kind::Cmd | Kind::Entrypoint));
    if !command && !ctx.final_instructions().any(|(_, i, _)| ctx.commands(i).iter().any(crate::analyze::builds)) {
        return;
    }
    let runtime = runtime_programs(ctx);
    // A fetch tool no RUN from its install on calls is not shown to be build-only: a compose health check
    // or the app may run it (the rewrite keeps it for interpreted apps: analyze's
    // `unused_fetch_tools_stay`), and git may be the image's product (a git server). Tools other than
    // curl and wget may also be called by a build (`go mod download` and composer call git, git calls
    // ssh, composer unzip), so those stay build-only while a later RUN builds.
    let later = |at: usize, f: &dyn Fn(&SimpleCommand) -> bool| ctx.final_instructions().any(|(_, i, _)| i >= at && ctx.commands(i).iter().any(f));
    let unused_fetch = |name: &str, at: usize| {
        build_use(name) == BuildUse::Fetch
            && !later(at, &|c| fetch_commands(name).iter().any(|p| c.calls(p)))
            && (matches!(name, "curl" | "wget") || !later(at, &crate::analyze::builds))
    };
    for (stage, i, _) in ctx.final_instructions() {
        let cmds = ctx.commands(i);
        // What the same RUN removes again: package names and apk --virtual groups.
        let mut read: Vec<(&SimpleCommand, PackageCommand)> = Vec::new();
        let mut removed: BTreeSet<&str> = BTreeSet::new();
        for c in cmds {
            if let Some(p) = packages::read(c, &Default::default()) {
                read.push((c, p));
            }
        }
        for (_, p) in read.iter().filter(|(_, p)| p.action == Action::Remove) {
            removed.extend(p.names());
        }
        let mut found: Vec<String> = Vec::new();
        for (c, install) in read.iter().filter(|(_, p)| p.action == Action::Install) {
            let group = packages::group(c, install.manager);
            if group.is_some_and(|g| removed.contains(g)) {
                continue;
            }
            for name in install.names() {
                if removed.contains(name) || runtime.contains(name) || unused_fetch(name, i) || ctx.kept_at_run_time.iter().any(|k| k == name) {
                    continue;
                }
                let (role, entry) = lookup(install.manager.name, name);
                if role != Role::Build {
                    continue;
                }
                // The runtime package of the stage's own release (libssl1.1 on bullseye, libssl3t64 on
                // trixie); none named where the data has none for that release.
                let runtime: Vec<String> = match ctx.release_runtime.iter().find(|(n, _, _)| n == name) {
                    Some((_, r, _)) if !r.is_empty() => r.clone(),
                    Some((_, _, true)) => Vec::new(),
                    _ => entry.map(|e| e.runtime.iter().map(|r| (*r).to_owned()).collect()).unwrap_or_default(),
                };
                let label = if runtime.is_empty() { name.to_owned() } else { format!("{name} (the app needs only {} at run time)", runtime.join(", ")) };
                if !found.contains(&label) {
                    found.push(label);
                }
            }
        }
        // The official images' pattern (`apt-mark auto '.*'` … `apt-get purge -y --auto-remove`) removes
        // what it installed without naming it: trust it.
        let autoremove = cmds.iter().any(|c| c.program() == "apt-mark")
            && cmds.iter().any(|c| {
                is_apt(c)
                    && match manager_subcommand(c) {
                        Some("autoremove") => true,
                        Some("purge" | "remove") => c.has_flag(&["--auto-remove", "--autoremove"]),
                        _ => false,
                    }
            });
        if found.is_empty() || autoremove {
            continue;
        }
        let (what, verb) = if found.len() == 1 { ("build-only package", "is") } else { ("build-only packages", "are") };
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!(
                "the {what} {} {verb} installed in the final image: install {} in a builder stage and copy only the result",
                found.join(", "),
                if found.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn compilers_in_the_final_image() {
        let text = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev tzdata && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]\n";
        assert_eq!(lines(text, "SF101"), [2]);
        let m = &messages(text, "SF101")[0];
        assert!(m.contains("gcc, libpq-dev (the app needs only libpq5 at run time)"), "{m}");
        assert!(!m.contains("tzdata"), "{m}");
    }

    #[test]
    fn builder_stages_may_install_compilers() {
        let text = "FROM alpine:3.20 AS build\nRUN apk add --no-cache build-base git\nFROM alpine:3.20\nCOPY --from=build /app /app\n";
        assert!(lines(text, "SF101").is_empty());
        let inherited = "FROM alpine:3.20 AS base\nRUN apk add --no-cache build-base\nFROM base\nCMD [\"/app\"]\n";
        assert_eq!(lines(inherited, "SF101"), [2]);
    }

    #[test]
    fn the_runtime_package_is_the_releases_own() {
        let on = |base: &str| messages(&format!("FROM {base}\nRUN apt-get update && apt-get install -y --no-install-recommends libssl-dev\nCMD [\"/app\"]\n"), "SF101")[0].clone();
        assert!(on("debian:bullseye-slim").contains("libssl-dev (the app needs only libssl1.1 at run time)"), "{}", on("debian:bullseye-slim"));
        assert!(on("debian:trixie-slim").contains("libssl-dev (the app needs only libssl3t64 at run time)"), "{}", on("debian:trixie-slim"));
        assert!(on("debian:buster-slim").contains("libssl-dev (the app needs only libssl1.1 at run time)"), "{}", on("debian:buster-slim"));
    }

    #[test]
    fn a_toolbox_image_passes() {
        // No CMD or ENTRYPOINT and nothing built: an image of gcc, run as `docker run IMAGE gcc …`.
        let toolbox = "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev\n";
        assert!(lines(toolbox, "SF101").is_empty());
        // A RUN that builds, or a command, makes it an app's image again.
        let builds = "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev\nRUN gcc -o /hello hello.c\n";
        assert_eq!(lines(builds, "SF101"), [2]);
        let app = "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev\nCMD [\"/hello\"]\n";
        assert_eq!(lines(app, "SF101"), [2]);
    }

    #[test]
    fn removed_in_the_same_run_or_used_at_run_time_passes() {
        let text = "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps\nRUN apt-get install -y --no-install-recommends gcc && make && apt-get purge -y gcc\nRUN apk add --no-cache curl\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n";
        assert!(lines(text, "SF101").is_empty());
        let official = "FROM debian:12\nRUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y --no-install-recommends gcc make; make; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove; rm -rf /var/lib/apt/lists/*\n";
        assert!(lines(official, "SF101").is_empty());
    }

    #[test]
    fn a_fetch_tool_only_a_build_or_a_run_calls_is_build_only() {
        // git as a git server's product: no RUN calls it, nothing is built.
        let server = "FROM alpine:3.22\nRUN apk add --no-cache git openssh && adduser -D -s /usr/bin/git-shell git\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n";
        assert!(lines(server, "SF101").is_empty());
        // `go mod download` and composer call git and unzip themselves; a RUN may call it in `$(…)`.
        let go = "FROM golang:1.26\nRUN apt-get update && apt-get install -y --no-install-recommends git\nRUN go mod download\nCMD [\"app\"]\n";
        assert_eq!(lines(go, "SF101"), [2]);
        let composer = "FROM php:8.4-cli\nRUN apt-get update && apt-get install -y --no-install-recommends unzip\nRUN composer install --no-dev\nCMD [\"php\", \"app.php\"]\n";
        assert_eq!(lines(composer, "SF101"), [2]);
        let substituted = "FROM debian:13\nRUN apt-get update && apt-get install -y --no-install-recommends git\nRUN echo \"$(git ls-remote https://example.com/r.git)\" > /rev\nCMD [\"app\"]\n";
        assert_eq!(lines(substituted, "SF101"), [2]);
    }
}
