//! Our parse layer against BuildKit's own parser on the whole corpus (`tests/corpus`).
//!
//! For every Dockerfile, `slimfile_core::syntax::parse` is compared with the official parse stored
//! beside it (`Dockerfile.official.json`, made by `tools/official-parse`): whether it parses at all,
//! the number of instructions, each keyword (ONBUILD's inner one too) and each instruction's first and
//! last line. Every disagreement is one line; the list must equal
//! `tests/expected-parse-differences.txt`, where each line says why with a `# reason`.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use slimfile_core::report::Span;
use slimfile_core::syntax::{self, Args, Document, Instruction};
use support::{corpus_files, corpus_name, OfficialCommand, OfficialParse};

const EXPECTED: &str = "tests/expected-parse-differences.txt";

fn keyword(inst: &Instruction) -> String {
    inst.kind.as_str().to_owned()
}

fn sub_keyword(inst: &Instruction) -> Option<String> {
    match &inst.args {
        Args::Onbuild(inner) => Some(keyword(inner)),
        _ => None,
    }
}

/// Every disagreement between our parse of a file and BuildKit's, one line each, prefixed by `name`.
///
/// Instructions are paired by their first line, so one missing or extra instruction is one
/// difference, not a shift of all that follow. When we stop at an error BuildKit does not see, the
/// instructions we read before it are still compared.
fn differences(name: &str, doc: &Document, official: &OfficialParse) -> Vec<String> {
    let mut out = Vec::new();
    let ours_ok = doc.complete;
    if ours_ok != official.ok {
        let ours = match doc.diagnostics.first() {
            Some(d) if !ours_ok => format!("error ({})", d.message),
            _ => "ok".to_owned(),
        };
        let theirs = match &official.error {
            Some(e) if !official.ok => format!("error ({e})"),
            _ => "ok".to_owned(),
        };
        out.push(format!("{name}: parses: buildkit {theirs}, ours {ours}"));
    }
    if !official.ok {
        return out;
    }
    let theirs = &official.commands;
    let ours: Vec<(&Instruction, Span)> = doc
        .instructions
        .iter()
        .map(|i| (i, doc.span(i.span.clone())))
        .collect();
    // Where we stopped early, BuildKit's instructions from our error on were never read by us.
    let read_until = if ours_ok { usize::MAX } else { error_line(doc) };
    if ours_ok && theirs.len() != ours.len() {
        out.push(format!(
            "{name}: instruction count: buildkit {}, ours {}",
            theirs.len(),
            ours.len()
        ));
    }
    for t in theirs.iter().filter(|t| t.start_line < read_until) {
        match ours.iter().find(|(_, sp)| sp.line as usize == t.start_line) {
            Some((o, sp)) => out.extend(compare_instruction(name, t, o, sp)),
            None => out.push(format!(
                "{name}: line {}: buildkit {} (lines {}-{}), ours no instruction starts here",
                t.start_line, t.cmd, t.start_line, t.end_line
            )),
        }
    }
    for (o, sp) in &ours {
        if !theirs.iter().any(|t| t.start_line == sp.line as usize) {
            out.push(format!(
                "{name}: line {}: buildkit no instruction starts here, ours {} (lines {}-{})",
                sp.line,
                keyword(o),
                sp.line,
                sp.end_line
            ));
        }
    }
    out
}

/// The line our first error points at (where we stopped reading).
fn error_line(doc: &Document) -> usize {
    doc.diagnostics
        .iter()
        .find_map(|d| d.span.as_ref())
        .map_or(usize::MAX, |sp| sp.line as usize)
}

fn compare_instruction(name: &str, t: &OfficialCommand, o: &Instruction, sp: &Span) -> Vec<String> {
    let mut out = Vec::new();
    let line = t.start_line;
    let (kw_t, kw_o) = (t.cmd.to_ascii_uppercase(), keyword(o));
    if kw_t != kw_o {
        out.push(format!(
            "{name}: line {line}: keyword: buildkit {kw_t}, ours {kw_o}"
        ));
    }
    let (sub_t, sub_o) = (
        t.sub_cmd.as_ref().map(|s| s.to_ascii_uppercase()),
        sub_keyword(o),
    );
    if kw_t == kw_o && sub_t != sub_o {
        let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".to_owned());
        out.push(format!(
            "{name}: line {line}: ONBUILD keyword: buildkit {}, ours {}",
            show(&sub_t),
            show(&sub_o)
        ));
    }
    if t.end_line != sp.end_line as usize {
        out.push(format!(
            "{name}: line {line}: {kw_t} ends: buildkit line {}, ours line {}",
            t.end_line, sp.end_line
        ));
    }
    out
}

fn compare_file(path: &Path, official: &OfficialParse) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let name = corpus_name(path);
    let Ok(text) = String::from_utf8(bytes) else {
        return vec![format!("{name}: not UTF-8")];
    };
    differences(&name, &syntax::parse(&text), official)
}

/// The expected-differences file: `(difference, reason)` per non-comment line.
fn read_expected() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPECTED);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(" # ") {
            Some((d, r)) => (d.trim_end().to_owned(), r.trim().to_owned()),
            None => (l.trim_end().to_owned(), String::new()),
        })
        .collect()
}

#[test]
fn parse_agrees_with_buildkit_on_the_corpus() {
    let files = corpus_files();
    let mut all = Vec::new();
    // Per top folder (buildkit, real): files that agree, files.
    let mut groups = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for path in &files {
        let official = support::stored_official_parse(path);
        let diffs = compare_file(path, &official);
        let group = corpus_name(path).split('/').next().unwrap_or("").to_owned();
        let entry = groups.entry(group).or_default();
        entry.0 += usize::from(diffs.is_empty());
        entry.1 += 1;
        all.extend(diffs);
    }
    let agreeing: usize = groups.values().map(|(a, _)| a).sum();
    let per_group: Vec<String> = groups
        .iter()
        .map(|(g, (a, t))| format!("{g} {a}/{t}"))
        .collect();
    eprintln!(
        "parse agreement: {agreeing}/{} files agree with BuildKit ({})",
        files.len(),
        per_group.join(", ")
    );

    let expected = read_expected();
    let missing_reason: Vec<&str> = expected
        .iter()
        .filter(|(_, r)| r.is_empty())
        .map(|(d, _)| d.as_str())
        .collect();
    assert!(
        missing_reason.is_empty(),
        "{EXPECTED}: every line needs a `# reason`: {missing_reason:#?}"
    );
    let keys: Vec<&str> = expected.iter().map(|(d, _)| d.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        keys, sorted,
        "{EXPECTED} must be sorted, without duplicates"
    );

    let actual: BTreeSet<&str> = all.iter().map(String::as_str).collect();
    let expected: BTreeSet<&str> = keys.into_iter().collect();
    let new: Vec<&&str> = actual.difference(&expected).collect();
    let gone: Vec<&&str> = expected.difference(&actual).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "the parse differences from BuildKit changed.\nnew (fix src/syntax/, or add to {EXPECTED} with a reason):\n{}\n\
         no longer found (remove from {EXPECTED}):\n{}",
        new.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"),
        gone.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"),
    );
}

/// The stored `Dockerfile.official.json` files are what `tools/official-parse` prints today (one
/// Python run for the whole corpus).
#[test]
fn stored_official_parses_are_current() {
    let files = corpus_files();
    let live = support::official_parse(&files);
    for (path, mut live) in files.iter().zip(live) {
        let stored = support::stored_official_parse(path);
        live.file = corpus_name(path);
        assert_eq!(
            live,
            stored,
            "{}: re-run tools/official-parse",
            corpus_name(path)
        );
    }
}

/// `official_parse_text` and `hadolint_errors` work on a batch and keep the order of their input.
#[test]
fn support_tools_work_in_batches() {
    let texts = vec![
        (
            "good".to_owned(),
            "FROM alpine\nRUN <<EOF\necho hi\nEOF\n".to_owned(),
        ),
        ("bad".to_owned(), "FROM alpine\nENV X\n".to_owned()),
        (
            "sub/good".to_owned(),
            "FROM alpine\nONBUILD RUN true\n".to_owned(),
        ),
    ];
    let parsed = support::official_parse_text(&texts);
    assert_eq!(
        parsed
            .iter()
            .map(|p| (p.file.as_str(), p.ok))
            .collect::<Vec<_>>(),
        [("good", true), ("bad", false), ("sub/good", true)]
    );
    assert_eq!(
        (
            parsed[0].commands[1].start_line,
            parsed[0].commands[1].end_line
        ),
        (2, 4)
    );
    assert_eq!(
        parsed[2].commands[1]
            .sub_cmd
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref(),
        Some("RUN")
    );

    // Error-level findings: DL1000 (hadolint cannot parse the file) in the first and last, none in the
    // middle one (only warnings and infos).
    let corpus = support::corpus_dir();
    let paths: Vec<PathBuf> = [
        "buildkit/negative-env_no_value/Dockerfile",
        "real/jessfraz__dockerfiles/zookeeper/3.6/Dockerfile",
        "real/docker__awesome-compose/fastapi/Dockerfile",
    ]
    .iter()
    .map(|p| corpus.join(p))
    .collect();
    assert_eq!(support::hadolint_errors(&paths), [1, 0, 1]);
}

/// Small texts for the edge cases of the parse layer (line continuations at the end of the file,
/// heredoc terminators, CRLF, the escape directive, ENV/LABEL arguments), each compared with BuildKit
/// live, in one `official-parse` run.
const EDGE_CASES: &[(&str, &str)] = &[
    ("arg-cont-blank-eof", "FROM a\nARG X \\\n\n"),
    ("arg-cont-ws-eof", "FROM a\nARG X \\\n  \n"),
    ("bom-crlf", "\u{feff}FROM a\r\nRUN x\r\n"),
    ("cmd-json-cont-eof", "FROM a\nCMD [\"a\"] \\\n"),
    ("cmd-json-cont-ws-eof", "FROM a\nCMD [\"a\"] \\\n  \n"),
    ("cont-blank-comment-eof", "FROM a\nRUN a \\\n\n# c\n"),
    ("cont-blank-eof", "FROM a\nRUN echo hi \\\n\n"),
    (
        "cont-blank-mid",
        "FROM a\nRUN echo hi \\\n\n  there\nRUN x\n",
    ),
    ("cont-comment", "FROM a\nRUN echo hi \\\n# c\n  there\n"),
    ("cont-comment-blank-eof", "FROM a\nENV X=1 \\\n# c\n\n"),
    ("cont-comment-eof", "FROM a\nRUN echo hi \\\n# c\n"),
    ("cont-comment-indented", "FROM a\nRUN a \\\n   # c\n  b\n"),
    ("cont-crlf-ws-eof", "FROM a\r\nRUN a \\\r\n  \r\n"),
    ("cont-empty-lines", "FROM a\nRUN a \\\n\\\n  b\n"),
    ("cont-eof", "FROM a\nRUN echo hi \\\n"),
    ("cont-eof-no-newline", "FROM a\nRUN echo hi \\"),
    ("cont-space-after", "FROM a\nRUN echo hi \\  \n  there\n"),
    ("cont-then-instruction", "FROM a\nRUN echo hi \\\nRUN x\n"),
    ("cont-ws-eof", "FROM a\nRUN a \\\n   \n"),
    ("cont-ws-eof-no-newline", "FROM a\nRUN a \\\n   "),
    (
        "cont-ws-mid",
        "FROM a\nRUN echo hi \\\n   \n  there\nRUN x\n",
    ),
    ("copy-flags-cont", "FROM a\nCOPY --from=b \\\n  /a /b\n"),
    ("copy-heredoc", "FROM a\nCOPY <<EOF /x\nhi\nEOF\nCMD x\n"),
    (
        "copy-two-heredocs",
        "FROM a\nCOPY <<A <<B /dst/\na\nA\nb\nB\nCMD x\n",
    ),
    ("cr-only", "FROM a\rRUN x\r"),
    ("crlf", "FROM a\r\nRUN echo \\\r\n  hi\r\nCMD [\"x\"]\r\n"),
    ("crlf-cont-eof", "FROM a\r\nRUN echo \\\r\n"),
    (
        "crlf-heredoc",
        "FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nCMD x\r\n",
    ),
    ("env-bad-new-form", "FROM a\nENV X=1 Y\n"),
    ("env-cont", "FROM a\nENV A=1 \\\n  B=2\n"),
    ("env-cont-eof", "FROM a\nENV A=1 \\\n"),
    ("env-escaped-space", "FROM a\nENV X\\ Y\n"),
    ("env-one-word", "FROM a\nENV X\n"),
    ("env-quoted", "FROM a\nENV X \"a b\"\n"),
    ("env-quoted-name", "FROM a\nENV \"X Y\"\n"),
    ("env-quoted-new-form", "FROM a\nENV \"X=1\" Y=2\n"),
    (
        "escape-backtick",
        "# escape=`\nFROM a\nRUN dir `\n  c:\\\nCMD x\n",
    ),
    (
        "escape-backtick-backslash-eol",
        "# escape=`\nFROM a\nRUN dir c:\\\nCMD x\n",
    ),
    (
        "escape-backtick-cont-eof",
        "# escape=`\nFROM a\nRUN dir `\n",
    ),
    (
        "escape-backtick-open-eof",
        "# escape=`\nFROM a\nRUN dir c:\\ `\n   \n",
    ),
    ("expose-cont", "FROM a\nEXPOSE 80 \\\n  443\n"),
    ("from-cont", "FROM a \\\n  AS b\nRUN x\n"),
    (
        "healthcheck-cont",
        "FROM a\nHEALTHCHECK --interval=5s \\\n  CMD true\n",
    ),
    ("healthcheck-none", "FROM a\nHEALTHCHECK NONE\n"),
    (
        "heredoc-after-command",
        "FROM a\nRUN cat <<EOF > /f\nhi\nEOF\nRUN x\n",
    ),
    ("heredoc-after-flags", "FROM a\nRUN --network=none cat <<EOF > /f\nRUN x\nEOF\nCMD y\n"),
    (
        "heredoc-after-continuation",
        "FROM a\nRUN apt-get update && \\\n  cat <<'END' > /etc/x\n$HOME\nEND\nRUN y\n",
    ),
    ("heredoc-after-dash-crlf", "FROM a\r\nRUN cat <<-EOF > /f\r\n\thi\r\n\tEOF\r\nRUN y\r\n"),
    ("heredoc-after-two", "FROM a\nRUN cat <<A > /a && cat <<B > /b\na\nA\nb\nB\nRUN y\n"),
    ("heredoc-after-unterminated", "FROM a\nRUN cat <<EOF > /f\nhi\n"),
    ("heredoc-here-string", "FROM a\nRUN cat <<< hi > /f\nRUN y\n"),
    (
        "heredoc-args-after",
        "FROM a\nRUN <<EOF bash -x\necho\nEOF\n",
    ),
    (
        "heredoc-cont",
        "FROM a\nRUN <<EOF \\\n  && true\necho\nEOF\n",
    ),
    ("heredoc-crlf-eof", "FROM a\r\nRUN <<EOF\r\nx\r\nEOF"),
    ("heredoc-dash", "FROM a\nRUN <<-EOF\n\techo\n\tEOF\nCMD x\n"),
    ("heredoc-empty", "FROM a\nRUN <<EOF\nEOF\nCMD x\n"),
    ("heredoc-eof-no-newline", "FROM a\nRUN <<EOF\necho\nEOF"),
    (
        "heredoc-hash-body",
        "FROM a\nRUN <<EOF\n# not a comment \\\n\nEOF\n",
    ),
    ("heredoc-quoted", "FROM a\nRUN <<'EOF'\necho $x\nEOF\n"),
    ("heredoc-two", "FROM a\nRUN <<A <<B\na\nA\nb\nB\nCMD x\n"),
    ("indented", "FROM a\n   RUN x \\\n  y\n"),
    ("json-cont-after", "FROM a\nCMD [\"a\"] \\\n\nRUN x\n"),
    ("json-multiline", "FROM a\nCMD [\"a\", \\\n  \"b\"]\n"),
    ("json-trailing-blanks", "FROM a\nCMD [\"a\"]   \nRUN x\n"),
    ("keyword-cont", "FROM a\nRUN \\\n  echo\n"),
    ("keyword-cont-eof", "FROM a\nRUN \\\n"),
    ("label-bad-new-form", "FROM a\nLABEL a=1 \"b c\"\n"),
    ("label-cont-comment", "FROM a\nLABEL a=1 \\\n# x\n  b=2\n"),
    ("label-new-form", "FROM a\nLABEL a=1 \"b c\"=2\n"),
    ("label-one-word", "FROM a\nLABEL X\n"),
    ("lower-case", "from a\nrun x\n"),
    ("maintainer-cont", "FROM a\nMAINTAINER x \\\n y\n"),
    ("onbuild-cont-eof", "FROM a\nONBUILD RUN x \\\n  # c\n"),
    ("onbuild-env-one-word", "FROM a\nONBUILD ENV X\n"),
    (
        "onbuild-heredoc",
        "FROM a\nONBUILD RUN <<EOF\necho\nEOF\nCMD x\n",
    ),
    ("shell-cont", "FROM a\nSHELL [\"sh\", \\\n \"-c\"]\n"),
    ("stopsignal-cont", "FROM a\nSTOPSIGNAL \\\n  SIGTERM\n"),
    ("user-cont-ws", "FROM a\nUSER x   \\\n   \nRUN y\n"),
    ("volume-json-cont", "FROM a\nVOLUME [\"/a\", \\\n \"/b\"]\n"),
    ("workdir-cont-eof", "FROM a\nWORKDIR /x \\"),
];

/// Corpus files that `parse-dockerfile` refuses only for their missing FROM: compared again with
/// `FROM scratch` put first, so their content is still checked.
const WITHOUT_FROM: &[&str] = &[
    "buildkit/jeztah-invalid-json-json-inside-string/Dockerfile",
    "buildkit/jeztah-invalid-json-json-inside-string-double/Dockerfile",
    "buildkit/jeztah-invalid-json-single-quotes/Dockerfile",
    "buildkit/jeztah-invalid-json-unterminated-bracket/Dockerfile",
    "buildkit/jeztah-invalid-json-unterminated-string/Dockerfile",
    "buildkit/json/Dockerfile",
];

/// The edge cases where we still differ from BuildKit, and why. Everything else must agree.
const EDGE_DIFFERENCES: &[(&str, &str)] = &[
    (
        "arg-cont-blank-eof: line 2: ARG ends: buildkit line 3, ours line 2",
        "a line continuation open at the end of the file swallows the empty lines after it in BuildKit's \
         count; our span ends before a newline, so it cannot end on an empty line (the text is kept as \
         trailing trivia)",
    ),
    (
        "cont-blank-eof: line 2: RUN ends: buildkit line 3, ours line 2",
        "empty line after a continuation open at the end of the file (see arg-cont-blank-eof)",
    ),
    (
        "cont-comment-blank-eof: line 2: ENV ends: buildkit line 4, ours line 3",
        "empty line after a continuation open at the end of the file (see arg-cont-blank-eof)",
    ),
    (
        "cr-only: parses: buildkit ok, ours error (syntax error: expected AS)",
        "parse-dockerfile does not treat a lone CR as a line break (classic Mac line endings); BuildKit \
         reads the whole file as one FROM line",
    ),
];

#[test]
fn edge_cases_agree_with_buildkit() {
    let corpus = support::corpus_dir();
    let mut texts: Vec<(String, String)> = EDGE_CASES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    for file in WITHOUT_FROM {
        let text = std::fs::read_to_string(corpus.join(file)).expect("corpus file");
        texts.push((format!("with FROM {file}"), format!("FROM scratch\n{text}")));
    }
    let official = support::official_parse_text(&texts);
    let mut actual = BTreeSet::new();
    for ((name, text), official) in texts.iter().zip(&official) {
        actual.extend(differences(name, &syntax::parse(text), official));
    }
    let expected: BTreeSet<String> = EDGE_DIFFERENCES
        .iter()
        .map(|(d, _)| d.to_string())
        .collect();
    assert_eq!(
        actual, expected,
        "edge-case differences from BuildKit changed (update EDGE_DIFFERENCES)"
    );
}
