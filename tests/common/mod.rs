//! What the browser tests share (tests/browser.rs: the playground; tests/widget.rs: the widget, the loader
//! and the JavaScript API): the site, built by scripts/build-site.sh into `target/browser-dist` when it is
//! missing or older than its sources; a tiny static server that counts the requests it serves;
//! chromedriver and Chromium headless with a fresh profile; small WebDriver helpers.
#![allow(dead_code)] // each test file uses its own part of this module

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// The site: built with trunk when stale.

pub fn newest_mtime(path: &Path) -> SystemTime {
    let Ok(meta) = std::fs::metadata(path) else { return SystemTime::UNIX_EPOCH };
    let mut newest = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            newest = newest.max(newest_mtime(&entry.path()));
        }
    }
    newest
}

pub fn build_site() -> PathBuf {
    let root = root();
    let dist = root.join("target/browser-dist");
    let stamp = dist.join(".built");
    let sources = [
        "src",
        "www",
        "index.html",
        "Trunk.toml",
        "Cargo.toml",
        "Cargo.lock",
        "scripts/build-site.sh",
        "scripts/build-js.sh",
        "scripts/trunk-post-build.sh",
        "crates/slimfile-core/Cargo.toml",
        "crates/slimfile-core/build.rs",
        "crates/slimfile-core/src",
        "crates/slimfile-core/data",
        "crates/slimfile-js",
    ]
    .iter()
    .map(|p| newest_mtime(&root.join(p)))
    .max()
    .unwrap();
    let built = std::fs::metadata(&stamp).and_then(|m| m.modified()).ok();
    if built.is_some_and(|b| b >= sources) {
        return dist;
    }
    eprintln!("browser test: building the site into target/browser-dist (scripts/build-site.sh)");
    let _ = std::fs::remove_file(&stamp);
    let status = Command::new("bash")
        .args(["scripts/build-site.sh", "target/browser-dist"])
        .current_dir(&root)
        // trunk and cargo inside the script build into the repository's target/, not the test's.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .status()
        .expect("bash");
    assert!(status.success(), "scripts/build-site.sh target/browser-dist failed");
    std::fs::write(&stamp, b"").unwrap();
    dist
}

// ---------------------------------------------------------------------------------------------
// A static file server that counts what it serves.

pub struct Server {
    pub base: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

pub fn serve_one(mut stream: TcpStream, dist: &Path, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h == "\n" || h.is_empty() {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    log.lock().unwrap().push(path.to_owned());
    let rel = if path == "/" { "index.html" } else { path.trim_start_matches('/') };
    let file = dist.join(rel);
    let ok = !rel.contains("..") && file.is_file();
    let (status, body, ctype) = if ok {
        ("200 OK", std::fs::read(&file).unwrap(), content_type(rel))
    } else {
        ("404 Not Found", b"not found".to_vec(), "text/plain")
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

pub fn start_server(dist: PathBuf) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}/", listener.local_addr().unwrap().port());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dist = dist.clone();
            let log = log.clone();
            std::thread::spawn(move || serve_one(stream, &dist, &log));
        }
    });
    Server { base, requests }
}

// ---------------------------------------------------------------------------------------------
// chromedriver and Chromium.

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn start_chromedriver() -> (Driver, String) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (apt-get install chromium-driver; scripts/test.sh does it)");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, format!("http://127.0.0.1:{port}"))
}

/// A Chromium session with a fresh profile; `phone` emulates a 390x844 phone screen (Chromium's
/// windows cannot be narrower than 500 px, so a phone needs device emulation).
pub async fn start_browser(webdriver: &str, profile: &Path, phone: bool) -> Client {
    let mut options = json!({
        "binary": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1280,800",
        ],
    });
    if phone {
        options["mobileEmulation"] = json!({
            "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 1.0, "touch": true },
            "userAgent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
        });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector).capabilities(caps).connect(webdriver).await.expect("a WebDriver session")
}

// ---------------------------------------------------------------------------------------------
// Helpers.

pub async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

pub async fn js_with(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

pub async fn text_of(c: &Client, selector: &str) -> String {
    let v = js_with(
        c,
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
        vec![json!(selector)],
    )
    .await;
    v.as_str().unwrap_or_else(|| panic!("no element {selector}")).to_owned()
}

/// Polls a script until it returns true.
pub async fn wait_until(c: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if js(c, script).await == json!(true) {
            return;
        }
        if Instant::now() > deadline {
            let body = js(c, "return document.body.innerText.slice(0, 2000)").await;
            panic!("timed out waiting for {what}\npage text: {body}");
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// Sizes the window so that the page itself (the viewport) is `width` x `height`.
pub async fn set_viewport(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.unwrap();
    let v = js(c, "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]").await;
    let (dw, dh) = (v[0].as_u64().unwrap_or(0) as u32, v[1].as_u64().unwrap_or(0) as u32);
    if dw > 0 || dh > 0 {
        c.set_window_size(width + dw, height + dh).await.unwrap();
    }
}


pub async fn metric(c: &Client, name: &str) -> f64 {
    let v = js_with(c, "return document.documentElement.getAttribute(arguments[0])", vec![json!(name)]).await;
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN)
}

pub async fn click(c: &Client, selector: &str) {
    c.find(Locator::Css(selector)).await.unwrap_or_else(|e| panic!("no {selector}: {e}")).click().await.unwrap();
}


pub async fn screenshot(c: &Client, name: &str) {
    let dir =
        std::env::var("SLIMFILE_SCREENSHOTS").map(PathBuf::from).unwrap_or_else(|_| root().join("target/screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

pub fn median(v: &mut [f64]) -> f64 {
    percentile(v, 50)
}

pub fn percentile(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[(v.len() * p / 100).min(v.len() - 1)]
}

// ---------------------------------------------------------------------------------------------
// The playground (index.html).

pub async fn analysis_seq(c: &Client) -> u64 {
    js(c, "return +(document.documentElement.dataset.analysisSeq || 0)").await.as_u64().unwrap_or(0)
}

/// Waits for the analysis after the one numbered `before` (`analysis_seq`).
pub async fn wait_analysis_after(c: &Client, before: u64, what: &str) {
    wait_until(c, what, &format!("return +(document.documentElement.dataset.analysisSeq||0) > {before}")).await;
}

/// Chooses `value` in the playground's select labelled `label`.
pub async fn select_option(c: &Client, label: &str, value: &str) {
    c.find(Locator::Css(&format!("select[aria-label='{label}']"))).await.unwrap().select_by_value(value).await.unwrap();
}

pub async fn wait_for_app(c: &Client) {
    wait_until(
        c,
        "the app to render",
        "return !!document.documentElement.dataset.analysisSeq && !!document.querySelector('.status')",
    )
    .await;
}

pub async fn editor_value(c: &Client) -> String {
    js(c, "return document.querySelector('textarea.input').value").await.as_str().unwrap().to_owned()
}

pub async fn options_state(c: &Client) -> Value {
    js(
        c,
        "const s = [...document.querySelectorAll('.controls select')].map(e => e.value); \
         const k = [...document.querySelectorAll('.controls input[type=checkbox]')].map(e => e.checked); \
         return {selects: s, checks: k};",
    )
    .await
}


// ---------------------------------------------------------------------------------------------
// One browser test's environment.

/// The site built and served, chromedriver running, a fresh profile directory: what each browser test
/// starts from. `None` when `SLIMFILE_SKIP_BROWSER` is set. Holds a lock so that browser tests run one
/// at a time on this machine (builds and Chromium are heavy).
pub struct Env {
    pub server: Server,
    pub webdriver: String,
    pub profile: PathBuf,
    _driver: Driver,
    _lock: std::fs::File,
}

impl Env {
    pub fn start(name: &str) -> Option<Env> {
        if std::env::var_os("SLIMFILE_SKIP_BROWSER").is_some() {
            eprintln!("SLIMFILE_SKIP_BROWSER is set: skipping the {name} browser test");
            return None;
        }
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "the browser tests need {CHROMIUM} and {CHROMEDRIVER}: `apt-get install -y chromium chromium-driver` \
             (scripts/test.sh does it), or set SLIMFILE_SKIP_BROWSER=1"
        );
        std::fs::create_dir_all(root().join("target")).unwrap();
        let lock = std::fs::File::create(root().join("target/browser-test.lock")).unwrap();
        lock.lock().unwrap();
        let server = start_server(build_site());
        let (driver, webdriver) = start_chromedriver();
        let profile = std::env::temp_dir().join(format!("slimfile-chromium-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        Some(Env { server, webdriver, profile, _driver: driver, _lock: lock })
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
