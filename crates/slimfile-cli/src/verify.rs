//! `slimfile verify`: build the original and the rewritten Dockerfile for real, run both the same way,
//! compare exit code and output (or an HTTP answer), and put the real image sizes next to the estimate.
//!
//! ```text
//! slimfile verify [DOCKERFILE] [--context DIR] [--map FILE] [--engine docker|podman|buildah]
//!                 [--http PORT[/PATH]] [--timeout SECS] [--name NAME] [--format text|json]
//!                 [--target FAMILY] [--root] [--cache-mounts] [-- ARG...]
//! ```
//!
//! The engine is the first that works: `docker buildx` (with a daemon), `podman`, then `buildah` (as root,
//! `--storage-driver vfs --isolation chroot`, which needs no daemon). `--map FILE` rewrites FROM lines
//! and `COPY --from=<image>` to local stand-ins in temporary copies of both Dockerfiles; the user's file is
//! only read.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use slimfile_core::{convert, Report, Status};

use crate::args::{EngineName, ReportFormat, VerifyArgs};

// ---------------------------------------------------------------- image references and the map

/// `ubuntu` → `docker.io/library/ubuntu:latest`; digests are kept.
pub fn normalize(reference: &str) -> String {
    let r = reference.trim();
    let (name, suffix) = match r.find('@') {
        Some(at) => (&r[..at], r[at..].to_owned()),
        None => {
            let slash = r.rfind('/').map_or(0, |s| s + 1);
            match r[slash..].find(':') {
                Some(c) => (&r[..slash + c], r[slash + c..].to_owned()),
                None => (r, ":latest".to_owned()),
            }
        }
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name.to_owned()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{suffix}")
}

/// Image references and their stand-ins, read from a map file.
#[derive(Debug, Default)]
pub struct ImageMap {
    exact: BTreeMap<String, String>,
    /// `repository:*` → stand-in (the key is the normalized repository).
    any_tag: BTreeMap<String, String>,
}

impl ImageMap {
    pub fn parse(text: &str) -> Result<ImageMap, String> {
        let mut m = ImageMap::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().filter(|w| *w != "->" && *w != "=>").collect();
            let [from, to] = words[..] else {
                return Err(format!("line {}: expected 'IMAGE  STAND-IN', got '{line}'", n + 1));
            };
            if let Some(repo) = from.strip_suffix(":*") {
                let repo = normalize(repo);
                m.any_tag.insert(repo.trim_end_matches(":latest").to_owned(), to.to_owned());
            } else {
                m.exact.insert(normalize(from), to.to_owned());
            }
        }
        Ok(m)
    }

    pub fn get(&self, reference: &str) -> Option<&str> {
        if reference.contains('$') {
            return None;
        }
        let n = normalize(reference);
        if let Some(s) = self.exact.get(&n) {
            return Some(s);
        }
        let repo = match n.find('@') {
            Some(at) => &n[..at],
            None => &n[..n.rfind(':').unwrap_or(n.len())],
        };
        self.any_tag.get(repo).map(String::as_str)
    }

    /// `text` with the images of FROM lines and `COPY --from=<image>` replaced by their stand-ins; the
    /// list says what was replaced.
    pub fn apply(&self, text: &str) -> (String, Vec<(String, String)>) {
        let mut out = String::with_capacity(text.len());
        let mut done = vec![];
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let first = trimmed.split_whitespace().next().unwrap_or("");
            let mut words: Vec<String> = vec![];
            let mut changed = false;
            if first.eq_ignore_ascii_case("FROM") {
                // FROM [--platform=…] IMAGE [AS NAME]
                let mut seen_image = false;
                for w in trimmed.split_whitespace() {
                    if !seen_image && !w.eq_ignore_ascii_case("FROM") && !w.starts_with("--") {
                        seen_image = true;
                        if let Some(s) = self.get(w) {
                            done.push((w.to_owned(), s.to_owned()));
                            words.push(s.to_owned());
                            changed = true;
                            continue;
                        }
                    }
                    words.push(w.to_owned());
                }
            } else if first.eq_ignore_ascii_case("COPY") || first.eq_ignore_ascii_case("ADD") {
                for w in trimmed.split_whitespace() {
                    if let Some(img) = w.strip_prefix("--from=") {
                        if let Some(s) = self.get(img).filter(|_| img.contains(':') || img.contains('/')) {
                            done.push((img.to_owned(), s.to_owned()));
                            words.push(format!("--from={s}"));
                            changed = true;
                            continue;
                        }
                    }
                    words.push(w.to_owned());
                }
            }
            if changed {
                let end = if line.ends_with("\r\n") { "\r\n" } else if line.ends_with('\n') { "\n" } else { "" };
                out.push_str(indent);
                out.push_str(&words.join(" "));
                out.push_str(end);
            } else {
                out.push_str(line);
            }
        }
        (out, done)
    }
}

// ---------------------------------------------------------------- engines

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Docker,
    Podman,
    Buildah,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Docker => "docker",
            Engine::Podman => "podman",
            Engine::Buildah => "buildah",
        }
    }

    /// The program and the global arguments every call starts with.
    fn base(self) -> Command {
        match self {
            Engine::Docker => Command::new("docker"),
            Engine::Podman => Command::new("podman"),
            Engine::Buildah => {
                let mut c = Command::new("buildah");
                c.args(["--storage-driver", "vfs"]);
                c
            }
        }
    }
}

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn detect(wanted: Option<EngineName>) -> Result<Engine, String> {
    let docker = || works("docker", &["buildx", "version"]) && works("docker", &["info"]);
    let podman = || works("podman", &["info"]);
    let buildah = || works("buildah", &["--version"]);
    match wanted {
        Some(EngineName::Docker) => docker().then_some(Engine::Docker).ok_or("docker buildx with a running daemon not found"),
        Some(EngineName::Podman) => podman().then_some(Engine::Podman).ok_or("podman not found"),
        Some(EngineName::Buildah) => buildah().then_some(Engine::Buildah).ok_or("buildah not found"),
        None if docker() => Ok(Engine::Docker),
        None if podman() => Ok(Engine::Podman),
        None if buildah() => Ok(Engine::Buildah),
        None => Err("no engine: install docker (with buildx), podman or buildah"),
    }
    .map_err(str::to_owned)
}

/// Runs `c` to the end; `Ok(stdout)` on success, otherwise the tail of stderr and stdout.
fn output(mut c: Command) -> Result<String, String> {
    let shown = format!("{c:?}");
    let o = c.stdin(Stdio::null()).output().map_err(|e| format!("{shown}: {e}"))?;
    if o.status.success() {
        return Ok(String::from_utf8_lossy(&o.stdout).into_owned());
    }
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    Err(format!("{shown} failed ({}):\n{}", o.status, tail(&text, 40)))
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

struct Built {
    seconds: f64,
    size: u64,
}

fn build(engine: Engine, dockerfile: &Path, context: &Path, tag: &str, log: &Path, timeout: u64) -> Result<Built, String> {
    let start = Instant::now();
    let mut c = engine.base();
    match engine {
        Engine::Docker => c.args(["buildx", "build", "--load"]),
        Engine::Podman => c.args(["build"]),
        Engine::Buildah => c.args(["bud", "--isolation", "chroot", "--layers"]),
    };
    c.arg("-f").arg(dockerfile).arg("-t").arg(tag).arg(context);
    let shown = format!("{c:?}");
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    let mut child =
        c.stdin(Stdio::null()).stdout(file).stderr(err).process_group(0).spawn().map_err(|e| format!("{shown}: {e}"))?;
    let deadline = start + Duration::from_secs(timeout);
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if Instant::now() > deadline {
            stop_group(child.id());
            let _ = child.wait();
            let text = std::fs::read_to_string(log).unwrap_or_default();
            return Err(format!("{shown} did not finish within {timeout} s; the end of {}:\n{}", log.display(), tail(&text, 25)));
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    if !status.success() {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        return Err(format!("{shown} failed ({status}); the end of {}:\n{}", log.display(), tail(&text, 25)));
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(Built { seconds, size: image_size(engine, tag)? })
}

/// The image's size on disk (uncompressed), as `docker images` shows it. For buildah: the sum of the
/// uncompressed layer tars in the image's manifest (`buildah images` prints only a rounded "121 MB").
fn image_size(engine: Engine, tag: &str) -> Result<u64, String> {
    let mut c = engine.base();
    match engine {
        Engine::Docker | Engine::Podman => c.args(["image", "inspect", "--format", "{{.Size}}", tag]),
        Engine::Buildah => c.args(["inspect", "--type", "image", tag]),
    };
    let out = output(c)?;
    if engine != Engine::Buildah {
        return out.trim().parse().map_err(|_| format!("unexpected image size '{}'", out.trim()));
    }
    let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("buildah inspect: {e}"))?;
    let manifest: serde_json::Value = v["Manifest"]
        .as_str()
        .and_then(|m| serde_json::from_str(m).ok())
        .ok_or("buildah inspect: no manifest")?;
    let layers = manifest["layers"].as_array().ok_or("buildah inspect: no layers in the manifest")?;
    Ok(layers.iter().filter_map(|l| l["size"].as_u64()).sum())
}

/// The image the final stage starts from (through `FROM <stage>`), `None` for scratch or ARG-built names.
pub fn final_base(text: &str) -> Option<String> {
    let mut stages: Vec<(String, Option<String>)> = vec![];
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        if words.first().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) && words.len() >= 2 {
            let alias = (words.len() >= 4 && words[2].eq_ignore_ascii_case("AS")).then(|| words[3].to_ascii_lowercase());
            stages.push((words[1].to_owned(), alias));
        }
    }
    let mut image = stages.last()?.0.clone();
    for _ in 0..stages.len() {
        match stages.iter().find(|(_, a)| a.as_deref() == Some(image.to_ascii_lowercase().as_str())) {
            Some((base, _)) => image = base.clone(),
            None => break,
        }
    }
    (!image.eq_ignore_ascii_case("scratch") && !image.contains('$')).then_some(image)
}

/// Entrypoint, cmd, user and working directory of an image.
struct ImageConfig {
    argv: Vec<String>,
    /// The first EXPOSEd TCP port.
    port: Option<u16>,
    user: String,
    workdir: String,
}

fn image_config(engine: Engine, tag: &str, run_args: &[String]) -> Result<ImageConfig, String> {
    let mut c = engine.base();
    match engine {
        Engine::Docker | Engine::Podman => c.args(["image", "inspect", tag]),
        Engine::Buildah => c.args(["inspect", "--type", "image", tag]),
    };
    let out = output(c)?;
    let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("inspect {tag}: {e}"))?;
    let config = match engine {
        Engine::Buildah => v.pointer("/OCIv1/config").cloned(),
        _ => v.pointer("/0/Config").cloned(),
    }
    .unwrap_or_default();
    let list = |k: &str| -> Vec<String> {
        config.get(k).and_then(|x| x.as_array()).map_or(vec![], |a| {
            a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()
        })
    };
    let text = |k: &str| config.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
    let mut argv = list("Entrypoint");
    argv.extend(if run_args.is_empty() { list("Cmd") } else { run_args.to_vec() });
    let port = config.get("ExposedPorts").and_then(|p| p.as_object()).and_then(|p| {
        p.keys().filter_map(|k| k.strip_suffix("/tcp").unwrap_or(k).parse().ok()).min()
    });
    Ok(ImageConfig { argv, port, user: text("User"), workdir: text("WorkingDir") })
}

/// What a run did: exit code and output, or a server's first answer.
#[derive(Debug, PartialEq)]
struct Behaviour {
    exit: Option<i32>,
    output: String,
    /// Set for `--http`: the status line's code.
    http_status: Option<u16>,
    /// Set for `--http`: the port that answered (not compared: `--http /PATH` lets each image use its own).
    port: Option<u16>,
}

/// The command that runs `tag` the way `docker run` would; the container (for buildah) is removed after.
fn run_command(engine: Engine, tag: &str, cfg: &ImageConfig, run_args: &[String], name: &str) -> (Command, Option<String>) {
    match engine {
        Engine::Docker | Engine::Podman => {
            let mut c = engine.base();
            c.args(["run", "--rm", "--network", "host", "--name", name, tag]).args(run_args);
            (c, None)
        }
        Engine::Buildah => {
            let mut c = engine.base();
            c.args(["run", "--isolation", "chroot"]);
            if !cfg.user.is_empty() {
                c.args(["--user", &cfg.user]);
            }
            if !cfg.workdir.is_empty() {
                c.args(["--workingdir", &cfg.workdir]);
            }
            c.arg(name).arg("--").args(&cfg.argv);
            (c, Some(name.to_owned()))
        }
    }
}

/// Why an image did not run.
#[derive(Debug)]
struct RunFailure {
    message: String,
    /// The server exited before it answered: worth one more start, since what makes a server exit at
    /// once can be the machine's (a port another program took a moment ago), not the image's.
    exited_early: bool,
}

impl From<String> for RunFailure {
    fn from(message: String) -> Self {
        RunFailure { message, exited_early: false }
    }
}

fn run(engine: Engine, tag: &str, a: &VerifyArgs, name: &str) -> Result<Behaviour, RunFailure> {
    let cfg = image_config(engine, tag, &a.run_args)?;
    if cfg.argv.is_empty() && engine == Engine::Buildah {
        return Err(format!("{tag} has no ENTRYPOINT or CMD; give the command after --").into());
    }
    if engine == Engine::Buildah {
        let mut c = engine.base();
        c.args(["from", "--pull-never", "--name", name, tag]);
        output(c)?;
    }
    let (c, container) = run_command(engine, tag, &cfg, &a.run_args, name);
    let result = match &a.http {
        None => run_to_end(c, a.timeout).map_err(RunFailure::from),
        Some(crate::args::HttpCheck { port, path }) => match if *port == 0 { cfg.port } else { Some(*port) } {
            Some(port) => serve_and_get(c, port, path, a.timeout).map(|b| Behaviour { port: Some(port), ..b }),
            None => Err(format!("{tag} EXPOSEs no port; give one: --http PORT{path}").into()),
        },
    };
    // Docker and podman containers are removed by --rm (and by name when a server was stopped).
    if engine != Engine::Buildah {
        let mut c = engine.base();
        c.args(["rm", "-f", name]);
        let _ = output(c);
    }
    if let Some(ctr) = container {
        let mut c = engine.base();
        c.args(["rm", &ctr]);
        let _ = output(c);
    }
    result
}

fn run_to_end(mut c: Command, timeout: u64) -> Result<Behaviour, String> {
    let shown = format!("{c:?}");
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("{shown}: {e}"))?;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(s);
        }
        if Instant::now() > deadline {
            stop_group(child.id());
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = t_out.join().unwrap_or_default();
    let stderr = t_err.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(format!("{shown} did not end within {timeout} s; output:\n{}", tail(&stdout, 10)));
    };
    let mut output = stdout;
    if !stderr.trim().is_empty() {
        output.push_str("[stderr]\n");
        output.push_str(&stderr);
    }
    Ok(Behaviour { exit: status.code(), output, http_status: None, port: None })
}

fn stop_group(pid: u32) {
    // The group may be gone already (the server exited): kill's complaint about that is noise.
    let _ = Command::new("kill").args(["-TERM", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
}

/// Whether something listens on `port`, on any address: binding it on every IPv4 and every IPv6
/// address is refused then. (Connecting to 127.0.0.1 misses a server bound to another address, whose
/// port a server started on `:PORT` still cannot take.)
fn port_in_use(port: u16) -> bool {
    let taken = |addr: &str| matches!(std::net::TcpListener::bind((addr, port)), Err(e) if e.kind() == std::io::ErrorKind::AddrInUse);
    taken("0.0.0.0") || taken("::")
}

/// Waits up to `seconds` for `port` to be free; whether it is.
fn wait_port_free(port: u16, seconds: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while port_in_use(port) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    true
}

fn serve_and_get(mut c: Command, port: u16, path: &str, timeout: u64) -> Result<Behaviour, RunFailure> {
    // A server stopped a moment ago (the other image's) may still hold the port.
    if !wait_port_free(port, 20) {
        return Err(format!("port {port} is already in use before the container starts").into());
    }
    let shown = format!("{c:?}");
    // What the server prints goes to a file, so that a server that fails says why.
    let log = std::env::temp_dir().join(format!("slimfile-verify-server-{}-{port}.log", std::process::id()));
    let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let file2 = file.try_clone().map_err(|e| format!("{}: {e}", log.display()))?;
    c.stdin(Stdio::null()).stdout(file).stderr(file2).process_group(0);
    let spawned = c.spawn();
    let printed = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let _ = std::fs::remove_file(&log);
        if text.trim().is_empty() { String::new() } else { format!("; it printed:\n{}", tail(&text, 15)) }
    };
    let mut child = spawned.map_err(|e| format!("{shown}: {e}{}", printed()))?;
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let answer = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break Err((format!("the server exited ({s}) before answering on port {port}"), true));
        }
        if Instant::now() > deadline {
            break Err((format!("no answer on port {port} within {timeout} s"), false));
        }
        if let Ok(a) = http_get(port, path) {
            break Ok(a);
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    stop_group(child.id());
    let stop_deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < stop_deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    if child.try_wait().ok().flatten().is_none() {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(Stdio::null()).status();
        let _ = child.wait();
    }
    // The server may outlive its parent for a moment: wait until the port is free again.
    wait_port_free(port, 20);
    let printed = printed();
    let (status, body) =
        answer.map_err(|(e, exited_early)| RunFailure { message: format!("{e}{printed}"), exited_early })?;
    Ok(Behaviour { exit: None, output: body, http_status: Some(status), port: None })
}

/// A plain HTTP/1.0 GET: the status code and the body.
fn http_get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = vec![];
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or("no HTTP status")?;
    Ok((status, body.to_owned()))
}

// ---------------------------------------------------------------- the command

fn temp_dir() -> Result<PathBuf, String> {
    let d = std::env::temp_dir().join(format!("slimfile-verify-{}", std::process::id()));
    std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
    Ok(d)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Signed error of an estimate against the real size, in percent of the real size.
fn error_percent(estimate: u64, real: u64) -> f64 {
    if real == 0 {
        return 0.0;
    }
    (estimate as f64 - real as f64) / real as f64 * 100.0
}

pub fn run_verify(a: &VerifyArgs) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&a.file).map_err(|e| format!("cannot read {}: {e}", a.file))?;
    let dockerfile = Path::new(&a.file);
    let context = match &a.context {
        Some(c) => PathBuf::from(c),
        None => dockerfile.parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), Path::to_path_buf),
    };
    if !context.is_dir() {
        return Err(format!("the context '{}' is not a folder", context.display()));
    }
    let map = match &a.map {
        Some(f) => {
            let t = std::fs::read_to_string(f).map_err(|e| format!("cannot read {f}: {e}"))?;
            ImageMap::parse(&t).map_err(|e| format!("{f}: {e}"))?
        }
        None => ImageMap::default(),
    };
    let report: Report = convert(&text, &crate::config::Config::default().options(&a.conversion));
    let est_original = report.estimate.as_ref().map(|e| e.original.total);
    let est_rewritten = report.estimate.as_ref().and_then(|e| e.rewritten.as_ref()).map(|r| r.total);
    let name = a.name.clone().unwrap_or_else(|| {
        let dir = std::fs::canonicalize(&context).ok();
        let base = dir.as_deref().and_then(|d| d.file_name()).and_then(|n| n.to_str()).unwrap_or("app");
        base.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c.to_ascii_lowercase() } else { '-' }).collect()
    });
    let mut result = json!({
        "file": a.file,
        "name": name,
        "status": report.status,
        "runtime_image": report.runtime_image,
        "strategy": report.strategy,
        "reasons": report.reasons,
        "estimate": {
            "original": est_original,
            "rewritten": est_rewritten,
        },
    });
    let Some(rewritten) = report.output.clone().filter(|_| report.status == Status::Converted) else {
        result["verdict"] = json!(match report.status {
            Status::Refused => "refused",
            _ => "unchanged",
        });
        return finish(a, result, ExitCode::from(1));
    };
    let engine = match detect(a.engine) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("slimfile: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    result["engine"] = json!(engine.name());
    let tmp = temp_dir()?;
    let mut sides = serde_json::Map::new();
    let mut behaviours = vec![];
    let mut failed = None;
    for (side, source) in [("original", text.as_str()), ("rewritten", rewritten.as_str())] {
        let (mapped, replaced) = map.apply(source);
        let path = tmp.join(format!("Dockerfile.{side}"));
        std::fs::write(&path, &mapped).map_err(|e| format!("{}: {e}", path.display()))?;
        let tag = format!("localhost/slimfile-verify/{name}:{side}");
        let log = tmp.join(format!("build-{side}.log"));
        eprintln!("slimfile verify: building the {side} image ({tag}) with {}", engine.name());
        let mut entry = json!({
            "image": tag,
            "dockerfile": mapped,
            "stand_ins": replaced.iter().map(|(f, t)| json!({"from": f, "to": t})).collect::<Vec<_>>(),
        });
        match build(engine, &path, &context, &tag, &log, a.build_timeout) {
            Ok(b) => {
                entry["build_seconds"] = json!((b.seconds * 10.0).round() / 10.0);
                entry["size"] = json!(b.size);
                // The base image's real size, so that the layers added on top can be compared apart from
                // the base table (the stand-ins are not the official images).
                let base_size = match final_base(&mapped) {
                    Some(base) => image_size(engine, &base).ok(),
                    None => Some(0),
                };
                entry["base_size"] = json!(base_size);
                let est_base = report.estimate.as_ref().map(|e| if side == "original" { Some(&e.original) } else { e.rewritten.as_ref() });
                let est_base = est_base.flatten().and_then(|i| i.layers.first()).filter(|l| l.instruction.to_ascii_uppercase().starts_with("FROM"));
                entry["estimate_base"] = json!(est_base.map(|l| l.size.typical));
                let est = if side == "original" { est_original } else { est_rewritten };
                if let (Some(est), Some(base), Some(eb)) = (est, base_size, est_base) {
                    let added = b.size.saturating_sub(base);
                    let est_added = est.typical.saturating_sub(eb.size.typical);
                    entry["added_size"] = json!(added);
                    entry["estimate_added"] = json!(est_added);
                    entry["added_error_percent"] = json!((error_percent(est_added, added) * 10.0).round() / 10.0);
                }
                if let Some(est) = est {
                    entry["estimate_error_percent"] = json!((error_percent(est.typical, b.size) * 10.0).round() / 10.0);
                    entry["within_range"] = json!(est.low <= b.size && b.size <= est.high);
                }
                eprintln!("slimfile verify: running the {side} image");
                let container = format!("slimfile-verify-{name}-{side}-{}", std::process::id());
                let mut ran = run(engine, &tag, a, &container);
                if let Err(first @ RunFailure { exited_early: true, .. }) = &ran {
                    // Said in the result, never hidden: a server that fails once in two starts is a finding.
                    eprintln!("slimfile verify: the {side} server exited before answering; starting it once more");
                    entry["first_start_error"] = json!(first.message);
                    ran = run(engine, &tag, a, &container);
                }
                match ran.map_err(|f| f.message) {
                    Ok(beh) => {
                        entry["exit"] = json!(beh.exit);
                        entry["http_status"] = json!(beh.http_status);
                        entry["port"] = json!(beh.port);
                        entry["output"] = json!(beh.output);
                        behaviours.push(beh);
                    }
                    Err(e) => {
                        entry["run_error"] = json!(e);
                        failed.get_or_insert(format!("the {side} image did not run: {e}"));
                    }
                }
            }
            Err(e) => {
                entry["build_error"] = json!(e);
                failed.get_or_insert(format!("the {side} image did not build: {e}"));
            }
        }
        sides.insert(side.to_owned(), entry);
        if failed.is_some() && side == "original" {
            break;
        }
    }
    result["images"] = serde_json::Value::Object(sides);
    let verdict = match (&failed, behaviours.as_slice()) {
        (Some(e), _) => {
            result["error"] = json!(e);
            "failed"
        }
        (None, [o, r]) if (o.exit, &o.output, o.http_status) == (r.exit, &r.output, r.http_status) => "same",
        _ => "different",
    };
    result["verdict"] = json!(verdict);
    let _ = std::fs::remove_dir_all(&tmp);
    finish(a, result, if verdict == "same" { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn finish(a: &VerifyArgs, r: serde_json::Value, code: ExitCode) -> Result<ExitCode, String> {
    let text = if a.format == ReportFormat::Json { format!("{}\n", serde_json::to_string_pretty(&r).map_err(|e| e.to_string())?) } else { render(&r) };
    crate::output::print(&text)?;
    Ok(code)
}

fn render(r: &serde_json::Value) -> String {
    let mut s = String::new();
    let verdict = r["verdict"].as_str().unwrap_or("");
    s.push_str(&format!("{}: {}\n", r["file"].as_str().unwrap_or(""), match verdict {
        "same" => "the rewritten image behaves the same",
        "different" => "the rewritten image behaves DIFFERENTLY",
        "failed" => "verification FAILED",
        "refused" => "slimfile refused to convert it; nothing to verify",
        _ => "unchanged; nothing to verify",
    }));
    for reason in r["reasons"].as_array().into_iter().flatten().filter(|_| verdict == "refused" || verdict == "unchanged") {
        s.push_str(&format!("  reason: {}\n", reason.as_str().unwrap_or("")));
    }
    if let Some(images) = r["images"].as_object() {
        s.push_str(&format!("  {:<10} {:>12} {:>12} {:>9}  {}\n", "image", "real size", "estimate", "error", "behaviour"));
        for (side, e) in images {
            let est = &r["estimate"][side.as_str()];
            let real = e["size"].as_u64().map_or("-".to_owned(), mb);
            let estimate = est["typical"].as_u64().map_or("-".to_owned(), |t| {
                format!("{} ({}–{})", mb(t), est["low"].as_u64().unwrap_or(0) / 1_000_000, est["high"].as_u64().unwrap_or(0) / 1_000_000)
            });
            let err = e["estimate_error_percent"].as_f64().map_or("-".to_owned(), |p| format!("{p:+.0}%"));
            let beh = if let Some(st) = e["http_status"].as_u64() {
                format!("HTTP {st}, {} bytes", e["output"].as_str().map_or(0, str::len))
            } else if e["exit"].is_number() {
                format!("exit {}, {} bytes of output", e["exit"], e["output"].as_str().map_or(0, str::len))
            } else {
                "-".to_owned()
            };
            s.push_str(&format!("  {side:<10} {real:>12} {estimate:>12} {err:>9}  {beh}\n"));
        }
        for (side, e) in images {
            if let Some(first) = e["first_start_error"].as_str() {
                s.push_str(&format!("  warning: the {side} server was started twice; the first time {}\n", first.strip_prefix("the server ").unwrap_or(first)));
            }
        }
    }
    if let Some(e) = r["error"].as_str() {
        s.push_str(&format!("  error: {e}\n"));
    }
    if verdict == "different" {
        for side in ["original", "rewritten"] {
            s.push_str(&format!("  --- {side} output:\n{}\n", tail(r["images"][side]["output"].as_str().unwrap_or(""), 15)));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_references() {
        assert_eq!(normalize("ubuntu"), "docker.io/library/ubuntu:latest");
        assert_eq!(normalize("golang:1.22-bookworm"), "docker.io/library/golang:1.22-bookworm");
        assert_eq!(normalize("nginxinc/nginx-unprivileged:1.27"), "docker.io/nginxinc/nginx-unprivileged:1.27");
        assert_eq!(normalize("gcr.io/distroless/static-debian12:nonroot"), "gcr.io/distroless/static-debian12:nonroot");
        assert_eq!(normalize("localhost:5000/x"), "localhost:5000/x:latest");
    }

    #[test]
    fn maps_from_lines_in_a_copy() {
        let m = ImageMap::parse(
            "# comment\nubuntu  localhost/debian:bookworm\ngolang:*  localhost/golang:bookworm\n\
             gcr.io/distroless/static-debian12:nonroot localhost/distroless-static:nonroot\n",
        )
        .unwrap();
        let text = "FROM ubuntu:latest AS build\nRUN echo FROM ubuntu\nfrom --platform=$BUILDPLATFORM golang:1.22 AS b\r\n\
                    FROM build\nCOPY --from=gcr.io/distroless/static-debian12:nonroot /etc/passwd /p\nCOPY --from=build /a /a\n";
        let (out, done) = m.apply(text);
        assert_eq!(
            out,
            "FROM localhost/debian:bookworm AS build\nRUN echo FROM ubuntu\nfrom --platform=$BUILDPLATFORM localhost/golang:bookworm AS b\r\n\
             FROM build\nCOPY --from=localhost/distroless-static:nonroot /etc/passwd /p\nCOPY --from=build /a /a\n"
        );
        assert_eq!(done.len(), 3);
        assert!(ImageMap::parse("just-one-word\n").is_err());
    }

    #[test]
    fn finds_the_final_base() {
        assert_eq!(final_base("FROM a:1 AS build\nFROM scratch\n"), None);
        assert_eq!(final_base("FROM a:1 AS build\nFROM --platform=x b:2 AS run\n").as_deref(), Some("b:2"));
        assert_eq!(final_base("FROM a:1 AS Build\nFROM build\n").as_deref(), Some("a:1"));
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
    }

    #[test]
    fn a_port_is_in_use_whatever_address_holds_it() {
        let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = l.local_addr().unwrap().port();
        assert!(port_in_use(port));
        drop(l);
        assert!(!port_in_use(port));
        // Held on an IPv6 address only, which connecting to 127.0.0.1 does not see.
        if let Ok(l) = std::net::TcpListener::bind(("::1", 0)) {
            let port = l.local_addr().unwrap().port();
            assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
            assert!(port_in_use(port));
        }
    }

    #[test]
    fn a_server_that_exits_at_once_says_why() {
        let port = free_port();
        let mut c = Command::new("sh");
        c.args(["-c", &format!("echo starting; echo \"listen tcp :{port}: bind: address already in use\" >&2; exit 1")]);
        let f = serve_and_get(c, port, "/", 10).unwrap_err();
        assert!(f.exited_early, "{f:?}");
        assert!(f.message.starts_with(&format!("the server exited (exit status: 1) before answering on port {port}")), "{f:?}");
        assert!(f.message.ends_with("it printed:\nstarting\nlisten tcp :{port}: bind: address already in use".replace("{port}", &port.to_string()).as_str()), "{f:?}");
    }

    #[test]
    fn a_server_is_asked_then_stopped() {
        let dir = temp_dir().unwrap().join("www");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("health"), "ok\n").unwrap();
        let port = free_port();
        let mut c = Command::new("python3");
        c.args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"]).arg(&dir);
        let b = serve_and_get(c, port, "/health", 30).unwrap();
        assert_eq!((b.http_status, b.output.as_str()), (Some(200), "ok\n"));
        assert!(!port_in_use(port), "the server is stopped and its port free");
        let mut c = Command::new("sh");
        c.args(["-c", "sleep 30"]);
        let f = serve_and_get(c, port, "/", 1).unwrap_err();
        assert!(!f.exited_early);
        assert_eq!(f.message, format!("no answer on port {port} within 1 s"));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir(dir.parent().unwrap());
    }

    #[test]
    fn a_second_start_is_said() {
        let r = json!({"file": "Dockerfile", "verdict": "same", "estimate": {}, "images": {
            "original": {"http_status": 200, "output": "ok"},
            "rewritten": {"http_status": 200, "output": "ok",
                          "first_start_error": "the server exited (exit status: 1) before answering on port 8080"}}});
        assert!(render(&r).ends_with(
            "  warning: the rewritten server was started twice; the first time exited (exit status: 1) before answering on port 8080\n"
        ), "{}", render(&r));
    }

    #[test]
    fn error_is_relative_to_the_real_size() {
        assert_eq!(error_percent(110, 100), 10.0);
        assert_eq!(error_percent(90, 100), -10.0);
    }
}
