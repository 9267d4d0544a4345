//! The engine's modules depend only downward: each top-level module of `src/` names (`crate::x`) only the
//! modules its layer may use. In particular no module but the crate root uses `findings`: the rules report
//! on the analysis, the rewrite and the estimate, and none of those reads them back. (Rust's visibility
//! cannot say this inside one crate: a module the root can name, every module can name.)

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Each top-level module and the modules it may name, lowest layer first. `lib.rs`, the driver, may name
/// them all.
const LAYERS: &[(&str, &[&str])] = &[
    ("report", &[]),
    ("units", &[]),
    ("syntax", &["report"]),
    ("image", &["report"]),
    ("diff", &["report"]),
    ("shell", &["syntax"]),
    ("knowledge", &["units", "report"]),
    ("model", &["syntax", "image", "shell", "report"]),
    ("analyze", &["syntax", "model", "shell", "image", "knowledge", "report"]),
    ("context", &["analyze", "model", "shell", "syntax", "knowledge", "report"]),
    ("findings", &["analyze", "context", "model", "shell", "syntax", "knowledge", "report"]),
    ("rewrite", &["analyze", "context", "model", "shell", "syntax", "image", "knowledge", "report", "units"]),
    ("estimate", &["analyze", "model", "shell", "syntax", "image", "knowledge", "report", "units"]),
];

/// The `.rs` files below `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first path segments after `crate::` (and `$crate::`) in `text` outside comments:
/// `crate::analyze::X` → `analyze`, `crate::{convert, shell::commands}` → `convert`, `shell`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let ident = |s: &str| s.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                out.extend(group[..end].split(',').map(ident).filter(|s| !s.is_empty()));
            } else {
                out.insert(ident(rest));
            }
        }
    }
    out
}

#[test]
fn modules_depend_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let modules: BTreeSet<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("below src/");
        let first = rel.components().next().expect("a path").as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs");
        if module == "lib" {
            continue;
        }
        let Some((_, allowed)) = LAYERS.iter().find(|(m, _)| *m == module) else {
            wrong.push(format!("{}: the module `{module}` has no place in LAYERS", rel.display()));
            continue;
        };
        let text = fs::read_to_string(file).expect("a source file");
        for named in named_modules(&text) {
            if modules.contains(named.as_str()) && named != module && !allowed.contains(&named.as_str()) {
                wrong.push(format!("{}: `{module}` names `crate::{named}`, which its layer may not use", rel.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "modules that depend upward:\n{}", wrong.join("\n"));
}

#[test]
fn only_the_root_names_the_findings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let users: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(src.join("findings")) && **f != src.join("lib.rs"))
        .filter(|f| named_modules(&fs::read_to_string(f).expect("a source file")).contains("findings"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(users.is_empty(), "modules outside findings that use it: {users:?}");
}

#[test]
fn the_reader_sees_paths_and_groups() {
    let text = "use crate::analyze::Step;\nuse crate::{convert, shell::commands};\n// crate::findings in a comment\nlet x = $crate::findings::Meta;";
    let named: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(named, ["analyze", "convert", "findings", "shell"]);
}
