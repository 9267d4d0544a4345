//! The rules' metadata and the list of rules: what `slimfile explain` prints, what `ignore=` pragmas
//! name, and the checks every conversion runs.

use std::sync::OnceLock;

use serde::Serialize;

use super::{Ctx, Hit};
use crate::report::Severity;

/// Lists the rules once: `REGISTRY` (metadata and check, which every conversion runs) and `DOCS` (the
/// whole documentation, which only [`rules`] reads), in the same order.
macro_rules! registry {
    ($($rule:ident),+ $(,)?) => {
        pub(super) const REGISTRY: &[(&Meta, CheckFn)] = &[$((&super::$rule::META, super::$rule::check)),+];
        const DOCS: &[&str] = &[$(super::$rule::DOC),+];
    };
}

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
    sf107_context_not_ignored,
    sf108_end_of_life,
    sf109_deprecated_image,
    sf301_runtime_files,
    sf302_binary_name_unknown,
    sf303_cgo_glibc,
    sf304_scratch_without_certs,
    sf306_package_script_entry,
    sf307_static_folder_unknown,
    sf308_python_version_inexact,
    sf309_full_image_libraries,
    sf310_healthcheck_probe,
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
pub(super) fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
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

/// The severity the documentation of rule `id` gives (`slimfile explain SF301`); a warning for an id no
/// rule has.
pub fn severity(id: &str) -> Severity {
    meta(id).map_or(Severity::Warning, |m| m.severity)
}
