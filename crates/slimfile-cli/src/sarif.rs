//! SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run, every rule
//! described (id, name, short and full description, help, default level), one result per finding with its
//! file and region. Validated against the OASIS schema in `tests/sarif-schema-2.1.0.json`.

use serde_json::{json, Value};
use slimfile_core::Severity;

use crate::checked::Checked;
use crate::rules::{engine_rules, CLI_RULES};

pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// The `reportingDescriptor` of every rule, engine rules first (in id order), then the CLI's.
fn descriptors() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for r in engine_rules() {
        let mut tags = vec!["dockerfile"];
        tags.push(if r.id.starts_with("DL") { "hadolint" } else { "slimfile" });
        out.push((
            r.id.to_owned(),
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.what_it_does },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": tags, "applies-to": r.applies_to.as_str() },
            }),
        ));
    }
    for r in CLI_RULES {
        let doc = format!("## What it does\n{}\n\n## Why is this bad?\n{}", r.what_it_does, r.why_bad);
        out.push((
            r.id.to_owned(),
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.what_it_does },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": ["dockerfile", "slimfile"] },
            }),
        ));
    }
    out
}

/// A path as a relative URI reference: `./a b/Dockerfile` → `a%20b/Dockerfile`; absolute paths under the
/// working directory become relative to it, others `file://` URIs.
pub fn uri(path: &str) -> (String, bool) {
    let p = std::path::Path::new(path);
    let (text, relative) = if p.is_absolute() {
        match std::env::current_dir().ok().and_then(|cwd| p.strip_prefix(cwd).ok().map(|r| r.to_string_lossy().into_owned())) {
            Some(r) => (r, true),
            None => (path.to_owned(), false),
        }
    } else {
        (path.strip_prefix("./").unwrap_or(path).to_owned(), true)
    };
    let mut enc = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    if relative {
        (enc, true)
    } else {
        (format!("file://{enc}"), false)
    }
}

pub fn log(checked: &[Checked]) -> Value {
    let rules = descriptors();
    let mut results = Vec::new();
    for c in checked {
        let (uri, relative) = uri(if c.name == "<stdin>" { "stdin" } else { &c.name });
        let mut artifact = json!({ "uri": uri });
        if relative {
            artifact["uriBaseId"] = json!("%SRCROOT%");
        }
        for i in &c.items {
            let index = rules.iter().position(|(id, _)| *id == i.rule);
            let mut r = json!({
                "ruleId": i.rule,
                "level": level(i.severity),
                "message": { "text": i.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": { "startLine": i.line, "startColumn": i.column, "endLine": i.end_line },
                    }
                }],
            });
            if let Some(ix) = index {
                r["ruleIndex"] = json!(ix);
            }
            results.push(r);
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "slimfile",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The folder slimfile check ran in." } } },
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("./a b/Dockerfile"), ("a%20b/Dockerfile".to_owned(), true));
        assert_eq!(uri("Dockerfile.prod"), ("Dockerfile.prod".to_owned(), true));
        let (u, rel) = uri("/nonexistent-root-folder/x/Dockerfile");
        assert!(!rel && u == "file:///nonexistent-root-folder/x/Dockerfile", "{u}");
    }
}
