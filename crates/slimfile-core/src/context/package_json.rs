//! `package.json` and the npm, yarn and pnpm lockfiles beside it.
//!
//! The facts it relies on (npm's documentation, <https://docs.npmjs.com/cli/v10/>):
//! - `npm start` runs `scripts.start`; without one it runs `node server.js` when the package has a
//!   server.js (<https://docs.npmjs.com/cli/v10/commands/npm-start>, "If there is no start property …").
//! - `npm run NAME` (and `npm start`, `npm stop`, `npm test`, `npm restart`) runs `preNAME` before and
//!   `postNAME` after the script (<https://docs.npmjs.com/cli/v10/using-npm/scripts#pre--post-scripts>);
//!   arguments after `--` are appended to the script.
//! - Scripts run with `sh -c` in the package's folder, with `node_modules/.bin` on PATH
//!   (<https://docs.npmjs.com/cli/v10/commands/npm-run-script>).
//! - `engines.node` is the range of node versions the package works on
//!   (<https://docs.npmjs.com/cli/v10/configuring-npm/package-json#engines>).
//! - `yarn start` / `yarn run NAME` and `pnpm start` / `pnpm run NAME` run the same scripts
//!   (<https://classic.yarnpkg.com/en/docs/cli/run>, <https://pnpm.io/cli/run>).
//! - Lockfiles list every installed package, dependencies of dependencies included: package-lock.json
//!   and npm-shrinkwrap.json under `"node_modules/NAME"` keys (lockfileVersion 2 and 3), yarn.lock as
//!   `NAME@range` entries, pnpm-lock.yaml as `/NAME@version` (v5, v6) or `NAME@version` (v9) keys.
//!
//! What it reads: scripts, main, engines.node, the names of dependencies and devDependencies, and which
//! packages of `data/project-packages.json` the lockfile installs.

use std::collections::BTreeMap;

use super::BuildContext;
use crate::knowledge::project_packages::{self as known, Kind};
use crate::shell::commands;

#[derive(Clone, Debug, Default)]
pub struct PackageJson {
    /// Its path in the context.
    pub path: String,
    pub scripts: BTreeMap<String, String>,
    pub main: Option<String>,
    pub engines_node: Option<String>,
    pub dependencies: Vec<String>,
    pub dev_dependencies: Vec<String>,
    /// The lockfile beside it, if any.
    pub lockfile: Option<String>,
    /// Packages of the data that the lockfile installs (dependencies of dependencies included).
    pub locked: Vec<String>,
    /// Whether `server.js` exists beside it (None: the listing cannot tell).
    pub server_js: Option<bool>,
}

const LOCKFILES: &[&str] = &["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"];

pub fn read(ctx: &BuildContext, root: &str, bad: &mut dyn FnMut(&str, u32, u32, &str)) -> Option<PackageJson> {
    let path = format!("{root}package.json");
    let text = ctx.files.get(&path)?;
    let v: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let m = e.to_string();
            let m = m.split(" at line ").next().unwrap_or(&m).to_owned();
            bad(&path, e.line() as u32, e.column() as u32, &m);
            return None;
        }
    };
    let strings = |key: &str| -> BTreeMap<String, String> {
        v.get(key)
            .and_then(|o| o.as_object())
            .map(|o| o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned()))).collect())
            .unwrap_or_default()
    };
    let names = |key: &str| -> Vec<String> { v.get(key).and_then(|o| o.as_object()).map(|o| o.keys().cloned().collect()).unwrap_or_default() };
    let mut p = PackageJson {
        scripts: strings("scripts"),
        main: v.get("main").and_then(|m| m.as_str()).map(str::to_owned),
        engines_node: strings("engines").remove("node"),
        dependencies: [names("dependencies"), names("optionalDependencies")].concat(),
        dev_dependencies: names("devDependencies"),
        server_js: if ctx.exists(&format!("{root}server.js")) {
            Some(true)
        } else if ctx.complete {
            Some(false)
        } else {
            None
        },
        path,
        ..PackageJson::default()
    };
    if let Some(lock) = LOCKFILES.iter().map(|l| format!("{root}{l}")).find(|l| ctx.exists(l)) {
        if let Some(text) = ctx.files.get(&lock) {
            p.locked = known::all()
                .iter()
                .filter(|k| k.ecosystem == "npm" && matches!(k.kind, Kind::Links | Kind::Bundled) && lock_installs(&lock, text, k.name))
                .map(|k| k.name.to_owned())
                .collect();
        }
        p.lockfile = Some(lock);
    }
    Some(p)
}

/// Whether a lockfile's text installs the package `name` (without parsing the whole file).
fn lock_installs(path: &str, text: &str, name: &str) -> bool {
    if path.ends_with(".json") {
        text.contains(&format!("\"node_modules/{name}\"")) || text.contains(&format!("/node_modules/{name}\""))
    } else if path.ends_with("yarn.lock") {
        text.lines().any(|l| {
            let l = l.trim_start_matches('"');
            l.starts_with(&format!("{name}@")) || l.contains(&format!(", \"{name}@")) || l.contains(&format!(", {name}@"))
        })
    } else {
        text.lines().any(|l| {
            let l = l.trim().trim_start_matches(['\'', '/']);
            l.starts_with(&format!("{name}@")) || l.starts_with(&format!("{name}/"))
        })
    }
}

/// The package script a command runs: `npm start`, `npm run NAME`, `yarn NAME`, `pnpm run NAME` →
/// (tool, script name, arguments appended after `--`).
pub fn script_of(argv: &[String]) -> Option<(String, String, Vec<String>)> {
    let tool = argv.first()?.rsplit('/').next()?.to_owned();
    if !matches!(tool.as_str(), "npm" | "yarn" | "pnpm") {
        return None;
    }
    let words: Vec<&String> = argv[1..].iter().filter(|a| !matches!(a.as_str(), "--silent" | "-s" | "--if-present")).collect();
    let (name, rest) = match words.first().map(|w| w.as_str()) {
        Some("start" | "stop" | "test" | "restart") => (words[0].clone(), &words[1..]),
        Some("run" | "run-script") => (words.get(1)?.to_string(), words.get(2..).unwrap_or(&[])),
        // yarn and pnpm run a script named as the command when it is not one of theirs.
        Some(w) if tool != "npm" && !w.starts_with('-') && !matches!(w, "install" | "add" | "remove" | "exec" | "dlx" | "node") => {
            (words[0].clone(), &words[1..])
        }
        _ => return None,
    };
    let extra: Vec<String> = rest.iter().skip_while(|a| a.as_str() == "--").map(|a| a.to_string()).collect();
    Some((tool, name, extra))
}

/// What a package script runs, as far as the final image is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// `node [options] FILE [args]`: `argv` starts with `node`; `env` are the script's own assignments.
    Node { argv: Vec<String>, env: Vec<(String, String)> },
    /// A watcher that restarts `node FILE` on change (nodemon): production runs `argv` (`node FILE …`).
    Watcher { tool: String, argv: Vec<String>, env: Vec<(String, String)> },
    /// A development server (vite, webpack-dev-server, next dev).
    DevServer { tool: String },
    /// Something else (ts-node, several commands, shell syntax): npm stays.
    Other,
    /// npm runs `pre`/`post` scripts around it: npm stays.
    Hooks(String),
    /// No such script (and no server.js for `start`).
    Missing,
}

impl PackageJson {
    /// The script `name`'s text, or npm's default for `start` (`node server.js`).
    pub fn script(&self, name: &str) -> Option<String> {
        self.scripts.get(name).cloned().or_else(|| (name == "start" && self.server_js == Some(true)).then(|| "node server.js".to_owned()))
    }

    /// What script `name` (with `extra` arguments) runs.
    pub fn resolve(&self, tool: &str, name: &str, extra: &[String]) -> Start {
        let Some(script) = self.script(name) else { return Start::Missing };
        if tool == "npm" || tool == "pnpm" {
            for hook in [format!("pre{name}"), format!("post{name}")] {
                if self.scripts.contains_key(&hook) {
                    return Start::Hooks(hook);
                }
            }
        }
        // Only one plain command: no expansion, chaining, redirection or globs for a shell to do.
        if script.contains(['$', '&', '|', ';', '<', '>', '`', '(', ')', '*', '?', '\n']) {
            return Start::Other;
        }
        let cmds = commands(&script, '\\');
        let [cmd] = cmds.as_slice() else { return Start::Other };
        let mut env = cmd.env.clone();
        let mut argv = cmd.argv.clone();
        if argv.first().is_some_and(|p| p == "cross-env") {
            argv.remove(0);
            while argv.first().is_some_and(|w| w.contains('=') && !w.starts_with('-')) {
                let w = argv.remove(0);
                let (k, v) = w.split_once('=').expect("checked");
                env.push((k.to_owned(), v.to_owned()));
            }
        }
        if env.iter().any(|(_, v)| v.contains([' ', '"', '\'', '\\'])) {
            return Start::Other;
        }
        argv.extend(extra.iter().cloned());
        let Some(prog) = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_owned()) else { return Start::Other };
        let sub = argv.get(1).map_or("", String::as_str);
        if prog == "node" && argv.len() > 1 {
            return Start::Node { argv, env };
        }
        if let Some(k) = known::find_kind("npm", &prog, Kind::DevServer) {
            let sub = if sub.starts_with('-') { "" } else { sub };
            if known::runs(k, sub) {
                return Start::DevServer { tool: if sub.is_empty() { prog } else { format!("{prog} {sub}") } };
            }
        }
        if known::find_kind("npm", &prog, Kind::Watcher).is_some() {
            // `nodemon FILE …`, or `nodemon` alone, which runs package.json's main.
            let file_at = argv.iter().skip(1).position(|a| !a.starts_with('-')).map(|i| i + 1);
            let rest: Vec<String> = match file_at {
                Some(i) if argv[1..i].is_empty() => argv[i..].to_vec(),
                None if argv.len() == 1 => match &self.main {
                    Some(m) => vec![m.clone()],
                    None => return Start::Other,
                },
                // Options of the watcher itself: not node's.
                _ => return Start::Other,
            };
            if !rest[0].ends_with(".js") && !rest[0].ends_with(".mjs") && !rest[0].ends_with(".cjs") && rest[0].contains('.') {
                return Start::Other;
            }
            let mut node = vec!["node".to_owned()];
            node.extend(rest);
            return Start::Watcher { tool: prog, argv: node, env };
        }
        Start::Other
    }

    /// The folder a `build` script writes, when the tool it runs has a known default: (folder, command).
    pub fn build_output(&self) -> Option<(&'static str, String)> {
        let script = self.scripts.get("build")?;
        let cmds = commands(script, '\\');
        cmds.iter().rev().find_map(|c| {
            let prog = c.program().rsplit('/').next().unwrap_or("");
            let k = known::find_kind("npm", prog, Kind::BuildOutput)?;
            // An explicit output option means another folder.
            let own = c.argv.iter().any(|a| a.starts_with("--out") || a == "-o" || a.starts_with("--dist") || a == "-d");
            (known::runs(k, c.arg(1)) && !own).then(|| (k.output.expect("a build-output entry has one"), c.argv.join(" ")))
        })
    }

    /// The node major version `engines.node` allows, when it allows exactly one (`20`, `20.x`, `^20.11.0`,
    /// `~20.1`, `>=20 <21`).
    pub fn engines_major(&self) -> Option<u32> {
        let range = self.engines_node.as_deref()?.trim();
        if range.contains("||") {
            return None;
        }
        let parts: Vec<&str> = range.split_whitespace().collect();
        let major = |s: &str| -> Option<u32> {
            let s = s.trim_start_matches(['^', '~', '=', 'v']);
            s.split('.').next()?.parse().ok()
        };
        match parts.as_slice() {
            [one] if !one.starts_with(['>', '<']) => major(one),
            [lo, hi] => {
                let l = major(lo.strip_prefix(">=")?)?;
                let h = hi.strip_prefix('<')?;
                let exact_next = h.trim_start_matches('=').split('.').all(|p| p == "0" || p.parse::<u32>().is_ok());
                (major(h)? == l + 1 && !h.starts_with('=') && exact_next && h.split('.').skip(1).all(|p| p == "0")).then_some(l)
            }
            _ => None,
        }
    }

    /// The native addons of the data that the package depends on or its lockfile installs, with their
    /// kind.
    pub fn native(&self) -> Vec<&'static known::Package> {
        let mut names: Vec<&str> = self.dependencies.iter().map(String::as_str).chain(self.locked.iter().map(String::as_str)).collect();
        names.sort_unstable();
        names.dedup();
        names.into_iter().filter_map(|n| known::find("npm", n).find(|k| matches!(k.kind, Kind::Links | Kind::Bundled))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(json: &str, files: &[&str]) -> PackageJson {
        let mut ctx = BuildContext { complete: true, ..Default::default() };
        ctx.files.insert("package.json".into(), json.into());
        ctx.paths = files.iter().map(|s| (*s).to_owned()).chain(["package.json".to_owned()]).collect();
        read(&ctx, "", &mut |_, _, _, m| panic!("{m}")).unwrap()
    }

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn scripts_named_by_npm_yarn_and_pnpm() {
        assert_eq!(script_of(&argv("npm start")), Some(("npm".into(), "start".into(), vec![])));
        assert_eq!(script_of(&argv("npm run start -- --port 3000")), Some(("npm".into(), "start".into(), argv("--port 3000"))));
        assert_eq!(script_of(&argv("yarn serve")), Some(("yarn".into(), "serve".into(), vec![])));
        assert_eq!(script_of(&argv("pnpm run prod")), Some(("pnpm".into(), "prod".into(), vec![])));
        assert_eq!(script_of(&argv("npm install")), None);
        assert_eq!(script_of(&argv("node server.js")), None);
    }

    #[test]
    fn start_scripts() {
        let p = pkg(r#"{"scripts": {"start": "NODE_ENV=production node --enable-source-maps dist/index.js", "dev": "nodemon src/app.js", "web": "vite", "ts": "ts-node src/index.ts", "both": "npm run build && node x.js"}}"#, &[]);
        assert_eq!(
            p.resolve("npm", "start", &argv("--port 1")),
            Start::Node { argv: argv("node --enable-source-maps dist/index.js --port 1"), env: vec![("NODE_ENV".into(), "production".into())] }
        );
        assert_eq!(p.resolve("npm", "dev", &[]), Start::Watcher { tool: "nodemon".into(), argv: argv("node src/app.js"), env: vec![] });
        assert_eq!(p.resolve("yarn", "web", &[]), Start::DevServer { tool: "vite".into() });
        assert_eq!(p.resolve("npm", "ts", &[]), Start::Other);
        assert_eq!(p.resolve("npm", "both", &[]), Start::Other);
        assert_eq!(p.resolve("npm", "nothing", &[]), Start::Missing);
        // npm's default start.
        let p = pkg(r#"{"name": "x"}"#, &["server.js"]);
        assert_eq!(p.resolve("npm", "start", &[]), Start::Node { argv: argv("node server.js"), env: vec![] });
        assert_eq!(pkg(r#"{"name": "x"}"#, &[]).resolve("npm", "start", &[]), Start::Missing);
        // A prestart script runs first: npm stays.
        let p = pkg(r#"{"scripts": {"prestart": "node migrate.js", "start": "node server.js"}}"#, &[]);
        assert_eq!(p.resolve("npm", "start", &[]), Start::Hooks("prestart".into()));
        let p = pkg(r#"{"scripts": {"start": "cross-env NODE_ENV=production PORT=80 node app.js"}}"#, &[]);
        assert_eq!(
            p.resolve("npm", "start", &[]),
            Start::Node { argv: argv("node app.js"), env: vec![("NODE_ENV".into(), "production".into()), ("PORT".into(), "80".into())] }
        );
        let p = pkg(r#"{"main": "lib/server.js", "scripts": {"start": "nodemon"}}"#, &[]);
        assert_eq!(p.resolve("npm", "start", &[]), Start::Watcher { tool: "nodemon".into(), argv: argv("node lib/server.js"), env: vec![] });
    }

    #[test]
    fn engines_and_build_output() {
        let major = |r: &str| pkg(&format!(r#"{{"engines": {{"node": "{r}"}}}}"#), &[]).engines_major();
        for (r, m) in [("20", Some(20)), ("20.x", Some(20)), ("^20.11.1", Some(20)), ("~18.19", Some(18)), (">=20 <21", Some(20)), (">=20.0.0 <21.0.0", Some(20))] {
            assert_eq!(major(r), m, "{r}");
        }
        for r in [">=18", "18 || 20", ">=18 <21", "*", "lts"] {
            assert_eq!(major(r), None, "{r}");
        }
        let p = pkg(r#"{"scripts": {"build": "tsc && vite build"}}"#, &[]);
        assert_eq!(p.build_output(), Some(("dist", "vite build".into())));
        assert_eq!(pkg(r#"{"scripts": {"build": "vite build --outDir public"}}"#, &[]).build_output(), None);
        assert_eq!(pkg(r#"{"scripts": {"build": "react-scripts build"}}"#, &[]).build_output().map(|b| b.0), Some("build"));
    }

    #[test]
    fn lockfiles_name_what_they_install() {
        assert!(lock_installs("package-lock.json", r#"{"packages": {"node_modules/pg-native": {}}}"#, "pg-native"));
        assert!(!lock_installs("package-lock.json", r#"{"packages": {"node_modules/pg-native-x": {}}}"#, "pg-native"));
        assert!(lock_installs("yarn.lock", "\"canvas@^2.11.0\":\n  version \"2.11.2\"\n", "canvas"));
        assert!(lock_installs("yarn.lock", "abc@1, canvas@^2:\n", "canvas"));
        assert!(lock_installs("pnpm-lock.yaml", "packages:\n\n  /canvas@2.11.2:\n    resolution: {}\n", "canvas"));
        assert!(lock_installs("pnpm-lock.yaml", "packages:\n  canvas@2.11.2:\n", "canvas"));
        assert!(!lock_installs("pnpm-lock.yaml", "packages:\n  canvas-x@1.0.0:\n", "canvas"));
    }

    #[test]
    fn bad_json_is_reported_with_its_place() {
        let mut ctx = BuildContext::default();
        ctx.files.insert("package.json".into(), "{\n  \"scripts\": {,}\n}".into());
        let mut seen = vec![];
        assert!(read(&ctx, "", &mut |f, l, c, _| seen.push((f.to_owned(), l, c))).is_none());
        assert_eq!(seen, [("package.json".to_owned(), 2, 15)]);
    }
}
