//! End-to-end tests of the playground in real headless Chromium, driven over WebDriver (chromedriver)
//! with fantoccini.
//!
//! The test builds the release site with trunk into `target/browser-dist` when it is missing or older
//! than its sources, serves it from a tiny static server of its own (which also counts requests, to
//! check that the page makes none after it has loaded), starts chromedriver on a free port and
//! Chromium with a fresh profile, then uses the page as a person would.
//!
//! Measurements (first render, keystroke to highlighted editor, keystroke to updated diff on a
//! 300-line Dockerfile) are printed and written to `target/browser-metrics.json`; they are reported,
//! never asserted. Screenshots go to `target/screenshots/`, or to `$SLIMFILE_SCREENSHOTS` when set
//! (`SLIMFILE_SCREENSHOTS=www/screenshots cargo test --test browser` refreshes the ones the docs show).
//! The figures are in docs/benchmarks.md.
//!
//! Needs `chromium` and `chromium-driver` (scripts/test.sh installs them); `SLIMFILE_SKIP_BROWSER=1`
//! skips this test. The harness (site build, server, chromedriver) is tests/common/mod.rs.

mod common;

use std::io::Write;
use std::time::Duration;

use common::*;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// Replaces the editor's text as a paste would (an input event), then waits for the analysis.
async fn paste(c: &Client, text: &str) {
    let before = analysis_seq(c).await;
    js_with(
        c,
        "const t = document.querySelector('textarea.input'); t.focus(); t.select(); \
         document.execCommand('insertText', false, arguments[0]);",
        vec![json!(text)],
    )
    .await;
    wait_analysis_after(c, before, "the analysis after a paste").await;
}

/// A share link deflated by another encoder than the browser's (miniz_oxide, level 9, as slimfile 0.1's
/// Rust encoder made them): scratch, non-root off, comments kept, cache mounts on.
const OLD_LINK: &str = "v1.HcexDsIgEADQna-4iepSqW4mmLi4qUmNM6H0lEuBa4Am6tebdHzV5jdWXVy21XmZOJnMXLWSE-JsHMeIqRbdSWedRxN5WSku_f0KNsyU8Hho9wrODxgWCqPonzdA5xmaQGmCaEeE4QslUHxRQFBtB5tIiX7bBk6w-4g_";

/// Types `n` keystrokes at the end of the editor (a character, then Backspace, so the text ends as it
/// began) and reads, for each, keystroke to highlighted editor, analysis to drawn diff, and convert (ms).
async fn keystrokes(c: &Client, n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let ta = c.find(Locator::Css("textarea.input")).await.unwrap();
    let (mut highlight_ms, mut diff_ms, mut convert_ms) = (vec![], vec![], vec![]);
    for i in 0..n {
        let before = analysis_seq(c).await;
        js(c, "const t = document.querySelector('textarea.input'); t.focus(); t.setSelectionRange(t.value.length, t.value.length);").await;
        ta.send_keys(if i % 2 == 0 { "#" } else { "\u{E003}" }).await.unwrap(); // type, then Backspace
        wait_analysis_after(c, before, "the analysis after a keystroke").await;
        highlight_ms.push(metric(c, "data-keystroke-ms").await);
        diff_ms.push(metric(c, "data-analysis-ms").await);
        convert_ms.push(metric(c, "data-convert-ms").await);
    }
    (highlight_ms, diff_ms, convert_ms)
}

/// A realistic 300-line Dockerfile: a Go service with many build steps, comments and continuations.
fn dockerfile_300_lines() -> String {
    let mut s = String::from("# syntax=docker/dockerfile:1\nARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-bookworm\n");
    s.push_str("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends git make \\\n    && rm -rf /var/lib/apt/lists/*\n");
    s.push_str("WORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n");
    let mut i = 0;
    while s.lines().count() + 5 < 300 {
        i += 1;
        s.push_str(&format!("# step {i}: generate and vet package {i}\n"));
        s.push_str(&format!("ENV STEP_{i}=\"value-{i}\"\n"));
        s.push_str(&format!("COPY internal/pkg{i} ./internal/pkg{i}\n"));
        s.push_str(&format!("RUN go generate ./internal/pkg{i}/... \\\n    && go vet ./internal/pkg{i}/...\n"));
    }
    s.push_str(
        "COPY . .\nRUN CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /usr/local/bin/server ./cmd/server\n",
    );
    s.push_str("EXPOSE 8080\nUSER 65532:65532\nENTRYPOINT [\"/usr/local/bin/server\"]\n");
    s
}

// ---------------------------------------------------------------------------------------------

#[test]
fn playground_in_headless_chromium() {
    let Some(env) = common::Env::start("playground") else { return };
    let (server, webdriver, profile) = (&env.server, env.webdriver.as_str(), env.profile.as_path());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let c = start_browser(webdriver, profile, false).await;
        let mut metrics = run(&c, server).await;
        let _ = c.close().await;

        let _ = std::fs::remove_dir_all(profile);
        let c = start_browser(webdriver, profile, true).await;
        phone(&c, server, &mut metrics).await;
        let _ = c.close().await;

        let report = Value::Object(metrics);
        println!("browser metrics: {report}");
        eprintln!("browser metrics: {report}");
        std::fs::write(root().join("target/browser-metrics.json"), serde_json::to_string_pretty(&report).unwrap())
            .unwrap();
    });
}

async fn run(c: &Client, server: &Server) -> serde_json::Map<String, Value> {
    let mut metrics = serde_json::Map::new();
    let base = server.base.clone();

    // -- First visit: the classic example, converted.
    c.goto(&base).await.unwrap();
    wait_for_app(c).await;
    set_viewport(c, 1280, 800).await;
    let first_render = metric(c, "data-first-render-ms").await;
    metrics.insert("first_render_ms".into(), json!(first_render));
    metrics.insert("wasm_start_ms".into(), json!(metric(c, "data-wasm-start-ms").await));
    metrics.insert("first_convert_ms".into(), json!(metric(c, "data-first-convert-ms").await));
    assert_eq!(editor_value(c).await, include_str!("../src/examples/01-go-ubuntu.Dockerfile"));
    assert_eq!(js(c, "return document.querySelector('.status').dataset.status").await, json!("converted"));
    let right = js(c, "return [...document.querySelectorAll('.diff .dt.r')].map(e => e.textContent).join('\\n')").await;
    let right = right.as_str().unwrap();
    assert!(right.contains("FROM ubuntu AS build"), "the builder stage on the right:\n{right}");
    assert!(
        right.lines().any(|l| l.starts_with("FROM ") && (l.contains("distroless") || l.contains("scratch"))),
        "a distroless or scratch final stage on the right:\n{right}"
    );
    assert!(
        js(c, "return document.querySelectorAll('.diff mark.em').length").await.as_u64().unwrap() > 0,
        "changed words emphasized"
    );
    let left = text_of(c, ".diff").await;
    assert!(left.contains("golang-go"));
    assert_eq!(
        js(c, "return document.documentElement.dataset.cspViolations || null").await,
        Value::Null,
        "no CSP violation"
    );
    // Highlighting comes from the parser's spans.
    assert_eq!(text_of(c, ".hl .t-keyword").await, "FROM");
    assert!(
        js(c, "return [...document.querySelectorAll('.hl .t-image')].some(e => e.textContent === 'ubuntu')").await
            == json!(true)
    );
    let version = text_of(c, ".version").await;
    assert!(version.starts_with("engine v"), "{version}");
    // The status line dates the image knowledge; its title says support was judged on today (the page's
    // clock, in UTC).
    assert_eq!(text_of(c, "#knowledge-date").await, format!("image knowledge as of {}", slimfile_core::knowledge::releases::as_of()));
    let judged = js(c, "const t = document.querySelector('#knowledge-date').title; return t.endsWith('support judged on ' + new Date().toISOString().slice(0, 10))").await;
    assert_eq!(judged, json!(true), "support is judged on today");
    screenshot(c, "desktop-diff").await;

    // Changes and findings jump to the editor.
    assert!(js(c, "return document.querySelectorAll('.panel-changes .item').length").await.as_u64().unwrap() >= 3);
    click(c, "#tab-findings").await;
    wait_until(c, "findings", "return document.querySelectorAll('.panel-findings .item').length > 0").await;
    let finding_line: u64 = js(c, "return +document.querySelector('.panel-findings .loc').textContent.replace(/[^0-9].*$/, '').replace('line ', '') || 0").await.as_u64().unwrap_or(0);
    click(c, ".panel-findings .loc").await;
    let sel = js(c, "const t = document.querySelector('textarea.input'); return [document.activeElement === t, t.value.slice(0, t.selectionStart).split('\\n').length]").await;
    assert_eq!(sel[0], json!(true), "the editor has focus after a click on a finding");
    if finding_line > 0 {
        assert_eq!(sel[1].as_u64().unwrap(), finding_line, "the selection starts on the finding's line");
    }

    // -- The stage graph: two stages, the final one marked.
    click(c, "#tab-graph").await;
    wait_until(c, "the graph", "return !!document.querySelector('svg.graph')").await;
    assert_eq!(js(c, "return document.querySelectorAll('svg.graph g.node').length").await, json!(2));
    assert_eq!(js(c, "return document.querySelectorAll('svg.graph g.node.target').length").await, json!(1));
    let target = text_of(c, "svg.graph g.node.target").await;
    assert!(target.contains("distroless") || target.contains("scratch"), "{target}");
    assert!(text_of(c, "svg.graph .edge-label").await.contains("COPY --from"));
    screenshot(c, "desktop-graph").await;

    // -- The size estimate: a saving, with both images' bars.
    click(c, "#tab-size").await;
    wait_until(c, "the size panel", "return !!document.querySelector('.size-panel')").await;
    let saving = js(c, "const e = document.querySelector('.saving'); return e ? +e.dataset.savingPercent : null").await;
    assert!(saving.as_f64().is_some_and(|p| p > 50.0), "a saving of more than half: {saving}");
    assert_eq!(js(c, "return document.querySelectorAll('.totals svg.bar').length").await, json!(2));
    assert!(js(c, "return document.querySelectorAll('.layers .layer').length").await.as_u64().unwrap() >= 3);
    screenshot(c, "desktop-size").await;
    click(c, "#tab-output").await;
    wait_until(c, "the rewritten file", "return !!document.querySelector('.output-text')").await;
    assert!(text_of(c, ".output-text").await.contains("COPY --from=build /app /app"));

    // -- Carry app files (the fourth option): off, the final image gets the program only; on again, the
    // builder gathers the app folder's run-time files.
    assert!(text_of(c, ".output-text").await.contains("/tmp/slimfile-carry/"));
    for (on, what) in [(false, "the rewrite with the program only"), (true, "the rewrite with the app's files")] {
        let before = analysis_seq(c).await;
        c.find_all(Locator::Css(".controls input[type=checkbox]")).await.unwrap()[3].click().await.unwrap();
        wait_analysis_after(c, before, what).await;
        wait_until(c, what, &format!("return document.querySelector('.output-text').textContent.includes('slimfile-carry') === {on}")).await;
    }
    click(c, "#tab-diff").await;

    // -- Edit the text: the diff follows (typed with real key events).
    let before = analysis_seq(c).await;
    let ta = c.find(Locator::Css("textarea.input")).await.unwrap();
    ta.click().await.unwrap();
    js(c, "const t = document.querySelector('textarea.input'); t.setSelectionRange(t.value.length, t.value.length);")
        .await;
    ta.send_keys("EXPOSE 9090\n").await.unwrap();
    wait_until(c, "the diff to update", &format!("return +(document.documentElement.dataset.analysisSeq||0) > {before} && document.querySelector('.diff').textContent.includes('EXPOSE 9090')")).await;
    let right = js(c, "return [...document.querySelectorAll('.diff .dt.r')].map(e => e.textContent).join('\\n')").await;
    assert!(right.as_str().unwrap().contains("EXPOSE 9090"));

    // -- Options re-run at once: scratch, root.
    let before = analysis_seq(c).await;
    select_option(c, "Target runtime image family", "scratch").await;
    wait_analysis_after(c, before, "the scratch rewrite").await;
    assert!(text_of(c, ".status .image").await.contains("scratch"));
    c.find_all(Locator::Css(".controls input[type=checkbox]")).await.unwrap()[0].click().await.unwrap(); // non-root off
    tokio::time::sleep(Duration::from_millis(100)).await;

    // No request since the page loaded: everything above ran in the page.
    let requests_after_load = server.requests.lock().unwrap().len();

    // -- Share: the link reproduces text and options in a fresh page.
    let text_before = editor_value(c).await;
    let options_before = options_state(c).await;
    assert_eq!(options_before["checks"][0], json!(false));
    click(c, ".actions .btn.primary").await;
    wait_until(c, "the share link", "return !!document.querySelector('#share-link')").await;
    let link = js(c, "return document.querySelector('#share-link').value").await.as_str().unwrap().to_owned();
    assert!(link.starts_with(&base) && link.contains("#v1."), "{link}");
    assert_eq!(
        server.requests.lock().unwrap().len(),
        requests_after_load,
        "no network request after load: {:?}",
        server.requests.lock().unwrap()
    );
    c.goto("about:blank").await.unwrap();
    // A fresh page: nothing in localStorage, only the link.
    c.goto(&base).await.unwrap();
    wait_for_app(c).await;
    js(c, "localStorage.clear()").await;
    c.goto("about:blank").await.unwrap();
    c.goto(&link).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, text_before, "the link restores the text");
    assert_eq!(options_state(c).await, options_before, "the link restores the options");
    assert!(text_of(c, ".status .image").await.contains("scratch"));
    // Without the browser's deflate (CompressionStream: Chrome 103, Firefox 113, Safari 16.4 and later)
    // Share says why there is no link, and still gives the embed snippet.
    js(c, "window.CompressionStream = undefined").await;
    click(c, ".actions .btn.primary").await;
    wait_until(c, "the share popover", "return !!document.querySelector('#embed-snippet')").await;
    let label = text_of(c, "label[for=share-link]").await;
    assert!(label.contains("cannot make the link"), "{label}");
    let snippet = js(c, "return document.querySelector('#embed-snippet').value").await;
    assert!(snippet.as_str().unwrap().contains("<pre class=\"slimfile\" data-target=\"scratch\""), "{snippet}");

    // -- The last input is kept: a plain visit shows it again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    c.goto("about:blank").await.unwrap();
    c.goto(&base).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, text_before, "localStorage keeps the last input");

    // -- A refused example shows its reasons.
    let text_before_example = editor_value(c).await;
    let before = analysis_seq(c).await;
    select_option(c, "Load an example Dockerfile", "9").await;
    wait_analysis_after(c, before, "the refused example").await;
    assert_eq!(js(c, "return document.querySelector('.status').dataset.status").await, json!("refused"));
    let reasons = text_of(c, ".status .reasons").await;
    assert!(reasons.contains("development server"), "{reasons}");
    screenshot(c, "desktop-refused").await;
    // Back returns to the text the example replaced.
    c.back().await.unwrap();
    wait_until(
        c,
        "Back to restore the text",
        &format!("return document.querySelector('textarea.input').value === {}", json!(text_before_example)),
    )
    .await;

    // -- A multi-stage file's graph: an unused stage greyed, an external image, the final stage marked.
    let before = analysis_seq(c).await;
    select_option(c, "Load an example Dockerfile", "8").await;
    wait_analysis_after(c, before, "the multi-stage example").await;
    select_option(c, "Target runtime image family", "auto").await;
    click(c, "#tab-graph").await;
    wait_until(c, "the graph", "return !!document.querySelector('svg.graph')").await;
    click(c, ".graph-panel .seg button:nth-child(2)").await; // Original
    wait_until(c, "the original graph", "return document.querySelectorAll('svg.graph g.node').length === 4").await;
    assert_eq!(js(c, "return document.querySelectorAll('svg.graph g.node.unused').length").await, json!(1));
    assert_eq!(js(c, "return document.querySelectorAll('svg.graph g.node.external').length").await, json!(1));
    assert!(text_of(c, "svg.graph g.node.unused").await.contains("dev-envs"));
    screenshot(c, "desktop-graph-multistage").await;
    // A stage of the original jumps to its FROM line.
    click(c, "svg.graph g.node.unused").await;
    let line = js(c, "const t = document.querySelector('textarea.input'); return t.value.slice(0, t.selectionStart).split('\\n').length").await;
    assert_eq!(line, json!(12), "dev-envs starts on line 12");
    click(c, "#tab-diff").await;

    // -- Script payloads never run and never become HTML: typed into the editor...
    let payload = "FROM alpine\n# <img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>\nLABEL x=\"<b id=bold>\"\nRUN echo '</textarea><svg onload=window.__xss=3>'\n";
    paste(c, payload).await;
    assert_eq!(editor_value(c).await, payload);
    let hl = text_of(c, ".hl").await;
    assert!(hl.contains("<script>window.__xss=2</script>"), "shown as text: {hl}");
    let injected = "return [window.__xss === undefined, document.querySelectorAll('img, #bold, svg[onload], .hl script, .diff script').length, \
        document.querySelectorAll('script').length]";
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(js(c, injected).await, json!([true, 0, 1]));
    // ...and carried by a link (the fragment the app just wrote).
    let hash = js(c, "return location.hash").await.as_str().unwrap().to_owned();
    assert!(hash.starts_with("#v1."));
    c.goto("about:blank").await.unwrap();
    c.goto(&format!("{base}{hash}")).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, payload);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(js(c, injected).await, json!([true, 0, 1]));
    // A damaged or foreign fragment is ignored, never shown.
    c.goto("about:blank").await.unwrap();
    c.goto(&format!("{base}#<img src=x onerror=window.__xss=4>")).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(js(c, injected).await, json!([true, 0, 1]));
    assert_eq!(editor_value(c).await, payload, "the last input, not the foreign fragment");
    assert_eq!(
        js(c, "return document.documentElement.dataset.cspViolations || null").await,
        Value::Null,
        "no CSP violation"
    );

    // -- Speed on a 300-line Dockerfile: keystroke to highlighted editor, and to updated diff.
    let big = dockerfile_300_lines();
    assert!(big.lines().count() >= 300, "{}", big.lines().count());
    paste(c, &big).await;
    let convert_300 = metric(c, "data-convert-ms").await;
    let (highlight_ms, diff_ms, convert_ms) = keystrokes(c, 20).await;
    assert_eq!(editor_value(c).await, big);
    let lines = big.lines().count();
    metrics.insert("lines".into(), json!(lines));
    metrics.insert("convert_ms_300_lines_paste".into(), json!(convert_300));
    metrics.insert("keystroke_to_highlight_ms_median".into(), json!(median(&mut highlight_ms.clone())));
    metrics.insert("keystroke_to_highlight_ms_max".into(), json!(highlight_ms.iter().cloned().fold(0.0, f64::max)));
    metrics.insert("convert_ms_median".into(), json!(median(&mut convert_ms.clone())));
    metrics.insert("keystroke_to_diff_ms_median".into(), json!(median(&mut diff_ms.clone())));
    metrics.insert("keystroke_to_diff_ms_p90".into(), json!(percentile(&mut diff_ms.clone(), 90)));
    metrics.insert("keystroke_to_diff_ms_max".into(), json!(diff_ms.iter().cloned().fold(0.0, f64::max)));
    metrics.insert("keystroke_to_diff_ms_all".into(), json!(diff_ms));
    metrics.insert("convert_ms_all".into(), json!(convert_ms));
    // The same with cache mounts on: the rewrite then changes every RUN, so most rows of the diff are
    // changed ones, not folded away.
    let before = analysis_seq(c).await;
    c.find_all(Locator::Css(".controls input[type=checkbox]")).await.unwrap()[2].click().await.unwrap();
    wait_analysis_after(c, before, "the rewrite with cache mounts").await;
    assert!(js(c, "return document.querySelectorAll('.diff .drow.rep').length").await.as_u64().unwrap() > 50);
    let (_, diff_ms, _) = keystrokes(c, 20).await;
    metrics.insert("cache_mounts_keystroke_to_diff_ms_median".into(), json!(median(&mut diff_ms.clone())));
    metrics.insert("cache_mounts_keystroke_to_diff_ms_p90".into(), json!(percentile(&mut diff_ms.clone(), 90)));
    metrics.insert("cache_mounts_keystroke_to_diff_ms_all".into(), json!(diff_ms));
    c.find_all(Locator::Css(".controls input[type=checkbox]")).await.unwrap()[2].click().await.unwrap();

    // -- A link that would inflate past the engine's 1 MiB (a 2 MiB text that deflates to a few kB) is
    // not inflated: the page keeps the last input (the 300-line file, once it is stored).
    tokio::time::sleep(Duration::from_millis(400)).await;
    let bomb = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const bytes = new TextEncoder().encode('target=auto&non_root=1&keep_comments=1&cache_mounts=0\\n' + 'A'.repeat(2 << 20));
             const s = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
             new Response(s).arrayBuffer().then(b => {
               let bin = ''; for (const x of new Uint8Array(b)) bin += String.fromCharCode(x);
               done(btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''));
             });",
            vec![],
        )
        .await
        .unwrap();
    let bomb = bomb.as_str().unwrap();
    assert!(bomb.len() < 10_000, "{}", bomb.len());
    c.goto("about:blank").await.unwrap();
    c.goto(&format!("{base}#v1.{bomb}")).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, big, "the oversized link is ignored");
    // A link deflated by another encoder (miniz_oxide level 9, slimfile 0.1's Rust encoder) opens,
    // options included.
    c.goto("about:blank").await.unwrap();
    c.goto(&format!("{base}#{OLD_LINK}")).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, "FROM alpine:3.20 AS build\nRUN echo 'link made by slimfile 0.1 (miniz)' > /x\n");
    let old_options = options_state(c).await;
    assert_eq!(old_options["selects"][1], json!("scratch"), "{old_options}");
    assert_eq!(old_options["checks"], json!([false, true, true, true]), "non-root off, comments on, cache mounts on, carry files on (the default: the old link does not name it)");

    // -- Themes: dark, then back to the system's.
    c.goto("about:blank").await.unwrap();
    c.goto(&base).await.unwrap();
    wait_for_app(c).await;
    select_option(c, "Load an example Dockerfile", "0").await;
    wait_until(
        c,
        "the classic example",
        "return document.querySelector('textarea.input').value.startsWith('FROM ubuntu')",
    )
    .await;
    if js(c, "return document.querySelectorAll('.controls input[type=checkbox]')[0].checked").await == json!(false) {
        c.find_all(Locator::Css(".controls input[type=checkbox]")).await.unwrap()[0].click().await.unwrap();
    }
    select_option(c, "Target runtime image family", "auto").await;
    click(c, ".btn.icon").await; // system -> light
    click(c, ".btn.icon").await; // light -> dark
    assert_eq!(js(c, "return document.documentElement.dataset.theme").await, json!("dark"));
    screenshot(c, "desktop-dark").await;
    click(c, ".btn.icon").await; // back to the system's
    assert_eq!(js(c, "return document.documentElement.dataset.theme || null").await, Value::Null);

    project_files(c, server).await;
    assert_eq!(
        js(c, "return document.documentElement.dataset.cspViolations || null").await,
        Value::Null,
        "no CSP violation"
    );
    metrics
}

/// A Node.js app whose Dockerfile runs `npm start`: slim node with npm, until the project's folder is
/// picked (chromedriver sets an `<input type=file webkitdirectory>` to a folder as a user's pick does):
/// package.json's start script is read in the page, the runtime becomes distroless/nodejs, the folder's
/// .git and .env give SF107 and a .dockerignore to download, and a share link carries package.json.
async fn project_files(c: &Client, server: &Server) {
    let dir = std::env::temp_dir().join(format!("slimfile-browser-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in [
        ("package.json", "{\n  \"name\": \"orders\",\n  \"scripts\": { \"start\": \"node server.js\" },\n  \"dependencies\": { \"express\": \"^4.19.2\" }\n}\n"),
        ("server.js", "require('express')().listen(3000);\n"),
        (".env", "STRIPE_KEY=sk_live_never_shown\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("node_modules/express/index.js", "module.exports = {};\n"),
        ("README.md", "# orders\n"),
    ] {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let npm = "FROM node:22\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nEXPOSE 3000\nCMD [\"npm\", \"start\"]\n";
    c.goto("about:blank").await.unwrap();
    c.goto(&server.base).await.unwrap();
    wait_for_app(c).await;
    paste(c, npm).await;
    assert!(text_of(c, ".status .image").await.contains("node:22-bookworm-slim"), "npm start without package.json: slim");
    click(c, "#tab-project").await;
    wait_until(c, "the Project files panel", "return !!document.querySelector('#project-folder')").await;
    let requests_before = server.requests.lock().unwrap().len();
    let before = analysis_seq(c).await;
    let input = c.find(Locator::Css("#project-folder")).await.unwrap();
    input.send_keys(dir.to_str().unwrap()).await.unwrap();
    wait_analysis_after(c, before, "the conversion with the project's files").await;
    wait_until(c, "distroless/nodejs", "return document.querySelector('.status .image').textContent.includes('distroless/nodejs')").await;
    let panel = text_of(c, ".project-panel").await;
    assert!(panel.contains("package.json") && panel.contains("used"), "{panel}");
    assert!(!panel.contains("sk_live_never_shown"), "a .env file's values never reach the page: {panel}");
    assert!(!panel.contains("README.md"), "only the files the readers want are read: {panel}");
    assert!(js(c, "return !!document.querySelector('#download-dockerignore')").await == json!(true), "a .dockerignore to download");
    click(c, "#tab-changes").await;
    let changes = text_of(c, ".panel-changes").await;
    assert!(changes.contains("package.json's start script runs"), "{changes}");
    click(c, "#tab-findings").await;
    assert!(text_of(c, ".panel-findings").await.contains("SF107"));
    assert_eq!(server.requests.lock().unwrap().len(), requests_before, "nothing uploaded: the page made no request");
    screenshot(c, "desktop-project-files").await;

    // Share: the link carries package.json (not .env), and a fresh page converts the same way.
    click(c, ".actions .btn.primary").await;
    wait_until(c, "the share link", "return !!document.querySelector('#share-link') && document.querySelector('#share-link').value.includes('#v1.')").await;
    let label = text_of(c, "label[for=share-link]").await;
    assert!(label.contains("project files package.json") && !label.contains(".env"), "{label}");
    let link = js(c, "return document.querySelector('#share-link').value").await.as_str().unwrap().to_owned();
    c.goto("about:blank").await.unwrap();
    c.goto(&link).await.unwrap();
    wait_for_app(c).await;
    wait_until(c, "the link's conversion", "return document.querySelector('.status .image').textContent.includes('distroless/nodejs')").await;
    // Pasting a file into the panel works too: forget them all, then paste package.json.
    click(c, "#tab-project").await;
    let before = analysis_seq(c).await;
    click(c, ".project-panel .panel-tools .btn:not(.file-pick):not(#download-dockerignore)").await;
    wait_analysis_after(c, before, "forgetting the files").await;
    assert!(text_of(c, ".status .image").await.contains("slim"));
    js(c, "document.querySelector('.paste-file').open = true").await;
    let before = analysis_seq(c).await;
    js_with(c, "document.querySelector('.paste-file .paste').value = arguments[0]", vec![json!("{\"scripts\": {\"start\": \"node index.js\"}}")]).await;
    click(c, ".paste-file .btn").await;
    wait_analysis_after(c, before, "the pasted package.json").await;
    assert!(text_of(c, ".status .image").await.contains("distroless/nodejs"));

    // Files dropped on the page (WebDriver cannot drag from the desktop: the page's own drop event carries
    // them, as a drop from another app whose items give no folder entries does).
    let before = analysis_seq(c).await;
    click(c, ".project-panel .panel-tools .btn:not(.file-pick):not(#download-dockerignore)").await;
    wait_analysis_after(c, before, "forgetting the pasted file").await;
    assert!(text_of(c, ".status .image").await.contains("slim"));
    let before = analysis_seq(c).await;
    js(
        c,
        "const dt = new DataTransfer();
         dt.items.add(new File(['{\"scripts\": {\"start\": \"node server.js\"}}'], 'package.json'));
         dt.items.add(new File(['require(\"http\").createServer().listen(3000);'], 'server.js'));
         document.querySelector('.app').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
    )
    .await;
    wait_analysis_after(c, before, "the dropped files").await;
    wait_until(c, "distroless/nodejs after the drop", "return document.querySelector('.status .image').textContent.includes('distroless/nodejs')").await;
    let panel = text_of(c, ".project-panel").await;
    assert!(panel.contains("package.json") && panel.contains("2 files"), "{panel}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The phone layout: panels become tabs, nothing scrolls sideways, a finding jumps to the editor tab.
async fn phone(c: &Client, server: &Server, metrics: &mut serde_json::Map<String, Value>) {
    c.goto(&server.base).await.unwrap();
    wait_for_app(c).await;
    let size = js(c, "return [window.innerWidth, window.innerHeight]").await;
    assert_eq!(size, json!([390, 844]), "a phone-sized viewport");
    metrics.insert("phone_first_render_ms".into(), json!(metric(c, "data-first-render-ms").await));
    assert!(js(c, "return !!document.querySelector('.layout.narrow')").await == json!(true), "the phone layout");
    assert_eq!(
        js(c, "return document.documentElement.scrollWidth <= window.innerWidth").await,
        json!(true),
        "no sideways scrolling on a phone"
    );
    assert_eq!(js(c, "return document.querySelectorAll('.layout.narrow [role=tab]').length").await, json!(8));
    screenshot(c, "phone-diff").await;
    click(c, "#tab-editor").await;
    assert_eq!(js(c, "return !document.querySelector('#panel-editor').hidden").await, json!(true));
    screenshot(c, "phone-editor").await;
    click(c, "#tab-size").await;
    wait_until(c, "the size panel on a phone", "return !!document.querySelector('.size-panel')").await;
    screenshot(c, "phone-size").await;
    click(c, "#tab-findings").await;
    wait_until(c, "findings on a phone", "return !!document.querySelector('.panel-findings .loc')").await;
    click(c, ".panel-findings .loc").await;
    wait_until(c, "the editor tab after a finding", "return !document.querySelector('#panel-editor').hidden").await;
    assert_eq!(
        js(c, "return document.documentElement.scrollWidth <= window.innerWidth").await,
        json!(true),
        "no sideways scrolling on a phone"
    );
    assert_eq!(
        js(c, "return document.documentElement.dataset.cspViolations || null").await,
        Value::Null,
        "no CSP violation"
    );
    let _ = std::io::stdout().flush();
}
