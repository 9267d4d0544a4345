//! Which packages are build-only, which are needed at run time (`data/packages.json`).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Build,
    Runtime,
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Build => "build",
            Role::Runtime => "runtime",
            Role::Unknown => "unknown",
        }
    }
}

/// One entry of the file, as the engine uses it (its source stays in the file).
#[derive(Clone, Debug)]
pub struct PackageEntry {
    pub manager: &'static str,
    pub name: &'static str,
    pub role: Role,
    /// For a header package: the runtime package(s) holding the library it builds against.
    pub runtime: &'static [&'static str],
    /// The toolchain the package is (`go`, `rust`, `node`, `python`, `java`).
    pub toolchain: Option<&'static str>,
    /// The smallest runtime family that already contains it (`distroless/static`, …).
    pub provided_by: Option<&'static str>,
    /// A header package whose library every image of the distribution already has (libc6-dev).
    pub header_only: bool,
    /// `runtime` for releases whose library is named differently (`bullseye: libssl1.1`), sorted.
    pub runtime_by_release: &'static [(&'static str, &'static [&'static str])],
}

#[derive(Clone, Debug)]
pub struct Pattern {
    pub manager: &'static str,
    pub suffix: Option<&'static str>,
    pub prefix: Option<&'static str>,
    pub role: Role,
}

// PACKAGES (sorted by manager family and name), PATTERNS, FETCH_TOOLS, INTERACTIVE_TOOLS, FETCH_COMMANDS,
// OTHER_BUILDERS, APK_NO_CACHE_SINCE.
include!(concat!(env!("OUT_DIR"), "/packages.rs"));

/// Whether the apk of an `alpine` image tag has `--no-cache` (`apk_no_cache` in the file): a tag naming an
/// older release (`3.1`, `3.2.3`) has not; any other (`3.22`, `3`, `latest`, `edge`) has.
pub fn apk_has_no_cache(tag: &str) -> bool {
    let mut parts = tag.split(['.', '-']);
    match (parts.next().and_then(|m| m.parse::<u32>().ok()), parts.next().and_then(|m| m.parse::<u32>().ok())) {
        (Some(major), Some(minor)) => (major, minor) >= APK_NO_CACHE_SINCE,
        (Some(major), None) => major >= APK_NO_CACHE_SINCE.0,
        _ => true,
    }
}

/// What a build-only package is for (`purposes` in the file): compiling (compilers, build systems,
/// headers: everything not listed), fetching (downloading, verifying, unpacking, adding package sources)
/// or a person in a shell (editors, pagers, debuggers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildUse {
    Compile,
    Fetch,
    Interactive,
}

/// What the build-only package `name` is for.
pub fn build_use(name: &str) -> BuildUse {
    if FETCH_TOOLS.binary_search(&name).is_ok() {
        BuildUse::Fetch
    } else if INTERACTIVE_TOOLS.binary_search(&name).is_ok() {
        BuildUse::Interactive
    } else {
        BuildUse::Compile
    }
}

/// The programs the fetch package `name` provides that a RUN calls to fetch (`gnupg`: gpg, apt-key); a
/// package the data does not list provides the program of its own name.
pub fn fetch_commands(name: &str) -> Vec<&str> {
    match FETCH_COMMANDS.binary_search_by(|(n, _)| (*n).cmp(name)) {
        Ok(i) => FETCH_COMMANDS[i].1.to_vec(),
        Err(_) => vec![name],
    }
}

/// What the build tool is (`Bazel`) when `program` called with `args` builds with a tool slimfile knows
/// but does not convert (`other_builders` in the file): any call, or the first word that is not an option
/// is one of the tool's building subcommands (`bazel --batch build //app`).
pub fn other_builder(program: &str, args: &[String]) -> Option<&'static str> {
    let i = OTHER_BUILDERS.binary_search_by(|(c, _, _)| (*c).cmp(program)).ok()?;
    let (_, subcommands, what) = OTHER_BUILDERS[i];
    let builds = subcommands.is_empty() || args.iter().find(|a| !a.starts_with('-')).is_some_and(|a| subcommands.contains(&a.as_str()));
    builds.then_some(what)
}

/// Every entry, sorted by manager family and name.
pub fn all() -> &'static [PackageEntry] {
    PACKAGES
}

/// Every pattern, in the file's order.
pub fn patterns() -> &'static [Pattern] {
    PATTERNS
}

/// The entry of (manager family, name): `lookup` runs for every package of every install. Of two
/// entries with one key the file's first wins (the table is sorted stably).
fn entry(family_: &str, name: &str) -> Option<&'static PackageEntry> {
    let i = PACKAGES.partition_point(|e| (family(e.manager), e.name) < (family_, name));
    PACKAGES.get(i).filter(|e| family(e.manager) == family_ && e.name == name)
}

/// apt, apk, dnf, yum and microdnf share names often enough that an entry for one manager is a fallback
/// for the others of the same family.
fn family(manager: &str) -> &str {
    match manager {
        "yum" | "microdnf" => "dnf",
        m => m,
    }
}

/// Releases whose library packages were renamed for the 64-bit time_t transition (`libssl3t64`): a
/// mapping counts there only when `runtime_by_release` names it. Source: https://wiki.debian.org/ReleaseGoals/64bit-time
const T64_RELEASES: &[&str] = &["trixie", "noble", "forky", "plucky"];

/// The runtime packages of a header package on a release (`None`: not known there).
pub fn runtime_for(e: &PackageEntry, codename: Option<&str>) -> Option<Vec<String>> {
    let owned = |r: &[&str]| r.iter().map(|s| (*s).to_owned()).collect();
    if let Some(c) = codename {
        if let Some((_, r)) = e.runtime_by_release.iter().find(|(k, _)| *k == c) {
            return Some(owned(r));
        }
        if T64_RELEASES.contains(&c) && !e.runtime.is_empty() {
            return None;
        }
        // Names that differ between releases (libicu72, libgdal32) count only on the releases the entry names
        // (scripts/dev-runtime-packages.py writes every release it reads for them): on another one, the
        // default's name may not exist.
        if e.runtime_by_release.iter().any(|(_, r)| *r != e.runtime) {
            return None;
        }
    }
    Some(owned(e.runtime))
}

/// What slimfile knows of a package, with the role from a pattern when no entry names it.
pub fn lookup(manager: &str, name: &str) -> (Role, Option<&'static PackageEntry>) {
    let m = family(manager);
    if let Some(e) = entry(m, name) {
        return (e.role, Some(e));
    }
    for p in PATTERNS {
        if family(p.manager) != m {
            continue;
        }
        let suffix_ok = p.suffix.is_none_or(|s| name.ends_with(s));
        let prefix_ok = p.prefix.is_none_or(|s| name.starts_with(s));
        if suffix_ok && prefix_ok {
            return (p.role, None);
        }
    }
    (Role::Unknown, None)
}

#[cfg(test)]
mod tests {
    #[test]
    fn build_packages_say_what_they_are_for() {
        assert_eq!(build_use("curl"), BuildUse::Fetch);
        assert_eq!(build_use("software-properties-common"), BuildUse::Fetch);
        assert_eq!(build_use("htop"), BuildUse::Interactive);
        assert_eq!(build_use("gcc"), BuildUse::Compile);
        assert_eq!(build_use("libssl-dev"), BuildUse::Compile);
        // Every tool a purpose lists is a build-only package where the file has an entry for it.
        for name in FETCH_TOOLS.iter().chain(INTERACTIVE_TOOLS) {
            for manager in ["apt", "apk"] {
                if let (role, Some(_)) = lookup(manager, name) {
                    assert_eq!(role, Role::Build, "{manager} {name}");
                }
            }
        }
    }

    use super::*;

    #[test]
    fn loads_sorted() {
        assert!(PACKAGES.len() >= 30);
        for w in PACKAGES.windows(2) {
            assert!((family(w[0].manager), w[0].name) <= (family(w[1].manager), w[1].name));
        }
    }

    #[test]
    fn roles() {
        assert_eq!(lookup("apt", "build-essential").0, Role::Build);
        assert_eq!(lookup("apt", "libxml2-dev").0, Role::Build);
        assert_eq!(lookup("apt", "libxml2").0, Role::Runtime);
        assert_eq!(lookup("apt", "libpq-dev").1.unwrap().runtime, ["libpq5"]);
        assert_eq!(lookup("apk", "build-base").0, Role::Build);
        assert_eq!(lookup("apt", "some-daemon").0, Role::Unknown);
    }

    #[test]
    fn release_specific_names_count_only_where_named() {
        let runtime = |dev: &str, codename: &str| runtime_for(lookup("apt", dev).1.unwrap(), Some(codename));
        let names = |v: &[&str]| Some(v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        // The same name everywhere: a release the data does not list gets it too.
        assert_eq!(runtime("libsqlite3-dev", "buster"), names(&["libsqlite3-0"]));
        assert_eq!(runtime("libsqlite3-dev", "noble"), names(&["libsqlite3-0"]));
        // A name per release: each release read has its own, another one has none (bookworm's would not install).
        assert_eq!(runtime("libgdal-dev", "bookworm"), names(&["libgdal32"]));
        assert_eq!(runtime("libgdal-dev", "jammy"), names(&["libgdal30"]));
        assert_eq!(runtime("libgdal-dev", "buster"), None);
        assert_eq!(runtime("libicu-dev", "bionic"), None);
        assert_eq!(runtime("libmariadb-dev", "trixie"), names(&["libmariadb3"]));
        assert_eq!(runtime("libluajit-5.1-dev", "noble"), names(&["libluajit-5.1-2"]));
    }
}
