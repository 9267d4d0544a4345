//! What the target stage's app needs at run time: a shell, packages, root, the paths its command names;
//! and the command the container runs.

use super::facts::StageFacts;
use super::paths::{normalize, under};
use crate::knowledge::packages::Role;
use crate::model::{Model, Stage};
use crate::report::RuntimeNeeds;
use crate::shell::{commands, exact_words, shell_syntax};
use crate::syntax::{Args, Command, Document, Kind};

/// Packages and the ports, users, shells and libraries the target's app needs at run time.
pub(super) fn runtime_needs(doc: &Document, model: &Model, stage: &Stage, f: &StageFacts, all: &[StageFacts]) -> RuntimeNeeds {
    let mut n = RuntimeNeeds { libc: f.distro.libc().to_owned(), ..Default::default() };
    // A shell: shell-form commands that cannot become exec form, scripts, HEALTHCHECK CMD-SHELL.
    for (what, idx) in [("ENTRYPOINT", f.entrypoint), ("CMD", f.cmd)] {
        let Some(i) = idx else { continue };
        match doc.instructions[i].command() {
            Some(Command::Shell(s)) => {
                if let Some(why) = shell_syntax(s.trim()) {
                    n.shell.push(format!("the shell-form {what} `{}` needs /bin/sh: {why}", s.trim()));
                }
            }
            Some(Command::Exec(v)) => {
                let prog = v.first().map(String::as_str).unwrap_or("");
                if matches!(prog, "sh" | "/bin/sh" | "bash" | "/bin/bash" | "/bin/ash" | "ash") {
                    n.shell.push(format!("{what} runs {prog}"));
                } else if prog.ends_with(".sh") {
                    n.shell.push(format!("{what} runs the script {prog}, which needs a shell"));
                }
            }
            None => {}
        }
    }
    if let Some(h) = f.healthcheck {
        if let Some(c) = doc.instructions[h].command() {
            let argv: Vec<String> = match c {
                Command::Shell(s) => {
                    // A check whose words need no shell (once a closing `|| exit 1` is set aside) runs as
                    // well in exec form, which a runtime without a shell can take.
                    if exact_words(healthcheck_words(s)).is_none() {
                        let why = shell_syntax(healthcheck_words(s)).unwrap_or("it uses shell syntax");
                        n.shell.push(format!("the shell-form HEALTHCHECK `{}` needs /bin/sh: {why}", s.trim()));
                    }
                    commands(s, doc.escape).into_iter().flat_map(|c| c.argv.into_iter().take(1)).collect()
                }
                Command::Exec(v) => {
                    if v.first().is_some_and(|p| matches!(p.rsplit('/').next(), Some("sh" | "bash" | "ash"))) {
                        n.shell.push(format!("the HEALTHCHECK runs {}", v[0]));
                    }
                    v.iter().take(1).cloned().collect()
                }
            };
            for p in argv {
                let p = p.rsplit('/').next().unwrap_or(&p).to_owned();
                if matches!(p.as_str(), "curl" | "wget" | "nc") {
                    n.packages.push(p.clone());
                }
                if p == "CMD-SHELL" {
                    n.shell.push("HEALTHCHECK uses CMD-SHELL".to_owned());
                }
            }
        }
    }
    // Packages installed in the final image that are runtime (not provided by distroless).
    // (`listed` finds one at once: a RUN installing thousands of packages made `contains` quadratic.)
    let mut listed: std::collections::HashSet<String> = n.packages.iter().cloned().collect();
    for p in &f.packages {
        let kept = p.removed.is_none();
        // Unknown packages are treated as needed at run time: dropping one could break the app.
        let runtime_role = matches!(p.role, Role::Runtime | Role::Unknown);
        if kept && runtime_role && p.toolchain.is_none() && listed.insert(p.name.clone()) {
            n.packages.push(p.name.clone());
        }
        // The library of a `-dev` package stays needed when the package is removed after the build
        // (`apk del .build-deps`): what was compiled against its headers links it, and the original image
        // often kept it only through another package (`curl` brings libcurl) that the runtime stage drops.
        // A compiler's libraries (g++'s libstdc++ and libgcc on Alpine) are another matter: removed with it,
        // they stayed only where a package the runtime stage installs too needs them, so the program the
        // original ran did not.
        let compiler = !(p.name.ends_with("-dev") || p.name.ends_with("-devel"));
        for r in p.runtime.iter().filter(|_| kept || !compiler) {
            if listed.insert(r.clone()) {
                n.packages.push(r.clone());
            }
        }
        if !kept {
            continue;
        }
        if p.name == "ca-certificates" {
            n.ca_certificates = true;
        }
        if p.name == "tzdata" {
            n.tzdata = true;
        }
    }
    command_paths(doc, stage, f, &mut n);
    if f.workdir == "/root" || f.workdir.starts_with("/root/") {
        n.root.push(format!("the app lives in {}, which only root can read", f.workdir));
    }
    n.user = f.user.as_ref().map(|(u, _)| u.clone()).unwrap_or_else(|| "root".to_owned());
    for (port, _) in &f.expose {
        let num: Option<u32> = port.split('/').next().and_then(|p| p.parse().ok());
        if num.is_some_and(|p| p < 1024) {
            n.root.push(format!("it listens on port {port}, below 1024, which needs root"));
        }
    }
    let _ = (model, stage, all);
    n
}

/// Absolute paths the command names (`--config /etc/app.yml`, `-ui-dir=/webui`): created by the build, they
/// must be copied to the runtime stage; created by nothing, the app makes them at run time, which a non-root
/// user cannot do outside its own folders.
fn command_paths(doc: &Document, stage: &Stage, f: &StageFacts, n: &mut RuntimeNeeds) {
    const SYSTEM: &[&str] = &["/tmp", "/dev", "/proc", "/sys", "/run", "/var/run", "/etc/localtime", "/etc/hosts", "/etc/resolv.conf", "/etc/ssl", "/usr/share/zoneinfo", "/bin", "/usr/bin", "/usr/local/bin", "/sbin"];
    let Some(argv) = final_argv(doc, f) else { return };
    for tok in argv.iter().skip(1) {
        let raw = if tok.starts_with('/') {
            tok.as_str()
        } else if let Some(i) = tok.find("=/") {
            &tok[i + 1..]
        } else {
            continue;
        };
        if raw.contains(['$', '*', ':', ',', ' ']) || raw.len() < 2 {
            continue;
        }
        let p = normalize(raw);
        if SYSTEM.iter().any(|s| under(&p, s)) || f.volumes.iter().any(|(v, _)| under(&p, &normalize(v))) || f.workdir != "/" && under(&p, &f.workdir) {
            continue;
        }
        let mentioned = stage.body.clone().any(|i| {
            let inst = &doc.instructions[i];
            match inst.kind {
                Kind::Run => inst.text(doc).contains(p.as_str()),
                Kind::Copy | Kind::Add => matches!(&inst.args, Args::Copy { dest, .. } if dest.starts_with('/') && under(&p, &normalize(dest))),
                _ => false,
            }
        }) || f.artifacts.iter().any(|a| under(&p, &a.path));
        if mentioned {
            if !n.paths.contains(&p) {
                n.paths.push(p);
            }
        } else {
            n.root.push(format!("the command names {p}, which nothing in the image creates, so the app creates it at run time, and only root can do that there"));
        }
    }
}

/// The words of a shell-form HEALTHCHECK without a closing `|| exit 1`, which only maps every failure to
/// exit code 1 (Docker counts every non-zero exit as a failed check: moby's daemon/health.go, "Failure
/// (including invalid exit code)").
pub fn healthcheck_words(s: &str) -> &str {
    let t = s.trim();
    match t.strip_suffix("exit 1").map(str::trim_end).and_then(|r| r.strip_suffix("||")) {
        Some(rest) if !rest.trim().is_empty() => rest.trim(),
        _ => t,
    }
}

/// Init processes that run the command after them (`tini -- node server.js`, `dumb-init node server.js`):
/// they reap zombies and forward signals, and are not the app. Sources: krallin/tini's README (`tini --
/// your-program`), Yelp/dumb-init's README, containers/catatonit's README.
const INIT_WRAPPERS: &[&str] = &["tini", "dumb-init", "catatonit"];

/// The command an init wrapper starts (`tini -s -- node server.js` → `node server.js`), with the
/// wrapper's name; `None` when `argv` does not start with one.
pub fn under_init(argv: &[String]) -> Option<(&str, &[String])> {
    let name = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p))?;
    if !INIT_WRAPPERS.contains(&name) {
        return None;
    }
    let rest = match argv.iter().position(|a| a == "--") {
        Some(k) => &argv[k + 1..],
        None => {
            let k = argv.iter().skip(1).position(|a| !a.starts_with('-')).map_or(argv.len(), |k| k + 1);
            &argv[k..]
        }
    };
    Some((name, rest))
}

/// The command the container runs, as words: ENTRYPOINT + CMD, shell form split into words.
pub fn final_argv(doc: &Document, f: &StageFacts) -> Option<Vec<String>> {
    let mut argv = Vec::new();
    let mut shell_entry = false;
    if let Some(e) = f.entrypoint {
        match doc.instructions[e].command()? {
            Command::Exec(v) => argv.extend(v.iter().cloned()),
            Command::Shell(s) => {
                argv.extend(commands(s, doc.escape).into_iter().next()?.argv);
                shell_entry = true;
            }
        }
    }
    if let (Some(c), false) = (f.cmd, shell_entry) {
        match doc.instructions[c].command()? {
            Command::Exec(v) => argv.extend(v.iter().cloned()),
            Command::Shell(s) => argv.extend(commands(s, doc.escape).into_iter().next()?.argv),
        }
    }
    // `sh -c "exec x"` → x
    if argv.len() >= 3 && matches!(argv[0].as_str(), "sh" | "/bin/sh" | "bash" | "/bin/bash") && argv[1] == "-c" {
        return commands(&argv[2], '\\').into_iter().next().map(|c| c.argv);
    }
    if argv.first().is_some_and(|a| a == "exec") {
        argv.remove(0);
    }
    Some(argv)
}
