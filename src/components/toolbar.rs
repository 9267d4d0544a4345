//! The top bar: the examples menu, Share, the theme and the engine's version.

use slimfile_core::context::BuildContext;
use slimfile_core::Options;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::examples::{self, EXAMPLES};
use crate::state::{Action, Ptr, Theme};
use crate::{dom, share, Dispatch};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub text: Ptr<str>,
    pub options: Options,
    /// The project files a link carries (`share::shareable`), and what it leaves out.
    pub files: Ptr<BuildContext>,
    pub left_out: Ptr<Vec<String>>,
    pub theme: Theme,
    pub version: AttrValue,
}

#[derive(Clone, PartialEq)]
struct Shared {
    url: String,
    copied: Option<bool>,
    /// What a docs page pastes to show this Dockerfile as the widget.
    snippet: String,
    snippet_copied: Option<bool>,
}

pub fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let shared = use_state(|| None::<Shared>);
    let link_input = use_node_ref();
    // When the link appears, put the focus on it, selected, ready to copy by hand.
    {
        let link_input = link_input.clone();
        use_effect_with(shared.is_some(), move |open| {
            if *open {
                if let Some(i) = link_input.cast::<web_sys::HtmlInputElement>() {
                    let _ = i.focus();
                    i.select();
                }
            }
        });
    }
    let current = examples::find(&props.text.0);

    let on_example = {
        let dispatch = dispatch.clone();
        let options = props.options.clone();
        let text = props.text.clone();
        let files = props.files.clone();
        Callback::from(move |e: Event| {
            if let Some(ex) = select_value(&e).parse::<usize>().ok().and_then(|i| EXAMPLES.get(i)) {
                // The text being replaced stays one Back away (its fragment is the current address).
                let (text, options, dispatch, files) = (text.0.clone(), options.clone(), dispatch.clone(), files.0.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(code) = share::encode(text, options.clone(), files).await {
                        dom::replace_hash(&code);
                    }
                    dom::push_history();
                    dispatch.dispatch(Action::Load { text: ex.text.to_owned(), options, project: None });
                });
            }
        })
    };
    let on_share = {
        let shared = shared.clone();
        let text = props.text.clone();
        let options = props.options.clone();
        let files = props.files.clone();
        Callback::from(move |_| {
            let (text, options, shared, files) = (text.0.clone(), options.clone(), shared.clone(), files.0.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let page = dom::page_url();
                let snippet = share::embed_snippet(&page, &text, &options);
                // No link without the browser's deflate (CompressionStream): say so, keep the snippet.
                let Some(code) = share::encode(text.clone(), options.clone(), files).await else {
                    shared.set(Some(Shared { url: String::new(), copied: None, snippet, snippet_copied: None }));
                    return;
                };
                dom::replace_hash(&code);
                let url = format!("{page}#{code}");
                let s = Shared { url: url.clone(), copied: None, snippet, snippet_copied: None };
                shared.set(Some(s.clone()));
                dom::copy_text(&url, move |ok| shared.set(Some(Shared { copied: Some(ok), ..s })));
            });
        })
    };
    let copy_snippet = {
        let shared = shared.clone();
        Callback::from(move |_| {
            let Some(s) = (*shared).clone() else { return };
            let shared = shared.clone();
            let snippet = s.snippet.clone();
            dom::copy_text(&snippet, move |ok| shared.set(Some(Shared { snippet_copied: Some(ok), ..s.clone() })));
        })
    };
    let close_share = {
        let shared = shared.clone();
        Callback::from(move |_| shared.set(None))
    };
    let on_theme = {
        let dispatch = dispatch.clone();
        let next = props.theme.next();
        Callback::from(move |_| dispatch.dispatch(Action::SetTheme(next)))
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            i.select();
        }
    });

    // What the link holds besides the Dockerfile and the options.
    let names: Vec<String> = props.files.files.keys().cloned().collect();
    let holds = match (names.is_empty(), props.left_out.is_empty()) {
        (true, true) => "the Dockerfile and the options".to_owned(),
        (false, true) => format!("the Dockerfile, the options and the project files {}", names.join(", ")),
        (true, false) => format!("the Dockerfile and the options; it leaves out {}, over what a link carries", props.left_out.join(", ")),
        (false, false) => format!(
            "the Dockerfile, the options and the project files {}; it leaves out {}, over what a link carries",
            names.join(", "),
            props.left_out.join(", ")
        ),
    };
    let theme_icon = match props.theme {
        Theme::System => "◐",
        Theme::Light => "☀",
        Theme::Dark => "☾",
    };
    html! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{ "◢" }</span>
                <h1>{ "slimfile" }</h1>
                <span class="tagline">{ "Dockerfile → slim multi-stage build" }</span>
            </div>
            <div class="controls">
                <label class="field">
                    <span>{ "Example" }</span>
                    <select onchange={on_example} aria-label="Load an example Dockerfile">
                        if current.is_none() { <option value="" selected=true>{ "Your Dockerfile" }</option> }
                        { for EXAMPLES.iter().enumerate().map(|(i, ex)| html! {
                            <option value={i.to_string()} selected={current == Some(i)}>{ ex.title }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="actions">
                <button type="button" class="btn primary" onclick={on_share} aria-haspopup="dialog">{ "Share" }</button>
                <button type="button" class="btn icon" onclick={on_theme}
                    aria-label={format!("Theme: {} (change)", props.theme.as_str())}
                    title={format!("Theme: {}", props.theme.as_str())}>{ theme_icon }</button>
                <span class="version" title="slimfile engine version">{ format!("engine v{}", props.version) }</span>
            </div>
            if let Some(s) = &*shared {
                <div class="share-pop" role="dialog" aria-label="Share link" onkeydown={{
                    let shared = shared.clone();
                    Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { shared.set(None) })
                }}>
                    <label for="share-link">{ match s.copied {
                        _ if s.url.is_empty() => "This browser cannot make the link: it has no CompressionStream \
                            (Chrome 103, Firefox 113 and Safari 16.4 have it). The embed snippet below still works.".to_owned(),
                        Some(true) => format!("Link copied to the clipboard. It holds {holds}:"),
                        Some(false) => format!("Copy this link (the clipboard was not available). It holds {holds}:"),
                        None => format!("Copying… The link holds {holds}:"),
                    } }</label>
                    <div class="share-row">
                        <input id="share-link" ref={link_input} type="text" readonly=true value={s.url.clone()} onfocus={select_all} />
                        <button type="button" class="btn" onclick={close_share}>{ "Close" }</button>
                    </div>
                    <label for="embed-snippet" class="embed-label">{ match s.snippet_copied {
                        Some(true) => "Copied. Paste it in a docs page to show this Dockerfile as a live widget:",
                        Some(false) => "Copy this by hand (the clipboard was not available), then paste it in a docs page:",
                        None => "Or embed it in a docs page as a live widget (README, “The widget”):",
                    } }</label>
                    <div class="share-row">
                        <textarea id="embed-snippet" readonly=true rows="3" spellcheck="false" value={s.snippet.clone()} />
                        <button type="button" class="btn" onclick={copy_snippet}>{ "Copy" }</button>
                    </div>
                </div>
            }
        </header>
    }
}
