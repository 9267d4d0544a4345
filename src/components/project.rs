//! The Project files panel: pick a folder or files (or drop them anywhere on the page), paste one file,
//! see which files the conversion used, download the proposed `.dockerignore`. Everything stays in the
//! page: the files are read here and given to the engine.

use slimfile_core::report::Report;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Action, Project, Ptr};
use crate::{dom, project, Dispatch};

#[derive(Properties, PartialEq)]
pub struct ProjectProps {
    pub project: Ptr<Project>,
    pub report: Ptr<Report>,
}

/// Names a reader knows, for the paste form's suggestions.
const NAMES: &[&str] = &[
    "package.json", "Cargo.toml", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "requirements.txt",
    "pyproject.toml", "poetry.lock", "uv.lock", "Gemfile.lock", "package-lock.json", "yarn.lock", ".dockerignore",
];

fn size(n: usize) -> String {
    if n < 1000 {
        format!("{n} B")
    } else {
        format!("{:.1} KB", n as f64 / 1000.0)
    }
}

#[function_component(ProjectPanel)]
pub fn project_panel(props: &ProjectProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let name = use_state(|| "package.json".to_owned());
    let pasted = use_node_ref();
    let p = &props.project;
    let used: Vec<String> = props.report.context.as_ref().map(|c| c.files_used.clone()).unwrap_or_default();
    let proposal = props.report.context.as_ref().and_then(|c| c.dockerignore.clone());

    let on_pick = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target() else { return };
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let project = project::from_input(&input.clone().into()).await;
                if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
                    i.set_value("");
                }
                dispatch.dispatch(Action::SetProject(project));
            });
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                name.set(i.value());
            }
        })
    };
    let on_add = {
        let dispatch = dispatch.clone();
        let name = name.clone();
        let pasted = pasted.clone();
        Callback::from(move |_| {
            let Some(area) = pasted.cast::<web_sys::HtmlTextAreaElement>() else { return };
            let text = area.value();
            if name.trim().is_empty() || text.is_empty() {
                return;
            }
            dispatch.dispatch(Action::AddFile { path: (*name).clone(), text });
            area.set_value("");
        })
    };
    let on_clear = {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::RemoveFiles(None)))
    };
    let on_download = {
        let proposal = proposal.clone().unwrap_or_default();
        Callback::from(move |_| dom::download(".dockerignore", &proposal))
    };
    let listed = p.context.paths.len();
    html! {
        <div class="list-panel project-panel">
            <p class="muted">
                { "Your project's files answer what the Dockerfile alone cannot: package.json's start script, Cargo.toml's \
                   binary, go.mod's modules, pom.xml's jar, requirements.txt and Gemfile.lock's native packages, \
                   .dockerignore. Drop a folder anywhere on the page, or pick one: the page reads only those files, \
                   here in your browser. Nothing is uploaded." }
            </p>
            <div class="panel-tools">
                <label class="btn file-pick">
                    { "Choose a folder" }
                    <input type="file" id="project-folder" webkitdirectory=true multiple=true onchange={on_pick.clone()}
                        aria-label="Choose your project's folder" />
                </label>
                <label class="btn file-pick">
                    { "Choose files" }
                    <input type="file" id="project-files" multiple=true onchange={on_pick} aria-label="Choose project files" />
                </label>
                if listed > 0 {
                    <button type="button" class="btn" onclick={on_clear}>{ "Forget the files" }</button>
                }
                if proposal.is_some() {
                    <button type="button" class="btn" id="download-dockerignore" onclick={on_download}>{ "Download the proposed .dockerignore" }</button>
                }
            </div>
            if listed == 0 {
                <p class="empty-note">{ "No project files: slimfile reads the Dockerfile alone." }</p>
            } else {
                <p class="project-origin" data-files={p.context.files.len().to_string()}>
                    { format!("From {}: {} read, {listed} paths listed{}.", p.origin, p.context.files.len(),
                        if p.context.complete { "" } else { " (not the whole folder: what is not listed is not known to be absent)" }) }
                </p>
                <ul class="items project-files">
                    { for p.context.files.iter().map(|(path, text)| {
                        let is_used = used.contains(path);
                        let dispatch = dispatch.clone();
                        let forget = path.clone();
                        let onclick = Callback::from(move |_| dispatch.dispatch(Action::RemoveFiles(Some(forget.clone()))));
                        html! {
                            <li class="item">
                                <div class="item-head">
                                    <code class="path">{ path.clone() }</code>
                                    <span class="muted">{ size(text.len()) }</span>
                                    if is_used { <span class="tag used">{ "used" }</span> }
                                    <span class="spacer"></span>
                                    <button type="button" class="btn small" {onclick} aria-label={format!("Forget {path}")}>{ "Forget" }</button>
                                </div>
                            </li>
                        }
                    }) }
                </ul>
            }
            if !p.skipped.is_empty() {
                <ul class="reasons">{ for p.skipped.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
            }
            <details class="paste-file">
                <summary>{ "Paste a file" }</summary>
                <label class="field">
                    <span>{ "Name" }</span>
                    <input type="text" list="project-names" value={(*name).clone()} oninput={on_name} aria-label="The file's name, as in the project" />
                    <datalist id="project-names">{ for NAMES.iter().map(|n| html! { <option value={*n} /> }) }</datalist>
                </label>
                <textarea ref={pasted} class="paste" rows="8" spellcheck="false" aria-label="The file's text" />
                <button type="button" class="btn" onclick={on_add}>{ "Add the file" }</button>
            </details>
        </div>
    }
}
