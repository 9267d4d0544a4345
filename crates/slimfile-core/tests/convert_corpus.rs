//! Every corpus Dockerfile (BuildKit's parser tests and 241 real files) goes through the whole pipeline.
//! For each: no panic; a converted output parses with BuildKit's own parser; hadolint reports no more
//! errors on the output than on the input; the final stage keeps its runtime-relevant instructions (or a
//! change note says why); converting the output again changes nothing.
//! The per-ecosystem counts are printed (`-- --nocapture`) and kept in the `corpus-summary` snapshot, and
//! each real file's status, final image and first reason in `corpus-files`, so a change in what converts
//! (and why the others do not) shows up in review, file by file.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use slimfile_core::{convert, Status};

const RUNTIME_KINDS: &[&str] = &["EXPOSE", "ENV", "LABEL", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "ENTRYPOINT", "CMD"];

#[test]
fn corpus_converts_safely() {
    let files = support::corpus_files();
    assert!(files.len() > 270, "the corpus is in tests/corpus");
    let tmp = std::env::temp_dir().join(format!("slimfile-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut converted: Vec<(String, PathBuf, PathBuf, String)> = Vec::new();
    // Each real project's file: its status, final image and first reason, so that a change in what
    // converts (and why the others do not) shows file by file in review.
    let mut per_file = String::new();
    for (n, path) in files.iter().enumerate() {
        let name = support::corpus_name(path);
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let r = convert(&text, &support::options());
        let eco = r.ecosystem.clone().unwrap_or_else(|| "none".to_owned());
        let status = format!("{:?}", r.status).to_lowercase();
        *counts.entry((eco, status.clone())).or_default() += 1;
        if name.starts_with("real/") {
            let first = r.reasons.first().map_or(String::new(), |x| format!("  {x}"));
            writeln!(per_file, "{name}  {status}  {}{first}", r.runtime_image.as_deref().unwrap_or("-")).unwrap();
        }
        if r.status != Status::Converted {
            assert!(!r.reasons.is_empty(), "{name}: {:?} without a reason", r.status);
            continue;
        }
        let out = r.output.clone().unwrap();
        let again = convert(&out, &support::options());
        if again.status == Status::Refused {
            failures.push(format!("{name}: the output is refused on a second pass: {:?}\n{out}", again.reasons));
        }
        if again.status == Status::Converted && again.output.as_deref() != Some(out.as_str()) {
            failures.push(format!("{name}: not idempotent; second output:\n{}", again.output.unwrap_or_default()));
        }
        let out_path = tmp.join(format!("{n}.Dockerfile"));
        std::fs::write(&out_path, &out).unwrap();
        converted.push((name, path.clone(), out_path, out));
    }
    // BuildKit parses every output.
    let outs: Vec<PathBuf> = converted.iter().map(|c| c.2.clone()).collect();
    let parsed = support::official_parse(&outs);
    let originals = support::official_parse(&converted.iter().map(|c| c.1.clone()).collect::<Vec<_>>());
    for ((name, _, _, out), (p, o)) in converted.iter().zip(parsed.iter().zip(&originals)) {
        if !p.ok {
            failures.push(format!("{name}: BuildKit cannot parse the output: {:?}\n{out}", p.error));
            continue;
        }
        let last = |cmds: &[support::OfficialCommand]| -> Vec<String> {
            let start = cmds.iter().rposition(|c| c.cmd == "FROM").unwrap_or(0);
            cmds[start..].iter().filter(|c| RUNTIME_KINDS.contains(&c.cmd.as_str())).map(|c| c.cmd.clone()).collect()
        };
        let after = last(&p.commands);
        let report = convert(&std::fs::read_to_string(&converted.iter().find(|c| &c.0 == name).unwrap().1).unwrap(), &support::options());
        for k in last(&o.commands) {
            let noted = report.changes.iter().any(|c| c.why.contains(k.as_str()) || c.kind.contains(&k.to_lowercase()));
            if !(after.contains(&k) || noted || k == "CMD" || k == "ENTRYPOINT") {
                failures.push(format!("{name}: {k} of the final stage is gone without a change note"));
            }
        }
        if !after.iter().any(|k| k == "CMD" || k == "ENTRYPOINT") && last(&o.commands).iter().any(|k| k == "CMD" || k == "ENTRYPOINT") {
            failures.push(format!("{name}: the final stage lost its command"));
        }
    }
    // hadolint: no more errors than the input had.
    let before = support::hadolint_errors(&converted.iter().map(|c| c.1.clone()).collect::<Vec<_>>());
    let after = support::hadolint_errors(&outs);
    for ((name, _, _, out), (b, a)) in converted.iter().zip(before.iter().zip(&after)) {
        if a > b {
            failures.push(format!("{name}: hadolint errors went from {b} to {a}\n{out}"));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let mut summary = String::new();
    let mut per_eco: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for ((eco, status), n) in &counts {
        *per_eco.entry(eco.clone()).or_default().entry(status.clone()).or_default() += n;
    }
    writeln!(summary, "{:<10} {:>9} {:>9} {:>8}", "ecosystem", "converted", "unchanged", "refused").unwrap();
    for (eco, m) in &per_eco {
        let g = |k: &str| m.get(k).copied().unwrap_or(0);
        writeln!(summary, "{eco:<10} {:>9} {:>9} {:>8}", g("converted"), g("unchanged"), g("refused")).unwrap();
    }
    let total = |k: &str| per_eco.values().map(|m| m.get(k).copied().unwrap_or(0)).sum::<usize>();
    writeln!(summary, "{:<10} {:>9} {:>9} {:>8}", "total", total("converted"), total("unchanged"), total("refused")).unwrap();
    eprintln!("{summary}");
    insta::assert_snapshot!("corpus-summary", summary);
    insta::assert_snapshot!("corpus-files", per_file);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
}
