//! Syntax errors and findings about the original Dockerfile, each with its rule's explanation; a click
//! shows the line in the editor.

use slimfile_core::report::Report;
use yew::prelude::*;

use crate::components::changes::line_button;
use crate::components::rich_text::RichText;
use crate::state::Ptr;
use crate::Dispatch;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub report: Ptr<Report>,
}

#[function_component(FindingsPanel)]
pub fn findings_panel(props: &FindingsProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let r = &props.report;
    if r.findings.is_empty() && r.diagnostics.is_empty() {
        return html! { <div class="list-panel"><p class="empty-note">{ "No findings: nothing to point out." }</p></div> };
    }
    html! {
        <div class="list-panel">
            <ol class="items">
                { for r.diagnostics.iter().map(|d| html! {
                    <li class="item">
                        <div class="item-head">
                            { line_button(&dispatch, &d.span, "this problem") }
                            <span class={classes!("sev", d.severity.as_str())}>{ d.severity.as_str() }</span>
                            <span class="rule">{ "syntax" }</span>
                        </div>
                        <p class="why"><RichText text={d.message.clone()} /></p>
                    </li>
                }) }
                { for r.findings.iter().map(|f| {
                    let info = slimfile_core::findings::meta(&f.rule);
                    html! {
                        <li class="item">
                            <div class="item-head">
                                { line_button(&dispatch, &f.span, "this finding") }
                                <span class={classes!("sev", f.severity.as_str())}>{ f.severity.as_str() }</span>
                                <span class="rule">{ f.rule.as_str() }</span>
                                if let Some(i) = info { <span class="rule-name">{ i.name }</span> }
                            </div>
                            <p class="why"><RichText text={f.message.clone()} /></p>
                            if let Some(i) = info {
                                if !i.why.is_empty() {
                                    <details class="rule-doc">
                                        <summary>{ "Why it matters" }</summary>
                                        <p class="doc"><RichText text={i.why} /></p>
                                    </details>
                                }
                            }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}
