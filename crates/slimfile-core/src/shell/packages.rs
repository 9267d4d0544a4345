//! The OS package managers as one table: each manager's name (the one `knowledge::packages` knows it
//! by), its subcommands that install and remove, and its options that take a value; and the one reading
//! of an install or removal command that the analysis, the findings and the estimate share.

use std::collections::HashMap;

use super::commands::{subcommand, SimpleCommand};
use super::lex::expand;

/// An OS package manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Manager {
    /// The name `knowledge::packages` knows it by: `apt`, `apk`, `dnf`, `yum`, `microdnf`.
    pub name: &'static str,
    /// Options whose value is the next word (`-o Acquire::Retries=3`, `--virtual .deps`).
    pub value_options: &'static [&'static str],
    pub install: &'static [&'static str],
    pub remove: &'static [&'static str],
    /// Where a package word's version, architecture or repository tag starts (`gcc-12=12.2`, `curl>8`,
    /// `libpq-dev:amd64`, apk's `curl@edge`).
    marks: &'static [char],
}

const APT: Manager = Manager {
    name: "apt",
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
    marks: &['=', '>', '<', '~', ':'],
};
const APK: Manager = Manager {
    name: "apk",
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
    marks: &['=', '>', '<', '~', '@'],
};
const DNF: Manager = Manager {
    name: "dnf",
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
    marks: &['=', '>', '<', '~'],
};
const YUM: Manager = Manager { name: "yum", ..DNF };
const MICRODNF: Manager = Manager { name: "microdnf", ..DNF };

/// The package manager `c` runs, if any (`tdnf`, Photon's and Azure Linux's, reads as dnf).
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
    manager(c).is_some_and(|m| m.name == "apt")
}

/// `apt-get … <sub>` / `apk <sub>`: the subcommand, option values skipped.
pub fn manager_subcommand(c: &SimpleCommand) -> Option<&str> {
    manager(c).and_then(|m| subcommand(c, m.value_options).0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Install,
    Remove,
}

/// A package named by an install or removal command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Version, architecture and repository tag cut (`gcc-12=12.2` → `gcc-12`).
    pub name: String,
    /// apk's `name@tag`: from a repository tagged in /etc/apk/repositories.
    pub tagged: bool,
}

/// An install or removal command as the package manager reads it.
#[derive(Clone, Debug)]
pub struct PackageCommand {
    pub manager: Manager,
    pub action: Action,
    /// What it names, with the shell variables of the RUN expanded (`apt-get install $buildDeps`). A word
    /// that cannot be a package name is left out (an option, a local `.deb`, a path, a variable slimfile
    /// cannot expand, a command substitution); a removal keeps apk's `--virtual` group names
    /// (`apk del .build-deps`).
    pub packages: Vec<Package>,
}

impl PackageCommand {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.packages.iter().map(|p| p.name.as_str())
    }
}

/// `c` read as an install or a removal of packages; `None` when it is neither. `vars` are the shell
/// variables the command sees.
pub fn read(c: &SimpleCommand, vars: &HashMap<String, String>) -> Option<PackageCommand> {
    let manager = manager(c)?;
    let (sub, rest) = subcommand(c, manager.value_options);
    let sub = sub?;
    let action = if manager.install.contains(&sub) {
        Action::Install
    } else if manager.remove.contains(&sub) {
        Action::Remove
    } else {
        return None;
    };
    let mut packages = Vec::new();
    for w in rest {
        let w = expand(w, vars).text;
        // A command substitution (`runDeps="$(scanelf … )"`) is known only when the build runs.
        if w.contains(['$', '`']) {
            continue;
        }
        for w in w.split_whitespace() {
            if let Some(p) = package(manager, action, w) {
                packages.push(p);
            }
        }
    }
    Some(PackageCommand { manager, action, packages })
}

/// The package a word names, if it can name one.
fn package(m: Manager, action: Action, w: &str) -> Option<Package> {
    if w.starts_with('-') || w.contains(['$', '/']) || w.ends_with(".deb") || w.ends_with(".rpm") {
        return None;
    }
    let (name, tagged) = match w.find(m.marks) {
        Some(i) => (&w[..i], w[i..].starts_with('@')),
        None => (w, false),
    };
    // Only what can be a package name: a word like `\` or `"x` would end up in the runtime stage's install
    // line (`apk add bash \` would swallow the next line: tests/regressions.rs). A name starting with `.` is an apk group.
    let name_like = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '_' | '-'));
    if name.is_empty() || !name_like || action == Action::Install && name.starts_with('.') {
        return None;
    }
    Some(Package { name: name.to_owned(), tagged })
}

/// apk's `--virtual NAME` (`-t NAME`): the group an install's packages can be removed by.
pub fn group(c: &SimpleCommand, m: Manager) -> Option<&str> {
    c.option(&["--virtual", "-t"]).filter(|_| m.name == "apk")
}

/// apt's `-t RELEASE`: the packages come from a release the image's default sources may not have.
pub fn target_release(c: &SimpleCommand, m: Manager) -> bool {
    m.name == "apt" && c.has_flag(&["-t", "--target-release", "--default-release"])
}

/// A file that configures where packages come from: an apt source list or apk's repository list.
pub fn is_package_source(path: &str) -> bool {
    path.starts_with("/etc/apt/sources.list") || path == "/etc/apk/repositories"
}

/// The options of an install that choose the repositories its packages come from and that an install of
/// the same packages elsewhere repeats: apk's `--repository URL` (`-X URL`) and `--allow-untrusted`.
/// (apt's `-t RELEASE` names a source the image must have: [`target_release`].)
pub fn repository_options(c: &SimpleCommand, m: Manager, vars: &HashMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if m.name != "apk" {
        return out;
    }
    let mut it = c.argv.iter().skip(1);
    while let Some(a) = it.next() {
        let url = match a.as_str() {
            "--repository" | "-X" => it.next().cloned(),
            "--allow-untrusted" => {
                if !out.iter().any(|o| o == a) {
                    out.push(a.clone());
                }
                None
            }
            _ => a.strip_prefix("--repository=").or_else(|| a.strip_prefix("-X").filter(|r| !r.is_empty())).map(str::to_owned),
        };
        if let Some(url) = url {
            // An unknown variable stays as written: the caller finds a repository it cannot repeat.
            let e = expand(&url, vars);
            out.push(format!("--repository {}", if e.unresolved.is_empty() { e.text } else { url }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::commands;

    fn one(s: &str) -> SimpleCommand {
        commands(s, '\\').remove(0)
    }

    fn names(s: &str, vars: &[(&str, &str)]) -> Vec<String> {
        let vars = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        read(&one(s), &vars).map(|p| p.names().map(str::to_owned).collect()).unwrap_or_default()
    }

    #[test]
    fn package_names() {
        let c = one("apt-get -o Acquire::Retries=3 install -y --no-install-recommends gcc-12=12.2 libpq-dev:amd64 ./local.deb");
        assert_eq!(manager_subcommand(&c), Some("install"));
        let p = read(&c, &HashMap::new()).unwrap();
        assert_eq!((p.action, p.names().collect::<Vec<_>>()), (Action::Install, vec!["gcc-12", "libpq-dev"]));
        let c = one("apk add --no-cache --virtual .deps gcc musl-dev>1 curl@edge");
        let p = read(&c, &HashMap::new()).unwrap();
        assert_eq!(p.names().collect::<Vec<_>>(), ["gcc", "musl-dev", "curl"]);
        assert_eq!(p.packages.iter().map(|p| p.tagged).collect::<Vec<_>>(), [false, false, true]);
        assert_eq!(group(&c, p.manager), Some(".deps"));
        assert_eq!(names("apk del .deps", &[]), [".deps"], "a removal names groups too");
        assert_eq!(names("tdnf install -y --setopt x=1 gcc", &[]), ["gcc"]);
        assert_eq!(names("apt-get install -y -a arm64 $DEPS x=$V", &[("DEPS", "gcc make")]), ["gcc", "make", "x"]);
        assert_eq!(names("apk add $R curl", &[("R", "$( scanelf --needed /usr | sort -u )")]), ["curl"]);
        assert!(read(&one("apt-get update"), &HashMap::new()).is_none());
        assert_eq!(read(&one("sudo apt-get autoremove -y"), &HashMap::new()).unwrap().action, Action::Remove);
    }
}
