//! Step 7, estimate: a per-layer size model of a Dockerfile's final image, from the Dockerfile alone.
//!
//! Each layer of the final image (its base, then every RUN, COPY and ADD of the stages it is built
//! from) gets a typical size, a low–high range and the basis of the figure: the base image table
//! (`data/images.json`), Debian package closures over the base's own package set
//! (`data/debian/bookworm-closure.json`, Alpine and Ubuntu mapped approximately), and typical artifact
//! and cache sizes (`data/artifacts.json`). Layer semantics are Docker's: what a RUN deletes that an
//! earlier layer wrote stays in the image; a cleanup saves space only in the RUN that made the files.

use crate::analyze::{made_files, Analysis, ArtKind, Distro, Eco, InstallCmd, Made, StageFacts};
use crate::knowledge::{artifacts, debian, images};
use crate::model::Model;
use crate::report::{Bytes, Estimate, ImageEstimate, LayerEstimate, Savings, StageBase};
use crate::syntax::{Args, Document, Kind};
use crate::units::mb;

/// A download whose size the Dockerfile does not show (`ADD <url>`, `curl -o`, `wget`).
const DOWNLOAD: Bytes = Bytes { typical: 10_000_000, low: 100_000, high: 200_000_000 };
const DOWNLOAD_NOTE: &str = "a file a RUN downloads with curl or wget, or what it unpacks from an archive, is taken to weigh about 10 MB (0.1–200 MB)";
/// A file or folder copied from another stage that no artifact model describes.
const SMALL_FILE: Bytes = Bytes { typical: 500_000, low: 1_000, high: 20_000_000 };

fn range(b: Bytes) -> String {
    if b.low == b.high {
        mb(b.typical)
    } else {
        format!("{} ({}–{})", mb(b.typical), mb(b.low), mb(b.high))
    }
}

fn fixed(b: u64) -> Bytes {
    Bytes { typical: b, low: b, high: b }
}

fn add(a: Bytes, b: Bytes) -> Bytes {
    Bytes { typical: a.typical + b.typical, low: a.low + b.low, high: a.high + b.high }
}

fn from_artifact(id: &str) -> Option<Part> {
    let a = artifacts::get(id)?;
    let b = Bytes { typical: a.typical, low: a.low, high: a.high };
    Some((b, format!("{}: typically {}", a.description, range(b)), a.approximate))
}

/// What the estimate assumed, collected while it walks the layers.
#[derive(Default)]
struct Notes {
    assumptions: Vec<String>,
    /// The same, to find one at once (thousands of RUNs each assume something).
    assumed: std::collections::HashSet<String>,
    approximate: Vec<String>,
    /// Caches already counted in this image: a second `mvn` or `go build` adds to the same folder.
    caches: Vec<&'static str>,
    hints: Hints,
}

/// What the build context tells the estimate.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hints {
    /// The packages package.json names (dependencies and devDependencies: npm fetches both into its cache).
    pub npm_packages: Option<usize>,
}

impl Notes {
    fn assume(&mut self, s: impl Into<String>) {
        let s = s.into();
        if self.assumed.insert(s.clone()) {
            self.assumptions.push(s);
        }
    }
}

/// The ratio of uncompressed to compressed size for layers other than the base.
fn layer_ratio() -> f64 {
    images::ratio("os").unwrap_or(2.5)
}

/// Estimates the final image of `doc`.
fn image(doc: &Document, model: &Model, analysis: &Analysis, notes: &mut Notes) -> Option<ImageEstimate> {
    let target = model.stages.last()?;
    // The chain of stages the final image is built on (`FROM <stage>`), root first.
    let chain = chain(model, target.index);
    let root = &model.stages[chain[0]];
    let root_facts = &analysis.stages[root.index];
    notes.caches.clear();
    let mut layers = Vec::new();
    let (base_name, base_layer, base_compressed) = base(doc, root, root_facts, notes);
    layers.push(base_layer);
    let mut compressed = base_compressed;
    let ratio = layer_ratio();
    for &si in &chain {
        let stage = &model.stages[si];
        let f = &analysis.stages[si];
        for i in stage.body.clone() {
            let inst = &doc.instructions[i];
            let layer = match inst.kind {
                Kind::Run => run_layer(doc, model, analysis, root_facts, si, i, notes),
                Kind::Copy | Kind::Add => copy_layer(doc, model, analysis, f, si, i, notes),
                _ => None,
            };
            if let Some(l) = layer {
                compressed = add(compressed, Bytes {
                    typical: (l.size.typical as f64 / ratio) as u64,
                    low: (l.size.low as f64 / ratio) as u64,
                    high: (l.size.high as f64 / ratio) as u64,
                });
                layers.push(l);
            }
        }
    }
    let total = layers.iter().fold(Bytes::default(), |acc, l| add(acc, l.size));
    Some(ImageEstimate { base: base_name, layers, total, compressed })
}

/// The stages the final image is built on (`FROM <stage>`), root first.
fn chain(model: &Model, target: usize) -> Vec<usize> {
    let mut chain = vec![target];
    let mut idx = target;
    for _ in 0..model.stages.len() {
        match model.stages[idx].base {
            StageBase::Stage { index } => {
                chain.push(index);
                idx = index;
            }
            _ => break,
        }
    }
    chain.reverse();
    chain
}

/// Whether two final images' estimates can be compared: they start from the same image (its size
/// cancels out), or the base image table knows both bases (an unknown one is a placeholder figure).
pub fn bases_comparable(original: (&Model, &Analysis), rewritten: (&Model, &Analysis)) -> bool {
    let base = |(m, a): (&Model, &Analysis)| {
        let target = m.stages.last()?;
        let root = chain(m, target.index)[0];
        Some(a.stages.get(root)?.image.clone())
    };
    let (Some(o), Some(r)) = (base(original), base(rewritten)) else { return false };
    let known = |i: &Option<crate::report::ImageRef>| match i {
        None => true,
        Some(i) => images::lookup(&i.registry, &i.repository, i.tag.as_deref()).is_some(),
    };
    let same = match (&o, &r) {
        (Some(a), Some(b)) => a.registry == b.registry && a.repository == b.repository && a.tag == b.tag,
        (None, None) => true,
        _ => false,
    };
    same || known(&o) && known(&r)
}

/// A layer whose size the Dockerfile does not show: an assumed range, marked approximate.
fn assumed(instruction: String, span: Option<crate::report::Span>, size: Bytes, basis: impl Into<String>) -> LayerEstimate {
    LayerEstimate { instruction, span, size, basis: basis.into(), approximate: true }
}

fn first_line(doc: &Document, i: usize) -> String {
    let t = doc.instructions[i].text(doc);
    let line = t.lines().next().unwrap_or("").trim_end_matches(['\\', '`']).trim_end();
    let mut s: String = line.chars().take(100).collect();
    if line.chars().count() > 100 || t.contains('\n') {
        s.push_str(" …");
    }
    s
}

fn base(doc: &Document, stage: &crate::model::Stage, f: &StageFacts, notes: &mut Notes) -> (String, LayerEstimate, Bytes) {
    let span = Some(doc.span(doc.instructions[stage.from].span.clone()));
    let instruction = first_line(doc, stage.from);
    let Some(img) = &f.image else {
        let l = LayerEstimate { instruction, span, size: fixed(0), basis: "scratch is empty".to_owned(), approximate: false };
        return ("scratch".to_owned(), l, fixed(0));
    };
    let name = crate::image::display(img);
    match images::lookup(&img.registry, &img.repository, img.tag.as_deref()) {
        Some(m) => {
            let (bytes, derived) = m.entry.uncompressed_or_estimate().unwrap_or((0, true));
            let approximate = derived || !m.exact;
            // A measured figure drifts a few percent between rebuilds; a derived one more.
            let spread = if approximate { 0.2 } else { 0.05 };
            let size = Bytes { typical: bytes, low: (bytes as f64 * (1.0 - spread)) as u64, high: (bytes as f64 * (1.0 + spread)) as u64 };
            let comp = m.entry.compressed.unwrap_or((bytes as f64 / layer_ratio()) as u64);
            let mut basis = format!(
                "base image table: {}, {} uncompressed{}, source {}",
                m.entry.reference(),
                mb(bytes),
                if derived { " (derived from the compressed size)" } else { "" },
                m.entry.source
            );
            if let Some(a) = &m.assumption {
                basis.push_str(&format!("; {a}"));
                notes.approximate.push(a.clone());
            }
            let l = LayerEstimate { instruction, span, size, basis, approximate };
            (name, l, Bytes { typical: comp, low: (comp as f64 * (1.0 - spread)) as u64, high: (comp as f64 * (1.0 + spread)) as u64 })
        }
        None => {
            let (typ, low, high) = match f.distro {
                Distro::Alpine { .. } => (10_000_000, 5_000_000, 200_000_000),
                _ => (150_000_000, 5_000_000, 1_500_000_000),
            };
            let a = format!("{name} is not in the base image table: assumed {} ({}–{})", mb(typ), mb(low), mb(high));
            notes.approximate.push(a.clone());
            let size = Bytes { typical: typ, low, high };
            let ratio = layer_ratio();
            let comp = Bytes { typical: (typ as f64 / ratio) as u64, low: (low as f64 / ratio) as u64, high: (high as f64 / ratio) as u64 };
            (name, LayerEstimate { instruction, span, size, basis: a, approximate: true }, comp)
        }
    }
}

/// The items of `list` that belong to instruction `i`. The analysis appends packages, installs and steps in
/// instruction order (a stage built FROM another starts with that stage's, which come earlier), so a binary
/// search finds them; a scan for each RUN would be quadratic (bench `run_instructions`).
fn of_inst<T>(list: &[T], i: usize, inst: impl Fn(&T) -> usize) -> &[T] {
    let start = list.partition_point(|x| inst(x) < i);
    let len = list[start..].partition_point(|x| inst(x) == i);
    &list[start..start + len]
}

fn run_layer(doc: &Document, model: &Model, analysis: &Analysis, root: &StageFacts, si: usize, i: usize, notes: &mut Notes) -> Option<LayerEstimate> {
    let f = &analysis.stages[si];
    let span = Some(doc.span(doc.instructions[i].span.clone()));
    let instruction = first_line(doc, i);
    let text = doc.instructions[i].text(doc);
    let mounts = doc.instructions[i].flags.iter().any(|fl| fl.name.eq_ignore_ascii_case("mount"));
    let mut parts: Vec<Part> = Vec::new();
    let installs = of_inst(&f.installs, i, |c| c.inst);
    parts.extend(packages_part(root, f, i, installs, notes));
    if installs.iter().any(|c| c.from_list) {
        parts.push(discovered_part(doc, model, analysis, si, i, notes));
    }
    // apt lists: removed only by the RUN that downloaded them.
    if text.contains("apt-get update") || text.contains("apt update") {
        let cleaned = text.contains("/var/lib/apt/lists") || mounts;
        if !cleaned {
            if let Some(a) = from_artifact("apt-lists-bookworm") {
                parts.push((a.0, "apt lists left by `apt-get update` (not removed in the same RUN)".to_owned(), a.2));
            }
        }
    }
    if installs.iter().any(|c| c.manager == "apk" && !c.cleans_lists) && !text.contains("/var/cache/apk") {
        if let Some(a) = from_artifact("apk-cache") {
            parts.push((a.0, "apk's cache (`apk add` without --no-cache)".to_owned(), a.2));
        }
    }
    // Build steps: their outputs and the caches they leave.
    step_parts(doc, f, i, mounts, notes, &mut parts);
    // Files it downloads to a path of its own (`curl -o`, `wget`), as the same file carried to a runtime
    // stage is counted (`copy_layer`).
    download_parts(analysis, f, i, notes, &mut parts);
    if parts.is_empty() {
        // A command whose output the Dockerfile does not show (mkdir, chmod, useradd, a download …).
        notes.assume("a RUN that installs and builds nothing is taken to add about 1 MB (0–20 MB)".to_owned());
        return Some(assumed(instruction, span, Bytes { typical: 1_000_000, low: 0, high: 20_000_000 }, "a command whose output the Dockerfile does not show: about 1 MB assumed"));
    }
    let size = parts.iter().fold(Bytes::default(), |acc, p| add(acc, p.0));
    let basis = parts.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join("; ");
    Some(LayerEstimate { instruction, span, size, basis, approximate: parts.iter().any(|p| p.2) })
}

/// What a part of a layer weighs, why, and whether that is approximate.
type Part = (Bytes, String, bool);

/// The packages RUN `i` installs. The closures overlap (shared dependencies), so the sum is the high end
/// and the largest alone the low end; the typical figure counts 60% of the overlap-prone remainder.
fn packages_part(root: &StageFacts, f: &StageFacts, i: usize, installs: &[InstallCmd], notes: &mut Notes) -> Option<Part> {
    let installed: Vec<&crate::analyze::PkgUse> =
        of_inst(&f.packages, i, |p| p.inst).iter().filter(|p| p.removed != Some(i)).collect();
    if installed.is_empty() {
        return None;
    }
    let (manager_key, set) = root.package_set();
    let no_rec = installs.iter().any(|c| c.no_recommends);
    let mut sizes = Vec::new();
    let mut unknown = Vec::new();
    let mut approx = false;
    for p in &installed {
        let key = if p.manager == "apt" { manager_key } else { p.manager };
        match debian::package_size(key, set, &p.name) {
            Some(s) => {
                approx |= s.approximate;
                sizes.push(if no_rec || p.manager != "apt" { s.bytes } else { s.bytes_with_recommends });
            }
            None => unknown.push(p.name.clone()),
        }
    }
    let sum: u64 = sizes.iter().sum();
    let max = sizes.iter().copied().max().unwrap_or(0);
    let typical = max + ((sum - max) as f64 * 0.6) as u64;
    let mut size = Bytes { typical, low: max, high: sum };
    if !unknown.is_empty() {
        // 5 MB each, 0.1–50 MB: a judgement for packages outside the closure table.
        let n = unknown.len() as u64;
        size = add(size, Bytes { typical: 5_000_000 * n, low: 100_000 * n, high: 50_000_000 * n });
        notes.assume(format!("no size is known for {}: 5 MB each assumed (0.1–50 MB)", unknown.join(", ")));
    }
    let names: Vec<&str> = installed.iter().map(|p| p.name.as_str()).collect();
    let basis = if manager_key == "apt" && installed.iter().all(|p| p.manager == "apt") {
        format!("Debian package closure of {} over the {set} package set{}", names.join(", "), if no_rec { "" } else { " (with Recommends)" })
    } else {
        format!("{} closure of {} mapped from Debian's (approximate)", installed[0].manager, names.join(", "))
    };
    if sizes.len() > 1 {
        notes.assume("several packages in one install share dependencies: the estimate counts the largest closure fully and 60% of the others (the range spans the largest alone to their sum)".to_owned());
    }
    Some((size, basis, approx || !unknown.is_empty()))
}

/// The packages an install reads from a list the build writes (`xargs apt-get install … < LIST`: the library
/// gate's, which names the package of each library the copied files link): unknown before the build. The
/// stages the list is copied from say what they may be: a header package whose runtime library slimfile does
/// not know may stand for one (5 MB, 0–50 MB, each), and a full python, ruby, node or rust image ships dozens
/// with their headers that a package compiled from source may link (`full-image-libraries`: none typically,
/// all at most). The libraries of the header packages slimfile knows are on the install line itself.
fn discovered_part(doc: &Document, model: &Model, analysis: &Analysis, si: usize, i: usize, notes: &mut Notes) -> Part {
    let stage = &model.stages[si];
    let mut sources: Vec<usize> = Vec::new();
    for k in stage.body.clone().filter(|&k| k < i && doc.instructions[k].kind == Kind::Copy) {
        if let Some(s) = doc.instructions[k].flag_value("from").and_then(|from| model.stage_ref(from, si)) {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
    }
    let mut size = Bytes::default();
    let mut why = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut full = None;
    for &s in &sources {
        let src = &analysis.stages[s];
        unknown.extend(crate::analyze::unmapped_dev(src));
        let base = src.image.as_ref().and_then(|img| debian::base_for(&img.repository, img.tag.as_deref().unwrap_or("latest")));
        if base == Some("buildpack-deps") {
            full = src.image.as_ref().map(crate::image::display);
        }
    }
    if !unknown.is_empty() {
        let n = unknown.len() as u64;
        size = add(size, Bytes { typical: 5_000_000 * n, low: 0, high: 50_000_000 * n });
        why.push(format!("the libraries of {} (no runtime package known: 5 MB each assumed, 0–50 MB)", unknown.join(", ")));
    }
    if let (Some(img), Some(a)) = (full, artifacts::get("full-image-libraries")) {
        size = add(size, Bytes { typical: a.typical, low: a.low, high: a.high });
        why.push(format!("libraries of the full image {img} a package compiled from source may link: {}", range(Bytes { typical: a.typical, low: a.low, high: a.high })));
    }
    notes.assume(
        "the packages the library gate discovers at build time are unknown before it: the estimate counts none for what the Dockerfile names no header package of, up to every library the builder image ships with its headers".to_owned(),
    );
    let basis = if why.is_empty() {
        "the packages of the libraries the build discovers: none expected beyond those named".to_owned()
    } else {
        format!("the packages of the libraries the build discovers: {}", why.join("; "))
    };
    (size, basis, true)
}

/// The outputs of the build steps of RUN `i` and the caches they leave.
fn step_parts(doc: &Document, f: &StageFacts, i: usize, mounts: bool, notes: &mut Notes, parts: &mut Vec<Part>) {
    let text = doc.instructions[i].text(doc);
    for s in of_inst(&f.steps, i, |s| s.inst) {
        let sub = s.cmd.arg(1);
        let ids: Vec<&str> = match (s.tool, sub) {
            ("go", "build") => {
                let stripped = s.cmd.argv.iter().any(|a| a.contains("-s -w") || a.contains("-w -s"));
                vec![if stripped { "go-binary-static-stripped" } else { "go-binary-static" }, "go-build-cache", "go-mod-cache"]
            }
            ("go", "install" | "get") => vec!["go-binary-static", "go-build-cache", "go-mod-cache"],
            ("go", "mod") => vec!["go-mod-cache"],
            ("cargo", "build") => vec!["cargo-target", "cargo-registry"],
            ("cargo", "install") => vec!["rust-release-binary", "cargo-registry"],
            ("npm" | "yarn" | "pnpm", "ci" | "install" | "i" | "") => {
                let prod = s.omits_dev_dependencies();
                let cleaned = text.contains("cache clean") || mounts;
                // A stage that builds a front end installs its toolchain; a server app's dev dependencies are
                // test and lint tools, and its cache holds what it installed (measured on real apps).
                let front_end = f.steps.iter().any(|b| matches!(b.tool, "npm" | "yarn" | "pnpm") && b.cmd.argv.iter().any(|a| a == "build"));
                let modules = match (prod, front_end) {
                    (true, _) => "node-modules-express-prod",
                    (false, true) => "node-modules-react-toolchain",
                    (false, false) => "node-modules-server-dev",
                };
                let mut v = vec![modules];
                if !cleaned && s.tool == "npm" {
                    v.push(if front_end { "npm-cache" } else { "npm-cache-server" });
                }
                v
            }
            ("npm" | "yarn" | "pnpm", "run" | "build") if s.cmd.argv.iter().any(|a| a == "build") => vec!["spa-static-build"],
            ("pip", "install") | ("uv", "pip" | "sync") | ("poetry", "install") => {
                let no_cache = s.cmd.has_flag(&["--no-cache-dir"]) || s.var("PIP_NO_CACHE_DIR").is_some() || mounts || s.tool != "pip";
                if no_cache { vec!["python-venv-flask"] } else { vec!["python-venv-flask", "pip-cache"] }
            }
            ("maven", _) if s.cmd.argv.iter().any(|a| a == "package" || a == "install") => vec!["spring-boot-fat-jar", "maven-m2"],
            ("maven", _) => vec!["maven-m2"],
            ("gradle", _) => vec!["spring-boot-fat-jar", "maven-m2"],
            ("dotnet", "publish") => vec!["dotnet-publish-framework-dependent"],
            _ => vec![],
        };
        for id in ids {
            if mounts && matches!(id, "go-build-cache" | "go-mod-cache" | "cargo-registry" | "npm-cache" | "npm-cache-server" | "pip-cache" | "maven-m2") {
                continue;
            }
            let is_cache = artifacts::get(id).is_some_and(|a| a.kind == artifacts::ArtifactKind::Cache);
            if is_cache && notes.caches.contains(&id) {
                continue;
            }
            if is_cache {
                notes.caches.push(id);
            }
            if let Some(mut a) = from_artifact(id) {
                // npm's cache holds the tarballs of what package.json names and their dependencies.
                if let (true, Some(n), Some(per)) = (id == "npm-cache-server", notes.hints.npm_packages, artifacts::get("npm-cache-per-package")) {
                    let n = n as u64;
                    a.0 = Bytes { typical: per.typical * n, low: per.low * n, high: per.high * n };
                    a.1 = format!("npm's cache for the {n} packages package.json names (dependencies and dev dependencies): {}", range(a.0));
                }
                // A `go build` of a module with no dependencies fills no module cache. The Dockerfile shows
                // dependencies when it downloads them (`go mod download`) or copies go.sum: only then is the
                // cache counted in the typical figure; otherwise it is only the high end.
                if id == "go-mod-cache" && s.cmd.arg(1) != "mod" && !go_deps_shown(doc, f) {
                    a.0 = Bytes { typical: 0, low: 0, high: a.0.high };
                    a.1 = format!("{} (counted only in the high end: the Dockerfile shows no module dependencies)", a.1);
                    notes.assume("a Go build whose Dockerfile neither runs `go mod download` nor copies go.sum is taken to have no module dependencies (the module cache is only the high end)".to_owned());
                }
                if id == "maven-m2" && s.tool == "gradle" {
                    notes.assume("Gradle's ~/.gradle cache is taken to weigh what Maven's ~/.m2 does".to_owned());
                }
                parts.push(a);
            }
        }
    }
}

/// Files RUN `i` downloads or unpacks to a path of its own.
fn download_parts(analysis: &Analysis, f: &StageFacts, i: usize, notes: &mut Notes, parts: &mut Vec<Part>) {
    let cmds = analysis.commands(i);
    for c in cmds {
        for (path, how) in made_files(c).into_iter().filter(|(_, how)| matches!(how, Made::Download | Made::Extracted | Made::Unpacked)) {
            use crate::analyze::{join_path, under, BUILD_ONLY_PATHS};
            let path = join_path(&f.workdir, &path);
            // Not /tmp and the like, nor a download the same RUN removes (an archive it unpacks).
            if BUILD_ONLY_PATHS.iter().any(|d| under(&path, d))
                || crate::shell::removes(cmds, |r| under(&path, &join_path(&f.workdir, r)))
            {
                continue;
            }
            notes.assume(DOWNLOAD_NOTE.to_owned());
            let what = if how == Made::Download { "a download" } else { "unpacked from an archive" };
            parts.push((DOWNLOAD, format!("{path}: {what}, about 10 MB assumed"), true));
        }
    }
}

/// The stage downloads Go modules or copies go.sum (a module with dependencies).
fn go_deps_shown(doc: &Document, f: &StageFacts) -> bool {
    f.steps.iter().any(|s| s.tool == "go" && s.cmd.arg(1) == "mod" && s.cmd.arg(2) == "download")
        || doc.instructions.iter().any(|i| {
            i.kind == Kind::Copy && matches!(&i.args, Args::Copy { sources, .. } if sources.iter().any(|s| s.ends_with("go.sum")))
        })
}

/// The files the RUNs of stage `si` make, as absolute paths (relative ones against the stage's WORKDIR), and
/// how.
fn run_made_files(model: &Model, analysis: &Analysis, si: usize) -> Vec<(String, Made)> {
    let (Some(stage), Some(f)) = (model.stages.get(si), analysis.stages.get(si)) else { return Vec::new() };
    stage
        .body
        .clone()
        .flat_map(|i| analysis.commands(i))
        .flat_map(made_files)
        .map(|(w, how)| (crate::analyze::join_path(&f.workdir, &w), how))
        .collect()
}

/// The node_modules a stage leaves: without dev dependencies where its install omits them or a prune
/// drops them, else with them (a server app's test and lint tools).
fn node_modules(src: &StageFacts) -> &'static str {
    let mut installs = src.steps.iter().filter(|s| matches!(s.tool, "npm" | "yarn" | "pnpm") && matches!(s.cmd.arg(1), "ci" | "install" | "i" | ""));
    let pruned = src.steps.iter().any(|s| matches!(s.tool, "npm" | "pnpm") && s.cmd.arg(1) == "prune");
    if installs.any(|s| !s.omits_dev_dependencies()) && !pruned {
        return "node-modules-server-dev";
    }
    "node-modules-express-prod"
}

/// What a `COPY --from=<stage>` path is, from the artifacts the source stage records.
fn classify(src: &StageFacts, path: &str) -> Option<&'static str> {
    use crate::analyze::under;
    if path.trim_end_matches('/') == crate::knowledge::carry::STAGING {
        // What the rewrite gathered: a compiled app's run-time files, or an interpreted app in `/`.
        return match src.eco {
            Some(Eco::Node) => Some(node_modules(src)),
            Some(Eco::Python | Eco::Ruby) => None,
            _ => Some("carried-app-files"),
        };
    }
    if path.contains("site-packages") || path == "/usr/local" && src.eco == Some(Eco::Python) {
        return Some("python-venv-flask");
    }
    if path.ends_with("/usr/local/bin") || path.ends_with(".crt") || path.contains("/etc/ssl") || path.contains("zoneinfo") {
        return None; // small: console scripts, certificates
    }
    for a in src.artifacts.iter().rev() {
        if !(under(path, &a.path) || under(&a.path, path)) {
            continue;
        }
        return Some(match (a.kind, src.eco) {
            (ArtKind::Jar, _) => "spring-boot-fat-jar",
            (ArtKind::Publish, _) => "dotnet-publish-framework-dependent",
            (ArtKind::StaticSite, _) => "spa-static-build",
            (ArtKind::Venv, _) => "python-venv-flask",
            (_, Some(Eco::Rust)) => "rust-release-binary",
            (_, Some(Eco::Go)) => "go-binary-static",
            (_, Some(Eco::Node)) => node_modules(src),
            _ => continue,
        });
    }
    // A path of the build context's files, not the program: a file the Dockerfile COPYs by name
    // (`COPY config.yml /etc/app/config.yml`), or one inside a copied folder where the build names where its
    // program goes or the name has an extension (`config/app.env`, `templates`, not `/src/app`).
    let named = path.rsplit('/').next().is_some_and(|n| n.contains('.'));
    let from_context = src.placed.iter().any(|p| {
        let inside = under(path, &p.path) && path != p.path.trim_end_matches('/');
        (path == p.path.trim_end_matches('/') && !p.unnamed) || (inside && (!src.artifacts.is_empty() || named))
    });
    match src.eco {
        Some(Eco::Node) if under(path, &src.workdir) || path == src.workdir => Some(node_modules(src)),
        Some(Eco::Python) if path == src.workdir => None,
        Some(Eco::Go | Eco::Rust) if from_context => None,
        Some(Eco::Go) => Some("go-binary-static"),
        Some(Eco::Rust) => Some("rust-release-binary"),
        _ => None,
    }
}

fn copy_layer(doc: &Document, model: &Model, analysis: &Analysis, f: &StageFacts, si: usize, i: usize, notes: &mut Notes) -> Option<LayerEstimate> {
    let inst = &doc.instructions[i];
    let span = Some(doc.span(inst.span.clone()));
    let instruction = first_line(doc, i);
    let Args::Copy { sources, heredocs, .. } = &inst.args else { return None };
    let _ = f;
    if let Some(from) = inst.flag_value("from") {
        let Some(src_stage) = model.stage_ref(from, si) else {
            notes.assume(format!("files copied from the image {from} are taken to weigh about 10 MB (0.1–100 MB)"));
            return Some(assumed(instruction, span, Bytes { typical: 10_000_000, low: 100_000, high: 100_000_000 }, format!("files from the image {from}: about 10 MB assumed")));
        };
        let src = &analysis.stages[src_stage];
        let mut size = Bytes::default();
        let mut bases = Vec::new();
        let mut approx = false;
        let made = run_made_files(model, analysis, src_stage);
        for s in sources {
            match made.iter().find(|(w, _)| w == s).map(|(_, how)| *how) {
                Some(Made::Written) => {
                    // A file a RUN writes with `>` or `tee` (configuration, a version file): text.
                    size = add(size, Bytes { typical: 10_000, low: 100, high: 1_000_000 });
                    bases.push(format!("{s}: a file a RUN writes with a shell redirection, about 10 kB assumed"));
                    approx = true;
                    continue;
                }
                Some(how @ (Made::Download | Made::Extracted | Made::Unpacked)) => {
                    size = add(size, DOWNLOAD);
                    notes.assume(DOWNLOAD_NOTE.to_owned());
                    let what = if how == Made::Download { "a file a RUN downloads" } else { "what a RUN unpacks from an archive" };
                    bases.push(format!("{s}: {what}, about 10 MB assumed"));
                    approx = true;
                    continue;
                }
                // A copy (`cp`, `install`) of a file that is not the build's output (a configuration
                // file): small. The built program copied into place is classified below.
                Some(Made::Copy)
                    if !src.artifacts.iter().any(|a| crate::analyze::under(s, &a.path) || crate::analyze::under(&a.path, s)) =>
                {
                    size = add(size, SMALL_FILE);
                    bases.push(format!("{s}: a file a RUN copies into place, about 0.5 MB assumed"));
                    approx = true;
                    continue;
                }
                _ => {}
            }
            match classify(src, s).and_then(from_artifact) {
                Some((b, basis, a)) => {
                    size = add(size, b);
                    bases.push(basis);
                    approx |= a;
                }
                None => {
                    size = add(size, SMALL_FILE);
                    bases.push(format!("{s}: a small file or folder, about 0.5 MB assumed"));
                    approx = true;
                }
            }
        }
        return Some(LayerEstimate { instruction, span, size, basis: bases.join("; "), approximate: approx });
    }
    if !heredocs.is_empty() {
        let b: usize = heredocs.iter().map(|h| h.body.len()).sum();
        return Some(LayerEstimate { instruction, span, size: fixed(b as u64), basis: "the here-document's text".to_owned(), approximate: false });
    }
    if sources.iter().any(|s| s.starts_with("http://") || s.starts_with("https://")) {
        notes.assume("a download by ADD is taken to weigh about 10 MB (0.1–200 MB)".to_owned());
        return Some(assumed(instruction, span, DOWNLOAD, "a download whose size the Dockerfile does not show"));
    }
    let whole_context = sources.iter().any(|s| s == "." || s == "./" || s.ends_with("/.") || s == "*");
    let (size, basis) = if whole_context {
        notes.assume("the build context (`COPY . .`) is taken to be a source tree of about 2 MB (0.1–50 MB): its size is not in the Dockerfile".to_owned());
        (Bytes { typical: 2_000_000, low: 100_000, high: 50_000_000 }, "the build context: about 2 MB of sources assumed".to_owned())
    } else {
        (Bytes { typical: 50_000, low: 1_000, high: 5_000_000 }, "files from the build context: about 50 kB assumed".to_owned())
    };
    Some(LayerEstimate { instruction, span, size, basis, approximate: true })
}

/// The estimate for the input and, when there is one, the rewritten file.
pub fn estimate(
    doc: &Document,
    model: &Model,
    analysis: &Analysis,
    rewritten: Option<(&Document, &Model, &Analysis)>,
    hints: Hints,
) -> Option<Estimate> {
    let mut notes = Notes { hints, ..Notes::default() };
    let original = image(doc, model, analysis, &mut notes)?;
    let rewritten = rewritten.and_then(|(d, m, a)| image(d, m, a, &mut notes));
    let savings = rewritten.as_ref().map(|r| {
        let o = original.total;
        let n = r.total;
        let bytes = Bytes {
            typical: o.typical.saturating_sub(n.typical),
            low: o.low.saturating_sub(n.high),
            high: o.high.saturating_sub(n.low),
        };
        let oc = original.compressed;
        let nc = r.compressed;
        let compressed = Bytes {
            typical: oc.typical.saturating_sub(nc.typical),
            low: oc.low.saturating_sub(nc.high),
            high: oc.high.saturating_sub(nc.low),
        };
        let pct = |saved: u64, of: u64| if of == 0 { 0.0 } else { (saved as f64 / of as f64 * 1000.0).round() / 10.0 };
        Savings {
            bytes,
            compressed,
            percent: pct(bytes.typical, o.typical),
            // The worst case: little saved from a small original; the best: much saved from a large one.
            percent_low: pct(bytes.low, o.low.max(1)),
            percent_high: pct(bytes.high, o.high.max(1)).min(100.0),
        }
    });
    notes.assume(
        "sizes are for linux/amd64; uncompressed is the size on disk (`docker images`), compressed what is pulled; \
         layers other than the base are compressed by the ratio measured on debian:bookworm"
            .to_owned(),
    );
    Some(Estimate {
        unit: "bytes; `total` uncompressed (on disk, as `docker images` shows), `compressed` as pulled".to_owned(),
        original,
        rewritten,
        savings,
        assumptions: notes.assumptions,
        approximate_matches: notes.approximate,
    })
}

/// Whether a conversion saves enough to be worth a second stage. A rewrite costs its reader: a builder
/// stage to review, files that must reach the runtime stage, a second image to keep current. Below these
/// figures an expert leaves the file as it is (or fixes the layer in place: `--no-cache-dir`, the cleanup in
/// the same RUN), so the status is `unchanged` and the reason gives the figure.
///
/// - [`WORTH_BYTES`], 10 MB: about one small package closure or one package manager's cache, what a fix in
///   the RUN itself removes without a new stage; a saving of that size on a large image is not worth one.
/// - [`WORTH_PERCENT`], 5 %: the drift between two builds of one tag ("sizes drift by a few percent with
///   every rebuild", `data/images.json`); a smaller share is inside the noise of the estimate.
/// - A conversion that saves either (10 MB or more, or 5 % or more) is kept, except below
///   [`NEVER_WORTH_BYTES`], 1 MB, the figure the estimate assumes for a single RUN whose output it cannot see.
///
/// The figures are the estimate's typical uncompressed sizes.
pub const WORTH_BYTES: u64 = 10_000_000;
/// See [`WORTH_BYTES`].
pub const WORTH_PERCENT: f64 = 5.0;
/// See [`WORTH_BYTES`].
pub const NEVER_WORTH_BYTES: u64 = 1_000_000;

/// The reason to leave a converted file unchanged, when the estimate's saving is under the thresholds
/// ([`WORTH_BYTES`]); `None` when the conversion is worth it or the estimate has no saving.
pub fn too_small_to_convert(e: &Estimate) -> Option<String> {
    let s = e.savings.as_ref()?;
    let saved = s.bytes.typical;
    let small = saved < NEVER_WORTH_BYTES || (saved < WORTH_BYTES && s.percent < WORTH_PERCENT);
    // Under 0.005 MB the figure would read "0.00 MB", more precise than the estimate is.
    let about = if saved < 5_000 { "almost nothing (under 0.01 MB)".to_owned() } else { format!("about {}", mb(saved)) };
    small.then(|| {
        format!(
            "a second stage would save {about} of the {} image ({} %, estimated before any build), under what is worth one \
             (10 MB or 5 %, and at least 1 MB): slimfile leaves the file as it is",
            mb(e.original.total.typical),
            s.percent
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, model, syntax};

    fn est(text: &str) -> ImageEstimate {
        let doc = syntax::parse(text);
        let m = model::build(&doc);
        let a = analyze::analyze(&doc, &m);
        estimate(&doc, &m, &a, None, Hints::default()).unwrap().original
    }

    #[test]
    fn base_image_is_the_first_layer() {
        let e = est("FROM golang:1.22\nCMD [\"x\"]\n");
        assert_eq!(e.layers.len(), 1);
        assert!(e.layers[0].basis.starts_with("base image table: golang:1.22"), "{}", e.layers[0].basis);
        assert!(e.total.typical > 500_000_000, "{:?}", e.total);
        assert!(e.total.low <= e.total.typical && e.total.typical <= e.total.high);
        assert_eq!(est("FROM scratch\n").total.typical, 0);
    }

    /// verify case go-templates-config: the rewrite copies the program and the two run-time files the build
    /// context holds; each file was counted as a second Go program (14 MB each; the real image was 10.6 MB,
    /// estimated 44 MB).
    #[test]
    fn run_time_files_beside_a_go_program_are_not_programs() {
        let e = est("FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o fortunes .\n\
                     FROM gcr.io/distroless/static-debian13:nonroot\nWORKDIR /app\n\
                     COPY --from=build /app/fortunes /app/fortunes\n\
                     COPY --from=build /app/config/app.env /app/config/app.env\n\
                     COPY --from=build /app/templates /app/templates\nCMD [\"./fortunes\"]\n");
        let layer = |needle: &str| e.layers.iter().find(|l| l.instruction.contains(needle)).unwrap_or_else(|| panic!("{needle}: {:?}", e.layers));
        assert_eq!(layer("/app/fortunes").size.typical, 14_000_000, "{}", layer("/app/fortunes").basis);
        for f in ["app.env", "/app/templates"] {
            assert!(layer(f).size.typical <= 500_000, "{f}: {}", layer(f).basis);
        }
        // A file COPYed into the builder by name, and a named file where the build does not say where its
        // program goes, are files; a path without an extension there is the program (`go build .`).
        let config = est("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nCOPY config.yml /etc/app/config.yml\nRUN go build .\n\
                          FROM gcr.io/distroless/static-debian13\nCOPY --from=build /etc/app/config.yml /etc/app/config.yml\n\
                          COPY --from=build /src/settings.toml /settings.toml\nCOPY --from=build /src/app /app\nCMD [\"/app\"]\n");
        assert!(config.layers[1].size.typical <= 500_000, "{}", config.layers[1].basis);
        assert!(config.layers[2].size.typical <= 500_000, "{}", config.layers[2].basis);
        assert_eq!(config.layers[3].size.typical, 14_000_000, "{}", config.layers[3].basis);
        let unnamed = est("FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN go build .\n\
                           FROM gcr.io/distroless/static-debian13\nCOPY --from=build /app/myapp /myapp\nCMD [\"/myapp\"]\n");
        assert_eq!(unnamed.layers[1].size.typical, 14_000_000, "{}", unnamed.layers[1].basis);
    }

    /// Real apps gke-nodejs, node-bulletin-board and nodejs-run-helloworld: `npm install` of a server app
    /// left 7-28 MB above the base in real builds, where the estimate counted a React toolchain and its
    /// cache (350 MB). A stage that builds a front end still counts the toolchain.
    #[test]
    fn a_server_apps_npm_install_is_not_a_front_end_toolchain() {
        let server = est("FROM node:22-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\nCMD [\"node\", \"server.js\"]\n");
        let layer = &server.layers[2];
        assert!(layer.basis.contains("server app") && !layer.basis.contains("React"), "{}", layer.basis);
        assert_eq!(layer.size.typical, 40_000_000, "{}", layer.basis);
        // The app folder a runtime stage copies holds the dev dependencies the builder installed, unless a
        // prune dropped them (real app node-bulletin-board: `npm install`, dev dependencies kept).
        let copied = |prune: &str| {
            est(&format!("FROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm install{prune}\nFROM node:22-slim\nCOPY --from=build /app /app\nCMD [\"node\", \"/app/server.js\"]\n"))
                .layers[1]
                .basis
                .clone()
        };
        assert!(copied("").contains("installed with its dev dependencies"), "{}", copied(""));
        assert!(copied(" && npm prune --omit=dev").contains("without dev dependencies"), "{}", copied(" && npm prune --omit=dev"));
        let front = est("FROM node:22-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\nRUN npm run build\n");
        assert!(front.layers[2].basis.contains("React"), "{}", front.layers[2].basis);
        assert!(front.layers[2].size.typical >= 300_000_000, "{}", front.layers[2].basis);
    }

    #[test]
    fn apt_lists_count_unless_removed_in_the_same_run() {
        let kept = est("FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
        let same = est("FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n");
        let later = est("FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n");
        assert!(kept.layers[1].basis.contains("apt lists"), "{}", kept.layers[1].basis);
        assert!(!same.layers[1].basis.contains("apt lists"));
        assert!(kept.total.typical > same.total.typical + 15_000_000);
        // A later RUN cannot take bytes out of an earlier layer.
        assert!(later.total.typical >= kept.total.typical);
    }

    #[test]
    fn recommends_and_removal_in_the_same_run() {
        let rec = est("FROM debian:bookworm\nRUN apt-get install -y gcc\n");
        let norec = est("FROM debian:bookworm\nRUN apt-get install -y --no-install-recommends gcc\n");
        assert!(rec.layers[1].size.typical >= norec.layers[1].size.typical);
        let removed = est("FROM alpine:3.19\nRUN apk add --no-cache --virtual .b build-base && make && apk del .b\n");
        assert!(!removed.layers[1].basis.contains("closure"), "{}", removed.layers[1].basis);
    }

    /// The layer of the rewritten image that installs the library gate's list.
    fn discovered(text: &str, options: &crate::Options) -> LayerEstimate {
        let r = crate::convert(text, options);
        let rewritten = r.estimate.and_then(|e| e.rewritten).unwrap_or_else(|| panic!("converted: {:?}", r.reasons));
        rewritten.layers.into_iter().find(|l| l.basis.contains("the build discovers")).expect("the install of the list")
    }

    #[test]
    fn discovered_packages_are_a_range() {
        // The full python image: none expected, up to every library it ships with headers.
        let full = discovered("FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", &crate::Options::default());
        assert_eq!((full.size.low, full.size.typical), (0, 0), "{full:?}");
        assert_eq!(full.size.high, artifacts::get("full-image-libraries").unwrap().high);
        assert!(full.approximate && full.basis.contains("libraries of the full image python:3.11-trixie"), "{}", full.basis);
        // A header package slimfile knows no runtime package of: 5 MB typical, up to 50 MB; one it knows is
        // on the install line itself, counted by its closure.
        let c = "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make libgeoip-dev libsqlite3-dev\nWORKDIR /src\nCOPY . .\nRUN make && make install\nCMD [\"/usr/local/bin/app\"]\n";
        let layer = discovered(c, &crate::Options::default());
        assert!(layer.basis.contains("the libraries of libgeoip-dev") && layer.basis.contains("closure of libsqlite3-0"), "{}", layer.basis);
        assert!(layer.size.low < layer.size.typical && layer.size.typical < layer.size.high, "{:?}", layer.size);
        // A slim builder naming no header package: nothing expected.
        let slim = discovered("FROM python:3.11-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", &crate::Options::default());
        assert_eq!((slim.size.low, slim.size.high), (0, 0), "{slim:?}");
        assert!(slim.basis.contains("none expected"), "{}", slim.basis);
        // The runtime is the builder's own image and the build installs no OS package: no gate, and what a
        // second stage leaves behind is pip's cache, a few MB: not worth a rewrite (fixture 74 shows the
        // gate left out where a rewrite is worth it).
        let same = crate::convert("FROM python:3.11-slim-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", &crate::Options::default());
        assert_eq!(same.status, crate::report::Status::Unchanged, "{:?}", same.reasons);
        assert!(same.reasons[0].contains("would save about"), "{:?}", same.reasons);
    }

    #[test]
    fn a_saving_under_the_last_digit_is_not_a_figure() {
        let saving = |bytes: u64| {
            let size = |n: u64| Bytes { typical: n, low: n, high: n };
            let image = |n: u64| ImageEstimate { base: "python:2-alpine".to_owned(), layers: vec![], total: size(n), compressed: size(n / 3) };
            let e = Estimate {
                unit: String::new(),
                original: image(389_000_000),
                rewritten: Some(image(389_000_000 - bytes)),
                savings: Some(Savings { bytes: size(bytes), compressed: size(bytes / 3), percent: 0.0, percent_low: 0.0, percent_high: 0.0 }),
                assumptions: vec![],
                approximate_matches: vec![],
            };
            too_small_to_convert(&e).expect("under the threshold")
        };
        assert!(saving(1_200).contains("would save almost nothing (under 0.01 MB) of the 389 MB image"), "{}", saving(1_200));
        assert!(saving(420_000).contains("would save about 0.42 MB of the 389 MB image"), "{}", saving(420_000));
    }

    #[test]
    fn cache_mounts_keep_caches_out() {
        let plain = est("FROM golang:1.22\nRUN go build -o /app .\n");
        let mounted = est("FROM golang:1.22\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n");
        assert!(plain.layers[1].basis.contains("build cache") || plain.layers[1].size.typical > mounted.layers[1].size.typical);
        assert!(mounted.layers[1].size.typical < plain.layers[1].size.typical);
    }
}
