//! Step 3, analyze: for each stage, the ecosystem and build tools, the commands that build, the
//! artifacts they produce, the packages installed (build-only or runtime), and for the target stage what
//! the app needs at run time. Pure reading: never fails, never guesses silently (unknowns stay `None`).

use std::collections::HashMap;

use crate::image;
use crate::knowledge::images_roles;
use crate::knowledge::packages::{self, Role};
use crate::model::{Model, Stage};
use crate::report::{ImageRef, RuntimeNeeds, StageBase};
use crate::shell::packages::{self as shell_packages, is_package_source, repository_options, Action, PackageCommand};
use crate::shell::{commands, expand, key_values, referenced_vars, run_commands, shell_syntax, SimpleCommand};
use crate::syntax::{Args, Command, Document, Kind};

mod made;
pub use made::{made_files, Made};

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

    fn parse(s: &str) -> Option<Eco> {
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
}

/// A package-manager install command, for the findings and the estimate.
#[derive(Clone, Debug)]
pub struct InstallCmd {
    pub manager: &'static str,
    pub inst: usize,
    pub no_recommends: bool,
    /// `rm -rf /var/lib/apt/lists/*` (or `apk --no-cache`) in the same RUN.
    pub cleans_lists: bool,
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
/// each step was quadratic (thousands of ENV lines each followed by a RUN: seconds, hundreds of MB).
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
}

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

#[derive(Clone, Debug)]
pub struct StageFacts {
    pub index: usize,
    pub image: Option<ImageRef>,
    pub role: Option<&'static images_roles::BaseImage>,
    pub distro: Distro,
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
    /// A RUN computes runtime packages while building (`scanelf … | apk add $runDeps`).
    pub computed_runtime_deps: bool,
    /// The first instruction that adds a package source (see [`PkgUse::extra_source`]).
    pub source_added: Option<usize>,
}

impl StageFacts {
    /// The Debian or Ubuntu codename the stage's packages come from (`bookworm` when a Debian tag names none,
    /// as slimfile pins it then).
    pub fn codename(&self) -> Option<String> {
        match &self.distro {
            Distro::Debian { codename } => Some(codename.clone().unwrap_or_else(|| crate::knowledge::runtimes::DEFAULT_RELEASE.codename.to_owned())),
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
    /// The simple commands of every RUN ([`run_commands`]: wrappers such as `sudo` removed), by instruction
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

/// Programs that build, by command name → (tool, ecosystem).
const TOOLS: &[(&str, &str, Eco)] = &[
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

/// `p` resolved against `workdir` (unless absolute) and normalized.
pub fn join_path(workdir: &str, p: &str) -> String {
    if p.starts_with('/') {
        normalize(p)
    } else {
        normalize(&format!("{}/{}", workdir.trim_end_matches('/'), p))
    }
}

/// `p` is the folder `dir` or inside it.
pub fn under(p: &str, dir: &str) -> bool {
    p == dir || p.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}


/// `/a/./b/../c/` → `/a/c`.
pub fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

fn tag_version(tag: &str) -> Option<String> {
    let first = tag.split('-').next()?;
    if first.chars().next()?.is_ascii_digit() {
        Some(first.to_owned())
    } else {
        None
    }
}

/// The Java major version in a maven/gradle/temurin tag (`3.9-eclipse-temurin-17` → 17).
fn java_version(repo: &str, tag: &str) -> Option<String> {
    let parts: Vec<&str> = tag.split('-').collect();
    for (i, p) in parts.iter().enumerate() {
        if matches!(*p, "temurin" | "openjdk" | "jdk" | "corretto" | "amazoncorretto" | "sapmachine" | "zulu")
            || p.starts_with("jdk")
        {
            let candidate = p.strip_prefix("jdk").filter(|s| !s.is_empty()).or(parts.get(i + 1).copied());
            if let Some(v) = candidate.and_then(|c| c.split('.').next()) {
                if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() {
                    return Some(v.to_owned());
                }
            }
        }
    }
    if matches!(repo, "library/eclipse-temurin" | "library/openjdk" | "library/amazoncorretto") {
        return tag_version(tag).map(|v| v.split('.').next().unwrap_or(&v).to_owned());
    }
    None
}

fn distro_of(img: &ImageRef, role: Option<&images_roles::BaseImage>) -> Distro {
    let tag = img.tag.clone();
    let t = tag.as_deref().unwrap_or("");
    if img.registry == "gcr.io" && img.repository.starts_with("distroless/") {
        return Distro::Distroless;
    }
    if img.repository.starts_with("chainguard/") || img.registry == "cgr.dev" {
        return Distro::Other("wolfi".into());
    }
    if t.split('-').any(|p| p.starts_with("alpine")) || img.repository == "library/alpine" {
        return Distro::Alpine { tag };
    }
    if let Some(c) = images_roles::codename_in_tag(t) {
        return if c.distro == "ubuntu" {
            Distro::Ubuntu { tag }
        } else {
            Distro::Debian { codename: Some(c.codename.to_owned()) }
        };
    }
    match role.map(|r| r.distro) {
        Some("debian") => {
            if img.repository == "library/debian" {
                // debian:12, debian:12-slim, debian:stable…
                let codename = match t.split(['-', '.']).next().unwrap_or("") {
                    "12" => Some("bookworm".to_owned()),
                    "13" => Some("trixie".to_owned()),
                    "11" => Some("bullseye".to_owned()),
                    _ => None,
                };
                return Distro::Debian { codename };
            }
            Distro::Debian { codename: None }
        }
        Some("ubuntu") => Distro::Ubuntu { tag },
        Some("alpine") => Distro::Alpine { tag },
        Some(other) => Distro::Other(other.to_owned()),
        None => Distro::Unknown,
    }
}

pub fn analyze(doc: &Document, model: &Model) -> Analysis {
    // Each RUN's commands, split once: the stages, the findings and the rewrite all read them.
    let commands: Vec<Vec<SimpleCommand>> = doc
        .instructions
        .iter()
        .map(|i| if i.kind == Kind::Run { run_commands(i, doc.escape) } else { Vec::new() })
        .collect();
    let mut stages: Vec<StageFacts> = Vec::with_capacity(model.stages.len());
    let globals = model.global_vars();
    for stage in &model.stages {
        let parent = match &stage.base {
            StageBase::Stage { index } => stages.get(*index),
            _ => None,
        };
        let facts = analyze_stage(doc, &commands, stage, parent, &globals);
        stages.push(facts);
    }
    let needs = match (model.stages.last(), stages.last()) {
        (Some(stage), Some(facts)) => runtime_needs(doc, model, stage, facts, &stages),
        _ => RuntimeNeeds::default(),
    };
    let unmapped_dev = stages
        .last()
        .map(|f| {
            f.packages
                .iter()
                .filter(|p| p.role == Role::Build && (p.runtime.is_empty() || p.runtime_unknown) && p.toolchain.is_none())
                .filter(|p| p.name.ends_with("-dev") || p.name.ends_with("-devel"))
                .filter(|p| !packages::lookup(p.manager, &p.name).1.is_some_and(|e| e.header_only))
                .map(|p| p.name.clone())
                .collect()
        })
        .unwrap_or_default();
    Analysis { stages, commands, unmapped_dev, needs }
}

fn analyze_stage(
    doc: &Document,
    run_cmds: &[Vec<SimpleCommand>],
    stage: &Stage,
    parent: Option<&StageFacts>,
    globals: &HashMap<String, String>,
) -> StageFacts {
    let image = match &stage.base {
        StageBase::Image { image } => Some(image.clone()),
        _ => None,
    };
    let role = image.as_ref().and_then(|i| images_roles::find(&i.registry, &i.repository));
    let mut f = StageFacts {
        index: stage.index,
        image: image.clone(),
        role,
        distro: match (&stage.base, &image) {
            (StageBase::Scratch, _) => Distro::Scratch,
            (_, Some(img)) => distro_of(img, role),
            _ => parent.map(|p| p.distro.clone()).unwrap_or(Distro::Unknown),
        },
        version: None,
        eco: role.and_then(|r| r.ecosystem).and_then(Eco::parse),
        tools: vec![],
        packages: vec![],
        installs: vec![],
        steps: vec![],
        artifacts: vec![],
        env: vec![],
        args: vec![],
        workdir: "/".to_owned(),
        user: None,
        cmd: None,
        entrypoint: None,
        healthcheck: None,
        shell: None,
        expose: vec![],
        volumes: vec![],
        computed_runtime_deps: false,
        source_added: None,
    };
    if let Some(p) = parent {
        // `FROM <stage>` inherits everything the stage had.
        f.eco = p.eco;
        f.version = p.version.clone();
        f.tools = p.tools.clone();
        f.packages = p.packages.clone();
        f.artifacts = p.artifacts.clone();
        f.env = p.env.clone();
        f.workdir = p.workdir.clone();
        f.user = p.user.clone();
        f.cmd = p.cmd;
        f.entrypoint = p.entrypoint;
        f.healthcheck = p.healthcheck;
        f.expose = p.expose.clone();
        f.volumes = p.volumes.clone();
        f.source_added = p.source_added;
    }
    if let Some(img) = &image {
        let tag = img.tag.as_deref().unwrap_or("");
        f.version = match f.eco {
            Some(Eco::Java) => java_version(&img.repository, tag),
            _ => tag_version(tag),
        };
        // golang's own image sets GOPATH=/go; node's WORKDIR is /. Base image ENV we rely on:
        if img.repository == "library/golang" {
            f.env.push(("GOPATH".into(), "/go".into(), stage.from));
        }
    }
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
            Kind::Run => analyze_run(&run_cmds[i], &mut f, i, &vars),
            Kind::Copy | Kind::Add => {
                if matches!(&inst.args, Args::Copy { dest, .. } if is_package_source(&expand(dest, &vars).text)) {
                    f.source_added.get_or_insert(i);
                }
            }
            _ => {}
        }
    }
    // The ecosystem: the build tools say more than the base image.
    let tool_eco = f
        .steps
        .iter()
        .filter_map(|s| TOOLS.iter().find(|(_, t, _)| *t == s.tool).map(|(_, _, e)| *e))
        .filter(|e| *e != Eco::C)
        .fold(None::<Eco>, |acc, e| acc.or(Some(e)));
    let pkg_eco = f
        .packages
        .iter()
        .filter_map(|p| p.toolchain.as_deref())
        .find_map(|t| Eco::parse(match t {
            "java" => "java",
            other => other,
        }));
    f.eco = tool_eco.or(f.eco).or(pkg_eco).or_else(|| {
        if f.steps.iter().any(|s| s.tool == "make" || s.tool == "cmake") {
            Some(Eco::C)
        } else {
            None
        }
    });
    if f.eco.is_none() {
        f.eco = interpreter_eco(doc, &f);
    }
    // A package whose program the container runs (`apk add htop` + `CMD ["htop"]`) is the app itself; one
    // the HEALTHCHECK runs (`curl -f …`) is needed at run time too (as a build package, a slim runtime stage
    // that installs curl for its HEALTHCHECK was rewritten again as if it were the build).
    let mut progs: Vec<String> = final_argv(doc, &f).and_then(|a| a.first().cloned()).into_iter().collect();
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
        }
    }
    f
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

/// RUN `i` of the stage, whose commands ([`run_commands`]) are `cmds`.
fn analyze_run(cmds: &[SimpleCommand], f: &mut StageFacts, i: usize, vars: &HashMap<String, String>) {
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
                    add_install(f, c, &p, &shell_vars, i, InstallCmd { manager: p.manager.name, inst: i, no_recommends, cleans_lists });
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

/// The packages install command `c` (read as `p`) of RUN `i` adds to the stage, and the command itself.
fn add_install(f: &mut StageFacts, c: &SimpleCommand, p: &PackageCommand, vars: &HashMap<String, String>, i: usize, mut cmd: InstallCmd) {
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
        });
    }
}

/// A removal (`apk del`, `apt-get purge`) of RUN `i`: the packages it names, or their `--virtual` group.
fn mark_removed(f: &mut StageFacts, p: &PackageCommand, i: usize) {
    for pkg in f.packages.iter_mut().filter(|pkg| pkg.removed.is_none()) {
        if p.names().any(|n| n == pkg.name || pkg.group.as_deref() == Some(n)) {
            pkg.removed = Some(i);
        }
    }
}

/// `cp target/release/app /usr/local/bin/` after a build: the artifact now also lives at the destination.
fn moved_artifacts(c: &SimpleCommand, workdir: &str, vars: &HashMap<String, String>, inst: usize, arts: &mut Vec<Art>) {
    let args: Vec<String> = c.argv.iter().skip(1).filter(|a| !a.starts_with('-')).map(|a| expand(a, vars).text).collect();
    if args.len() < 2 || c.program() == "ln" && !c.has_flag(&["-s", "-sf", "-fs"]) {
        return;
    }
    let dest = join_path(workdir, &args[args.len() - 1]);
    let dest_is_dir = args[args.len() - 1].ends_with('/') || args.len() > 2;
    for src in &args[..args.len() - 1] {
        let src_abs = join_path(workdir, src);
        let glob = src.contains('*');
        let from = arts.iter().find(|a| {
            let dir = a.path.trim_end_matches('/');
            src_abs == a.path || src_abs.starts_with(&format!("{dir}/"))
        });
        let Some(from) = from.cloned() else { continue };
        let name = src_abs.rsplit('/').next().unwrap_or("");
        let path = if dest_is_dir && !glob { format!("{}/{name}", dest.trim_end_matches('/')) } else { dest.clone() };
        let kind = match from.kind {
            ArtKind::Folder if !glob => ArtKind::Binary,
            ArtKind::Folder => ArtKind::Binary,
            k => k,
        };
        let kind = if path.ends_with(".jar") { ArtKind::Jar } else { kind };
        arts.push(Art { path, kind, inst });
    }
}

/// What a build command writes, where it can be read from the command alone.
fn artifacts_of(step: &Step, out: &mut Vec<Art>) {
    let c = &step.cmd;
    let wd = &step.workdir;
    match (step.tool, c.arg(1)) {
        ("go", "build") => {
            if let Some(o) = c.option(&["-o"]) {
                let path = join_path(wd, o);
                out.push(Art { path, kind: ArtKind::Binary, inst: step.inst });
            }
        }
        // `go get` without -d (GOPATH mode, before Go 1.17) builds and installs like `go install`.
        ("go", "install") | ("go", "get") if !(c.arg(1) == "get" && c.has_flag(&["-d"])) => {
            let gopath = step.var("GOPATH").unwrap_or("/go").to_owned();
            let gobin = step.var("GOBIN").map(str::to_owned).unwrap_or(format!("{gopath}/bin"));
            // `go install example.com/cmd/app@latest` → $GOBIN/app
            for p in c.positional(1) {
                let name = p.split('@').next().unwrap_or(p).trim_end_matches("/...").rsplit('/').next().unwrap_or("");
                if !name.is_empty() && name != "." && !name.contains("...") {
                    out.push(Art { path: format!("{gobin}/{name}"), kind: ArtKind::Binary, inst: step.inst });
                }
            }
        }
        ("cargo", "build") => {
            let profile = if c.has_flag(&["--release", "-r"]) { "release" } else { "debug" };
            let profile = c.option(&["--profile"]).unwrap_or(profile);
            let target_dir = step
                .var("CARGO_TARGET_DIR")
                .map(|d| join_path(wd, d))
                .unwrap_or_else(|| join_path(wd, "target"));
            let triple = c.option(&["--target"]).map(|t| format!("/{t}")).unwrap_or_default();
            let dir = format!("{target_dir}{triple}/{profile}");
            if let Some(bin) = c.option(&["--bin"]) {
                out.push(Art { path: format!("{dir}/{bin}"), kind: ArtKind::Binary, inst: step.inst });
            } else {
                // The binary's name is in Cargo.toml: record the folder; the strategy looks for the name.
                out.push(Art { path: dir, kind: ArtKind::Folder, inst: step.inst });
            }
        }
        ("cargo", "install") => {
            let root = c
                .option(&["--root"])
                .map(|r| join_path(wd, r))
                .or_else(|| step.var("CARGO_HOME").map(str::to_owned))
                .unwrap_or_else(|| "/usr/local/cargo".to_owned());
            out.push(Art { path: format!("{root}/bin"), kind: ArtKind::Folder, inst: step.inst });
        }
        ("maven", _) if c.argv.iter().any(|a| a == "package" || a == "install" || a == "verify") => {
            out.push(Art { path: join_path(wd, "target"), kind: ArtKind::Jar, inst: step.inst });
        }
        ("gradle", _) if c.argv.iter().any(|a| a.contains("build") || a.contains("Jar") || a.contains("jar")) => {
            out.push(Art { path: join_path(wd, "build/libs"), kind: ArtKind::Jar, inst: step.inst });
        }
        ("dotnet", "publish") => {
            let o = c.option(&["-o", "--output"]).map(|o| join_path(wd, o));
            if let Some(o) = o {
                out.push(Art { path: o, kind: ArtKind::Publish, inst: step.inst });
            }
        }
        ("npm" | "yarn" | "pnpm", "run" | "build") if c.argv.iter().any(|a| a == "build") => {
            out.push(Art { path: wd.clone(), kind: ArtKind::StaticSite, inst: step.inst });
        }
        ("pip", "install") => {
            if let Some(t) = c.option(&["--target", "-t", "--prefix", "--root"]) {
                out.push(Art { path: join_path(wd, t), kind: ArtKind::Folder, inst: step.inst });
            }
        }
        _ => {}
    }
    if matches!(c.program(), "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++") {
        if let Some(o) = c.option(&["-o"]) {
            out.push(Art { path: join_path(wd, o), kind: ArtKind::Binary, inst: step.inst });
        }
    }
    if step.tool == "pip" || step.tool == "uv" {
        if let Some(v) = step.var("VIRTUAL_ENV") {
            if !out.iter().any(|a| a.path == *v) {
                out.push(Art { path: v.to_owned(), kind: ArtKind::Venv, inst: step.inst });
            }
        }
    }
}

/// Packages and the ports, users, shells and libraries the target's app needs at run time.
fn runtime_needs(doc: &Document, model: &Model, stage: &Stage, f: &StageFacts, all: &[StageFacts]) -> RuntimeNeeds {
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
                    n.shell.push("HEALTHCHECK CMD in shell form runs /bin/sh -c".to_owned());
                    commands(s, doc.escape).into_iter().flat_map(|c| c.argv.into_iter().take(1)).collect()
                }
                Command::Exec(v) => v.iter().take(1).cloned().collect(),
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
        for r in &p.runtime {
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

/// Where only a build or the package manager looks: files a RUN writes there are not carried to the
/// runtime stage (`echo … > /etc/apt/sources.list.d/x.list`, `2> /dev/null`, `>> /etc/passwd` — users are
/// made by the runtime stage's own plan, and distroless has its own `/etc/passwd`).
pub const BUILD_ONLY_PATHS: &[&str] = &[
    "/dev", "/proc", "/sys", "/run", "/var/run", "/tmp", "/var/tmp", "/var/cache", "/var/lib/apt",
    // The package managers' logs; an app's own log folder (`mkdir /var/log/app && chown app …`) is carried.
    "/var/log/apt", "/var/log/dpkg.log", "/var/log/alternatives.log", "/var/log/apk.log", "/var/log/dnf.log",
    "/var/log/yum.log",
    "/var/lib/dpkg", "/var/lib/apk", "/etc/apt", "/etc/apk", "/etc/yum.repos.d", "/etc/dnf", "/etc/passwd",
    "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d", "/etc/profile",
    "/etc/profile.d", "/etc/bash.bashrc", "/etc/environment", "/etc/ssl", "/etc/pip.conf", "/root/.cache",
    "/root/.npm", "/root/.npmrc", "/root/.m2", "/root/.gradle", "/root/.cargo", "/root/.bashrc", "/root/.profile",
    "/root/.netrc", "/root/.ssh", "/root/.git-credentials", "/root/.gitconfig", "/root/.docker", "/root/.config",
    "/usr/local/cargo", "/go/pkg",
];

/// Credentials a build writes for itself, wherever they are: never carried to the runtime stage.
pub const BUILD_CREDENTIAL_FILES: &[&str] = &[".npmrc", ".netrc", ".pypirc", ".git-credentials", ".dockercfg"];

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

/// Display name for an image (`golang:1.22`).
pub fn image_name(f: &StageFacts) -> Option<String> {
    f.image.as_ref().map(image::display)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;
    use crate::syntax::parse;

    fn run(text: &str) -> (Document, Analysis) {
        let doc = parse(text);
        let m = model::build(&doc);
        let a = analyze(&doc, &m);
        (doc, a)
    }

    #[test]
    fn package_sources() {
        let (_, a) = run("FROM alpine:3.20\nARG EDGE=https://dl-cdn.alpinelinux.org/alpine/edge\n\
                          RUN apk add -X $EDGE/main --repository=$EDGE/community --allow-untrusted a b@testing\n\
                          RUN apk add --repository $UNKNOWN c && apk add -X 'https://x/$(id)' f\n\
                          RUN echo '@t https://x/testing' >> /etc/apk/repositories && apk add d\n\
                          RUN echo https://x/main >> /etc/apk/repositories\nRUN apk add e\n");
        let p = |n: &str| a.stages[0].packages.iter().find(|p| p.name == n).unwrap();
        let repos = [
            "--repository https://dl-cdn.alpinelinux.org/alpine/edge/main",
            "--repository https://dl-cdn.alpinelinux.org/alpine/edge/community",
            "--allow-untrusted",
        ];
        assert_eq!(p("a").repositories, repos);
        assert_eq!((p("a").extra_source, p("b").extra_source), (None, Some(2)), "b@testing is b from a tagged repository");
        assert_eq!((p("c").extra_source, p("f").extra_source), (Some(3), Some(3)), "a repository slimfile cannot read");
        assert_eq!(p("d").extra_source, None, "a tagged repository serves only name@tag");
        assert_eq!(p("e").extra_source, Some(5), "after a line added to /etc/apk/repositories");
        let (_, a) = run("FROM debian:bookworm\nRUN apt-get install -y a\nCOPY pgdg.list /etc/apt/sources.list.d/\n\
                          RUN apt-get update && apt-get install -y b\nFROM debian:bookworm\nRUN apt-get install -t bookworm-backports -y c\n");
        let p = |s: usize, n: &str| a.stages[s].packages.iter().find(|p| p.name == n).unwrap().extra_source;
        assert_eq!((p(0, "a"), p(0, "b"), p(1, "c")), (None, Some(2), Some(5)));
    }

    #[test]
    fn package_commands_are_read_as_the_package_manager_reads_them() {
        // Wrappers, option values before the subcommand, tdnf, and a list computed while building.
        let (_, a) = run("FROM debian:bookworm\nRUN sudo apt-get -o Acquire::Retries=3 install -y gcc && tdnf install -y make\n\
                          RUN runDeps=\"$(scanelf --needed /usr/local | sort -u)\" && apk add $runDeps curl && apk del -r gcc\n");
        let read: Vec<(&str, &str, Option<usize>)> =
            a.stages[0].packages.iter().map(|p| (p.manager, p.name.as_str(), p.removed)).collect();
        assert_eq!(read, [("apt", "gcc", Some(2)), ("dnf", "make", None), ("apk", "curl", None)]);
        assert!(a.stages[0].computed_runtime_deps);
    }

    #[test]
    fn classic_go() {
        let (_, a) = run("FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n");
        let f = &a.stages[0];
        assert_eq!(f.eco, Some(Eco::Go));
        assert_eq!(f.distro, Distro::Ubuntu { tag: None });
        assert_eq!(f.packages[0].name, "golang-go");
        assert_eq!(f.packages[0].role, Role::Build);
        assert_eq!(f.steps[0].var("CGO_ENABLED"), Some("0"));
        assert_eq!(f.artifacts[0].path, "/app");
        assert_eq!(f.workdir, "/src");
        assert!(a.needs.shell.is_empty());
        assert_eq!(a.needs.user, "root");
    }

    #[test]
    fn a_step_sees_the_stage_exports_and_its_own_variables() {
        let (_, a) = run("FROM golang:1.22\nENV CGO_ENABLED=0 OUT=/out\nARG PKGS=\"git make\"\nRUN apt-get install -y $PKGS\nRUN export GOBIN=/gobin && GOOS=linux go install ./... && go build -o $OUT/app .\n");
        let f = &a.stages[0];
        assert_eq!(f.packages.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["git", "make"]);
        assert_eq!(f.steps[0].var("GOBIN"), Some("/gobin"));
        assert_eq!(f.steps[0].var("GOOS"), Some("linux"));
        assert_eq!(f.steps[0].var("CGO_ENABLED"), Some("0"));
        assert_eq!(f.steps[0].var("GOPATH"), Some("/go"));
        assert_eq!(f.steps[1].cmd.argv, ["go", "build", "-o", "/out/app", "."]);
        assert_eq!(f.steps[1].var("GOOS"), None, "a prefix is the command's own");
    }

    #[test]
    fn versions_and_distros() {
        let (_, a) = run("FROM maven:3.9-eclipse-temurin-17 AS b\nRUN mvn -B package\nFROM node:20-alpine\nFROM python:3.11-slim-bookworm\nFROM golang:1.22\n");
        assert_eq!(a.stages[0].version.as_deref(), Some("17"));
        assert_eq!(a.stages[0].artifacts[0].path, "/target");
        assert_eq!(a.stages[1].distro, Distro::Alpine { tag: Some("20-alpine".into()) });
        assert_eq!(a.stages[1].version.as_deref(), Some("20"));
        assert_eq!(a.stages[2].distro, Distro::Debian { codename: Some("bookworm".into()) });
        assert_eq!(a.stages[3].distro, Distro::Debian { codename: None });
    }

    #[test]
    fn shell_needs() {
        let (_, a) = run("FROM python:3.11\nCMD gunicorn -b 0.0.0.0:$PORT app:app\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nEXPOSE 80\n");
        assert_eq!(a.needs.shell.len(), 2, "{:?}", a.needs.shell);
        assert_eq!(a.needs.packages, ["curl"]);
        assert_eq!(a.needs.root.len(), 1);
    }

    #[test]
    fn paths() {
        assert_eq!(normalize("/a/./b/../c/"), "/a/c");
        assert_eq!(join_path("/src", "bin/app"), "/src/bin/app");
        assert_eq!(join_path("/src", "/app"), "/app");
    }
}
