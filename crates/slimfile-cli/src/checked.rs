//! What `check` keeps of each file: its findings as items at a place, the conversion's outcome and the
//! saving, and whether the file fails the check. Printed by `check` (tty, json, github) and `sarif`.

use serde::Serialize;
use slimfile_core::{Report, RuntimeFamily, Severity, Status};

use crate::args::FailLevel;
use crate::rules::{self, DL1000, SF000};
use crate::savings::{self, Savings};
use crate::size::{human, Threshold};

/// One thing to report about a file, at a place.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub rule: String,
    /// The rule's kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
}

/// What `check` keeps of a report (the rest is dropped as soon as the file is checked).
pub struct Outcome {
    pub status: Status,
    pub runtime: Option<RuntimeFamily>,
    pub runtime_image: Option<String>,
    /// The line of the final stage's FROM (where conversion notes point), 1 when there is none.
    pub final_from_line: u32,
}

/// A checked file.
pub struct Checked {
    pub name: String,
    /// The compose service or bake target that builds it.
    pub service: Option<String>,
    pub report: Outcome,
    pub items: Vec<Item>,
    pub savings: Option<Savings>,
    pub failed: bool,
}

impl Checked {
    pub fn final_from_line(&self) -> u32 {
        self.report.final_from_line
    }

    /// `slimfile convert would rewrite it to … (saving about …)`, when it converts.
    pub fn conversion_note(&self) -> Option<String> {
        if self.report.status != Status::Converted {
            return None;
        }
        let image = self.report.runtime_image.as_deref().unwrap_or("?");
        let family = self.report.runtime.map_or("?", |f| f.as_str());
        let mut s = format!("slimfile convert would rewrite it to a multi-stage build on {image} ({family})");
        if let Some(sv) = &self.savings {
            s.push_str(&format!(
                ": about {} instead of {}, saving about {} ({:.0}%; at least {})",
                human(sv.rewritten),
                human(sv.original),
                human(sv.bytes),
                sv.percent(),
                human(sv.low)
            ));
        }
        Some(s)
    }
}

/// Runs the engine over one file's text and decides what to report.
pub fn check_one(
    name: String,
    report: Report,
    ignore: &[String],
    fail_level: FailLevel,
    min_savings: Option<Threshold>,
) -> Checked {
    let mut items = Vec::new();
    for d in &report.diagnostics {
        if rules::ignored(ignore, DL1000.id) {
            continue;
        }
        items.push(Item::at(DL1000.id, DL1000.name, d.severity, &d.message, d.span.as_ref()));
    }
    for f in &report.findings {
        // The SF3xx questions are about the rewrite: `convert` prints them.
        let Some(info) = slimfile_core::findings::rule(&f.rule).filter(|r| !r.is_conversion()) else { continue };
        if rules::ignored(ignore, info.id) {
            continue;
        }
        items.push(Item::at(&f.rule, info.name, f.severity, &f.message, f.span.as_ref()));
    }
    let savings = savings::of(&report);
    let outcome = Outcome {
        status: report.status,
        runtime: report.runtime,
        runtime_image: report.runtime_image,
        final_from_line: report.stages.last().map_or(1, |s| s.span.line.max(1)),
    };
    let mut checked = Checked { name, service: None, report: outcome, items, savings, failed: false };
    if let (Some(t), Some(sv)) = (min_savings, savings) {
        if sv.exceeds(t) && !rules::ignored(ignore, SF000.id) {
            let line = checked.final_from_line();
            let image = checked.report.runtime_image.clone().unwrap_or_default();
            checked.items.push(Item {
                rule: SF000.id.to_owned(),
                name: SF000.name,
                severity: SF000.severity,
                message: format!(
                    "converting to a multi-stage build on {image} would save about {} of {} ({:.0}%; at least {}), more than --min-savings {t}: run `slimfile convert --write`, or see the change with `slimfile convert --format diff`",
                    human(sv.bytes),
                    human(sv.original),
                    sv.percent(),
                    human(sv.low)
                ),
                line,
                column: 1,
                end_line: line,
            });
        }
    }
    checked.items.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
    checked.failed = checked.items.iter().any(|i| i.rule == SF000.id)
        || fail_level.is_some_and(|level| checked.items.iter().any(|i| i.severity <= level));
    checked
}

impl Item {
    /// An item at the span's place (line and column at least 1; the file's start without a span).
    fn at(rule: &str, name: &'static str, severity: Severity, message: &str, span: Option<&slimfile_core::Span>) -> Item {
        let (line, column, end_line) = match span {
            Some(s) => {
                let line = s.line.max(1);
                (line, s.column.max(1), s.end_line.max(line))
            }
            None => (1, 1, 1),
        };
        Item { rule: rule.to_owned(), name, severity, message: message.to_owned(), line, column, end_line }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slimfile_core::Options;

    #[test]
    fn fail_levels_and_ignores() {
        let text = "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\n";
        let r = || slimfile_core::convert(text, &Options::default());
        let c = check_one("D".into(), r(), &[], Some(Severity::Info), None);
        let rules: Vec<&str> = c.items.iter().map(|i| i.rule.as_str()).collect();
        assert!(rules.contains(&"DL3006") && rules.contains(&"DL3009"), "{rules:?}");
        assert!(c.failed);
        let c = check_one("D".into(), r(), &[], Some(Severity::Error), None);
        assert!(!c.failed, "{:?}", c.items);
        let c = check_one("D".into(), r(), &[], None, None);
        assert!(!c.failed);
        let all: Vec<String> = rules.iter().map(|s| s.to_string()).collect();
        let c = check_one("D".into(), r(), &all, Some(Severity::Style), None);
        assert!(c.items.is_empty() && !c.failed);
    }

    #[test]
    fn syntax_errors_are_dl1000() {
        let r = slimfile_core::convert("FROM alpine\nFORM x\n", &Options::default());
        let c = check_one("D".into(), r, &[], Some(Severity::Error), None);
        assert_eq!(c.items[0].rule, "DL1000");
        assert_eq!((c.items[0].line, c.items[0].column), (2, 1));
        assert!(c.failed);
    }
}
