//! The builder stage: the target stage as `AS build` (its base pinned to a Debian release where the runtime
//! needs it), with the strategy's edits and appended lines, minus what only matters at run time. The
//! library gate (`libraries`) closes it.

use std::ops::Range;

use super::{Runtime, Split, Writer, RUNTIME_ONLY};
use crate::analyze::Distro;
use crate::knowledge::runtimes;
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

    /// Pins the builder to a Debian release so builder and runtime agree on glibc (and Python's ABI).
    /// Returns the distroless release (`debian12`) to use. Ubuntu or unknown builders give `None`.
    pub fn pin_debian_release(&mut self) -> Option<&'static str> {
        let f = self.ctx.target();
        match &f.distro {
            Distro::Debian { codename: Some(c) } => runtimes::distroless_release(c),
            Distro::Debian { codename: None } => {
                let img = f.image.as_ref()?;
                let def = &runtimes::DEFAULT_RELEASE;
                let codename = def.codename;
                let release = runtimes::distroless_release(codename)?;
                // Only the official images whose tags take a `-<codename>` suffix are pinned.
                if !matches!(
                    img.repository.as_str(),
                    "library/golang" | "library/rust" | "library/node" | "library/python" | "library/ruby"
                        | "library/buildpack-deps" | "library/debian"
                ) || img.digest.is_some()
                    || img.unresolved
                {
                    return None;
                }
                let tag = img.tag.clone().unwrap_or_default();
                let new_tag = if img.repository == "library/debian" {
                    if tag.is_empty() || tag == "latest" { codename.to_owned() } else { return None }
                } else if tag.is_empty() || tag == "latest" {
                    codename.to_owned()
                } else if let Some(rest) = tag.strip_suffix("-slim") {
                    // node names the release before `-slim`; python, ruby and rust after it.
                    if img.repository == "library/node" {
                        format!("{rest}-{codename}-slim")
                    } else {
                        format!("{rest}-slim-{codename}")
                    }
                } else if tag.contains('-') {
                    return None;
                } else {
                    format!("{tag}-{codename}")
                };
                let new = if img.raw.contains('$') {
                    // `golang:${GO_VERSION}`: keep the ARG, so `--build-arg GO_VERSION=…` still works, and add
                    // the release after it. Only a plain `name:${VAR}` reference can take a suffix.
                    let (name, raw_tag) = img.raw.rsplit_once(':')?;
                    if name.contains('$') || tag.is_empty() || tag.contains('-') || !raw_tag.ends_with('}') && !raw_tag.starts_with('$') {
                        return None;
                    }
                    format!("{name}:{raw_tag}-{codename}")
                } else {
                    let name = img.repository.strip_prefix("library/").unwrap_or(&img.repository);
                    format!("{name}:{new_tag}")
                };
                self.builder_image = Some((new, def.why.to_owned()));
                Some(release)
            }
            _ => None,
        }
    }

    /// Writes the builder: the target stage minus what only matters at run time. Returns the instructions
    /// that move to the runtime stage, and where the library gate goes (the end of the builder).
    pub(super) fn write_builder(&mut self, out: &mut String, w: &mut Writer, runtime: &Runtime) -> (Vec<usize>, usize) {
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
                    format!("The builder is pinned to `{img}` so that it and `{}` share one Debian release: {why}", runtime.image),
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
                "The original stage is now the builder `{}`: it keeps the compilers, package managers and sources, \
                 and none of them reach the final image.",
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
        for line in &self.append {
            out.push_str(line);
            out.push_str(nl);
        }
        let gate_at = out.len();
        out.push_str(nl);
        (moved, gate_at)
    }
}
