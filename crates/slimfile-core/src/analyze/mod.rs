//! Step 3, analyze: for each stage, the ecosystem and build tools, the commands that build, the
//! artifacts they produce, the packages installed (build-only or runtime), and for the target stage what
//! the app needs at run time. Pure reading: never fails, never guesses silently (unknowns stay `None`).
//!
//! [`analyze`] reads each stage (`stage`): it starts from what its base image says (`base`), then reads
//! its instructions, each RUN command by command (`run`: packages, build steps, artifacts); for the target
//! stage it adds what the app needs at run time (`needs`). The results are the types of `facts`.
//! Depends on `syntax`, `model`, `shell`, `image`, `knowledge` and `report`.

mod artifacts;
mod base;
mod facts;
mod made;
mod needs;
mod packages;
mod paths;
mod placed;
mod run;
mod stage;
#[cfg(test)]
mod tests;

pub use base::image_name;
pub use facts::{Analysis, Art, ArtKind, BaseRelease, Distro, Eco, InstallCmd, PkgUse, Placed, ReleaseBasis, StageFacts, Step, STEP_VARS};
pub use made::{made_files, Made};
pub use needs::{final_argv, healthcheck_words, under_init};
pub use packages::unmapped_dev;
pub use paths::{join_path, normalize, under, BUILD_CREDENTIAL_FILES, BUILD_ONLY_PATHS};

use crate::model::Model;
use crate::report::{RuntimeNeeds, StageBase};
use crate::shell::{run_commands, SimpleCommand};
use crate::syntax::{Document, Kind};

/// Whether `c` runs a build: a language's build or package tool (`go`, `npm`, `pip`, `composer`, …, which
/// may call git, ssh or unzip themselves), a compiler or make, or a build tool slimfile does not convert
/// (`bazel build`).
pub fn builds(c: &SimpleCommand) -> bool {
    let prog = c.program();
    run::TOOLS.iter().any(|(p, _, _)| *p == prog) || crate::knowledge::packages::other_builder(prog, c.argv.get(1..).unwrap_or_default()).is_some()
}

pub fn analyze(doc: &Document, model: &Model) -> Analysis {
    // Each RUN's commands, split once: the stages, the findings and the rewrite all read them.
    let commands: Vec<Vec<SimpleCommand>> = doc
        .instructions
        .iter()
        .map(|i| if i.kind == Kind::Run { run_commands(i, doc.escape) } else { Vec::new() })
        .collect();
    let mut stages: Vec<StageFacts> = Vec::with_capacity(model.stages.len());
    let globals = model.global_vars();
    for stage in &model.stages {
        let parent = match &stage.base {
            StageBase::Stage { index } => stages.get(*index),
            _ => None,
        };
        let facts = stage::analyze_stage(doc, &commands, stage, parent, &globals);
        stages.push(facts);
    }
    let needs = match (model.stages.last(), stages.last()) {
        (Some(stage), Some(facts)) => needs::runtime_needs(doc, model, stage, facts, &stages),
        _ => RuntimeNeeds::default(),
    };
    let unmapped_dev = stages.last().map(packages::unmapped_dev).unwrap_or_default();
    Analysis { stages, commands, unmapped_dev, needs }
}
