//! Syntax highlighting of the editor from the engine's parse (`slimfile_core::syntax::parse`): the
//! instruction keywords, flags, FROM images and stage names, heredocs and comments come from the
//! parser's spans; quotes, variables and line continuations are found inside those spans.
//!
//! The result is a list of runs over the text; the editor renders each as a text node (never HTML).

use std::ops::Range;

use slimfile_core::syntax::{Args, Document, Kind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Class {
    Plain,
    Comment,
    Directive,
    Keyword,
    Flag,
    FlagValue,
    Image,
    Stage,
    String,
    Variable,
    Escape,
    Heredoc,
    HeredocMarker,
}

impl Class {
    pub fn css(self) -> &'static str {
        match self {
            Class::Plain => "",
            Class::Comment => "t-comment",
            Class::Directive => "t-directive",
            Class::Keyword => "t-keyword",
            Class::Flag => "t-flag",
            Class::FlagValue => "t-flag-value",
            Class::Image => "t-image",
            Class::Stage => "t-stage",
            Class::String => "t-string",
            Class::Variable => "t-variable",
            Class::Escape => "t-escape",
            Class::Heredoc => "t-heredoc",
            Class::HeredocMarker => "t-heredoc-marker",
        }
    }
}

/// A run of text with one class; `error` marks text inside a syntax error's span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub range: Range<usize>,
    pub class: Class,
    pub error: bool,
}

/// What the editor draws: runs over the whole input, and the syntax errors by line.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Highlight {
    pub runs: Vec<Run>,
    /// 1-based lines of the input that hold a syntax error, with its message.
    pub errors: Vec<(u32, String)>,
    pub line_count: usize,
    /// The longest line, in characters (tabs counted as 4): the editor's width.
    pub max_columns: usize,
}

/// Highlights the input (the text exactly as in the editor, BOM included).
pub fn highlight(input: &str) -> Highlight {
    let doc = slimfile_core::syntax::parse(input);
    // The parser strips a BOM and its instruction spans start after it.
    let shift = input.len() - doc.text.len();
    let text = doc.text.as_str();
    let mut classes = vec![Class::Plain; text.len()];
    let mut error = vec![false; text.len()];

    paint_comments(text, &doc, &mut classes);
    for inst in &doc.instructions {
        paint_instruction(text, &doc, inst, &mut classes);
    }
    let mut errors = Vec::new();
    for d in &doc.diagnostics {
        let Some(span) = &d.span else { continue };
        let start = span.start.saturating_sub(shift).min(text.len());
        let mut end = span.end.saturating_sub(shift).min(text.len());
        if end <= start {
            // An empty span (end of file, a missing FROM): underline the rest of its line.
            end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        }
        error[start..end].iter_mut().for_each(|e| *e = true);
        errors.push((span.line, d.message.clone()));
    }

    let mut runs = Vec::new();
    if shift > 0 {
        runs.push(Run { range: 0..shift, class: Class::Plain, error: false });
    }
    let mut start = 0;
    for i in 1..=text.len() {
        let boundary =
            i == text.len() || (text.is_char_boundary(i) && (classes[i] != classes[start] || error[i] != error[start]));
        if boundary {
            runs.push(Run { range: start + shift..i + shift, class: classes[start], error: error[start] });
            start = i;
        }
    }

    let mut max_columns = 0;
    let mut line_count = 0;
    for line in input.split('\n') {
        line_count += 1;
        let cols: usize = line.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        max_columns = max_columns.max(cols);
    }
    Highlight { runs, errors, line_count, max_columns }
}

fn fill(classes: &mut [Class], range: Range<usize>, class: Class) {
    let end = range.end.min(classes.len());
    let start = range.start.min(end);
    classes[start..end].iter_mut().for_each(|c| *c = class);
}

/// Lines (start..end without the newline) of `text` within `range`.
fn lines_in(text: &str, range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let base = range.start;
    text[range].split_inclusive('\n').scan(base, |pos, line| {
        let start = *pos;
        *pos += line.len();
        let body = line.trim_end_matches('\n').trim_end_matches('\r');
        Some(start..start + body.len())
    })
}

/// Comments and parser directives outside instructions.
fn paint_comments(text: &str, doc: &Document, classes: &mut [Class]) {
    let outside: Vec<Range<usize>> = if doc.instructions.is_empty() {
        std::iter::once(0..text.len()).collect()
    } else {
        doc.instructions.iter().map(|i| i.leading.clone()).chain(std::iter::once(doc.trailing.clone())).collect()
    };
    for range in outside {
        for line in lines_in(text, range) {
            let body = &text[line.clone()];
            if let Some(hash) = body.find(|c: char| !c.is_whitespace()).filter(|&i| body[i..].starts_with('#')) {
                let class = if line.end <= doc.directives.end { Class::Directive } else { Class::Comment };
                fill(classes, line.start + hash..line.end, class);
            }
        }
    }
}

fn paint_instruction(text: &str, doc: &Document, inst: &slimfile_core::syntax::Instruction, classes: &mut [Class]) {
    let span = inst.span.start.min(text.len())..inst.span.end.min(text.len());
    if span.is_empty() {
        return;
    }
    let src = &text[span.clone()];

    // Heredoc bodies: every line after the one that opens the first heredoc.
    let mut body_start = span.end;
    if !inst.heredocs().is_empty() {
        if let Some(open) = src.find("<<") {
            let open = span.start + open;
            if let Some(nl) = text[open..span.end].find('\n') {
                body_start = open + nl + 1;
            }
            // The markers on the opening line: `<<EOF`, `<<-"EOF"`, …
            let line_end = text[open..span.end].find('\n').map_or(span.end, |i| open + i);
            let mut i = open;
            while let Some(p) = text[i..line_end].find("<<") {
                let s = i + p;
                let e = text[s..line_end].find(char::is_whitespace).map_or(line_end, |j| s + j);
                fill(classes, s..e, Class::HeredocMarker);
                i = e.max(s + 2);
            }
        }
    }
    let head = span.start..body_start;

    // Quotes, variables and line continuations in the instruction's own lines (not its heredocs).
    let escape = doc.escape;
    for line in lines_in(text, head.clone()) {
        let body = &text[line.clone()];
        let trimmed = body.trim_start();
        if line.start > span.start && trimmed.starts_with('#') {
            // A comment inside a continued instruction (BuildKit drops it).
            fill(classes, line.end - trimmed.len()..line.end, Class::Comment);
            continue;
        }
        paint_words(body, line.start, escape, classes);
        let t = body.trim_end();
        if t.ends_with(escape) {
            fill(classes, line.start + t.len() - escape.len_utf8()..line.start + t.len(), Class::Escape);
        }
    }
    if body_start < span.end {
        for line in lines_in(text, body_start..span.end) {
            fill(classes, line.clone(), Class::Heredoc);
            // Variables in an expanding heredoc body are still worth seeing.
            paint_variables(&text[line.clone()], line.start, classes);
        }
        // The terminator line.
        if let Some(last) = lines_in(text, body_start..span.end).last() {
            let b = &text[last.clone()];
            let word = b.trim();
            if !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                fill(classes, last, Class::HeredocMarker);
            }
        }
    }

    // The keyword (and ONBUILD's inner keyword).
    let kw_len = src.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(src.len());
    fill(classes, span.start..span.start + kw_len, Class::Keyword);
    if inst.kind == Kind::Onbuild {
        let rest = &src[kw_len..];
        let ws = rest.len() - rest.trim_start().len();
        let inner = &rest[ws..];
        let len = inner.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(inner.len());
        let s = span.start + kw_len + ws;
        fill(classes, s..s + len, Class::Keyword);
    }

    for flag in &inst.flags {
        let r = flag.span.start.min(text.len())..flag.span.end.min(text.len());
        if r.start < span.start || r.end > span.end {
            continue;
        }
        match text[r.clone()].find('=') {
            Some(eq) => {
                fill(classes, r.start..r.start + eq, Class::Flag);
                fill(classes, r.start + eq + 1..r.end, Class::FlagValue);
                paint_variables(&text[r.start + eq + 1..r.end], r.start + eq + 1, classes);
            }
            None => fill(classes, r, Class::Flag),
        }
    }

    if let Args::From { image_span, alias, .. } = &inst.args {
        let r = image_span.start.min(text.len())..image_span.end.min(text.len());
        let image_end = r.end;
        fill(classes, r, Class::Image);
        paint_variables(&text[image_span.start.min(image_end)..image_end], image_span.start, classes);
        if let Some(alias) = alias {
            let rest = &text[image_end..span.end];
            let lower = rest.to_ascii_lowercase();
            if let Some(as_at) = lower.find("as") {
                let s = image_end + as_at;
                fill(classes, s..s + 2, Class::Keyword);
                if let Some(n) = rest[as_at + 2..].find(alias.as_str()) {
                    let ns = s + 2 + n;
                    fill(classes, ns..ns + alias.len(), Class::Stage);
                }
            }
        }
    }
}

/// Quoted strings and variables in one line of an instruction.
fn paint_words(line: &str, base: usize, escape: char, classes: &mut [Class]) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == escape as u8 && escape.is_ascii() {
            i += 2;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != c {
                if c == b'"' && bytes[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(bytes.len());
            fill(classes, base + i..base + end, Class::String);
            if c == b'"' {
                paint_variables(&line[i..end], base + i, classes);
            }
            i = end;
            continue;
        }
        if c == b'$' {
            i += paint_variable_at(line, i, base, classes).max(1);
            continue;
        }
        i += 1;
    }
}

fn paint_variables(s: &str, base: usize, classes: &mut [Class]) {
    let mut i = 0;
    while let Some(p) = s[i..].find('$') {
        let at = i + p;
        if at > 0 && s.as_bytes()[at - 1] == b'\\' {
            i = at + 1;
            continue;
        }
        i = at + paint_variable_at(s, at, base, classes).max(1);
    }
}

/// Paints `$NAME` or `${…}` at byte `at` of `s`; returns its length (0 when it is not a variable).
fn paint_variable_at(s: &str, at: usize, base: usize, classes: &mut [Class]) -> usize {
    let rest = &s.as_bytes()[at + 1..];
    let len = if rest.first() == Some(&b'{') {
        match rest.iter().position(|&b| b == b'}') {
            Some(close) => close + 2,
            None => return 0,
        }
    } else {
        let n = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
        if n == 0 {
            return 0;
        }
        n + 1
    };
    fill(classes, base + at..base + at + len, Class::Variable);
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes_of(input: &str) -> Vec<(String, Class)> {
        highlight(input)
            .runs
            .iter()
            .filter(|r| r.class != Class::Plain)
            .map(|r| (input[r.range.clone()].to_owned(), r.class))
            .collect()
    }

    fn has(input: &str, text: &str, class: Class) -> bool {
        classes_of(input).iter().any(|(t, c)| t == text && *c == class)
    }

    #[test]
    fn runs_cover_the_whole_input_in_order() {
        for input in [
            "",
            "FROM ubuntu\n",
            "\u{feff}FROM a AS b\nRUN echo \"$X\" \\\n  && é\n# end",
            "FORM x\n",
            "FROM a\nRUN <<EOF\nset -e\nEOF\n",
        ] {
            let h = highlight(input);
            let mut at = 0;
            for r in &h.runs {
                assert_eq!(r.range.start, at, "{input:?}");
                assert!(input.is_char_boundary(r.range.end));
                at = r.range.end;
            }
            assert_eq!(at, input.len(), "{input:?}");
        }
    }

    #[test]
    fn instructions_flags_images_and_stages() {
        let input = "# syntax=docker/dockerfile:1\n# a comment\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\nCOPY --from=build /app /app\n";
        assert!(has(input, "# syntax=docker/dockerfile:1", Class::Directive));
        assert!(has(input, "# a comment", Class::Comment));
        assert!(has(input, "FROM", Class::Keyword));
        assert!(has(input, "--platform", Class::Flag));
        assert!(has(input, "$BUILDPLATFORM", Class::Variable));
        assert!(has(input, "golang:1.22", Class::Image));
        assert!(has(input, "AS", Class::Keyword));
        assert!(has(input, "build", Class::Stage));
        assert!(has(input, "--from", Class::Flag));
        assert!(has(input, "build", Class::FlagValue));
    }

    #[test]
    fn heredocs_strings_variables_and_continuations() {
        let input =
            "FROM a\nRUN <<EOF\nset -e\necho $HOME\nEOF\nRUN echo \"hi ${NAME}\" 'x' \\\n  && true\nCMD [\"/app\"]\n";
        assert!(has(input, "<<EOF", Class::HeredocMarker));
        assert!(has(input, "set -e", Class::Heredoc));
        assert!(has(input, "$HOME", Class::Variable));
        assert!(has(input, "EOF", Class::HeredocMarker));
        assert!(has(input, "${NAME}", Class::Variable));
        assert!(has(input, "'x'", Class::String));
        assert!(has(input, "\\", Class::Escape));
        assert!(has(input, "\"/app\"", Class::String));
    }

    #[test]
    fn heredocs_after_the_command_are_highlighted() {
        // The forms parse-dockerfile cannot read (the engine finds them itself): not a syntax error, and
        // the body is a heredoc, not instructions.
        let input = "FROM a\nRUN cat <<EOF > /etc/app.yaml\nlisten: 80\nEOF\nRUN <<A cat > /a && <<B cat > /b\nx\nA\ny\nB\n";
        assert!(highlight(input).errors.is_empty());
        assert!(has(input, "<<EOF", Class::HeredocMarker));
        assert!(has(input, "listen: 80", Class::Heredoc));
        assert!(has(input, "<<B", Class::HeredocMarker));
        assert!(has(input, "y", Class::Heredoc));
    }

    #[test]
    fn syntax_errors_are_marked_with_their_line() {
        let input = "FROM a\nFORM b\n";
        let h = highlight(input);
        assert_eq!(h.errors.len(), 1);
        assert_eq!(h.errors[0].0, 2);
        assert!(h.runs.iter().any(|r| r.error && input[r.range.clone()].contains("FORM")));
        assert_eq!(h.line_count, 3);
    }

    #[test]
    fn a_backtick_escape_directive_is_honoured() {
        let input = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN echo a `\n  b\n";
        assert!(has(input, "# escape=`", Class::Directive));
        assert!(has(input, "`", Class::Escape));
    }
}
