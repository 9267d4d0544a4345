//! slimfile's engine. See ARCHITECTURE.md for the pipeline and its invariants.
//!
//! The one entry point is [`convert`]: Dockerfile text and [`Options`] in, a plain serializable
//! [`Report`] out. It never panics and never fails: problems become diagnostics in the report.

pub mod analyze;
pub mod context;
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

pub use context::BuildContext;
pub use report::*;

/// The Report as the JSON every surface shows: `slimfile convert --format json` prints this text plus a
/// newline, and the JavaScript API's `convertJson` returns it.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a Report always serializes")
}

/// Runs the whole pipeline without a build context (the Dockerfile alone). Never panics; never fails.
pub fn convert(text: &str, options: &Options) -> Report {
    convert_with(text, options, &BuildContext::default())
}

/// Runs the whole pipeline with the project's files ([`BuildContext`]): what they prove overrides what
/// the Dockerfile alone would make the rewrite guess or ask, and each answer's change note names its
/// file. An empty context is exactly [`convert`]. Never panics; never fails.
pub fn convert_with(text: &str, options: &Options, context: &BuildContext) -> Report {
    let mut doc = syntax::parse(text);
    let model = model::build(&doc);
    if let Some(d) = model.limit_diagnostic(&doc) {
        doc.diagnostics.push(d);
        doc.complete = false;
    }
    let mut analysis = analyze::analyze(&doc, &model);
    let (on, date_note) = judged_on(options);
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
        context: (!context.is_empty()).then(ContextReport::default),
        knowledge: Knowledge { as_of: knowledge::releases::as_of().to_owned(), judged_on: on.clone() },
    };
    report.diagnostics.extend(date_note);
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
    let project = context::Project::read(context, &doc, &model, &analysis);
    if let Some(p) = &project {
        p.add_needs(&mut analysis);
        report.runtime_needs = analysis.needs.clone();
        report.diagnostics.extend(p.diagnostics.iter().cloned());
    }
    report.findings = findings::check(&doc, &model, &analysis, project.as_ref(), &on);
    let ctx = rewrite::Ctx { doc: &doc, model: &model, analysis: &analysis, options, severity: findings::severity, project: project.as_ref(), on: &on, never_worth: estimate::NEVER_WORTH_BYTES };
    let checks = report.findings.len();
    let rewritten_doc = record_outcome(&mut report, &doc, rewrite::rewrite(&ctx));
    if let Some(p) = &project {
        let sent: Vec<context::dockerignore::Sent> = context::dockerignore::sent(p, &doc, &model).into_iter().flat_map(|(_, s)| s).collect();
        let proposal = (!sent.is_empty()).then(|| {
            p.cite(".dockerignore");
            context::dockerignore::propose(p.dockerignore.text.as_deref(), &sent)
        });
        report.context = Some(p.report(proposal));
    }
    if let Some(image) = &report.runtime_image {
        // The runtime the rewrite uses, when it is past its window for a reason the input's bases do not
        // already show (SF108).
        let inputs: Vec<&ImageRef> = model
            .stages
            .iter()
            .filter(|s| model.used.get(s.index).copied().unwrap_or(true))
            .filter_map(|s| match &s.base {
                StageBase::Image { image } => Some(image),
                _ => None,
            })
            .collect();
        let runtime = image::parse_ref(image, image, false);
        let runtime_eol = if image == "scratch" { vec![] } else { findings::sf108_end_of_life::runtime_image(&runtime, &on, &inputs) };
        // The note that introduces the runtime says it too: the rewrite keeps the app's version and release.
        if let Some(words) = findings::sf108_end_of_life::runtime_note(&runtime, &on) {
            // Unless the strategy's own words already say why it chose an ended version (node's "Node.js 20
            // reached its end of life …, so a slim node image of the same version").
            let runtime_note = report.changes.iter_mut().find(|c| matches!(c.kind.as_str(), "add-runtime-stage" | "swap-runtime-base"));
            if let Some(c) = runtime_note.filter(|c| !c.why.contains("end of life")) {
                c.why.push_str(&format!(
                    " Out of support: {words}. The rewrite keeps the version and release the app was built for; moving them is a change to the app, to make and test on its own."
                ));
            }
        }
        report.findings.extend(findings::apply_pragmas(&doc, runtime_eol));
    }
    if report.ecosystem.is_none() {
        report.ecosystem = analysis.stages.last().and_then(|f| f.eco).map(|e| e.as_str().to_owned());
    }
    let rewritten = rewritten_doc.map(|d| {
        let m = model::build(&d);
        let a = analyze::analyze(&d, &m);
        (d, m, a)
    });
    let hints = estimate::Hints {
        npm_packages: project.as_ref().and_then(|p| p.package_json.as_ref()).map(|pj| pj.dependencies.len() + pj.dev_dependencies.len()),
    };
    report.estimate = estimate::estimate(&doc, &model, &analysis, rewritten.as_ref().map(|(d, m, a)| (d, m, a)), hints);
    if let Some((_, m, a)) = &rewritten {
        if estimate::bases_comparable((&model, &analysis), (m, a)) {
            leave_when_too_small(&mut report, checks);
        }
    }
    report.findings.sort_by_key(|f| f.span.as_ref().map_or((u32::MAX, 0), |s| (s.line, s.column)));
    let (d, note) = diff::diff(text, report.output.as_deref().unwrap_or(text));
    report.diff = d;
    report.diagnostics.extend(note);
    report
}

/// A conversion whose estimated saving is under what a second stage is worth
/// ([`estimate::too_small_to_convert`]) becomes `unchanged`, with the figure as its reason; the findings
/// the rewrite added (`checks`: how many the input's own checks gave) go with it. A move off a deprecated
/// image is worth it whatever it saves.
fn leave_when_too_small(report: &mut Report, checks: usize) {
    if report.status != Status::Converted || report.changes.iter().any(|c| c.kind == "replace-deprecated-image") {
        return;
    }
    let Some(reason) = report.estimate.as_ref().and_then(estimate::too_small_to_convert) else { return };
    report.status = Status::Unchanged;
    report.reasons = vec![reason];
    report.output = None;
    report.runtime = None;
    report.runtime_image = None;
    report.strategy = None;
    report.changes.clear();
    report.findings.truncate(checks);
    if let Some(e) = report.estimate.as_mut() {
        e.rewritten = None;
        e.savings = None;
    }
}

/// The day support windows are judged on: the options' date, else the image knowledge's own date; a
/// warning when the options' date is not a day (`YYYY-MM-DD`).
fn judged_on(options: &Options) -> (String, Option<Diagnostic>) {
    let as_of = knowledge::releases::as_of();
    match options.date.as_deref() {
        None => (as_of.to_owned(), None),
        Some(d) if knowledge::releases::is_day(d) => (d.to_owned(), None),
        Some(d) => (
            as_of.to_owned(),
            Some(Diagnostic {
                severity: Severity::Warning,
                message: format!(
                    "the date option `{d}` is not a day (YYYY-MM-DD): support windows are judged on the image knowledge's date, {as_of}"
                ),
                span: None,
            }),
        ),
    }
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
