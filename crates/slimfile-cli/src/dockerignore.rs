//! `slimfile dockerignore`: the `.dockerignore` a Dockerfile's context should have (SF107's proposal).

use std::process::ExitCode;

use slimfile_core::{convert_with, Options};

use crate::args::DockerignoreArgs;
use crate::context::{default_dir, Contexts};
use crate::output::print;

pub fn run(a: &DockerignoreArgs) -> Result<ExitCode, String> {
    let (name, text) = crate::files::read(&a.file)?;
    let dir = a.context.as_ref().map_or_else(|| default_dir(&a.file), std::path::PathBuf::from);
    let context = Contexts::default().get(&dir)?;
    let report = convert_with(&text, &Options::default(), &context);
    if let Some(d) = report.diagnostics.iter().find(|d| d.span.is_some()) {
        let sp = d.span.as_ref().expect("checked");
        eprintln!("{name}:{}:{}: {}", sp.line, sp.column, d.message);
        return Ok(ExitCode::from(1));
    }
    let current = context.files.get(".dockerignore").cloned();
    let proposal = report.context.and_then(|c| c.dockerignore);
    let target = dir.join(".dockerignore");
    match &proposal {
        Some(_) => {
            let findings: Vec<&str> = report.findings.iter().filter(|f| f.rule == "SF107").map(|f| f.message.as_str()).collect();
            for f in findings {
                eprintln!("{name}: SF107: {f}");
            }
        }
        None => eprintln!("{name}: nothing to add: the build sends nothing slimfile would leave out of {}", target.display()),
    }
    let text = proposal.or(current).unwrap_or_default();
    if a.write {
        std::fs::write(&target, &text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        eprintln!("slimfile: wrote {}", target.display());
    } else {
        print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
