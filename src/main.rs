//! The slimfile playground (Yew). A placeholder until the web issue lands: it runs the engine on the
//! classic example and shows the rewritten Dockerfile.

use yew::prelude::*;

const CLASSIC: &str = "FROM ubuntu\nRUN apt-get update && apt-get install -y golang-go\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nENTRYPOINT [\"/app\"]\n";

#[function_component(App)]
fn app() -> Html {
    let report = slimfile_core::convert(CLASSIC, &slimfile_core::Options::default());
    html! {
        <main>
            <h1>{ "slimfile" }</h1>
            <div class="panes">
                <pre class="original">{ CLASSIC }</pre>
                <pre class="rewritten">{ report.output.clone().unwrap_or_else(|| report.reasons.join("\n")) }</pre>
            </div>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
