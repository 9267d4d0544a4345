//! The rewritten Dockerfile, highlighted like the editor, with Copy and Download.

use slimfile_core::report::{Report, Status};
use yew::prelude::*;

use crate::dom;
use crate::highlight::{Class, Highlight};
use crate::state::Ptr;

#[derive(Properties, PartialEq)]
pub struct OutputProps {
    pub report: Ptr<Report>,
    /// The output highlighted (shared with the diff).
    pub highlight: Ptr<Highlight>,
}

#[function_component(OutputView)]
pub fn output_view(props: &OutputProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let hl = props.highlight.clone();
    let report = &props.report;
    let Some(output) = report.output.clone() else {
        return html! {
            <div class="empty-note">
                <p>{ if report.status == Status::Refused { "slimfile refused this Dockerfile, so there is no rewrite." } else { "Nothing to rewrite." } }</p>
                <p class="muted">{ "The reasons are above." }</p>
            </div>
        };
    };
    let on_copy = {
        let copied = copied.clone();
        let text = output.clone();
        Callback::from(move |_| {
            let copied = copied.clone();
            dom::copy_text(&text, move |ok| copied.set(Some(ok)));
        })
    };
    let on_download = {
        let text = output.clone();
        Callback::from(move |_| dom::download("Dockerfile", &text))
    };
    let lines = output.split('\n').count();
    html! {
        <div class="output-panel">
            <div class="panel-tools">
                <span class="muted">{ format!("{} lines · final image ", lines) }<code>{ report.runtime_image.clone().unwrap_or_default() }</code></span>
                <span class="spacer"></span>
                <span class="sr-status" role="status">{ match *copied { Some(true) => "Copied", Some(false) => "Copy failed: select the text", None => "" } }</span>
                <button type="button" class="btn" onclick={on_copy}>{ "Copy" }</button>
                <button type="button" class="btn" onclick={on_download}>{ "Download" }</button>
            </div>
            <div class="output-scroll">
                <div class="gutter" aria-hidden="true">{ for (1..=lines).map(|n| html! { <div class="ln">{ n }</div> }) }</div>
                <pre class="hl output-text" tabindex="0" aria-label="Rewritten Dockerfile">
                    { for hl.runs.iter().map(|r| {
                        let s = &output[r.range.clone()];
                        if r.class == Class::Plain { Html::from(s) } else { html! { <span class={r.class.css()}>{ s }</span> } }
                    }) }
                </pre>
            </div>
        </div>
    }
}
