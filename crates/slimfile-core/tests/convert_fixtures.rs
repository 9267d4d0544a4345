//! Data-driven conversion tests: every folder in `tests/fixtures/convert` holds a `Dockerfile` and an
//! `expect.toml` (written by hand, before the engine ran) saying what a correct conversion must do. The
//! whole report is also kept as a reviewed insta snapshot.
//!
//! Every case also checks the invariants: the output parses with BuildKit's parser, converting it again
//! changes nothing, and the runtime-relevant instructions of the original final stage are still there.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use slimfile_core::context::{prepare, wants, BuildContext, HealthCheck, Want};
use slimfile_core::{convert_with, Options, Report, RuntimeFamily, Status};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: String,
    runtime: Option<String>,
    #[serde(default)]
    options: Option<ExpectOptions>,
    #[serde(default)]
    must_contain: Vec<String>,
    /// Text the output must not hold (a credential carried to the runtime stage, …).
    #[serde(default)]
    must_not_contain: Vec<String>,
    /// Text one of the reasons must hold (why a refusal refused).
    reason_contains: Option<String>,
    /// How the fixture's `context/` folder is given to the engine.
    #[serde(default)]
    context: ExpectContext,
    /// Text one of the change notes must hold (an answer the context gave, with its file).
    #[serde(default)]
    change_contains: Vec<String>,
    /// Rules no finding may have (a question the context answered).
    #[serde(default)]
    no_finding: Vec<String>,
    /// Text each of which a finding must hold, read as `RULE severity: message` (`SF108 warning: …`).
    #[serde(default)]
    findings_contain: Vec<String>,
    /// Text no finding may hold, read the same way.
    #[serde(default)]
    findings_lack: Vec<String>,
}

/// The fixture's build context: the files of `context/`, as the CLI reads a folder.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectContext {
    /// Paths that exist without being files of the fixture (`.git/`, `node_modules/`: git keeps neither).
    #[serde(default)]
    paths: Vec<String>,
    /// False: the files were pasted or picked one by one, so the listing is not the whole context.
    complete: Option<bool>,
    /// Compose health checks (`test` as compose writes it), named `compose.yaml (service app)`.
    #[serde(default)]
    healthchecks: Vec<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectOptions {
    target: Option<String>,
    non_root: Option<bool>,
    keep_comments: Option<bool>,
    cache_mounts: Option<bool>,
    carry_files: Option<bool>,
    /// The day support windows are judged on; default `support::JUDGED_ON`.
    date: Option<String>,
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

/// The fixture's `context/` folder as a [`BuildContext`]: every file listed, the ones the readers want
/// read (through `prepare`, as the CLI does), plus the paths and health checks `expect.toml` names.
fn context(dir: &Path, e: &ExpectContext) -> BuildContext {
    let root = dir.join("context");
    let mut ctx = BuildContext::default();
    if !root.is_dir() {
        assert!(e.paths.is_empty() && e.healthchecks.is_empty(), "{}: [context] without a context/ folder", dir.display());
        return ctx;
    }
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            if p.is_dir() {
                ctx.paths.push(format!("{rel}/"));
                stack.push(p);
            } else {
                ctx.paths.push(rel.clone());
                if wants(&rel) != Want::No {
                    ctx.files.insert(rel.clone(), prepare(&rel, &std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
    }
    ctx.paths.extend(e.paths.iter().cloned());
    ctx.paths.sort();
    ctx.complete = e.complete.unwrap_or(true);
    ctx.healthchecks = e.healthchecks.iter().map(|t| HealthCheck { source: "compose.yaml (service app)".to_owned(), test: t.clone() }).collect();
    ctx
}

fn options(e: &Expect) -> Options {
    let mut o = support::options();
    if let Some(x) = &e.options {
        if let Some(d) = &x.date {
            o.date = Some(d.clone());
        }
        if let Some(t) = &x.target {
            o.target = Some(RuntimeFamily::parse(t).unwrap_or_else(|| panic!("unknown target {t}")));
        }
        if let Some(v) = x.non_root {
            o.non_root = v;
        }
        if let Some(v) = x.keep_comments {
            o.keep_comments = v;
        }
        if let Some(v) = x.cache_mounts {
            o.cache_mounts = v;
        }
        if let Some(v) = x.carry_files {
            o.carry_files = v;
        }
    }
    o
}

/// The report as a reviewer reads it.
fn render(r: &Report) -> String {
    let mut s = String::new();
    writeln!(s, "status: {:?}", r.status).unwrap();
    writeln!(s, "runtime: {}", r.runtime.map_or("-", |f| f.as_str())).unwrap();
    writeln!(s, "runtime_image: {}", r.runtime_image.as_deref().unwrap_or("-")).unwrap();
    writeln!(s, "strategy: {}  ecosystem: {}", r.strategy.as_deref().unwrap_or("-"), r.ecosystem.as_deref().unwrap_or("-")).unwrap();
    for x in &r.reasons {
        writeln!(s, "reason: {x}").unwrap();
    }
    for d in &r.diagnostics {
        let at = d.span.as_ref().map_or(String::new(), |sp| format!(" @{}:{}", sp.line, sp.column));
        writeln!(s, "diagnostic{at}: {}", d.message).unwrap();
    }
    if let Some(o) = &r.output {
        writeln!(s, "--- output ---\n{}--- end ---", o.replace("\r\n", "⏎\n")).unwrap();
    }
    for c in &r.changes {
        let at = c.span.as_ref().map_or(String::new(), |sp| format!(" @{}", sp.line));
        writeln!(s, "change {}{at}: {}", c.kind, c.why).unwrap();
    }
    for f in &r.findings {
        let at = f.span.as_ref().map_or(String::new(), |sp| format!(" @{}", sp.line));
        writeln!(s, "finding {}{at}: {}", f.rule, f.message).unwrap();
    }
    if let Some(c) = &r.context {
        writeln!(s, "context files used: {}", c.files_used.join(", ")).unwrap();
        if let Some(d) = &c.dockerignore {
            writeln!(s, "--- proposed .dockerignore ---\n{d}--- end ---").unwrap();
        }
    }
    s
}

/// Instructions whose meaning must survive into the final image.
const RUNTIME_KINDS: &[&str] = &["EXPOSE", "ENV", "LABEL", "VOLUME", "STOPSIGNAL", "USER", "WORKDIR", "HEALTHCHECK"];

#[test]
fn fixtures_convert_as_expected() {
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    let cases = fixtures();
    assert!(cases.len() >= 40, "at least 40 hand-picked conversions");
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
        let expect: Expect = toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap()).unwrap();
        let opts = options(&expect);
        let ctx = context(dir, &expect.context);
        let r = convert_with(&text, &opts, &ctx);
        insta::assert_snapshot!(name.clone(), render(&r));
        let status = format!("{:?}", r.status).to_lowercase();
        if status != expect.status {
            failures.push(format!("{name}: status {status}, expected {}: {:?}", expect.status, r.reasons));
            continue;
        }
        for m in &expect.change_contains {
            if !r.changes.iter().any(|c| c.why.contains(m.as_str())) {
                failures.push(format!("{name}: no change note holds {m:?}"));
            }
        }
        for rule in &expect.no_finding {
            if r.findings.iter().any(|f| f.rule == *rule) {
                failures.push(format!("{name}: a finding of {rule} is left"));
            }
        }
        if let Some(m) = &expect.reason_contains {
            if !r.reasons.iter().any(|x| x.contains(m.as_str())) {
                failures.push(format!("{name}: no reason holds {m:?}: {:?}", r.reasons));
            }
        }
        let findings: Vec<String> = r.findings.iter().map(|f| format!("{} {}: {}", f.rule, f.severity, f.message)).collect();
        for m in &expect.findings_contain {
            if !findings.iter().any(|f| f.contains(m.as_str())) {
                failures.push(format!("{name}: no finding holds {m:?}: {findings:#?}"));
            }
        }
        for m in &expect.findings_lack {
            if let Some(f) = findings.iter().find(|f| f.contains(m.as_str())) {
                failures.push(format!("{name}: a finding holds {m:?}: {f}"));
            }
        }
        let runtime = r.runtime.map(|f| f.as_str().to_owned());
        if expect.status != "refused" && runtime != expect.runtime {
            failures.push(format!("{name}: runtime {runtime:?}, expected {:?}", expect.runtime));
        }
        if let Some(out) = &r.output {
            for m in &expect.must_contain {
                if !out.contains(m.as_str()) {
                    failures.push(format!("{name}: output lacks {m:?}"));
                }
            }
            for m in &expect.must_not_contain {
                if out.contains(m.as_str()) {
                    failures.push(format!("{name}: output holds {m:?}"));
                }
            }
            // Idempotent: the output converts to itself.
            let again = convert_with(out, &opts, &ctx);
            if again.status == Status::Refused {
                failures.push(format!("{name}: the output is refused on a second pass: {:?}", again.reasons));
            }
            if again.status == Status::Converted && again.output.as_deref() != Some(out.as_str()) {
                failures.push(format!("{name}: converting the output again changed it:\n{}", again.output.unwrap_or_default()));
            }
            outputs.push((name.clone(), out.clone(), text.clone(), opts.clone(), ctx.clone()));
        }
        assert!(r.status != Status::Converted || r.output.is_some());
        assert!(r.status == Status::Converted || !r.reasons.is_empty(), "{name}: {:?} without reasons", r.status);
    }
    // Every output parses with BuildKit's own parser.
    let parsed = support::official_parse_text(&outputs.iter().map(|(n, o, _, _, _)| (n.clone(), o.clone())).collect::<Vec<_>>());
    for p in &parsed {
        if !p.ok {
            failures.push(format!("{}: BuildKit cannot parse the output: {:?}", p.file, p.error));
        }
    }
    // Runtime-relevant instructions of the original final stage are kept in the final stage (or a change says why).
    for ((name, out, input, opts, ctx), p) in outputs.iter().zip(&parsed) {
        let orig = support::official_parse_text(&[(name.clone(), input.clone())]).remove(0);
        let last_stage = |cmds: &[support::OfficialCommand]| -> Vec<String> {
            let start = cmds.iter().rposition(|c| c.cmd == "FROM").unwrap_or(0);
            cmds[start..].iter().filter(|c| RUNTIME_KINDS.contains(&c.cmd.as_str())).map(|c| c.cmd.clone()).collect()
        };
        let before = last_stage(&orig.commands);
        let after = last_stage(&p.commands);
        // The notes of the conversion with the fixture's own options and context (a target can drop a HEALTHCHECK).
        let report = convert_with(input, opts, ctx);
        for k in before {
            let noted = report.changes.iter().any(|c| c.why.contains(&k) || c.kind.contains(&k.to_lowercase()));
            if !after.contains(&k) && !noted && k != "USER" && k != "WORKDIR" {
                failures.push(format!("{name}: {k} of the final stage is gone without a change note\n{out}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
