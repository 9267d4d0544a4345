//! `# slimfile ignore=ID[,ID]` (and hadolint's `# hadolint ignore=`) in the comments before an
//! instruction, and `# slimfile global ignore=…` anywhere: the findings they suppress.

use std::collections::HashMap;

use super::registry::REGISTRY;
use crate::report::Finding;
use crate::syntax::Document;

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


/// `ignore=` pragmas: per instruction, and global.
pub(super) struct Pragmas {
    global: Vec<String>,
    per_inst: HashMap<usize, Vec<String>>,
}

impl Pragmas {
    pub(super) fn read(doc: &Document) -> Pragmas {
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

    pub(super) fn ignores(&self, inst: usize, rule: &str) -> bool {
        let name = REGISTRY.iter().find(|(m, _)| m.id == rule).map_or(rule, |(m, _)| m.name);
        let matches = |x: &String| x.eq_ignore_ascii_case(rule) || x.eq_ignore_ascii_case(name);
        self.global.iter().any(matches) || self.per_inst.get(&inst).is_some_and(|v| v.iter().any(matches))
    }
}

/// `# slimfile ignore=DL3009,SF101 # why` → `(false, ["DL3009", "SF101"])`; `global ignore=` → `true`.
pub(super) fn parse_pragma(line: &str) -> Option<(bool, Vec<String>)> {
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
