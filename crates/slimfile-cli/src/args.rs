//! Command-line arguments, read by hand (no dependency).
//!
//! ```text
//! slimfile convert [FILE|GLOB|DIR|-]... [--write] [--format dockerfile|diff|json] [engine options]
//! slimfile check   [FILE|GLOB|DIR|-]... [--format tty|json|sarif|github] [--fail-level LEVEL] [--min-savings SIZE] [--ignore RULE]...
//! slimfile graph   [FILE|-] [--format mermaid|dot|json]
//! slimfile explain [RULE] [--format text|json]
//! ```

use slimfile_core::{RuntimeFamily, Severity};

use crate::size::Threshold;

pub const USAGE: &str = "\
usage: slimfile <command> [options]

commands:
  convert [FILE|GLOB|DIR|-]...   rewrite Dockerfiles into multi-stage builds with a minimal final image
  check   [FILE|GLOB|DIR|-]...   findings (hadolint's rule ids) and whether a conversion would pay off
  graph   [FILE|-]               the stage graph as mermaid, dot or json
  explain [RULE]                 a rule's documentation; without RULE, every rule
  verify  [DOCKERFILE]           build the original and the rewritten image, run both, compare

FILE defaults to ./Dockerfile; - reads standard input; a GLOB ('**/Dockerfile*') or a DIR expands to the
Dockerfiles it matches. Settings come from the nearest .slimfile.toml above each file, then the flags.

run 'slimfile <command> --help' for a command's options.
";

pub const CONVERT_USAGE: &str = "\
usage: slimfile convert [FILE|GLOB|DIR|-]... [options]

Rewrites each Dockerfile into a multi-stage build with a minimal final image.
FILE defaults to ./Dockerfile; - reads standard input.

options:
  --format dockerfile|diff|json   what to print (default: dockerfile; several files need --write, diff or json)
  -w, --write                     rewrite the files in place (converted files only) instead of printing
  --target FAMILY                 the final image family: auto, scratch, distroless/static, distroless/base,
                                  distroless/cc, distroless/python3, distroless/java, distroless/nodejs,
                                  nginx, dotnet/aspnet, dotnet/runtime, slim (default: auto)
  --root                          keep running as root (default: a non-root user where the app allows)
  --non-root                      run as a non-root user where the app allows (overrides non-root = false)
  --no-comments                   drop the comments of the original
  --cache-mounts                  add RUN --mount=type=cache to go, cargo, npm, pip and maven steps
  --config FILE                   read settings from FILE instead of the nearest .slimfile.toml
  --no-config                     ignore .slimfile.toml files
  -h, --help                      this text

exit status: 0 converted or unchanged, 1 refused (reasons on stderr), 2 usage or I/O error
";

pub const CHECK_USAGE: &str = "\
usage: slimfile check [FILE|GLOB|DIR|-]... [options]

Reports findings about each Dockerfile (hadolint's rule ids where hadolint has the rule, SF1xx otherwise)
and whether `slimfile convert` would rewrite it.

options:
  --format tty|json|sarif|github  how to print (default: tty; sarif is SARIF 2.1.0 for code scanning,
                                  github is workflow commands that annotate a pull request)
  --fail-level LEVEL              exit 1 on a finding at or above LEVEL: error, warning, info, style or
                                  none (default: info, as hadolint; alias --failure-threshold, -t)
  --no-fail                       findings never exit 1 (same as --fail-level none)
  --min-savings SIZE              also exit 1 when converting would surely save more than SIZE (the low end
                                  of the size estimate, uncompressed): 100MB, 1.5GB, 200MiB or 50% of the
                                  image; reported as SF000
  --ignore RULE                   drop the findings of RULE (an id or a name); repeatable
  --color auto|always|never       colour the tty format (default: auto: on a terminal, unless NO_COLOR)
  --target, --root, --non-root, --no-comments, --cache-mounts
                                  the conversion's options, as for convert
  --config FILE                   read settings from FILE instead of the nearest .slimfile.toml
  --no-config                     ignore .slimfile.toml files
  -h, --help                      this text

inline pragmas: '# slimfile ignore=DL3009,SF101' (or '# hadolint ignore=…') on the lines right before an
instruction; '# slimfile global ignore=…' anywhere for the whole file.

exit status: 0 clean, 1 a finding at or above the fail level (a file that does not parse counts as an
error, DL1000) or a saving above --min-savings, 2 usage, configuration or I/O error
";

pub const GRAPH_USAGE: &str = "\
usage: slimfile graph [FILE|-] [options]

Prints the stage graph of a Dockerfile: stages (the target and unused stages marked), the images they
start from or copy from, and edges labelled FROM, COPY --from or mount.

options:
  --format mermaid|dot|json       (default: mermaid)
  -h, --help                      this text

exit status: 0 printed, 1 the Dockerfile does not parse, 2 usage or I/O error
";

pub const EXPLAIN_USAGE: &str = "\
usage: slimfile explain [RULE] [options]

Prints a rule's documentation (what it does, why it matters, an example). RULE is an id (DL3009, SF101)
or a name (apt-lists-left-behind); without RULE, lists every rule.

options:
  --format text|json              (default: text)
  -h, --help                      this text

exit status: 0 printed, 2 unknown rule or usage error
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertFormat {
    Dockerfile,
    Diff,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Tty,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The severity at or above which `check` fails; `None` never fails.
pub type FailLevel = Option<Severity>;

/// Engine options given on the command line; `None` leaves the config file's value (or the default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineFlags {
    /// `Some(None)` is `--target auto`.
    pub target: Option<Option<RuntimeFamily>>,
    pub non_root: Option<bool>,
    pub keep_comments: Option<bool>,
    pub cache_mounts: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigFlags {
    /// `--config FILE`: this file for every input instead of discovery.
    pub file: Option<String>,
    pub disabled: bool,
}

#[derive(Debug)]
pub struct ConvertArgs {
    pub files: Vec<String>,
    pub format: ConvertFormat,
    pub write: bool,
    pub engine: EngineFlags,
    pub config: ConfigFlags,
}

#[derive(Debug)]
pub struct CheckArgs {
    pub files: Vec<String>,
    pub format: CheckFormat,
    /// `None`: the config file's, else info.
    pub fail_level: Option<FailLevel>,
    pub min_savings: Option<Threshold>,
    pub ignore: Vec<String>,
    pub color: Color,
    pub engine: EngineFlags,
    pub config: ConfigFlags,
}

#[derive(Debug)]
pub struct GraphArgs {
    pub file: String,
    pub format: GraphFormat,
}

#[derive(Debug)]
pub struct ExplainArgs {
    pub rule: Option<String>,
    pub format: ExplainFormat,
}

#[derive(Debug)]
pub enum Command {
    /// Print this usage text and exit 0.
    Help(&'static str),
    Version,
    Convert(ConvertArgs),
    Check(CheckArgs),
    Graph(GraphArgs),
    Explain(ExplainArgs),
    /// `verify`'s arguments, parsed by `verify.rs`.
    Verify(Vec<String>),
}

/// A usage error: the message, and the usage text of the command it is about.
#[derive(Debug)]
pub struct UsageError {
    pub message: String,
    pub command: Option<&'static str>,
}

pub fn parse_level(v: &str) -> Result<FailLevel, String> {
    match v.to_ascii_lowercase().as_str() {
        "none" | "ignore" => Ok(None),
        _ => v.parse().map(Some).map_err(|_| format!("unknown level '{v}' (expected error, warning, info, style or none)")),
    }
}

pub fn parse_target(v: &str) -> Result<Option<RuntimeFamily>, String> {
    if v == "auto" {
        return Ok(None);
    }
    RuntimeFamily::parse(v).map(Some).ok_or_else(|| {
        let all: Vec<&str> = RuntimeFamily::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown target '{v}' (expected auto, {})", all.join(", "))
    })
}

/// Parses `argv` (without the program name).
pub fn parse(argv: &[String]) -> Result<Command, UsageError> {
    let usage = |message: String, command: Option<&'static str>| UsageError { message, command };
    let Some(first) = argv.first() else { return Ok(Command::Help(USAGE)) };
    let rest = &argv[1..];
    match first.as_str() {
        "-h" | "--help" => Ok(Command::Help(USAGE)),
        "help" => Ok(Command::Help(match rest.first().map(String::as_str) {
            Some("convert") => CONVERT_USAGE,
            Some("check") => CHECK_USAGE,
            Some("graph") => GRAPH_USAGE,
            Some("explain") => EXPLAIN_USAGE,
            Some("verify") => crate::verify::VERIFY_USAGE,
            _ => USAGE,
        })),
        "-V" | "--version" | "version" => Ok(Command::Version),
        "convert" => parse_convert(rest).map_err(|m| usage(m, Some("convert"))),
        "check" => parse_check(rest).map_err(|m| usage(m, Some("check"))),
        "graph" => parse_graph(rest).map_err(|m| usage(m, Some("graph"))),
        "explain" => parse_explain(rest).map_err(|m| usage(m, Some("explain"))),
        "verify" => Ok(Command::Verify(rest.to_vec())),
        other if other.starts_with('-') && other != "-" => {
            Err(usage(format!("unknown option '{other}' (a command comes first: convert, check, graph or explain)"), None))
        }
        other => Err(usage(format!("unknown command '{other}' (expected convert, check, graph or explain)"), None)),
    }
}

/// Walks `--flag value`, `--flag=value` and positionals; `handle` returns `Ok(false)` for an unknown flag.
struct Walker<'a> {
    argv: &'a [String],
    i: usize,
    only_positionals: bool,
}

enum Arg<'a> {
    Flag { name: &'a str, inline: Option<&'a str> },
    Positional(&'a str),
}

impl<'a> Walker<'a> {
    fn new(argv: &'a [String]) -> Walker<'a> {
        Walker { argv, i: 0, only_positionals: false }
    }

    fn next(&mut self) -> Option<Arg<'a>> {
        let a = self.argv.get(self.i)?;
        self.i += 1;
        if self.only_positionals || a == "-" || !a.starts_with('-') {
            return Some(Arg::Positional(a));
        }
        if a == "--" {
            self.only_positionals = true;
            return self.next();
        }
        Some(match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => Arg::Flag { name: f, inline: Some(v) },
            _ => Arg::Flag { name: a, inline: None },
        })
    }

    fn value(&mut self, name: &str, inline: Option<&'a str>) -> Result<&'a str, String> {
        if let Some(v) = inline {
            return Ok(v);
        }
        let v = self.argv.get(self.i).ok_or_else(|| format!("{name} needs a value"))?;
        self.i += 1;
        Ok(v)
    }
}

fn no_value(name: &str, inline: Option<&str>) -> Result<(), String> {
    match inline {
        Some(_) => Err(format!("{name} takes no value")),
        None => Ok(()),
    }
}

/// Engine and config flags shared by convert and check. `Ok(false)`: not one of them.
fn common<'a>(w: &mut Walker<'a>, name: &str, inline: Option<&'a str>, e: &mut EngineFlags, c: &mut ConfigFlags) -> Result<bool, String> {
    match name {
        "--target" => e.target = Some(parse_target(w.value(name, inline)?)?),
        "--root" => {
            no_value(name, inline)?;
            e.non_root = Some(false)
        }
        "--non-root" => {
            no_value(name, inline)?;
            e.non_root = Some(true)
        }
        "--no-comments" => {
            no_value(name, inline)?;
            e.keep_comments = Some(false)
        }
        "--cache-mounts" => {
            no_value(name, inline)?;
            e.cache_mounts = Some(true)
        }
        "--config" | "-c" => c.file = Some(w.value(name, inline)?.to_owned()),
        "--no-config" => {
            no_value(name, inline)?;
            c.disabled = true
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn parse_convert(argv: &[String]) -> Result<Command, String> {
    let mut a = ConvertArgs {
        files: vec![],
        format: ConvertFormat::Dockerfile,
        write: false,
        engine: EngineFlags::default(),
        config: ConfigFlags::default(),
    };
    let mut w = Walker::new(argv);
    while let Some(arg) = w.next() {
        match arg {
            Arg::Positional(p) => a.files.push(p.to_owned()),
            Arg::Flag { name, inline } => {
                if common(&mut w, name, inline, &mut a.engine, &mut a.config)? {
                    continue;
                }
                match name {
                    "-h" | "--help" => return Ok(Command::Help(CONVERT_USAGE)),
                    "--format" | "-f" => {
                        a.format = match w.value("--format", inline)? {
                            "dockerfile" => ConvertFormat::Dockerfile,
                            "diff" => ConvertFormat::Diff,
                            "json" => ConvertFormat::Json,
                            other => {
                                return Err(format!("unknown format '{other}' (expected dockerfile, diff or json)"))
                            }
                        }
                    }
                    "--write" | "-w" => {
                        no_value(name, inline)?;
                        a.write = true
                    }
                    f => return Err(format!("unknown option '{f}'")),
                }
            }
        }
    }
    if a.files.is_empty() {
        a.files.push("Dockerfile".to_owned());
    }
    if a.write && a.files.iter().any(|f| f == "-") {
        return Err("--write cannot rewrite standard input".to_owned());
    }
    if a.write && a.format != ConvertFormat::Dockerfile {
        return Err("--write writes Dockerfiles; it does not combine with --format diff or json".to_owned());
    }
    Ok(Command::Convert(a))
}

fn parse_check(argv: &[String]) -> Result<Command, String> {
    let mut a = CheckArgs {
        files: vec![],
        format: CheckFormat::Tty,
        fail_level: None,
        min_savings: None,
        ignore: vec![],
        color: Color::Auto,
        engine: EngineFlags::default(),
        config: ConfigFlags::default(),
    };
    let mut w = Walker::new(argv);
    while let Some(arg) = w.next() {
        match arg {
            Arg::Positional(p) => a.files.push(p.to_owned()),
            Arg::Flag { name, inline } => {
                if common(&mut w, name, inline, &mut a.engine, &mut a.config)? {
                    continue;
                }
                match name {
                    "-h" | "--help" => return Ok(Command::Help(CHECK_USAGE)),
                    "--format" | "-f" => {
                        a.format = match w.value("--format", inline)? {
                            "tty" => CheckFormat::Tty,
                            "json" => CheckFormat::Json,
                            "sarif" => CheckFormat::Sarif,
                            "github" | "github-actions" => CheckFormat::Github,
                            other => {
                                return Err(format!("unknown format '{other}' (expected tty, json, sarif or github)"))
                            }
                        }
                    }
                    "--fail-level" | "--failure-threshold" | "-t" => {
                        a.fail_level = Some(parse_level(w.value(name, inline)?)?)
                    }
                    "--no-fail" => {
                        no_value(name, inline)?;
                        a.fail_level = Some(None)
                    }
                    "--min-savings" => a.min_savings = Some(w.value(name, inline)?.parse()?),
                    "--ignore" => {
                        for id in w.value(name, inline)?.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                            a.ignore.push(id.to_owned());
                        }
                    }
                    "--color" | "--colour" => {
                        a.color = match w.value(name, inline)? {
                            "auto" => Color::Auto,
                            "always" => Color::Always,
                            "never" => Color::Never,
                            other => return Err(format!("unknown colour choice '{other}' (expected auto, always or never)")),
                        }
                    }
                    "--no-color" | "--no-colour" => {
                        no_value(name, inline)?;
                        a.color = Color::Never
                    }
                    f => return Err(format!("unknown option '{f}'")),
                }
            }
        }
    }
    if a.files.is_empty() {
        a.files.push("Dockerfile".to_owned());
    }
    Ok(Command::Check(a))
}

fn parse_graph(argv: &[String]) -> Result<Command, String> {
    let mut a = GraphArgs { file: String::new(), format: GraphFormat::Mermaid };
    let mut w = Walker::new(argv);
    while let Some(arg) = w.next() {
        match arg {
            Arg::Positional(p) => {
                if !a.file.is_empty() {
                    return Err(format!("graph reads one FILE (got '{}' and '{p}')", a.file));
                }
                a.file = p.to_owned();
            }
            Arg::Flag { name, inline } => match name {
                "-h" | "--help" => return Ok(Command::Help(GRAPH_USAGE)),
                "--format" | "-f" => {
                    a.format = match w.value("--format", inline)? {
                        "mermaid" => GraphFormat::Mermaid,
                        "dot" => GraphFormat::Dot,
                        "json" => GraphFormat::Json,
                        other => return Err(format!("unknown format '{other}' (expected mermaid, dot or json)")),
                    }
                }
                f => return Err(format!("unknown option '{f}'")),
            },
        }
    }
    if a.file.is_empty() {
        a.file = "Dockerfile".to_owned();
    }
    Ok(Command::Graph(a))
}

fn parse_explain(argv: &[String]) -> Result<Command, String> {
    let mut a = ExplainArgs { rule: None, format: ExplainFormat::Text };
    let mut w = Walker::new(argv);
    while let Some(arg) = w.next() {
        match arg {
            Arg::Positional(p) => {
                if let Some(r) = &a.rule {
                    return Err(format!("explain takes one RULE (got '{r}' and '{p}')"));
                }
                a.rule = Some(p.to_owned());
            }
            Arg::Flag { name, inline } => match name {
                "-h" | "--help" => return Ok(Command::Help(EXPLAIN_USAGE)),
                "--format" | "-f" => {
                    a.format = match w.value("--format", inline)? {
                        "text" => ExplainFormat::Text,
                        "json" => ExplainFormat::Json,
                        other => return Err(format!("unknown format '{other}' (expected text or json)")),
                    }
                }
                f => return Err(format!("unknown option '{f}'")),
            },
        }
    }
    Ok(Command::Explain(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::Threshold;

    fn p(s: &str) -> Result<Command, UsageError> {
        parse(&s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn convert() {
        let Command::Convert(a) = p("convert x --format=json --target distroless/static --root --cache-mounts").unwrap() else {
            panic!()
        };
        assert_eq!(a.files, ["x"]);
        assert_eq!(a.format, ConvertFormat::Json);
        assert_eq!(a.engine.target, Some(Some(RuntimeFamily::DistrolessStatic)));
        assert_eq!(a.engine.non_root, Some(false));
        assert_eq!(a.engine.cache_mounts, Some(true));
        assert!(p("convert --format yaml").unwrap_err().message.contains("unknown format"));
        assert!(p("convert --bogus").unwrap_err().message.contains("unknown option"));
        assert!(p("convert - --write").unwrap_err().message.contains("standard input"));
        assert!(matches!(p("--help").unwrap(), Command::Help(USAGE)));
        assert!(matches!(p("convert -h").unwrap(), Command::Help(CONVERT_USAGE)));
        let Command::Convert(a) = p("convert -").unwrap() else { panic!() };
        assert_eq!(a.files, ["-"]);
        let Command::Convert(a) = p("convert").unwrap() else { panic!() };
        assert_eq!(a.files, ["Dockerfile"]);
        let Command::Convert(a) = p("convert -- --odd-name a").unwrap() else { panic!() };
        assert_eq!(a.files, ["--odd-name", "a"]);
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
        assert_eq!(a.fail_level, Some(Some(Severity::Warning)));
        assert_eq!(a.ignore, ["DL3009", "SF101", "DL3006"]);
        assert_eq!(a.min_savings, Some(Threshold::Percent(50.0)));
        let Command::Check(a) = p("check --no-fail").unwrap() else { panic!() };
        assert_eq!(a.fail_level, Some(None));
        assert!(p("check --fail-level loud").unwrap_err().message.contains("unknown level"));
        assert!(p("check --min-savings lots").unwrap_err().message.contains("size"));
        assert!(p("check --root=yes").unwrap_err().message.contains("takes no value"));
        assert!(p("frobnicate").unwrap_err().message.contains("unknown command"));
    }

    #[test]
    fn graph_and_explain() {
        let Command::Graph(a) = p("graph x -f dot").unwrap() else { panic!() };
        assert_eq!((a.file.as_str(), a.format), ("x", GraphFormat::Dot));
        assert!(p("graph a b").unwrap_err().message.contains("one FILE"));
        let Command::Explain(a) = p("explain dl3009 --format json").unwrap() else { panic!() };
        assert_eq!((a.rule.as_deref(), a.format), (Some("dl3009"), ExplainFormat::Json));
        assert!(matches!(p("help check").unwrap(), Command::Help(CHECK_USAGE)));
    }
}
