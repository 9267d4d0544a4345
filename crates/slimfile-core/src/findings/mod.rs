//! Findings: advice about the input Dockerfile, in the style of ruff.
//!
//! One rule per file; each rule's doc comment (headings "## What it does", "## Why is this bad?",
//! "## Example") is also its explanation at run time ([`rules`], [`rule`]: `slimfile explain DL3009`).
//! Rule ids are hadolint's where hadolint has the rule, slimfile's own (`SF1xx`) otherwise.
//!
//! Findings are stage-aware. Each stage of the input is one of:
//! - **final**: the target (last) stage, or a stage the target is built `FROM` (directly or through other
//!   stages). Its files are in the final image.
//! - **builder**: a stage the target needs (`COPY --from`, `RUN --mount=from=`) but does not inherit.
//!   What it leaves on disk never reaches the final image, so rules about image content skip it.
//! - **unused**: a stage the target does not need. BuildKit skips it; it only gets [`sf106_unused_stage`].
//!
//! `# slimfile ignore=ID[,ID]` (or hadolint's `# hadolint ignore=ID[,ID]`) in the comments right before an
//! instruction suppresses those rules for that instruction; `# slimfile global ignore=…` (or
//! `# hadolint global ignore=…`) anywhere in the file suppresses them everywhere. A rule may be named by its
//! id or its name.
//!
//! The rules' metadata lives in [`registry`], what rules read in `context`, the pragmas in `pragmas`.
//! Depends on `analyze`, `context`, `model`, `shell`, `syntax`, `knowledge` and `report`; nothing but the crate
//! root depends on findings (`tests/layers.rs`).

mod context;
mod pragmas;
pub mod registry;

pub use context::{from_text, stage_image, Ctx, Hit, Scope};
pub use pragmas::apply_pragmas;
pub use registry::{meta, rule, rules, severity, why_bytes, why_len, AppliesTo, Meta, RuleInfo};

use crate::model::Model;
use crate::report::Finding;
use crate::syntax::Document;

/// Declares a rule's documentation and metadata: the doc comment goes on a unit struct (so rustdoc shows
/// it) and, verbatim, into the rule's `DOC` (so `slimfile explain` prints it). Its "## Why is this bad?"
/// section is copied at compile time into `META.why`, which the playground shows next to each finding:
/// the rest of the documentation reaches a binary only through [`rules`], so the playground's wasm does
/// not carry it (about 4.5 KB gzip).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        pub struct $name:ident {
            id: $id:literal,
            name: $rname:literal,
            severity: $sev:ident,
            applies_to: $applies:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Clone, Copy, Debug)]
        pub struct $name;

        /// The whole doc comment above, one line per `///`.
        pub(super) const DOC: &str = concat!($($doc, "\n"),+);
        const WHY_LEN: usize = $crate::findings::why_len(DOC);
        const WHY: [u8; WHY_LEN] = $crate::findings::why_bytes::<WHY_LEN>(DOC);

        pub(super) const META: $crate::findings::Meta = $crate::findings::Meta {
            id: $id,
            name: $rname,
            severity: $crate::report::Severity::$sev,
            applies_to: $crate::findings::AppliesTo::$applies,
            summary: $summary,
            why: match core::str::from_utf8(&WHY) {
                Ok(s) => s,
                Err(_) => panic!("a rule's documentation is UTF-8"),
            },
        };
    };
}

pub mod dl3002_last_user_root;
pub mod dl3003_cd_in_run;
pub mod dl3004_sudo;
pub mod dl3006_untagged_image;
pub mod dl3007_latest_tag;
pub mod dl3009_apt_lists;
pub mod dl3015_no_install_recommends;
pub mod dl3019_apk_no_cache;
pub mod dl3020_add_local_file;
pub mod dl3025_shell_form_cmd;
pub mod dl3042_pip_no_cache_dir;
pub mod dl3060_yarn_cache;
pub mod dl3064_secrets_in_arg_env;
pub mod dl4000_maintainer;
pub mod dl4003_multiple_cmd;
pub mod dl4004_multiple_entrypoint;
pub mod sf101_build_packages_in_final;
pub mod sf102_toolchain_base_image;
pub mod sf103_npm_cache;
pub mod sf104_add_url_unverified;
pub mod sf105_no_user;
pub mod sf106_unused_stage;
pub mod sf107_context_not_ignored;
pub mod sf108_end_of_life;
pub mod sf109_deprecated_image;
pub mod sf301_runtime_files;
pub mod sf302_binary_name_unknown;
pub mod sf303_cgo_glibc;
pub mod sf304_scratch_without_certs;
pub mod sf306_package_script_entry;
pub mod sf307_static_folder_unknown;
pub mod sf308_python_version_inexact;
pub mod sf309_full_image_libraries;
pub mod sf310_healthcheck_probe;

#[cfg(test)]
mod tests;


/// Runs every rule over the document (and the project's files, when there is a build context). Sorted by
/// position (then rule id, then message); deterministic. `on` is the day support windows are judged on
/// (`YYYY-MM-DD`, SF108).
pub fn check(doc: &Document, model: &Model, analysis: &crate::analyze::Analysis, project: Option<&crate::context::Project>, on: &str) -> Vec<Finding> {
    let mut ctx = Ctx::new(doc, model, analysis, on);
    ctx.project = project;
    let mut hits = Vec::new();
    for (_, f) in registry::REGISTRY {
        f(&ctx, &mut hits);
    }
    let pragmas = pragmas::Pragmas::read(doc);
    let mut out: Vec<Finding> = hits
        .into_iter()
        .filter(|h| !pragmas.ignores(h.inst, h.rule))
        .map(|h| Finding {
            rule: h.rule.to_owned(),
            severity: h.severity,
            message: h.message,
            span: doc.instructions.get(h.inst).map(|i| doc.span(i.span.clone())),
            stage: h.stage,
        })
        .collect();
    out.sort_by(|a, b| {
        let pos = |f: &Finding| f.span.as_ref().map_or((0, 0), |s| (s.start, s.end));
        pos(a).cmp(&pos(b)).then_with(|| a.rule.cmp(&b.rule)).then_with(|| a.message.cmp(&b.message))
    });
    out.dedup();
    out
}


#[cfg(test)]
pub(crate) mod testing {
    use crate::report::{Finding, Severity};

    pub fn run(text: &str) -> Vec<Finding> {
        let doc = crate::syntax::parse(text);
        let model = crate::model::build(&doc);
        super::check(&doc, &model, &crate::analyze::analyze(&doc, &model), None, crate::knowledge::releases::as_of())
    }

    /// `(line, severity)` of the findings of `rule`.
    pub fn hits(text: &str, rule: &str) -> Vec<(u32, Severity)> {
        run(text).into_iter().filter(|f| f.rule == rule).map(|f| (f.span.map_or(0, |s| s.line), f.severity)).collect()
    }

    /// Lines of the findings of `rule`.
    pub fn lines(text: &str, rule: &str) -> Vec<u32> {
        hits(text, rule).into_iter().map(|(l, _)| l).collect()
    }

    /// Messages of the findings of `rule`.
    pub fn messages(text: &str, rule: &str) -> Vec<String> {
        run(text).into_iter().filter(|f| f.rule == rule).map(|f| f.message).collect()
    }
}
