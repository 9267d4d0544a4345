//! The builder stage: the target stage as `AS build` (its base pinned to the release it resolves to where
//! the runtime needs it: `rewrite::images`), with the strategy's edits and appended lines, minus what only
//! matters at run time. The library gate (`libraries`) closes it.

use std::ops::Range;

use super::{Split, Writer, RUNTIME_ONLY};
use crate::syntax::{Args, Kind};

impl Split<'_, '_> {
    /// Directives, global ARGs and the stages before the target, verbatim.
    pub(super) fn stages_before_target(&self, w: &mut Writer) -> String {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let target = ctx.model.target().expect("complete document");
        let mut out = String::new();
        out.push_str(doc.slice(doc.directives.clone()));
        let first_from = ctx.model.stages.first().map_or(doc.instructions.len(), |s| s.from);
        for i in 0..first_from {
            w.instruction(&mut out, i, &[]);
        }
        for (si, stage) in ctx.model.stages.iter().enumerate() {
            if si == target.index {
                break;
            }
            for i in stage.from..stage.body.end {
                w.instruction(&mut out, i, &[]);
            }
        }
        out
    }

    /// Writes the builder: the target stage minus what only matters at run time. Returns the instructions
    /// that move to the runtime stage, and where the library gate goes (the end of the builder).
    pub(super) fn write_builder(&mut self, out: &mut String, w: &mut Writer) -> (Vec<usize>, usize) {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let target = ctx.model.target().expect("complete document");
        let nl = w.nl;
        let from_i = target.from;
        let mut from_edits: Vec<(Range<usize>, String)> = Vec::new();
        if let Args::From { image_span, alias, .. } = &doc.instructions[from_i].args {
            if let Some((img, why)) = &self.builder_image {
                from_edits.push((image_span.clone(), img.clone()));
                self.changes.push(ctx.change(
                    "pin-builder-release",
                    format!("The builder is pinned to `{img}`: {why}"),
                    Some(from_i),
                ));
            }
            if alias.is_none() {
                let end = doc.instructions[from_i].span.end;
                from_edits.push((end..end, format!(" AS {}", self.builder_name)));
            }
        }
        self.changes.push(ctx.change(
            "add-builder-stage",
            format!(
                "The original stage is now the builder `{}`: the tools, caches and downloads the build adds stay \
                 there, and the final image gets only what the runtime stage copies from it.",
                self.builder_name
            ),
            Some(from_i),
        ));
        w.instruction(out, from_i, &from_edits);
        let body: Vec<usize> = target.body.clone().collect();
        let last_run = body.iter().rev().find(|&&i| doc.instructions[i].kind == Kind::Run).copied();
        let mut moved: Vec<usize> = Vec::new();
        for &i in &body {
            for (_, line) in self.insert_before.iter().filter(|(at, _)| *at == i) {
                out.push_str(line);
                out.push_str(nl);
            }
            let inst = &doc.instructions[i];
            let is_runtime_only = RUNTIME_ONLY.contains(&inst.kind);
            let trailing_user = inst.kind == Kind::User && last_run.is_none_or(|r| r < i);
            if is_runtime_only || trailing_user {
                moved.push(i);
                continue;
            }
            w.instruction(out, i, &self.edits);
        }
        // The carry gathering runs after the build steps; the library gate, inserted at `gate_at`, comes last.
        let gather = std::mem::take(&mut self.gather_lines);
        self.append.extend(gather);
        for line in &self.append {
            out.push_str(line);
            out.push_str(nl);
        }
        let gate_at = out.len();
        out.push_str(nl);
        (moved, gate_at)
    }
}
