//! Node.js: servers keep their app folder with production dependencies only, on distroless/nodejs of the
//! same major version and Debian release (a slim node image when the entry file is hidden behind
//! `npm start`, or on Alpine, whose native modules link musl). Single-page apps built with
//! `npm run build` are served by nginx (see `spa`).

use super::shared::{add_cache_mounts, lacks, missing_packages, slim_image};
use super::images;
use super::split::{AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, under_init, Distro, Eco, StageFacts};
use crate::context::package_json::{script_of, Start};
use crate::knowledge::project_packages::{self as known, Kind as Known};
use crate::knowledge::{images_roles, runtimes};
use crate::report::{Change, RuntimeFamily};
use crate::syntax::Kind;

/// Programs that serve a folder of static files: (program, options that take a value).
const STATIC_SERVERS: &[(&str, &[&str])] = &[
    ("serve", &["-l", "--listen", "-p", "--port", "-c", "--config"]),
    ("http-server", &["-p", "--port", "-a", "-c", "-e", "--ext"]),
    ("live-server", &["--port", "--host"]),
    ("static-server", &["-p", "--port"]),
];

/// The development server a command runs (`vite`, `ng serve`, `webpack serve`), from the data.
fn dev_server(argv: &[String]) -> Option<String> {
    let prog = argv.first()?.rsplit('/').next()?;
    let sub = argv.get(1).map_or("", String::as_str);
    let k = known::find_kind("npm", prog, Known::DevServer)?;
    known::runs(k, if sub.starts_with('-') { "" } else { sub }).then(|| argv.iter().take(if k.commands.contains(&"") { 1 } else { 2 }).cloned().collect::<Vec<_>>().join(" "))
}

fn dev_server_refusal(what: &str) -> Vec<String> {
    vec![format!(
        "{what}, which rebuilds on change and needs the whole toolchain; build the app (`npm run build`) and serve the \
         output folder with a static server, then convert again"
    )]
}

/// The command after package.json: the script a package manager runs, resolved to what it runs.
struct Script {
    /// What the final image runs instead (`node server.js`), when the script is plain node.
    argv: Option<Vec<String>>,
    /// Assignments of the script (`NODE_ENV=production node …`), for the runtime stage's ENV.
    env: Vec<(String, String)>,
    /// The change note that says what package.json answered.
    note: Option<Change>,
    /// The question stays: package.json is not in the context, or does not have the script.
    ask: bool,
}

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Node);
    let mut argv = final_argv(ctx.doc, f).unwrap_or_default();
    // Under an init process (`tini -- node server.js`) the app is the command it starts; the command is
    // then kept as written, on a slim node image (see `server`).
    let init = under_init(&argv).map(|(name, rest)| (name.to_owned(), argv[..argv.len() - rest.len()].to_vec()));
    if let Some((_, before)) = &init {
        argv = argv[before.len()..].to_vec();
    }
    if argv.first().is_some_and(|p| p == "npx") {
        argv.remove(0);
    }
    if let Some(what) = dev_server(&argv) {
        return refused(eco, dev_server_refusal(&format!("the final command runs a development server (`{what}`)")));
    }
    let script = match resolve_script(ctx, &argv) {
        Ok(s) => s,
        Err(reasons) => return refused(eco, reasons),
    };
    if let Some(a) = &script.argv {
        argv = a.clone();
    }
    let prog = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_owned()).unwrap_or_default();
    if let Some((_, value_opts)) = STATIC_SERVERS.iter().find(|(p, _)| *p == prog) {
        return spa(ctx, &argv, value_opts);
    }
    server(ctx, &argv, &prog, script, init)
}

/// Reads the script `npm start` (`yarn NAME`, `pnpm run NAME`) runs from package.json. Err: the script
/// runs a development server.
fn resolve_script(ctx: &Ctx, argv: &[String]) -> Result<Script, Vec<String>> {
    let f = ctx.target();
    let mut script = Script { argv: None, env: vec![], note: None, ask: true };
    let Some((tool, name, extra)) = script_of(argv) else { return Ok(script) };
    let Some((project, pj)) = ctx.project.and_then(|p| p.package_json.as_ref().map(|pj| (p, pj))) else { return Ok(script) };
    let at = f.cmd.or(f.entrypoint);
    let text = pj.script(&name).unwrap_or_default();
    let which = if pj.scripts.contains_key(&name) { format!("{}'s {name} script", pj.path) } else { format!("{} has no {name} script, so npm's default", pj.path) };
    match pj.resolve(&tool, &name, &extra) {
        Start::Node { argv: a, env } => {
            project.cite(&pj.path);
            script.note = Some(ctx.change(
                "start-script",
                format!(
                    "{which} runs `{text}`: the final image runs `{}` itself, without npm in between, so signals \
                     reach node.",
                    a.join(" ")
                ),
                at,
            ));
            script.argv = Some(a);
            script.env = env;
            script.ask = false;
        }
        Start::Watcher { tool: w, argv: a, env } => {
            project.cite(&pj.path);
            script.note = Some(ctx.change(
                "start-script",
                format!(
                    "{which} runs `{text}`: {w} restarts node when files change, which is for development; the final image \
                     runs `{}`.",
                    a.join(" ")
                ),
                at,
            ));
            script.argv = Some(a);
            script.env = env;
            script.ask = false;
        }
        Start::DevServer { tool: d } => {
            project.cite(&pj.path);
            let named = if d == text { String::new() } else { format!(" (`{d}`)") };
            return Err(dev_server_refusal(&format!("{which} runs `{text}`, a development server{named}")));
        }
        Start::Other | Start::Hooks(_) => {
            project.cite(&pj.path);
            let why = match pj.resolve(&tool, &name, &extra) {
                Start::Hooks(h) => format!("{} also has a {h} script, which npm runs around it", pj.path),
                _ => format!("{which} runs `{text}`, not node alone"),
            };
            script.note = Some(ctx.change(
                "start-script",
                format!("{why}: the final image keeps `{}` and a slim node image with npm to run it.", argv.join(" ")),
                at,
            ));
            script.ask = false;
        }
        Start::Missing => {}
    }
    Ok(script)
}

/// The node major version of a builder whose tag names none (`node:lts`, `node:current`, `node:iron`):
/// package.json's `engines.node` when it allows exactly one major, else what the alias stands for today in
/// slimfile's image knowledge. (major, why the builder is pinned to it.)
fn unversioned_major(ctx: &Ctx) -> Option<(String, String)> {
    let f = ctx.target();
    let img = f.image.as_ref()?;
    if f.version.is_some() || img.repository != "library/node" || img.raw.contains('$') || img.digest.is_some() {
        return None;
    }
    let tag = img.tag.clone().unwrap_or_else(|| "latest".to_owned());
    if let Some((p, pj)) = ctx.project.and_then(|p| p.package_json.as_ref().map(|pj| (p, pj))) {
        if let Some(m) = pj.engines_major() {
            let why = format!(
                "{}'s engines field asks for node {m} (`{}`) and `node:{tag}` names no version, so the builder is pinned \
                 to it and the runtime runs the same node.",
                p.cite(&pj.path),
                pj.engines_node.as_deref().unwrap_or_default()
            );
            return Some((m.to_string(), why));
        }
    }
    let word = tag.split('-').next().unwrap_or(&tag);
    let (line, version) = crate::knowledge::tags::alias("node", word)?;
    let why = format!(
        "`node:{tag}` stands for node {line} today ({version}, slimfile's image knowledge as of {}), and the tag moves \
         to the next line without notice, so the builder is pinned to it and the runtime runs the same node.",
        crate::knowledge::releases::as_of()
    );
    Some((line.to_owned(), why))
}

/// `node:lts` → `node:20-bookworm` (and `lts-slim` → `20-bookworm-slim`): the builder pinned to the major
/// package.json asks for, on the runtime's Debian release.
fn pin_node_major(split: &mut Split, f: &StageFacts, major: &str, codename: &str, why: String) {
    let tag = f.image.as_ref().and_then(|i| i.tag.clone()).unwrap_or_default();
    let rest = tag.split_once('-').map_or("", |(_, r)| r);
    let new_tag = if rest.contains(codename) {
        format!("{major}-{rest}")
    } else if rest == "slim" {
        format!("{major}-{codename}-slim")
    } else {
        format!("{major}-{codename}")
    };
    split.builder_image = Some((format!("node:{new_tag}"), why));
}

fn node_major(f: &StageFacts) -> Option<String> {
    f.version.as_ref().map(|v| v.split('.').next().unwrap_or(v).to_owned())
}

/// `init`: the init process the command starts under (its name, and its words before the app's).
fn server(ctx: &Ctx, argv: &[String], prog: &str, script: Script, init: Option<(String, Vec<String>)>) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Node);
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
            return refused(eco, [outside_app_folder(f, &argv[0])]);
        }
    }
    // Production dependencies only.
    prune_dev_dependencies(ctx, &mut split, runs_script, argv);

    let extra = lacks(ctx, RuntimeFamily::DistrolessNodejs);
    let alpine = matches!(f.distro, Distro::Alpine { .. });
    let unversioned = unversioned_major(ctx);
    let major = node_major(f).or_else(|| unversioned.as_ref().map(|(m, _)| m.clone()));
    let target = ctx.options.target;
    if let Some(t) = target {
        if !matches!(t, RuntimeFamily::DistrolessNodejs | RuntimeFamily::Slim) {
            return refused(eco, [format!("a Node.js server does not run on {}: it needs node (distroless/nodejs or slim)", t.as_str())]);
        }
    }
    let shell = &ctx.analysis.needs.shell;
    let want_distroless = target != Some(RuntimeFamily::Slim) && runs_node && !alpine && extra.is_empty() && init.is_none() && shell.is_empty();
    // Why distroless/nodejs cannot run it, when the reason is the image (no maintained one of this node).
    let mut no_image = None;
    let mut distroless = None;
    if want_distroless {
        let base = split.builder_release();
        let shown = f.image.as_ref().map(crate::image::display).unwrap_or_default();
        match (major.as_deref(), base) {
            (None, _) => no_image = Some(format!("the node version is not in the tag `{shown}`, so no distroless/nodejs image of the same version can be chosen")),
            (_, None) => no_image = Some(format!("the image knowledge does not say which Debian release `{shown}` is built on, so no distroless/nodejs image can be matched to the glibc its native modules link")),
            (Some(major), Some(base)) => match images::distroless(ctx, "distroless/nodejs", Some(major), Some(&base)) {
                Ok(img) => {
                    if let Some((m, why)) = &unversioned {
                        pin_node_major(&mut split, f, m, base.release.name, why.clone());
                    }
                    distroless = Some((img, images::release_words(Some(&base), &shown, img)));
                }
                Err(why) => no_image = Some(why),
            },
        }
    }
    if let Some(note) = script.note {
        split.changes.push(note);
    }
    // npm runs a script in the folder of the nearest package.json up from its working directory: where the
    // install ran (`COPY . .` then `npm install` in /, and only then `WORKDIR /app`). node, run directly,
    // must start there too, or its relative paths (`server.js`, `public/`) point into the empty WORKDIR.
    if script.argv.is_some() {
        let installed_in = install_step(f).map(|s| s.workdir.clone());
        if let Some(dir) = installed_in.filter(|d| *d != f.workdir && crate::analyze::under(&f.workdir, d)) {
            split.changes.push(ctx.change(
                "package-folder-workdir",
                format!(
                    "The runtime's WORKDIR is {dir}, where package.json is: the package manager found it there by walking up from {}, and ran the script in that folder; `{}`, run directly, starts there too.",
                    f.workdir,
                    argv.join(" ")
                ),
                f.cmd.or(f.entrypoint),
            ));
            split.workdir = Some(dir);
        }
    }
    for (k, v) in &script.env {
        split.runtime_env.push(format!("ENV {k}={v}"));
    }
    let runtime = match distroless {
        Some((img, release)) => distroless_node(ctx, &mut split, argv, img, &release),
        None => {
            let why = match &init {
                _ if runs_node && !alpine && extra.is_empty() && !shell.is_empty() => {
                    format!("{}; a slim node image of the same version keeps the shell.", shell.join("; "))
                }
                Some(_) if alpine || !extra.is_empty() => why_not_distroless(runs_node, alpine, &extra, no_image.as_deref()),
                Some((name, _)) => format!("the command starts under `{name}`, an init process distroless/nodejs does not have; a slim node image of the same version keeps the command as written."),
                None => why_not_distroless(runs_node, alpine, &extra, no_image.as_deref()),
            };
            if target == Some(RuntimeFamily::DistrolessNodejs) {
                return refused(eco, [why]);
            }
            // An unversioned tag whose major is known: builder and runtime pinned to it and to one release.
            let codename = if alpine { None } else { super::shared::builder_codename(&mut split) };
            let pinned = match (&unversioned, codename) {
                (Some((m, why)), Some(codename)) => {
                    pin_node_major(&mut split, f, m, &codename, why.clone());
                    Some(format!("node:{m}-{codename}-slim"))
                }
                _ => None,
            };
            let Some(img) = pinned.or_else(|| node_slim(ctx, &mut split)) else {
                return refused(eco, ["the node version or release of the builder is unknown, so no slim node image can be matched to it".to_owned()]);
            };
            let mut r = Runtime::new(RuntimeFamily::Slim, img, why);
            r.packages = missing_packages(ctx, RuntimeFamily::Slim);
            if script.argv.is_some() {
                // The script's command, under the init process it started under.
                let before = init.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
                split.command = Some((None, Some([before, argv].concat())));
            }
            if runs_script && script.ask {
                split.findings.push(ctx.ask(
                    "SF306",
                    format!(
                        "`{}` hides the entry file in package.json. Run it directly (`CMD [\"node\", \"server.js\"]`) and slimfile \
                         can use distroless/nodejs.",
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

/// Why a command that runs a program outside the app folder is refused, naming where the program comes
/// from: a global package install (`npm install -g`, `yarn global add`), the system's package manager,
/// or nothing the Dockerfile shows.
fn outside_app_folder(f: &StageFacts, program: &str) -> String {
    let name = program.rsplit('/').next().unwrap_or(program);
    let global = f.steps.iter().find(|s| {
        let a = &s.cmd.argv;
        match s.tool {
            "npm" => matches!(s.cmd.arg(1), "install" | "i" | "add") && a.iter().any(|w| w == "-g" || w == "--global"),
            "yarn" => s.cmd.arg(1) == "global",
            "pnpm" => a.iter().any(|w| w == "-g" || w == "--global"),
            _ => false,
        }
    });
    if let Some(p) = f.packages.iter().find(|p| p.name == name) {
        return format!(
            "the final command runs `{program}`, which the {} package `{}` installs outside the app folder; slimfile does not know which files of it the app needs beside node",
            p.manager, p.name
        );
    }
    match global {
        Some(s) => format!(
            "the final command runs `{program}`, installed outside the app folder by `{}`; slimfile cannot tell which files of the global node_modules it needs at run time",
            s.cmd.argv.join(" ")
        ),
        None => format!(
            "the final command runs `{program}`, which nothing in this Dockerfile installs into the app folder; slimfile cannot tell where it comes from or which files it needs at run time"
        ),
    }
}

/// distroless/nodejs: its ENTRYPOINT is node, so the command keeps only node's arguments.
fn distroless_node(ctx: &Ctx, split: &mut Split, argv: &[String], img: &runtimes::RuntimeImage, release: &str) -> Runtime {
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
        format!(
            "the app runs with node {}, and distroless/nodejs has that node, maintained, with a glibc that runs the native modules built in the builder.{release}",
            img.version.unwrap_or("")
        ),
    )
}

fn why_not_distroless(runs_node: bool, alpine: bool, extra: &[String], no_image: Option<&str>) -> String {
    if alpine {
        "the app was installed on Alpine: native modules and prebuilt binaries in node_modules link musl, so it keeps an Alpine node image, without the build tools.".to_owned()
    } else if !extra.is_empty() {
        format!("the app needs {} at run time, which distroless cannot install.", extra.join(", "))
    } else if !runs_node {
        "the command runs a package script, not node directly, so it needs npm and a shell: a slim node image of the same version.".to_owned()
    } else {
        format!("{}, so a slim node image of the same version and release runs it.", no_image.unwrap_or("no distroless/nodejs image can run it"))
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
    let codename = super::shared::builder_codename(split);
    if f.version.is_none() {
        // `node:lts`, `node:current`: the same tag's slim variant, of the release the builder is pinned to
        // (`node:lts-bookworm-slim` beside `node:lts-bookworm`), so builder and runtime share one.
        let tag = f.image.as_ref()?.tag.clone().unwrap_or_else(|| "latest".to_owned());
        let slim = if tag == "latest" { "slim".to_owned() } else if tag.ends_with("slim") { tag } else { format!("{tag}-slim") };
        // On the builder's release, as the builder is pinned (`lts-bookworm-slim`).
        let slim = codename.and_then(|c| images::pinned_tag("node", &slim, &c)).unwrap_or(slim);
        return Some(format!("node:{slim}"));
    }
    slim_image(f, codename.as_deref())
}

/// The dev dependencies leave node_modules at the end of the builder, when package.json proves that each
/// is a test, lint or build tool (`dev-tool` in data/project-packages.json): pruned where the install ran, from
/// what was installed, never fetched again (`--offline`: a prune that would need the registry fails
/// instead). node_modules moved out of the app folder after the install (`mv /app/node_modules
/// /node_modules`, against a bind mount over /app) is pruned where the install made it and put back, and
/// the runtime stage gets it where the original had it.
fn prune_dev_dependencies(ctx: &Ctx, split: &mut Split, keep_dev: bool, argv: &[String]) {
    let f = ctx.target();
    let Some(step) = install_step(f) else { return };
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
    let already = step.omits_dev_dependencies();
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
    // Only a prune that cannot remove what the app loads: every dev dependency package.json lists is a
    // test, lint or build tool, and the command does not name one (`node -r ts-node/register`).
    let Some((project, pj)) = ctx.project.and_then(|p| p.package_json.as_ref().map(|pj| (p, pj))) else {
        split.changes.push(ctx.change(
            "keep-dev-dependencies",
            "The dev dependencies stay in node_modules: without package.json (give the build context) slimfile cannot tell whether the app requires one of them at run time, and a prune that removes one makes the app fail at start (`Cannot find module`). Where none is needed at run time, `npm prune --omit=dev` at the end of the builder drops them.",
            Some(step.inst),
        ));
        return;
    };
    if pj.dev_dependencies.is_empty() {
        return;
    }
    let named = |d: &str| argv.iter().any(|a| a == d || a.starts_with(&format!("{d}/")));
    let unknown: Vec<&str> = pj.dev_dependencies.iter().map(String::as_str).filter(|d| !known::build_only_npm(d) || named(d)).collect();
    if !unknown.is_empty() {
        split.changes.push(ctx.change(
            "keep-dev-dependencies",
            format!(
                "The dev dependencies stay in node_modules: {} lists {} under devDependencies, which slimfile does not know as test, lint or build tools, so the app may require them at run time (a prune that removes one makes it fail at start with `Cannot find module`). Where none is needed at run time, `npm prune --omit=dev` at the end of the builder drops them.",
                project.cite(&pj.path),
                super::shared::and_list(&unknown.iter().take(6).map(|d| format!("`{d}`")).collect::<Vec<_>>(), unknown.len())
            ),
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
            "`{line}` at the end of the builder removes the dev dependencies from node_modules before it is copied, in {dir}, where the install ran: every one {} lists ({}) is a test, lint or build tool the app does not load. Offline, from what was installed: a prune that needed the registry stops the build instead of downloading packages again.",
            project.cite(&pj.path),
            super::shared::and_list(&pj.dev_dependencies.iter().take(6).map(|d| format!("`{d}`")).collect::<Vec<_>>(), pj.dev_dependencies.len())
        ),
        Some(step.inst),
    ));
    split.append.push(line);
}

/// The last package install of the stage (`npm ci`, `yarn install`, `pnpm i`): where node_modules was made.
fn install_step(f: &StageFacts) -> Option<&crate::analyze::Step> {
    f.steps.iter().rev().find(|s| matches!((s.tool, s.cmd.arg(1)), ("npm", "ci" | "install" | "i") | ("yarn", "install" | "") | ("pnpm", "install" | "i")))
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
    // `serve -s` names no folder: package.json's build script says which one its tool writes.
    if dir.is_none() {
        if let Some((pj, (out, cmd))) = ctx.project.and_then(|p| p.package_json.as_ref()).and_then(|pj| pj.build_output().map(|b| (pj, b))) {
            let file = ctx.project.map(|p| p.cite(&pj.path)).unwrap_or_default();
            split.changes.push(ctx.change(
                "static-folder",
                format!("{file}'s build script runs `{cmd}`, which writes {out}/: nginx serves that folder."),
                f.cmd.or(f.entrypoint),
            ));
            dir = Some(out.to_owned());
        }
    }
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
    let (template, default_port) = if nonroot { (nginx.nonroot, nginx.nonroot_port) } else { (nginx.root, nginx.root_port) };
    let Some(line) = images::nginx_line(ctx) else {
        return refused(eco, [format!("the image knowledge has no maintained stable nginx line on {}, so no nginx image can serve the site", ctx.on)]);
    };
    let image = template.replace("{version}", line);
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
    let stable = format!("nginx {line} is the newest maintained stable line");
    let why = if nonroot {
        format!("nginx-unprivileged serves static files as a non-root user on port {port}; {stable}.")
    } else {
        format!("nginx serves static files on port {port}; {stable}.")
    };
    split.into_outcome(Runtime::new(RuntimeFamily::Nginx, image, why), "spa", eco)
}
