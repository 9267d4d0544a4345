//! A tab bar (WAI-ARIA tabs: arrow keys move between tabs, Tab leaves the bar) and its panel.

use yew::prelude::*;

use crate::state::{Action, Panel};
use crate::Dispatch;

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub label: AttrValue,
    /// Each tab with an optional count shown beside its name.
    pub tabs: Vec<(Panel, Option<usize>)>,
    pub active: Panel,
}

#[function_component(Tabs)]
pub fn tabs(props: &TabsProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let list = use_node_ref();
    let panels: Vec<Panel> = props.tabs.iter().map(|(p, _)| *p).collect();
    let onkeydown = {
        let dispatch = dispatch.clone();
        let list = list.clone();
        let active = props.active;
        Callback::from(move |e: KeyboardEvent| {
            let Some(i) = panels.iter().position(|p| *p == active) else { return };
            let n = panels.len();
            let next = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (i + 1) % n,
                "ArrowLeft" | "ArrowUp" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            dispatch.dispatch(Action::Show(panels[next]));
            if let Some(el) = list.cast::<web_sys::Element>() {
                if let Ok(Some(btn)) = el.query_selector(&format!("#tab-{}", panels[next].id())) {
                    if let Ok(btn) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(btn) {
                        let _ = btn.focus();
                    }
                }
            }
        })
    };
    html! {
        <div class="tabs" role="tablist" aria-label={props.label.clone()} ref={list} {onkeydown}>
            { for props.tabs.iter().map(|&(p, count)| {
                let selected = p == props.active;
                let onclick = {
                    let dispatch = dispatch.clone();
                    Callback::from(move |_| dispatch.dispatch(Action::Show(p)))
                };
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", p.id())}
                        class={classes!("tab", selected.then_some("active"))}
                        aria-selected={selected.to_string()} aria-controls={format!("panel-{}", p.id())}
                        tabindex={if selected { "0" } else { "-1" }} {onclick}>
                        { p.label() }
                        if let Some(c) = count {
                            <span class="count">{ c }</span>
                        }
                    </button>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TabPanelProps {
    pub panel: Panel,
    pub hidden: bool,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(TabPanel)]
pub fn tab_panel(props: &TabPanelProps) -> Html {
    let id = props.panel.id();
    html! {
        <div class={classes!("panel", format!("panel-{id}"))} role="tabpanel" id={format!("panel-{id}")}
            aria-labelledby={format!("tab-{id}")} hidden={props.hidden}>
            { props.children.clone() }
        </div>
    }
}
