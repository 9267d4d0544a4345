//! `slimfile check`: findings of each file (filtered by `ignore`), whether a conversion pays off, and the
//! exit status for CI. Formats: tty (hadolint-like lines), json, sarif (`sarif.rs`), github (workflow
//! commands).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;
use slimfile_core::{convert_with, Options, Severity, Status};

use crate::args::{CheckArgs, CheckFormat, Color, FailLevel};
use crate::checked::{check_one, Checked, Item};
use crate::config::Configs;
use crate::output::parallel_map;
use crate::size::Threshold;
use crate::{inputs, rules, sarif};

pub fn run(args: &CheckArgs) -> Result<ExitCode, String> {
    let (inputs, io_error) = inputs::jobs(&args.files, args.common.inputs.into(), &args.common.context)?;
    let mut configs = Configs::new(&args.common.config)?;
    let date = crate::today::judged_on(args.common.engine.date())?;
    struct Job {
        job: inputs::Job,
        options: Options,
        ignore: Vec<String>,
        fail_level: FailLevel,
        min_savings: Option<Threshold>,
    }
    let mut jobs = Vec::new();
    for job in inputs {
        let config = configs.for_file(&job.input)?;
        let mut ignore = config.ignore.clone();
        ignore.extend(args.ignore());
        jobs.push(Job {
            options: config.options(&args.common.engine, &date),
            ignore,
            fail_level: args.fail_level().or(config.fail_level).unwrap_or(Some(Severity::Info)),
            min_savings: args.min_savings.or(config.min_savings),
            job,
        });
    }
    for id in &args.ignore() {
        if !rules::known(id) && !rules::is_hadolint_id(id) {
            return Err(format!("--ignore: unknown rule '{id}' (slimfile explain lists them)"));
        }
    }
    // Each worker converts and checks a file, then drops the report: only what is printed is kept.
    let checked: Vec<Checked> = parallel_map(&jobs, |j| {
        let mut c = check_one(j.job.name.clone(), convert_with(&j.job.text, &j.options, &j.job.context), &j.ignore, j.fail_level, j.min_savings);
        c.service = j.job.service.clone();
        c
    });

    let mut out = std::io::stdout().lock();
    let text = match args.format {
        CheckFormat::Tty => {
            let color = match args.color() {
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
        if let Some(service) = &c.service {
            s.push_str(&format!("{}: {service}\n", p.wrap("1", &c.name)));
        }
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
    /// The compose service or bake target that builds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
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
                service: c.service.as_deref(),
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
}
