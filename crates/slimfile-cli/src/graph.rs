//! `slimfile graph`: the stage graph of the report as mermaid, dot or json.
//!
//! Nodes are stages (`s0`, `s1`, …; the target and unused stages marked) and the images they start from or
//! copy from (`i0`, …). Edges point from what is needed to what needs it, labelled `FROM`, `COPY --from` or
//! `mount` (`RUN --mount=from=`).

use std::process::ExitCode;

use serde::Serialize;
use slimfile_core::{convert, Options, Report, Severity, StageBase};

use crate::args::{GraphArgs, GraphFormat};
use crate::files;
use crate::output::print;

/// Prints the graph of one file; syntax errors on stderr (exit 1).
pub fn run(a: &GraphArgs) -> Result<ExitCode, String> {
    let inputs = files::expand(std::slice::from_ref(&a.file), files::Ignore::Default)?;
    if inputs.len() != 1 {
        return Err(format!("graph reads one file; '{}' matches {}", a.file, inputs.len()));
    }
    let (name, text) = files::read(&inputs[0])?;
    let report = convert(&text, &Options::default());
    let g = build(&report);
    print(&match a.format {
        GraphFormat::Mermaid => mermaid(&g),
        GraphFormat::Dot => dot(&g),
        GraphFormat::Json => format!("{}\n", serde_json::to_string_pretty(&g).map_err(|e| e.to_string())?),
    })?;
    let mut broken = false;
    for d in &report.diagnostics {
        let at = d.span.as_ref().map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
        eprintln!("{name}{at}: {}", d.message);
        broken |= d.severity == Severity::Error;
    }
    Ok(if broken { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[derive(Debug, Serialize)]
pub struct Graph {
    pub stages: Vec<Stage>,
    pub images: Vec<Image>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Serialize)]
pub struct Stage {
    pub id: String,
    pub index: usize,
    pub name: Option<String>,
    pub label: String,
    /// The line of its FROM.
    pub line: u32,
    pub target: bool,
    pub used: bool,
}

#[derive(Debug, Serialize)]
pub struct Image {
    pub id: String,
    /// As resolved (global ARG defaults substituted); `scratch` for `FROM scratch`.
    pub image: String,
}

#[derive(Debug, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `from`, `copy` or `mount`.
    pub kind: String,
    pub label: &'static str,
    pub line: u32,
}

fn label_of(kind: &str) -> &'static str {
    match kind {
        "from" => "FROM",
        "copy" => "COPY --from",
        "mount" => "mount",
        _ => "uses",
    }
}

pub fn build(r: &Report) -> Graph {
    let mut images: Vec<Image> = Vec::new();
    let image_id = |name: &str, images: &mut Vec<Image>| -> String {
        if let Some(i) = images.iter().find(|i| i.image == name) {
            return i.id.clone();
        }
        let id = format!("i{}", images.len());
        images.push(Image { id: id.clone(), image: name.to_owned() });
        id
    };
    let mut edges = Vec::new();
    let stages = r
        .stages
        .iter()
        .map(|s| {
            let mut label = s.name.clone().unwrap_or_else(|| format!("stage {}", s.index));
            if s.target {
                label.push_str(" (target)");
            } else if !s.used {
                label.push_str(" (unused)");
            }
            Stage { id: format!("s{}", s.index), index: s.index, name: s.name.clone(), label, line: s.span.line, target: s.target, used: s.used }
        })
        .collect::<Vec<_>>();
    for s in &r.stages {
        let image = match &s.base {
            StageBase::Image { image } => Some(image.resolved.clone()),
            StageBase::Scratch => Some("scratch".to_owned()),
            StageBase::Stage { .. } => None,
        };
        if let Some(img) = image {
            let from = image_id(&img, &mut images);
            edges.push(Edge { from, to: format!("s{}", s.index), kind: "from".into(), label: "FROM", line: s.span.line });
        }
    }
    for e in &r.edges {
        edges.push(Edge {
            from: format!("s{}", e.from),
            to: format!("s{}", e.to),
            kind: e.kind.clone(),
            label: label_of(&e.kind),
            line: e.span.line,
        });
    }
    for x in &r.external_refs {
        let from = image_id(&x.image, &mut images);
        edges.push(Edge { from, to: format!("s{}", x.to), kind: x.kind.clone(), label: label_of(&x.kind), line: x.span.line });
    }
    edges.sort_by(|a, b| (a.line, &a.to, &a.from).cmp(&(b.line, &b.to, &b.from)));
    edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
    Graph { stages, images, edges }
}

/// A label inside `["…"]`. Stage names and image references have no quotes in a valid Dockerfile; a stray
/// one becomes `'` (mermaid 11 renders the `#quot;` entity inside quoted labels as garbage).
fn mermaid_text(s: &str) -> String {
    s.replace('"', "'")
}

pub fn mermaid(g: &Graph) -> String {
    let mut s = String::from("flowchart LR\n");
    for i in &g.images {
        s.push_str(&format!("  {}([\"{}\"])\n", i.id, mermaid_text(&i.image)));
    }
    for st in &g.stages {
        s.push_str(&format!("  {}[\"{}\"]\n", st.id, mermaid_text(&st.label)));
    }
    for e in &g.edges {
        let arrow = if e.kind == "from" { "-->" } else { "-.->" };
        s.push_str(&format!("  {} {arrow}|\"{}\"| {}\n", e.from, e.label, e.to));
    }
    s.push_str("  classDef image fill:#eef3ff,stroke:#7a8cc0\n");
    s.push_str("  classDef target stroke-width:3px\n");
    s.push_str("  classDef unused stroke-dasharray:5 5,color:#888\n");
    let ids = |f: &dyn Fn(&Stage) -> bool| g.stages.iter().filter(|s| f(s)).map(|s| s.id.as_str()).collect::<Vec<_>>().join(",");
    if !g.images.is_empty() {
        s.push_str(&format!("  class {} image\n", g.images.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(",")));
    }
    let target = ids(&|s| s.target);
    if !target.is_empty() {
        s.push_str(&format!("  class {target} target\n"));
    }
    let unused = ids(&|s| !s.used);
    if !unused.is_empty() {
        s.push_str(&format!("  class {unused} unused\n"));
    }
    s
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn dot(g: &Graph) -> String {
    let mut s = String::from("digraph dockerfile {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for i in &g.images {
        s.push_str(&format!(
            "  {} [label=\"{}\", style=\"rounded,filled\", fillcolor=\"#eef3ff\", color=\"#7a8cc0\"];\n",
            i.id,
            dot_text(&i.image)
        ));
    }
    for st in &g.stages {
        let style = if st.target {
            ", penwidth=3"
        } else if !st.used {
            ", style=dashed, fontcolor=gray45"
        } else {
            ""
        };
        s.push_str(&format!("  {} [label=\"{}\"{style}];\n", st.id, dot_text(&st.label)));
    }
    for e in &g.edges {
        let style = if e.kind == "from" { "" } else { ", style=dashed" };
        s.push_str(&format!("  {} -> {} [label=\"{}\"{style}];\n", e.from, e.to, e.label));
    }
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_for_each_format() {
        assert_eq!(mermaid_text("a\"b"), "a'b");
        assert_eq!(dot_text("a\"b\\c"), "a\\\"b\\\\c");
        let r = slimfile_core::convert("FROM scratch AS base\nFROM base\n", &slimfile_core::Options::default());
        let g = build(&r);
        assert_eq!(g.images[0].image, "scratch");
        assert_eq!(g.stages[1].label, "stage 1 (target)");
        let m = mermaid(&g);
        assert!(m.starts_with("flowchart LR\n") && m.contains("s0 -->|\"FROM\"| s1"), "{m}");
    }
}
