//! One row of the diff (one aligned pair of lines; in the unified layout, a line or a removed/added
//! pair), drawn from a [`LineView`] that holds everything it shows. Its props compare by value and the
//! diff keys each row by its index, so after an edit only the rows whose text, colours or line numbers
//! changed are drawn again: on a 300-line file whose every RUN the rewrite changes, drawing all of them
//! again took 60–80 ms a keystroke.

use std::rc::Rc;

use slimfile_core::report::{DiffRow, DiffSide, DiffTag};
use yew::prelude::*;

use crate::state::DiffMode;

/// A side's run of text with one emphasis, in its highlighting's coloured pieces (`""`: no class).
#[derive(Debug, PartialEq, Eq)]
pub struct Segment {
    pub emphasized: bool,
    pub pieces: Vec<(&'static str, String)>,
}

/// One side of a row: its 1-based line number and its segments.
#[derive(Debug, PartialEq, Eq)]
pub struct SideView {
    pub line: u32,
    pub segments: Vec<Segment>,
}

/// A row of the diff, ready to draw.
#[derive(Debug, PartialEq, Eq)]
pub struct LineView {
    pub tag: DiffTag,
    pub left: Option<SideView>,
    pub right: Option<SideView>,
}

/// A file's text, its highlighting and its line starts, to colour the diff like the editor.
pub struct Colours<'a> {
    text: &'a str,
    runs: &'a [crate::highlight::Run],
    line_starts: Vec<usize>,
}

impl<'a> Colours<'a> {
    pub fn new(text: &'a str, hl: &'a crate::highlight::Highlight) -> Colours<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Colours { text, runs: &hl.runs, line_starts }
    }

    /// The coloured pieces of `text` at byte `at` of the file, or `None` when the text is not there.
    fn pieces(&self, at: usize, text: &str) -> Option<Vec<(&'static str, std::ops::Range<usize>)>> {
        let end = at + text.len();
        if self.text.get(at..end) != Some(text) {
            return None;
        }
        let mut out = Vec::new();
        let mut i = self.runs.partition_point(|r| r.range.end <= at);
        while i < self.runs.len() && self.runs[i].range.start < end {
            let r = &self.runs[i];
            let (s, e) = (r.range.start.max(at), r.range.end.min(end));
            if s < e {
                out.push((r.class.css(), s..e));
            }
            i += 1;
        }
        Some(out)
    }

    fn side(&self, side: &DiffSide) -> SideView {
        let mut at = self.line_starts.get(side.line as usize - 1).copied().unwrap_or(usize::MAX / 2);
        let segments = side
            .segments
            .iter()
            .map(|seg| {
                let pieces = match self.pieces(at, &seg.text) {
                    Some(pieces) => pieces.into_iter().map(|(class, r)| (class, self.text[r].to_owned())).collect(),
                    None => vec![("", seg.text.clone())],
                };
                at += seg.text.len();
                Segment { emphasized: seg.emphasized, pieces }
            })
            .collect();
        SideView { line: side.line, segments }
    }
}

impl LineView {
    /// `row` of the report, its left side coloured by `left` (the input) and its right by `right` (the
    /// output).
    pub fn new(row: &DiffRow, left: &Colours<'_>, right: &Colours<'_>) -> LineView {
        LineView {
            tag: row.tag,
            left: row.left.as_ref().map(|s| left.side(s)),
            right: row.right.as_ref().map(|s| right.side(s)),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct DiffLineProps {
    pub view: Rc<LineView>,
    pub mode: DiffMode,
}

fn text(side: &Option<SideView>) -> Html {
    let Some(s) = side else { return html! {} };
    html! {
        { for s.segments.iter().map(|seg| {
            let inner = html! {
                { for seg.pieces.iter().map(|(class, t)| {
                    if class.is_empty() { Html::from(t.as_str()) } else { html! { <span class={*class}>{ t.as_str() }</span> } }
                }) }
            };
            if seg.emphasized { html! { <mark class="em">{ inner }</mark> } } else { inner }
        }) }
    }
}

fn line_no(side: &Option<SideView>) -> Html {
    match side {
        Some(s) => Html::from(s.line),
        None => html! {},
    }
}

fn tag_class(tag: DiffTag) -> &'static str {
    match tag {
        DiffTag::Equal => "equal",
        DiffTag::Delete => "del",
        DiffTag::Insert => "ins",
        DiffTag::Replace => "rep",
    }
}

#[function_component(DiffLine)]
pub fn diff_line(props: &DiffLineProps) -> Html {
    let row = &*props.view;
    let left_line = row.left.as_ref().map(|s| s.line.to_string());
    match props.mode {
        DiffMode::Split => html! {
            <div class={classes!("drow", tag_class(row.tag))} role="row" data-left={left_line}>
                <div class={classes!("dn", row.left.is_some().then_some("side-l"))}>{ line_no(&row.left) }</div>
                <div class={classes!("dt", "l", row.left.is_none().then_some("none"))} role="cell">{ text(&row.left) }</div>
                <div class={classes!("dn", row.right.is_some().then_some("side-r"))}>{ line_no(&row.right) }</div>
                <div class={classes!("dt", "r", row.right.is_none().then_some("none"))} role="cell">{ text(&row.right) }</div>
            </div>
        },
        DiffMode::Unified => match row.tag {
            DiffTag::Equal => html! {
                <div class="urow equal" data-left={left_line}>
                    <span class="dn">{ line_no(&row.left) }</span><span class="dn">{ line_no(&row.right) }</span>
                    <span class="sign">{ " " }</span><span class="ut">{ text(&row.right) }</span>
                </div>
            },
            _ => html! {
                <>
                if row.left.is_some() {
                    <div class="urow del" data-left={left_line}>
                        <span class="dn">{ line_no(&row.left) }</span><span class="dn"></span>
                        <span class="sign">{ "−" }</span><span class="ut">{ text(&row.left) }</span>
                    </div>
                }
                if row.right.is_some() {
                    <div class="urow ins">
                        <span class="dn"></span><span class="dn">{ line_no(&row.right) }</span>
                        <span class="sign">{ "+" }</span><span class="ut">{ text(&row.right) }</span>
                    </div>
                }
                </>
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slimfile_core::report::DiffSegment;

    #[test]
    fn segments_take_the_editor_colours() {
        let t = "FROM ubuntu\nRUN echo $HOME\n";
        let hl = crate::highlight::highlight(t);
        let c = Colours::new(t, &hl);
        let p = c.pieces(12, "RUN echo $HOME").unwrap();
        let classes: Vec<&str> = p.iter().map(|(cl, _)| *cl).collect();
        assert_eq!(classes, ["t-keyword", "", "t-variable"]);
        assert_eq!(p[2].1, 21..26);
        // A piece that starts mid-run is cut at its start.
        assert_eq!(c.pieces(2, "OM ub").unwrap(), [("t-keyword", 2..4), ("", 4..5), ("t-image", 5..7)]);
        assert_eq!(c.pieces(12, "RUN else"), None);
    }

    #[test]
    fn a_row_keeps_its_emphasis_and_colours_and_falls_back_to_plain_text() {
        let (old, new) = ("FROM ubuntu\nRUN echo $HOME\n", "FROM ubuntu\nRUN --mount=x echo $HOME\n");
        let (hl_old, hl_new) = (crate::highlight::highlight(old), crate::highlight::highlight(new));
        let (l, r) = (Colours::new(old, &hl_old), Colours::new(new, &hl_new));
        let seg = |text: &str, emphasized| DiffSegment { text: text.to_owned(), emphasized };
        let row = DiffRow {
            tag: DiffTag::Replace,
            left: Some(DiffSide { line: 2, segments: vec![seg("RUN echo $HOME", false)] }),
            right: Some(DiffSide {
                line: 2,
                segments: vec![seg("RUN ", false), seg("--mount=x ", true), seg("echo $HOME", false)],
            }),
        };
        let v = LineView::new(&row, &l, &r);
        let right = v.right.as_ref().unwrap();
        assert_eq!(right.segments.iter().map(|s| s.emphasized).collect::<Vec<_>>(), [false, true, false]);
        assert_eq!(right.segments[0].pieces[0], ("t-keyword", "RUN".to_owned()));
        assert_eq!(right.segments[2].pieces.last().unwrap(), &("t-variable", "$HOME".to_owned()));
        // The same row again is equal, so the component does not draw it again.
        assert_eq!(LineView::new(&row, &l, &r), v);
        // Text that is not where the line number says (a stale highlight) is shown plain.
        let stale = DiffRow { left: Some(DiffSide { line: 1, segments: vec![seg("RUN x", false)] }), ..row };
        assert_eq!(LineView::new(&stale, &l, &r).left.unwrap().segments[0].pieces, [("", "RUN x".to_owned())]);
    }
}
