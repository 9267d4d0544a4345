//! The diff of the original and the rewritten Dockerfile, from the Report's `diff.rows`: side by side
//! (one row per aligned pair, so both sides scroll together) or unified, with the changed words
//! emphasized and long unchanged runs folded.

use std::collections::HashSet;
use std::rc::Rc;

use slimfile_core::report::{DiffRow, DiffTag, Report, Status};
use yew::prelude::*;

use crate::components::diff_line::{Colours, DiffLine, LineView};
use crate::components::editor::flash;
use crate::highlight::Highlight;
use crate::state::{Action, DiffMode, Jump, Ptr};
use crate::Dispatch;

/// Unchanged lines kept around a change when folding.
const CONTEXT: usize = 3;

#[derive(Properties, PartialEq)]
pub struct DiffProps {
    pub report: Ptr<Report>,
    /// The text the report is for (the diff's left side), and it and the output highlighted.
    pub text: Ptr<str>,
    pub text_highlight: Ptr<Highlight>,
    pub output_highlight: Ptr<Highlight>,
    pub mode: DiffMode,
    pub fold: bool,
    pub jump: Option<Jump>,
}

/// What to draw: rows, and folds standing for hidden runs of unchanged rows.
#[derive(Debug, PartialEq)]
enum Item {
    Row(usize),
    Fold { start: usize, len: usize },
}

fn items(rows: &[DiffRow], fold: bool, expanded: &HashSet<usize>) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        if rows[i].tag != DiffTag::Equal {
            out.push(Item::Row(i));
            i += 1;
            continue;
        }
        let start = i;
        while i < rows.len() && rows[i].tag == DiffTag::Equal {
            i += 1;
        }
        let end = i;
        let keep_head = if start == 0 { 0 } else { CONTEXT };
        let keep_tail = if end == rows.len() { 0 } else { CONTEXT };
        let hidden = (end - start).saturating_sub(keep_head + keep_tail);
        if !fold || hidden < 2 || expanded.contains(&start) {
            out.extend((start..end).map(Item::Row));
            continue;
        }
        out.extend((start..start + keep_head).map(Item::Row));
        out.push(Item::Fold { start, len: hidden });
        out.extend((end - keep_tail..end).map(Item::Row));
    }
    out
}

#[function_component(DiffView)]
pub fn diff_view(props: &DiffProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    // Expanded folds, for this report only.
    let expanded = use_state(|| (Ptr(props.report.0.clone()), HashSet::<usize>::new()));
    let scroller = use_node_ref();
    // Every row ready to draw, once per analysis (and highlighting).
    let views = use_memo(
        (props.report.clone(), props.text.clone(), props.text_highlight.clone(), props.output_highlight.clone()),
        |(r, t, th, oh)| {
            let (lc, rc) = (Colours::new(&t.0, th), Colours::new(r.output.as_deref().unwrap_or(""), oh));
            r.diff.rows.iter().map(|row| Rc::new(LineView::new(row, &lc, &rc))).collect::<Vec<_>>()
        },
    );

    // Follow a jump to a line of the input: scroll the diff to its row too.
    {
        let scroller = scroller.clone();
        use_effect_with(props.jump, move |jump| {
            let Some(j) = jump else { return };
            let Some(el) = scroller.cast::<web_sys::Element>() else { return };
            if let Ok(Some(row)) = el.query_selector(&format!("[data-left='{}']", j.line)) {
                let o = web_sys::ScrollIntoViewOptions::new();
                o.set_block(web_sys::ScrollLogicalPosition::Center);
                row.scroll_into_view_with_scroll_into_view_options(&o);
                flash(&row);
            }
        });
    }

    let report = &props.report;
    if report.status != Status::Converted {
        return html! {
            <div class="empty-note">
                <p>{ if report.status == Status::Refused { "No rewrite: slimfile refused this Dockerfile." } else { "No rewrite: nothing worth changing." } }</p>
                <p class="muted">{ "The reasons are above; the findings still apply to your file." }</p>
            </div>
        };
    }
    let rows = &report.diff.rows;
    let empty = HashSet::new();
    let open = if expanded.0 == props.report { &expanded.1 } else { &empty };
    let list = items(rows, props.fold, open);

    let fold_button = |start: usize, len: usize| {
        let expanded = expanded.clone();
        let report = props.report.clone();
        let onclick = Callback::from(move |_| {
            let mut set = if expanded.0 == report { expanded.1.clone() } else { HashSet::new() };
            set.insert(start);
            expanded.set((report.clone(), set));
        });
        html! {
            <button type="button" class="fold" {onclick}>
                { format!("⋯ {len} unchanged line{} (show)", if len == 1 { "" } else { "s" }) }
            </button>
        }
    };

    let (added, removed) = rows.iter().fold((0, 0), |(a, r), row| match row.tag {
        DiffTag::Insert => (a + 1, r),
        DiffTag::Delete => (a, r + 1),
        DiffTag::Replace => (a + 1, r + 1),
        DiffTag::Equal => (a, r),
    });

    let set_mode = |mode: DiffMode| {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::SetDiffMode(mode)))
    };
    let toggle_fold = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::ToggleFold))
    };

    // Every child is keyed (the header, each row by its index, each fold by its first row): Yew matches an
    // unkeyed list from its end, so one line added at the bottom would hand every row its neighbour's
    // component and draw them all again (60-80 ms a keystroke on a 300-line file with cache mounts on;
    // 6.9 ms keyed, browser test).
    let body = match props.mode {
        DiffMode::Split => html! {
            <div class="diff split" role="table" aria-label="Original and rewritten Dockerfile, side by side">
                <div key="head" class="drow dhead" role="row">
                    <div class="dcell-head" role="columnheader">{ "Original" }</div>
                    <div class="dcell-head" role="columnheader">{ "Rewritten" }</div>
                </div>
                { for list.iter().map(|item| match item {
                    Item::Fold { start, len } => html! {
                        <div key={format!("fold-{start}")} class="drow folded" role="row">{ fold_button(*start, *len) }</div>
                    },
                    Item::Row(i) => html! { <DiffLine key={*i} view={views[*i].clone()} mode={DiffMode::Split} /> },
                }) }
            </div>
        },
        DiffMode::Unified => html! {
            <div class="diff unified" aria-label="Unified diff">
                { for list.iter().map(|item| match item {
                    Item::Fold { start, len } => html! {
                        <div key={format!("fold-{start}")} class="urow folded">{ fold_button(*start, *len) }</div>
                    },
                    Item::Row(i) => html! { <DiffLine key={*i} view={views[*i].clone()} mode={DiffMode::Unified} /> },
                }) }
            </div>
        },
    };

    html! {
        <div class="diff-panel">
            <div class="panel-tools">
                <span class="diffstat"><span class="plus">{ format!("+{added}") }</span>{ " " }<span class="minus">{ format!("−{removed}") }</span>{ " lines" }</span>
                <div class="seg" role="group" aria-label="Diff layout">
                    <button type="button" aria-pressed={(props.mode == DiffMode::Split).to_string()} onclick={set_mode(DiffMode::Split)}>{ "Side by side" }</button>
                    <button type="button" aria-pressed={(props.mode == DiffMode::Unified).to_string()} onclick={set_mode(DiffMode::Unified)}>{ "Unified" }</button>
                </div>
                <label class="check"><input type="checkbox" checked={props.fold} onchange={toggle_fold} />{ "Fold unchanged" }</label>
            </div>
            <div class="diff-scroll" ref={scroller}>{ body }</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(tags: &str) -> Vec<DiffRow> {
        tags.chars()
            .map(|c| DiffRow { tag: if c == '=' { DiffTag::Equal } else { DiffTag::Insert }, left: None, right: None })
            .collect()
    }

    #[test]
    fn long_unchanged_runs_fold_with_context() {
        let r = rows("==========+==========");
        let it = items(&r, true, &HashSet::new());
        // Leading run: 10 equal, keep the last 3 before the change.
        assert_eq!(it[0], Item::Fold { start: 0, len: 7 });
        assert_eq!(it[1], Item::Row(7));
        assert!(it.contains(&Item::Row(10)));
        assert_eq!(*it.last().unwrap(), Item::Fold { start: 11, len: 7 });
        assert_eq!(items(&r, false, &HashSet::new()).len(), r.len());
        let open: HashSet<usize> = [0].into();
        assert_eq!(items(&r, true, &open)[0], Item::Row(0));
        // Short runs are never folded.
        assert_eq!(items(&rows("==+=="), true, &HashSet::new()).len(), 5);
    }
}
