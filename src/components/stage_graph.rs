//! The stage graph, drawn as SVG by us: stages as boxes in dependency columns, edges labelled FROM,
//! COPY --from or RUN --mount, unused stages greyed, the final (target) stage marked. Of the rewritten
//! file by default, or of the original.

use slimfile_core::report::{Report, Status};
use yew::prelude::*;

use crate::graph::{self, Graph, Node};
use crate::state::{Action, GraphOf, Ptr};
use crate::Dispatch;

const W: i32 = 240;
const H: i32 = 72;
const GAP_X: i32 = 112;
const GAP_Y: i32 = 28;
const PAD: i32 = 14;

#[derive(Properties, PartialEq)]
pub struct GraphProps {
    pub report: Ptr<Report>,
    pub of: GraphOf,
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// An image reference shortened from the left, where the registry is: the name and tag matter most.
fn shorten_image(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_owned();
    }
    let tail: String = s.chars().skip(n - (max - 1)).collect();
    format!("…{tail}")
}

fn pos(n: &Node) -> (i32, i32) {
    (PAD + n.column as i32 * (W + GAP_X), PAD + n.row as i32 * (H + GAP_Y))
}

#[function_component(StageGraph)]
pub fn stage_graph(props: &GraphProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let converted = props.report.status == Status::Converted;
    let of = if converted { props.of } else { GraphOf::Original };
    let g = use_memo((props.report.clone(), of), |(r, of)| match (of, r.output.as_deref()) {
        (GraphOf::Rewritten, Some(out)) => graph::of_output(out),
        _ => graph::of_input(r),
    });
    let set = |to: GraphOf| {
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::SetGraphOf(to)))
    };
    let clickable = of == GraphOf::Original;

    html! {
        <div class="graph-panel">
            <div class="panel-tools">
                <div class="seg" role="group" aria-label="Which file">
                    <button type="button" aria-pressed={(of == GraphOf::Rewritten).to_string()} disabled={!converted}
                        onclick={set(GraphOf::Rewritten)}>{ "Rewritten" }</button>
                    <button type="button" aria-pressed={(of == GraphOf::Original).to_string()}
                        onclick={set(GraphOf::Original)}>{ "Original" }</button>
                </div>
                <span class="muted graph-summary">{ summary(&g) }</span>
            </div>
            <div class="graph-scroll">{ draw(&g, clickable, &dispatch) }</div>
            <ul class="legend" aria-label="Legend">
                <li><span class="key key-target"></span>{ "final image (what docker build produces)" }</li>
                <li><span class="key key-stage"></span>{ "build stage" }</li>
                <li><span class="key key-unused"></span>{ "unused: BuildKit skips it" }</li>
                <li><span class="key key-external"></span>{ "external image" }</li>
                if clickable { <li class="muted">{ "Select a stage to see it in the editor." }</li> }
            </ul>
        </div>
    }
}

fn summary(g: &Graph) -> String {
    let stages = g.nodes.iter().filter(|n| n.stage.is_some()).count();
    let unused = g.nodes.iter().filter(|n| n.stage.is_some() && !n.used).count();
    let mut s = format!("{stages} stage{}", if stages == 1 { "" } else { "s" });
    if unused > 0 {
        s.push_str(&format!(", {unused} unused"));
    }
    s
}

fn draw(g: &Graph, clickable: bool, dispatch: &Dispatch) -> Html {
    if g.nodes.is_empty() {
        return html! { <p class="empty-note">{ "No stages: the file has no FROM that parses." }</p> };
    }
    let width = 2 * PAD + g.columns as i32 * W + (g.columns as i32 - 1).max(0) * GAP_X;
    let height = 2 * PAD + g.rows as i32 * H + (g.rows as i32 - 1).max(0) * GAP_Y;
    // Label boxes: at the middle of each edge, moved down while they would cover another label.
    let mut placed: Vec<(i32, i32, i32)> = Vec::new();
    let edges: Vec<Html> = g.links.iter().map(|l| {
        let (a, b) = (&g.nodes[l.from], &g.nodes[l.to]);
        let ((ax, ay), (bx, by)) = (pos(a), pos(b));
        let (x1, y1, x2, y2) = (ax + W, ay + H / 2, bx - 4, by + H / 2);
        let mx = (x1 + x2) / 2;
        let d = format!("M{x1},{y1} C{mx},{y1} {mx},{y2} {x2},{y2}");
        let label_w = l.label.chars().count() as i32 * 7 + 10;
        let (lx, mut ly) = (mx, (y1 + y2) / 2);
        while placed.iter().any(|&(px, py, pw)| (px - lx).abs() * 2 < pw + label_w && (py - ly).abs() < 22) {
            ly += 22;
        }
        placed.push((lx, ly, label_w));
        let dim = !b.used;
        html! {
            <g class={classes!("edge", dim.then_some("dim"))}>
                <path d={d} marker-end="url(#arrow)" />
                <rect class="edge-label-bg" x={(lx - label_w / 2).to_string()} y={(ly - 10).to_string()}
                    width={label_w.to_string()} height="20" rx="4" />
                <text class="edge-label" x={lx.to_string()} y={(ly + 4).to_string()} text-anchor="middle">{ l.label.as_str() }</text>
            </g>
        }
    }).collect();
    let nodes = g.nodes.iter().map(|n| {
        let (x, y) = pos(n);
        let kind = if n.stage.is_none() {
            "external"
        } else if n.target {
            "target"
        } else if !n.used {
            "unused"
        } else {
            "stage"
        };
        let note = match (n.stage, n.target, n.used) {
            (None, ..) => "external image".to_owned(),
            (Some(_), true, _) => "final image".to_owned(),
            (Some(_), false, false) => "unused".to_owned(),
            (Some(i), false, true) => format!("stage {i}"),
        };
        let note = match n.line {
            Some(l) => format!("{note} · line {l}"),
            None => note,
        };
        let full = format!("{}: {} ({})", n.title, n.base, note);
        let jump = n.line.filter(|_| clickable && n.stage.is_some());
        let (onclick, onkeydown) = match jump {
            Some(line) => {
                let d1 = dispatch.clone();
                let d2 = dispatch.clone();
                (
                    Some(Callback::from(move |_: MouseEvent| {
                        d1.dispatch(crate::state::Action::JumpTo { line, end_line: line })
                    })),
                    Some(Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            d2.dispatch(crate::state::Action::JumpTo { line, end_line: line });
                        }
                    })),
                )
            }
            None => (None, None),
        };
        html! {
            <g class={classes!("node", kind, jump.is_some().then_some("link"))} role={jump.map(|_| "button")}
                tabindex={jump.map(|_| "0")} aria-label={full.clone()} {onclick} {onkeydown}
                transform={format!("translate({x},{y})")}>
                <title>{ full }</title>
                <rect width={W.to_string()} height={H.to_string()} rx="9" />
                <text class="n-title" x="12" y="22">{ truncate(&n.title, 24) }</text>
                <text class="n-base" x="12" y="42">{ shorten_image(&n.base, 29) }</text>
                <text class="n-note" x="12" y="60">{ note }</text>
            </g>
        }
    });
    html! {
        <svg class="graph" viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
            role="img" aria-label={format!("Stage graph: {}", summary(g))}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                </marker>
            </defs>
            { for edges }
            { for nodes }
        </svg>
    }
}
