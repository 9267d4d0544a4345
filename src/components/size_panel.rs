//! The size estimate (the Report's `estimate`): the original and the rewritten final image as bars,
//! each with its range, then layer by layer with where each figure comes from, then the assumptions.
//! Bars are SVG drawn by us (sizes as attributes: the CSP forbids inline styles).

use slimfile_core::report::{Bytes, ImageEstimate, Report};
use slimfile_core::units::{decimal, human};
use yew::prelude::*;

use crate::components::changes::line_button;
use crate::components::rich_text::RichText;
use crate::state::Ptr;
use crate::Dispatch;

#[derive(Properties, PartialEq)]
pub struct SizeProps {
    pub report: Ptr<Report>,
}

fn range(b: &Bytes) -> String {
    format!("{}–{}", human(b.low), human(b.high))
}

/// One bar with its range whisker, `scale` bytes being the full width (SVG units, to a tenth).
fn bar(b: &Bytes, scale: u64, class: &'static str, width: u32, height: u32) -> Html {
    let x = |v: u64| decimal((v as f64 / scale.max(1) as f64).min(1.0) * f64::from(width), 1);
    let w = decimal(((b.typical as f64 / scale.max(1) as f64).min(1.0) * f64::from(width)).max(2.0), 1);
    let (lo, hi) = (x(b.low), x(b.high));
    let (mid, top, bottom) = ((height / 2).to_string(), (height / 2 - 4).to_string(), (height / 2 + 4).to_string());
    let clipped = b.high > scale;
    html! {
        <svg class={classes!("bar", class)} viewBox={format!("0 0 {width} {height}")} width={width.to_string()}
            height={height.to_string()} preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" x="0" y="0" width={width.to_string()} height={height.to_string()} rx="3" />
            <rect class="fill" x="0" y="0" width={w} height={height.to_string()} rx="3" />
            <line class="whisker" x1={lo.clone()} x2={hi.clone()} y1={mid.clone()} y2={mid} />
            <line class="whisker" x1={lo.clone()} x2={lo} y1={top.clone()} y2={bottom.clone()} />
            if !clipped {
                <line class="whisker" x1={hi.clone()} x2={hi} y1={top} y2={bottom} />
            }
        </svg>
    }
}

fn layers(img: &ImageEstimate, scale: u64, class: &'static str, jump: Option<&Dispatch>) -> Html {
    html! {
        <ol class="layers">
            { for img.layers.iter().map(|l| html! {
                <li class="layer">
                    <div class="layer-head">
                        if let Some(d) = jump { { line_button(d, &l.span, "this layer") } }
                        <code class="layer-inst" title={l.instruction.clone()}>{ l.instruction.as_str() }</code>
                    </div>
                    <div class="layer-bar">
                        { bar(&l.size, scale, class, 220, 10) }
                        <span class="layer-size">{ human(l.size.typical) }</span>
                        <span class="muted layer-range">{ range(&l.size) }</span>
                        if l.approximate { <span class="approx" title="approximate: matched or assumed">{ "≈" }</span> }
                    </div>
                    <details class="basis">
                        <summary>{ "Where this comes from" }</summary>
                        <p><RichText text={l.basis.clone()} /></p>
                    </details>
                </li>
            }) }
        </ol>
    }
}

#[function_component(SizePanel)]
pub fn size_panel(props: &SizeProps) -> Html {
    let dispatch = use_context::<Dispatch>().expect("dispatch context");
    let Some(est) = &props.report.estimate else {
        return html! { <p class="empty-note">{ "No estimate: the Dockerfile does not parse." }</p> };
    };
    let orig = &est.original;
    let new = est.rewritten.as_ref();
    let scale = orig.total.typical.max(new.map_or(0, |n| n.total.typical));
    let layer_scale =
        orig.layers.iter().chain(new.iter().flat_map(|n| n.layers.iter())).map(|l| l.size.typical).max().unwrap_or(1);

    html! {
        <div class="size-panel">
            if let Some(s) = &est.savings {
                <div class="saving" data-saving-percent={decimal(s.percent, 1)}>
                    <span class="big">{ format!("{} smaller", human(s.bytes.typical)) }</span>
                    <span class="pct">{ format!("−{}%", decimal(s.percent, 0)) }</span>
                    <span class="muted">{ format!("(between {} and {}, −{}% to −{}%; {} less to pull)",
                        human(s.bytes.low), human(s.bytes.high), decimal(s.percent_low, 0), decimal(s.percent_high, 0), human(s.compressed.typical)) }</span>
                </div>
            } else {
                <p class="empty-note">{ "No saving to show: there is no rewrite. This is the original image." }</p>
            }
            <div class="totals">
                <div class="total-row">
                    <span class="total-name">{ "Original" }<code class="total-base">{ orig.base.as_str() }</code></span>
                    { bar(&orig.total, scale, "orig", 400, 18) }
                    <span class="total-size">{ human(orig.total.typical) }</span>
                    <span class="muted">{ format!("{} · pull {}", range(&orig.total), human(orig.compressed.typical)) }</span>
                </div>
                if let Some(n) = new {
                    <div class="total-row">
                        <span class="total-name">{ "Rewritten" }<code class="total-base">{ n.base.as_str() }</code></span>
                        { bar(&n.total, scale, "new", 400, 18) }
                        <span class="total-size">{ human(n.total.typical) }</span>
                        <span class="muted">{ format!("{} · pull {}", range(&n.total), human(n.compressed.typical)) }</span>
                    </div>
                }
            </div>
            <div class="layer-cols">
                <section>
                    <h3>{ "Original final image, by layer" }</h3>
                    { layers(orig, layer_scale, "orig", Some(&dispatch)) }
                </section>
                if let Some(n) = new {
                    <section>
                        <h3>{ "Rewritten final image, by layer" }</h3>
                        { layers(n, layer_scale, "new", None) }
                    </section>
                }
            </div>
            <section class="assumptions">
                <h3>{ "Assumptions" }</h3>
                <p class="muted"><RichText text={est.unit.clone()} /></p>
                <ul>{ for est.assumptions.iter().map(|a| html! { <li><RichText text={a.clone()} /></li> }) }</ul>
                if !est.approximate_matches.is_empty() {
                    <h3>{ "Approximate matches" }</h3>
                    <ul>{ for est.approximate_matches.iter().map(|a| html! { <li><RichText text={a.clone()} /></li> }) }</ul>
                }
            </section>
        </div>
    }
}
