//! Node.js: servers keep their app folder with production dependencies only, on distroless/nodejs of the
//! same major version and Debian release (a slim node image when the entry file is hidden behind
//! `npm start`, or on Alpine, whose native modules link musl). Single-page apps built with
//! `npm run build` are served by nginx (see `spa`).

use super::shared::{add_cache_mounts, missing_packages, slim_image};
use super::split::{AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, Distro, Eco, StageFacts};
use crate::knowledge::{images_roles, runtimes};
use crate::report::RuntimeFamily;
use crate::syntax::Kind;

/// Programs that serve a folder of static files: (program, options that take a value).
const STATIC_SERVERS: &[(&str, &[&str])] = &[
    ("serve", &["-l", "--listen", "-p", "--port", "-c", "--config"]),
    ("http-server", &["-p", "--port", "-a", "-c", "-e", "--ext"]),
    ("live-server", &["--port", "--host"]),
    ("static-server", &["-p", "--port"]),
];

/// Dev servers that must not run in production.
const DEV_SERVERS: &[(&str, &str)] = &[("ng", "serve"), ("vite", ""), ("react-scripts", "start"), ("vue-cli-service", "serve"), ("next", "dev")];

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Node);
    let mut argv = final_argv(ctx.doc, f).unwrap_or_default();
    if argv.first().is_some_and(|p| p == "npx") {
        argv.remove(0);
    }
    let prog = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_owned()).unwrap_or_default();
    if let Some((p, sub)) = DEV_SERVERS.iter().find(|(p, sub)| *p == prog && (sub.is_empty() && argv.len() == 1 || argv.get(1).is_some_and(|a| a == sub))) {
        return refused(
            eco,
            [format!(
                "the final command runs a development server (`{}`), which rebuilds on change and needs the whole toolchain; \
                 build the app (`npm run build`) and serve the output folder with a static server, then convert again",
                if sub.is_empty() { p.to_string() } else { format!("{p} {sub}") }
            )],
        );
    }
    if let Some((_, value_opts)) = STATIC_SERVERS.iter().find(|(p, _)| *p == prog) {
        return spa(ctx, &argv, value_opts);
    }
    server(ctx, &argv, &prog)
}

fn node_major(f: &StageFacts) -> Option<String> {
    f.version.as_ref().map(|v| v.split('.').next().unwrap_or(v).to_owned())
}

fn server(ctx: &Ctx, argv: &[String], prog: &str) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Node);
    if !ctx.analysis.unmapped_dev.is_empty() {
        return refused(eco, [format!(
            "native extensions are built against {}, and slimfile does not know which runtime package holds each library; a runtime without them would fail to load them",
            ctx.analysis.unmapped_dev.join(", ")
        )]);
    }
    let mut split = Split::new(ctx);
    if f.role.and_then(|r| r.ecosystem) != Some("node") {
        return refused(eco, [format!(
            "Node.js comes from the distribution's packages in `{}`, not an official node image, so slimfile does not know where the packages were installed or which runtime image has the same Node.js",
            f.image.as_ref().map_or("scratch".to_owned(), |i| i.resolved.clone())
        )]);
    }
    if argv.is_empty() {
        return refused(eco, ["the final stage has no CMD or ENTRYPOINT: the node image's default (`node` REPL) is not an app slimfile can carry".to_owned()]);
    }
    let runs_node = matches!(prog, "node" | "nodejs");
    let runs_script = matches!(prog, "npm" | "yarn" | "pnpm");
    if !runs_node && !runs_script {
        let local = argv[0].starts_with("./node_modules/") || argv[0].starts_with("node_modules/");
        if !local {
            return refused(
                eco,
                [format!(
                    "the final command runs `{}`, installed outside the app folder (a global npm install?); slimfile cannot \
                     tell which files it needs at run time",
                    argv[0]
                )],
            );
        }
    }
    // Production dependencies only.
    prune_dev_dependencies(ctx, &mut split, runs_script);

    let extra = missing_packages(ctx, RuntimeFamily::DistrolessNodejs);
    let alpine = matches!(f.distro, Distro::Alpine { .. });
    let major = node_major(f);
    let target = ctx.options.target;
    if let Some(t) = target {
        if !matches!(t, RuntimeFamily::DistrolessNodejs | RuntimeFamily::Slim) {
            return refused(eco, [format!("a Node.js server does not run on {}: it needs node (distroless/nodejs or slim)", t.as_str())]);
        }
    }
    let want_distroless = target != Some(RuntimeFamily::Slim) && runs_node && !alpine && extra.is_empty();
    let mut distroless = None;
    if want_distroless {
        if let (Some(major), Some(release)) = (major.as_deref(), split.pin_debian_release()) {
            distroless = runtimes::find("distroless/nodejs", release, Some(major));
        }
    }
    let runtime = match distroless {
        Some(img) => distroless_node(ctx, &mut split, argv, img),
        None => {
            if target == Some(RuntimeFamily::DistrolessNodejs) {
                return refused(eco, [why_not_distroless(runs_node, alpine, &extra, major.as_deref())]);
            }
            let Some(img) = node_slim(ctx, &mut split) else {
                return refused(eco, ["the node version or release of the builder is unknown, so no slim node image can be matched to it".to_owned()]);
            };
            let mut r = Runtime::new(RuntimeFamily::Slim, img, why_not_distroless(runs_node, alpine, &extra, major.as_deref()));
            r.packages = missing_packages(ctx, RuntimeFamily::Slim);
            if runs_script {
                split.findings.push(ctx.ask(
                    "SF306",
                    format!(
                        "`{}` hides the entry file in package.json. Run it directly (`CMD [\"node\", \"server.js\"]`) and slimfile \
                         can use distroless/nodejs and drop the dev dependencies.",
                        argv.join(" ")
                    ),
                    f.cmd.or(f.entrypoint),
                ));
            }
            r
        }
    };
    split.app_files = AppFiles::Whole;
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "npm" | "yarn" | "pnpm")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.npm --mount=type=cache,target=/usr/local/share/.cache/yarn", "npm and yarn");
    }
    split.into_outcome(runtime, "node", Some(Eco::Node))
}

/// distroless/nodejs: its ENTRYPOINT is node, so the command keeps only node's arguments.
fn distroless_node(ctx: &Ctx, split: &mut Split, argv: &[String], img: &runtimes::RuntimeImage) -> Runtime {
    let f = ctx.target();
    let node: Vec<String> = img.entrypoint.iter().map(|w| (*w).to_owned()).collect();
    let command = split.keep_kinds(argv, 1, node, &img.entrypoint.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>());
    split.changes.push(ctx.change(
        "interpreter-entrypoint",
        super::split::interpreter_note("distroless/nodejs", img.entrypoint, &command, f.entrypoint.is_some()),
        f.entrypoint.or(f.cmd),
    ));
    split.command = Some(command);
    Runtime::new(
        RuntimeFamily::DistrolessNodejs,
        img.image.to_owned(),
        format!("the app runs with node {}, and distroless/nodejs has that node on the builder's Debian release (native modules keep their glibc).", img.version.unwrap_or("")),
    )
}

fn why_not_distroless(runs_node: bool, alpine: bool, extra: &[String], major: Option<&str>) -> String {
    if alpine {
        "the app was installed on Alpine: native modules and prebuilt binaries in node_modules link musl, so it keeps an Alpine node image, without the build tools and dev dependencies.".to_owned()
    } else if !extra.is_empty() {
        format!("the app needs {} at run time, which distroless cannot install.", extra.join(", "))
    } else if !runs_node {
        "the command runs a package script, not node directly, so it needs npm and a shell: a slim node image of the same version.".to_owned()
    } else {
        format!("no distroless/nodejs image exists for node {} on this Debian release, so a slim node image of the same version runs it.", major.unwrap_or("(unknown)"))
    }
}

/// The slim node image of the builder's version and release.
fn node_slim(ctx: &Ctx, split: &mut Split) -> Option<String> {
    let f = ctx.target();
    if matches!(f.distro, Distro::Alpine { .. }) {
        // The builder's own Alpine image is already the small one; its exact tag (`-alpine3.14`) keeps the
        // musl and libstdc++ that native modules were built against.
        return f.image.as_ref().map(crate::image::display).or_else(|| slim_image(f, None));
    }
    let release = split.pin_debian_release();
    let codename = match &f.distro {
        Distro::Debian { codename: Some(c) } => Some(c.clone()),
        _ => release.and_then(runtimes::codename).map(str::to_owned),
    };
    if f.version.is_none() {
        // `node:lts`, `node:current`: the same tag's slim variant.
        let tag = f.image.as_ref()?.tag.clone().unwrap_or_else(|| "latest".to_owned());
        return Some(if tag == "latest" { "node:slim".to_owned() } else if tag.ends_with("slim") { format!("node:{tag}") } else { format!("node:{tag}-slim") });
    }
    slim_image(f, codename.as_deref())
}

/// The dev dependencies leave node_modules at the end of the builder: pruned where the install ran, from
/// what was installed, never fetched again (`--offline`: a prune that would need the registry fails
/// instead). node_modules moved out of the app folder after the install (`mv /app/node_modules
/// /node_modules`, against a bind mount over /app) is pruned where the install made it and put back, and
/// the runtime stage gets it where the original had it.
fn prune_dev_dependencies(ctx: &Ctx, split: &mut Split, keep_dev: bool) {
    let f = ctx.target();
    let install = f.steps.iter().rev().find(|s| {
        matches!((s.tool, s.cmd.arg(1)), ("npm", "ci" | "install" | "i") | ("yarn", "install" | "") | ("pnpm", "install" | "i"))
    });
    let Some(step) = install else { return };
    // Where the install ran: its WORKDIR, unless a `cd` in its RUN went elsewhere.
    let cd_first = ctx.analysis.commands(step.inst).iter().take_while(|c| c.program() != step.cmd.program()).any(|c| c.program() == "cd");
    let dir = step.workdir.clone();
    let moved = if cd_first { None } else { moved_node_modules(ctx, step.inst, &dir) };
    if let Some(to) = &moved {
        split.copy(to.clone(), to.clone());
        split.changes.push(ctx.change(
            "carry-node-modules",
            format!("node_modules was moved out of the app folder to {to} after the install (Node.js finds it there by walking up from {dir}): the runtime stage copies it to the same place."),
            Some(step.inst),
        ));
    }
    let already = step.cmd.argv.iter().any(|a| {
        matches!(a.as_str(), "--omit=dev" | "--production" | "--only=production" | "--only=prod" | "--prod")
    }) || step.var("NODE_ENV") == Some("production");
    if already || keep_dev {
        return;
    }
    if cd_first {
        split.changes.push(ctx.change(
            "keep-dev-dependencies",
            "The dev dependencies stay in node_modules: the install runs after a `cd` to a folder the Dockerfile does not show, so slimfile cannot tell where to prune.",
            Some(step.inst),
        ));
        return;
    }
    let yarn_cache_cleaned = ctx.model.target().is_some_and(|t| {
        t.body.clone().flat_map(|i| ctx.analysis.commands(i)).any(|c| c.program() == "yarn" && c.argv.get(1).is_some_and(|a| a == "cache") && c.argv.get(2).is_some_and(|a| a == "clean"))
    });
    if step.tool == "yarn" && yarn_cache_cleaned {
        split.changes.push(ctx.change(
            "keep-dev-dependencies",
            "The dev dependencies stay in node_modules: yarn 1 prunes by installing again, and the build cleans yarn's cache (`yarn cache clean`), so it would download them from the registry.",
            Some(step.inst),
        ));
        return;
    }
    let here = dir == f.workdir;
    let prune = match step.tool {
        "yarn" => format!("yarn install{} --production --frozen-lockfile --ignore-scripts --offline", if here { String::new() } else { format!(" --cwd {dir}") }),
        "pnpm" => format!("npm_config_offline=true pnpm prune{} --prod", if here { String::new() } else { format!(" --dir {dir}") }),
        _ => {
            // npm 7 (Node.js 15) named it --omit=dev; npm 6 knows --production.
            let old = f.version.as_deref().and_then(|v| v.split('.').next()?.parse::<u32>().ok()).is_some_and(|m| m < 15);
            format!("npm prune {} --offline{}", if old { "--production" } else { "--omit=dev" }, if here { String::new() } else { format!(" --prefix {dir}") })
        }
    };
    let inside = format!("{}/node_modules", dir.trim_end_matches('/'));
    let line = match &moved {
        // A node_modules the build context brought would take its place: then it stays as it is.
        Some(to) => format!("RUN [ -e {inside} ] || {{ mv {to} {inside} && {prune} && mv {inside} {to}; }}"),
        None => format!("RUN {prune}"),
    };
    split.changes.push(ctx.change(
        "prune-dev-dependencies",
        format!(
            "`{line}` at the end of the builder removes the dev dependencies (test tools, compilers, bundlers) from node_modules before it is copied, in {dir}, where the install ran; offline, from what was installed: a prune that needed the registry stops the build instead of downloading packages again."
        ),
        Some(step.inst),
    ));
    split.append.push(line);
}

/// Where a RUN at or after `from` moves `<dir>/node_modules` (`mv /app/node_modules /node_modules`).
fn moved_node_modules(ctx: &Ctx, from: usize, dir: &str) -> Option<String> {
    let target = ctx.model.target()?;
    let inside = format!("{}/node_modules", dir.trim_end_matches('/'));
    for i in target.body.clone().filter(|&i| i >= from) {
        for c in ctx.analysis.commands(i).iter().filter(|c| c.program() == "mv") {
            let args: Vec<&str> = c.positional(0).collect();
            let Some((dest, sources)) = args.split_last() else { continue };
            if dest.contains(['$', '*']) || !sources.iter().any(|s| crate::analyze::join_path(dir, s) == inside) {
                continue;
            }
            let to = crate::analyze::join_path(dir, dest);
            // `mv node_modules ../`: into the folder.
            return Some(if dest.ends_with('/') || to == "/" { crate::analyze::join_path(&to, "node_modules") } else { to });
        }
    }
    None
}

/// A single-page app: the build output is static files; nginx serves them.
fn spa(ctx: &Ctx, argv: &[String], value_opts: &[&str]) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Static);
    if let Some(t) = ctx.options.target {
        if t != RuntimeFamily::Nginx {
            return refused(eco, [format!("a static site is served by nginx; {} cannot serve files", t.as_str())]);
        }
    }
    let mut split = Split::new(ctx);
    let mut dir: Option<String> = None;
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        if value_opts.contains(&a.as_str()) {
            it.next();
            continue;
        }
        if !a.starts_with('-') {
            dir = Some(a.clone());
            break;
        }
    }
    let built = f.steps.iter().any(|s| s.cmd.argv.iter().any(|a| a == "build"));
    if !built {
        return refused(eco, ["the final command serves static files, but no `npm run build` (or similar) produces them in this Dockerfile".to_owned()]);
    }
    let wd = f.workdir.clone();
    let site = match dir {
        Some(d) => crate::analyze::join_path(&wd, &d),
        None => {
            // `serve` with no folder serves the working directory: ask.
            split.findings.push(ctx.ask("SF307", "The static server's folder is not named in the command; slimfile copied the whole working directory. Name the build output folder (build/ or dist/).", f.cmd.or(f.entrypoint)));
            wd.clone()
        }
    };
    let nginx = &images_roles::NGINX;
    let nonroot = ctx.options.non_root && ctx.analysis.needs.root.is_empty();
    let (image, default_port) = if nonroot { (nginx.nonroot, nginx.nonroot_port) } else { (nginx.root, nginx.root_port) };
    // Keep the port the app exposed (`-p 3000:3000` keeps working); a port below 1024 needs root, so a
    // non-root nginx takes its own default then.
    let kept = f.expose.first().and_then(|(p, _)| p.split('/').next()?.parse::<u16>().ok()).filter(|p| !nonroot || *p >= 1024);
    let port_string = kept.map(|p| p.to_string());
    let port = port_string.as_deref().unwrap_or(default_port);
    split.copy(site.clone(), nginx.html);
    split.workdir = Some("/".to_owned());
    split.command = Some((None, None));
    split.skip = vec![Kind::Expose, Kind::Healthcheck, Kind::Env];
    // nginx's site configuration: written in the builder (it has a shell) and copied, rather than a COPY
    // heredoc, which BuildKit reads but podman's and buildah's builders do not.
    let conf = [
        "server {".to_owned(),
        format!("    listen {port};"),
        format!("    root {};", nginx.html),
        "    location / {".to_owned(),
        "        try_files $uri $uri/ /index.html;".to_owned(),
        "    }".to_owned(),
        "}".to_owned(),
    ];
    let quoted: Vec<String> = conf.iter().map(|l| format!("'{l}'")).collect();
    split.append.push(format!("RUN printf '%s\\n' {} > /tmp/slimfile-nginx.conf", quoted.join(" ")));
    split.copy("/tmp/slimfile-nginx.conf", "/etc/nginx/conf.d/default.conf");
    split.extra.push(format!("EXPOSE {port}"));
    let old_ports: Vec<String> = f.expose.iter().map(|(p, _)| p.clone()).collect();
    split.changes.push(ctx.change(
        "static-server",
        format!(
            "`{}` served the build output with node; nginx serves the same files from {} without node or node_modules. \
             The site is configured to fall back to index.html (client-side routing), and listens on {port}{}.",
            argv.join(" "),
            nginx.html,
            if old_ports.is_empty() || old_ports.iter().any(|p| p == port) { String::new() } else { format!(" instead of {}: publish that port", old_ports.join(", ")) }
        ),
        f.cmd.or(f.entrypoint),
    ));
    if f.healthcheck.is_some() {
        split.changes.push(ctx.change("drop-healthcheck", "The HEALTHCHECK probed the node server; nginx's port changed, so it was left out: add one for port ".to_owned() + port, f.healthcheck));
    }
    let why = if nonroot {
        format!("nginx-unprivileged serves static files as a non-root user on port {port}.")
    } else {
        format!("nginx serves static files on port {port}.")
    };
    split.into_outcome(Runtime::new(RuntimeFamily::Nginx, image, why), "spa", eco)
}
