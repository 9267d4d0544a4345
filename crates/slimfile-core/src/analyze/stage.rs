//! One stage read instruction by instruction: its variables, WORKDIR, USER, command, ports, volumes, the
//! RUNs ([`super::run`]), and from them its ecosystem.

use std::collections::HashMap;

use super::base::base_facts;
use super::facts::{Eco, StageFacts};
use super::needs::final_argv;
use super::packages::{kept_clone_keeps_git, programs_run_at_run_time, unused_fetch_tools_stay};
use super::paths::join_path;
use super::run::{analyze_run, TOOLS};
use crate::model::Stage;
use crate::shell::packages::is_package_source;
use crate::shell::{expand, key_values, SimpleCommand};
use crate::syntax::{Args, Document, Kind};

pub(super) fn analyze_stage(
    doc: &Document,
    run_cmds: &[Vec<SimpleCommand>],
    stage: &Stage,
    parent: Option<&StageFacts>,
    globals: &HashMap<String, String>,
) -> StageFacts {
    let mut f = base_facts(stage, parent);
    read_instructions(doc, run_cmds, stage, globals, &mut f);
    set_ecosystem(doc, run_cmds, stage, &mut f);
    programs_run_at_run_time(doc, &mut f);
    unused_fetch_tools_stay(run_cmds, stage, &mut f);
    kept_clone_keeps_git(doc, run_cmds, stage, &mut f);
    f
}

/// The stage's instructions, in order, into `f`.
fn read_instructions(
    doc: &Document,
    run_cmds: &[Vec<SimpleCommand>],
    stage: &Stage,
    globals: &HashMap<String, String>,
    f: &mut StageFacts,
) {
    // Variables visible to the stage's instructions: ARGs (declared in the stage, with global defaults)
    // and ENVs so far.
    let mut vars: HashMap<String, String> = f.env.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
    for i in stage.body.clone() {
        let inst = &doc.instructions[i];
        match inst.kind {
            Kind::Arg => {
                for (k, v) in key_values(inst.arg_text()) {
                    let value = v.clone().or_else(|| globals.get(&k).cloned());
                    if let Some(value) = &value {
                        vars.insert(k.clone(), expand(value, &vars).text);
                    }
                    f.args.push((k, v, i));
                }
            }
            Kind::Env => {
                for (k, v) in key_values(inst.arg_text()) {
                    let v = expand(&v.unwrap_or_default(), &vars).text;
                    vars.insert(k.clone(), v.clone());
                    f.env.push((k, v, i));
                }
            }
            Kind::Workdir => {
                let w = expand(inst.arg_text(), &vars).text;
                f.workdir = join_path(&f.workdir, &w);
            }
            Kind::User => f.user = Some((expand(inst.arg_text(), &vars).text, i)),
            Kind::Cmd => f.cmd = Some(i),
            Kind::Entrypoint => {
                f.entrypoint = Some(i);
                // An ENTRYPOINT resets the inherited CMD (Dockerfile reference).
                if f.cmd.is_some_and(|c| c < stage.from) {
                    f.cmd = None;
                }
            }
            Kind::Healthcheck => f.healthcheck = Some(i),
            Kind::Shell => f.shell = Some(i),
            Kind::Expose => {
                if let Args::Words { words, .. } = &inst.args {
                    f.expose.extend(words.iter().map(|w| (expand(w, &vars).text, i)));
                }
            }
            Kind::Volume => {
                if let Args::Words { words, .. } = &inst.args {
                    f.volumes.extend(words.iter().map(|w| (expand(w, &vars).text, i)));
                }
            }
            Kind::Run => analyze_run(&run_cmds[i], f, i, &vars),
            Kind::Copy | Kind::Add => {
                let Args::Copy { sources, dest, .. } = &inst.args else { continue };
                let dest = expand(dest, &vars).text;
                if is_package_source(&dest) {
                    f.source_added.get_or_insert(i);
                }
                if inst.flag("from").is_none() {
                    let chown = inst.flag_value("chown").map(|c| expand(c, &vars).text);
                    let heredoc = !inst.heredocs().is_empty();
                    f.placed.extend(super::placed::placed(i, &f.workdir, sources, heredoc, &dest, chown.as_deref()));
                }
            }
            _ => {}
        }
    }
}

/// The ecosystem: the build tools say more than the base image.
fn set_ecosystem(doc: &Document, run_cmds: &[Vec<SimpleCommand>], stage: &Stage, f: &mut StageFacts) {
    let tool_eco = f
        .steps
        .iter()
        .filter_map(|s| TOOLS.iter().find(|(_, t, _)| *t == s.tool).map(|(_, _, e)| *e))
        .filter(|e| *e != Eco::C)
        .fold(None::<Eco>, |acc, e| acc.or(Some(e)));
    // A language's package tells the ecosystem when it stays: a compiled language's (golang, cargo) always;
    // an interpreted one's (python3, python3-dev, ruby-dev, nodejs) only when the app runs its interpreter or
    // a RUN of the stage calls the language (`python3 setup.py`, `gem`). One purged after a cmake build, or
    // headers beside a program that is not such an app (radiusd; lkp-tests' python-dev), does not make one.
    let runs = interpreter_eco(doc, f);
    let called: Vec<Eco> = stage
        .body
        .clone()
        .filter(|&i| doc.instructions[i].kind == Kind::Run)
        .flat_map(|i| run_cmds[i].iter())
        .filter_map(|c| language_of(crate::shell::basename(c.program())))
        .collect();
    let pkg_eco = f
        .packages
        .iter()
        .filter(|p| p.removed.is_none())
        .filter_map(|p| Some(Eco::parse(p.toolchain.as_deref()?)?))
        .find(|e| runs == Some(*e) || called.contains(e) || !matches!(e, Eco::Python | Eco::Node | Eco::Ruby));
    let native = f.steps.iter().any(|s| s.tool == "make" || s.tool == "cmake").then_some(Eco::C);
    f.eco = tool_eco.or(f.eco).or(pkg_eco).or(native);
    if f.eco.is_none() {
        f.eco = interpreter_eco(doc, f);
    }
}

/// The interpreted language a program belongs to: its interpreter, package manager or task runner.
fn language_of(program: &str) -> Option<Eco> {
    if program.starts_with("python") || program.starts_with("pip") || matches!(program, "poetry" | "pipenv" | "uv") {
        Some(Eco::Python)
    } else if matches!(program, "ruby" | "gem" | "bundle" | "bundler" | "rake") {
        Some(Eco::Ruby)
    } else if matches!(program, "node" | "nodejs" | "npm" | "npx" | "yarn" | "pnpm") {
        Some(Eco::Node)
    } else {
        None
    }
}

/// A stage without build tools whose CMD runs an interpreter (`python app.py`, `node server.js`).
fn interpreter_eco(doc: &Document, f: &StageFacts) -> Option<Eco> {
    let argv = final_argv(doc, f)?;
    let prog = argv.first()?.rsplit('/').next()?.to_owned();
    if prog.starts_with("python") || prog == "gunicorn" || prog == "uvicorn" || prog == "flask" {
        Some(Eco::Python)
    } else if prog == "node" || prog == "npm" {
        Some(Eco::Node)
    } else if prog == "java" {
        Some(Eco::Java)
    } else if prog == "dotnet" {
        Some(Eco::Dotnet)
    } else if prog == "nginx" {
        Some(Eco::Static)
    } else {
        None
    }
}
