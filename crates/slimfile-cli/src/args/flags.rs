//! Flags several commands share: which inputs to read, the conversion's options, the configuration
//! file, and text or JSON reports.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use slimfile_core::{RuntimeFamily, Severity};

/// The severity at or above which `check` fails; `None` never fails.
pub type FailLevel = Option<Severity>;

/// Which inputs a glob or a folder expands to.
#[derive(Clone, Copy, Debug, Default, Args)]
#[command(next_help_heading = "Inputs")]
pub struct InputFlags {
    /// Also read what .gitignore and .ignore exclude, and node_modules/ and target/ folders (hidden
    /// folders such as .git/ stay skipped)
    #[arg(long)]
    pub no_ignore: bool,
}

/// Where the project's files come from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Args)]
#[command(next_help_heading = "Build context")]
pub struct ContextFlags {
    /// Read the project's files (package.json, Cargo.toml, go.mod, pom.xml, requirements*.txt,
    /// Gemfile.lock, .dockerignore, …) from DIR instead of the Dockerfile's folder
    #[arg(long, value_name = "DIR", conflicts_with = "no_context")]
    pub context: Option<String>,
    /// Read the Dockerfile alone: no project file is read
    #[arg(long)]
    pub no_context: bool,
}

/// Engine options given on the command line; each `None` below leaves the config file's value (or the
/// default).
#[derive(Clone, Debug, Default, PartialEq, Args)]
#[command(next_help_heading = "Conversion")]
pub struct EngineFlags {
    /// The final image family (default: auto)
    #[arg(long, value_name = "FAMILY", value_parser = target_parser())]
    target: Option<Target>,
    /// Keep running as root (default: a non-root user where the app allows)
    #[arg(long, overrides_with = "non_root")]
    root: bool,
    /// Run as a non-root user where the app allows (overrides non-root = false)
    #[arg(long, overrides_with = "root")]
    non_root: bool,
    /// Drop the comments of the original
    #[arg(long)]
    no_comments: bool,
    /// Add RUN --mount=type=cache to go, cargo, npm, pip and maven steps
    #[arg(long)]
    cache_mounts: bool,
    /// Copy only a compiled app's program, not the files of its folder it may read at run time
    /// (templates, static files, configuration)
    #[arg(long, overrides_with = "carry_files")]
    no_carry_files: bool,
    /// Carry a compiled app's run-time files (overrides carry-files = false)
    #[arg(long, overrides_with = "no_carry_files")]
    carry_files: bool,
    /// Judge support windows (maintained images, end-of-life bases) on this day instead of today; also
    /// SLIMFILE_DATE
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::today::parse_day)]
    date: Option<String>,
}

impl EngineFlags {
    /// `Some(None)` is `--target auto`.
    pub fn target(&self) -> Option<Option<RuntimeFamily>> {
        self.target.map(|t| t.0)
    }

    pub fn non_root(&self) -> Option<bool> {
        match (self.root, self.non_root) {
            (true, _) => Some(false),
            (_, true) => Some(true),
            _ => None,
        }
    }

    pub fn keep_comments(&self) -> Option<bool> {
        self.no_comments.then_some(false)
    }

    pub fn cache_mounts(&self) -> Option<bool> {
        self.cache_mounts.then_some(true)
    }

    pub fn carry_files(&self) -> Option<bool> {
        match (self.no_carry_files, self.carry_files) {
            (true, _) => Some(false),
            (_, true) => Some(true),
            _ => None,
        }
    }

    /// `--date`, when given.
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    #[cfg(test)]
    pub fn with_non_root(non_root: bool) -> EngineFlags {
        EngineFlags { root: !non_root, non_root, ..EngineFlags::default() }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Args)]
#[command(next_help_heading = "Configuration")]
pub struct ConfigFlags {
    /// Read settings from FILE instead of the nearest .slimfile.toml
    #[arg(short = 'c', long = "config", value_name = "FILE", conflicts_with = "no_config")]
    pub file: Option<String>,
    /// Ignore .slimfile.toml files
    #[arg(long)]
    pub no_config: bool,
}

/// Text for people, JSON for programs (explain, verify).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// A `--target` value; `None` is `auto`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Target(Option<RuntimeFamily>);

fn target_parser() -> impl TypedValueParser<Value = Target> {
    let all = std::iter::once("auto").chain(RuntimeFamily::ALL.iter().map(|f| f.as_str()));
    PossibleValuesParser::new(all).map(|v| Target(parse_target(&v).unwrap_or(None)))
}

/// `error`, `warning`, `info`, `style` or `none` (also `ignore`), as `--fail-level` and the config take.
pub fn parse_level(v: &str) -> Result<FailLevel, String> {
    match v.to_ascii_lowercase().as_str() {
        "none" | "ignore" => Ok(None),
        _ => v.parse().map(Some).map_err(|_| format!("unknown level '{v}' (expected error, warning, info, style or none)")),
    }
}

/// `auto` or a runtime family's name, as `--target` and the config take.
pub fn parse_target(v: &str) -> Result<Option<RuntimeFamily>, String> {
    if v == "auto" {
        return Ok(None);
    }
    RuntimeFamily::parse(v).map(Some).ok_or_else(|| {
        let all: Vec<&str> = RuntimeFamily::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown target '{v}' (expected auto, {})", all.join(", "))
    })
}
