//! The command line, declared with clap: every command, its flags, their help and the values they take.
//! The help printed by `slimfile [COMMAND] --help` is generated from these declarations, so it lists
//! exactly the flags that parse (`tests/cli.rs` checks each one).

mod flags;
mod verify;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use slimfile_core::Severity;

use crate::size::Threshold;

pub use flags::{parse_level, parse_target, ConfigFlags, ContextFlags, EngineFlags, FailLevel, InputFlags, ReportFormat};
#[cfg_attr(not(unix), allow(unused_imports))]
#[cfg_attr(not(unix), allow(unused_imports))]
pub use verify::{EngineName, HealthCmd, VerifyArgs};

const AFTER_HELP: &str = "\
FILE defaults to ./Dockerfile; - reads standard input; a GLOB ('**/Dockerfile*') or a DIR expands
to the Dockerfiles it matches, skipping what .gitignore and .ignore exclude and node_modules/,
target/ and hidden folders (--no-ignore reads them too). A compose file (compose.yaml,
docker-compose.yml) or a bake file (docker-bake.hcl, .json) stands for the Dockerfiles its
services build, each with its context, target stage and health check. Settings come from the
nearest .slimfile.toml above each file, then the flags.

The build context: the project files beside each Dockerfile that answer what the Dockerfile alone
cannot (package.json's start script, Cargo.toml's binary, pom.xml's jar, go.mod,
requirements*.txt, Gemfile.lock, .dockerignore) are read from its folder (--context DIR names
another, --no-context none): only those files, a bounded listing of names, nothing over 4 MiB, no
link that leaves the folder.

Exit status: 0 success, 1 what the command reports failed (refused, findings at the fail level, a
file that does not parse, images that behave differently), 2 usage, configuration or I/O error.";

/// slimfile: rewrite Dockerfiles into multi-stage builds with a minimal final image, and check them
#[derive(Debug, Parser)]
#[command(name = "slimfile", version, after_help = AFTER_HELP, max_term_width = 100, args_override_self = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Convert(ConvertArgs),
    Check(CheckArgs),
    Graph(GraphArgs),
    Explain(ExplainArgs),
    Verify(VerifyArgs),
    Dockerignore(DockerignoreArgs),
    Completions(CompletionsArgs),
    /// Print the version
    Version,
}

/// Rewrite Dockerfiles into multi-stage builds with a minimal final image
#[derive(Debug, Args)]
#[command(after_help = "Exit status: 0 converted or unchanged, 1 refused (reasons on stderr), 2 usage or I/O error.")]
pub struct ConvertArgs {
    /// Dockerfiles, globs ('**/Dockerfile*'), folders, or - for standard input
    #[arg(value_name = "FILE|GLOB|DIR|-", default_value = "Dockerfile")]
    pub files: Vec<String>,
    /// What to print (several files need --write, diff or json)
    #[arg(short, long, value_enum, default_value_t = ConvertFormat::Dockerfile)]
    pub format: ConvertFormat,
    /// Rewrite the files in place (converted files only) instead of printing
    #[arg(short, long)]
    pub write: bool,
    #[command(flatten)]
    pub common: FileFlags,
}

const CHECK_AFTER_HELP: &str = "\
Inline pragmas: '# slimfile ignore=DL3009,SF101' (or '# hadolint ignore=…') on the lines right before an
instruction; '# slimfile global ignore=…' anywhere for the whole file.

Exit status: 0 clean, 1 a finding at or above the fail level (a file that does not parse counts as an
error, DL1000) or a saving above --min-savings, 2 usage, configuration or I/O error.";

/// Findings (hadolint's rule ids) and whether a conversion would pay off
#[derive(Debug, Args)]
#[command(after_help = CHECK_AFTER_HELP)]
pub struct CheckArgs {
    /// Dockerfiles, globs ('**/Dockerfile*'), folders, or - for standard input
    #[arg(value_name = "FILE|GLOB|DIR|-", default_value = "Dockerfile")]
    pub files: Vec<String>,
    /// How to print: sarif is SARIF 2.1.0 for code scanning, github (or github-actions) workflow commands
    /// that annotate a pull request
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Tty)]
    pub format: CheckFormat,
    /// Exit 1 on a finding at or above LEVEL (default: info, as hadolint; or the config file's)
    #[arg(short = 't', long, visible_alias = "failure-threshold", value_name = "LEVEL", ignore_case = true,
          value_parser = level_parser(), overrides_with = "no_fail")]
    fail_level: Option<Level>,
    /// Findings never exit 1 (same as --fail-level none)
    #[arg(long, overrides_with = "fail_level")]
    no_fail: bool,
    /// Also exit 1 when converting would surely save more than SIZE (the low end of the size estimate,
    /// uncompressed): 100MB, 1.5GB, 200MiB or 50% of the image; reported as SF000
    #[arg(long, value_name = "SIZE")]
    pub min_savings: Option<Threshold>,
    /// Drop the findings of RULE (an id or a name); repeatable, or comma-separated
    #[arg(long = "ignore", value_name = "RULE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Colour the tty format (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, visible_alias = "colour", value_name = "WHEN", value_enum, default_value_t = Color::Auto,
          overrides_with = "no_color")]
    color: Color,
    /// Never colour (same as --color never)
    #[arg(long, visible_alias = "no-colour", overrides_with = "color")]
    no_color: bool,
    #[command(flatten)]
    pub common: FileFlags,
}

/// The stage graph as mermaid, dot or json
#[derive(Debug, Args)]
#[command(
    long_about = None,
    after_help = "Stages (the target and unused stages marked), the images they start from or copy from, and \
edges labelled FROM, COPY --from or mount.\n\nExit status: 0 printed, 1 the Dockerfile does not parse, 2 usage or I/O error."
)]
pub struct GraphArgs {
    /// The Dockerfile, or - for standard input
    #[arg(value_name = "FILE|-", default_value = "Dockerfile")]
    pub file: String,
    /// The graph's language
    #[arg(short, long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

/// A rule's documentation; without RULE, every rule
#[derive(Debug, Args)]
#[command(after_help = "Exit status: 0 printed, 2 unknown rule or usage error.")]
pub struct ExplainArgs {
    /// An id (DL3009, SF101) or a name (apt-lists-left-behind)
    pub rule: Option<String>,
    /// Text for people, or JSON (the rule's fields)
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Print a .dockerignore that keeps .git, node_modules, target/ and .env files out of the build context
#[derive(Debug, Args)]
#[command(after_help = "\
The proposal is the context's .dockerignore, then what the Dockerfile's `COPY . .` (and ADD) would send that
an image should not get: the repository, the host's node_modules, a target/ build folder, .env files with
keys (SF107 explains why). With nothing to add it prints the current file, and says so on stderr.

Exit status: 0 printed or written, 1 the Dockerfile does not parse, 2 usage or I/O error.")]
pub struct DockerignoreArgs {
    /// The Dockerfile whose COPY and ADD instructions decide what is sent
    #[arg(value_name = "FILE", default_value = "Dockerfile")]
    pub file: String,
    /// The build context (default: the Dockerfile's folder)
    #[arg(long, value_name = "DIR")]
    pub context: Option<String>,
    /// Write it to the context's .dockerignore instead of printing it
    #[arg(short, long)]
    pub write: bool,
}

/// What convert and check share: which inputs, the conversion's options, the configuration.
#[derive(Debug, Args)]
pub struct FileFlags {
    #[command(flatten)]
    pub inputs: InputFlags,
    #[command(flatten)]
    pub context: ContextFlags,
    #[command(flatten)]
    pub engine: EngineFlags,
    #[command(flatten)]
    pub config: ConfigFlags,
}

/// Print a shell completion script
#[derive(Debug, Args)]
#[command(after_help = "bash: slimfile completions bash > /etc/bash_completion.d/slimfile\n\
zsh:  slimfile completions zsh > \"${fpath[1]}/_slimfile\"\n\
fish: slimfile completions fish > ~/.config/fish/completions/slimfile.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConvertFormat {
    Dockerfile,
    Diff,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Tty,
    Json,
    Sarif,
    #[value(alias = "github-actions")]
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// A `--fail-level` value (a newtype: clap reads `Option<Option<_>>` as a flag with an optional value).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Level(FailLevel);

impl CheckArgs {
    /// `None`: the config file's, else info.
    pub fn fail_level(&self) -> Option<FailLevel> {
        if self.no_fail {
            return Some(None);
        }
        self.fail_level.map(|l| l.0)
    }

    /// The `--ignore` rules, trimmed, without empty entries.
    pub fn ignore(&self) -> Vec<String> {
        self.ignore.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }

    pub fn color(&self) -> Color {
        if self.no_color {
            Color::Never
        } else {
            self.color
        }
    }
}

impl ConvertArgs {
    /// What clap cannot say with its declarations: `--write` rewrites files, in the Dockerfile format.
    pub fn check(&self) -> Result<(), String> {
        if self.write && self.files.iter().any(|f| f == "-") {
            return Err("--write cannot rewrite standard input".to_owned());
        }
        if self.write && self.format != ConvertFormat::Dockerfile {
            return Err("--write writes Dockerfiles; it does not combine with --format diff or json".to_owned());
        }
        Ok(())
    }
}

fn level_parser() -> impl TypedValueParser<Value = Level> {
    let names = Severity::ALL.into_iter().map(|s| PossibleValue::new(s.as_str()));
    let all = names.chain([PossibleValue::new("none").alias("ignore")]);
    PossibleValuesParser::new(all).map(|v| Level(parse_level(&v).unwrap_or(None)))
}

/// A usage error about `command`'s arguments, printed as clap prints its own (exit status 2).
pub fn usage_error(command: &str, message: &str) -> clap::Error {
    let mut cli = Cli::command();
    cli.build();
    let sub = cli.find_subcommand_mut(command).expect("a declared command");
    sub.error(clap::error::ErrorKind::ArgumentConflict, message)
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "slimfile", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use slimfile_core::RuntimeFamily;

    fn p(s: &str) -> Result<Command, clap::Error> {
        let argv = std::iter::once("slimfile").chain(s.split_whitespace());
        Cli::try_parse_from(argv).map(|c| c.command.expect("a command"))
    }

    #[test]
    fn the_declarations_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn convert() {
        let Command::Convert(a) = p("convert x --format=json --target distroless/static --root --cache-mounts").unwrap() else {
            panic!()
        };
        assert_eq!(a.files, ["x"]);
        assert_eq!(a.format, ConvertFormat::Json);
        assert_eq!(a.common.engine.target(), Some(Some(RuntimeFamily::DistrolessStatic)));
        assert_eq!(a.common.engine.non_root(), Some(false));
        assert_eq!(a.common.engine.cache_mounts(), Some(true));
        assert!(p("convert --format yaml").unwrap_err().to_string().contains("invalid value 'yaml'"));
        assert!(p("convert --bogus").unwrap_err().to_string().contains("unexpected argument '--bogus'"));
        let Command::Convert(a) = p("convert - --write").unwrap() else { panic!() };
        assert!(a.check().unwrap_err().contains("standard input"));
        let Command::Convert(a) = p("convert -").unwrap() else { panic!() };
        assert_eq!(a.files, ["-"]);
        let Command::Convert(a) = p("convert").unwrap() else { panic!() };
        assert_eq!(a.files, ["Dockerfile"]);
        let Command::Convert(a) = p("convert -- --odd-name a").unwrap() else { panic!() };
        assert_eq!(a.files, ["--odd-name", "a"]);
        // The last of --root and --non-root wins.
        let Command::Convert(a) = p("convert --root --non-root").unwrap() else { panic!() };
        assert_eq!(a.common.engine.non_root(), Some(true));
        let Command::Convert(a) = p("convert --target auto").unwrap() else { panic!() };
        assert_eq!(a.common.engine.target(), Some(None));
        // carry-files: unset by default, off with --no-carry-files, and the last of the pair wins.
        assert_eq!(a.common.engine.carry_files(), None);
        let Command::Convert(a) = p("convert --no-carry-files").unwrap() else { panic!() };
        assert_eq!(a.common.engine.carry_files(), Some(false));
        let Command::Convert(a) = p("convert --no-carry-files --carry-files").unwrap() else { panic!() };
        assert_eq!(a.common.engine.carry_files(), Some(true));
    }

    #[test]
    fn check() {
        let Command::Check(a) = p("check a b --format sarif -t warning --ignore DL3009,SF101 --ignore=DL3006 --min-savings 50%")
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(a.files, ["a", "b"]);
        assert_eq!(a.format, CheckFormat::Sarif);
        assert_eq!(a.fail_level(), Some(Some(Severity::Warning)));
        assert_eq!(a.ignore(), ["DL3009", "SF101", "DL3006"]);
        assert_eq!(a.min_savings, Some(Threshold::Percent(50.0)));
        let Command::Check(a) = p("check --no-fail").unwrap() else { panic!() };
        assert_eq!(a.fail_level(), Some(None));
        let Command::Check(a) = p("check --no-fail --fail-level ERROR").unwrap() else { panic!() };
        assert_eq!(a.fail_level(), Some(Some(Severity::Error)), "the last one wins, in any case");
        let Command::Check(a) = p("check --failure-threshold ignore --colour always --format github-actions").unwrap() else { panic!() };
        assert_eq!((a.fail_level(), a.color(), a.format), (Some(None), Color::Always, CheckFormat::Github));
        let Command::Check(a) = p("check --color always --no-colour").unwrap() else { panic!() };
        assert_eq!(a.color(), Color::Never);
        assert!(p("check --fail-level loud").unwrap_err().to_string().contains("invalid value 'loud'"));
        assert!(p("check --min-savings lots").unwrap_err().to_string().contains("is not a size"));
        assert!(p("check --root=yes").is_err());
        assert!(p("check --config a --no-config").unwrap_err().to_string().contains("cannot be used with"));
        assert!(p("frobnicate").unwrap_err().to_string().contains("unrecognized subcommand 'frobnicate'"));
    }

    #[test]
    fn graph_and_explain() {
        let Command::Graph(a) = p("graph x -f dot").unwrap() else { panic!() };
        assert_eq!((a.file.as_str(), a.format), ("x", GraphFormat::Dot));
        assert!(p("graph a b").unwrap_err().to_string().contains("unexpected argument 'b'"));
        let Command::Explain(a) = p("explain dl3009 --format json").unwrap() else { panic!() };
        assert_eq!((a.rule.as_deref(), a.format), (Some("dl3009"), ReportFormat::Json));
    }

    #[test]
    fn levels_and_targets() {
        assert_eq!(parse_level("Warning"), Ok(Some(Severity::Warning)));
        assert_eq!(parse_level("none"), Ok(None));
        assert!(parse_level("loud").unwrap_err().contains("unknown level 'loud'"));
        assert_eq!(parse_target("scratch"), Ok(Some(RuntimeFamily::Scratch)));
        assert!(parse_target("alpine").unwrap_err().contains("unknown target 'alpine' (expected auto, scratch"));
    }


    fn verify(args: &[&str]) -> Result<VerifyArgs, clap::Error> {
        let argv = ["slimfile", "verify"].into_iter().chain(args.iter().copied());
        match Cli::try_parse_from(argv)?.command {
            Some(Command::Verify(a)) => Ok(a),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn verify_arguments() {
        let a = verify(&["Dockerfile", "--context", "app", "--http", "8080/health", "--format=json", "--", "--version"]).unwrap();
        assert_eq!(a.context.as_deref(), Some("app"));
        assert_eq!(a.http, Some(verify::HttpCheck { port: 8080, path: "/health".to_owned() }));
        assert_eq!(a.format, ReportFormat::Json);
        assert_eq!(a.run_args, vec!["--version"]);
        assert!(verify(&["--engine", "lxc"]).unwrap_err().to_string().contains("invalid value 'lxc'"));
        assert_eq!(verify(&["--http", "/"]).unwrap().http, Some(verify::HttpCheck { port: 0, path: "/".to_owned() }));
        assert_eq!(verify(&["--http", "8080"]).unwrap().http, Some(verify::HttpCheck { port: 8080, path: "/".to_owned() }));
        assert!(verify(&["--http", "web/x"]).unwrap_err().to_string().contains("is not [PORT]/PATH"));
        let a = verify(&["--mask", r"\d+ms", "--mask", "host-[a-z]+", "--root"]).unwrap();
        assert_eq!(a.mask, [r"\d+ms", "host-[a-z]+"]);
        assert_eq!(a.conversion.non_root(), Some(false));
        assert!(verify(&["--mask", "(unclosed"]).unwrap_err().to_string().contains("unclosed group"));
        assert_eq!((a.file.as_str(), a.timeout, a.build_timeout), ("Dockerfile", 120, 1800));
        let a = verify(&["--health-cmd", "CMD /app --version", "--health-cmd", "curl -f localhost"]).unwrap();
        assert_eq!(a.health_cmd.len(), 2);
        assert_eq!(a.health_cmd[0].text, "CMD /app --version");
    }
}
