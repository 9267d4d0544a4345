//! Heredocs that `parse-dockerfile` 0.1.9 cannot read, found the way BuildKit finds them.
//!
//! parse-dockerfile reads a RUN heredoc only when it is the first word after the flags, and only one:
//! `RUN cat <<EOF > /etc/motd` (very common) and `RUN <<A <<B` make it fail on the body's first line
//! ("unknown instruction"), although BuildKit builds both. For such a RUN this module finds the heredoc
//! markers in the instruction's line, as BuildKit does (`heredocsFromLine`: the line's words, quotes kept,
//! each matched against `^<<(-?)\s*([^<]*)$`), and reads their bodies up to their terminators. The parser
//! then reads a copy of the text in which those bodies and terminators are blanked (every byte but the
//! line ends turned into a space, so offsets do not move), and [`super::parse`] attaches the bodies back
//! to the RUN and extends its span over them.
//!
//! COPY and ADD heredocs, and a single RUN heredoc in first place, are left to the parser; their bodies
//! are skipped here so that their lines are not read as instructions.

use std::borrow::Cow;
use std::ops::Range;

use super::Heredoc;

/// A RUN whose heredocs the parser cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hidden {
    /// Where the instruction's keyword starts (its span's start).
    pub start: usize,
    pub heredocs: Vec<Heredoc>,
    /// The bodies and terminators: from the start of the line after the instruction's line to the end
    /// of the last terminator (without its newline).
    pub bodies: Range<usize>,
    /// The `<<` of a marker in first place (`RUN <<A … <<B`), which the parser would start to read: the
    /// parser's copy has `__` there instead.
    pub first_marker: Option<usize>,
}

struct Marker {
    delimiter: String,
    strip_tabs: bool,
    expand: bool,
}

/// The physical lines of `text` as byte ranges without their `\n` (a `\r` before it is kept).
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        out.push(start..i);
        start = i + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn strip_cr(s: &str) -> &str {
    s.strip_suffix('\r').unwrap_or(s)
}

/// The RUNs whose heredocs the parser cannot read, in order. Stops at the first heredoc without its
/// terminator (the parser then reports the error).
pub fn find(text: &str, escape: char) -> Vec<Hidden> {
    let lines = lines(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = strip_cr(&text[lines[i].clone()]);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = lines[i].start + (line.len() - trimmed.len());
        // The logical line: physical lines joined over continuations; comment and blank lines inside a
        // continuation are dropped, as BuildKit drops them.
        let mut logical = String::new();
        loop {
            let l = strip_cr(&text[lines[i].clone()]);
            let body = l.trim_end();
            match body.strip_suffix(escape) {
                Some(rest) if i + 1 < lines.len() => {
                    logical.push_str(rest);
                    i += 1;
                    while i + 1 < lines.len() {
                        let next = strip_cr(&text[lines[i].clone()]).trim_start();
                        if next.is_empty() || next.starts_with('#') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
                _ => {
                    logical.push_str(l);
                    break;
                }
            }
        }
        i += 1; // the first line after the instruction
        let mut words = words(&logical, escape);
        let keyword = words.first().map(|w| w.to_ascii_uppercase()).unwrap_or_default();
        if !matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            continue;
        }
        words.remove(0);
        let args: Vec<&String> = words.iter().skip_while(|w| w.starts_with("--")).collect();
        if args.first().is_some_and(|w| w.starts_with('[')) {
            continue; // exec form: no heredocs
        }
        let markers: Vec<(usize, Marker)> =
            args.iter().enumerate().filter_map(|(n, w)| marker(w).map(|m| (n, m))).collect();
        if markers.is_empty() {
            continue;
        }
        let body_start = lines.get(i).map_or(text.len(), |l| l.start);
        let mut heredocs = Vec::new();
        for (_, m) in &markers {
            let mut body = String::new();
            let mut found = false;
            while i < lines.len() {
                let l = strip_cr(&text[lines[i].clone()]);
                let l = if m.strip_tabs { l.trim_start_matches('\t') } else { l };
                i += 1;
                if l == m.delimiter {
                    found = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            if !found {
                return out;
            }
            heredocs.push(Heredoc { body, expand: m.expand });
        }
        let parser_reads_it = keyword != "RUN" || (markers.len() == 1 && markers[0].0 == 0);
        if !parser_reads_it {
            let end = lines[i - 1].end;
            let end = if text[..end].ends_with('\r') { end - 1 } else { end };
            let first_marker =
                (markers[0].0 == 0).then(|| text[start..body_start].find("<<").map(|p| start + p)).flatten();
            out.push(Hidden { start, heredocs, bodies: body_start..end, first_marker });
        }
    }
    out
}

/// A copy of `text` with the hidden bodies blanked, for the parser; `text` itself when there are none.
pub fn parser_view<'a>(text: &'a str, hidden: &[Hidden]) -> Cow<'a, str> {
    if hidden.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for h in hidden {
        if let Some(p) = h.first_marker {
            bytes[p..p + 2].copy_from_slice(b"__");
        }
        for b in &mut bytes[h.bodies.clone()] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes were written: over `<<` (two ASCII bytes), and over whole lines, where every byte of
    // a multi-byte character became a space. The result is valid UTF-8.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
}

/// The words of a line as BuildKit's heredoc detection splits them: on whitespace outside quotes, quotes
/// and escapes kept.
fn words(line: &str, escape: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some('\''), c) => cur.push(c),
            (_, c) if c == escape => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (_, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A heredoc marker (`<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`), as BuildKit's `ParseHeredoc` reads a word.
fn marker(word: &str) -> Option<Marker> {
    let rest = word.strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let quoted = rest.contains(['"', '\'']);
    let delimiter: String = rest.chars().filter(|c| !matches!(c, '"' | '\'')).collect();
    (!delimiter.is_empty()).then_some(Marker { delimiter, strip_tabs, expand: !quoted })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<(usize, Vec<String>, String)> {
        find(text, '\\')
            .into_iter()
            .map(|h| (h.start, h.heredocs.into_iter().map(|d| d.body).collect(), text[h.bodies].to_owned()))
            .collect()
    }

    #[test]
    fn a_heredoc_after_the_command_is_found() {
        let text = "FROM alpine\nRUN cat <<EOF > /etc/motd\nhello\nworld\nEOF\nCMD [\"x\"]\n";
        assert_eq!(bodies(text), vec![(12, vec!["hello\nworld\n".to_owned()], "hello\nworld\nEOF".to_owned())]);
        let view = parser_view(text, &find(text, '\\'));
        assert_eq!(view, "FROM alpine\nRUN cat <<EOF > /etc/motd\n     \n     \n   \nCMD [\"x\"]\n");
    }

    #[test]
    fn two_heredocs_are_read_in_order() {
        let text = "FROM alpine\nRUN <<A cat > /a && <<B cat > /b\nx\nA\ny\nB\n";
        assert_eq!(bodies(text), vec![(12, vec!["x\n".to_owned(), "y\n".to_owned()], "x\nA\ny\nB".to_owned())]);
        // The parser would read the first one itself: its `<<` is hidden from it too.
        let view = parser_view(text, &find(text, '\\'));
        assert_eq!(view, "FROM alpine\nRUN __A cat > /a && <<B cat > /b\n \n \n \n \n");
    }

    #[test]
    fn what_the_parser_reads_is_left_to_it() {
        // One RUN heredoc in first place (after flags), and COPY heredocs: parse-dockerfile reads them.
        let text = "FROM alpine\nRUN --mount=type=cache,target=/c <<EOF\nRUN cat <<X\nEOF\nCOPY <<A <<B /d/\na\nA\nb\nB\n";
        assert_eq!(bodies(text), vec![]);
    }

    #[test]
    fn bodies_of_heredocs_the_parser_reads_are_skipped() {
        // The body line `RUN cat <<X` is not an instruction: no heredoc is looked for in it.
        let text = "FROM alpine\nRUN <<EOF\nRUN cat <<X\nEOF\nRUN true\n";
        assert_eq!(bodies(text), vec![]);
    }

    #[test]
    fn markers_as_buildkit_reads_them() {
        let text = "FROM a\nRUN \\\n  # a comment\n  cat <<-'END' | sh \"<<not\" '<<no'\n\techo $HOME\n\tEND\nRUN x\n";
        let found = find(text, '\\');
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].heredocs, vec![Heredoc { body: "echo $HOME\n".into(), expand: false }]);
        // `<<<` (a here-string) and `<<` alone are not heredocs; an escaped marker is a word too.
        assert_eq!(bodies("FROM a\nRUN cat <<< hi && cat << EOF\nRUN x\n"), vec![]);
    }

    #[test]
    fn crlf_and_a_missing_terminator() {
        let text = "FROM a\r\nRUN cat <<EOF > f\r\nhi\r\nEOF\r\nRUN x\r\n";
        assert_eq!(bodies(text), vec![(8, vec!["hi\n".to_owned()], "hi\r\nEOF".to_owned())]);
        // No terminator: nothing is hidden, and the parser reports the error.
        assert_eq!(bodies("FROM a\nRUN cat <<EOF > f\nhi\n"), vec![]);
    }

    #[test]
    fn the_escape_directive_is_the_continuation() {
        let text = "# escape=`\nFROM a\nRUN cat `\n  <<EOF > f\nhi\nEOF\n";
        assert_eq!(find(text, '`').len(), 1);
    }
}
