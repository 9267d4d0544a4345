//! The one plain, serializable type that crosses to the UI, the CLI and JavaScript.
//!
//! Everything here is data: no methods that compute, no references into the input.
//! Field names are the JSON format documented in the README; renaming one is a breaking change.

use serde::{Deserialize, Serialize};

/// A place in the input (or, for `output_span`, in the rewritten file).
///
/// `start`/`end` are byte offsets; `line`/`column` are 1-based, the column counted in characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A rewritten Dockerfile is in `output`.
    Converted,
    /// Nothing worth changing (already minimal), or the output would equal the input.
    Unchanged,
    /// No safe rewrite exists; `reasons` says why. `output` is null.
    Refused,
}

/// The family of the final image of the rewritten Dockerfile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuntimeFamily {
    #[serde(rename = "scratch")]
    Scratch,
    #[serde(rename = "distroless/static")]
    DistrolessStatic,
    #[serde(rename = "distroless/base")]
    DistrolessBase,
    #[serde(rename = "distroless/cc")]
    DistrolessCc,
    #[serde(rename = "distroless/python3")]
    DistrolessPython3,
    #[serde(rename = "distroless/java")]
    DistrolessJava,
    #[serde(rename = "distroless/nodejs")]
    DistrolessNodejs,
    #[serde(rename = "nginx")]
    Nginx,
    #[serde(rename = "dotnet/aspnet")]
    DotnetAspnet,
    #[serde(rename = "dotnet/runtime")]
    DotnetRuntime,
    #[serde(rename = "slim")]
    Slim,
}

impl RuntimeFamily {
    pub const ALL: [RuntimeFamily; 11] = [
        RuntimeFamily::Scratch,
        RuntimeFamily::DistrolessStatic,
        RuntimeFamily::DistrolessBase,
        RuntimeFamily::DistrolessCc,
        RuntimeFamily::DistrolessPython3,
        RuntimeFamily::DistrolessJava,
        RuntimeFamily::DistrolessNodejs,
        RuntimeFamily::Nginx,
        RuntimeFamily::DotnetAspnet,
        RuntimeFamily::DotnetRuntime,
        RuntimeFamily::Slim,
    ];

    /// The name used in JSON, the CLI's `--target` and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeFamily::Scratch => "scratch",
            RuntimeFamily::DistrolessStatic => "distroless/static",
            RuntimeFamily::DistrolessBase => "distroless/base",
            RuntimeFamily::DistrolessCc => "distroless/cc",
            RuntimeFamily::DistrolessPython3 => "distroless/python3",
            RuntimeFamily::DistrolessJava => "distroless/java",
            RuntimeFamily::DistrolessNodejs => "distroless/nodejs",
            RuntimeFamily::Nginx => "nginx",
            RuntimeFamily::DotnetAspnet => "dotnet/aspnet",
            RuntimeFamily::DotnetRuntime => "dotnet/runtime",
            RuntimeFamily::Slim => "slim",
        }
    }

    pub fn parse(s: &str) -> Option<RuntimeFamily> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether images of this family have a shell (`/bin/sh`).
    pub fn has_shell(self) -> bool {
        matches!(
            self,
            RuntimeFamily::Nginx | RuntimeFamily::DotnetAspnet | RuntimeFamily::DotnetRuntime | RuntimeFamily::Slim
        )
    }
}

/// What the user asked for. Every UI exposes these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// `None` (JSON `null` or `"auto"` in the UIs): let the analysis choose.
    pub target: Option<RuntimeFamily>,
    /// Run the final image as a non-root user (distroless `:nonroot`) unless the app needs root.
    pub non_root: bool,
    /// Keep the user's comments in the output.
    pub keep_comments: bool,
    /// Add `RUN --mount=type=cache` to the build steps of go, cargo, npm, pip and maven.
    pub cache_mounts: bool,
    /// Carry a compiled app's run-time files (templates, static files, configuration: everything in its
    /// folders but sources and build files) to the final image; off, it gets the program only.
    pub carry_files: bool,
    /// The day support windows are judged on (`YYYY-MM-DD`): which images are still maintained, which
    /// bases are past their end of life. The engine has no clock: `None` judges on the image knowledge's
    /// own date ([`Knowledge::as_of`]), so that a conversion depends on its input alone; the CLI and the
    /// playground pass today's date.
    pub date: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { target: None, non_root: true, keep_comments: true, cache_mounts: false, carry_files: true, date: None }
    }
}

/// How current the image knowledge is, and the day the report judged support windows on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knowledge {
    /// The date of the newest upstream data the image knowledge was read from (`2026-08-22`): which tags
    /// exist, what they resolve to, support windows (docs/knowledge.md).
    pub as_of: String,
    /// The day support windows were judged on: [`Options::date`], else `as_of`.
    pub judged_on: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Error, Severity::Warning, Severity::Info, Severity::Style];

    /// The name used in JSON, the CLI (`--fail-level`, its output) and the UI's classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `error`, `warning`, `info` or `style`, in any case.
impl std::str::FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Severity, String> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown severity '{s}' (expected error, warning, info or style)"))
    }
}

/// A problem with the input itself: a syntax error, something the engine cannot read, a limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

/// Advice about the input Dockerfile (or a question the rewrite could not answer alone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// hadolint's rule id where one exists (`DL3009`), else slimfile's own (`SF1xx`).
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// The stage of the input the finding is about.
    pub stage: Option<usize>,
}

/// One change the rewrite made, with the sentence a user reads to understand why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// A stable kebab-case id (`add-builder-stage`, `swap-runtime-base`, `exec-form`, …).
    pub kind: String,
    /// What changed and why, in one or two sentences.
    pub why: String,
    /// Where in the input it came from (absent for purely new lines).
    pub span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    /// As written in the file.
    pub raw: String,
    /// After substituting global ARGs (their defaults).
    pub resolved: String,
    /// `docker.io` when absent.
    pub registry: String,
    /// `library/golang` for official images.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// True when an ARG in the reference had no default, so `resolved` is incomplete.
    pub unresolved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StageBase {
    /// `FROM scratch`
    Scratch,
    /// `FROM <earlier stage>`
    Stage { index: usize },
    Image { image: ImageRef },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageInstall {
    /// `apt`, `apk`, `dnf`, `yum`, `microdnf`, `pip`, `npm`, `gem`.
    pub manager: String,
    pub name: String,
    /// `build` (compilers, headers, download tools), `runtime` (shared libraries, certificates, tools the
    /// app calls) or `unknown`.
    pub role: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// Absolute path in the stage's filesystem (a file or a folder).
    pub path: String,
    /// `binary`, `jar`, `folder`, `venv`, `site-packages`, `static-site`, `publish`.
    pub kind: String,
    /// The build command that produces it.
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeNeeds {
    /// Why the final image needs `/bin/sh` (empty when it does not).
    pub shell: Vec<String>,
    /// `none` (static binary), `glibc`, `musl` or `unknown`.
    pub libc: String,
    pub ca_certificates: bool,
    pub tzdata: bool,
    /// The user the app runs as (`root` when no USER is set).
    pub user: String,
    /// Why the app needs root (binding a port below 1024, …).
    pub root: Vec<String>,
    /// Packages the app needs at run time that no distroless image holds.
    pub packages: Vec<String>,
    /// Files and folders the command names that the build creates outside the app (`-ui-dir=/webui`).
    pub paths: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    pub index: usize,
    pub name: Option<String>,
    pub base: StageBase,
    /// The whole stage, from its FROM line to its last instruction.
    pub span: Span,
    /// `go`, `rust`, `node`, `python`, `java`, `dotnet`, `c`, `ruby`, `php`, `static`, or null.
    pub ecosystem: Option<String>,
    /// `go`, `cargo`, `npm`, `yarn`, `pnpm`, `pip`, `poetry`, `uv`, `maven`, `gradle`, `dotnet`, `make`,
    /// `cmake`, `bundler`, `composer`.
    pub build_tools: Vec<String>,
    pub packages: Vec<PackageInstall>,
    pub artifacts: Vec<Artifact>,
    /// True for the last stage (what `docker build` produces without `--target`).
    pub target: bool,
    /// False when the target does not depend on it: BuildKit skips it.
    pub used: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// The stage depended upon.
    pub from: usize,
    /// The stage that depends on it.
    pub to: usize,
    /// `from` (FROM <stage>), `copy` (COPY --from), `mount` (RUN --mount=from=).
    pub kind: String,
    pub span: Span,
}

/// An image referenced by `COPY --from=<image>` or `RUN --mount=from=<image>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalRef {
    pub image: String,
    pub to: usize,
    pub kind: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffTag {
    Equal,
    Delete,
    Insert,
    Replace,
}

/// A run of text inside a line; `emphasized` marks the words that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSegment {
    pub text: String,
    pub emphasized: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSide {
    /// 1-based line number in its file.
    pub line: u32,
    pub segments: Vec<DiffSegment>,
}

/// One row of the side-by-side view: the original line on the left, the rewritten on the right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRow {
    pub tag: DiffTag,
    pub left: Option<DiffSide>,
    pub right: Option<DiffSide>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub rows: Vec<DiffRow>,
    /// A unified diff (`--- Dockerfile` / `+++ Dockerfile.slim`), empty when nothing changed.
    pub unified: String,
}

/// A size in bytes with its range: `typical` is the estimate, `low`..`high` where the truth may lie.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bytes {
    pub typical: u64,
    pub low: u64,
    pub high: u64,
}

/// One layer of an image: the instruction that makes it and what it adds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerEstimate {
    /// The instruction's first line, as written.
    pub instruction: String,
    /// Where it is in its file (the input for `original`, the rewritten file for `rewritten`).
    pub span: Option<Span>,
    pub size: Bytes,
    /// Where the figure comes from: "base image table: golang:1.22-bookworm, 814 MB uncompressed, source …".
    pub basis: String,
    /// True when a figure was matched approximately or assumed.
    pub approximate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageEstimate {
    /// The final image's base (`golang:1.22`, `gcr.io/distroless/static-debian12:nonroot`).
    pub base: String,
    pub layers: Vec<LayerEstimate>,
    /// Uncompressed, on disk: what `docker images` shows.
    pub total: Bytes,
    /// Compressed: what `docker pull` transfers (derived where the data has no measurement).
    pub compressed: Bytes,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Savings {
    /// Uncompressed bytes saved: `low` pairs the original's low with the rewrite's high.
    pub bytes: Bytes,
    pub compressed: Bytes,
    pub percent: f64,
    pub percent_low: f64,
    pub percent_high: f64,
}

/// Step 7, estimate: what the original's final image and the rewritten one weigh, before any build.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// What the numbers measure.
    pub unit: String,
    pub original: ImageEstimate,
    /// Null unless converted.
    pub rewritten: Option<ImageEstimate>,
    pub savings: Option<Savings>,
    /// The assumptions, in plain sentences.
    pub assumptions: Vec<String>,
    /// Entries matched approximately (an unknown tag mapped to the nearest known one).
    pub approximate_matches: Vec<String>,
}

/// What the build context gave the conversion (absent from the JSON without a context).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContextReport {
    /// The project files the answers came from (`package.json`, `Cargo.toml`, …), relative to the
    /// context, sorted: each change note that used one names it.
    pub files_used: Vec<String>,
    /// A proposed `.dockerignore` when a `COPY . .` sends what it should not (SF107): the current file,
    /// then the lines it lacks.
    pub dockerignore: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The engine's version (the crate version).
    pub version: String,
    pub options: Options,
    pub status: Status,
    /// The final image's family, when converted (or unchanged and recognised).
    pub runtime: Option<RuntimeFamily>,
    /// The exact reference of the final image in `output`.
    pub runtime_image: Option<String>,
    /// The ecosystem the rewrite was made for.
    pub ecosystem: Option<String>,
    /// The rewrite strategy that produced `output` (`go`, `rust`, `node`, `spa`, `python`, `java`,
    /// `dotnet`, `native`, `generic`, `multistage`).
    pub strategy: Option<String>,
    /// The rewritten Dockerfile, or null when unchanged or refused.
    pub output: Option<String>,
    /// Why the status is what it is (always non-empty for `refused` and `unchanged`).
    pub reasons: Vec<String>,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
    pub stages: Vec<StageInfo>,
    pub edges: Vec<Edge>,
    pub external_refs: Vec<ExternalRef>,
    /// What the app needs at run time, read from the input's final stage.
    pub runtime_needs: RuntimeNeeds,
    pub diagnostics: Vec<Diagnostic>,
    pub diff: Diff,
    /// Sizes of the original and rewritten images, estimated from the Dockerfiles alone (null when the
    /// input does not parse).
    pub estimate: Option<Estimate>,
    /// What the build context gave (`convert_with` with a non-empty context); not in the JSON otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextReport>,
    /// The date of the image knowledge and the day support windows were judged on.
    pub knowledge: Knowledge,
}

#[cfg(test)]
mod tests {
    use super::Severity;

    #[test]
    fn severity_names_are_the_json_names() {
        for s in Severity::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(s.as_str().parse::<Severity>(), Ok(s));
            assert_eq!(s.as_str().to_ascii_uppercase().parse::<Severity>(), Ok(s));
        }
        assert!("fatal".parse::<Severity>().unwrap_err().contains("unknown severity 'fatal'"));
    }
}
