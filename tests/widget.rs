//! End-to-end tests of the embeddable widget (www/embed.html, www/embed-widget.js), its loader
//! (www/embed.js) and the JavaScript API (crates/slimfile-js) in real headless Chromium, on the site
//! scripts/build-site.sh builds (the harness is tests/common/mod.rs).
//!
//! The demo docs page (www/demo.html, which sets a strict Content-Security-Policy) must show three
//! widgets in place of its three Dockerfile blocks, each iframe as tall as its content, also after the
//! content grows; the "open in playground" link must reproduce text and options in the playground; an
//! editable widget re-converts on input and its link follows; the host page's theme reaches the widgets;
//! script payloads in a block never run nor become elements; and the JS API must return, byte for byte,
//! what `slimfile convert --format json` prints for the playground's examples, every conversion fixture and
//! a sample of the real corpus. Measurements go to `target/widget-metrics.json` (reported, never asserted).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use fantoccini::Client;
use serde_json::{json, Value};

/// The iframes of the page, as `[{id, height, content, state, status}]` (same origin here, so the test
/// can look inside them; a real host page cannot).
async fn frames(c: &Client) -> Vec<Value> {
    let v = js(
        c,
        "return [...document.querySelectorAll('iframe.slimfile-embed')].map(f => { \
           const d = f.contentDocument; const w = d && d.getElementById('widget'); \
           return { id: f.id, height: +f.height, title: f.title, \
                    content: w ? w.getBoundingClientRect().height : null, \
                    state: d ? d.documentElement.dataset.state || null : null, \
                    theme: d ? d.documentElement.dataset.theme || null : null, \
                    csp: d ? d.documentElement.dataset.cspViolations || null : null, \
                    status: w ? w.dataset.status || null : null, \
                    ready_ms: d ? +(d.documentElement.dataset.readyMs || 0) : 0 }; })",
    )
    .await;
    v.as_array().cloned().unwrap_or_default()
}

/// Runs a script inside the `n`th widget's document (`d` is its document, `w` its #widget).
async fn in_frame(c: &Client, n: usize, body: &str) -> Value {
    js_with(
        c,
        &format!(
            "const f = document.querySelectorAll('iframe.slimfile-embed')[arguments[0]]; \
             const d = f.contentDocument; const w = d.getElementById('widget'); {body}"
        ),
        vec![json!(n)],
    )
    .await
}

/// Puts a block made by `make` (a JS expression of `arguments[0]`, the text) first in the demo page's three
/// widgets, as a docs framework adding content would, runs the loader on it and waits for its widget.
async fn add_block(c: &Client, what: &str, make: &str, text: &str) {
    js_with(
        c,
        &format!("document.querySelector('main').prepend({make}); window.slimfileEmbed.scan();"),
        vec![json!(text)],
    )
    .await;
    wait_until(
        c,
        what,
        "const f = document.querySelectorAll('iframe.slimfile-embed'); return f.length === 4 && \
         f[0].contentDocument?.documentElement?.dataset.state === 'ready'",
    )
    .await;
}

/// Every widget's iframe is as tall as its content (to the pixel, rounded up).
async fn wait_sized(c: &Client, what: &str) {
    wait_until(
        c,
        what,
        "const fs = [...document.querySelectorAll('iframe.slimfile-embed')]; \
         return fs.length > 0 && fs.every(f => { const w = f.contentDocument && f.contentDocument.getElementById('widget'); \
           return w && f.contentDocument.documentElement?.dataset.state === 'ready' \
             && Math.abs(+f.height - Math.ceil(w.getBoundingClientRect().height)) <= 1; })",
    )
    .await;
}

fn dedented(block: &str) -> String {
    let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    let indent = lines.iter().map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    lines.iter().map(|l| format!("{}\n", &l[indent..])).collect()
}

#[test]
fn widget_loader_and_js_api_in_headless_chromium() {
    let Some(env) = Env::start("widget") else { return };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let c = start_browser(&env.webdriver, &env.profile, false).await;
        let mut metrics = serde_json::Map::new();
        demo_page(&c, &env.server, &mut metrics).await;
        hostile_input(&c, &env.server).await;
        js_api_matches_cli(&c, &env.server, &mut metrics).await;
        let _ = c.close().await;

        let _ = std::fs::remove_dir_all(&env.profile);
        let c = start_browser(&env.webdriver, &env.profile, true).await;
        on_a_phone(&c, &env.server).await;
        let _ = c.close().await;
        let report = Value::Object(metrics);
        eprintln!("widget metrics: {report}");
        std::fs::write(root().join("target/widget-metrics.json"), serde_json::to_string_pretty(&report).unwrap())
            .unwrap();
    });
}

async fn demo_page(c: &Client, server: &Server, metrics: &mut serde_json::Map<String, Value>) {
    let base = &server.base;
    set_viewport(c, 1100, 900).await;
    c.goto(&format!("{base}demo.html")).await.unwrap();
    wait_until(c, "three widgets in place of the blocks", "return document.querySelectorAll('iframe.slimfile-embed').length === 3").await;
    assert_eq!(
        js(c, "return document.querySelectorAll('pre.slimfile, script[type=\"text/dockerfile\"]').length").await,
        json!(0),
        "every block is replaced"
    );
    // The iframes load lazily: bring each into view, as a reader scrolling down would.
    for n in 0..3 {
        js_with(c, "document.querySelectorAll('iframe.slimfile-embed')[arguments[0]].scrollIntoView()", vec![json!(n)]).await;
        wait_until(
            c,
            &format!("widget {n} to render"),
            &format!(
                "const f = document.querySelectorAll('iframe.slimfile-embed')[{n}]; \
                 return f.contentDocument?.documentElement?.dataset.state === 'ready'"
            ),
        )
        .await;
    }
    wait_sized(c, "each iframe to take its content's height").await;
    let fs = frames(c).await;
    eprintln!("widgets: {fs:?}");
    let heights: Vec<f64> = fs.iter().map(|f| f["height"].as_f64().unwrap()).collect();
    assert!(heights.iter().all(|h| *h > 150.0), "a widget shows its diff, not a sliver: {heights:?}");
    assert!(heights.iter().all(|h| *h != 180.0), "every iframe was resized from the loader's 180 px: {heights:?}");
    let mut ready: Vec<f64> = fs.iter().map(|f| f["ready_ms"].as_f64().unwrap()).collect();
    metrics.insert("widget_ready_ms_median".into(), json!(median(&mut ready)));
    for f in &fs {
        assert_eq!(f["status"], json!("converted"), "{f}");
        assert!(f["title"].as_str().unwrap().starts_with("slimfile: "), "{f}");
    }

    // Widget 1, the Go classic: the builder stage and a distroless final stage, and a saving.
    let go = in_frame(
        c,
        0,
        "return { inserts: [...w.querySelectorAll('.line.insert .code')].map(e => e.textContent), \
                  saving: +(w.querySelector('.badge.saving') || {dataset: {}}).dataset.savingPercent, \
                  badge: w.querySelector('.badge').textContent, editable: !!w.querySelector('textarea'), \
                  link: w.querySelector('a.open').href, images: w.querySelectorAll('img').length }",
    )
    .await;
    let inserts: Vec<&str> = go["inserts"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(inserts.contains(&"FROM ubuntu AS build"), "{inserts:?}");
    assert!(inserts.iter().any(|l| l.starts_with("FROM gcr.io/distroless/static")), "{inserts:?}");
    assert!(go["saving"].as_f64().unwrap() > 50.0, "{go}");
    assert!(go["badge"].as_str().unwrap().contains('→'), "{go}");
    assert_eq!(go["editable"], json!(false), "read-only by default");

    // It resizes to its content when that grows: the reasons open, the iframe follows.
    let before = heights[0];
    in_frame(c, 0, "w.querySelector('details.changes summary').click()").await;
    wait_sized(c, "the iframe to follow its opened reasons").await;
    let after = frames(c).await[0]["height"].as_f64().unwrap();
    assert!(after > before + 40.0, "the iframe grew with its content: {before} -> {after}");
    // And unchanged lines fold and unfold.
    let folds = in_frame(c, 1, "return w.querySelectorAll('button.fold').length").await;
    if folds.as_u64().unwrap() > 0 {
        let h = frames(c).await[1]["height"].as_f64().unwrap();
        in_frame(c, 1, "w.querySelector('button.fold').click()").await;
        wait_sized(c, "the iframe to follow an unfolded run").await;
        assert!(frames(c).await[1]["height"].as_f64().unwrap() > h);
    }
    js(c, "window.scrollTo(0, 0)").await;
    screenshot(c, "widget-demo").await;

    // The host page's theme reaches the widgets that follow it; the one with data-theme="dark" stays.
    assert_eq!(fs[2]["theme"], json!("dark"));
    assert_eq!(fs[0]["theme"], json!("light"), "the page's color-scheme is light (demo.css): so is the widget");
    click(c, "#theme").await;
    wait_until(
        c,
        "the widgets to turn dark with the page",
        "return [...document.querySelectorAll('iframe.slimfile-embed')].every(f => f.contentDocument.documentElement.dataset.theme === 'dark')",
    )
    .await;
    js(c, "window.scrollTo(0, 0)").await;
    screenshot(c, "widget-demo-dark").await;
    click(c, "#theme").await;
    wait_until(
        c,
        "the widgets to follow the page back to light",
        "const t = [...document.querySelectorAll('iframe.slimfile-embed')].map(f => f.contentDocument.documentElement.dataset.theme); \
         return t[0] === 'light' && t[1] === 'light' && t[2] === 'dark'",
    )
    .await;

    // Widget 2 is editable: an edit converts again, and its link carries the edit.
    let link_before = in_frame(c, 1, "return w.querySelector('a.open').href").await;
    let seq = in_frame(c, 1, "return +d.documentElement.dataset.seq").await.as_u64().unwrap();
    let edited = in_frame(
        c,
        1,
        "const t = w.querySelector('textarea'); t.focus(); t.select(); \
         d.execCommand('insertText', false, t.value.replace('FROM node:22', 'FROM node:20')); return t.value",
    )
    .await
    .as_str()
    .unwrap()
    .to_owned();
    wait_until(
        c,
        "the editable widget to convert the edit",
        &format!(
            "return +document.querySelectorAll('iframe.slimfile-embed')[1].contentDocument.documentElement.dataset.seq > {seq}"
        ),
    )
    .await;
    let after_edit = in_frame(
        c,
        1,
        "return { code: [...w.querySelectorAll('.line .code')].map(e => e.textContent).join('\\n'), \
                  link: w.querySelector('a.open').href, focused: d.activeElement === w.querySelector('textarea') }",
    )
    .await;
    assert!(after_edit["code"].as_str().unwrap().contains("FROM node:20"), "{after_edit}");
    assert_ne!(after_edit["link"], link_before, "the link follows the edit");
    assert_eq!(after_edit["focused"], json!(true), "the editor keeps its focus across a re-render");
    wait_sized(c, "the edited widget to keep its height").await;

    // No CSP violation on the host page (strict policy) nor in any widget.
    assert_eq!(js(c, "return document.documentElement.dataset.cspViolations || null").await, Value::Null);
    assert!(frames(c).await.iter().all(|f| f["csp"].is_null()));

    // "Open in playground" reproduces the state: widget 3's text and its non-default option, then the
    // edited widget 2's text.
    let python_link = in_frame(c, 2, "return w.querySelector('a.open').href").await.as_str().unwrap().to_owned();
    let node_link = after_edit["link"].as_str().unwrap().to_owned();
    assert!(python_link.starts_with(&format!("{base}index.html#v1.")), "{python_link}");
    let python = std::fs::read_to_string(root().join("www/demo.html")).unwrap();
    let python = dedented(python.split("data-title=\"slimfile: the Flask app, slimmed\">").nth(1).unwrap().split("</pre>").next().unwrap());
    c.goto(&python_link).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, python, "the playground shows the widget's Dockerfile");
    let options = options_state(c).await;
    assert_eq!(options["checks"][0], json!(false), "non-root is off, as data-non-root=\"false\" asked: {options}");
    assert_eq!(options["selects"][1], json!("auto"), "the target select: {options}");
    // And back: the playground's own share link (its Rust encoder) opens in the widget.
    click(c, ".actions .btn.primary").await;
    wait_until(c, "the share link", "return !!document.querySelector('#share-link')").await;
    let share = js(c, "return document.querySelector('#share-link').value").await.as_str().unwrap().to_owned();
    let code = share.split_once('#').unwrap().1;
    c.goto(&format!("{base}embed.html#{code}&editable")).await.unwrap();
    wait_until(c, "the widget on a share link", "return document.documentElement.dataset.state === 'ready'").await;
    assert_eq!(js(c, "return document.querySelector('textarea').value").await, json!(python));
    assert_eq!(js(c, "return document.getElementById('widget').dataset.status").await, json!("converted"));

    // The playground's embed snippet, pasted in a docs page, shows the same Dockerfile and options.
    c.goto(&python_link).await.unwrap();
    wait_for_app(c).await;
    click(c, ".actions .btn.primary").await;
    wait_until(c, "the embed snippet", "return !!document.querySelector('#embed-snippet')").await;
    let snippet = js(c, "return document.querySelector('#embed-snippet').value").await.as_str().unwrap().to_owned();
    screenshot(c, "playground-share-embed").await;
    assert!(snippet.starts_with(&format!("<script src=\"{base}embed.js\" defer></script>\n<pre class=\"slimfile\" data-non-root=\"false\">")), "{snippet}");
    c.goto(&format!("{base}demo.html")).await.unwrap();
    wait_until(c, "the loader", "return document.querySelectorAll('iframe.slimfile-embed').length === 3").await;
    add_block(
        c,
        "the pasted snippet's widget",
        "document.importNode(new DOMParser().parseFromString(arguments[0], 'text/html').querySelector('pre.slimfile'), true)",
        &snippet,
    )
    .await;
    let pasted_link = in_frame(c, 0, "return w.querySelector('a.open').href").await.as_str().unwrap().to_owned();
    c.goto(&pasted_link).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, python, "the snippet carries the text");
    assert_eq!(options_state(c).await, options, "the snippet carries the options");

    c.goto(&node_link).await.unwrap();
    wait_for_app(c).await;
    assert_eq!(editor_value(c).await, edited, "the playground shows the edited text");
}

/// On a phone (390 px): the widgets fit the column (the page does not scroll sideways; long lines scroll
/// inside the diff) and still take their content's height.
async fn on_a_phone(c: &Client, server: &Server) {
    c.goto(&format!("{}demo.html", server.base)).await.unwrap();
    wait_until(c, "three widgets", "return document.querySelectorAll('iframe.slimfile-embed').length === 3").await;
    for n in 0..3 {
        js_with(c, "document.querySelectorAll('iframe.slimfile-embed')[arguments[0]].scrollIntoView()", vec![json!(n)]).await;
        wait_until(
            c,
            &format!("widget {n} on a phone"),
            &format!(
                "return document.querySelectorAll('iframe.slimfile-embed')[{n}].contentDocument?.documentElement?.dataset.state === 'ready'"
            ),
        )
        .await;
    }
    wait_sized(c, "each iframe to take its content's height on a phone").await;
    let widths = js(
        c,
        "return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, \
                  frames: [...document.querySelectorAll('iframe.slimfile-embed')].map(f => f.getBoundingClientRect().right) }",
    )
    .await;
    let viewport = widths["viewport"].as_f64().unwrap();
    assert!(widths["page"].as_f64().unwrap() <= viewport, "the page does not scroll sideways: {widths}");
    assert!(widths["frames"].as_array().unwrap().iter().all(|r| r.as_f64().unwrap() <= viewport), "{widths}");
    js_with(c, "document.querySelectorAll('iframe.slimfile-embed')[0].scrollIntoView()", vec![]).await;
    screenshot(c, "widget-demo-phone").await;
}

/// Script payloads in a block: they stay text in the widget, never an element, never run; a damaged
/// fragment gets a message, not a blank frame.
async fn hostile_input(c: &Client, server: &Server) {
    let base = &server.base;
    c.goto(&format!("{base}demo.html")).await.unwrap();
    wait_until(c, "the loader", "return document.querySelectorAll('iframe.slimfile-embed').length === 3").await;
    let payload = "FROM golang:1.22\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app \"<img src=x onerror=top.pwned=1>\"\n\
                   # </script><script>top.pwned=2</script>\n\
                   LABEL x=\"<b onmouseover=top.pwned=3>bold</b>\"\nENTRYPOINT [\"/app\"]\n";
    add_block(
        c,
        "the hostile block's widget",
        // The host's own attribute cannot break the state's format either (a newline would end its options
        // line and put the rest in front of the Dockerfile).
        "(() => { const s = Object.assign(document.createElement('script'), { type: 'text/dockerfile', \
           textContent: arguments[0] }); s.dataset.target = 'scratch\\nRUN injected&non_root=0'; return s; })()",
        payload,
    )
    .await;
    let seen = in_frame(
        c,
        0,
        "return { text: w.textContent, elements: w.querySelectorAll('img, b, script, [onerror], [onmouseover]').length, \
                  status: w.dataset.status, pwned: top.pwned === undefined ? null : top.pwned }",
    )
    .await;
    assert_eq!(seen["elements"], json!(0), "{seen}");
    assert_eq!(seen["pwned"], Value::Null, "{seen}");
    assert!(!seen["text"].as_str().unwrap().contains("RUN injected"), "{seen}");
    assert!(seen["text"].as_str().unwrap().contains("<b onmouseover=top.pwned=3>bold</b>"), "shown as text: {seen}");

    c.goto(&format!("{base}embed.html#v1.@@not-base64@@")).await.unwrap();
    wait_until(c, "the damaged link's message", "return document.documentElement.dataset.state === 'error'").await;
    assert!(text_of(c, "#widget").await.contains("no Dockerfile"));
}

/// Every file the JS API is checked on: the playground's examples, the conversion fixtures, and every
/// 8th file of the real corpus.
fn api_inputs() -> Vec<PathBuf> {
    let root = root();
    let mut files = Vec::new();
    let sorted = |dir: &Path| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        v.sort();
        v
    };
    files.extend(sorted(&root.join("src/examples")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "Dockerfile")));
    for dir in sorted(&root.join("crates/slimfile-core/tests/fixtures/convert")) {
        if dir.join("Dockerfile").is_file() {
            files.push(dir.join("Dockerfile"));
        }
    }
    fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                dockerfiles(&p, out);
            } else if p.file_name().is_some_and(|n| n == "Dockerfile") {
                out.push(p);
            }
        }
    }
    let mut real = Vec::new();
    dockerfiles(&root.join("tests/corpus/real"), &mut real);
    assert_eq!(real.len(), 241, "the real corpus");
    files.extend(real.into_iter().step_by(8));
    files
}

/// The CLI, built by cargo into the test's own target directory.
fn cli() -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "slimfile-cli", "--bin", "slimfile", "--message-format=json"])
        .current_dir(root())
        .output()
        .expect("cargo build -p slimfile-cli");
    assert!(out.status.success(), "cargo build -p slimfile-cli failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["executable"].as_str().map(PathBuf::from))
        .next_back()
        .expect("cargo reports the slimfile executable")
}

async fn js_api_matches_cli(c: &Client, server: &Server, metrics: &mut serde_json::Map<String, Value>) {
    let files = api_inputs();
    assert!(files.len() > 90, "{} inputs", files.len());
    let cli = cli();
    // The same options through both: the defaults, then every option turned the other way.
    let variants: [(Value, &[&str]); 2] = [
        (json!({}), &[]),
        (
            json!({"target": "distroless/base", "non_root": false, "keep_comments": false, "cache_mounts": true, "carry_files": false}),
            &["--target", "distroless/base", "--root", "--no-comments", "--cache-mounts", "--no-carry-files"],
        ),
    ];
    let texts: Vec<String> = files.iter().map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()).collect();

    c.goto(&format!("{}embed.html#v1.", server.base)).await.unwrap();
    let mut compared = 0;
    for (options, flags) in &variants {
        let from_js = c
            .execute_async(
                "const [texts, options, done] = arguments; \
                 import('./js/slimfile_js.js').then(async m => { await m.default(); \
                   const t0 = performance.now(); const out = texts.map(t => m.convertJson(t, options)); \
                   done({ out, ms: performance.now() - t0, version: m.version() }); }, e => done({ error: String(e) }));",
                vec![json!(texts), options.clone()],
            )
            .await
            .unwrap();
        assert!(from_js.get("error").is_none(), "{from_js}");
        let outs = from_js["out"].as_array().unwrap();
        for (i, path) in files.iter().enumerate() {
            let run = Command::new(&cli)
                .args(["convert", "--no-config", "--no-context", "--format", "json"])
                .args(*flags)
                .arg(path)
                .output()
                .unwrap();
            let printed = String::from_utf8(run.stdout).unwrap();
            let expected = printed.strip_suffix('\n').unwrap_or(&printed);
            assert!(!expected.is_empty(), "the CLI printed no JSON for {}: {}", path.display(), String::from_utf8_lossy(&run.stderr));
            assert!(
                outs[i].as_str() == Some(expected),
                "the JS API and `slimfile convert --format json {}` differ for {}",
                flags.join(" "),
                path.display()
            );
            compared += 1;
        }
        metrics.insert(format!("js_api_convert_ms_total_{}", if flags.is_empty() { "defaults" } else { "options" }), from_js["ms"].clone());
    }
    metrics.insert("js_api_files_compared".into(), json!(compared));
    eprintln!("the JS API matched the CLI byte for byte on {compared} conversions");
}
