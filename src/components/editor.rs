//! The editor: a transparent textarea over a highlighted `<pre>`, with a gutter of line numbers and
//! markers for syntax errors and findings.
//!
//! Both layers have the same font, padding and size, and the textarea never scrolls by itself (its
//! `rows`/`cols` fit the text): the container scrolls both at once, so the caret and the colours
//! cannot drift apart. Sizes are attributes, not `style`, because the page's CSP forbids inline styles.

use std::collections::BTreeMap;

use slimfile_core::report::{Report, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::gutter::Gutter;
use crate::components::highlighted::Highlighted;
use crate::highlight::Highlight;
use crate::state::{Jump, Ptr};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: Ptr<str>,
    /// `text` highlighted (the App shares it with the diff).
    pub highlight: Ptr<Highlight>,
    pub load_seq: u32,
    pub jump: Option<Jump>,
    pub report: Ptr<Report>,
    /// Whether `report` is for `text` (markers of an older report are dimmed while typing).
    pub fresh: bool,
    pub on_input: Callback<String>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let hl = props.highlight.0.clone();

    // Text replaced from outside (an example, a link): write it into the textarea.
    {
        let textarea = textarea.clone();
        let text = props.text.clone();
        use_effect_with(props.load_seq, move |_| {
            if let Some(ta) = textarea.cast::<web_sys::HtmlTextAreaElement>() {
                if ta.value() != *text.0 {
                    ta.set_value(&text.0);
                }
            }
        });
    }

    // A click on a finding or change: select those lines and bring them into view.
    {
        let textarea = textarea.clone();
        let gutter = gutter.clone();
        let text = props.text.clone();
        use_effect_with(props.jump, move |jump| {
            let Some(jump) = *jump else { return };
            let Some(ta) = textarea.cast::<web_sys::HtmlTextAreaElement>() else { return };
            let (start, end) = line_range_utf16(&text.0, jump.line, jump.end_line);
            let opts = web_sys::FocusOptions::new();
            opts.set_prevent_scroll(true);
            let _ = ta.focus_with_options(&opts);
            let _ = ta.set_selection_range(start, end);
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                if let Some(line) = g.children().item(jump.line.saturating_sub(1)) {
                    let o = web_sys::ScrollIntoViewOptions::new();
                    o.set_block(web_sys::ScrollLogicalPosition::Center);
                    line.scroll_into_view_with_scroll_into_view_options(&o);
                    flash(&line);
                }
            }
        });
    }

    let oninput = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(ta) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                cb.emit(ta.value());
            }
        })
    };

    // Markers: the worst severity on each line, with every message for the tooltip.
    let markers = use_memo((Ptr(hl.clone()), props.report.clone()), |(hl, report)| {
        let mut markers: BTreeMap<u32, (Severity, Vec<String>)> = BTreeMap::new();
        let mut mark = |line: u32, sev: Severity, msg: String| {
            let e = markers.entry(line).or_insert((sev, Vec::new()));
            e.0 = e.0.min(sev);
            e.1.push(msg);
        };
        for (line, msg) in &hl.errors {
            mark(*line, Severity::Error, msg.clone());
        }
        for f in &report.findings {
            if let Some(sp) = &f.span {
                mark(sp.line, f.severity, format!("{} {}", f.rule, f.message));
            }
        }
        markers
    });

    // The same markers as last time keep the same Rc, so the gutter is not redrawn for a new report.
    let last_markers = use_mut_ref(|| None::<std::rc::Rc<BTreeMap<u32, (Severity, Vec<String>)>>>);
    let markers = {
        let mut last = last_markers.borrow_mut();
        match &*last {
            Some(prev) if **prev == *markers => prev.clone(),
            _ => {
                *last = Some(markers.clone());
                markers
            }
        }
    };

    let lines = hl.line_count.max(1);
    html! {
        <div class={classes!("editor", (!props.fresh).then_some("stale"))}>
            <div class="editor-scroll">
                <Gutter lines={lines} markers={Ptr(markers)} gutter={gutter} />
                <div class="code">
                    <Highlighted text={props.text.clone()} highlight={Ptr(hl.clone())} />
                    <textarea ref={textarea} class="input" {oninput}
                        rows={(lines + 1).to_string()} cols={(hl.max_columns + 4).to_string()}
                        wrap="off" spellcheck="false" autocomplete="off" autocapitalize="off"
                        aria-label="Dockerfile (type or paste; the result updates as you type)"
                        aria-describedby="status-line" />
                </div>
            </div>
        </div>
    }
}

/// The UTF-16 offsets (what a textarea counts) of lines `from..=to`, without the last newline.
fn line_range_utf16(text: &str, from: u32, to: u32) -> (u32, u32) {
    let mut start = None;
    let mut end = text.len();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i as u32 + 1;
        if n == from {
            start = Some(offset);
        }
        if n == to {
            end = offset + line.trim_end_matches('\n').trim_end_matches('\r').len();
            break;
        }
        offset += line.len();
    }
    let start = start.unwrap_or(text.len()).min(end);
    let u16_len = |s: &str| s.encode_utf16().count() as u32;
    (u16_len(&text[..start]), u16_len(&text[..end]))
}

/// Restarts the short highlight animation on an element.
pub fn flash(el: &web_sys::Element) {
    let list = el.class_list();
    let _ = list.remove_1("flash");
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.offset_width(); // restart the CSS animation
    }
    let _ = list.add_1("flash");
}

#[cfg(test)]
mod tests {
    use super::line_range_utf16;

    #[test]
    fn line_ranges_count_utf16_units() {
        let t = "FROM a\nRUN echo é😀\nCMD x\n";
        assert_eq!(line_range_utf16(t, 1, 1), (0, 6));
        // "RUN echo é😀" is 9 + 1 + 2 units.
        assert_eq!(line_range_utf16(t, 2, 2), (7, 19));
        assert_eq!(line_range_utf16(t, 2, 3), (7, 25));
        assert_eq!(line_range_utf16(t, 9, 9), (26, 26));
    }
}
