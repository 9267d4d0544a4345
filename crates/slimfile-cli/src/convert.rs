//! `slimfile convert`: each file rewritten, printed (Dockerfile, diff or JSON) or written in place.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use slimfile_core::{Report, Status};

use crate::args::{ConvertArgs, ConvertFormat};
use crate::config::Configs;
use crate::files;
use crate::output::parallel_convert;

#[derive(Serialize)]
struct Named<'a> {
    file: &'a str,
    report: &'a Report,
}

pub fn run(args: &ConvertArgs) -> Result<ExitCode, String> {
    let inputs = files::expand(&args.files, args.common.inputs.into())?;
    if inputs.len() > 1 && !args.write && args.format == ConvertFormat::Dockerfile {
        return Err(format!(
            "{} files to convert: add --write to rewrite them in place, or print them with --format diff or json",
            inputs.len()
        ));
    }
    let mut configs = Configs::new(&args.common.config)?;
    let mut jobs = Vec::new();
    let mut io_error = false;
    for input in &inputs {
        let options = configs.for_file(input)?.options(&args.common.engine);
        match files::read(input) {
            Ok((name, text)) => jobs.push((input.clone(), name, text, options)),
            Err(e) => {
                eprintln!("slimfile: {e}");
                io_error = true;
            }
        }
    }
    let reports = parallel_convert(jobs.iter().map(|(_, _, t, o)| (t.as_str(), o)).collect());
    let mut out = std::io::stdout().lock();
    let mut w = |s: &str| out.write_all(s.as_bytes()).map_err(|e| format!("cannot write: {e}"));
    match args.format {
        ConvertFormat::Json => {
            let json = if inputs.len() == 1 && jobs.len() == 1 {
                serde_json::to_string_pretty(&reports[0])
            } else {
                let named: Vec<Named<'_>> = jobs.iter().zip(&reports).map(|(j, r)| Named { file: &j.1, report: r }).collect();
                serde_json::to_string_pretty(&named)
            }
            .map_err(|e| e.to_string())?;
            w(&json)?;
            w("\n")?;
        }
        ConvertFormat::Diff => {
            for ((input, name, _, _), r) in jobs.iter().zip(&reports) {
                let unified = &r.diff.unified;
                // For a real file, name it on both sides so that `patch -p0` or `git apply -p0` applies it.
                match unified.strip_prefix("--- Dockerfile\n+++ Dockerfile.slim\n") {
                    Some(body) if input != "-" => w(&format!("--- {name}\n+++ {name}\n{body}"))?,
                    _ => w(unified)?,
                }
            }
        }
        ConvertFormat::Dockerfile if !args.write => {
            if let (Some((_, _, text, _)), Some(r)) = (jobs.first(), reports.first()) {
                match &r.output {
                    Some(o) => w(o)?,
                    // Unchanged: the input is already the answer; refused: nothing on stdout.
                    None if r.status == Status::Unchanged => w(text)?,
                    None => {}
                }
            }
        }
        ConvertFormat::Dockerfile => {
            for ((input, name, _, _), r) in jobs.iter().zip(&reports) {
                if let Some(o) = &r.output {
                    if let Err(e) = std::fs::write(input, o) {
                        eprintln!("slimfile: cannot write {name}: {e}");
                        io_error = true;
                    }
                }
            }
        }
    }
    drop(out);
    if args.format != ConvertFormat::Json {
        for ((_, name, _, _), r) in jobs.iter().zip(&reports) {
            explain(name, r, args.write);
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

/// What happened, on stderr, so that stdout stays a clean Dockerfile, diff or JSON: syntax errors, the
/// outcome, and the questions the rewrite asks (SF3xx: what the file does not say).
fn explain(name: &str, r: &Report, wrote: bool) {
    let mut err = std::io::stderr().lock();
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
            for f in r.findings.iter().filter(|f| slimfile_core::findings::rule(&f.rule).is_some_and(|r| r.is_conversion())) {
                let at = f.span.as_ref().map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
                let _ = writeln!(err, "{name}{at}: {} {}: {}", f.rule, f.severity, f.message);
            }
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
}
