//! Step 6, diff: the original and the rewritten file as aligned side-by-side rows with the changed words
//! emphasized (what the UI draws), and as a unified diff.

use similar::{ChangeTag, DiffOp, TextDiff};

use crate::report::{Diff, DiffRow, DiffSegment, DiffSide, DiffTag};

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
    let d = TextDiff::from_words(old, new);
    let mut l: Vec<DiffSegment> = Vec::new();
    let mut r: Vec<DiffSegment> = Vec::new();
    let push = |v: &mut Vec<DiffSegment>, text: &str, emphasized: bool| match v.last_mut() {
        Some(last) if last.emphasized == emphasized => last.text.push_str(text),
        _ => v.push(DiffSegment { text: text.to_owned(), emphasized }),
    };
    for c in d.iter_all_changes() {
        let text = c.value();
        match c.tag() {
            ChangeTag::Equal => {
                push(&mut l, text, false);
                push(&mut r, text, false);
            }
            ChangeTag::Delete => push(&mut l, text, true),
            ChangeTag::Insert => push(&mut r, text, true),
        }
    }
    (l, r)
}

pub fn diff(old: &str, new: &str) -> Diff {
    let ol = lines(old);
    let nl = lines(new);
    let d = TextDiff::from_lines(old, new);
    let mut rows = Vec::new();
    let ops: Vec<DiffOp> = d.ops().to_vec();
    let mut k = 0;
    while k < ops.len() {
        let op = ops[k];
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for j in 0..len {
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
                for j in 0..old_len {
                    rows.push(DiffRow { tag: DiffTag::Delete, left: Some(plain((old_index + j + 1) as u32, ol[old_index + j])), right: None });
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for j in 0..new_len {
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
        d.unified_diff().context_radius(3).header("Dockerfile", "Dockerfile.slim").to_string()
    };
    Diff { rows, unified }
}

fn pair(rows: &mut Vec<DiffRow>, ol: &[&str], nl: &[&str], oi: usize, olen: usize, ni: usize, nlen: usize) {
    for j in 0..olen.max(nlen) {
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
        let d = diff("FROM golang:1.22\nRUN go build\nCMD [\"/app\"]\n", "FROM golang:1.22 AS build\nRUN go build\n\nFROM scratch\nCMD [\"/app\"]\n");
        let tags: Vec<DiffTag> = d.rows.iter().map(|r| r.tag).collect();
        assert_eq!(tags, [DiffTag::Replace, DiffTag::Equal, DiffTag::Insert, DiffTag::Insert, DiffTag::Equal]);
        let right = d.rows[0].right.as_ref().unwrap();
        assert!(right.segments.iter().any(|s| s.emphasized && s.text.contains("AS")), "{right:?}");
        assert!(d.unified.starts_with("--- Dockerfile\n+++ Dockerfile.slim\n"), "{}", d.unified);
        assert_eq!(diff("a\n", "a\n").unified, "");
    }
}
