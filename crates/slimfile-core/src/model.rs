//! Step 2, model: stages, ARG scope, base image references, the stage graph, the target stage and
//! which stages it needs.

use std::collections::HashMap;
use std::ops::Range;

use crate::image::parse_ref;
use crate::report::{Diagnostic, Edge, ExternalRef, Severity, StageBase};
use crate::shell::{expand, key_values};
use crate::syntax::{Args, Document, Kind};

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    pub name: Option<String>,
    /// Index of the FROM instruction in `doc.instructions`.
    pub from: usize,
    /// Indices of the stage's instructions after FROM.
    pub body: Range<usize>,
    pub base: StageBase,
    /// `--platform` of the FROM line, if any.
    pub platform: Option<String>,
}

impl Stage {
    /// The name to refer to this stage by in `COPY --from=`.
    pub fn reference(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.index.to_string())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Model {
    /// ARGs declared before the first FROM, with their defaults (`None`: no default).
    pub global_args: Vec<(String, Option<String>, usize)>,
    pub stages: Vec<Stage>,
    pub edges: Vec<Edge>,
    pub external_refs: Vec<ExternalRef>,
    /// `used[i]`: the target (last) stage depends on stage i (or is i).
    pub used: Vec<bool>,
    /// The FROM instruction where reading stopped at [`MAX_INHERITED`]; its stage and those after it are
    /// not in `stages`.
    pub stopped_at: Option<usize>,
    /// Stage names, lower-cased, to the first stage of that name: `stage_ref` is called for every FROM and
    /// `--from=`, and a scan of the stages each time would be quadratic (bench `copy_from_stages`).
    names: HashMap<String, usize>,
}

/// A stage built `FROM` another knows everything that stage knows: the analysis copies it. Counted in
/// instructions over all stages, more than this is not read (thousands of stages each `FROM` the last
/// would otherwise cost time and memory quadratic in the file's length).
pub const MAX_INHERITED: usize = 100_000;

impl Model {
    pub fn target(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Global ARG defaults, as FROM lines see them.
    pub fn global_vars(&self) -> HashMap<String, String> {
        self.global_args.iter().filter_map(|(k, v, _)| v.clone().map(|v| (k.clone(), v))).collect()
    }

    /// The stage a `--from=`/`FROM` word refers to: a name (case-insensitive) or an index.
    pub fn stage_ref(&self, word: &str, before: usize) -> Option<usize> {
        let before = before.min(self.stages.len());
        if let Some(&i) = self.names.get(&word.to_ascii_lowercase()).filter(|&&i| i < before) {
            return Some(i);
        }
        word.parse::<usize>().ok().filter(|&i| i < before)
    }

    /// The diagnostic for [`Model::stopped_at`].
    pub fn limit_diagnostic(&self, doc: &Document) -> Option<Diagnostic> {
        let i = self.stopped_at?;
        Some(Diagnostic {
            severity: Severity::Error,
            message: format!(
                "the stages built FROM earlier stages inherit more than {MAX_INHERITED} instructions in all; slimfile stops reading here"
            ),
            span: Some(doc.span(doc.instructions[i].span.clone())),
        })
    }

    /// Stages that depend on `index` (directly).
    pub fn dependents(&self, index: usize) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.from == index)
    }
}

/// The key=value options of a `--mount=` flag.
pub fn mount_options(value: &str) -> Vec<(String, String)> {
    value
        .split(',')
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_owned()),
            None => (kv.trim().to_ascii_lowercase(), String::new()),
        })
        .collect()
}

pub fn build(doc: &Document) -> Model {
    let mut m = Model::default();
    let insts = &doc.instructions;
    let mut i = 0;
    while i < insts.len() && insts[i].kind != Kind::From {
        if insts[i].kind == Kind::Arg {
            for (k, v) in key_values(insts[i].arg_text()) {
                m.global_args.push((k, v, i));
            }
        }
        i += 1;
    }
    let vars = m.global_vars();
    let from_indices: Vec<usize> = (i..insts.len()).filter(|&j| insts[j].kind == Kind::From).collect();
    // Instructions each stage knows (its own and its parent's), and how many all stages inherit.
    let mut known: Vec<usize> = Vec::new();
    let mut inherited = 0usize;
    for (si, &fi) in from_indices.iter().enumerate() {
        let end = from_indices.get(si + 1).copied().unwrap_or(insts.len());
        let Args::From { image, alias, .. } = &insts[fi].args else { continue };
        let e = expand(image, &vars);
        let stage_idx = m.stages.len();
        let base = if e.text.eq_ignore_ascii_case("scratch") {
            StageBase::Scratch
        } else if let Some(prev) = m.stage_ref(&e.text, stage_idx).filter(|_| !e.text.chars().all(|c| c.is_ascii_digit())) {
            m.edges.push(Edge { from: prev, to: stage_idx, kind: "from".into(), span: doc.span(insts[fi].span.clone()) });
            StageBase::Stage { index: prev }
        } else {
            StageBase::Image { image: parse_ref(image, &e.text, !e.unresolved.is_empty()) }
        };
        let parent_known = match base {
            StageBase::Stage { index } => known[index],
            _ => 0,
        };
        inherited += parent_known;
        if inherited > MAX_INHERITED {
            if matches!(base, StageBase::Stage { .. }) {
                m.edges.pop();
            }
            m.stopped_at = Some(fi);
            break;
        }
        known.push(parent_known + (end - fi));
        if let Some(name) = alias {
            m.names.entry(name.to_ascii_lowercase()).or_insert(stage_idx);
        }
        m.stages.push(Stage {
            index: stage_idx,
            name: alias.clone(),
            from: fi,
            body: fi + 1..end,
            base,
            platform: insts[fi].flag_value("platform").map(str::to_owned),
        });
        edges_of_body(&mut m, doc, fi + 1..end, &vars);
    }
    mark_used(&mut m);
    m
}

/// The edges (`COPY --from`, `RUN --mount=from=`) and external references of the body of the stage being
/// added (the last of `m.stages`).
fn edges_of_body(m: &mut Model, doc: &Document, body: Range<usize>, vars: &HashMap<String, String>) {
    let stage_idx = m.stages.len() - 1;
    for inst in &doc.instructions[body] {
        let mut refs: Vec<(String, &str)> = Vec::new();
        if matches!(inst.kind, Kind::Copy | Kind::Add) {
            if let Some(f) = inst.flag_value("from") {
                refs.push((f.to_owned(), "copy"));
            }
        }
        if inst.kind == Kind::Run {
            for f in inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")) {
                if let Some(v) = &f.value {
                    if let Some((_, from)) = mount_options(v).into_iter().find(|(k, _)| k == "from") {
                        refs.push((from, "mount"));
                    }
                }
            }
        }
        for (word, kind) in refs {
            let word = expand(&word, vars).text;
            match m.stage_ref(&word, stage_idx) {
                Some(from) => m.edges.push(Edge { from, to: stage_idx, kind: kind.into(), span: doc.span(inst.span.clone()) }),
                None => m.external_refs.push(ExternalRef {
                    image: word,
                    to: stage_idx,
                    kind: kind.into(),
                    span: doc.span(inst.span.clone()),
                }),
            }
        }
    }
}

/// Stages the target needs: reverse reachability over the edges.
fn mark_used(m: &mut Model) {
    m.used = vec![false; m.stages.len()];
    if let Some(t) = m.stages.len().checked_sub(1) {
        let mut into: Vec<Vec<usize>> = vec![Vec::new(); m.stages.len()];
        for e in &m.edges {
            if let Some(v) = into.get_mut(e.to) {
                v.push(e.from);
            }
        }
        let mut stack = vec![t];
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut m.used[s], true) {
                continue;
            }
            stack.extend(&into[s]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn stages_graph_and_args() {
        let doc = parse(
            "ARG GO=1.22\nARG BASE\nFROM golang:${GO}-alpine AS build\nRUN --mount=type=cache,target=/root/.cache,from=cache true\nFROM alpine AS unused\nFROM build AS test\nFROM ${BASE:-scratch}\nCOPY --from=build /app /app\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\nCOPY --from=0 /x /x\n",
        );
        let m = build(&doc);
        assert_eq!(m.stages.len(), 4);
        let StageBase::Image { image } = &m.stages[0].base else { panic!() };
        assert_eq!(image.resolved, "golang:1.22-alpine");
        assert_eq!(image.tag.as_deref(), Some("1.22-alpine"));
        assert!(matches!(m.stages[2].base, StageBase::Stage { index: 0 }));
        assert!(matches!(m.stages[3].base, StageBase::Scratch));
        let edges: Vec<_> = m.edges.iter().map(|e| (e.from, e.to, e.kind.as_str())).collect();
        assert_eq!(edges, [(0, 2, "from"), (0, 3, "copy"), (0, 3, "copy")]);
        let ext: Vec<_> = m.external_refs.iter().map(|e| (e.image.as_str(), e.kind.as_str())).collect();
        assert_eq!(ext, [("cache", "mount"), ("nginx:1.25", "copy")]);
        assert_eq!(m.used, [true, false, false, true]);
        assert_eq!(m.stopped_at, None);
    }

    #[test]
    fn inheritance_is_bounded() {
        // 600 stages of 16 instructions, each FROM the one before: stage i inherits 16 * i instructions.
        let mut text = String::from("FROM alpine AS s0\n");
        for i in 1..600 {
            text.push_str(&format!("FROM s{} AS s{i}\n", i - 1));
            for _ in 0..15 {
                text.push_str("ENV A=1\n");
            }
        }
        let doc = parse(&text);
        assert!(doc.complete);
        let m = build(&doc);
        let stop = m.stopped_at.expect("stopped");
        assert!(m.stages.len() < 600);
        assert_eq!(doc.instructions[stop].kind, Kind::From);
        assert_eq!(m.edges.len(), m.stages.len() - 1, "no edge to a stage that was not read");
        assert!(m.limit_diagnostic(&doc).unwrap().message.contains("stops reading"));
    }
}
