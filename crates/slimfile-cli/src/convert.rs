//! `slimfile convert`: each file rewritten, printed (Dockerfile, diff or JSON) or written in place.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use slimfile_core::{convert_with, Report, Status};

use crate::args::{ConvertArgs, ConvertFormat};
use crate::config::Configs;
use crate::inputs::{self, Job};
use crate::output::parallel_map;

#[derive(Serialize)]
struct Named<'a> {
    file: &'a str,
    /// The compose service or bake target that builds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    report: &'a Report,
}

pub fn run(args: &ConvertArgs) -> Result<ExitCode, String> {
    let (jobs, mut io_error) = inputs::jobs(&args.files, args.common.inputs.into(), &args.common.context)?;
    if jobs.len() > 1 && !args.write && args.format == ConvertFormat::Dockerfile {
        return Err(format!(
            "{} files to convert: add --write to rewrite them in place, or print them with --format diff or json",
            jobs.len()
        ));
    }
    let mut configs = Configs::new(&args.common.config)?;
    let date = crate::today::judged_on(args.common.engine.date())?;
    let mut options = Vec::with_capacity(jobs.len());
    for j in &jobs {
        options.push(configs.for_file(&j.input)?.options(&args.common.engine, &date));
    }
    let reports = parallel_map(&jobs.iter().zip(&options).collect::<Vec<_>>(), |(j, o)| convert_with(&j.text, o, &j.context));
    let mut out = std::io::stdout().lock();
    let mut w = |s: &str| out.write_all(s.as_bytes()).map_err(|e| format!("cannot write: {e}"));
    match args.format {
        ConvertFormat::Json => {
            let json = if args.files.len() == 1 && jobs.len() == 1 && jobs[0].service.is_none() {
                serde_json::to_string_pretty(&reports[0])
            } else {
                let named: Vec<Named<'_>> =
                    jobs.iter().zip(&reports).map(|(j, r)| Named { file: &j.name, service: j.service.as_deref(), report: r }).collect();
                serde_json::to_string_pretty(&named)
            }
            .map_err(|e| e.to_string())?;
            w(&json)?;
            w("\n")?;
        }
        ConvertFormat::Diff => {
            for (j, r) in jobs.iter().zip(&reports) {
                let unified = &r.diff.unified;
                // For a real file, name it on both sides so that `patch -p0` or `git apply -p0` applies it.
                match unified.strip_prefix("--- Dockerfile\n+++ Dockerfile.slim\n") {
                    Some(body) if j.input != "-" => w(&format!("--- {}\n+++ {}\n{body}", j.name, j.name))?,
                    _ => w(unified)?,
                }
            }
        }
        ConvertFormat::Dockerfile if !args.write => {
            if let (Some(j), Some(r)) = (jobs.first(), reports.first()) {
                match &r.output {
                    Some(o) => w(o)?,
                    // Unchanged: the input is already the answer; refused: nothing on stdout.
                    None if r.status == Status::Unchanged => w(&j.text)?,
                    None => {}
                }
            }
        }
        ConvertFormat::Dockerfile => {
            for (j, r) in jobs.iter().zip(&reports) {
                if let Some(o) = &r.output {
                    if !j.whole {
                        eprintln!(
                            "slimfile: {}: not rewritten: {} builds one of its stages, not the last; convert it with --format diff",
                            j.name,
                            j.service.as_deref().unwrap_or("the build")
                        );
                        continue;
                    }
                    if let Err(e) = std::fs::write(&j.input, o) {
                        eprintln!("slimfile: cannot write {}: {e}", j.name);
                        io_error = true;
                    }
                }
            }
        }
    }
    drop(out);
    if args.format != ConvertFormat::Json {
        for (j, r) in jobs.iter().zip(&reports) {
            explain(j, r, args.write);
        }
        if let Some(r) = reports.first() {
            eprintln!("{}", knowledge_line(r));
        }
    }
    Ok(if io_error {
        ExitCode::from(2)
    } else if reports.iter().any(|r| r.status == Status::Refused) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The one line that dates what the conversion knew of images: `image knowledge as of 2026-08-22, support
/// judged on 2026-12-03`.
pub fn knowledge_line(r: &Report) -> String {
    let k = &r.knowledge;
    if k.judged_on == k.as_of {
        format!("image knowledge as of {}", k.as_of)
    } else {
        format!("image knowledge as of {}, support judged on {}", k.as_of, k.judged_on)
    }
}

/// What happened, on stderr, so that stdout stays a clean Dockerfile, diff or JSON: syntax errors, the
/// outcome, and the questions the rewrite asks (SF3xx: what the file does not say).
fn explain(job: &Job, r: &Report, wrote: bool) {
    let name = job.name.as_str();
    let mut err = std::io::stderr().lock();
    if let Some(s) = &job.service {
        let _ = writeln!(err, "{name}: {s}");
    }
    for d in &r.diagnostics {
        let at = d.span.as_ref().map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        let _ = writeln!(err, "{name}{at}: {}", d.message);
    }
    match r.status {
        Status::Converted => {
            let _ = writeln!(
                err,
                "{name}: {} {} ({})",
                if wrote { "rewritten for" } else { "converted to" },
                r.runtime_image.as_deref().unwrap_or("?"),
                r.runtime.map_or("?", |f| f.as_str())
            );
        }
        Status::Unchanged => {
            for reason in &r.reasons {
                let _ = writeln!(err, "{name}: unchanged: {reason}");
            }
        }
        Status::Refused => {
            for reason in &r.reasons {
                let _ = writeln!(err, "{name}: refused: {reason}");
            }
        }
    }
    // The questions the rewrite asks, and what is past its support window (SF108) whatever the outcome.
    let shown = |rule: &str| rule == END_OF_LIFE || r.status == Status::Converted && slimfile_core::findings::rule(rule).is_some_and(|r| r.is_conversion());
    for f in r.findings.iter().filter(|f| shown(&f.rule)) {
        let at = f.span.as_ref().map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        let _ = writeln!(err, "{name}{at}: {} {}: {}", f.rule, f.severity, f.message);
    }
}

/// The end-of-life rule, whose findings `convert` prints with its outcome.
const END_OF_LIFE: &str = "SF108";
