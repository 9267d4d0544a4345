//! slimfile's engine. See ARCHITECTURE.md for the pipeline and its invariants.
//!
//! The one entry point is [`convert`]: Dockerfile text and [`Options`] in, a plain serializable
//! [`Report`] out. It never panics and never fails: problems become diagnostics in the report.

pub mod analyze;
pub mod diff;
pub mod estimate;
pub mod findings;
pub mod image;
pub mod knowledge;
pub mod model;
pub mod report;
pub mod rewrite;
pub mod syntax;
pub mod units;
pub mod shell;

pub use report::*;

/// The Report as the JSON every surface shows: `slimfile convert --format json` prints this text plus a
/// newline, and the JavaScript API's `convertJson` returns it.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a Report always serializes")
}

/// Runs the whole pipeline. Never panics; never fails.
pub fn convert(text: &str, options: &Options) -> Report {
    let mut doc = syntax::parse(text);
    let model = model::build(&doc);
    if let Some(d) = model.limit_diagnostic(&doc) {
        doc.diagnostics.push(d);
        doc.complete = false;
    }
    let analysis = analyze::analyze(&doc, &model);
    let mut report = Report {
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
        stages: stage_infos(&doc, &model, &analysis),
        edges: model.edges.clone(),
        external_refs: model.external_refs.clone(),
        runtime_needs: analysis.needs.clone(),
        diagnostics: doc.diagnostics.clone(),
        diff: Diff::default(),
        estimate: None,
    };
    if !doc.complete || model.stages.is_empty() {
        report.status = Status::Refused;
        let first = doc.diagnostics.first();
        report.reasons.push(match first {
            Some(d) => match &d.span {
                Some(sp) => format!("the Dockerfile does not parse: {} (line {}, column {})", d.message, sp.line, sp.column),
                None => format!("the Dockerfile does not parse: {}", d.message),
            },
            None => "the Dockerfile has no stage".to_owned(),
        });
        let (d, note) = diff::diff(text, text);
        report.diff = d;
        report.diagnostics.extend(note);
        return report;
    }
    report.findings = findings::check(&doc, &model, &analysis);
    let ctx = rewrite::Ctx { doc: &doc, model: &model, analysis: &analysis, options, severity: findings::severity };
    let rewritten_doc = record_outcome(&mut report, &doc, rewrite::rewrite(&ctx));
    if report.ecosystem.is_none() {
        report.ecosystem = analysis.stages.last().and_then(|f| f.eco).map(|e| e.as_str().to_owned());
    }
    let rewritten = rewritten_doc.map(|d| {
        let m = model::build(&d);
        let a = analyze::analyze(&d, &m);
        (d, m, a)
    });
    report.estimate = estimate::estimate(&doc, &model, &analysis, rewritten.as_ref().map(|(d, m, a)| (d, m, a)));
    report.findings.sort_by_key(|f| f.span.as_ref().map_or((u32::MAX, 0), |s| (s.line, s.column)));
    let (d, note) = diff::diff(text, report.output.as_deref().unwrap_or(text));
    report.diff = d;
    report.diagnostics.extend(note);
    report
}

/// The rewrite's outcome into the report: a converted plan whose output parses (and stays within what
/// slimfile reads), unchanged, or refused. Returns the parsed output.
fn record_outcome(report: &mut Report, doc: &syntax::Document, outcome: rewrite::Outcome) -> Option<syntax::Document> {
    let mut rewritten_doc = None;
    match outcome {
        rewrite::Outcome::Converted(plan) => {
            let check = syntax::parse(&plan.output);
            let over_limits =
                plan.output.len() > syntax::MAX_INPUT_BYTES || check.instructions.len() >= syntax::MAX_INSTRUCTIONS;
            if over_limits {
                // Near a limit the rewrite (a new stage) can cross it: slimfile could not read its own output.
                report.status = Status::Refused;
                report.ecosystem = plan.ecosystem.map(|e| e.as_str().to_owned());
                report.reasons.push(format!(
                    "the rewritten Dockerfile would be over what slimfile reads ({} bytes, {} instructions)",
                    syntax::MAX_INPUT_BYTES,
                    syntax::MAX_INSTRUCTIONS
                ));
            } else if !check.complete {
                // A bug, never a broken file: refuse and say so.
                report.status = Status::Refused;
                report.ecosystem = plan.ecosystem.map(|e| e.as_str().to_owned());
                report.reasons.push(format!(
                    "slimfile's rewrite did not parse ({}); this is a bug in slimfile, please report it",
                    check.diagnostics.first().map_or("unknown error", |d| d.message.as_str())
                ));
            } else {
                report.status = Status::Converted;
                report.runtime = Some(plan.runtime);
                report.runtime_image = Some(plan.runtime_image);
                report.ecosystem = plan.ecosystem.map(|e| e.as_str().to_owned());
                report.strategy = Some(plan.strategy.to_owned());
                report.changes = plan.changes;
                report.findings.extend(findings::apply_pragmas(doc, plan.findings));
                report.output = Some(plan.output);
                rewritten_doc = Some(check);
            }
        }
        rewrite::Outcome::Unchanged { reasons, runtime } => {
            report.status = Status::Unchanged;
            report.runtime = runtime;
            report.reasons = reasons;
        }
        rewrite::Outcome::Refused { reasons, ecosystem } => {
            report.status = Status::Refused;
            report.ecosystem = ecosystem.map(|e| e.as_str().to_owned());
            report.reasons = reasons;
        }
    }
    rewritten_doc
}

fn stage_infos(doc: &syntax::Document, model: &model::Model, analysis: &analyze::Analysis) -> Vec<StageInfo> {
    model
        .stages
        .iter()
        .zip(&analysis.stages)
        .map(|(s, f)| {
            let start = doc.instructions[s.from].span.start;
            let end = s.body.clone().last().map_or(doc.instructions[s.from].span.end, |i| doc.instructions[i].span.end);
            StageInfo {
                index: s.index,
                name: s.name.clone(),
                base: s.base.clone(),
                span: doc.span(start..end),
                ecosystem: f.eco.map(|e| e.as_str().to_owned()),
                build_tools: f.tools.iter().map(|t| (*t).to_owned()).collect(),
                packages: f
                    .packages
                    .iter()
                    .filter(|p| s.body.contains(&p.inst))
                    .map(|p| PackageInstall {
                        manager: p.manager.to_owned(),
                        name: p.name.clone(),
                        role: p.role.as_str().to_owned(),
                        span: doc.span(doc.instructions[p.inst].span.clone()),
                    })
                    .collect(),
                artifacts: f
                    .artifacts
                    .iter()
                    .filter(|a| s.body.contains(&a.inst))
                    .map(|a| Artifact {
                        path: a.path.clone(),
                        kind: a.kind.as_str().to_owned(),
                        span: doc.span(doc.instructions[a.inst].span.clone()),
                    })
                    .collect(),
                target: s.index + 1 == model.stages.len(),
                used: model.used.get(s.index).copied().unwrap_or(false),
            }
        })
        .collect()
}
