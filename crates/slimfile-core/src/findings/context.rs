//! What every rule reads: the document, the model, each stage's scope (final image, builder, unused), the
//! shell commands of each RUN, and a few questions rules share.

use super::registry::Meta;
use crate::model::{mount_options, Model};
use crate::report::{ImageRef, Severity, StageBase};
use crate::shell::{key_values, SimpleCommand};
use crate::syntax::{Args, Document, Instruction, Kind};


/// A finding before suppression: `inst` indexes `doc.instructions`.
#[derive(Clone, Debug)]
pub struct Hit {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub inst: usize,
    pub stage: Option<usize>,
}

/// Where a stage's files end up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The target, or a stage the target is built `FROM`: in the final image.
    Final,
    /// Needed by the target (`COPY --from`, `RUN --mount=from=`) but not inherited.
    Builder,
    /// Not needed by the target: BuildKit skips it.
    Unused,
}

/// What every rule reads: the document, the model, each stage's scope, and the shell commands of each RUN.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub model: &'a Model,
    pub scope: Vec<Scope>,
    /// The final image's stages, from the root of the `FROM` chain to the target.
    pub chain: Vec<usize>,
    /// Per instruction: the simple commands of a RUN (empty for other instructions), as the analysis read
    /// them: wrappers (`sudo`, `env`, `nice`, …) removed, `sudo apt-get install` → `apt-get install`.
    cmds: &'a [Vec<SimpleCommand>],
    /// Packages of the final image's stages that the data calls build-only and the analysis showed the
    /// image runs (its command or health check runs one, an interpreted app's git checkout keeps git).
    pub kept_at_run_time: Vec<String>,
    /// Per package of the final image's stages: the runtime packages of a header package for the stage's
    /// release, and whether the data has none for that release (`PkgUse::runtime`, `runtime_unknown`).
    pub release_runtime: Vec<(String, Vec<String>, bool)>,
    /// The project's files, when the conversion has a build context (SF107 reads it).
    pub project: Option<&'a crate::context::Project<'a>>,
    /// The day support windows are judged on (`YYYY-MM-DD`).
    pub on: &'a str,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document, model: &'a Model, analysis: &'a crate::analyze::Analysis, on: &'a str) -> Ctx<'a> {
        let n = model.stages.len();
        let mut chain = Vec::new();
        if let Some(mut s) = n.checked_sub(1) {
            loop {
                chain.push(s);
                match model.stages[s].base {
                    StageBase::Stage { index } if index < s && !chain.contains(&index) => s = index,
                    _ => break,
                }
            }
            chain.reverse();
        }
        let scope = (0..n)
            .map(|i| {
                if chain.contains(&i) {
                    Scope::Final
                } else if model.used.get(i).copied().unwrap_or(true) {
                    Scope::Builder
                } else {
                    Scope::Unused
                }
            })
            .collect();
        let kept_at_run_time = chain
            .iter()
            .filter_map(|&s| analysis.stages.get(s))
            .flat_map(|f| &f.packages)
            .filter(|p| p.role == crate::knowledge::packages::Role::Runtime && crate::knowledge::packages::lookup(p.manager, &p.name).0 == crate::knowledge::packages::Role::Build)
            .map(|p| p.name.clone())
            .collect();
        let release_runtime = chain
            .iter()
            .filter_map(|&s| analysis.stages.get(s))
            .flat_map(|f| &f.packages)
            .map(|p| (p.name.clone(), p.runtime.clone(), p.runtime_unknown))
            .collect();
        Ctx { doc, model, scope, chain, cmds: analysis.commands.as_slice(), kept_at_run_time, release_runtime, project: None, on }
    }

    pub fn scope(&self, stage: usize) -> Scope {
        self.scope.get(stage).copied().unwrap_or(Scope::Unused)
    }

    /// `(stage, instruction index, instruction)` for the body of every stage whose scope passes `keep`.
    pub fn instructions(&self, keep: fn(Scope) -> bool) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        let doc = self.doc;
        self.model.stages.iter().filter(move |s| keep(self.scope(s.index))).flat_map(move |s| {
            s.body.clone().filter_map(move |i| doc.instructions.get(i).map(|inst| (s.index, i, inst)))
        })
    }

    /// Instructions of the final image's stages.
    pub fn final_instructions(&self) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        self.instructions(|s| s == Scope::Final)
    }

    /// Instructions of every stage the target needs.
    pub fn used_instructions(&self) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        self.instructions(|s| s != Scope::Unused)
    }

    /// The final image's instructions in the order the build applies them (root of the chain first).
    pub fn chain_instructions(&self) -> impl Iterator<Item = (usize, usize, &'a Instruction)> + '_ {
        let doc = self.doc;
        self.chain.iter().flat_map(move |&s| {
            self.model.stages[s].body.clone().filter_map(move |i| doc.instructions.get(i).map(|inst| (s, i, inst)))
        })
    }

    /// The simple commands of RUN instruction `i`, wrappers (`sudo`, `env`, `nice`) removed.
    pub fn commands(&self, i: usize) -> &[SimpleCommand] {
        self.cmds.get(i).map_or(&[], Vec::as_slice)
    }

    /// Whether `inst` has a `--mount=type=cache` or `type=tmpfs` whose target passes `target`.
    pub fn cache_mount(&self, inst: &Instruction, target: impl Fn(&str) -> bool) -> bool {
        inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")).any(|f| {
            let opts = mount_options(f.value.as_deref().unwrap_or(""));
            let ty = opts.iter().find(|(k, _)| k == "type").map_or("bind", |(_, v)| v.as_str());
            (ty == "cache" || ty == "tmpfs")
                && opts.iter().any(|(k, v)| {
                    matches!(k.as_str(), "target" | "dst" | "destination") && target(v.trim_end_matches('/'))
                })
        })
    }

    /// The value `name` has for instruction `inst` of `stage` from ENV (or ARG defaults) before it, in the
    /// stage or the stages it is built FROM.
    pub fn env_before(&self, stage: usize, inst: usize, name: &str) -> Option<String> {
        let mut s = stage;
        let mut end = inst;
        let mut guard = 0;
        loop {
            let st = self.model.stages.get(s)?;
            for i in (st.body.start..end.min(st.body.end)).rev() {
                let ins = &self.doc.instructions[i];
                if matches!(ins.kind, Kind::Env | Kind::Arg) {
                    if let Some((_, v)) = key_values(ins.arg_text()).into_iter().rev().find(|(k, _)| k == name) {
                        if ins.kind == Kind::Env || v.is_some() {
                            return Some(v.unwrap_or_default());
                        }
                    }
                }
            }
            match st.base {
                StageBase::Stage { index } if index < s && guard < 64 => {
                    s = index;
                    end = usize::MAX;
                    guard += 1;
                }
                _ => return None,
            }
        }
    }

    /// How messages name a stage: its name, else its index.
    pub fn stage_label(&self, stage: usize) -> String {
        match self.model.stages.get(stage).and_then(|s| s.name.as_deref()) {
            Some(n) => format!("stage `{n}`"),
            None => format!("stage {stage}"),
        }
    }

    /// The 1-based line of instruction `i`.
    pub fn line(&self, i: usize) -> u32 {
        self.doc.instructions.get(i).map_or(0, |inst| self.doc.lines.line(inst.span.start))
    }

    pub fn hit(&self, meta: &Meta, severity: Severity, inst: usize, stage: Option<usize>, message: String) -> Hit {
        Hit { rule: meta.id, severity, message, inst, stage }
    }
}


/// The base image of a stage's `FROM` (None for scratch and `FROM <stage>`).
pub fn stage_image(model: &Model, stage: usize) -> Option<&ImageRef> {
    match &model.stages.get(stage)?.base {
        StageBase::Image { image } => Some(image),
        _ => None,
    }
}

/// The FROM instruction's image text as written.
pub fn from_text(doc: &Document, model: &Model, stage: usize) -> String {
    model
        .stages
        .get(stage)
        .and_then(|s| doc.instructions.get(s.from))
        .map(|i| match &i.args {
            Args::From { image, .. } => image.clone(),
            _ => String::new(),
        })
        .unwrap_or_default()
}
