//! The OS packages a stage installs and removes, read with the one package-manager table
//! ([`crate::shell::packages`]), and their role (build-only or runtime, from `data/packages.json`).

use std::collections::HashMap;

use super::facts::{Eco, InstallCmd, PkgUse, StageFacts};
use super::needs::final_argv;
use crate::knowledge::packages::{self, Role};
use crate::model::Stage;
use crate::shell::packages::{self as shell_packages, repository_options, PackageCommand};
use crate::shell::{commands, SimpleCommand};
use crate::syntax::{Command, Document, Kind};
use super::paths::{join_path, under};

/// The packages install command `c` (read as `p`) of RUN `i` adds to the stage, and the command itself.
pub(super) fn add_install(f: &mut StageFacts, c: &SimpleCommand, p: &PackageCommand, vars: &HashMap<String, String>, i: usize, mut cmd: InstallCmd) {
    let manager = p.manager.name;
    cmd.cleans_lists |= manager == "apk" && c.has_flag(&["--no-cache"]);
    f.installs.push(cmd);
    let group = shell_packages::group(c, p.manager).map(str::to_owned);
    let repositories = repository_options(c, p.manager, vars);
    // A repository slimfile cannot read (a variable it does not know, shell syntax) is a source the
    // runtime stage cannot repeat.
    let plain = |c: char| c.is_ascii_alphanumeric() || ":/._-~%+@,=".contains(c);
    let unreadable_repository =
        repositories.iter().any(|r| !r.strip_prefix("--repository ").unwrap_or(r).chars().all(plain));
    let target_release = shell_packages::target_release(c, p.manager);
    let codename = f.codename();
    for pkg in &p.packages {
        let (role, entry) = packages::lookup(manager, &pkg.name);
        let runtime = entry.and_then(|e| packages::runtime_for(e, codename.as_deref()));
        f.packages.push(PkgUse {
            manager,
            name: pkg.name.clone(),
            role,
            runtime_unknown: entry.is_some_and(|e| !e.runtime.is_empty()) && runtime.is_none(),
            runtime: runtime.unwrap_or_default(),
            group: group.clone(),
            removed: None,
            toolchain: entry.and_then(|e| e.toolchain).map(str::to_owned),
            provided_by: entry.and_then(|e| e.provided_by).map(str::to_owned),
            inst: i,
            repositories: repositories.clone(),
            extra_source: f.source_added.or((target_release || pkg.tagged || unreadable_repository).then_some(i)),
            kept_because: None,
        });
    }
}

/// A removal (`apk del`, `apt-get purge`) of RUN `i`: the packages it names, or their `--virtual` group.
pub(super) fn mark_removed(f: &mut StageFacts, p: &PackageCommand, i: usize) {
    for pkg in f.packages.iter_mut().filter(|pkg| pkg.removed.is_none()) {
        if p.names().any(|n| n == pkg.name || pkg.group.as_deref() == Some(n)) {
            pkg.removed = Some(i);
        }
    }
}

/// A package whose program the container runs (`apk add htop` + `CMD ["htop"]`) is the app itself; one
/// the HEALTHCHECK runs (`curl -f …`) is needed at run time too (as a build package, a slim runtime stage
/// that installs curl for its HEALTHCHECK was rewritten again as if it were the build).
pub(super) fn programs_run_at_run_time(doc: &Document, f: &mut StageFacts) {
    let mut progs: Vec<String> = final_argv(doc, f).and_then(|a| a.first().cloned()).into_iter().collect();
    if let Some(c) = f.healthcheck.and_then(|h| doc.instructions[h].command()) {
        match c {
            Command::Shell(s) => progs.extend(commands(s, doc.escape).into_iter().filter_map(|c| c.argv.into_iter().next())),
            Command::Exec(v) => progs.extend(v.iter().find(|a| !a.starts_with("CMD")).cloned()),
        }
    }
    for prog in progs {
        let prog = prog.rsplit('/').next().unwrap_or(&prog).to_owned();
        for p in f.packages.iter_mut().filter(|p| p.name == prog && p.role == Role::Build) {
            p.role = Role::Runtime;
            p.kept_because = Some("the image's command or health check runs it");
        }
    }
}

/// A download tool (curl, wget) an interpreted app's stage installs and no later RUN of the stage calls is
/// not provably build-only: a compose or orchestrator health check, or the app's own scripts, run it in the
/// container. It stays at run time. (The runtime of a Python, Ruby or Node.js app is a slim image or
/// distroless/nodejs; for a compiled app, whose runtime has no package manager, a tool the build never
/// called is not kept.)
pub(super) fn unused_fetch_tools_stay(run_cmds: &[Vec<SimpleCommand>], stage: &Stage, f: &mut StageFacts) {
    if !matches!(f.eco, Some(Eco::Python | Eco::Ruby | Eco::Node)) {
        return;
    }
    for p in f.packages.iter_mut().filter(|p| p.role == Role::Build && p.removed.is_none() && matches!(p.name.as_str(), "curl" | "wget")) {
        let called = stage.body.clone().filter(|i| *i >= p.inst).any(|i| {
            run_cmds.get(i).is_some_and(|cmds| cmds.iter().any(|c| c.program() == p.name))
        });
        if !called {
            p.role = Role::Runtime;
            p.kept_because = Some("no RUN calls it, so a health check or the app's own scripts may");
        }
    }
}

/// git stays at run time for an interpreted app that runs from a `git clone` the stage keeps with its `.git`
/// folder: the app may run git on its own checkout (CouchPotato's updater reads its version and fetches
/// with git, and does so by default). The clone is the app's folder when the final WORKDIR or a path in
/// the command is inside it; a RUN that removes the clone's `.git` folder shows it is not used as one.
pub(super) fn kept_clone_keeps_git(doc: &Document, run_cmds: &[Vec<SimpleCommand>], stage: &Stage, f: &mut StageFacts) {
    if !matches!(f.eco, Some(Eco::Python | Eco::Ruby | Eco::Node)) {
        return;
    }
    let mut clones: Vec<String> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut wd = "/".to_owned();
    for i in stage.body.clone() {
        let inst = &doc.instructions[i];
        if inst.kind == Kind::Workdir {
            wd = join_path(&wd, inst.arg_text());
        }
        let mut cwd = wd.clone();
        for c in run_cmds.get(i).map_or(&[][..], Vec::as_slice) {
            match c.program() {
                "cd" if c.argv.len() > 1 => cwd = join_path(&cwd, &c.argv[1]),
                "git" => clones.extend(c.git_clone_dir().map(|d| join_path(&cwd, &d))),
                "rm" => removed.extend(c.positional(0).map(|a| join_path(&cwd, a.trim_end_matches('/')))),
                _ => {}
            }
        }
    }
    let argv = final_argv(doc, f).unwrap_or_default();
    // The app's checkout, its .git folder (or the whole clone) not removed again.
    let app_in = |dir: &String| {
        (under(&f.workdir, dir) || argv.iter().any(|a| a.starts_with('/') && under(a, dir)))
            && !removed.iter().any(|r| *r == format!("{dir}/.git") || under(dir, r))
    };
    if !clones.iter().any(app_in) {
        return;
    }
    for p in f.packages.iter_mut().filter(|p| p.role == Role::Build && p.removed.is_none() && p.name == "git") {
        p.role = Role::Runtime;
        p.kept_because = Some("the app runs from a git checkout that keeps its .git folder, and may run git on it");
    }
}

/// Header packages of a stage whose runtime library slimfile does not know.
pub fn unmapped_dev(f: &StageFacts) -> Vec<String> {
    f.packages
        .iter()
        .filter(|p| p.role == Role::Build && (p.runtime.is_empty() || p.runtime_unknown) && p.toolchain.is_none())
        .filter(|p| p.name.ends_with("-dev") || p.name.ends_with("-devel"))
        .filter(|p| !packages::lookup(p.manager, &p.name).1.is_some_and(|e| e.header_only))
        .map(|p| p.name.clone())
        .collect()
}
