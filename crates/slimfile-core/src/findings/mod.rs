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

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::{mount_options, Model};
use crate::report::{Finding, Severity, StageBase};
use crate::syntax::{Args, Document, Instruction, Kind};
use crate::shell::{key_values, SimpleCommand};

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

/// Lists the rules once: `REGISTRY` (metadata and check, which every conversion runs) and `DOCS` (the
/// whole documentation, which only [`rules`] reads), in the same order.
macro_rules! registry {
    ($($rule:ident),+ $(,)?) => {
        const REGISTRY: &[(&Meta, CheckFn)] = &[$((&$rule::META, $rule::check)),+];
        const DOCS: &[&str] = &[$($rule::DOC),+];
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
pub mod sf301_runtime_files;
pub mod sf302_binary_name_unknown;
pub mod sf303_cgo_glibc;
pub mod sf304_scratch_without_certs;
pub mod sf306_package_script_entry;
pub mod sf307_static_folder_unknown;
pub mod sf308_python_version_inexact;
pub mod sf309_full_image_libraries;

#[cfg(test)]
mod tests;

type CheckFn = fn(&Ctx<'_>, &mut Vec<Hit>);

// Every rule, in id order.
registry![
    dl3002_last_user_root,
    dl3003_cd_in_run,
    dl3004_sudo,
    dl3006_untagged_image,
    dl3007_latest_tag,
    dl3009_apt_lists,
    dl3015_no_install_recommends,
    dl3019_apk_no_cache,
    dl3020_add_local_file,
    dl3025_shell_form_cmd,
    dl3042_pip_no_cache_dir,
    dl3060_yarn_cache,
    dl3064_secrets_in_arg_env,
    dl4000_maintainer,
    dl4003_multiple_cmd,
    dl4004_multiple_entrypoint,
    sf101_build_packages_in_final,
    sf102_toolchain_base_image,
    sf103_npm_cache,
    sf104_add_url_unverified,
    sf105_no_user,
    sf106_unused_stage,
    sf301_runtime_files,
    sf302_binary_name_unknown,
    sf303_cgo_glibc,
    sf304_scratch_without_certs,
    sf306_package_script_entry,
    sf307_static_folder_unknown,
    sf308_python_version_inexact,
    sf309_full_image_libraries,
];

/// Which stages a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppliesTo {
    /// The target stage and the stages it is built `FROM`: what ends up in the final image.
    FinalImage,
    /// Every stage the target needs, builders included.
    UsedStages,
    /// Stages the target does not need.
    UnusedStages,
    /// Not a check of the input: a question the rewrite asks when the file does not say what it needs
    /// (SF3xx). `convert` shows them; `check` does not.
    Conversion,
}

impl RuleInfo {
    /// A question of the rewrite (SF3xx), not a finding about the input.
    pub fn is_conversion(&self) -> bool {
        self.applies_to == AppliesTo::Conversion
    }
}

impl AppliesTo {
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesTo::FinalImage => "the final image (the last stage and the stages it is built FROM)",
            AppliesTo::UsedStages => "every stage the final image needs, builder stages included",
            AppliesTo::UnusedStages => "stages the final image does not need",
            AppliesTo::Conversion => "the rewrite: a question `slimfile convert` asks when the Dockerfile does not say what it needs",
        }
    }
}

/// A rule's metadata as declared in its file.
#[derive(Debug)]
pub struct Meta {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub applies_to: AppliesTo,
    pub summary: &'static str,
    /// The "## Why is this bad?" section of its documentation, dedented and trimmed.
    pub why: &'static str,
}

const WHY_HEADING: &[u8] = b"## Why is this bad?";

/// The length of [`Meta::why`] in a rule's raw doc comment.
pub const fn why_len(doc: &str) -> usize {
    copy_why(doc.as_bytes(), &mut [])
}

/// [`Meta::why`] of a rule's raw doc comment, as bytes: a const fn, so that only this section, not the
/// whole comment, is in a binary that never calls [`rules`].
pub const fn why_bytes<const N: usize>(doc: &str) -> [u8; N] {
    let mut out = [0u8; N];
    copy_why(doc.as_bytes(), &mut out);
    out
}

/// Copies the "## Why is this bad?" section's lines, each without the one leading space a `///` line
/// has, leading and trailing whitespace trimmed, into `out` as far as it reaches; returns its length.
const fn copy_why(doc: &[u8], out: &mut [u8]) -> usize {
    let (mut i, mut n, mut kept) = (0, 0, 0);
    let (mut inside, mut started) = (false, false);
    while i < doc.len() {
        let mut end = i;
        while end < doc.len() && doc[end] != b'\n' {
            end += 1;
        }
        let mut s = i;
        if s < end && doc[s] == b' ' {
            s += 1;
        }
        if end - s >= 3 && doc[s] == b'#' && doc[s + 1] == b'#' && doc[s + 2] == b' ' {
            if inside {
                break;
            }
            inside = end - s == WHY_HEADING.len();
            let mut k = 0;
            while inside && k < WHY_HEADING.len() {
                inside = doc[s + k] == WHY_HEADING[k];
                k += 1;
            }
        } else if inside {
            let mut k = s;
            while k <= end {
                let c = if k < end { doc[k] } else { b'\n' };
                k += 1;
                if !started && c.is_ascii_whitespace() {
                    continue;
                }
                started = true;
                if n < out.len() {
                    out[n] = c;
                }
                n += 1;
                if !c.is_ascii_whitespace() {
                    kept = n;
                }
            }
        }
        i = end + 1;
    }
    kept
}

/// What `slimfile explain RULE` prints.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    /// `DL3009` (hadolint's id) or `SF101` (slimfile's own).
    pub id: &'static str,
    /// A kebab-case name (`apt-lists-left-behind`); `ignore=` pragmas accept it too.
    pub name: &'static str,
    /// The usual severity; some findings of the rule use another (said in its documentation).
    pub severity: Severity,
    pub applies_to: AppliesTo,
    /// One line.
    pub summary: &'static str,
    /// The "## What it does" section (Markdown).
    pub what_it_does: &'static str,
    /// The "## Why is this bad?" section (Markdown).
    pub why_bad: &'static str,
    /// The "## Example" section (Markdown, with a ```dockerfile block).
    pub example: &'static str,
    /// The whole documentation (Markdown), headings included.
    pub doc: &'static str,
}

/// Every rule, in id order.
pub fn rules() -> &'static [RuleInfo] {
    static DEDENTED: OnceLock<Vec<String>> = OnceLock::new();
    static INFOS: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    INFOS.get_or_init(|| {
        let docs = DEDENTED.get_or_init(|| DOCS.iter().map(|d| dedent(d)).collect());
        REGISTRY
            .iter()
            .zip(docs.iter())
            .map(|((m, _), doc)| RuleInfo {
                id: m.id,
                name: m.name,
                severity: m.severity,
                applies_to: m.applies_to,
                summary: m.summary,
                what_it_does: section(doc, "What it does"),
                why_bad: m.why,
                example: section(doc, "Example"),
                doc: doc.as_str(),
            })
            .collect()
    })
}

/// A rule's metadata by id (`DL3009`), without its documentation but for [`Meta::why`]: what the
/// playground shows (calling [`rule`] would bring every rule's whole documentation into its wasm).
pub fn meta(id: &str) -> Option<&'static Meta> {
    REGISTRY.iter().map(|(m, _)| *m).find(|m| m.id.eq_ignore_ascii_case(id))
}

/// A rule by id (`DL3009`, `sf101`) or name (`apt-lists-left-behind`), case-insensitive.
pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    let id = id.trim();
    rules().iter().find(|r| r.id.eq_ignore_ascii_case(id) || r.name.eq_ignore_ascii_case(id))
}

/// `///` lines arrive as " text": drop the one leading space rustdoc would.
fn dedent(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    for line in doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out.trim().to_owned()
}

/// The body of the `## heading` section, trimmed ("" when absent).
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let mut start = None;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let t = line.trim_end();
        if let Some(h) = t.strip_prefix("## ") {
            if let Some(s) = start {
                return doc[s..offset].trim();
            }
            if h.trim() == heading {
                start = Some(offset + line.len());
            }
        }
        offset += line.len();
    }
    start.map_or("", |s| doc[s..].trim())
}

/// Runs every rule over the document. Sorted by position (then rule id, then message); deterministic.
pub fn check(doc: &Document, model: &Model, analysis: &crate::analyze::Analysis) -> Vec<Finding> {
    let ctx = Ctx::new(doc, model, analysis);
    let mut hits = Vec::new();
    for (_, f) in REGISTRY {
        f(&ctx, &mut hits);
    }
    let pragmas = Pragmas::read(doc);
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

/// Drops the findings of `extra` (the rewrite's questions) that a pragma of the document ignores.
pub fn apply_pragmas(doc: &Document, extra: Vec<Finding>) -> Vec<Finding> {
    let pragmas = Pragmas::read(doc);
    extra
        .into_iter()
        .filter(|f| {
            // A question about an instruction follows that instruction's pragmas; one about the file, the
            // global ones (an instruction index past the end is only matched by global pragmas).
            let inst = f
                .span
                .as_ref()
                .and_then(|s| doc.instructions.iter().position(|i| doc.span(i.span.clone()).start == s.start))
                .unwrap_or(usize::MAX);
            !pragmas.ignores(inst, &f.rule)
        })
        .collect()
}

/// A finding before suppression: `inst` indexes `doc.instructions`.
#[derive(Clone, Debug)]
pub struct Hit {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub inst: usize,
    pub stage: Option<usize>,
}

/// Where a stage's files end up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The target, or a stage the target is built `FROM`: in the final image.
    Final,
    /// Needed by the target (`COPY --from`, `RUN --mount=from=`) but not inherited.
    Builder,
    /// Not needed by the target: BuildKit skips it.
    Unused,
}

/// What every rule reads: the document, the model, each stage's scope, and the shell commands of each RUN.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
    pub scope: Vec<Scope>,
    /// The final image's stages, from the root of the `FROM` chain to the target.
    pub chain: Vec<usize>,
    /// Per instruction: the simple commands of a RUN (empty for other instructions), as the analysis read
    /// them: wrappers (`sudo`, `env`, `nice`, …) removed, `sudo apt-get install` → `apt-get install`.
    cmds: &'a [Vec<SimpleCommand>],
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document, model: &'a Model, analysis: &'a crate::analyze::Analysis) -> Ctx<'a> {
        let n = model.stages.len();
        let mut chain = Vec::new();
        if let Some(mut s) = n.checked_sub(1) {
            loop {
                chain.push(s);
                match model.stages[s].base {
                    StageBase::Stage { index } if index < s && !chain.contains(&index) => s = index,
                    _ => break,
                }
            }
            chain.reverse();
        }
        let scope = (0..n)
            .map(|i| {
                if chain.contains(&i) {
                    Scope::Final
                } else if model.used.get(i).copied().unwrap_or(true) {
                    Scope::Builder
                } else {
                    Scope::Unused
                }
            })
            .collect();
        Ctx { doc, model, scope, chain, cmds: analysis.commands.as_slice() }
    }

    pub fn scope(&self, stage: usize) -> Scope {
        self.scope.get(stage).copied().unwrap_or(Scope::Unused)
    }

    /// `(stage, instruction index, instruction)` for the body of every stage whose scope passes `keep`.
    pub fn instructions(&self, keep: fn(Scope) -> bool) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        let doc = self.doc;
        self.model.stages.iter().filter(move |s| keep(self.scope(s.index))).flat_map(move |s| {
            s.body.clone().filter_map(move |i| doc.instructions.get(i).map(|inst| (s.index, i, inst)))
        })
    }

    /// Instructions of the final image's stages.
    pub fn final_instructions(&self) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        self.instructions(|s| s == Scope::Final)
    }

    /// Instructions of every stage the target needs.
    pub fn used_instructions(&self) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        self.instructions(|s| s != Scope::Unused)
    }

    /// The final image's instructions in the order the build applies them (root of the chain first).
    pub fn chain_instructions(&self) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        let doc = self.doc;
        self.chain.iter().flat_map(move |&s| {
            self.model.stages[s].body.clone().filter_map(move |i| doc.instructions.get(i).map(|inst| (s, i, inst)))
        })
    }

    /// The simple commands of RUN instruction `i`, wrappers (`sudo`, `env`, `nice`) removed.
    pub fn commands(&self, i: usize) -> &[SimpleCommand] {
        self.cmds.get(i).map_or(&[], Vec::as_slice)
    }

    /// Whether `inst` has a `--mount=type=cache` or `type=tmpfs` whose target passes `target`.
    pub fn cache_mount(&self, inst: &Instruction, target: impl Fn(&str) -> bool) -> bool {
        inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")).any(|f| {
            let opts = mount_options(f.value.as_deref().unwrap_or(""));
            let ty = opts.iter().find(|(k, _)| k == "type").map_or("bind", |(_, v)| v.as_str());
            (ty == "cache" || ty == "tmpfs")
                && opts.iter().any(|(k, v)| {
                    matches!(k.as_str(), "target" | "dst" | "destination") && target(v.trim_end_matches('/'))
                })
        })
    }

    /// The value `name` has for instruction `inst` of `stage` from ENV (or ARG defaults) before it, in the
    /// stage or the stages it is built FROM.
    pub fn env_before(&self, stage: usize, inst: usize, name: &str) -> Option<String> {
        let mut s = stage;
        let mut end = inst;
        let mut guard = 0;
        loop {
            let st = self.model.stages.get(s)?;
            for i in (st.body.start..end.min(st.body.end)).rev() {
                let ins = &self.doc.instructions[i];
                if matches!(ins.kind, Kind::Env | Kind::Arg) {
                    if let Some((_, v)) = key_values(ins.arg_text()).into_iter().rev().find(|(k, _)| k == name) {
                        if ins.kind == Kind::Env || v.is_some() {
                            return Some(v.unwrap_or_default());
                        }
                    }
                }
            }
            match st.base {
                StageBase::Stage { index } if index < s && guard < 64 => {
                    s = index;
                    end = usize::MAX;
                    guard += 1;
                }
                _ => return None,
            }
        }
    }

    /// How messages name a stage: its name, else its index.
    pub fn stage_label(&self, stage: usize) -> String {
        match self.model.stages.get(stage).and_then(|s| s.name.as_deref()) {
            Some(n) => format!("stage `{n}`"),
            None => format!("stage {stage}"),
        }
    }

    /// The 1-based line of instruction `i`.
    pub fn line(&self, i: usize) -> u32 {
        self.doc.instructions.get(i).map_or(0, |inst| self.doc.lines.line(inst.span.start))
    }

    pub fn hit(&self, meta: &Meta, severity: Severity, inst: usize, stage: Option<usize>, message: String) -> Hit {
        Hit { rule: meta.id, severity, message, inst, stage }
    }
}

/// `ignore=` pragmas: per instruction, and global.
struct Pragmas {
    global: Vec<String>,
    per_inst: HashMap<usize, Vec<String>>,
}

impl Pragmas {
    fn read(doc: &Document) -> Pragmas {
        let mut global = Vec::new();
        let mut per_inst = HashMap::new();
        for (i, inst) in doc.instructions.iter().enumerate() {
            let mut local = Vec::new();
            for line in doc.slice(inst.leading.clone()).lines() {
                match parse_pragma(line) {
                    Some((true, ids)) => global.extend(ids),
                    Some((false, ids)) => local.extend(ids),
                    None => {}
                }
            }
            if !local.is_empty() {
                per_inst.insert(i, local);
            }
        }
        for line in doc.slice(doc.trailing.clone()).lines() {
            if let Some((true, ids)) = parse_pragma(line) {
                global.extend(ids);
            }
        }
        Pragmas { global, per_inst }
    }

    fn ignores(&self, inst: usize, rule: &str) -> bool {
        let name = REGISTRY.iter().find(|(m, _)| m.id == rule).map_or(rule, |(m, _)| m.name);
        let matches = |x: &String| x.eq_ignore_ascii_case(rule) || x.eq_ignore_ascii_case(name);
        self.global.iter().any(matches) || self.per_inst.get(&inst).is_some_and(|v| v.iter().any(matches))
    }
}

/// `# slimfile ignore=DL3009,SF101 # why` → `(false, ["DL3009", "SF101"])`; `global ignore=` → `true`.
fn parse_pragma(line: &str) -> Option<(bool, Vec<String>)> {
    let rest = line.trim().strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("slimfile").or_else(|| rest.strip_prefix("hadolint"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut rest = rest.trim_start();
    let global = match rest.strip_prefix("global") {
        Some(r) if r.starts_with(char::is_whitespace) => {
            rest = r.trim_start();
            true
        }
        _ => false,
    };
    let rest = rest.strip_prefix("ignore")?.trim_start().strip_prefix('=')?.trim_start();
    let list = rest.split('#').next().unwrap_or("");
    let mut ids = Vec::new();
    for piece in list.split(',') {
        let mut words = piece.split_whitespace();
        let Some(id) = words.next() else { continue };
        ids.push(id.to_owned());
        if words.next().is_some() {
            break;
        }
    }
    Some((global, ids))
}

/// The base image of a stage's `FROM` (None for scratch and `FROM <stage>`).
pub fn stage_image(model: &Model, stage: usize) -> Option<&crate::report::ImageRef> {
    match &model.stages.get(stage)?.base {
        StageBase::Image { image } => Some(image),
        _ => None,
    }
}

/// The FROM instruction's image text as written.
pub fn from_text(doc: &Document, model: &Model, stage: usize) -> String {
    model
        .stages
        .get(stage)
        .and_then(|s| doc.instructions.get(s.from))
        .map(|i| match &i.args {
            Args::From { image, .. } => image.clone(),
            _ => String::new(),
        })
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::report::{Finding, Severity};

    pub fn run(text: &str) -> Vec<Finding> {
        let doc = crate::syntax::parse(text);
        let model = crate::model::build(&doc);
        super::check(&doc, &model, &crate::analyze::analyze(&doc, &model))
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
