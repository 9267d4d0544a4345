//! `slimfile verify`: build the original and the rewritten Dockerfile for real, run both the same way,
//! compare exit code and output (or an HTTP answer) and the results of the health checks (`--health-cmd`
//! and each image's own HEALTHCHECK), and put the real image sizes next to the estimate.
//!
//! - `map`: `--map` stand-ins, written into temporary copies of both Dockerfiles (the user's file is only
//!   read).
//! - `engine`: docker, podman or buildah commands.
//! - `run`: a run to the end, or a server started, asked and stopped.
//! - `compare`: what the original does on its own from run to run is masked; `--mask` masks more.
//! - `report`: the typed result, as JSON or text.
//!
//! The work folder (the Dockerfiles' copies, build logs, a server's log) is a fresh temporary folder,
//! removed however the command ends.

mod compare;
mod engine;
mod map;
mod report;
mod run;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use slimfile_core::{convert_with, Report, Status};

use crate::args::{HealthCmd, ReportFormat, VerifyArgs};
use crate::config::Config;
use crate::output::print;

use compare::{compare, UserMasks};
use engine::{Engine, ImageConfig};
use map::{final_base, ImageMap};
use report::{error_percent, Estimates, HealthResult, ImageResult, Images, SecondRun, StandIn, Verdict, VerifyResult};
use run::{run_to_end, serve_and_get, Behaviour, Http, RunFailure};

/// What every step needs.
struct Job<'a> {
    a: &'a VerifyArgs,
    engine: Engine,
    context: PathBuf,
    work: &'a Path,
    name: String,
    map: ImageMap,
    report: Report,
}

pub fn run(a: &VerifyArgs) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&a.file).map_err(|e| format!("cannot read {}: {e}", a.file))?;
    let context = match &a.context {
        Some(c) => PathBuf::from(c),
        None => Path::new(&a.file).parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), Path::to_path_buf),
    };
    if !context.is_dir() {
        return Err(format!("the context '{}' is not a folder", context.display()));
    }
    let map = match &a.map {
        Some(f) => ImageMap::parse(&std::fs::read_to_string(f).map_err(|e| format!("cannot read {f}: {e}"))?).map_err(|e| format!("{f}: {e}"))?,
        None => ImageMap::default(),
    };
    let masks = UserMasks::new(&a.mask)?;
    // The engine reads the same context the builds get: the project's files answer what the Dockerfile
    // alone does not (package.json's start script, Cargo.toml's binary).
    let project = crate::context::Contexts::default().get(&context)?;
    let report = convert_with(&text, &Config::default().options(&a.conversion, &crate::today::judged_on(a.conversion.date())?), &project);
    let name = a.name.clone().unwrap_or_else(|| default_name(&context));
    let mut result = new_result(a, &name, &report);
    let Some(rewritten) = report.output.clone().filter(|_| report.status == Status::Converted) else {
        result.verdict = if report.status == Status::Refused { Verdict::Refused } else { Verdict::Unchanged };
        return finish(a, &result);
    };
    let engine = match Engine::detect(a.engine) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("slimfile: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    result.engine = Some(engine.name().to_owned());
    let work = tempfile::Builder::new().prefix("slimfile-verify-").tempdir().map_err(|e| format!("cannot make a work folder: {e}"))?;
    let job = Job { a, engine, context, work: work.path(), name, map, report };
    verify_images(&job, &text, &rewritten, &masks, &mut result);
    // The work folder goes when `work` is dropped: after printing, or on any error before.
    finish(a, &result)
}

/// The context folder's name, as an image name takes it.
fn default_name(context: &Path) -> String {
    let dir = std::fs::canonicalize(context).ok();
    let base = dir.as_deref().and_then(|d| d.file_name()).and_then(|n| n.to_str()).unwrap_or("app");
    base.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c.to_ascii_lowercase() } else { '-' }).collect()
}

fn new_result(a: &VerifyArgs, name: &str, report: &Report) -> VerifyResult {
    let estimate = report.estimate.as_ref();
    VerifyResult {
        differences: vec![],
        engine: None,
        error: None,
        estimate: Estimates {
            original: estimate.map(|e| e.original.total),
            rewritten: estimate.and_then(|e| e.rewritten.as_ref()).map(|r| r.total),
        },
        file: a.file.clone(),
        images: None,
        masked: vec![],
        name: name.to_owned(),
        reasons: report.reasons.clone(),
        runtime_image: report.runtime_image.clone(),
        status: report.status,
        strategy: report.strategy.clone(),
        verdict: Verdict::Unchanged,
    }
}

fn finish(a: &VerifyArgs, r: &VerifyResult) -> Result<ExitCode, String> {
    let text = match a.format {
        ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(r).map_err(|e| e.to_string())?),
        ReportFormat::Text => report::render(r),
    };
    print(&text)?;
    Ok(if r.verdict == Verdict::Same { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// What an image did: its first run (with the health checks), and for the original a second run.
struct Ran {
    first: Behaviour,
    second: Option<Behaviour>,
}

/// Builds and runs both images, then decides the verdict.
fn verify_images(job: &Job, text: &str, rewritten: &str, masks: &UserMasks, result: &mut VerifyResult) {
    let (original, ran_original) = image(job, "original", text);
    let mut images = Images { original, rewritten: None };
    let verdict = match ran_original {
        Err(e) => Err(e),
        Ok(o) => {
            let (image_result, ran) = image(job, "rewritten", rewritten);
            images.rewritten = Some(image_result);
            ran.map(|r| (o, r))
        }
    };
    match verdict {
        Err(e) => {
            result.error = Some(e);
            result.verdict = Verdict::Failed;
        }
        Ok((o, r)) => {
            let c = compare(&o.first, o.second.as_ref(), &r.first, masks);
            result.masked = c.masked;
            result.differences = c.differences;
            let health = images.original.health.iter().zip(images.rewritten.iter().flat_map(|r| &r.health));
            result.differences.extend(health.filter_map(|(o, r)| health_difference(o, r)));
            let own = images.rewritten.as_ref().map(|r| r.healthcheck.as_ref());
            result.differences.extend(own_health_difference(images.original.healthcheck.as_ref(), own.flatten()));
            result.verdict = if result.differences.is_empty() { Verdict::Same } else { Verdict::Different };
        }
    }
    result.images = Some(images);
}

/// How a health check ended, in a few words.
fn how(h: &HealthResult) -> String {
    match (h.exit, &h.error) {
        (Some(x), _) => format!("exit {x}"),
        (None, Some(e)) => e.lines().next().unwrap_or("").to_owned(),
        (None, None) => "did not run".to_owned(),
    }
}

fn health_difference(o: &HealthResult, r: &HealthResult) -> Option<String> {
    match (o.passed(), r.passed()) {
        (true, false) => Some(format!("the health check {} passes in the original and fails in the rewritten image ({})", o.command, how(r))),
        (false, true) => Some(format!("the health check {} fails in the original ({}) and passes in the rewritten image", o.command, how(o))),
        _ => None,
    }
}

/// The images' own HEALTHCHECKs, each image's own command (a rewrite may change its form): a check the
/// rewrite dropped, or one that passes in one image only, is a difference; so is a check only the rewrite
/// has that fails.
fn own_health_difference(o: Option<&HealthResult>, r: Option<&HealthResult>) -> Option<String> {
    match (o, r) {
        (Some(o), Some(r)) => match (o.passed(), r.passed()) {
            (true, false) => Some(format!(
                "the HEALTHCHECK passes in the original ({}) and fails in the rewritten image ({}: {})",
                o.command,
                r.command,
                how(r)
            )),
            (false, true) => Some(format!(
                "the HEALTHCHECK fails in the original ({}: {}) and passes in the rewritten image ({})",
                o.command,
                how(o),
                r.command
            )),
            _ => None,
        },
        (Some(o), None) => Some(format!("the original image has a HEALTHCHECK ({}) and the rewritten image has none", o.command)),
        (None, Some(r)) if !r.passed() => {
            Some(format!("the rewritten image's HEALTHCHECK fails ({}: {}), and the original has none", r.command, how(r)))
        }
        _ => None,
    }
}

/// Builds one side's image, measures it and runs it: its part of the result, and what it did (or why
/// that could not be known).
fn image(job: &Job, side: &'static str, source: &str) -> (ImageResult, Result<Ran, String>) {
    let (mapped, replaced) = job.map.apply(source);
    let tag = format!("localhost/slimfile-verify/{}:{side}", job.name);
    let mut entry = ImageResult {
        image: tag.clone(),
        dockerfile: mapped.clone(),
        stand_ins: replaced.into_iter().map(|(from, to)| StandIn { from, to }).collect(),
        ..ImageResult::default()
    };
    eprintln!("slimfile verify: building the {side} image ({tag}) with {}", job.engine.name());
    if let Err(e) = build_and_measure(job, side, &mapped, &mut entry) {
        entry.build_error = Some(e.clone());
        return (entry, Err(format!("the {side} image did not build: {e}")));
    }
    eprintln!("slimfile verify: running the {side} image");
    let container = format!("slimfile-verify-{}-{side}-{}", job.name, std::process::id());
    let first = match run_with_retry(job, &tag, &container, Checks::All, &mut entry.first_start_error) {
        Ok((b, health)) => {
            record(&mut entry, &b);
            entry.health = health.given;
            entry.healthcheck = health.own;
            b
        }
        Err(e) => {
            entry.run_error = Some(e.clone());
            return (entry, Err(format!("the {side} image did not run: {e}")));
        }
    };
    let second = (side == "original").then(|| {
        eprintln!("slimfile verify: running the original image again, to see what changes from run to run");
        let ran = run_with_retry(job, &tag, &container, Checks::None, &mut None);
        let second = match &ran {
            Ok((b, _)) => SecondRun { exit: b.exit, http_status: b.http_status, output: Some(b.output.clone()), run_error: None },
            Err(e) => SecondRun { run_error: Some(e.clone()), ..SecondRun::default() },
        };
        entry.second_run = Some(Box::new(second));
        ran.ok().map(|(b, _)| b)
    });
    (entry, Ok(Ran { first, second: second.flatten() }))
}

fn record(entry: &mut ImageResult, b: &Behaviour) {
    entry.exit = b.exit;
    entry.http_status = b.http_status;
    entry.port = b.port;
    entry.output = Some(b.output.clone());
}

/// Builds the image and puts its real size next to the estimate: the whole image, and the layers above
/// its base image (the stand-ins are not the official images, so the base is measured too).
fn build_and_measure(job: &Job, side: &str, mapped: &str, entry: &mut ImageResult) -> Result<(), String> {
    let path = job.work.join(format!("Dockerfile.{side}"));
    std::fs::write(&path, mapped).map_err(|e| format!("{}: {e}", path.display()))?;
    let start = Instant::now();
    let log = job.work.join(format!("build-{side}.log"));
    job.engine.build(&path, &job.context, &entry.image, &log, job.a.build_timeout)?;
    entry.build_seconds = Some((start.elapsed().as_secs_f64() * 10.0).round() / 10.0);
    let size = job.engine.image_size(&entry.image)?;
    entry.size = Some(size);
    entry.base_size = match final_base(mapped) {
        Some(base) => job.engine.image_size(&base).ok(),
        None => Some(0),
    };
    let estimate = job.report.estimate.as_ref();
    let side_estimate = estimate.and_then(|e| if side == "original" { Some(&e.original) } else { e.rewritten.as_ref() });
    let base_layer = side_estimate.and_then(|i| i.layers.first()).filter(|l| l.instruction.to_ascii_uppercase().starts_with("FROM"));
    entry.estimate_base = base_layer.map(|l| l.size.typical);
    let Some(total) = side_estimate.map(|i| i.total) else { return Ok(()) };
    if let (Some(base), Some(est_base)) = (entry.base_size, entry.estimate_base) {
        let added = size.saturating_sub(base);
        let est_added = total.typical.saturating_sub(est_base);
        entry.added_size = Some(added);
        entry.estimate_added = Some(est_added);
        entry.added_error_percent = Some(error_percent(est_added, added));
    }
    entry.estimate_error_percent = Some(error_percent(total.typical, size));
    entry.within_range = Some(total.low <= size && size <= total.high);
    Ok(())
}

/// Which health checks a run makes: the `--health-cmd` checks and the image's own HEALTHCHECK, or none
/// (the original's second run).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Checks {
    All,
    None,
}

/// What the health checks of one run gave.
#[derive(Default)]
struct HealthResults {
    /// The `--health-cmd` checks, in order.
    given: Vec<HealthResult>,
    /// The image's own HEALTHCHECK.
    own: Option<HealthResult>,
}

/// Runs the image once, and once more when a server exited before it answered: what makes a server exit
/// at once can be the machine's (a port another program took a moment ago), not the image's. The first
/// start's error is kept in the result, never hidden.
fn run_with_retry(
    job: &Job,
    tag: &str,
    container: &str,
    health: Checks,
    first_error: &mut Option<String>,
) -> Result<(Behaviour, HealthResults), String> {
    match run_image(job, tag, container, health) {
        Err(first @ RunFailure { exited_early: true, .. }) => {
            eprintln!("slimfile verify: the server ({tag}) exited before answering; starting it once more");
            *first_error = Some(first.message);
            run_image(job, tag, container, health).map_err(|f| f.message)
        }
        other => other.map_err(|f| f.message),
    }
}

/// One run of `tag` in the container `container`, with the health checks: while a server answers, or
/// after a command has ended.
fn run_image(job: &Job, tag: &str, container: &str, health: Checks) -> Result<(Behaviour, HealthResults), RunFailure> {
    let (engine, a) = (job.engine, job.a);
    let cfg = engine.image_config(tag, &a.run_args)?;
    if cfg.argv.is_empty() && engine == Engine::Buildah {
        return Err(format!("{tag} has no ENTRYPOINT or CMD; give the command after --").into());
    }
    engine.create(tag, container)?;
    let c = engine.run_command(tag, &cfg, &a.run_args, container);
    let checks = |running: bool| match health {
        Checks::None => HealthResults::default(),
        Checks::All => HealthResults {
            given: a.health_cmd.iter().map(|h| health_check(job, h, tag, &cfg, container, running)).collect(),
            own: cfg.healthcheck.as_ref().map(|h| health_check(job, h, tag, &cfg, container, running)),
        },
    };
    let mut results = HealthResults::default();
    let ran = match &a.http {
        None => run_to_end(c, a.timeout).map_err(RunFailure::from).inspect(|_| results = checks(false)),
        Some(h) => match if h.port == 0 { cfg.port } else { Some(h.port) } {
            Some(port) => {
                let http = Http { port, path: &h.path, timeout: a.timeout };
                let log = job.work.join(format!("{container}.log"));
                serve_and_get(c, http, &log, &mut || results = checks(true)).map(|b| Behaviour { port: Some(port), ..b })
            }
            None => Err(format!("{tag} EXPOSEs no port; give one: --http PORT{}", h.path).into()),
        },
    };
    engine.remove(container);
    ran.map(|b| (b, results))
}

/// Runs one health check, a few times a second apart while a server runs (as a compose healthcheck's
/// retries), until it passes.
fn health_check(job: &Job, check: &HealthCmd, tag: &str, cfg: &ImageConfig, container: &str, running: bool) -> HealthResult {
    let attempts = if running { 3 } else { 1 };
    let mut last = None;
    for attempt in 0..attempts {
        if attempt > 0 {
            std::thread::sleep(Duration::from_secs(1));
        }
        let c = job.engine.health_command(check, tag, cfg, container, running);
        let r = match run_to_end(c, job.a.timeout.min(60)) {
            Ok(b) => HealthResult { command: check.text.clone(), exit: b.exit, error: None, output: b.output },
            Err(e) => HealthResult { command: check.text.clone(), exit: None, error: Some(e), output: String::new() },
        };
        if r.passed() {
            return r;
        }
        last = Some(r);
    }
    last.expect("at least one attempt")
}
