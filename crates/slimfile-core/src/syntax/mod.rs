//! Step 1, parse: `parse-dockerfile` turned into an owned syntax tree that keeps every byte.
//!
//! Each instruction knows its full byte span (heredoc terminators included) and the trivia before it
//! (comments, blank lines, parser directives), so the renderer can copy the user's text verbatim.
//! This layer never fails: a syntax error becomes a [`Diagnostic`] and the instructions read before it
//! are kept.
//!
//! Edge cases of `parse-dockerfile` worked around here (each has a test below):
//! - a UTF-8 BOM is skipped by the parser and its spans start after it: we strip it first and shift.
//! - its error column is wrong past line 1: we recompute the column from the line.
//! - instruction spans end at the last argument: we extend them over heredoc terminator lines, and over
//!   a line continuation left open at the end of the file (with the comment and whitespace-only lines
//!   after it, which BuildKit counts in the instruction); a span never ends with a newline.
//! - it accepts `ENV`/`LABEL` arguments that BuildKit's parser rejects (`ENV PATH`, `ENV A=1 B`): we
//!   report them as BuildKit does.
//! - it reads a RUN heredoc only as the first word, and only one: for `RUN cat <<EOF > f` and
//!   `RUN <<A <<B`, `hidden_heredocs` finds them as BuildKit does and the parser reads a copy of the text
//!   with their bodies blanked; the bodies are attached back here.

use std::ops::Range;

use parse_dockerfile as pd;

mod hidden_heredocs;

use crate::report::{Diagnostic, Severity, Span};

/// Input larger than this is not parsed. 1 MiB is far beyond any real Dockerfile.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// More instructions than this are not analysed.
pub const MAX_INSTRUCTIONS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Add => "ADD",
            Kind::Arg => "ARG",
            Kind::Cmd => "CMD",
            Kind::Copy => "COPY",
            Kind::Entrypoint => "ENTRYPOINT",
            Kind::Env => "ENV",
            Kind::Expose => "EXPOSE",
            Kind::From => "FROM",
            Kind::Healthcheck => "HEALTHCHECK",
            Kind::Label => "LABEL",
            Kind::Maintainer => "MAINTAINER",
            Kind::Onbuild => "ONBUILD",
            Kind::Run => "RUN",
            Kind::Shell => "SHELL",
            Kind::Stopsignal => "STOPSIGNAL",
            Kind::User => "USER",
            Kind::Volume => "VOLUME",
            Kind::Workdir => "WORKDIR",
        }
    }

    pub const ALL: [Kind; 18] = [
        Kind::Add,
        Kind::Arg,
        Kind::Cmd,
        Kind::Copy,
        Kind::Entrypoint,
        Kind::Env,
        Kind::Expose,
        Kind::From,
        Kind::Healthcheck,
        Kind::Label,
        Kind::Maintainer,
        Kind::Onbuild,
        Kind::Run,
        Kind::Shell,
        Kind::Stopsignal,
        Kind::User,
        Kind::Volume,
        Kind::Workdir,
    ];
}

/// `RUN`/`CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD` arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// JSON array form: run without a shell.
    Exec(Vec<String>),
    /// Shell form: run by `/bin/sh -c` (or the stage's SHELL). Line continuations are kept as written.
    Shell(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub body: String,
    pub expand: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    From { image: String, image_span: Range<usize>, alias: Option<String> },
    /// RUN, CMD, ENTRYPOINT.
    Command { command: Command, heredocs: Vec<Heredoc> },
    /// ARG, ENV, LABEL, USER, WORKDIR, STOPSIGNAL, MAINTAINER: the unescaped argument text.
    Text(String),
    /// EXPOSE, VOLUME, SHELL.
    Words { words: Vec<String>, json: bool },
    /// COPY, ADD. A heredoc source is kept as its body.
    Copy { sources: Vec<String>, heredocs: Vec<Heredoc>, dest: String },
    /// `HEALTHCHECK NONE` is `None`.
    Healthcheck(Option<Command>),
    Onbuild(Box<Instruction>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub kind: Kind,
    /// The whole instruction, keyword to last byte (heredoc terminators included, no trailing newline).
    /// A line continuation left open at the end of the file is included, as BuildKit counts it.
    pub span: Range<usize>,
    pub flags: Vec<Flag>,
    pub args: Args,
    /// Comments and blank lines between the previous instruction and this one.
    pub leading: Range<usize>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name).and_then(|f| f.value.as_deref())
    }

    pub fn text<'a>(&self, doc: &'a Document) -> &'a str {
        &doc.text[self.span.clone()]
    }

    pub fn command(&self) -> Option<&Command> {
        match &self.args {
            Args::Command { command, .. } => Some(command),
            Args::Healthcheck(Some(c)) => Some(c),
            _ => None,
        }
    }

    pub fn heredocs(&self) -> &[Heredoc] {
        match &self.args {
            Args::Command { heredocs, .. } | Args::Copy { heredocs, .. } => heredocs,
            _ => &[],
        }
    }

    pub fn arg_text(&self) -> &str {
        match &self.args {
            Args::Text(t) => t,
            _ => "",
        }
    }
}

/// Maps byte offsets of the text to 1-based lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Bytes removed before the text (a BOM), added back to every reported offset.
    shift: usize,
}

impl LineIndex {
    pub fn new(text: &str, shift: usize) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, shift }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&s| s <= offset)) as u32
    }

    pub fn line_start(&self, line: u32) -> usize {
        self.starts[(line.max(1) as usize - 1).min(self.starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn span(&self, text: &str, range: Range<usize>) -> Span {
        let start = range.start.min(text.len());
        let end = range.end.min(text.len()).max(start);
        let line = self.line(start);
        let ls = self.line_start(line);
        let column = text.get(ls..start).map_or(start - ls, |s| s.chars().count()) as u32 + 1;
        let end_line = if end > start { self.line(end - 1) } else { line };
        Span { start: start + self.shift, end: end + self.shift, line, column, end_line }
    }
}

/// The parsed file.
#[derive(Clone, Debug)]
pub struct Document {
    /// The text without a leading BOM.
    pub text: String,
    pub instructions: Vec<Instruction>,
    /// Text after the last instruction (comments, blank lines).
    pub trailing: Range<usize>,
    pub escape: char,
    /// The parser directives (`# syntax=`, `# escape=`, `# check=`) as written, in order.
    pub directives: Range<usize>,
    pub lines: LineIndex,
    pub crlf: bool,
    /// False when the parser stopped at an error: `instructions` then holds what came before it.
    pub complete: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    pub fn span(&self, range: Range<usize>) -> Span {
        self.lines.span(&self.text, range)
    }

    pub fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }
}

const BOM: &str = "\u{feff}";

pub fn parse(input: &str) -> Document {
    let (text, shift) = match input.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (input, 0),
    };
    let lines = LineIndex::new(text, shift);
    let crlf = text.contains("\r\n");
    let mut doc = Document {
        text: text.to_owned(),
        instructions: Vec::new(),
        trailing: 0..0,
        escape: '\\',
        directives: 0..0,
        lines,
        crlf,
        complete: false,
        diagnostics: Vec::new(),
    };
    if text.len() > MAX_INPUT_BYTES {
        doc.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            message: format!(
                "the file is {} bytes; slimfile reads Dockerfiles up to {} bytes (1 MiB)",
                text.len(),
                MAX_INPUT_BYTES
            ),
            span: Some(doc.span(0..0)),
        });
        doc.trailing = 0..text.len();
        return doc;
    }
    let escape = directive_escape(text);
    let hidden = hidden_heredocs::find(text, escape);
    let parser_text = hidden_heredocs::parser_view(text, &hidden);
    let mut hidden = hidden.into_iter().peekable();
    let iter = match pd::parse_iter(&parser_text) {
        Ok(iter) => iter,
        Err(e) => {
            doc.diagnostics.push(error_diagnostic(&doc, &e, 0));
            doc.trailing = 0..text.len();
            return doc;
        }
    };
    let mut prev_end = 0;
    let mut error = None;
    for item in iter {
        match item {
            Ok(inst) => {
                if doc.instructions.len() >= MAX_INSTRUCTIONS {
                    doc.diagnostics.push(Diagnostic {
                        severity: Severity::Error,
                        message: format!(
                            "more than {MAX_INSTRUCTIONS} instructions; slimfile stops reading here"
                        ),
                        span: Some(doc.span(prev_end..prev_end)),
                    });
                    error = Some(());
                    break;
                }
                let mut converted = convert(text, &inst, prev_end, escape);
                attach_hidden_heredocs(text, &inst, &mut converted, &mut hidden);
                if let Some(message) = name_value_error(&converted, escape) {
                    doc.diagnostics.push(Diagnostic {
                        severity: Severity::Error,
                        message: format!("syntax error: {message}"),
                        span: Some(doc.span(converted.span.clone())),
                    });
                    error = Some(());
                    break;
                }
                prev_end = converted.span.end;
                doc.instructions.push(converted);
            }
            Err(e) => {
                let d = error_diagnostic(&doc, &e, prev_end);
                doc.diagnostics.push(d);
                error = Some(());
                break;
            }
        }
    }
    doc.complete = error.is_none();
    doc.trailing = prev_end..text.len();
    if doc.complete {
        check_duplicate_stage_names(&mut doc);
    }
    // Parser directives: the leading comment lines before the first instruction that look like
    // `# key=value` for a known key. The parser has already honoured them; we only need the escape.
    doc.escape = escape;
    doc.directives = directive_range(text);
    doc
}

/// A RUN whose heredocs the parser cannot read (`RUN cat <<EOF > f`, two in one RUN) takes the ones
/// [`hidden_heredocs`] found where it starts.
fn attach_hidden_heredocs(
    text: &str,
    inst: &pd::Instruction<'_>,
    converted: &mut Instruction,
    hidden: &mut std::iter::Peekable<std::vec::IntoIter<hidden_heredocs::Hidden>>,
) {
    while hidden.peek().is_some_and(|h| h.start < converted.span.start) {
        hidden.next();
    }
    if converted.kind == Kind::Run && hidden.peek().is_some_and(|h| h.start == converted.span.start) {
        let h = hidden.next().expect("peeked");
        if let Args::Command { heredocs, command } = &mut converted.args {
            *heredocs = h.heredocs;
            converted.span.end = converted.span.end.max(h.bodies.end);
            // The command as written (the parser's copy may have `__` for a first `<<`).
            if let (pd::Instruction::Run(i), Command::Shell(c)) = (inst, command) {
                if let pd::Command::Shell(sp) = &i.arguments {
                    *c = text.get(sp.span.clone()).unwrap_or_default().to_owned();
                }
            }
        }
    }
}

fn check_duplicate_stage_names(doc: &mut Document) {
    let mut seen = std::collections::HashSet::new();
    let mut dup = None;
    for inst in &doc.instructions {
        if let Args::From { alias: Some(a), .. } = &inst.args {
            // BuildKit's rule (`^[a-z][a-z0-9-_\.]*$`, case-insensitive), checked when it builds: a name like
            // `buil$er` reads as a variable in `COPY --from=` (fuzzer).
            let valid = a.starts_with(|c: char| c.is_ascii_alphabetic())
                && a.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !valid {
                doc.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    message: format!(
                        "invalid stage name '{a}': a name starts with a letter and holds only letters, digits, '-', '_' and '.'"
                    ),
                    span: Some(doc.span(inst.span.clone())),
                });
                doc.complete = false;
                return;
            }
            if !seen.insert(a.to_ascii_lowercase()) {
                dup = Some((a.clone(), inst.span.clone()));
                break;
            }
        }
    }
    if let Some((name, span)) = dup {
        doc.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            message: format!("duplicate stage name '{name}': stage names must be unique"),
            span: Some(doc.span(span)),
        });
        doc.complete = false;
    }
}

/// The `# escape=` directive's character, as BuildKit reads it: only in the leading comment block.
fn directive_escape(text: &str) -> char {
    for line in text.lines() {
        let t = line.trim();
        let Some(rest) = t.strip_prefix('#') else { break };
        let rest = rest.trim();
        let Some((k, v)) = rest.split_once('=') else { break };
        let k = k.trim();
        if k.eq_ignore_ascii_case("escape") {
            return v.trim().chars().next().unwrap_or('\\');
        }
        if !(k.eq_ignore_ascii_case("syntax") || k.eq_ignore_ascii_case("check")) {
            break;
        }
    }
    '\\'
}

fn directive_range(text: &str) -> Range<usize> {
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let is_directive = t.strip_prefix('#').is_some_and(|rest| {
            rest.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim();
                ["syntax", "escape", "check"].iter().any(|d| k.eq_ignore_ascii_case(d))
            })
        });
        if !is_directive {
            break;
        }
        offset += line.len();
        end = offset;
    }
    0..end
}

fn error_diagnostic(doc: &Document, e: &pd::Error, from: usize) -> Diagnostic {
    let msg = format!("{e:#}");
    let line = e.line() as u32;
    let span = if line == 0 {
        // "expected at least one FROM instruction": point at the end of the file.
        doc.span(doc.text.len()..doc.text.len())
    } else {
        // parse-dockerfile's column is wrong past line 1: point at the first non-blank character of the
        // reported line (the instruction the error is in), or at the bracket for JSON errors.
        let ls = doc.lines.line_start(line);
        let le = doc.text[ls..].find('\n').map_or(doc.text.len(), |i| ls + i);
        let line_text = &doc.text[ls..le];
        let mut col = line_text.len() - line_text.trim_start().len();
        if msg == "invalid JSON" {
            if let Some(i) = line_text.find('[') {
                col = i;
            }
        }
        let start = (ls + col).max(from.min(ls + col));
        doc.span(start..le.max(start))
    };
    let mut message = format!("syntax error: {msg}");
    if let Some(word) = msg.strip_prefix("unknown instruction '").and_then(|m| m.strip_suffix('\'')) {
        if let Some(s) = suggest_instruction(word) {
            message.push_str(&format!(" (did you mean {s}?)"));
        }
    }
    Diagnostic { severity: Severity::Error, message, span: Some(span) }
}

/// The closest instruction keyword to a misspelt one, if it is close enough to be a typo.
pub fn suggest_instruction(word: &str) -> Option<&'static str> {
    let up = word.to_ascii_uppercase();
    Kind::ALL
        .iter()
        .map(|k| (edit_distance(&up, k.as_str()), k.as_str()))
        .filter(|(d, k)| *d <= 2 && *d < k.len() / 2 + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn s(u: &pd::UnescapedString<'_>) -> String {
    u.value.to_string()
}

fn command(c: &pd::Command<'_>) -> (Command, usize) {
    match c {
        pd::Command::Exec(sp) => (Command::Exec(sp.value.iter().map(s).collect()), sp.span.end),
        pd::Command::Shell(sp) => (Command::Shell(sp.value.to_string()), sp.span.end),
        _ => (Command::Shell(String::new()), 0),
    }
}

fn heredocs(hs: &[pd::HereDoc<'_>]) -> (Vec<Heredoc>, usize) {
    let end = hs.iter().map(|h| h.span.end).max().unwrap_or(0);
    (hs.iter().map(|h| Heredoc { body: h.value.to_string(), expand: h.expand }).collect(), end)
}

fn flags<'a>(fs: impl IntoIterator<Item = &'a pd::Flag<'a>>) -> (Vec<Flag>, usize) {
    let mut end = 0;
    let v = fs
        .into_iter()
        .map(|f| {
            end = end.max(f.span().end);
            Flag { name: s(&f.name), value: f.value.as_ref().map(s), span: f.span() }
        })
        .collect();
    (v, end)
}

/// End of the line that starts at or after `pos` (the heredoc terminator line), without its newline.
fn end_of_terminator_line(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let nl = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line = &text[pos..nl];
    pos + line.trim_end_matches('\r').len()
}

fn convert(text: &str, inst: &pd::Instruction<'_>, prev_end: usize, escape: char) -> Instruction {
    let Parts { kind, kw_start, flags: flags_, args, mut end, heredoc_end } = parts(text, inst, prev_end, escape);
    if heredoc_end > 0 {
        end = end.max(end_of_terminator_line(text, heredoc_end));
    }
    let kw_end = text[kw_start..].find(|c: char| c.is_whitespace()).map_or(text.len(), |i| kw_start + i);
    end = end.max(kw_end).min(text.len());
    // Some argument spans include the newline that ends them (`ENV a=1 \` + a comment line): the
    // instruction ends before it.
    while end > kw_end && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    // Exec-form JSON spans end at the bracket and shell-form values are trimmed, so a line continuation
    // left open at the end of the file is outside them: the instruction still owns it.
    end = end_of_open_continuation(text, kw_start, end, escape);
    let leading_start = prev_end.min(kw_start);
    // The leading trivia starts after the newline that ended the previous instruction.
    let leading_start = match text[leading_start..kw_start].find('\n') {
        Some(i) if prev_end > 0 => leading_start + i + 1,
        _ => leading_start,
    };
    Instruction { kind, span: kw_start..end, flags: flags_, args, leading: leading_start..kw_start }
}

/// An instruction as the parser read it: its kind, where its keyword starts, its flags and arguments,
/// where its arguments end, and where its last heredoc's terminator starts (0 for none).
struct Parts {
    kind: Kind,
    kw_start: usize,
    flags: Vec<Flag>,
    args: Args,
    end: usize,
    heredoc_end: usize,
}

/// Each instruction kind of `parse-dockerfile` in ours: a table of the parser's variants.
fn parts(text: &str, inst: &pd::Instruction<'_>, prev_end: usize, escape: char) -> Parts {
    let (kind, kw_start, flags, args, end, heredoc_end) = match inst {
        pd::Instruction::Add(i) => {
            let (fl, fe) = flags(i.options.iter());
            let (sources, hd, he) = copy_sources(&i.src);
            let end = fe.max(i.dest.span.end);
            (Kind::Add, i.add.span.start, fl, Args::Copy { sources, heredocs: hd, dest: s(&i.dest) }, end, he)
        }
        pd::Instruction::Copy(i) => {
            let (fl, fe) = flags(i.options.iter());
            let (sources, hd, he) = copy_sources(&i.src);
            let end = fe.max(i.dest.span.end);
            (Kind::Copy, i.copy.span.start, fl, Args::Copy { sources, heredocs: hd, dest: s(&i.dest) }, end, he)
        }
        pd::Instruction::Arg(i) => {
            (Kind::Arg, i.arg.span.start, vec![], Args::Text(s(&i.arguments)), i.arguments.span.end, 0)
        }
        pd::Instruction::Cmd(i) => {
            let (c, e) = command(&i.arguments);
            (Kind::Cmd, i.cmd.span.start, vec![], Args::Command { command: c, heredocs: vec![] }, e, 0)
        }
        pd::Instruction::Entrypoint(i) => {
            let (c, e) = command(&i.arguments);
            (Kind::Entrypoint, i.entrypoint.span.start, vec![], Args::Command { command: c, heredocs: vec![] }, e, 0)
        }
        pd::Instruction::Env(i) => {
            (Kind::Env, i.env.span.start, vec![], Args::Text(s(&i.arguments)), i.arguments.span.end, 0)
        }
        pd::Instruction::Expose(i) => {
            let end = i.arguments.iter().map(|a| a.span.end).max().unwrap_or(i.expose.span.end);
            let words = i.arguments.iter().map(s).collect();
            (Kind::Expose, i.expose.span.start, vec![], Args::Words { words, json: false }, end, 0)
        }
        pd::Instruction::From(i) => {
            let (fl, fe) = flags(i.options.iter());
            let mut end = fe.max(i.image.span.end);
            let alias = i.as_.as_ref().map(|(_, n)| {
                end = end.max(n.span.end);
                s(n)
            });
            let args = Args::From { image: s(&i.image), image_span: i.image.span.clone(), alias };
            (Kind::From, i.from.span.start, fl, args, end, 0)
        }
        pd::Instruction::Healthcheck(i) => {
            let (fl, fe) = flags(i.options.iter());
            let (args, e) = match &i.arguments {
                pd::HealthcheckArguments::Cmd { arguments, .. } => {
                    let (c, e) = command(arguments);
                    (Args::Healthcheck(Some(c)), e)
                }
                pd::HealthcheckArguments::None { none, .. } => (Args::Healthcheck(None), none.span.end),
                _ => (Args::Healthcheck(None), i.healthcheck.span.end),
            };
            (Kind::Healthcheck, i.healthcheck.span.start, fl, args, fe.max(e), 0)
        }
        pd::Instruction::Label(i) => {
            (Kind::Label, i.label.span.start, vec![], Args::Text(s(&i.arguments)), i.arguments.span.end, 0)
        }
        pd::Instruction::Maintainer(i) => {
            (Kind::Maintainer, i.maintainer.span.start, vec![], Args::Text(s(&i.name)), i.name.span.end, 0)
        }
        pd::Instruction::Onbuild(i) => {
            let inner = convert(text, &i.instruction, i.onbuild.span.end, escape);
            let end = inner.span.end;
            (Kind::Onbuild, i.onbuild.span.start, vec![], Args::Onbuild(Box::new(inner)), end, 0)
        }
        pd::Instruction::Run(i) => {
            let (fl, fe) = flags(i.options.iter());
            let (c, e) = command(&i.arguments);
            let (hd, he) = heredocs(&i.here_docs);
            (Kind::Run, i.run.span.start, fl, Args::Command { command: c, heredocs: hd }, fe.max(e), he)
        }
        pd::Instruction::Shell(i) => {
            let end = i.arguments.iter().map(|a| a.span.end).max().unwrap_or(i.shell.span.end);
            let words = i.arguments.iter().map(s).collect();
            (Kind::Shell, i.shell.span.start, vec![], Args::Words { words, json: true }, end, 0)
        }
        pd::Instruction::Stopsignal(i) => (
            Kind::Stopsignal,
            i.stopsignal.span.start,
            vec![],
            Args::Text(s(&i.arguments)),
            i.arguments.span.end,
            0,
        ),
        pd::Instruction::User(i) => {
            (Kind::User, i.user.span.start, vec![], Args::Text(s(&i.arguments)), i.arguments.span.end, 0)
        }
        pd::Instruction::Volume(i) => {
            let (words, json, end) = match &i.arguments {
                pd::JsonOrStringArray::Json(sp) => (sp.value.iter().map(s).collect(), true, sp.span.end),
                pd::JsonOrStringArray::String(v) => {
                    (v.iter().map(s).collect(), false, v.iter().map(|a| a.span.end).max().unwrap_or(0))
                }
            };
            (Kind::Volume, i.volume.span.start, vec![], Args::Words { words, json }, end, 0)
        }
        pd::Instruction::Workdir(i) => {
            (Kind::Workdir, i.workdir.span.start, vec![], Args::Text(s(&i.arguments)), i.arguments.span.end, 0)
        }
        // `Instruction` is non-exhaustive: a future variant is kept as text.
        _ => (Kind::Label, prev_end, vec![], Args::Text(String::new()), prev_end, 0),
    };
    Parts { kind, kw_start, flags, args, end, heredoc_end }
}

/// `end` extended over a line continuation that nothing continues (the file ends first), as BuildKit
/// reads it: the escape character at the end of the instruction's last line (possibly after a JSON
/// array, outside the argument span), then the whitespace-only and comment lines BuildKit skips while
/// looking for the continued line. An empty line cannot end a span (spans end before a newline), so
/// trailing empty lines stay outside.
fn end_of_open_continuation(text: &str, start: usize, end: usize, escape: char) -> usize {
    let bytes = text.as_bytes();
    let line_end = |pos: usize| text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let content_end = |pos: usize| {
        let le = line_end(pos);
        if le > pos && bytes[le - 1] == b'\r' {
            le - 1
        } else {
            le
        }
    };
    // The rest of the last line: only blanks, or blanks and the escape character, may follow the span.
    let eol = content_end(end);
    let rest = text[end..eol].trim_matches([' ', '\t']);
    if !(rest.is_empty() || rest.chars().eq([escape])) {
        return end;
    }
    // Find the last line of the instruction that is not blank or a comment (comment lines inside a
    // continuation are skipped by BuildKit), and whether it ends with the escape character.
    let mut ls = text[..end].rfind('\n').map_or(0, |i| i + 1).max(start);
    let mut le = eol;
    loop {
        let line = text[ls..le].trim_matches([' ', '\t', '\r']);
        if !(line.is_empty() || line.starts_with('#')) || ls <= start {
            if !line.ends_with(escape) {
                return end;
            }
            break;
        }
        le = ls - 1;
        ls = text[..le].rfind('\n').map_or(0, |i| i + 1).max(start);
    }
    // Open: the continuation swallows the lines after it while they are blank or comments.
    let mut new_end = eol;
    let mut pos = eol;
    while pos < text.len() {
        let next = line_end(pos);
        if next >= text.len() {
            break;
        }
        let ls = next + 1;
        let ce = content_end(ls);
        let line = text[ls..ce].trim_matches([' ', '\t']);
        if !(line.is_empty() || line.starts_with('#')) {
            // A line that continues the instruction: the parser would have read it. Keep its end.
            return end;
        }
        if ce > ls {
            new_end = ce;
        }
        pos = ls;
    }
    new_end
}

/// BuildKit's check of `ENV` and `LABEL` arguments (`parseNameVal`), which `parse-dockerfile` skips:
/// the old form `KEY name value` needs a value, and in the new form every word is `name=value`.
fn name_value_error(inst: &Instruction, escape: char) -> Option<String> {
    let (Kind::Env | Kind::Label, Args::Text(rest)) = (inst.kind, &inst.args) else {
        return match &inst.args {
            Args::Onbuild(inner) => name_value_error(inner, escape),
            _ => None,
        };
    };
    let key = inst.kind.as_str();
    let rest = rest.trim();
    let words = buildkit_words(rest, escape);
    let first = words.first()?;
    if !first.contains('=') {
        let two = rest.split_once([' ', '\t', '\r', '\x0b', '\x0c']).is_some();
        return (!two).then(|| format!("{key} must have two arguments"));
    }
    let bad = words.iter().find(|w| !w.contains('='))?;
    Some(format!("{key}: can't find = in {bad:?}. Must be of the form: name=value"))
}

/// BuildKit's `parseWords`: split on whitespace outside quotes; escapes and quotes are kept.
fn buildkit_words(rest: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut blank_ok = false;
    let mut quote: Option<char> = None;
    let mut chars = rest.chars();
    let mut in_word = false;
    while let Some(ch) = chars.next() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            if ch == escape && q != '\'' {
                match chars.next() {
                    Some(next) => {
                        word.push(ch);
                        word.push(next);
                    }
                    None => quote = None,
                }
                continue;
            }
            word.push(ch);
            continue;
        }
        if ch.is_whitespace() {
            if in_word && (blank_ok || !word.is_empty()) {
                words.push(std::mem::take(&mut word));
            }
            word.clear();
            in_word = false;
            blank_ok = false;
            continue;
        }
        in_word = true;
        if ch == '\'' || ch == '"' {
            quote = Some(ch);
            blank_ok = true;
        }
        if ch == escape {
            // An escape at the very end is dropped; otherwise it is kept with the character it escapes.
            if let Some(next) = chars.next() {
                word.push(ch);
                word.push(next);
            }
            continue;
        }
        word.push(ch);
    }
    if in_word && (blank_ok || !word.is_empty()) {
        words.push(word);
    }
    words
}

fn copy_sources(src: &[pd::Source<'_>]) -> (Vec<String>, Vec<Heredoc>, usize) {
    let mut sources = Vec::new();
    let mut hds = Vec::new();
    let mut he = 0;
    for x in src {
        match x {
            pd::Source::Path(p) => sources.push(s(p)),
            pd::Source::HereDoc(h) => {
                he = he.max(h.span.end);
                hds.push(Heredoc { body: h.value.to_string(), expand: h.expand });
            }
            _ => {}
        }
    }
    (sources, hds, he)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_spans_shifted() {
        let doc = parse("\u{feff}FROM alpine\nRUN true\n");
        assert!(doc.complete);
        assert_eq!(doc.instructions.len(), 2);
        let sp = doc.span(doc.instructions[1].span.clone());
        assert_eq!((sp.start, sp.line, sp.column), (15, 2, 1));
    }

    #[test]
    fn error_column_is_recomputed_past_line_one() {
        // parse-dockerfile reports column = offset of the previous newline + 1 here.
        let doc = parse("FROM alpine\nRUN true\n  FORM x\n");
        assert!(!doc.complete);
        let d = &doc.diagnostics[0];
        let sp = d.span.as_ref().unwrap();
        assert_eq!((sp.line, sp.column), (3, 3));
        assert!(d.message.contains("unknown instruction"), "{}", d.message);
        assert!(d.message.contains("did you mean FROM?"), "{}", d.message);
        assert_eq!(doc.instructions.len(), 2, "instructions before the error are kept");
    }

    #[test]
    fn heredoc_span_includes_terminator() {
        let text = "FROM alpine\nRUN <<EOF\necho hi\nEOF\nCMD [\"x\"]\n";
        let doc = parse(text);
        let run = &doc.instructions[1];
        assert_eq!(run.text(&doc), "RUN <<EOF\necho hi\nEOF");
        assert_eq!(doc.instructions[2].leading, 34..34);
    }

    #[test]
    fn heredocs_the_parser_cannot_read_are_attached() {
        // parse-dockerfile 0.1.9 fails on these ("unknown instruction 'hello'"); BuildKit builds them.
        let text = "FROM alpine\nRUN cat <<EOF > /etc/motd\nhello\nEOF\n# next\nRUN <<A cat > /a && <<B cat > /b\nx\nA\ny\nB\nCMD [\"x\"]\n";
        let doc = parse(text);
        assert!(doc.complete, "{:?}", doc.diagnostics);
        assert_eq!(doc.instructions.len(), 4);
        let run = &doc.instructions[1];
        assert_eq!(run.text(&doc), "RUN cat <<EOF > /etc/motd\nhello\nEOF");
        assert_eq!(run.command(), Some(&Command::Shell("cat <<EOF > /etc/motd".into())));
        assert_eq!(run.heredocs(), &[Heredoc { body: "hello\n".into(), expand: true }]);
        assert_eq!(doc.slice(doc.instructions[2].leading.clone()), "# next\n");
        let two = &doc.instructions[2];
        assert_eq!(two.text(&doc), "RUN <<A cat > /a && <<B cat > /b\nx\nA\ny\nB");
        assert_eq!(two.heredocs().iter().map(|h| h.body.as_str()).collect::<Vec<_>>(), ["x\n", "y\n"]);
        assert_eq!(doc.instructions[3].kind, Kind::Cmd);
    }

    #[test]
    fn comments_are_leading_trivia() {
        let text = "# top\nFROM alpine\n\n# why\nRUN true\n# end\n";
        let doc = parse(text);
        assert_eq!(doc.slice(doc.instructions[0].leading.clone()), "# top\n");
        assert_eq!(doc.slice(doc.instructions[1].leading.clone()), "\n# why\n");
        assert_eq!(doc.slice(doc.trailing.clone()), "\n# end\n");
    }

    #[test]
    fn escape_directive_is_read() {
        let doc = parse("# escape=`\nFROM windows\nRUN dir `\n  c:\\\n");
        assert_eq!(doc.escape, '`');
        assert_eq!(doc.slice(doc.directives.clone()), "# escape=`\n");
    }

    #[test]
    fn duplicate_stage_names_are_an_error() {
        let doc = parse("FROM a AS x\nFROM b AS X\n");
        assert!(!doc.complete);
        assert!(doc.diagnostics[0].message.contains("duplicate stage name"));
    }

    #[test]
    fn invalid_stage_names_are_an_error() {
        for name in ["buil$er", "1st", "a b\"", "é"] {
            let doc = parse(&format!("FROM a AS {name}\n"));
            if doc.instructions.is_empty() {
                continue; // the parser itself refused it
            }
            assert!(!doc.complete, "{name}");
            assert!(doc.diagnostics[0].message.contains("invalid stage name"), "{name}: {:?}", doc.diagnostics);
        }
        for name in ["build", "Build-2", "a.b_c"] {
            assert!(parse(&format!("FROM a AS {name}\n")).complete, "{name}");
        }
    }

    #[test]
    fn empty_input_has_a_clear_error() {
        let doc = parse("");
        assert!(!doc.complete);
        assert!(doc.diagnostics[0].message.contains("FROM"), "{}", doc.diagnostics[0].message);
    }

    fn lines_of(doc: &Document, i: usize) -> (u32, u32) {
        let sp = doc.span(doc.instructions[i].span.clone());
        (sp.line, sp.end_line)
    }

    #[test]
    fn open_continuation_at_eof_belongs_to_the_instruction() {
        // After an exec-form array the escape is outside the argument span.
        let doc = parse("FROM a\nCMD [\"a\"] \\\n");
        assert_eq!(doc.instructions[1].text(&doc), "CMD [\"a\"] \\");
        assert_eq!(doc.slice(doc.trailing.clone()), "\n");
        // BuildKit counts the whitespace-only and comment lines the continuation swallows.
        let doc = parse("FROM a\nRUN a \\\n   \n");
        assert_eq!(doc.instructions[1].text(&doc), "RUN a \\\n   ");
        assert_eq!(lines_of(&doc, 1), (2, 3));
        let doc = parse("FROM a\nRUN a \\\n\n# c\n\n");
        assert_eq!(doc.instructions[1].text(&doc), "RUN a \\\n\n# c");
        assert_eq!(lines_of(&doc, 1), (2, 4));
        let doc = parse("FROM a\r\nRUN a \\\r\n  \r\n");
        assert_eq!(doc.instructions[1].text(&doc), "RUN a \\\r\n  ");
        let doc = parse("FROM a\nONBUILD RUN x \\\n  # c\n");
        assert_eq!(lines_of(&doc, 1), (2, 3));
        // A continued instruction is not extended over what follows it.
        let doc = parse("FROM a\nRUN a \\\n  b\n   \n# c\n");
        assert_eq!(doc.instructions[1].text(&doc), "RUN a \\\n  b");
    }

    #[test]
    fn instruction_span_never_ends_with_a_newline() {
        // parse-dockerfile's ENV/LABEL argument span takes the newline after a comment line in a
        // continuation.
        let doc = parse("FROM a\nENV X=1 \\\n# c\n\n");
        assert_eq!(doc.instructions[1].text(&doc), "ENV X=1 \\\n# c");
        assert_eq!(lines_of(&doc, 1), (2, 3));
        assert_eq!(doc.slice(doc.trailing.clone()), "\n\n");
    }

    #[test]
    fn open_continuation_uses_the_escape_directive() {
        let doc = parse("# escape=`\nFROM a\nRUN dir c:\\ `\n   \n");
        assert_eq!(lines_of(&doc, 1), (3, 4));
        // With ` as the escape a trailing backslash is a path, not a continuation.
        let doc = parse("# escape=`\nFROM a\nRUN dir c:\\\n   \n");
        assert_eq!(doc.instructions[1].text(&doc), "RUN dir c:\\");
    }

    #[test]
    fn env_and_label_arguments_are_checked_as_buildkit_does() {
        for (text, message) in [
            ("FROM a\nENV PATH\n", "ENV must have two arguments"),
            ("FROM a\nLABEL x\n", "LABEL must have two arguments"),
            ("FROM a\nENV A=1 B\n", "ENV: can't find = in \"B\""),
            ("FROM a\nLABEL a=1 \"b c\"\n", "LABEL: can't find = in \"\\\"b c\\\"\""),
            ("FROM a\nONBUILD ENV X\n", "ENV must have two arguments"),
        ] {
            let doc = parse(text);
            assert!(!doc.complete, "{text:?}");
            assert!(doc.diagnostics[0].message.contains(message), "{text:?}: {}", doc.diagnostics[0].message);
            assert_eq!(doc.diagnostics[0].span.as_ref().unwrap().line, 2);
            assert_eq!(doc.instructions.len(), 1, "{text:?}: the instructions before it are kept");
        }
        for text in [
            "FROM a\nENV X \"a b\"\n",
            "FROM a\nENV X\\ Y\n",
            "FROM a\nENV \"X Y\"\n",
            "FROM a\nENV \"X=1\" Y=2\n",
            "FROM a\nLABEL a=1 \"b c\"=2\n",
            "FROM a\nENV A=1 \\\n  B=2\n",
        ] {
            assert!(parse(text).complete, "{text:?}");
        }
    }
}
