//! The stage graph as the SVG draws it: boxes in columns (a stage sits right of every stage it depends
//! on), edges between them. Built from the engine's data only: the Report's `stages`/`edges` for the
//! original file, and the engine's own model (`slimfile_core::model::build`) of the rewritten file,
//! because the Report describes the stages of the input only.

use slimfile_core::report::{Edge, ExternalRef, Report, StageBase};

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The stage index, or `None` for an external image (`COPY --from=nginx:1.25`).
    pub stage: Option<usize>,
    pub title: String,
    pub base: String,
    /// 1-based line of its FROM (in the file the graph is of).
    pub line: Option<u32>,
    pub used: bool,
    pub target: bool,
    pub column: usize,
    pub row: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    /// `FROM`, `COPY --from`, `mount`, or several joined with ", ".
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    pub columns: usize,
    pub rows: usize,
}

fn base_label(base: &StageBase, names: &[String]) -> String {
    match base {
        StageBase::Scratch => "scratch".to_owned(),
        StageBase::Stage { index } => format!("FROM {}", names.get(*index).cloned().unwrap_or_default()),
        StageBase::Image { image } => image.raw.clone(),
    }
}

fn edge_label(kind: &str) -> &str {
    match kind {
        "from" => "FROM",
        "copy" => "COPY --from",
        "mount" => "RUN --mount",
        other => other,
    }
}

struct StageIn {
    name: Option<String>,
    base: StageBase,
    line: Option<u32>,
    used: bool,
}

fn build(stages: Vec<StageIn>, edges: &[Edge], externals: &[ExternalRef]) -> Graph {
    let n = stages.len();
    let names: Vec<String> =
        stages.iter().enumerate().map(|(i, s)| s.name.clone().unwrap_or_else(|| format!("stage {i}"))).collect();
    let mut nodes: Vec<Node> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| Node {
            stage: Some(i),
            title: names[i].clone(),
            base: base_label(&s.base, &names),
            line: s.line,
            used: s.used,
            target: i + 1 == n,
            column: 0,
            row: 0,
        })
        .collect();
    let mut links: Vec<Link> = Vec::new();
    let add_link = |links: &mut Vec<Link>, from: usize, to: usize, label: &str| match links
        .iter_mut()
        .find(|l| l.from == from && l.to == to)
    {
        Some(l) if !l.label.split(", ").any(|x| x == label) => {
            l.label.push_str(", ");
            l.label.push_str(label);
        }
        Some(_) => {}
        None => links.push(Link { from, to, label: label.to_owned() }),
    };
    for e in edges {
        if e.from < n && e.to < n {
            add_link(&mut links, e.from, e.to, edge_label(&e.kind));
        }
    }
    for x in externals {
        if x.to >= n {
            continue;
        }
        let idx = match nodes.iter().position(|nd| nd.stage.is_none() && nd.title == x.image) {
            Some(i) => i,
            None => {
                nodes.push(Node {
                    stage: None,
                    title: x.image.clone(),
                    base: "external image".to_owned(),
                    line: Some(x.span.line),
                    used: nodes[x.to].used,
                    target: false,
                    column: 0,
                    row: 0,
                });
                nodes.len() - 1
            }
        };
        add_link(&mut links, idx, x.to, edge_label(&x.kind));
    }
    // Columns: longest path from a source. Stages only depend on earlier ones, and external nodes have
    // no inputs, so one pass in stage order settles every stage (externals sit in column 0).
    for to in 0..n {
        let col = links.iter().filter(|l| l.to == to).map(|l| nodes[l.from].column + 1).max().unwrap_or(0);
        nodes[to].column = col;
    }
    // Externals: one column left of the stage they feed, when that is free of conflicts.
    for i in n..nodes.len() {
        let feeds = links.iter().filter(|l| l.from == i).map(|l| nodes[l.to].column).min().unwrap_or(1);
        nodes[i].column = feeds.saturating_sub(1);
    }
    let columns = nodes.iter().map(|nd| nd.column + 1).max().unwrap_or(0);
    let mut per_column = vec![0usize; columns];
    for nd in nodes.iter_mut() {
        nd.row = per_column[nd.column];
        per_column[nd.column] += 1;
    }
    let rows = per_column.iter().copied().max().unwrap_or(0);
    Graph { nodes, links, columns, rows }
}

/// The graph of the original file, from the Report.
pub fn of_input(report: &Report) -> Graph {
    let stages = report
        .stages
        .iter()
        .map(|s| StageIn { name: s.name.clone(), base: s.base.clone(), line: Some(s.span.line), used: s.used })
        .collect();
    build(stages, &report.edges, &report.external_refs)
}

/// The graph of the rewritten file, from the engine's model of it.
pub fn of_output(output: &str) -> Graph {
    let doc = slimfile_core::syntax::parse(output);
    let model = slimfile_core::model::build(&doc);
    let stages = model
        .stages
        .iter()
        .map(|s| StageIn {
            name: s.name.clone(),
            base: s.base.clone(),
            line: doc.instructions.get(s.from).map(|i| doc.lines.line(i.span.start)),
            used: model.used.get(s.index).copied().unwrap_or(true),
        })
        .collect();
    build(stages, &model.edges, &model.external_refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classic_rewrite_has_a_builder_and_a_runtime() {
        let input = include_str!("examples/01-go-ubuntu.Dockerfile");
        let report = slimfile_core::convert(input, &Default::default());
        let g = of_output(report.output.as_deref().unwrap());
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.nodes[0].title, "build");
        assert_eq!(g.nodes[0].base, "ubuntu");
        assert!(g.nodes[1].target && g.nodes[1].base.contains("distroless"));
        assert_eq!(g.links, [Link { from: 0, to: 1, label: "COPY --from".into() }]);
        assert_eq!((g.columns, g.rows), (2, 1));
        let orig = of_input(&report);
        assert_eq!(orig.nodes.len(), 1);
        assert_eq!(orig.nodes[0].line, Some(1));
    }

    #[test]
    fn unused_stages_and_external_images() {
        let input = include_str!("examples/09-multi-stage-java.Dockerfile");
        let report = slimfile_core::convert(input, &Default::default());
        let g = of_input(&report);
        let dev = g.nodes.iter().find(|nd| nd.title == "dev-envs").unwrap();
        assert!(!dev.used);
        assert_eq!(dev.base, "FROM build");
        let ext = g.nodes.iter().find(|nd| nd.stage.is_none()).unwrap();
        assert_eq!(ext.title, "gloursdocker/docker");
        assert!(g.links.iter().any(|l| l.label == "FROM"));
        assert!(g.nodes.iter().filter(|nd| nd.target).count() == 1);
    }
}
