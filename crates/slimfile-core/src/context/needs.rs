//! What the context proves the app needs at run time: the runtime library of each native package that
//! compiles against a system library (npm, PyPI and RubyGems packages of the app's own ecosystem, on a
//! Debian or Ubuntu builder, whose full language images hold those libraries' headers), and the tools a
//! compose health check runs inside the container.
//!
//! The header package → runtime package mapping, per release, is `data/packages.json`'s.

use super::{Need, NeedKind, Project};
use crate::analyze::{Analysis, Distro, Eco};
use crate::knowledge::packages;
use crate::knowledge::project_packages::{self as known, Kind};
use crate::shell::commands;

/// Programs a health check runs that are OS packages of the same name (as for a HEALTHCHECK).
const HEALTH_TOOLS: &[&str] = &["curl", "wget", "nc"];

pub fn read(p: &Project, analysis: &Analysis) -> Vec<Need> {
    let mut out = Vec::new();
    let Some(f) = analysis.stages.last() else { return out };
    for h in &p.context.healthchecks {
        let (shell, programs): (bool, Vec<String>) = match h.test.split_first() {
            Some((k, rest)) if k == "CMD" => (false, rest.first().cloned().into_iter().collect()),
            Some((k, rest)) if k == "CMD-SHELL" => (true, rest.iter().flat_map(|s| commands(s, '\\')).map(|c| c.program().to_owned()).collect()),
            Some((k, _)) if k == "NONE" => continue,
            Some(_) => (true, h.test.iter().flat_map(|s| commands(s, '\\')).map(|c| c.program().to_owned()).collect()),
            None => continue,
        };
        if shell {
            out.push(Need { what: NeedKind::Shell, why: format!("{}'s healthcheck runs /bin/sh -c", h.source), file: h.source.clone() });
        }
        for prog in programs {
            let base = prog.rsplit('/').next().unwrap_or(&prog).to_owned();
            if HEALTH_TOOLS.contains(&base.as_str()) {
                out.push(Need { what: NeedKind::Package(base.clone()), why: format!("{}'s healthcheck runs `{base}` inside the container", h.source), file: h.source.clone() });
            }
        }
    }
    if !matches!(f.distro, Distro::Debian { .. } | Distro::Ubuntu { .. }) {
        return out;
    }
    let codename = f.codename();
    let mut native: Vec<(&'static known::Package, String)> = Vec::new();
    match f.eco {
        Some(Eco::Node) => {
            if let Some(pj) = &p.package_json {
                let from = |name: &str| if pj.dependencies.iter().any(|d| d == name) { pj.path.clone() } else { pj.lockfile.clone().unwrap_or_else(|| pj.path.clone()) };
                native.extend(pj.native().into_iter().map(|k| (k, from(k.name))));
            }
        }
        Some(Eco::Python) => {
            if let Some(d) = &p.python {
                native.extend(d.packages.iter().filter_map(|n| known::find_kind("pypi", n, Kind::Links)).map(|k| (k, d.file.clone())));
            }
        }
        Some(Eco::Ruby) => {
            if let Some(g) = &p.gems {
                native.extend(g.gems.iter().filter(|(_, v)| !super::gemfile::Gems::precompiled(v)).filter_map(|(n, _)| known::find_kind("rubygems", n, Kind::Links)).map(|k| (k, g.path.clone())));
            }
        }
        _ => {}
    }
    // What package.json names itself first: its note is the one a reader recognises.
    native.sort_by_key(|(_, file)| !file.ends_with("package.json"));
    for (k, file) in native.into_iter().filter(|(k, _)| k.kind == Kind::Links) {
        let verb = if file.ends_with("package.json") { "depends on" } else { "lists" };
        for h in k.headers {
            let why = format!("{file} {verb} {}, which is compiled against {h}", k.name);
            match packages::lookup("apt", h).1.and_then(|e| packages::runtime_for(e, codename.as_deref())) {
                Some(libs) => {
                    for l in libs {
                        if !out.iter().any(|n| n.what == NeedKind::Package(l.clone())) {
                            out.push(Need { what: NeedKind::Package(l), why: why.clone(), file: file.clone() });
                        }
                    }
                }
                None => out.push(Need { what: NeedKind::UnknownLibrary((*h).to_owned()), why, file: file.clone() }),
            }
        }
    }
    out
}

/// The packages of a Python or Ruby app's complete or partial set, by what the data knows of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Classified {
    /// The file the set comes from.
    pub file: String,
    /// The file lists every installed package (a lockfile, pip-compile's output, Gemfile.lock).
    pub complete: bool,
    pub pure: Vec<String>,
    /// Native code with its libraries inside (wheels, precompiled gems).
    pub bundled: Vec<String>,
    /// Native code compiled against system libraries (their runtime packages are needs).
    pub links: Vec<String>,
    /// Not in the data.
    pub unknown: Vec<String>,
}

pub fn classify(p: &Project, eco: Eco) -> Option<Classified> {
    let (file, complete, names, ecosystem): (String, bool, Vec<(String, bool)>, &str) = match eco {
        Eco::Python => {
            let d = p.python.as_ref()?;
            (d.file.clone(), d.complete, d.packages.iter().map(|n| (n.clone(), false)).collect(), "pypi")
        }
        Eco::Ruby => {
            let g = p.gems.as_ref()?;
            (g.path.clone(), true, g.gems.iter().map(|(n, v)| (n.clone(), super::gemfile::Gems::precompiled(v))).collect(), "rubygems")
        }
        _ => return None,
    };
    let mut c = Classified { file, complete, ..Classified::default() };
    for (name, precompiled) in names {
        let kinds: Vec<Kind> = known::find(ecosystem, &name).map(|k| k.kind).collect();
        let list = if kinds.contains(&Kind::Links) && !precompiled {
            &mut c.links
        } else if kinds.contains(&Kind::Bundled) || precompiled {
            &mut c.bundled
        } else if kinds.contains(&Kind::Pure) {
            &mut c.pure
        } else {
            &mut c.unknown
        };
        if !list.contains(&name) {
            list.push(name);
        }
    }
    Some(c)
}
