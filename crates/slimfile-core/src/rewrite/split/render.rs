//! Writing the Dockerfile: the user's instructions verbatim (comments, continuations, heredocs, escape
//! directive, CRLF) with edits applied, and the small pieces of generated text (JSON arrays, COPY paths).

use std::ops::Range;

use crate::rewrite::Ctx;
use crate::syntax::Document;

/// Writes instructions of the input verbatim (with their comments) and applies edits.
pub struct Writer<'d> {
    pub doc: &'d Document,
    pub keep_comments: bool,
    pub nl: &'static str,
}

impl<'d> Writer<'d> {
    /// A writer of `ctx`'s document with its options: line endings as the file has them.
    pub fn new(ctx: &Ctx<'d>) -> Writer<'d> {
        let doc = ctx.doc;
        Writer { doc, keep_comments: ctx.options.keep_comments, nl: if doc.crlf { "\r\n" } else { "\n" } }
    }

    /// The comments and blank lines before instruction i (directives excluded).
    pub fn leading(&self, i: usize) -> String {
        let doc = self.doc;
        let mut r = doc.instructions[i].leading.clone();
        if r.start < doc.directives.end {
            r.start = doc.directives.end.min(r.end);
        }
        let text = doc.slice(r);
        if self.keep_comments {
            text.to_owned()
        } else {
            // Keep the blank lines that separate, drop the comments.
            let blank = text.split_inclusive('\n').any(|l| l.trim().is_empty());
            if blank && i > 0 { self.nl.to_owned() } else { String::new() }
        }
    }

    pub fn instruction(&mut self, out: &mut String, i: usize, edits: &[(Range<usize>, String)]) {
        let doc = self.doc;
        let inst = &doc.instructions[i];
        out.push_str(&self.leading(i));
        let span = inst.span.clone();
        let mut mine: Vec<&(Range<usize>, String)> =
            edits.iter().filter(|(r, _)| r.start >= span.start && r.end <= span.end).collect();
        mine.sort_by_key(|(r, _)| (r.start, r.end));
        let mut pos = span.start;
        let mut text = String::new();
        for (r, rep) in mine {
            if r.start < pos {
                continue;
            }
            text.push_str(&doc.text[pos..r.start]);
            text.push_str(rep);
            pos = r.end;
        }
        text.push_str(&doc.text[pos..span.end]);
        if !self.keep_comments && inst.heredocs().is_empty() && text.contains('\n') {
            // Comment lines inside a continued instruction are ignored by the parser: drop them.
            text = text
                .split_inclusive('\n')
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect();
        }
        if inst.heredocs().is_empty() {
            text = close_open_continuation(&text, doc.escape);
        }
        out.push_str(&text);
        out.push_str(self.nl);
    }
}

/// An instruction left open by a line continuation at the end of the file (`CMD ["/app"] \` as the last
/// line; its span holds the blank and comment lines after it, as BuildKit reads them) without the
/// continuation: copied where lines follow, it would swallow them (a copied `ENV … \` would take the next
/// WORKDIR into its value). At the end of a file the continuation continues nothing, so this changes nothing.
pub fn close_open_continuation(text: &str, escape: char) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    // The blank and comment lines the open continuation swallowed stay, as lines of their own.
    let Some(k) = lines.iter().rposition(|l| !(l.trim().is_empty() || l.trim_start().starts_with('#'))) else {
        return text.to_owned();
    };
    match lines[k].trim_end_matches([' ', '\t', '\r']).strip_suffix(escape) {
        Some(open) if k > 0 || !open.trim().is_empty() => {
            let cr = if lines[k].ends_with('\r') && k + 1 < lines.len() { "\r" } else { "" };
            let closed = format!("{}{cr}", open.trim_end_matches([' ', '\t']));
            lines[k] = &closed;
            lines.join("\n")
        }
        _ => text.to_owned(),
    }
}

pub fn json_array(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| serde_json::to_string(s).unwrap_or_default()).collect();
    format!("[{}]", items.join(", "))
}

/// `from to` for a COPY line; the JSON form when a path holds whitespace or a quote, which the plain form
/// would split into more paths (a WORKDIR with spaces would make the copied artifact two sources).
pub(super) fn copy_paths(from: &str, to: &str) -> String {
    let plain = |p: &str| !p.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if plain(from) && plain(to) {
        format!("{from} {to}")
    } else {
        json_array(&[from.to_owned(), to.to_owned()])
    }
}

pub(super) fn doc_text(doc: &Document, i: usize) -> String {
    close_open_continuation(doc.instructions[i].text(doc), doc.escape)
}

/// The whole input with edits applied (comments and layout kept): for strategies that change a line or two.
pub fn rewrite_in_place(ctx: &Ctx, edits: &[(Range<usize>, String)]) -> String {
    let doc = ctx.doc;
    let mut w = Writer::new(ctx);
    let nl = w.nl;
    let mut out = String::new();
    out.push_str(doc.slice(doc.directives.clone()));
    for i in 0..doc.instructions.len() {
        w.instruction(&mut out, i, edits);
    }
    if ctx.options.keep_comments {
        let trailing = doc.slice(doc.trailing.clone());
        out.push_str(trailing.strip_prefix(nl).or_else(|| trailing.strip_prefix('\n')).unwrap_or(trailing));
    }
    if !out.ends_with('\n') {
        out.push_str(nl);
    }
    out
}

#[cfg(test)]
mod continuation_tests {
    use super::close_open_continuation;

    #[test]
    fn an_open_continuation_is_closed() {
        assert_eq!(close_open_continuation("ENV A=1 \\\n  B=2 \\", '\\'), "ENV A=1 \\\n  B=2");
        assert_eq!(close_open_continuation("CMD [\"a\"] \\\r\n  \r\n# c", '\\'), "CMD [\"a\"]\r\n  \r\n# c");
        assert_eq!(close_open_continuation("RUN dir c:\\ `", '`'), "RUN dir c:\\");
        // Closed instructions are copied as they are.
        for (t, escape) in [("RUN a \\\n  b", '\\'), ("RUN echo \\\n# c\n  b", '\\'), ("RUN dir c:\\", '`')] {
            assert_eq!(close_open_continuation(t, escape), t);
        }
    }

    #[test]
    fn copy_paths_with_spaces_use_the_json_form() {
        assert_eq!(super::copy_paths("/app", "/app"), "/app /app");
        assert_eq!(super::copy_paths("/my app/bin", "/app"), "[\"/my app/bin\", \"/app\"]");
    }
}
