//! The engine's options (`slimfile_core::Options`); each change re-runs the conversion at once.

use slimfile_core::{Options, RuntimeFamily};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::toolbar::select_value;
use crate::state::Action;
use crate::Dispatch;

#[derive(Properties, PartialEq)]
pub struct OptionsProps {
    pub options: Options,
}

fn checked(e: &Event) -> bool {
    e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

#[function_component(OptionsBar)]
pub fn options_bar(props: &OptionsProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let on_target = {
        let dispatch = dispatch.clone();
        let options = props.options.clone();
        Callback::from(move |e: Event| {
            let target = RuntimeFamily::parse(&select_value(&e));
            dispatch.dispatch(Action::SetOptions(Options { target, ..options.clone() }));
        })
    };
    let flag = |set: fn(&mut Options, bool)| {
        let dispatch = dispatch.clone();
        let options = props.options.clone();
        Callback::from(move |e: Event| {
            let mut o = options.clone();
            set(&mut o, checked(&e));
            dispatch.dispatch(Action::SetOptions(o));
        })
    };
    let o = &props.options;
    let target = o.target.map_or("auto", RuntimeFamily::as_str);
    html! {
        <div class="options controls" role="group" aria-label="Conversion options">
            <label class="field">
                <span>{ "Runtime" }</span>
                <select onchange={on_target} aria-label="Target runtime image family">
                    <option value="auto" selected={target == "auto"}>{ "auto (best fit)" }</option>
                    { for RuntimeFamily::ALL.iter().map(|f| html! {
                        <option value={f.as_str()} selected={target == f.as_str()}>{ f.as_str() }</option>
                    }) }
                </select>
            </label>
            <label class="check" title="Run the final image as an unprivileged user (distroless :nonroot) unless the app needs root">
                <input type="checkbox" checked={o.non_root} onchange={flag(|o, v| o.non_root = v)} />{ "Non-root" }
            </label>
            <label class="check" title="Keep your comments in the rewritten Dockerfile">
                <input type="checkbox" checked={o.keep_comments} onchange={flag(|o, v| o.keep_comments = v)} />{ "Keep comments" }
            </label>
            <label class="check" title="Add RUN --mount=type=cache to go, cargo, npm, pip and maven build steps">
                <input type="checkbox" checked={o.cache_mounts} onchange={flag(|o, v| o.cache_mounts = v)} />{ "Cache mounts" }
            </label>
            <label class="check" title="Carry a compiled app's run-time files (templates, static files, configuration: its folders without sources and build files) to the final image; off, the final image gets the program only">
                <input type="checkbox" checked={o.carry_files} onchange={flag(|o, v| o.carry_files = v)} />{ "Carry app files" }
            </label>
        </div>
    }
}
