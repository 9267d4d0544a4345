//! `slimfile`: the command line over slimfile's engine. `args` declares the commands and their flags;
//! each command has its module (`convert`, `check`, `graph`, `explain`, `verify`, `dockerignore`); `inputs`
//! turns the command line's files (and compose or bake files) into Dockerfiles with their build `context`.
//!
//! Exit codes: 0 success, 1 what the command reports failed (refused, findings at the fail level, a file
//! that does not parse), 2 usage, configuration or I/O error. Each command's `--help` says which.

mod args;
mod check;
mod checked;
mod compose;
mod config;
mod context;
mod convert;
mod dockerignore;
mod explain;
mod files;
mod graph;
mod inputs;
mod output;
mod rules;
mod sarif;
mod savings;
mod size;
mod today;
#[cfg(unix)]
mod verify;

use std::process::ExitCode;

use args::{Cli, Command};
use clap::{CommandFactory, Parser};
use output::print;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout (exit 0), usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let result = match cli.command {
        None => print(&Cli::command().render_help().to_string()).map(|_| ExitCode::SUCCESS),
        Some(Command::Version) => print(&format!("slimfile {}\n", env!("CARGO_PKG_VERSION"))).map(|_| ExitCode::SUCCESS),
        Some(Command::Convert(a)) => match a.check() {
            Ok(()) => convert::run(&a),
            Err(m) => return usage_error("convert", &m),
        },
        Some(Command::Check(a)) => check::run(&a),
        Some(Command::Graph(a)) => graph::run(&a),
        Some(Command::Explain(a)) => explain::run(&a).and_then(|s| print(&s)).map(|_| ExitCode::SUCCESS),
        Some(Command::Verify(a)) => run_verify(&a),
        Some(Command::Dockerignore(a)) => dockerignore::run(&a),
        Some(Command::Completions(a)) => output::print_bytes(&args::completions(a.shell)).map(|_| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("slimfile: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage_error(command: &str, message: &str) -> ExitCode {
    let _ = args::usage_error(command, message).print();
    ExitCode::from(2)
}

#[cfg(unix)]
fn run_verify(a: &args::VerifyArgs) -> Result<ExitCode, String> {
    verify::run(a)
}

#[cfg(not(unix))]
fn run_verify(_: &args::VerifyArgs) -> Result<ExitCode, String> {
    Err("slimfile verify runs on Linux and macOS only: it drives docker, podman or buildah with unix process \
         groups and signals; convert, check, graph and explain work here"
        .to_owned())
}
