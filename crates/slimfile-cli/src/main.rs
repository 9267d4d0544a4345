//! `slimfile`: the command line over slimfile's engine.
//!
//! ```text
//! slimfile convert [FILE|GLOB|DIR|-]... [--write] [--format dockerfile|diff|json] [--target FAMILY] [--root] [--no-comments] [--cache-mounts]
//! slimfile check   [FILE|GLOB|DIR|-]... [--format tty|json|sarif|github] [--fail-level LEVEL] [--min-savings SIZE] [--ignore RULE]
//! slimfile graph   [FILE|-] [--format mermaid|dot|json]
//! slimfile explain [RULE]
//! ```
//! Exit codes: 0 success, 1 what the command reports failed (refused, findings at the fail level, a file
//! that does not parse), 2 usage, configuration or I/O error. Each command's `--help` says which.

mod args;
mod check;
mod config;
mod convert;
mod explain;
mod files;
mod graph;
mod rules;
mod sarif;
mod savings;
mod size;
mod verify;

use std::io::Write;
use std::process::ExitCode;

use args::{Command, GraphArgs, GraphFormat};
use slimfile_core::{convert, Options, Report, Severity};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let command = match args::parse(&argv) {
        Ok(c) => c,
        Err(e) => {
            let help = e.command.map_or("slimfile --help".to_owned(), |c| format!("slimfile {c} --help"));
            eprintln!("slimfile: {}\nrun '{help}' for usage", e.message);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help(text) => print(text).map(|_| ExitCode::SUCCESS),
        Command::Version => print(&format!("slimfile {}\n", env!("CARGO_PKG_VERSION"))).map(|_| ExitCode::SUCCESS),
        Command::Convert(a) => convert::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Graph(a) => graph(&a),
        Command::Explain(a) => explain::run(&a).and_then(|s| print(&s)).map(|_| ExitCode::SUCCESS),
        Command::Verify(a) => verify::run_cli(&a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("slimfile: {e}");
            ExitCode::from(2)
        }
    }
}

fn print(s: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes()).and_then(|_| out.flush()).map_err(|e| format!("cannot write: {e}"))
}

fn graph(a: &GraphArgs) -> Result<ExitCode, String> {
    let inputs = files::expand(std::slice::from_ref(&a.file))?;
    if inputs.len() != 1 {
        return Err(format!("graph reads one file; '{}' matches {}", a.file, inputs.len()));
    }
    let (name, text) = files::read(&inputs[0])?;
    let report = convert(&text, &Options::default());
    let g = graph::build(&report);
    print(&match a.format {
        GraphFormat::Mermaid => graph::mermaid(&g),
        GraphFormat::Dot => graph::dot(&g),
        GraphFormat::Json => format!("{}\n", serde_json::to_string_pretty(&g).map_err(|e| e.to_string())?),
    })?;
    let mut broken = false;
    for d in &report.diagnostics {
        let at = d.span.as_ref().map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        eprintln!("{name}{at}: {}", d.message);
        broken |= d.severity == Severity::Error;
    }
    Ok(if broken { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `f` over every item, on as many threads as there are cores (at most 16); results in input order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len()).min(16);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            mine.push((i, f(item)));
        }
        mine
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        // The main thread works too: one thread fewer to start.
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        all
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Converts every text in parallel; reports in input order.
pub fn parallel_convert(jobs: Vec<(&str, &Options)>) -> Vec<Report> {
    parallel_map(&jobs, |(t, o)| convert(t, o))
}
