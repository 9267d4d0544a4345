//! The editor's gutter: line numbers, and a marker on each line with a syntax error or a finding
//! (the worst severity; the messages in its tooltip).

use std::collections::BTreeMap;

use slimfile_core::report::Severity;
use yew::prelude::*;

use crate::state::Ptr;

#[derive(Properties, PartialEq)]
pub struct GutterProps {
    pub lines: usize,
    pub markers: Ptr<BTreeMap<u32, (Severity, Vec<String>)>>,
    /// The gutter element, for scrolling a line into view.
    pub gutter: NodeRef,
}

/// Line numbers and markers: redrawn when the line count or the markers change, not on every report.
#[function_component(Gutter)]
pub fn gutter(props: &GutterProps) -> Html {
    html! {
        <div class="gutter" aria-hidden="true" ref={props.gutter.clone()}>
            { for (1..=props.lines as u32).map(|n| match props.markers.get(&n) {
                Some((sev, msgs)) => html! {
                    <div class={classes!("ln", "marked", sev.as_str())} title={msgs.join("\n")}>{ n }</div>
                },
                None => html! { <div class="ln">{ n }</div> },
            }) }
        </div>
    }
}
