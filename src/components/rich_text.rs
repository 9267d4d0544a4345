//! The engine's sentences mark code with backticks (`COPY --from=build`): shown as <code>, as text nodes.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RichTextProps {
    pub text: AttrValue,
}

/// Splits at backticks: odd pieces are code. An unpaired backtick stays as it is.
pub fn pieces(text: &str) -> Vec<(&str, bool)> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return vec![(text, false)];
    }
    parts.into_iter().enumerate().filter(|(_, p)| !p.is_empty()).map(|(i, p)| (p, i % 2 == 1)).collect()
}

#[function_component(RichText)]
pub fn rich_text(props: &RichTextProps) -> Html {
    html! {
        { for pieces(&props.text).into_iter().map(|(p, code)| if code {
            html! { <code>{ p }</code> }
        } else {
            Html::from(p)
        }) }
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn backticks_become_code() {
        assert_eq!(
            pieces("run `a` and `b`."),
            [("run ", false), ("a", true), (" and ", false), ("b", true), (".", false)]
        );
        assert_eq!(pieces("odd ` one"), [("odd ` one", false)]);
        assert_eq!(pieces(""), Vec::<(&str, bool)>::new());
    }
}
