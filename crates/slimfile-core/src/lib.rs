//! slimfile's engine. See ARCHITECTURE.md for the pipeline and its invariants.
//!
//! The one entry point is [`convert`]: Dockerfile text and [`Options`] in, a plain serializable
//! [`Report`] out. It never panics and never fails: problems become diagnostics in the report.

pub mod analyze;
pub mod findings;
pub mod image;
pub mod knowledge;
pub mod model;
pub mod report;
pub mod syntax;
pub mod words;

pub use report::*;

/// Runs the whole pipeline. Never panics; never fails.
pub fn convert(text: &str, options: &Options) -> Report {
    let _ = (text, options);
    unimplemented_report(options)
}

fn unimplemented_report(options: &Options) -> Report {
    Report {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        options: options.clone(),
        status: Status::Unchanged,
        runtime: None,
        runtime_image: None,
        ecosystem: None,
        strategy: None,
        output: None,
        reasons: vec![],
        changes: vec![],
        findings: vec![],
        stages: vec![],
        edges: vec![],
        external_refs: vec![],
        runtime_needs: RuntimeNeeds::default(),
        diagnostics: vec![],
        diff: Diff::default(),
    }
}
