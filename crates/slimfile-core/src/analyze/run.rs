//! One RUN of a stage: the packages it installs and removes, the package sources it adds, the build
//! steps it runs (with their environment) and the artifacts they write.

use std::collections::HashMap;

use super::artifacts::{artifacts_of, moved_artifacts};
use super::facts::{Eco, InstallCmd, StageFacts, Step, STEP_VARS};
use super::made::made_files;
use super::packages::{add_install, mark_removed};
use super::paths::join_path;
use crate::shell::packages::{self as shell_packages, is_package_source, Action};
use crate::shell::{expand, referenced_vars, SimpleCommand};

/// Programs that build, by command name → (tool, ecosystem).
pub(super) const TOOLS: &[(&str, &str, Eco)] = &[
    ("go", "go", Eco::Go),
    ("cargo", "cargo", Eco::Rust),
    ("rustc", "cargo", Eco::Rust),
    ("npm", "npm", Eco::Node),
    ("npx", "npm", Eco::Node),
    ("yarn", "yarn", Eco::Node),
    ("pnpm", "pnpm", Eco::Node),
    ("pip", "pip", Eco::Python),
    ("pip3", "pip", Eco::Python),
    ("poetry", "poetry", Eco::Python),
    ("uv", "uv", Eco::Python),
    ("pipenv", "pip", Eco::Python),
    ("mvn", "maven", Eco::Java),
    ("mvnw", "maven", Eco::Java),
    ("gradle", "gradle", Eco::Java),
    ("gradlew", "gradle", Eco::Java),
    ("dotnet", "dotnet", Eco::Dotnet),
    ("make", "make", Eco::C),
    ("cmake", "cmake", Eco::C),
    ("gcc", "make", Eco::C),
    ("g++", "make", Eco::C),
    ("cc", "make", Eco::C),
    ("bundle", "bundler", Eco::Ruby),
    ("gem", "bundler", Eco::Ruby),
    ("composer", "composer", Eco::Php),
];

/// The variables `words` refer to, looked up with `get`: a small map to expand them with, instead of a copy
/// of every variable of the stage for each command.
fn scoped<'a>(words: impl IntoIterator<Item = &'a String>, get: impl Fn(&str) -> Option<&'a String>) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for w in words.into_iter().filter(|w| w.contains('$')) {
        for k in referenced_vars(w) {
            if let Some(v) = get(&k) {
                m.insert(k, v.clone());
            }
        }
    }
    m
}

/// RUN `i` of the stage, whose commands ([`crate::shell::run_commands`]) are `cmds`.
pub(super) fn analyze_run(cmds: &[SimpleCommand], f: &mut StageFacts, i: usize, vars: &HashMap<String, String>) {
    // A word anywhere in the RUN: an argument, an assignment's value, a redirection's target.
    let mentions = |needle: &str| {
        cmds.iter().any(|c| {
            c.argv.iter().chain(&c.writes).any(|a| a.contains(needle)) || c.env.iter().any(|(_, v)| v.contains(needle))
        })
    };
    if mentions("scanelf") || mentions("$runDeps") || mentions("${runDeps}") {
        f.computed_runtime_deps = true;
    }
    let cleans_lists = mentions("/var/lib/apt/lists");
    let apt_no_recommends = mentions("APT::Install-Recommends");
    let mut workdir = f.workdir.clone();
    let mut exported: HashMap<String, String> = HashMap::new();
    for c in cmds {
        let prog = c.program();
        if prog == "cd" {
            if let Some(d) = c.argv.get(1) {
                workdir = join_path(&workdir, d);
            }
            continue;
        }
        if prog == "export" {
            for a in c.argv.iter().skip(1) {
                if let Some((k, v)) = a.split_once('=') {
                    exported.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        if c.argv.is_empty() {
            // `A=1 B=2` alone sets shell variables for the rest of the RUN.
            exported.extend(c.env.iter().cloned());
            continue;
        }
        if matches!(prog, "set" | ":") {
            // Assignments before a special built-in persist in the shell (POSIX 2.14).
            exported.extend(c.env.iter().cloned());
        }
        // (A tagged apk repository, `echo "@edge URL" >> /etc/apk/repositories`, serves only `name@edge`.)
        let tagged_only = matches!(prog, "echo" | "printf") && c.positional(0).all(|a| a.starts_with('@'));
        if matches!(prog, "add-apt-repository" | "apt-add-repository")
            || !tagged_only && made_files(c).iter().any(|(p, _)| is_package_source(&join_path(&workdir, p)))
        {
            f.source_added.get_or_insert(i);
        }
        if shell_packages::manager(c).is_some() {
            let shell_vars = scoped(&c.argv, |k| exported.get(k).or_else(|| vars.get(k)));
            match shell_packages::read(c, &shell_vars) {
                Some(p) if p.action == Action::Install => {
                    let no_recommends = c.has_flag(&["--no-install-recommends"]) || apt_no_recommends;
                    let from_list = c.wrappers.contains(&"xargs");
                    add_install(f, c, &p, &shell_vars, i, InstallCmd { manager: p.manager.name, inst: i, no_recommends, cleans_lists, from_list });
                    continue;
                }
                Some(p) => {
                    mark_removed(f, &p, i);
                    continue;
                }
                None => {}
            }
        }
        if matches!(prog, "cp" | "mv" | "install" | "ln") {
            moved_artifacts(c, &workdir, vars, i, &mut f.artifacts);
            continue;
        }
        let Some((_, tool, _)) = TOOLS.iter().find(|(p, _, _)| *p == prog) else { continue };
        if !f.tools.contains(tool) {
            f.tools.push(tool);
        }
        let own: HashMap<String, String> = c.env.iter().map(|(k, v)| (k.clone(), expand(v, vars).text)).collect();
        let get = |k: &str| own.get(k).or_else(|| exported.get(k)).or_else(|| vars.get(k));
        let words = scoped(&c.argv, get);
        let argv: Vec<String> = c.argv.iter().map(|a| expand(a, &words).text).collect();
        let mut env: HashMap<String, String> =
            STEP_VARS.iter().filter_map(|k| get(k).map(|v| ((*k).to_owned(), v.clone()))).collect();
        env.extend(own);
        let step = Step { inst: i, tool, cmd: SimpleCommand { env: c.env.clone(), argv, writes: c.writes.clone(), wrappers: c.wrappers.clone() }, env, workdir: workdir.clone() };
        artifacts_of(&step, &mut f.artifacts);
        f.steps.push(step);
    }
}
