//! The coloured copy of the editor's text, under its transparent textarea. Text nodes only.

use yew::prelude::*;

use crate::highlight::{Class, Highlight};
use crate::state::Ptr;

#[derive(Properties, PartialEq)]
pub struct HighlightedProps {
    pub text: Ptr<str>,
    pub highlight: Ptr<Highlight>,
}

/// The coloured copy of the text under the textarea: redrawn only when the text changes.
#[function_component(Highlighted)]
pub fn highlighted(props: &HighlightedProps) -> Html {
    let text: &str = &props.text.0;
    html! {
        <pre class="hl" aria-hidden="true">
            { for props.highlight.runs.iter().map(|r| {
                let s = &text[r.range.clone()];
                if r.class == Class::Plain && !r.error {
                    Html::from(s)
                } else {
                    html! { <span class={classes!(r.class.css(), r.error.then_some("t-error"))}>{ s }</span> }
                }
            }) }
            { "\n" }
        </pre>
    }
}
