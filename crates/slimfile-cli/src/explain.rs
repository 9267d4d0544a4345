//! `slimfile explain [RULE]`: a rule's documentation, or the list of every rule.

use serde_json::json;
use slimfile_core::findings::{rule, rules};

use crate::args::{ExplainArgs, ReportFormat};
use crate::rules::{cli_rule, CLI_RULES};

/// `Err`: an unknown rule (exit 2).
pub fn run(args: &ExplainArgs) -> Result<String, String> {
    match &args.rule {
        None => Ok(list(args.format)),
        Some(id) => one(id, args.format),
    }
}

fn list(format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut all: Vec<serde_json::Value> = rules().iter().map(|r| serde_json::to_value(r).unwrap_or_default()).collect();
            all.extend(CLI_RULES.iter().map(|r| {
                json!({"id": r.id, "name": r.name, "severity": r.severity.as_str(), "summary": r.summary,
                       "what_it_does": r.what_it_does, "why_bad": r.why_bad})
            }));
            format!("{}\n", serde_json::to_string_pretty(&all).unwrap_or_default())
        }
        ReportFormat::Text => {
            let mut rows: Vec<(&str, &str, &str, &str)> =
                rules().iter().map(|r| (r.id, r.severity.as_str(), r.name, r.summary)).collect();
            rows.extend(CLI_RULES.iter().map(|r| (r.id, r.severity.as_str(), r.name, r.summary)));
            rows.sort_by_key(|r| r.0);
            let w = rows.iter().map(|r| r.2.len()).max().unwrap_or(0);
            let mut s = String::new();
            for (id, sev, name, summary) in rows {
                s.push_str(&format!("{id:<7} {sev:<8} {name:<w$}  {summary}\n"));
            }
            s.push_str("\nslimfile explain RULE prints a rule's documentation. DL ids are hadolint's; SF ids are slimfile's.\n");
            s
        }
    }
}

fn one(id: &str, format: ReportFormat) -> Result<String, String> {
    if let Some(r) = rule(id) {
        return Ok(match format {
            ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(r).unwrap_or_default()),
            ReportFormat::Text => format!(
                "{} {} ({})\n{}\n\nApplies to {}.\n\n{}\n",
                r.id,
                r.name,
                r.severity.as_str(),
                r.summary,
                r.applies_to.as_str(),
                r.doc
            ),
        });
    }
    if let Some(r) = cli_rule(id) {
        return Ok(match format {
            ReportFormat::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&json!({"id": r.id, "name": r.name, "severity": r.severity.as_str(),
                    "summary": r.summary, "what_it_does": r.what_it_does, "why_bad": r.why_bad}))
                .unwrap_or_default()
            ),
            ReportFormat::Text => format!(
                "{} {} ({})\n{}\n\n## What it does\n{}\n\n## Why is this bad?\n{}\n",
                r.id,
                r.name,
                r.severity.as_str(),
                r.summary,
                r.what_it_does,
                r.why_bad
            ),
        });
    }
    let hint = if crate::rules::is_hadolint_id(id) {
        " (a hadolint rule slimfile does not have)".to_owned()
    } else {
        nearest(id).map_or(String::new(), |n| format!(" (did you mean {n}?)"))
    };
    Err(format!("unknown rule '{id}'{hint}; slimfile explain lists them all"))
}

/// The rule id or name closest to `id` by edit distance, when close.
fn nearest(id: &str) -> Option<&'static str> {
    let id = id.to_ascii_lowercase();
    let names = rules().iter().flat_map(|r| [r.id, r.name]).chain(CLI_RULES.iter().flat_map(|r| [r.id, r.name]));
    names
        .map(|n| (distance(&id, &n.to_ascii_lowercase()), n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(nearest("apt-list-left-behind"), Some("apt-lists-left-behind"));
        assert_eq!(nearest("zzzzzzzzzzzz"), None);
        assert!(one("DL3008", ReportFormat::Text).unwrap_err().contains("hadolint rule slimfile does not have"));
        assert!(one("dl3009", ReportFormat::Text).unwrap().starts_with("DL3009 apt-lists-left-behind (info)\n"));
        assert!(one("DL1000", ReportFormat::Text).unwrap().starts_with("DL1000 invalid-dockerfile (error)"));
    }
}
