//! Tests across rules: registry and documentation, ordering, pragmas, stage awareness.

use super::testing::run;
use super::pragmas::parse_pragma;
use super::registry::{section, REGISTRY};
use super::{rule, rules};
use crate::report::Severity;

#[test]
fn every_rule_is_documented_in_ruffs_format() {
    let all = rules();
    assert_eq!(all.len(), REGISTRY.len());
    let mut ids: Vec<&str> = all.iter().map(|r| r.id).collect();
    let sorted = {
        let mut v = ids.clone();
        v.sort_unstable();
        v
    };
    assert_eq!(ids, sorted, "rules are listed in id order");
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "ids are unique");
    for r in all {
        assert!(!r.summary.is_empty() && !r.name.is_empty(), "{}", r.id);
        assert!(r.what_it_does.len() > 40, "{}: what it does", r.id);
        assert!(r.why_bad.len() > 40, "{}: why is this bad", r.id);
        assert!(r.example.contains("```dockerfile"), "{}: example", r.id);
        assert!(r.doc.starts_with("## What it does"), "{}", r.id);
        assert!(!r.doc.contains("\n ## "), "{}: dedented", r.id);
        // The compile-time copy is the section the documentation has.
        assert_eq!(r.why_bad, section(r.doc, "Why is this bad?"), "{}", r.id);
        assert_eq!(super::meta(r.id).map(|m| m.why), Some(r.why_bad), "{}", r.id);
        assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", r.name);
    }
}

#[test]
fn rule_lookup_by_id_or_name() {
    assert_eq!(rule("dl3009").map(|r| r.name), Some("apt-lists-left-behind"));
    assert_eq!(rule("unused-stage").map(|r| r.id), Some("SF106"));
    assert!(rule("DL9999").is_none());
    let r = rule("DL3042").unwrap();
    assert!(r.what_it_does.starts_with("Checks for `pip install`"), "{}", r.what_it_does);
    assert!(r.why_bad.contains("~/.cache/pip"));
    assert!(!r.what_it_does.contains("## "));
}

#[test]
fn findings_are_sorted_and_carry_span_and_stage() {
    let text = "FROM golang AS build\nRUN cd /src && go build -o /app\nFROM debian:12\nRUN apt-get update && apt-get install -y gcc\nCOPY --from=build /app /app\nCMD /app\n";
    let f = run(text);
    let keys: Vec<(usize, &str)> = f.iter().map(|f| (f.span.as_ref().unwrap().start, f.rule.as_str())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let rules: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["DL3006", "DL3003", "SF105", "SF108", "DL3009", "DL3015", "SF101", "DL3025"], "{f:#?}");
    let apt = f.iter().find(|f| f.rule == "DL3009").unwrap();
    assert_eq!(apt.stage, Some(1));
    let sp = apt.span.as_ref().unwrap();
    assert_eq!((sp.line, sp.column, sp.end_line), (4, 1, 4));
    assert_eq!(&text[sp.start..sp.end], "RUN apt-get update && apt-get install -y gcc");
    assert_eq!(run(text), f, "deterministic");
}

#[test]
fn pragmas_suppress_rules_for_the_next_instruction() {
    let text = "# hadolint ignore=DL3006 # we float on purpose\nFROM alpine AS other\nFROM debian:12\nCOPY --from=other /x /x\n# slimfile ignore=DL3009,DL3015\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get update\nCMD [\"/app\"]\n";
    let f = run(text);
    let got: Vec<(&str, u32)> = f.iter().map(|f| (f.rule.as_str(), f.span.as_ref().unwrap().line)).collect();
    assert!(got.contains(&("DL3009", 7)), "{got:?}");
    assert!(got.contains(&("SF101", 6)), "other rules still apply: {got:?}");
    assert!(!got.contains(&("DL3009", 6)) && !got.contains(&("DL3015", 6)), "{got:?}");
    assert!(!got.iter().any(|(r, _)| *r == "DL3006"), "{got:?}");
}

#[test]
fn global_pragmas_and_rule_names() {
    let text = "# hadolint global ignore=DL3009\nFROM debian:12\nRUN apt-get update\n# slimfile ignore=no-user\nFROM debian:12\n";
    let rules: Vec<String> = run(text).into_iter().map(|f| f.rule).collect();
    assert!(!rules.contains(&"DL3009".to_owned()), "{rules:?}");
    assert!(!rules.contains(&"SF105".to_owned()), "{rules:?}");
}

#[test]
fn pragma_syntax() {
    assert_eq!(parse_pragma("# slimfile ignore=DL3009,SF101"), Some((false, vec!["DL3009".into(), "SF101".into()])));
    assert_eq!(
        parse_pragma("#hadolint ignore=DL3003, DL3006 # why"),
        Some((false, vec!["DL3003".into(), "DL3006".into()]))
    );
    assert_eq!(parse_pragma("# hadolint global ignore=DL3059"), Some((true, vec!["DL3059".into()])));
    assert_eq!(parse_pragma("# hadolint shell=powershell"), None);
    assert_eq!(parse_pragma("# slimfileignore=DL3009"), None);
    assert_eq!(parse_pragma("# just a comment"), None);
}

#[test]
fn a_builder_may_do_what_the_final_image_may_not() {
    // The same RUN: fine in a builder, reported when the target inherits the stage.
    let run_line =
        "RUN apt-get update && apt-get install -y gcc make && pip install -r req.txt && npm ci && apk add musl-dev\n";
    let builder = format!("FROM debian:12 AS build\n{run_line}FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n");
    let inherited = format!("FROM debian:12 AS build\n{run_line}FROM build\nUSER 10001\n");
    let content_rules = ["DL3009", "DL3015", "DL3042", "SF103", "DL3019", "SF101"];
    let in_builder: Vec<String> = run(&builder).into_iter().map(|f| f.rule).collect();
    let in_final: Vec<String> = run(&inherited).into_iter().map(|f| f.rule).collect();
    for r in content_rules {
        assert!(!in_builder.contains(&r.to_owned()), "{r} in a builder: {in_builder:?}");
        assert!(in_final.contains(&r.to_owned()), "{r} in the final image: {in_final:?}");
    }
}

#[test]
fn exec_form_and_heredoc_runs_are_read() {
    let text = "FROM debian:12\nRUN [\"sh\", \"-c\", \"apt-get update\"]\nRUN <<EOF\napt-get update\nEOF\nRUN python3 <<EOF\nimport os  # apt-get update\nEOF\n";
    let lines: Vec<u32> = run(text).into_iter().filter(|f| f.rule == "DL3009").map(|f| f.span.unwrap().line).collect();
    assert_eq!(lines, [2, 3]);
}

#[test]
fn severities_follow_the_rule_table() {
    for r in rules() {
        let expected = match r.id {
            "DL3020" | "DL3004" | "DL4000" | "DL4004" => Severity::Error,
            "DL3009" | "DL3015" | "DL3019" | "DL3060" | "SF103" | "SF106" | "SF107" => Severity::Info,
            // The rewrite's questions: the ones that can break the image are warnings.
            "SF301" | "SF303" | "SF306" | "SF308" | "SF309" | "SF310" => Severity::Info,
            _ => Severity::Warning,
        };
        assert_eq!(r.severity, expected, "{}", r.id);
    }
}

#[test]
fn broken_input_gives_no_panic() {
    for text in [
        "",
        "RUN x\n",
        "FROM\n",
        "FROM a AS x\nFROM b AS X\n",
        "FROM x\nRUN \"unterminated\n",
        "ARG A\nFROM $A\nCOPY --from=9 / /\n",
    ] {
        let _ = run(text);
    }
}
