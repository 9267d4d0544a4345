//! `slimfile`: the command line over slimfile's engine.
//!
//! ```text
//! slimfile convert [FILE|-] [--format dockerfile|diff|json] [--target FAMILY] [--root] [--no-comments] [--cache-mounts]
//! ```
//! Exit codes: 0 converted or unchanged, 1 refused (the reasons are printed), 2 usage or I/O error.

mod args;

use std::io::{Read, Write};
use std::process::ExitCode;

use args::{Args, Format};
use slimfile_core::{convert, Report, Status};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match args::parse(&argv) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("slimfile: {e}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("slimfile: {e}");
            ExitCode::from(2)
        }
    }
}

fn read_input(path: &str) -> Result<(String, String), String> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(("<stdin>".to_owned(), decode(buf, "<stdin>")?));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Ok((path.to_owned(), decode(bytes, path)?))
}

fn decode(bytes: Vec<u8>, name: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!("{name} is not UTF-8 text (invalid byte at offset {}); Dockerfiles are read as UTF-8", e.utf8_error().valid_up_to())
    })
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let (name, text) = read_input(&args.file)?;
    let report = convert(&text, &args.options);
    let mut out = std::io::stdout().lock();
    let w = |out: &mut std::io::StdoutLock, s: &str| out.write_all(s.as_bytes()).map_err(|e| format!("cannot write: {e}"));
    match args.format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            w(&mut out, &json)?;
            w(&mut out, "\n")?;
        }
        Format::Dockerfile => match &report.output {
            Some(o) => w(&mut out, o)?,
            None => {
                // Unchanged: the input is already the answer; refused: nothing on stdout.
                if report.status == Status::Unchanged {
                    w(&mut out, &text)?;
                }
            }
        },
        Format::Diff => w(&mut out, &report.diff.unified)?,
    }
    explain(&name, &report, args.format);
    Ok(match report.status {
        Status::Refused => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

/// What happened, on stderr, so that stdout stays a clean Dockerfile, diff or JSON.
fn explain(name: &str, r: &Report, format: Format) {
    if format == Format::Json {
        return;
    }
    let mut err = std::io::stderr().lock();
    for d in &r.diagnostics {
        let at = d.span.as_ref().map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        let _ = writeln!(err, "{name}{at}: {}", d.message);
    }
    match r.status {
        Status::Converted => {
            let _ = writeln!(
                err,
                "{name}: converted to {} ({})",
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
}
