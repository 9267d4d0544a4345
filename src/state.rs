//! The playground's state and every change to it (Yew's `Reducible`, as in yew's function_todomvc).
//!
//! The only work done here is calling the engine: `slimfile_core::convert` for the text and options.
//! Everything the panels show is read from its `Report`.

use std::rc::Rc;

use slimfile_core::context::BuildContext;
use slimfile_core::{Options, Report};
use yew::Reducible;

use crate::examples::EXAMPLES;

/// A panel of the page. On a wide screen the editor is always shown, `Diff`/`Output`/`Graph`/`Size`
/// share the right-hand side and `Changes`/`Findings` the area under the editor; on a narrow screen
/// each is a tab of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Editor,
    Diff,
    Output,
    Graph,
    Size,
    Changes,
    Findings,
    Project,
}

impl Panel {
    pub const RIGHT: [Panel; 4] = [Panel::Diff, Panel::Output, Panel::Graph, Panel::Size];
    pub const BOTTOM: [Panel; 3] = [Panel::Changes, Panel::Findings, Panel::Project];
    pub const ALL: [Panel; 8] = [
        Panel::Editor,
        Panel::Diff,
        Panel::Output,
        Panel::Graph,
        Panel::Size,
        Panel::Changes,
        Panel::Findings,
        Panel::Project,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Panel::Editor => "Dockerfile",
            Panel::Diff => "Diff",
            Panel::Output => "Rewritten",
            Panel::Graph => "Stages",
            Panel::Size => "Size",
            Panel::Changes => "Changes",
            Panel::Findings => "Findings",
            Panel::Project => "Project files",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Panel::Editor => "editor",
            Panel::Diff => "diff",
            Panel::Output => "output",
            Panel::Graph => "graph",
            Panel::Size => "size",
            Panel::Changes => "changes",
            Panel::Findings => "findings",
            Panel::Project => "project",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffMode {
    Split,
    Unified,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphOf {
    Rewritten,
    Original,
}

/// The project's files the page read (a dropped or picked folder, picked or pasted files, a link's), and
/// what it could not read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    pub context: BuildContext,
    /// One sentence per file not read (too large, not text) or per limit reached.
    pub skipped: Vec<String>,
    /// Where the files come from (`the folder shop`, `3 files`, `a link`), for the panel.
    pub origin: String,
}

/// The engine's answer for one text and options.
#[derive(Debug, PartialEq)]
pub struct Analysis {
    pub text: Rc<str>,
    pub options: Options,
    /// The project it was converted with.
    pub project: Rc<Project>,
    pub report: Rc<Report>,
    /// Time spent in `convert`, in milliseconds.
    pub convert_ms: f64,
    /// `performance.now()` when the analysis was asked for: the app measures convert + render from it.
    pub started: f64,
    pub seq: u32,
}

impl Analysis {
    pub fn run(text: Rc<str>, options: Options, project: Rc<Project>, started: f64, seq: u32) -> Analysis {
        let t0 = now();
        // Support windows are judged on today (the engine has no clock); the options the page keeps and
        // shares stay undated.
        let dated = Options { date: options.date.clone().or_else(today), ..options.clone() };
        let report = slimfile_core::convert_with(&text, &dated, &project.context);
        let convert_ms = now() - t0;
        Analysis { text, options, project, report: Rc::new(report), convert_ms, started, seq }
    }
}

/// A request to show a place of the input in the editor; `seq` makes a repeated click count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    pub line: u32,
    pub end_line: u32,
    pub seq: u32,
}

#[derive(Debug, PartialEq)]
pub struct State {
    /// What the editor holds now (the analysis may lag it by the debounce).
    pub text: Rc<str>,
    pub options: Options,
    /// The project's files (Project files panel, a link).
    pub project: Rc<Project>,
    /// Bumped when the text is replaced from outside the editor (an example, a link): the editor
    /// then writes it into its textarea.
    pub load_seq: u32,
    pub analysis: Rc<Analysis>,
    pub right: Panel,
    pub bottom: Panel,
    /// The tab shown on a narrow screen.
    pub tab: Panel,
    pub narrow: bool,
    pub theme: Theme,
    /// `None`: split on a wide screen, unified on a narrow one.
    pub diff_mode: Option<DiffMode>,
    pub fold: bool,
    pub graph_of: GraphOf,
    pub jump: Option<Jump>,
}

pub enum Action {
    /// The user typed: the text changes now, the analysis after the debounce.
    Edit(String),
    /// Run the engine on the current text, if it changed. Carries `performance.now()` at the request.
    Analyze(f64),
    /// Replace text and options (an example, a shared link, the stored last input) and analyse. A link
    /// (and the stored input) also replaces the project files (`Some`); an example keeps them.
    Load {
        text: String,
        options: Options,
        project: Option<Project>,
    },
    /// Replace the project files (a dropped or picked folder, picked files) and analyse.
    SetProject(Project),
    /// Add or replace one file (pasted into the Project files panel) and analyse.
    AddFile {
        path: String,
        text: String,
    },
    /// Forget one file, or with `None` all of them, and analyse.
    RemoveFiles(Option<String>),
    SetOptions(Options),
    Show(Panel),
    JumpTo {
        line: u32,
        end_line: u32,
    },
    SetTheme(Theme),
    SetDiffMode(DiffMode),
    ToggleFold,
    SetNarrow(bool),
    SetGraphOf(GraphOf),
}

impl State {
    pub fn new(text: String, options: Options, project: Project, theme: Theme, narrow: bool) -> State {
        let text: Rc<str> = text.into();
        let project = Rc::new(project);
        let analysis = Rc::new(Analysis::run(text.clone(), options.clone(), project.clone(), now(), 1));
        State {
            text,
            options,
            project,
            load_seq: 1,
            analysis,
            right: Panel::Diff,
            bottom: Panel::Changes,
            tab: Panel::Diff,
            narrow,
            theme,
            diff_mode: None,
            fold: true,
            graph_of: GraphOf::Rewritten,
            jump: None,
        }
    }

    pub fn first_example() -> String {
        EXAMPLES[0].text.to_owned()
    }

    pub fn diff_mode(&self) -> DiffMode {
        self.diff_mode.unwrap_or(if self.narrow { DiffMode::Unified } else { DiffMode::Split })
    }

    /// Whether the report is for what the editor holds now.
    pub fn fresh(&self) -> bool {
        self.analysis.text == self.text && self.analysis.options == self.options && Rc::ptr_eq(&self.analysis.project, &self.project)
    }

    fn with(self: &Rc<Self>, f: impl FnOnce(&mut State)) -> Rc<Self> {
        let mut s = State {
            text: self.text.clone(),
            options: self.options.clone(),
            project: self.project.clone(),
            load_seq: self.load_seq,
            analysis: self.analysis.clone(),
            right: self.right,
            bottom: self.bottom,
            tab: self.tab,
            narrow: self.narrow,
            theme: self.theme,
            diff_mode: self.diff_mode,
            fold: self.fold,
            graph_of: self.graph_of,
            jump: self.jump,
        };
        f(&mut s);
        Rc::new(s)
    }

    fn analyze(&mut self, started: f64) {
        if !self.fresh() {
            let seq = self.analysis.seq + 1;
            self.analysis = Rc::new(Analysis::run(self.text.clone(), self.options.clone(), self.project.clone(), started, seq));
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit(text) => {
                if *self.text == *text {
                    return self;
                }
                self.with(|s| s.text = text.into())
            }
            Action::Analyze(started) => {
                if self.fresh() {
                    return self;
                }
                self.with(|s| s.analyze(started))
            }
            Action::Load { text, options, project }
                if *self.text == *text && self.options == options && project.as_ref().is_none_or(|p| *p == *self.project) =>
            {
                self
            }
            Action::Load { text, options, project } => self.with(|s| {
                s.text = text.into();
                s.options = options;
                if let Some(p) = project {
                    if p != *s.project {
                        s.project = Rc::new(p);
                    }
                }
                s.load_seq += 1;
                s.jump = None;
                s.analyze(now());
            }),
            Action::SetProject(p) => self.with(|s| {
                s.project = Rc::new(p);
                s.analyze(now());
            }),
            Action::AddFile { path, text } => self.with(|s| {
                let mut p = (*s.project).clone();
                let path = path.trim().trim_start_matches("./").to_owned();
                let text = slimfile_core::context::prepare(&path, &text);
                p.context.files.insert(path.clone(), text);
                if !p.context.paths.contains(&path) {
                    p.context.paths.push(path);
                    p.context.paths.sort();
                }
                if p.origin.is_empty() {
                    p.origin = "pasted files".to_owned();
                }
                s.project = Rc::new(p);
                s.analyze(now());
            }),
            Action::RemoveFiles(path) => self.with(|s| {
                let mut p = (*s.project).clone();
                match path {
                    Some(path) => {
                        p.context.files.remove(&path);
                        p.context.paths.retain(|q| *q != path);
                        p.context.complete = false;
                    }
                    None => p = Project::default(),
                }
                s.project = Rc::new(p);
                s.analyze(now());
            }),
            Action::SetOptions(options) => self.with(|s| {
                s.options = options;
                s.analyze(now());
            }),
            Action::Show(panel) => self.with(|s| {
                if Panel::RIGHT.contains(&panel) {
                    s.right = panel;
                }
                if Panel::BOTTOM.contains(&panel) {
                    s.bottom = panel;
                }
                s.tab = panel;
            }),
            Action::JumpTo { line, end_line } => self.with(|s| {
                let seq = s.jump.map_or(1, |j| j.seq + 1);
                s.jump = Some(Jump { line, end_line: end_line.max(line), seq });
                s.tab = Panel::Editor;
            }),
            Action::SetTheme(theme) => self.with(|s| s.theme = theme),
            Action::SetDiffMode(mode) => self.with(|s| s.diff_mode = Some(mode)),
            Action::ToggleFold => self.with(|s| s.fold = !s.fold),
            Action::SetNarrow(narrow) => {
                if self.narrow == narrow {
                    return self;
                }
                self.with(|s| s.narrow = narrow)
            }
            Action::SetGraphOf(g) => self.with(|s| s.graph_of = g),
        }
    }
}

/// Today (UTC, `YYYY-MM-DD`) from the browser's clock; `None` elsewhere (the unit tests run natively and
/// judge on the image knowledge's date).
pub fn today() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(String::from(js_sys::Date::new_0().to_iso_string()).chars().take(10).collect())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// `performance.now()` in the browser; 0 elsewhere (the unit tests run natively).
pub fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}


/// An `Rc` compared by address: props holding one re-render only when the value was replaced, never
/// by comparing whole reports.
pub struct Ptr<T: ?Sized>(pub Rc<T>);

impl<T: ?Sized> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        Ptr(self.0.clone())
    }
}

impl<T: ?Sized> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> std::ops::Deref for Ptr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<State> {
        Rc::new(State::new(State::first_example(), Options::default(), Project::default(), Theme::System, false))
    }

    #[test]
    fn edits_wait_for_the_analysis() {
        let s = state();
        assert!(s.fresh());
        assert_eq!(s.analysis.report.status, slimfile_core::Status::Converted);
        let s = s.reduce(Action::Edit("FROM scratch\n".into()));
        assert!(!s.fresh());
        assert_eq!(s.analysis.seq, 1);
        let s = s.reduce(Action::Analyze(0.0));
        assert!(s.fresh());
        assert_eq!(s.analysis.seq, 2);
        let again = s.clone().reduce(Action::Analyze(0.0));
        assert!(Rc::ptr_eq(&s, &again), "nothing to do when fresh");
    }

    #[test]
    fn options_and_loads_analyse_at_once() {
        let s = state();
        let o = Options { target: Some(slimfile_core::RuntimeFamily::Scratch), ..Options::default() };
        let s = s.reduce(Action::SetOptions(o));
        assert!(s.fresh());
        assert_eq!(s.analysis.report.runtime, Some(slimfile_core::RuntimeFamily::Scratch));
        let seq = s.load_seq;
        let s = s.reduce(Action::Load { text: EXAMPLES[9].text.into(), options: Options::default(), project: None });
        assert_eq!(s.load_seq, seq + 1);
        let same = s.clone().reduce(Action::Load { text: EXAMPLES[9].text.into(), options: Options::default(), project: None });
        assert!(Rc::ptr_eq(&s, &same), "loading what is there changes nothing");
        assert_eq!(s.analysis.report.status, slimfile_core::Status::Refused);
    }

    #[test]
    fn project_files_re_run_the_engine() {
        let npm = "FROM node:24\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"start\"]\n";
        let s = state().reduce(Action::Load { text: npm.into(), options: Options::default(), project: None });
        assert_eq!(s.analysis.report.runtime.map(|r| r.as_str()), Some("slim"));
        let s = s.reduce(Action::AddFile { path: "./package.json".into(), text: r#"{"scripts": {"start": "node server.js"}}"#.into() });
        assert!(s.fresh());
        assert_eq!(s.analysis.report.runtime.map(|r| r.as_str()), Some("distroless/nodejs"));
        assert_eq!(s.project.context.paths, ["package.json"]);
        // An example keeps the files; a link replaces them.
        let s = s.reduce(Action::Load { text: npm.replace("24", "22"), options: Options::default(), project: None });
        assert_eq!(s.project.context.files.len(), 1);
        let s = s.reduce(Action::Load { text: npm.into(), options: Options::default(), project: Some(Project::default()) });
        assert!(s.project.context.files.is_empty());
        let s = s.reduce(Action::AddFile { path: ".env".into(), text: "TOKEN=abc\n".into() });
        assert_eq!(s.project.context.files[".env"], "TOKEN=\n", "keys only");
        let s = s.reduce(Action::RemoveFiles(Some(".env".into())));
        assert!(s.project.context.files.is_empty() && s.fresh());
    }

    #[test]
    fn panels_and_jumps() {
        let s = state().reduce(Action::Show(Panel::Graph));
        assert_eq!((s.right, s.bottom, s.tab), (Panel::Graph, Panel::Changes, Panel::Graph));
        let s = s.reduce(Action::Show(Panel::Findings));
        assert_eq!((s.right, s.bottom), (Panel::Graph, Panel::Findings));
        let s = s.reduce(Action::JumpTo { line: 3, end_line: 2 });
        assert_eq!(s.jump, Some(Jump { line: 3, end_line: 3, seq: 1 }));
        assert_eq!(s.tab, Panel::Editor);
        let s = s.reduce(Action::JumpTo { line: 3, end_line: 3 });
        assert_eq!(s.jump.unwrap().seq, 2);
        assert_eq!(s.diff_mode(), DiffMode::Split);
        assert_eq!(s.reduce(Action::SetNarrow(true)).diff_mode(), DiffMode::Unified);
    }
}
