//! Every change the rewrite made, each with its why; a click shows where it came from in the editor.

use slimfile_core::report::{Report, Span, Status};
use yew::prelude::*;

use crate::components::rich_text::RichText;
use crate::state::{Action, Ptr};
use crate::Dispatch;

#[derive(Properties, PartialEq)]
pub struct ChangesProps {
    pub report: Ptr<Report>,
}

/// A "line N" button that shows a span of the input in the editor.
pub fn line_button(dispatch: &Dispatch, span: &Option<Span>, what: &str) -> Html {
    match span {
        Some(sp) => {
            let (line, end_line) = (sp.line, sp.end_line);
            let dispatch = dispatch.clone();
            let onclick = Callback::from(move |_| dispatch.dispatch(Action::JumpTo { line, end_line }));
            let label = if end_line > line { format!("lines {line}–{end_line}") } else { format!("line {line}") };
            html! {
                <button type="button" class="loc" aria-label={format!("Show {what} at {label} in the editor")} {onclick}>{ label }</button>
            }
        }
        None => html! { <span class="loc none">{ "new" }</span> },
    }
}

#[function_component(ChangesPanel)]
pub fn changes_panel(props: &ChangesProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let r = &props.report;
    html! {
        <div class="list-panel">
            if r.status != Status::Converted {
                <p class="empty-note">{ "No changes: there is no rewrite. Why:" }</p>
                <ul class="reasons">{ for r.reasons.iter().map(|x| html! { <li><RichText text={x.clone()} /></li> }) }</ul>
            } else if r.changes.is_empty() {
                <p class="empty-note">{ "No changes." }</p>
            } else {
                <ol class="items">
                    { for r.changes.iter().map(|c| html! {
                        <li class="item">
                            <div class="item-head">
                                { line_button(&dispatch, &c.span, "this change") }
                                <span class="tag kind">{ c.kind.replace('-', " ") }</span>
                            </div>
                            <p class="why"><RichText text={c.why.clone()} /></p>
                        </li>
                    }) }
                </ol>
            }
        </div>
    }
}
