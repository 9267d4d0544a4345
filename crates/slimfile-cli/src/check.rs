//! `slimfile check`: findings of each file (filtered by `ignore`), whether a conversion pays off, and the
//! exit status for CI. Formats: tty (hadolint-like lines), json, sarif (`sarif.rs`), github (workflow
//! commands).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;
use slimfile_core::{convert, Options, Report, RuntimeFamily, Severity, Status};

use crate::args::{CheckArgs, CheckFormat, Color, FailLevel};
use crate::config::Configs;
use crate::rules::{self, DL1000, SF000};
use crate::savings::{self, Savings};
use crate::size::{human, Threshold};
use crate::{files, parallel_map, sarif};

/// One thing to report about a file, at a place.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub rule: String,
    /// The rule's kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
}

/// What `check` keeps of a report (the rest is dropped as soon as the file is checked).
pub struct Outcome {
    pub status: Status,
    pub runtime: Option<RuntimeFamily>,
    pub runtime_image: Option<String>,
    /// The line of the final stage's FROM (where conversion notes point), 1 when there is none.
    pub final_from_line: u32,
}

/// A checked file.
pub struct Checked {
    pub name: String,
    pub report: Outcome,
    pub items: Vec<Item>,
    pub savings: Option<Savings>,
    pub failed: bool,
}

impl Checked {
    pub fn final_from_line(&self) -> u32 {
        self.report.final_from_line
    }

    /// `slimfile convert would rewrite it to … (saving about …)`, when it converts.
    pub fn conversion_note(&self) -> Option<String> {
        if self.report.status != Status::Converted {
            return None;
        }
        let image = self.report.runtime_image.as_deref().unwrap_or("?");
        let family = self.report.runtime.map_or("?", |f| f.as_str());
        let mut s = format!("slimfile convert would rewrite it to a multi-stage build on {image} ({family})");
        if let Some(sv) = &self.savings {
            s.push_str(&format!(
                ": about {} instead of {}, saving about {} ({:.0}%; at least {})",
                human(sv.rewritten),
                human(sv.original),
                human(sv.bytes),
                sv.percent(),
                human(sv.low)
            ));
        }
        Some(s)
    }
}

/// Runs the engine over one file's text and decides what to report.
pub fn check_one(
    name: String,
    report: Report,
    ignore: &[String],
    fail_level: FailLevel,
    min_savings: Option<Threshold>,
) -> Checked {
    let mut items = Vec::new();
    for d in &report.diagnostics {
        if rules::ignored(ignore, DL1000.id) {
            continue;
        }
        let (line, column, end_line) = place(d.span.as_ref());
        items.push(Item {
            rule: DL1000.id.to_owned(),
            name: DL1000.name,
            severity: d.severity,
            message: d.message.clone(),
            line,
            column,
            end_line,
        });
    }
    for f in &report.findings {
        // The SF3xx questions are about the rewrite: `convert` prints them.
        let Some(info) = slimfile_core::findings::rule(&f.rule).filter(|r| !r.is_conversion()) else { continue };
        if rules::ignored(ignore, info.id) {
            continue;
        }
        let (line, column, end_line) = place(f.span.as_ref());
        items.push(Item {
            rule: f.rule.clone(),
            name: info.name,
            severity: f.severity,
            message: f.message.clone(),
            line,
            column,
            end_line,
        });
    }
    let savings = savings::of(&report);
    let outcome = Outcome {
        status: report.status,
        runtime: report.runtime,
        runtime_image: report.runtime_image,
        final_from_line: report.stages.last().map_or(1, |s| s.span.line.max(1)),
    };
    let mut checked = Checked { name, report: outcome, items, savings, failed: false };
    if let (Some(t), Some(sv)) = (min_savings, savings) {
        if sv.exceeds(t) && !rules::ignored(ignore, SF000.id) {
            let line = checked.final_from_line();
            let image = checked.report.runtime_image.clone().unwrap_or_default();
            checked.items.push(Item {
                rule: SF000.id.to_owned(),
                name: SF000.name,
                severity: SF000.severity,
                message: format!(
                    "converting to a multi-stage build on {image} would save about {} of {} ({:.0}%; at least {}), more than --min-savings {t}: run `slimfile convert --write`, or see the change with `slimfile convert --format diff`",
                    human(sv.bytes),
                    human(sv.original),
                    sv.percent(),
                    human(sv.low)
                ),
                line,
                column: 1,
                end_line: line,
            });
        }
    }
    checked.items.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
    checked.failed = checked.items.iter().any(|i| i.rule == SF000.id)
        || fail_level.is_some_and(|level| checked.items.iter().any(|i| i.severity <= level));
    checked
}

fn place(span: Option<&slimfile_core::Span>) -> (u32, u32, u32) {
    match span {
        Some(s) => {
            let line = s.line.max(1);
            (line, s.column.max(1), s.end_line.max(line))
        }
        None => (1, 1, 1),
    }
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, String> {
    let inputs = files::expand(&args.files)?;
    let mut configs = Configs::new(&args.config)?;
    struct Job {
        name: String,
        text: String,
        options: Options,
        ignore: Vec<String>,
        fail_level: FailLevel,
        min_savings: Option<Threshold>,
    }
    let mut jobs = Vec::new();
    let mut io_error = false;
    for input in &inputs {
        let config = configs.for_file(input)?;
        let min_savings = args.min_savings.or(config.min_savings);
        match files::read(input) {
            Ok((name, text)) => {
                let mut ignore = config.ignore.clone();
                ignore.extend(args.ignore.iter().cloned());
                jobs.push(Job {
                    name,
                    text,
                    options: config.options(&args.engine),
                    ignore,
                    fail_level: args.fail_level.or(config.fail_level).unwrap_or(Some(Severity::Info)),
                    min_savings,
                })
            }
            Err(e) => {
                eprintln!("slimfile: {e}");
                io_error = true;
            }
        }
    }
    for id in &args.ignore {
        if !rules::known(id) && !rules::is_hadolint_id(id) {
            return Err(format!("--ignore: unknown rule '{id}' (slimfile explain lists them)"));
        }
    }
    // Each worker converts and checks a file, then drops the report: only what is printed is kept.
    let checked: Vec<Checked> = parallel_map(&jobs, |j| {
        check_one(j.name.clone(), convert(&j.text, &j.options), &j.ignore, j.fail_level, j.min_savings)
    });

    let mut out = std::io::stdout().lock();
    let text = match args.format {
        CheckFormat::Tty => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            };
            tty(&checked, color)
        }
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json(&checked)).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        CheckFormat::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif::log(&checked)).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        CheckFormat::Github => github(&checked),
    };
    out.write_all(text.as_bytes()).map_err(|e| format!("cannot write: {e}"))?;
    out.flush().map_err(|e| format!("cannot write: {e}"))?;
    Ok(if io_error {
        ExitCode::from(2)
    } else if checked.iter().any(|c| c.failed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn severity(&self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "33",
            Severity::Info => "36",
            Severity::Style => "2",
        };
        self.wrap(code, s)
    }
}

/// hadolint's tty lines with a column: `Dockerfile:3:1 DL3009 info: message`; then a note when the file
/// would convert, and a summary when several files were checked.
fn tty(checked: &[Checked], color: bool) -> String {
    let p = Paint(color);
    let mut s = String::new();
    let mut counts = [0usize; 4];
    for c in checked {
        for i in &c.items {
            counts[i.severity as usize] += 1;
            s.push_str(&format!(
                "{} {} {}: {}\n",
                p.wrap("1", &format!("{}:{}:{}", c.name, i.line, i.column)),
                p.severity(i.severity, &i.rule),
                p.severity(i.severity, i.severity.as_str()),
                i.message
            ));
        }
        if let Some(note) = c.conversion_note() {
            s.push_str(&format!("{} {}: {note}\n", p.wrap("1", &format!("{}:{}:1", c.name, c.final_from_line())), p.wrap("32", "note")));
        }
    }
    if checked.len() > 1 {
        let converting = checked.iter().filter(|c| c.report.status == Status::Converted).count();
        let failed = checked.iter().filter(|c| c.failed).count();
        let parts: Vec<String> = [("error", "errors", counts[0]), ("warning", "warnings", counts[1]), ("info", "info", counts[2]), ("style", "style", counts[3])]
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(one, many, n)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect();
        s.push_str(&format!(
            "{} files checked: {}; {converting} would convert; {failed} failed\n",
            checked.len(),
            if parts.is_empty() { "no findings".to_owned() } else { parts.join(", ") }
        ));
    }
    s
}

#[derive(Serialize)]
struct JsonLog<'a> {
    version: &'static str,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    status: Status,
    runtime: Option<&'static str>,
    runtime_image: Option<&'a str>,
    conversion: Option<String>,
    savings: Option<JsonSavings>,
    findings: &'a [Item],
    failed: bool,
}

#[derive(Serialize)]
struct JsonSavings {
    /// Uncompressed bytes saved (typical, and the range).
    bytes: u64,
    low: u64,
    high: u64,
    /// The original and rewritten final images, uncompressed (typical).
    original: u64,
    rewritten: u64,
    percent: f64,
    percent_low: f64,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    findings: usize,
    error: usize,
    warning: usize,
    info: usize,
    style: usize,
    converting: usize,
    failed: usize,
}

fn json(checked: &[Checked]) -> JsonLog<'_> {
    let count = |sev: Severity| checked.iter().flat_map(|c| &c.items).filter(|i| i.severity == sev).count();
    JsonLog {
        version: env!("CARGO_PKG_VERSION"),
        files: checked
            .iter()
            .map(|c| JsonFile {
                file: &c.name,
                status: c.report.status,
                runtime: c.report.runtime.map(|f| f.as_str()),
                runtime_image: c.report.runtime_image.as_deref(),
                conversion: c.conversion_note(),
                savings: c.savings.map(|s| JsonSavings {
                    bytes: s.bytes,
                    low: s.low,
                    high: s.high,
                    original: s.original,
                    rewritten: s.rewritten,
                    percent: s.percent,
                    percent_low: s.percent_low,
                }),
                findings: &c.items,
                failed: c.failed,
            })
            .collect(),
        summary: JsonSummary {
            files: checked.len(),
            findings: checked.iter().map(|c| c.items.len()).sum(),
            error: count(Severity::Error),
            warning: count(Severity::Warning),
            info: count(Severity::Info),
            style: count(Severity::Style),
            converting: checked.iter().filter(|c| c.report.status == Status::Converted).count(),
            failed: checked.iter().filter(|c| c.failed).count(),
        },
    }
}

/// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
fn github(checked: &[Checked]) -> String {
    let mut s = String::new();
    for c in checked {
        for i in &c.items {
            let level = match i.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            s.push_str(&format!(
                "::{level} file={},line={},col={},endLine={},title={}::{}\n",
                gh_property(&c.name),
                i.line,
                i.column,
                i.end_line,
                gh_property(&format!("{} {}", i.rule, i.name)),
                gh_data(&i.message)
            ));
        }
        if let Some(note) = c.conversion_note() {
            s.push_str(&format!(
                "::notice file={},line={},title={}::{}\n",
                gh_property(&c.name),
                c.final_from_line(),
                gh_property("slimfile convert"),
                gh_data(&note)
            ));
        }
    }
    s
}

/// Escapes a workflow command's message.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(gh_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(gh_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn fail_levels_and_ignores() {
        let text = "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\n";
        let r = || slimfile_core::convert(text, &Options::default());
        let c = check_one("D".into(), r(), &[], Some(Severity::Info), None);
        let rules: Vec<&str> = c.items.iter().map(|i| i.rule.as_str()).collect();
        assert!(rules.contains(&"DL3006") && rules.contains(&"DL3009"), "{rules:?}");
        assert!(c.failed);
        let c = check_one("D".into(), r(), &[], Some(Severity::Error), None);
        assert!(!c.failed, "{:?}", c.items);
        let c = check_one("D".into(), r(), &[], None, None);
        assert!(!c.failed);
        let all: Vec<String> = rules.iter().map(|s| s.to_string()).collect();
        let c = check_one("D".into(), r(), &all, Some(Severity::Style), None);
        assert!(c.items.is_empty() && !c.failed);
    }

    #[test]
    fn syntax_errors_are_dl1000() {
        let r = slimfile_core::convert("FROM alpine\nFORM x\n", &Options::default());
        let c = check_one("D".into(), r, &[], Some(Severity::Error), None);
        assert_eq!(c.items[0].rule, "DL1000");
        assert_eq!((c.items[0].line, c.items[0].column), (2, 1));
        assert!(c.failed);
    }
}
