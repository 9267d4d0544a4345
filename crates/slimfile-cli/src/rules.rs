//! Rules as the CLI sees them: the engine's (`slimfile_core::findings::rules`) plus two the CLI reports
//! itself: DL1000 (the file does not parse, hadolint's id for it) and SF000 (converting would save more
//! than `--min-savings`).

use slimfile_core::findings::{rule, rules, RuleInfo};
use slimfile_core::Severity;

/// A rule the CLI reports itself, documented like the engine's.
pub struct CliRule {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub what_it_does: &'static str,
    pub why_bad: &'static str,
}

pub const DL1000: CliRule = CliRule {
    id: "DL1000",
    name: "invalid-dockerfile",
    severity: Severity::Error,
    summary: "The Dockerfile does not parse",
    what_it_does: "Reports a syntax error (an unknown instruction, a missing argument, an unterminated heredoc) with \
its line and column, as hadolint's DL1000 does. Instructions before the error are still checked; no conversion is made.",
    why_bad: "`docker build` stops at the same place.",
};

pub const SF000: CliRule = CliRule {
    id: "SF000",
    name: "conversion-saves-space",
    severity: Severity::Error,
    summary: "Converting to a multi-stage build would save more than --min-savings",
    what_it_does: "Reported by `slimfile check --min-savings SIZE` (or `min-savings` in .slimfile.toml) when \
`slimfile convert` would shrink the final image by more than SIZE (bytes, or a percentage of the image), by \
the size estimate of the report. It points at the final stage's FROM.",
    why_bad: "A final image that ships its compiler, package caches and sources costs pull time, disk and \
CVE reports on every deployment. `slimfile convert --write` rewrites the file; `slimfile convert --format diff` \
shows the change first.",
};

pub const CLI_RULES: [&CliRule; 2] = [&DL1000, &SF000];

pub fn cli_rule(id: &str) -> Option<&'static CliRule> {
    CLI_RULES.into_iter().find(|r| r.id.eq_ignore_ascii_case(id.trim()) || r.name.eq_ignore_ascii_case(id.trim()))
}

/// Whether `id` names a rule slimfile reports (by id or name, case-insensitive).
pub fn known(id: &str) -> bool {
    rule(id).is_some() || cli_rule(id).is_some()
}

/// `DL3008`, `SC2086`: hadolint's and ShellCheck's ids, which a `.hadolint.yaml` list may carry.
pub fn is_hadolint_id(id: &str) -> bool {
    let id = id.trim();
    let (prefix, digits) = id.split_at(id.len().min(2));
    (prefix.eq_ignore_ascii_case("DL") || prefix.eq_ignore_ascii_case("SC"))
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the finding of rule `rule_id` is in `ignore` (ids or names, case-insensitive).
pub fn ignored(ignore: &[String], rule_id: &str) -> bool {
    let name = rule(rule_id).map(|r| r.name).or_else(|| cli_rule(rule_id).map(|r| r.name));
    ignore.iter().any(|x| x.eq_ignore_ascii_case(rule_id) || name.is_some_and(|n| x.eq_ignore_ascii_case(n)))
}

/// The engine's rules: the ones `check` reports (the SF3xx questions of the rewrite are convert's).
pub fn engine_rules() -> Vec<&'static RuleInfo> {
    rules().iter().filter(|r| !r.is_conversion()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(known("dl3009") && known("apt-lists-left-behind") && known("DL1000") && known("conversion-saves-space"));
        assert!(!known("DL3008"));
        assert!(is_hadolint_id("DL3008") && is_hadolint_id("sc2086") && !is_hadolint_id("SF101") && !is_hadolint_id("DL30"));
        let ig = vec!["apt-lists-left-behind".to_owned(), "sf101".to_owned()];
        assert!(ignored(&ig, "DL3009") && ignored(&ig, "SF101") && !ignored(&ig, "DL3006"));
        // No engine rule may take the CLI's ids.
        for r in CLI_RULES {
            assert!(rule(r.id).is_none() && rule(r.name).is_none(), "{} is the engine's now", r.id);
        }
    }
}
