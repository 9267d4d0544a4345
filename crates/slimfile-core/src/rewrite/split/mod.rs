//! The split every strategy shares: the target stage becomes `AS build`, a runtime stage follows.
//!
//! Strategies fill a [`Split`] (what to copy, which command to run, edits to the builder) and a
//! [`Runtime`] (the final image); [`Split::finish`] writes the Dockerfile, keeping the user's text and
//! comments verbatim wherever it can, and records a [`Change`] for everything it does.
//!
//! [`Split::finish`] checks first what the runtime cannot do (`preflight`), then writes the stages before
//! the target, the builder (`builder`), and the runtime stage (`runtime`) with its user (`user`) and the
//! files it carries from the builder (`carry`); the library gate (`libraries`) ends the builder once the
//! runtime stage has said what it copies; `render` copies the user's text.

mod app;
mod builder;
mod carry;
mod libraries;
pub mod health;
mod preflight;
mod render;
mod runtime;
mod user;

pub use app::AppFiles;
pub use libraries::{check_why, gate, Against, Shape};
pub use render::{json_array, rewrite_in_place, Writer};
pub use runtime::{exact_exec, interpreter_note, Runtime};

use std::ops::Range;

use super::{Ctx, Plan};
use crate::analyze::Eco;
use crate::report::{Change, Finding};
use crate::syntax::{Command, Kind};

/// A file or folder copied from the builder into the runtime stage.
#[derive(Clone, Debug)]
pub struct CopyItem {
    pub from: String,
    pub to: String,
    pub chown: Option<String>,
}

pub struct Split<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub builder_name: String,
    /// The runtime stage's name (`runtime` unless a stage has it).
    pub runtime_name: String,
    /// Replacement for the builder's base image text (a pinned Debian release), with its reason.
    pub builder_image: Option<(String, String)>,
    /// Edits of the builder's instructions: (absolute byte range in the input, replacement).
    pub edits: Vec<(Range<usize>, String)>,
    /// Lines inserted before instruction i of the builder.
    pub insert_before: Vec<(usize, String)>,
    /// Lines appended at the end of the builder.
    pub append: Vec<String>,
    pub copies: Vec<CopyItem>,
    /// Extra ENV lines for the runtime stage (`PATH` of a venv…).
    pub runtime_env: Vec<String>,
    /// The runtime WORKDIR; defaults to the builder's final WORKDIR.
    pub workdir: Option<String>,
    /// Exec-form ENTRYPOINT and CMD replacing the original's (`None`: carry the original).
    pub command: Option<ExecCommand>,
    /// Runtime-only instructions of the original not carried (a strategy replaces them, with a change note).
    pub skip: Vec<Kind>,
    /// Lines written after the COPY lines of the runtime stage (configuration, EXPOSE of a new port).
    pub extra: Vec<String>,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
    /// How the runtime stage gets the app's own files besides the program.
    pub app_files: AppFiles,
    /// The user the strategy's runtime stage runs as when the split does not choose it (.NET's `app`), to
    /// own the app's folders.
    pub app_owner: Option<String>,
    /// The COPY lines of the app's files, written before the runtime stage's WORKDIR.
    app_copies: Vec<CopyItem>,
    /// The builder's lines that gather a compiled app's files.
    gather_lines: Vec<String>,
    layout: app::Layout,
    /// What the library gate holds the copied files against (decided in [`Split::finish`]).
    gate: libraries::GatePlan,
}

/// A runtime stage's exec-form `(ENTRYPOINT, CMD)`; `None` for one the stage does not set.
pub type ExecCommand = (Option<Vec<String>>, Option<Vec<String>>);

impl<'a, 'c> Split<'a, 'c> {
    pub fn new(ctx: &'a Ctx<'c>) -> Self {
        let target = ctx.model.target().expect("complete document");
        let taken: Vec<String> =
            ctx.model.stages.iter().filter_map(|s| s.name.clone()).map(|n| n.to_ascii_lowercase()).collect();
        let builder_name = target.name.clone().unwrap_or_else(|| {
            ["build", "builder", "build-stage"]
                .iter()
                .find(|n| !taken.contains(&(**n).to_owned()))
                .map_or("slimfile-build".to_owned(), |n| (*n).to_owned())
        });
        // The new stage's name must be free too: a target already named `runtime` made a duplicate.
        let runtime_name = ["runtime", "final", "slim-runtime"]
            .iter()
            .find(|n| !taken.contains(&(**n).to_owned()) && !builder_name.eq_ignore_ascii_case(n))
            .map_or("slimfile-runtime".to_owned(), |n| (*n).to_owned());
        Split {
            ctx,
            builder_name,
            runtime_name,
            builder_image: None,
            edits: vec![],
            insert_before: vec![],
            append: vec![],
            copies: vec![],
            runtime_env: vec![],
            workdir: None,
            command: None,
            skip: vec![],
            extra: vec![],
            changes: vec![],
            findings: vec![],
            app_files: AppFiles::Named,
            app_owner: None,
            app_copies: vec![],
            gather_lines: vec![],
            layout: app::Layout::default(),
            gate: libraries::GatePlan::Skip,
        }
    }

    /// The image the builder starts from: the one it is pinned to, or the original stage's.
    pub fn builder_image_name(&self) -> String {
        match &self.builder_image {
            Some((pinned, _)) => pinned.clone(),
            None => self.ctx.target().image.as_ref().map_or_else(String::new, crate::image::display),
        }
    }

    pub fn copy(&mut self, from: impl Into<String>, to: impl Into<String>) {
        let (from, to) = (from.into(), to.into());
        if !self.copies.iter().any(|c| c.from == from && c.to == to) {
            self.copies.push(CopyItem { from, to, chown: None });
        }
    }

    /// The target stage's ENTRYPOINT and CMD as the container runs them: (entrypoint, cmd), each exec
    /// words or a shell-form string.
    pub fn original_command(&self) -> (Option<&'a Command>, Option<&'a Command>) {
        let f = self.ctx.target();
        let doc = self.ctx.doc;
        (f.entrypoint.and_then(|i| doc.instructions[i].command()), f.cmd.and_then(|i| doc.instructions[i].command()))
    }

    /// [`Split::finish`] as the strategy's outcome: converted, or refused with the reasons.
    pub fn into_outcome(self, runtime: Runtime, strategy: &'static str, eco: Option<Eco>) -> super::Outcome {
        match self.finish(runtime, strategy, eco) {
            Ok(plan) => super::Outcome::Converted(plan),
            Err(reasons) => super::refused(eco, reasons),
        }
    }

    /// Writes the Dockerfile. Err: reasons to refuse (the runtime cannot run the command).
    pub fn finish(mut self, runtime: Runtime, strategy: &'static str, eco: Option<Eco>) -> Result<Plan, Vec<String>> {
        let repositories = self.preflight(&runtime)?;
        self.gate = self.plan_gate(&runtime, eco);
        let mut w = Writer::new(self.ctx);
        let mut out = self.stages_before_target(&mut w);
        // The user the final image runs as decides who must own its volumes.
        let user_plan = self.plan_user(&runtime);
        self.own_volumes(&user_plan);
        self.plan_app(&user_plan, &runtime)?;
        let (moved, gate_at) = self.write_builder(&mut out, &mut w);
        let image = self.write_runtime_stage(&mut out, &mut w, &runtime, user_plan, &moved, &repositories)?;
        self.insert_gate(&mut out, gate_at, w.nl);
        self.ask_about_probe(&runtime, eco);
        self.write_trailing(&mut out, &w);
        Ok(Plan {
            strategy,
            ecosystem: eco,
            runtime: runtime.family,
            runtime_image: image,
            output: out,
            changes: self.changes,
            findings: self.findings,
        })
    }
}

impl Split<'_, '_> {
    /// SF310: the runtime keeps a shell and installs the HEALTHCHECK's curl (or wget, nc), and that tool is
    /// all a distroless runtime of the ecosystem would lack: say so, and how to choose distroless instead.
    fn ask_about_probe(&mut self, runtime: &Runtime, eco: Option<Eco>) {
        let ctx = self.ctx;
        let (Some(tool), Some(family)) = (health::probe_tool(ctx), health::distroless_for(eco)) else { return };
        if !runtime.family.has_shell() || !runtime.packages.iter().any(|p| p == tool) || !ctx.analysis.needs.shell.is_empty() {
            return;
        }
        if super::shared::missing_packages(ctx, family) != [tool] {
            return;
        }
        let f = ctx.target();
        self.findings.push(ctx.ask(
            "SF310",
            format!(
                "The HEALTHCHECK runs {tool}, so the final image keeps a shell and installs {tool} (`{}`). To run on {} instead, choose that target (`--target {}` in the CLI, the target menu in the playground, `target` in the JavaScript API): the check is then left out, for the orchestrator's probe to replace it (Kubernetes ignores HEALTHCHECK). A check that runs the app's own interpreter or binary (`node healthcheck.js`) needs no curl, and runs on distroless in exec form.",
                runtime.image,
                family.as_str(),
                family.as_str()
            ),
            f.healthcheck,
        ));
    }
}

/// Instructions that only matter in the final image: they move from the builder to the runtime stage.
const RUNTIME_ONLY: &[Kind] = &[
    Kind::Cmd,
    Kind::Entrypoint,
    Kind::Expose,
    Kind::Healthcheck,
    Kind::Volume,
    Kind::Stopsignal,
    Kind::Label,
    Kind::Maintainer,
    Kind::Onbuild,
];
