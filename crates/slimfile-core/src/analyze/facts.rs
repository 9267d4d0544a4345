//! What the analysis finds: the facts of each stage ([`StageFacts`]) and of the whole file ([`Analysis`]).

use std::collections::HashMap;

use crate::knowledge::images_roles;
use crate::knowledge::packages::Role;
use crate::knowledge::releases::Release;
use crate::report::{ImageRef, RuntimeNeeds};
use crate::shell::SimpleCommand;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Eco {
    Go,
    Rust,
    Node,
    Python,
    Java,
    Dotnet,
    C,
    Ruby,
    Php,
    Static,
}

impl Eco {
    pub fn as_str(self) -> &'static str {
        match self {
            Eco::Go => "go",
            Eco::Rust => "rust",
            Eco::Node => "node",
            Eco::Python => "python",
            Eco::Java => "java",
            Eco::Dotnet => "dotnet",
            Eco::C => "c",
            Eco::Ruby => "ruby",
            Eco::Php => "php",
            Eco::Static => "static",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Eco> {
        Some(match s {
            "go" => Eco::Go,
            "rust" => Eco::Rust,
            "node" => Eco::Node,
            "python" => Eco::Python,
            "java" => Eco::Java,
            "dotnet" => Eco::Dotnet,
            "c" => Eco::C,
            "ruby" => Eco::Ruby,
            "php" => Eco::Php,
            "static" => Eco::Static,
            _ => return None,
        })
    }
}

/// The distribution a stage runs on, which decides libc and the package manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Distro {
    /// `codename` is None when the tag does not say (the image's current default).
    Debian { codename: Option<String> },
    Ubuntu { tag: Option<String> },
    Alpine { tag: Option<String> },
    Distroless,
    Scratch,
    Other(String),
    Unknown,
}

impl Distro {
    pub fn libc(&self) -> &'static str {
        match self {
            Distro::Debian { .. } | Distro::Ubuntu { .. } | Distro::Distroless => "glibc",
            Distro::Alpine { .. } => "musl",
            Distro::Scratch => "none",
            Distro::Other(_) | Distro::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug)]
pub struct PkgUse {
    pub manager: &'static str,
    pub name: String,
    pub role: Role,
    /// The runtime packages of a header package, for this stage's release.
    pub runtime: Vec<String>,
    /// A header package whose runtime library is not known for this stage's release.
    pub runtime_unknown: bool,
    /// `apk add --virtual NAME`: the group it can be removed by.
    pub group: Option<String>,
    /// The instruction that removes it again (`apk del`, `apt-get purge`), if any.
    pub removed: Option<usize>,
    pub toolchain: Option<String>,
    pub provided_by: Option<String>,
    pub inst: usize,
    /// The repository options of its install command, which an install of it elsewhere must repeat to get
    /// the same package, each as written there (`--repository URL`, `--allow-untrusted`).
    pub repositories: Vec<String>,
    /// Where it may come from a package source the stage set up (a sources.list entry, `add-apt-repository`,
    /// a line of /etc/apk/repositories, `apt-get install -t RELEASE`, `apk add name@tag`): the instruction that
    /// did. A runtime stage has only its image's default sources.
    pub extra_source: Option<usize>,
    /// Why a package the data counts as build-only stays at run time (the image runs it), for the note.
    pub kept_because: Option<&'static str>,
}

/// A package-manager install command, for the findings and the estimate.
#[derive(Clone, Debug)]
pub struct InstallCmd {
    pub manager: &'static str,
    pub inst: usize,
    pub no_recommends: bool,
    /// `rm -rf /var/lib/apt/lists/*` (or `apk --no-cache`) in the same RUN.
    pub cleans_lists: bool,
    /// Run by `xargs`: it installs the packages a list names too (the library gate's, in a runtime stage).
    pub from_list: bool,
}

/// A command of a RUN that builds or installs, with the environment it runs in.
#[derive(Clone, Debug)]
pub struct Step {
    pub inst: usize,
    pub tool: &'static str,
    pub cmd: SimpleCommand,
    /// Of the ENV and ARG defaults of the stage so far (and what the RUN exported), the [`STEP_VARS`];
    /// plus the command's own `A=1` prefix.
    pub env: HashMap<String, String>,
    /// The WORKDIR the command runs in.
    pub workdir: String,
}

/// The variables a step keeps from its stage, the ones its readers ask for. A copy of every variable with
/// each step would be quadratic (thousands of ENV lines each followed by a RUN: seconds, hundreds of MB).
/// Add a name here before asking `Step::var` for it.
pub const STEP_VARS: &[&str] = &[
    "CARGO_HOME",
    "CARGO_TARGET_DIR",
    "CGO_ENABLED",
    "GOARCH",
    "GOBIN",
    "GOFLAGS",
    "GOOS",
    "GOPATH",
    "NODE_ENV",
    "PIP_NO_CACHE_DIR",
    "VIRTUAL_ENV",
];

impl Step {
    pub fn var(&self, name: &str) -> Option<&str> {
        debug_assert!(STEP_VARS.contains(&name) || self.cmd.env.iter().any(|(k, _)| k == name), "add {name} to STEP_VARS");
        self.env.get(name).map(String::as_str)
    }

    /// An npm, yarn or pnpm install that leaves the dev dependencies out (`--omit=dev`, `--production`, or
    /// `NODE_ENV=production`, which npm reads as `--omit=dev`).
    pub fn omits_dev_dependencies(&self) -> bool {
        self.cmd.argv.iter().any(|a| matches!(a.as_str(), "--omit=dev" | "--production" | "--only=production" | "--only=prod" | "--prod"))
            || self.var("NODE_ENV") == Some("production")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArtKind {
    Binary,
    Jar,
    Folder,
    Venv,
    StaticSite,
    Publish,
}

impl ArtKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ArtKind::Binary => "binary",
            ArtKind::Jar => "jar",
            ArtKind::Folder => "folder",
            ArtKind::Venv => "venv",
            ArtKind::StaticSite => "static-site",
            ArtKind::Publish => "publish",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Art {
    pub path: String,
    pub kind: ArtKind,
    pub inst: usize,
}

/// Where a COPY or ADD from the build context (or a download) put files, read against the WORKDIR in force
/// at that instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub inst: usize,
    /// The absolute path: a named file or folder (`/hasher.rb`, `/app/templates`), or the folder an unnamed
    /// set of files went into.
    pub path: String,
    /// The files' names are not in the Dockerfile (`COPY . .`, a folder's contents, a pattern, an archive
    /// ADD unpacks): everything in `path` may be theirs.
    pub unnamed: bool,
    /// The `--chown` of the instruction.
    pub chown: Option<String>,
    /// The WORKDIR in force at the instruction.
    pub workdir: String,
}

/// The Linux release a stage's base image is built on, as the image knowledge says (docs/knowledge.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseRelease {
    pub release: Release,
    pub basis: ReleaseBasis,
}

/// How the knowledge tells a base image's release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseBasis {
    /// The tag names it (`1.22-bookworm`, `24-trixie-slim`, a distroless `-debian13` image).
    Named,
    /// The tag names none and resolves to it (`golang:1.26`: trixie). `current`: the tag is still
    /// updated, so its release may move to a newer one; `since`: the first day it had this one.
    Resolved { current: bool, since: Option<&'static str> },
    /// All the tags of its version were gone before the tag tables begin: an image of then, built on a
    /// release no newer than this one, the newest Debian release out before that day.
    BeforeTables,
}

#[derive(Clone, Debug)]
pub struct StageFacts {
    pub index: usize,
    pub image: Option<ImageRef>,
    pub role: Option<&'static images_roles::BaseImage>,
    pub distro: Distro,
    /// The release the base image is built on (inherited through `FROM <stage>`); `None` where the
    /// knowledge does not say.
    pub release: Option<BaseRelease>,
    /// Version of the toolchain in the base tag (`1.22`, `20`, `3.11`, `17`, `8.0`).
    pub version: Option<String>,
    pub eco: Option<Eco>,
    pub tools: Vec<&'static str>,
    pub packages: Vec<PkgUse>,
    pub installs: Vec<InstallCmd>,
    pub steps: Vec<Step>,
    pub artifacts: Vec<Art>,
    /// `(key, value, instruction)` of ENV instructions, in order.
    pub env: Vec<(String, String, usize)>,
    /// `(name, default, instruction)` of ARG instructions in the stage.
    pub args: Vec<(String, Option<String>, usize)>,
    pub workdir: String,
    pub user: Option<(String, usize)>,
    pub cmd: Option<usize>,
    pub entrypoint: Option<usize>,
    pub healthcheck: Option<usize>,
    pub shell: Option<usize>,
    pub expose: Vec<(String, usize)>,
    pub volumes: Vec<(String, usize)>,
    /// What the stage's COPY and ADD (without `--from`) put where, in order.
    pub placed: Vec<Placed>,
    /// A RUN computes runtime packages while building (`scanelf … | apk add $runDeps`).
    pub computed_runtime_deps: bool,
    /// The first instruction that adds a package source (see [`PkgUse::extra_source`]).
    pub source_added: Option<usize>,
}

impl StageFacts {
    /// The manager key and the Debian package set an install of this stage (the root of its FROM chain)
    /// adds to, for `knowledge::debian::package_size`: Alpine and Ubuntu packages are mapped onto Debian's
    /// closures over the `debian` set; a Debian image's set follows its repository and variant.
    pub fn package_set(&self) -> (&'static str, &'static str) {
        let Some(img) = &self.image else { return ("apt", "debian") };
        let tag = img.tag.as_deref().unwrap_or("latest");
        match &self.distro {
            Distro::Alpine { .. } => ("apk", "debian"),
            Distro::Ubuntu { .. } => ("apt-ubuntu", "debian"),
            _ => ("apt", crate::knowledge::debian::base_for(&img.repository, tag).unwrap_or("debian")),
        }
    }

    /// The Debian or Ubuntu codename the stage's packages come from: the one the tag names, else the
    /// release the tag resolves to ([`StageFacts::release`]); `None` when neither says.
    pub fn codename(&self) -> Option<String> {
        let resolved = || self.release.filter(|r| r.release.distro == "debian").map(|r| r.release.name.to_owned());
        match &self.distro {
            Distro::Debian { codename } => codename.clone().or_else(resolved),
            Distro::Ubuntu { tag } => images_roles::ubuntu_codename(tag.as_deref()),
            _ => None,
        }
    }

    pub fn has_tool(&self, t: &str) -> bool {
        self.tools.contains(&t)
    }

    pub fn steps_of<'a>(&'a self, tool: &'a str) -> impl Iterator<Item = &'a Step> + 'a {
        self.steps.iter().filter(move |s| s.tool == tool)
    }

    pub fn env_value(&self, key: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _, _)| k == key).map(|(_, v, _)| v.as_str())
    }

    pub fn build_packages(&self) -> impl Iterator<Item = &PkgUse> {
        self.packages.iter().filter(|p| p.role == Role::Build)
    }
}

#[derive(Clone, Debug)]
pub struct Analysis {
    pub stages: Vec<StageFacts>,
    /// The simple commands of every RUN ([`crate::shell::run_commands`]: wrappers such as `sudo` removed), by instruction
    /// index; empty for the others.
    /// Read once here for the findings, the rewrite and the estimate.
    pub commands: Vec<Vec<SimpleCommand>>,
    /// Header packages of the target stage whose runtime library slimfile does not know.
    pub unmapped_dev: Vec<String>,
    /// What the target stage's app needs at run time.
    pub needs: RuntimeNeeds,
}

impl Analysis {
    /// The simple commands of RUN instruction `i` as written.
    pub fn commands(&self, i: usize) -> &[SimpleCommand] {
        self.commands.get(i).map_or(&[], Vec::as_slice)
    }
}
