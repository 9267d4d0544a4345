//! Step 4, rewrite: one strategy per ecosystem (one file each), chosen from the analysis.
//!
//! Every strategy builds on the same split: the target stage becomes a builder stage (the user's
//! instructions, verbatim, minus what only matters at run time), followed by a runtime stage on the
//! smallest image that still runs the app. The runtime stage carries every runtime-relevant instruction
//! of the original final image, or a change note says why one changed.
//!
//! A strategy returns [`Outcome::Refused`] rather than emit a Dockerfile that would not build or run.
//!
//! `split/` writes that split ([`Split::finish`]); `shared.rs` holds what strategies share besides it
//! (slim images, missing runtime packages, the program a command runs). `sibling.rs` is the one move that
//! keeps a single stage: a final image that only runs Java on a JDK starts from the JRE sibling instead. Depends on `analyze`, `model`,
//! `shell`, `syntax`, `image`, `knowledge`, `context` and `report`; a question's severity comes in through
//! [`Ctx::severity`], not from the findings.

mod dotnet;
mod go;
mod images;
mod java;
mod multistage;
mod native;
mod node;
pub(crate) mod python;
mod root_app;
mod ruby;
mod rust;
mod shared;
mod sibling;
mod split;

use crate::analyze::{Analysis, Eco, StageFacts};
use crate::model::Model;
use crate::report::{Change, Finding, Options, RuntimeFamily, Severity, Span};
use crate::syntax::Document;

pub use split::{Runtime, Split};

pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub options: &'a Options,
    /// The severity a rule's documentation gives (`slimfile explain SF301`), for the questions the rewrite
    /// asks: the findings' registry, passed in by the caller (the rewrite does not depend on the findings).
    pub severity: fn(&str) -> Severity,
    /// The project's files (the build context), when the caller has them: what they prove overrides what
    /// the Dockerfile alone would make a strategy guess or ask.
    pub project: Option<&'a crate::context::Project<'a>>,
    /// The day support windows are judged on (`YYYY-MM-DD`): `Options::date`, else the image knowledge's
    /// date. Which runtime image is maintained depends on it.
    pub on: &'a str,
    /// The saving under which no rewrite is worth making (`estimate::NEVER_WORTH_BYTES`), passed in by the
    /// caller as the severities are (the rewrite does not depend on the estimate).
    pub never_worth: u64,
}

impl Ctx<'_> {
    pub fn target(&self) -> &StageFacts {
        self.analysis.stages.last().expect("a complete document has a stage")
    }

    pub fn span(&self, inst: usize) -> Span {
        self.doc.span(self.doc.instructions[inst].span.clone())
    }

    pub fn change(&self, kind: &str, why: impl Into<String>, inst: Option<usize>) -> Change {
        Change { kind: kind.to_owned(), why: why.into(), span: inst.map(|i| self.span(i)) }
    }

    /// A question for the user, when the file does not say what the rewrite needs.
    pub fn ask(&self, rule: &str, message: impl Into<String>, inst: Option<usize>) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity: (self.severity)(rule),
            message: message.into(),
            span: inst.map(|i| self.span(i)),
            stage: Some(self.target().index),
        }
    }
}

#[derive(Debug)]
pub struct Plan {
    pub strategy: &'static str,
    pub ecosystem: Option<Eco>,
    pub runtime: RuntimeFamily,
    pub runtime_image: String,
    pub output: String,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
}

#[derive(Debug)]
pub enum Outcome {
    Converted(Plan),
    /// Nothing to do; the reasons say why. `runtime` is the family the input already ends on, if known.
    Unchanged { reasons: Vec<String>, runtime: Option<RuntimeFamily> },
    Refused { reasons: Vec<String>, ecosystem: Option<Eco> },
}

pub fn refused(ecosystem: Option<Eco>, reasons: impl IntoIterator<Item = String>) -> Outcome {
    Outcome::Refused { reasons: reasons.into_iter().collect(), ecosystem }
}

/// Chooses and runs the strategy for the target stage.
pub fn rewrite(ctx: &Ctx) -> Outcome {
    match choose(ctx) {
        Outcome::Unchanged { reasons, runtime: None } => {
            Outcome::Unchanged { reasons, runtime: family_of(root_facts(ctx, ctx.target().index)) }
        }
        Outcome::Converted(mut plan) => {
            context_needs(ctx, &mut plan.changes, &plan.output, plan.runtime);
            Outcome::Converted(plan)
        }
        Outcome::Refused { mut reasons, ecosystem } => {
            // A need the context proved that a refusal is about: say where it comes from.
            for n in ctx.project.map_or(&[][..], |p| p.needs.as_slice()) {
                if let crate::context::NeedKind::Package(pkg) = &n.what {
                    if reasons.iter().any(|r| r.contains(pkg.as_str())) && !reasons.contains(&n.why) {
                        reasons.push(format!("{}: the final image needs {pkg}", n.why));
                    }
                }
            }
            Outcome::Refused { reasons, ecosystem }
        }
        other => other,
    }
}

/// A change note for each run-time need the build context proved (a library a native package links, a
/// tool a compose health check runs), saying what the final image does about it.
fn context_needs(ctx: &Ctx, changes: &mut Vec<Change>, output: &str, runtime: RuntimeFamily) {
    let Some(p) = ctx.project else { return };
    let last_stage = output.rsplit("\nFROM ").next().unwrap_or(output);
    for n in &p.needs {
        let what = match &n.what {
            crate::context::NeedKind::Package(pkg) if last_stage.contains(pkg.as_str()) => format!("the runtime stage installs {pkg}"),
            crate::context::NeedKind::Package(pkg) => format!("{} has {pkg}", runtime.as_str()),
            crate::context::NeedKind::Shell => format!("{} keeps a shell", runtime.as_str()),
            crate::context::NeedKind::UnknownLibrary(_) => continue,
        };
        p.cite(&n.file);
        let why = format!("{}: {what}.", n.why);
        if !changes.iter().any(|c| c.why == why) {
            changes.push(ctx.change("context-need", why, None));
        }
    }
}

/// The stage whose image a stage's chain of `FROM <stage>` starts from.
pub fn root_facts<'a>(ctx: &'a Ctx, mut index: usize) -> &'a StageFacts {
    for _ in 0..ctx.model.stages.len() {
        match ctx.model.stages[index].base {
            crate::report::StageBase::Stage { index: i } => index = i,
            _ => break,
        }
    }
    &ctx.analysis.stages[index]
}

/// The family an unchanged final image already belongs to, when it is one of ours.
pub fn family_of(f: &StageFacts) -> Option<RuntimeFamily> {
    if let Some(fam) = shared::minimal_family(f) {
        return Some(fam);
    }
    let img = f.image.as_ref()?;
    let tag = img.tag.as_deref().unwrap_or("");
    Some(match img.repository.as_str() {
        "dotnet/aspnet" => RuntimeFamily::DotnetAspnet,
        "dotnet/runtime" | "dotnet/runtime-deps" => RuntimeFamily::DotnetRuntime,
        "library/nginx" | "nginxinc/nginx-unprivileged" => RuntimeFamily::Nginx,
        "library/alpine" => RuntimeFamily::Slim,
        _ if tag.contains("slim") || tag.contains("alpine") || tag.contains("jre") => RuntimeFamily::Slim,
        _ => return None,
    })
}

fn choose(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    if let Some(family) = shared::minimal_family(f) {
        return Outcome::Unchanged {
            reasons: vec![format!(
                "the final image is already {} ({}): there is nothing left to remove",
                family.as_str(),
                f.image.as_ref().map_or("scratch".to_owned(), |i| i.resolved.clone())
            )],
            runtime: Some(family),
        };
    }
    if let Some(reason) = already_clean(f) {
        return Outcome::Unchanged { reasons: vec![reason], runtime: None };
    }
    if f.computed_runtime_deps && !shared::based_on_stage(ctx) {
        return refused(
            f.eco,
            ["the runtime packages are computed while building (scanelf … | apk add $runDeps), and slimfile cannot \
              repeat that computation in a runtime stage"
                .to_owned()],
        );
    }
    // A final image that only runs Java on a JDK moves to its JRE sibling (a stage that copies from
    // others is the multi-stage swap's first, which can reach distroless/java).
    if !shared::based_on_stage(ctx) {
        if let Some(outcome) = sibling::rewrite(ctx, false) {
            return outcome;
        }
    }
    // Build packages in a final stage that copies its program from another stage and runs no build step
    // (`apk add bash tar` beside `COPY --from=builder /usr/bin/terraform`) build nothing: the stage is
    // judged as one that copies.
    let copies_program = ctx.model.target().is_some_and(|s| {
        s.body.clone().any(|i| matches!(ctx.doc.instructions[i].kind, crate::syntax::Kind::Copy | crate::syntax::Kind::Add) && ctx.doc.instructions[i].flag("from").is_some())
    });
    // `spring-boot:run` and `bootRun` build in the command itself.
    let builds_at_start = crate::analyze::final_argv(ctx.doc, f).is_some_and(|a| java::boot_run(&a).is_some());
    let has_build = !f.steps.is_empty() || (f.build_packages().next().is_some() && !copies_program) || builds_at_start;
    // A final stage built FROM another stage (awesome-compose's `dev-envs`, `FROM base AS final`) is judged
    // on what it adds, not rewritten as if it were the build.
    if !has_build || shared::based_on_stage(ctx) {
        return multistage::rewrite(ctx);
    }
    match f.eco {
        Some(Eco::Go) => go::rewrite(ctx),
        Some(Eco::Rust) => rust::rewrite(ctx),
        Some(Eco::Node) => node::rewrite(ctx),
        Some(Eco::Python) => python::rewrite(ctx),
        Some(Eco::Java) => java::rewrite(ctx),
        _ if builds_at_start => java::rewrite(ctx),
        Some(Eco::Dotnet) => dotnet::rewrite(ctx),
        Some(Eco::C) | None => native::rewrite(ctx),
        Some(Eco::Ruby) => ruby::rewrite(ctx),
        Some(Eco::Php) => refused(
            Some(Eco::Php),
            ["PHP extensions are compiled into the PHP image itself (docker-php-ext-install) and link its system \
              libraries, so there is no artifact to copy to a smaller runtime; slimfile leaves PHP images as they are"
                .to_owned()],
        ),
        Some(Eco::Static) => multistage::rewrite(ctx),
    }
}

/// A small base whose build packages are removed in the RUN that installed them: a builder stage would
/// save almost nothing. (Toolchain images such as golang:alpine still carry their toolchain, so they do
/// not count.)
fn already_clean(f: &StageFacts) -> Option<String> {
    let img = f.image.as_ref()?;
    let tag = img.tag.as_deref().unwrap_or("");
    let small = tag.contains("slim") || tag.contains("alpine") || img.repository == "library/alpine";
    let interpreter = matches!(f.role.and_then(|r| r.ecosystem), Some("python" | "node" | "ruby"));
    let ok_base = match f.role {
        None => false,
        Some(r) => small && (!r.toolchain || interpreter),
    };
    let build: Vec<&crate::analyze::PkgUse> = f.build_packages().collect();
    if !ok_base || build.is_empty() || !build.iter().all(|p| p.removed == Some(p.inst)) {
        return None;
    }
    let names: Vec<&str> = build.iter().map(|p| p.name.as_str()).collect();
    Some(format!(
        "the image already starts from a small base ({}) and removes its build packages ({}) in the same RUN that \
         installs them, so they never reach a layer; a builder stage would save almost nothing",
        img.resolved,
        names.join(", ")
    ))
}
