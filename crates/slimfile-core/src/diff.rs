//! Step 6, diff: the original and the rewritten file as aligned side-by-side rows with the changed words
//! emphasized (what the UI draws), and as a unified diff.

use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp};

use crate::report::{Diagnostic, Diff, DiffRow, DiffSegment, DiffSide, DiffTag, Severity};

/// Side-by-side rows kept at most. Every row copies its lines, so a 1 MiB file of empty lines would give a
/// million rows (hundreds of MB in the report); the unified diff still has every change.
pub const MAX_DIFF_ROWS: usize = 10_000;
/// Lines longer than this are emphasized whole: a word diff of two long lines costs their product.
pub const MAX_INLINE_BYTES: usize = 4096;

fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn strip_nl(s: &str) -> &str {
    s.trim_end_matches('\n').trim_end_matches('\r')
}

fn plain(line: u32, text: &str) -> DiffSide {
    DiffSide { line, segments: vec![DiffSegment { text: strip_nl(text).to_owned(), emphasized: false }] }
}

/// Word-level segments of a changed pair of lines.
fn inline(old: &str, new: &str) -> (Vec<DiffSegment>, Vec<DiffSegment>) {
    let (old, new) = (strip_nl(old), strip_nl(new));
    if old.len() > MAX_INLINE_BYTES || new.len() > MAX_INLINE_BYTES {
        let whole = |t: &str| vec![DiffSegment { text: t.to_owned(), emphasized: true }];
        return (whole(old), whole(new));
    }
    // Words and the whitespace between them, as separate tokens; one diff over `&str` slices serves lines
    // and words alike (one instantiation of the algorithm in the wasm, not one per text type).
    let (ow, nw) = (words(old), words(new));
    let mut l: Vec<DiffSegment> = Vec::new();
    let mut r: Vec<DiffSegment> = Vec::new();
    let push = |v: &mut Vec<DiffSegment>, text: &str, emphasized: bool| match v.last_mut() {
        Some(last) if last.emphasized == emphasized => last.text.push_str(text),
        _ => v.push(DiffSegment { text: text.to_owned(), emphasized }),
    };
    for op in capture_diff_slices(Algorithm::Myers, &ow, &nw) {
        let changed = !matches!(op, DiffOp::Equal { .. });
        for t in &ow[op.old_range()] {
            push(&mut l, t, changed);
        }
        for t in &nw[op.new_range()] {
            push(&mut r, t, changed);
        }
    }
    (l, r)
}

/// Runs of whitespace and of everything else.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_ws = None;
    for (i, c) in s.char_indices() {
        let ws = c.is_whitespace();
        if last_ws.is_some_and(|w| w != ws) {
            out.push(&s[start..i]);
            start = i;
        }
        last_ws = Some(ws);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A unified diff (`--- Dockerfile` / `+++ Dockerfile.slim`, hunks with 3 lines of context).
fn unified(ol: &[&str], nl: &[&str], ops: &[DiffOp]) -> String {
    let mut out = String::from("--- Dockerfile\n+++ Dockerfile.slim\n");
    for group in group_diff_ops(ops.to_vec(), 3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let (os, ne) = (first.old_range().start, last.old_range().end);
        let (ns, nee) = (first.new_range().start, last.new_range().end);
        let range = |start: usize, end: usize| {
            let len = end - start;
            match len {
                1 => format!("{}", start + 1),
                0 => format!("{start},0"),
                _ => format!("{},{len}", start + 1),
            }
        };
        out.push_str(&format!("@@ -{} +{} @@\n", range(os, ne), range(ns, nee)));
        for op in &group {
            let mut line = |sign: char, text: &str| {
                out.push(sign);
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            };
            match op {
                DiffOp::Equal { .. } => ol[op.old_range()].iter().for_each(|t| line(' ', t)),
                _ => {
                    ol[op.old_range()].iter().for_each(|t| line('-', t));
                    nl[op.new_range()].iter().for_each(|t| line('+', t));
                }
            }
        }
    }
    out
}

/// The diff, and a warning when its rows stop at [`MAX_DIFF_ROWS`].
pub fn diff(old: &str, new: &str) -> (Diff, Option<Diagnostic>) {
    let ol = lines(old);
    let nl = lines(new);
    // The diff of these very lines: `from_lines` also splits at a lone `\r`, and its indices then ran
    // past `ol`/`nl` (fuzzer).
    let ops: Vec<DiffOp> = capture_diff_slices(Algorithm::Patience, &ol, &nl);
    let mut rows = Vec::new();
    let mut k = 0;
    while k < ops.len() && rows.len() < MAX_DIFF_ROWS {
        let op = ops[k];
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for j in 0..len.min(MAX_DIFF_ROWS - rows.len()) {
                    rows.push(DiffRow {
                        tag: DiffTag::Equal,
                        left: Some(plain((old_index + j + 1) as u32, ol[old_index + j])),
                        right: Some(plain((new_index + j + 1) as u32, nl[new_index + j])),
                    });
                }
            }
            DiffOp::Delete { old_index, old_len, new_index } => {
                // A delete followed by an insert is a replacement.
                if let Some(DiffOp::Insert { new_index: ni, new_len, .. }) = ops.get(k + 1).copied() {
                    pair(&mut rows, &ol, &nl, old_index, old_len, ni, new_len);
                    k += 2;
                    continue;
                }
                let _ = new_index;
                for j in 0..old_len.min(MAX_DIFF_ROWS - rows.len()) {
                    rows.push(DiffRow { tag: DiffTag::Delete, left: Some(plain((old_index + j + 1) as u32, ol[old_index + j])), right: None });
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for j in 0..new_len.min(MAX_DIFF_ROWS - rows.len()) {
                    rows.push(DiffRow { tag: DiffTag::Insert, left: None, right: Some(plain((new_index + j + 1) as u32, nl[new_index + j])) });
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                pair(&mut rows, &ol, &nl, old_index, old_len, new_index, new_len);
            }
        }
        k += 1;
    }
    let unified = if old == new {
        String::new()
    } else {
        unified(&ol, &nl, &ops)
    };
    let note = (row_count(&ops) > rows.len()).then(|| Diagnostic {
        severity: Severity::Warning,
        message: format!(
            "the side-by-side diff stops after {MAX_DIFF_ROWS} rows (the files have {} and {} lines); the unified diff has every change",
            ol.len(),
            nl.len()
        ),
        span: None,
    });
    (Diff { rows, unified }, note)
}

/// How many rows the whole diff has (a delete followed by an insert is one block of paired rows).
fn row_count(ops: &[DiffOp]) -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < ops.len() {
        n += match (ops[k], ops.get(k + 1)) {
            (DiffOp::Delete { old_len, .. }, Some(DiffOp::Insert { new_len, .. })) => {
                k += 1;
                old_len.max(*new_len)
            }
            (DiffOp::Equal { len, .. }, _) => len,
            (DiffOp::Delete { old_len, .. }, _) => old_len,
            (DiffOp::Insert { new_len, .. }, _) => new_len,
            (DiffOp::Replace { old_len, new_len, .. }, _) => old_len.max(new_len),
        };
        k += 1;
    }
    n
}

fn pair(rows: &mut Vec<DiffRow>, ol: &[&str], nl: &[&str], oi: usize, olen: usize, ni: usize, nlen: usize) {
    for j in 0..olen.max(nlen).min(MAX_DIFF_ROWS.saturating_sub(rows.len())) {
        match (j < olen, j < nlen) {
            (true, true) => {
                let (l, r) = inline(ol[oi + j], nl[ni + j]);
                rows.push(DiffRow {
                    tag: DiffTag::Replace,
                    left: Some(DiffSide { line: (oi + j + 1) as u32, segments: l }),
                    right: Some(DiffSide { line: (ni + j + 1) as u32, segments: r }),
                });
            }
            (true, false) => rows.push(DiffRow { tag: DiffTag::Delete, left: Some(plain((oi + j + 1) as u32, ol[oi + j])), right: None }),
            (false, true) => rows.push(DiffRow { tag: DiffTag::Insert, left: None, right: Some(plain((ni + j + 1) as u32, nl[ni + j])) }),
            (false, false) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_align_and_emphasize_words() {
        let (d, note) = diff("FROM golang:1.22\nRUN go build\nCMD [\"/app\"]\n", "FROM golang:1.22 AS build\nRUN go build\n\nFROM scratch\nCMD [\"/app\"]\n");
        let tags: Vec<DiffTag> = d.rows.iter().map(|r| r.tag).collect();
        assert_eq!(tags, [DiffTag::Replace, DiffTag::Equal, DiffTag::Insert, DiffTag::Insert, DiffTag::Equal]);
        let right = d.rows[0].right.as_ref().unwrap();
        assert!(right.segments.iter().any(|s| s.emphasized && s.text.contains("AS")), "{right:?}");
        assert!(d.unified.starts_with("--- Dockerfile\n+++ Dockerfile.slim\n"), "{}", d.unified);
        assert_eq!(diff("a\n", "a\n").0.unified, "");
        assert!(note.is_none());
    }

    #[test]
    fn a_lone_carriage_return_is_not_a_line_break() {
        let (d, _) = diff("a\rb\nc\n", "a\rb\nx\nc\n");
        let tags: Vec<DiffTag> = d.rows.iter().map(|r| r.tag).collect();
        assert_eq!(tags, [DiffTag::Equal, DiffTag::Insert, DiffTag::Equal]);
        assert_eq!(d.rows[2].right.as_ref().unwrap().line, 3);
        assert_eq!(d.unified, "--- Dockerfile\n+++ Dockerfile.slim\n@@ -1,2 +1,3 @@\n a\rb\n+x\n c\n");
    }

    #[test]
    fn rows_stop_at_the_limit_with_a_warning() {
        let old = "x\n".repeat(MAX_DIFF_ROWS + 5);
        let new = format!("{old}y\n");
        let (d, note) = diff(&old, &new);
        assert_eq!(d.rows.len(), MAX_DIFF_ROWS);
        assert!(d.unified.contains("+y"), "{}", d.unified);
        let note = note.expect("a warning");
        assert!(note.message.contains("stops after 10000 rows"), "{}", note.message);
        // Cut inside the last block: still a warning.
        let (d, note) = diff(&old, &old);
        assert_eq!(d.rows.len(), MAX_DIFF_ROWS);
        assert!(note.is_some());
        // Exactly at the limit: every row, no warning.
        let old = "x\n".repeat(MAX_DIFF_ROWS);
        let (d, note) = diff(&old, &old);
        assert_eq!(d.rows.len(), MAX_DIFF_ROWS);
        assert!(note.is_none());
    }

    #[test]
    fn long_lines_are_emphasized_whole() {
        let old = format!("CMD {}\n", "a ".repeat(MAX_INLINE_BYTES));
        let new = format!("CMD [{}]\n", "\"a\", ".repeat(MAX_INLINE_BYTES));
        let (d, _) = diff(&old, &new);
        assert_eq!(d.rows.len(), 1);
        let right = d.rows[0].right.as_ref().unwrap();
        assert_eq!(right.segments.len(), 1);
        assert!(right.segments[0].emphasized);
    }

    #[test]
    fn unified_matches_similars_own_formatter() {
        let cases = [
            ("FROM a\nRUN b\nCMD c\n", "FROM a AS build\nRUN b\n\nFROM x\nCMD c\n"),
            ("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nK\n"),
            ("only\n", "only\nmore"),
            ("x\ny", "x\nz"),
            ("", "new\n"),
            ("gone\n", ""),
        ];
        for (old, new) in cases {
            let ours = diff(old, new).0.unified;
            let theirs = similar::TextDiff::from_lines(old, new)
                .unified_diff()
                .context_radius(3)
                .header("Dockerfile", "Dockerfile.slim")
                .to_string();
            assert_eq!(ours, theirs, "{old:?} -> {new:?}");
        }
    }
}
