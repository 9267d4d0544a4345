//! Reading the commands of a RUN line the way the rules need: wrappers removed, package managers'
//! subcommands and package names, pip, `rm` of a path. Not a rule.

use crate::words::SimpleCommand;

pub fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

pub fn is_shell(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh")
}

fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Removes the commands that only run another one: `sudo [-u x] A=1 apt-get …`, `env A=1 …`,
/// `nice -n 5 …`, `nohup …`, `time …`, `exec …`, `command …`, and the shell reserved words that can
/// start a command (`then`, `do`, `!`, …). Assignments they carry go to `env`.
pub fn unwrap(c: &SimpleCommand) -> SimpleCommand {
    let mut env = c.env.clone();
    let mut k = 0;
    let argv = &c.argv;
    while let Some(first) = argv.get(k) {
        // Shell reserved words that start a compound command: `if x; then apt-get update; fi` reads as
        // `then apt-get update` in `words::commands`.
        if matches!(first.as_str(), "if" | "then" | "else" | "elif" | "while" | "until" | "do" | "!" | "{") {
            k += 1;
            continue;
        }
        let with_value: &[&str] = match basename(first) {
            "sudo" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group"],
            "env" => &["-u", "--unset", "-C", "--chdir", "-S"],
            "nice" => &["-n", "--adjustment"],
            "nohup" | "time" | "exec" | "command" => &[],
            _ => break,
        };
        k += 1;
        while let Some(a) = argv.get(k) {
            if a == "--" {
                k += 1;
                break;
            }
            if a.starts_with('-') {
                k += if with_value.contains(&a.as_str()) { 2 } else { 1 };
            } else if is_assignment(a) {
                if let Some((n, v)) = a.split_once('=') {
                    env.push((n.to_owned(), v.to_owned()));
                }
                k += 1;
            } else {
                break;
            }
        }
    }
    SimpleCommand { env, argv: argv.get(k..).map_or_else(Vec::new, <[String]>::to_vec), writes: c.writes.clone() }
}

/// The first argument that is not an option (nor the value of one of `value_options`), and the
/// non-option arguments after it.
pub fn subcommand<'c>(c: &'c SimpleCommand, value_options: &[&str]) -> (Option<&'c str>, Vec<&'c str>) {
    let mut sub = None;
    let mut rest = Vec::new();
    let mut it = c.argv.iter().skip(1);
    let mut options_done = false;
    while let Some(a) = it.next() {
        if !options_done && a == "--" {
            options_done = true;
            continue;
        }
        if !options_done && a.starts_with('-') && a.len() > 1 {
            if value_options.contains(&a.as_str()) {
                it.next();
            }
            continue;
        }
        if sub.is_none() {
            sub = Some(a.as_str());
        } else {
            rest.push(a.as_str());
        }
    }
    (sub, rest)
}

/// An OS package manager: the name `knowledge::packages` knows it by, and its options that take a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Manager {
    pub lookup: &'static str,
    pub value_options: &'static [&'static str],
    pub install: &'static [&'static str],
    pub remove: &'static [&'static str],
}

const APT: Manager = Manager {
    lookup: "apt",
    value_options: &[
        "-o",
        "--option",
        "-c",
        "--config-file",
        "-t",
        "--target-release",
        "--default-release",
        "-a",
        "--host-architecture",
    ],
    install: &["install"],
    remove: &["remove", "purge", "autoremove"],
};
const APK: Manager = Manager {
    lookup: "apk",
    value_options: &[
        "-t",
        "--virtual",
        "-X",
        "--repository",
        "-p",
        "--root",
        "--arch",
        "--cache-dir",
        "--keys-dir",
        "--repositories-file",
    ],
    install: &["add"],
    remove: &["del"],
};
const DNF: Manager = Manager {
    lookup: "dnf",
    value_options: &[
        "-c",
        "--config",
        "--releasever",
        "--installroot",
        "-x",
        "--exclude",
        "--repo",
        "--repoid",
        "--setopt",
        "--enablerepo",
        "--disablerepo",
    ],
    install: &["install"],
    remove: &["remove", "erase", "autoremove"],
};
const YUM: Manager = Manager { lookup: "yum", ..DNF };
const MICRODNF: Manager = Manager { lookup: "microdnf", ..DNF };

pub fn manager(c: &SimpleCommand) -> Option<Manager> {
    match c.program() {
        "apt-get" | "apt" => Some(APT),
        "apk" => Some(APK),
        "dnf" | "tdnf" => Some(DNF),
        "yum" => Some(YUM),
        "microdnf" => Some(MICRODNF),
        _ => None,
    }
}

pub fn is_apt(c: &SimpleCommand) -> bool {
    matches!(c.program(), "apt-get" | "apt")
}

/// `apt-get … <sub>` / `apk <sub>`: the subcommand.
pub fn manager_subcommand(c: &SimpleCommand) -> Option<&str> {
    manager(c).and_then(|m| subcommand(c, m.value_options).0)
}

/// The packages an install (or removal) command names, versions and releases stripped; `None` when
/// the command is neither.
pub fn packages(
    c: &SimpleCommand,
    subcommands: fn(&Manager) -> &'static [&'static str],
) -> Option<(Manager, Vec<&str>)> {
    let m = manager(c)?;
    let (sub, rest) = subcommand(c, m.value_options);
    if !subcommands(&m).contains(&sub?) {
        return None;
    }
    let names = rest
        .into_iter()
        .filter(|w| {
            !w.contains('$') && !w.contains('/') && !w.ends_with(".deb") && !w.ends_with(".rpm") && !w.is_empty()
        })
        .map(|w| package_name(m, w))
        .filter(|w| !w.is_empty())
        .collect();
    Some((m, names))
}

fn package_name(m: Manager, w: &str) -> &str {
    let cut: &[char] = match m.lookup {
        "apt" => &['=', ':'],
        "apk" => &['=', '~', '>', '<', '@'],
        _ => &[],
    };
    // `apt-get install gcc-12=12.2` → `gcc-12`; `apk add curl>8` → `curl`; `libfoo:amd64` → `libfoo`.
    w.find(cut).map_or(w, |i| &w[..i])
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(p: &str) -> bool {
    p.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(p: &str) -> bool {
    p.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `pip install …` or `python -m pip install …`.
pub fn is_pip_install(c: &SimpleCommand) -> bool {
    let p = c.program();
    if is_pip(p) {
        return subcommand(c, &[]).0 == Some("install");
    }
    if is_python(p) {
        if let Some(m) = c.argv.iter().position(|a| a == "-m") {
            if c.argv.get(m + 1).is_some_and(|a| is_pip(a)) {
                return c.argv[m + 2..].iter().find(|a| !a.starts_with('-')).is_some_and(|a| a == "install");
            }
        }
    }
    false
}

/// Whether any `rm` among `cmds` removes a path that passes `path`.
pub fn removes(cmds: &[SimpleCommand], path: impl Fn(&str) -> bool) -> bool {
    cmds.iter().any(|c| c.program() == "rm" && c.positional(0).any(&path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::commands;

    fn one(s: &str) -> SimpleCommand {
        unwrap(&commands(s, '\\').remove(0))
    }

    #[test]
    fn wrappers_are_removed() {
        let c = one("sudo -u root DEBIAN_FRONTEND=noninteractive apt-get install -y gcc");
        assert_eq!(c.argv, ["apt-get", "install", "-y", "gcc"]);
        assert_eq!(c.env, vec![("DEBIAN_FRONTEND".to_owned(), "noninteractive".to_owned())]);
        assert_eq!(one("nice -n 5 make").argv, ["make"]);
        let cmds: Vec<SimpleCommand> =
            commands("if [ -f x ]; then apt-get update; fi; for d in a; do rm -rf $d; done", '\\')
                .iter()
                .map(unwrap)
                .collect();
        let programs: Vec<&str> = cmds.iter().map(|c| c.program()).collect();
        // `words::commands` drops the reserved words that end compound commands (`fi`, `done`).
        assert_eq!(programs, ["[", "apt-get", "for", "rm"]);
    }

    #[test]
    fn package_names() {
        let c = one(
            "apt-get -o Acquire::Retries=3 install -y --no-install-recommends gcc-12=12.2 libpq-dev:amd64 ./local.deb",
        );
        assert_eq!(manager_subcommand(&c), Some("install"));
        let (_, names) = packages(&c, |m| m.install).unwrap();
        assert_eq!(names, ["gcc-12", "libpq-dev"]);
        let c = one("apk add --no-cache --virtual .deps gcc musl-dev>1 curl@edge");
        assert_eq!(packages(&c, |m| m.install).unwrap().1, ["gcc", "musl-dev", "curl"]);
        assert!(packages(&c, |m| m.remove).is_none());
    }

    #[test]
    fn pip() {
        assert!(is_pip_install(&one("pip3.12 install -r req.txt")));
        assert!(is_pip_install(&one("python3 -m pip install --upgrade pip")));
        assert!(!is_pip_install(&one("pip download x")));
        assert!(!is_pip_install(&one("pipx install x")));
    }
}
