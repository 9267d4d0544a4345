//! The slimfile playground: paste a Dockerfile, see the slim multi-stage rewrite side by side.
//!
//! Structure (as yew's examples/function_todomvc): the state and its reducer in `state.rs`, one
//! component per file in `components/`. The page holds no conversion logic: it calls
//! `slimfile_core::convert` and draws the `Report`. Everything the user typed or a link carried is
//! rendered as text nodes, never as HTML.

mod components;
mod dom;
mod examples;
mod graph;
mod highlight;
mod project;
mod share;
mod state;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use slimfile_core::Options;
use yew::prelude::*;

use components::changes::ChangesPanel;
use components::diff_view::DiffView;
use components::editor::Editor;
use components::findings::FindingsPanel;
use components::options_bar::OptionsBar;
use components::output_view::OutputView;
use components::project::ProjectPanel;
use components::size_panel::SizePanel;
use components::stage_graph::StageGraph;
use components::status::StatusBar;
use components::tabs::{TabPanel, Tabs};
use components::toolbar::Toolbar;
use state::{now, Action, Panel, Project, State, Theme};

/// Delay between the last keystroke and the analysis.
const DEBOUNCE_MS: u32 = 50;
/// Delay before the URL fragment and localStorage follow an edit.
const PERSIST_MS: u32 = 300;

/// The dispatcher, given to every component through a context.
pub type Dispatch = UseReducerDispatcher<State>;

/// What the page starts with: a link's fragment, else the last input, else the classic example.
async fn initial_input() -> (String, Options, Project) {
    let (text, options, files) = match share::decode(dom::hash()).await {
        Some(input) => input,
        None => dom::load(dom::STORAGE_LAST)
            .and_then(|p| share::parse_payload(&p))
            .unwrap_or_else(|| (State::first_example(), Options::default(), Default::default())),
    };
    (text, options, project::from_link(files))
}

#[derive(Properties, PartialEq)]
struct AppProps {
    /// The text, options and project files the page starts with ([`initial_input`]).
    text: String,
    options: Options,
    project: Project,
}

#[function_component(App)]
fn app(props: &AppProps) -> Html {
    let state = use_reducer(|| {
        let (text, options, project) = (props.text.clone(), props.options.clone(), props.project.clone());
        let theme = Theme::parse(&dom::load(dom::STORAGE_THEME).unwrap_or_default());
        State::new(text, options, project, theme, false)
    });
    let dispatch = state.dispatcher();
    let debounce = use_mut_ref(|| None::<Timeout>);
    let persist = use_mut_ref(|| None::<Timeout>);
    let persisted = use_memo((), |_| Cell::new(0u32));
    let keystroke_at = use_mut_ref(|| Cell::new(0.0));

    // Once: the narrow-screen query, links pasted into this tab, the first-render measurement.
    let first_convert_ms = state.analysis.convert_ms;
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let d = dispatch.clone();
            let narrow = dom::media_query("(max-width: 899px)", move |n| d.dispatch(Action::SetNarrow(n)));
            dispatch.dispatch(Action::SetNarrow(narrow));
            let d = dispatch.clone();
            // popstate and hashchange can both come for one Back: loading what is there is a no-op.
            dom::on_hash_change(move || {
                let d = d.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some((text, options, files)) = share::decode(dom::hash()).await {
                        d.dispatch(Action::Load { text, options, project: Some(project::from_link(files)) });
                    }
                });
            });
            dom::set_metric("data-first-render-ms", now());
            dom::set_metric("data-first-convert-ms", first_convert_ms);
            dom::remove_element("boot");
        });
    }

    // Convert + render time of each analysis, for the browser test and for anyone curious.
    use_effect_with(state.analysis.seq, {
        let analysis = state.analysis.clone();
        move |_| {
            dom::set_metric("data-convert-ms", analysis.convert_ms);
            dom::set_metric("data-analysis-ms", now() - analysis.started);
            dom::set_root_attribute("data-analysis-seq", Some(&analysis.seq.to_string()));
        }
    });
    // Keystroke to highlighted editor.
    use_effect_with(state.text.clone(), {
        let keystroke_at = keystroke_at.clone();
        move |_| {
            let at = keystroke_at.borrow().get();
            if at > 0.0 {
                dom::set_metric("data-keystroke-ms", now() - at);
                keystroke_at.borrow().set(0.0);
            }
        }
    });

    // What a link carries of the project: the small files the conversion used.
    let shared = use_memo(state::Ptr(state.analysis.clone()), |a| {
        let (files, left) = share::shareable(&a.0.project.context, &a.0.report);
        (Rc::new(files), Rc::new(left))
    });
    // The URL fragment and localStorage follow the analysed text, options and project files. Compression
    // is asynchronous: a code that arrives after a newer one was asked for is dropped.
    use_effect_with(state.analysis.seq, {
        let analysis = state.analysis.clone();
        let persist = persist.clone();
        let persisted = persisted.clone();
        let files = shared.0.clone();
        move |_| {
            let (text, options) = (analysis.text.clone(), analysis.options.clone());
            *persist.borrow_mut() = Some(Timeout::new(PERSIST_MS, move || {
                dom::store(dom::STORAGE_LAST, &share::payload(&text, &options, &files));
                let asked = persisted.get() + 1;
                persisted.set(asked);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(code) = share::encode(text, options, files).await {
                        if persisted.get() == asked {
                            dom::replace_hash(&code);
                        }
                    }
                });
            }));
        }
    });

    use_effect_with(state.theme, |theme| match theme {
        Theme::System => {
            dom::set_root_attribute("data-theme", None);
            dom::forget(dom::STORAGE_THEME);
        }
        t => {
            dom::set_root_attribute("data-theme", Some(t.as_str()));
            dom::store(dom::STORAGE_THEME, t.as_str());
        }
    });

    let on_input = {
        let dispatch = dispatch.clone();
        let debounce = debounce.clone();
        let keystroke_at: Rc<RefCell<Cell<f64>>> = keystroke_at.clone();
        Callback::from(move |text: String| {
            keystroke_at.borrow().set(now());
            dispatch.dispatch(Action::Edit(text));
            let d = dispatch.clone();
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || d.dispatch(Action::Analyze(now()))));
        })
    };

    // Highlighting, computed once per text: the editor's, the analysed text's (the same while the
    // analysis is fresh) for the diff's left side, the output's for its right side and Rewritten.
    let hl_text = use_memo(state::Ptr(state.text.clone()), |t| highlight::highlight(&t.0));
    let hl_analysed = {
        let (text, hl) = (state.text.clone(), (*hl_text).clone());
        use_memo(state::Ptr(state.analysis.text.clone()), move |a| {
            if Rc::ptr_eq(&a.0, &text) {
                Rc::new(hl)
            } else {
                Rc::new(highlight::highlight(&a.0))
            }
        })
    };
    let hl_output = use_memo(state::Ptr(state.analysis.report.clone()), |r| {
        highlight::highlight(r.output.as_deref().unwrap_or(""))
    });
    let report = state.analysis.report.clone();
    let counts = |p: Panel| -> Option<usize> {
        match p {
            Panel::Changes => Some(report.changes.len()),
            Panel::Findings => Some(report.findings.len() + report.diagnostics.len()),
            Panel::Project => Some(state.project.context.files.len()),
            _ => None,
        }
    };

    let panel = |p: Panel| -> Html {
        match p {
            Panel::Editor => html! {},
            Panel::Diff => html! {
                <DiffView report={state::Ptr(report.clone())} text={state::Ptr(state.analysis.text.clone())}
                    text_highlight={state::Ptr((*hl_analysed).clone())} output_highlight={state::Ptr(hl_output.clone())} mode={state.diff_mode()} fold={state.fold}
                    jump={state.jump} />
            },
            Panel::Output => {
                html! { <OutputView report={state::Ptr(report.clone())} highlight={state::Ptr(hl_output.clone())} /> }
            }
            Panel::Graph => html! { <StageGraph report={state::Ptr(report.clone())} of={state.graph_of} /> },
            Panel::Size => html! { <SizePanel report={state::Ptr(report.clone())} /> },
            Panel::Changes => html! { <ChangesPanel report={state::Ptr(report.clone())} /> },
            Panel::Findings => html! { <FindingsPanel report={state::Ptr(report.clone())} /> },
            Panel::Project => html! { <ProjectPanel project={state::Ptr(state.project.clone())} report={state::Ptr(report.clone())} /> },
        }
    };

    let editor = html! {
        <Editor text={state::Ptr(state.text.clone())} highlight={state::Ptr(hl_text.clone())} load_seq={state.load_seq} jump={state.jump}
            report={state::Ptr(report.clone())} fresh={state.fresh()} on_input={on_input} />
    };

    let body = if state.narrow {
        let tabs: Vec<(Panel, Option<usize>)> = Panel::ALL.iter().map(|&p| (p, counts(p))).collect();
        html! {
            <main class="layout narrow">
                <OptionsBar options={state.options.clone()} />
                <StatusBar analysis={state::Ptr(state.analysis.clone())} fresh={state.fresh()} />
                <Tabs label="Panels" tabs={tabs} active={state.tab} />
                <TabPanel panel={Panel::Editor} hidden={state.tab != Panel::Editor}>{ editor }</TabPanel>
                if state.tab != Panel::Editor {
                    <TabPanel panel={state.tab} hidden={false}>{ panel(state.tab) }</TabPanel>
                }
            </main>
        }
    } else {
        let right: Vec<(Panel, Option<usize>)> = Panel::RIGHT.iter().map(|&p| (p, counts(p))).collect();
        let bottom: Vec<(Panel, Option<usize>)> = Panel::BOTTOM.iter().map(|&p| (p, counts(p))).collect();
        html! {
            <main class="layout wide">
                <section class="left" aria-label="Your Dockerfile">
                    <div class="pane-head"><h2>{ "Your Dockerfile" }</h2></div>
                    { editor }
                    <div class="lower">
                        <Tabs label="Explanations" tabs={bottom} active={state.bottom} />
                        <TabPanel panel={state.bottom} hidden={false}>{ panel(state.bottom) }</TabPanel>
                    </div>
                </section>
                <section class="right" aria-label="Result">
                    <OptionsBar options={state.options.clone()} />
                    <StatusBar analysis={state::Ptr(state.analysis.clone())} fresh={state.fresh()} />
                    <Tabs label="Result" tabs={right} active={state.right} />
                    <TabPanel panel={state.right} hidden={false}>{ panel(state.right) }</TabPanel>
                </section>
            </main>
        }
    };

    // A folder or files dropped anywhere on the page become the project files.
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let dt = js_sys::Reflect::get(&e, &"dataTransfer".into()).unwrap_or_default();
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let project = project::from_drop(&dt).await;
                dispatch.dispatch(Action::SetProject(project));
                dispatch.dispatch(Action::Show(Panel::Project));
            });
        })
    };
    html! {
        <ContextProvider<Dispatch> context={dispatch.clone()}>
            <div class="app" {ondragover} {ondrop}>
                <Toolbar text={state::Ptr(state.text.clone())} options={state.options.clone()}
                    files={state::Ptr(shared.0.clone())} left_out={state::Ptr(shared.1.clone())}
                    theme={state.theme} version={report.version.clone()} />
                { body }
            </div>
        </ContextProvider<Dispatch>>
    }
}

fn main() {
    // When the wasm starts (since navigation): the rest of the first render is ours.
    dom::set_metric("data-wasm-start-ms", now());
    wasm_bindgen_futures::spawn_local(async {
        let (text, options, project) = initial_input().await;
        let props = AppProps { text, options, project };
        match gloo_utils_root() {
            Some(el) => yew::Renderer::<App>::with_root_and_props(el, props).render(),
            None => yew::Renderer::<App>::with_props(props).render(),
        };
    });
}

/// The element the app mounts in (`<div id="app">` in index.html).
fn gloo_utils_root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("app")
}
