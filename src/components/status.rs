//! One line that says what happened: converted to which image, unchanged, or refused (with why), and how
//! current the image knowledge is (its date, and the day support windows were judged on).

use slimfile_core::report::Status;
use yew::prelude::*;

use crate::components::rich_text::RichText;
use crate::state::{Analysis, Ptr};

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub analysis: Ptr<Analysis>,
    /// False while an edit waits for its analysis.
    pub fresh: bool,
}

#[function_component(StatusBar)]
pub fn status_bar(props: &StatusProps) -> Html {
    let a = &props.analysis;
    let r = &a.report;
    let (class, word) = match r.status {
        Status::Converted => ("converted", "Converted"),
        Status::Unchanged => ("unchanged", "Unchanged"),
        Status::Refused => ("refused", "Refused"),
    };
    let eco = r.ecosystem.clone().unwrap_or_default();
    html! {
        <div class={classes!("status", class, (!props.fresh).then_some("pending"))} id="status-line" data-status={class}>
            <div class="status-line">
                // Announced when it changes (not the timing, which changes on every keystroke).
                <span class="status-words" role="status" aria-live="polite">
                    <span class="badge">{ word }</span>
                    if r.status == Status::Converted {
                        if !eco.is_empty() { <span class="eco">{ eco }</span> }
                        <span class="arrow" aria-label="to">{ "→" }</span>
                        <code class="image">{ r.runtime_image.clone().unwrap_or_default() }</code>
                        if let Some(rt) = r.runtime { <span class="family">{ format!("({})", rt.as_str()) }</span> }
                    }
                </span>
                <span class="spacer"></span>
                <span class="knowledge" id="knowledge-date" title={format!("Which image tags exist and how long each version is supported, as of {}; support judged on {}", r.knowledge.as_of, r.knowledge.judged_on)}>
                    { format!("image knowledge as of {}", r.knowledge.as_of) }
                </span>
                <span class="timing" title="Time the engine took for this analysis">{ format!("{} ms", slimfile_core::units::decimal(a.convert_ms, 1)) }</span>
            </div>
            if r.status != Status::Converted && !r.reasons.is_empty() {
                <ul class="reasons">{ for r.reasons.iter().map(|x| html! { <li><RichText text={x.clone()} /></li> }) }</ul>
            }
        </div>
    }
}
