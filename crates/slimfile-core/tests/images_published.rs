//! Every image a conversion writes was published, and no builder is moved back: over the conversions
//! of the fixtures (with their options), the real corpus and the playground's examples, each `FROM`
//! image of an output
//! - that the input does not name itself is a tag the data files say was published
//!   (`data/official-images.json`, `data/dotnet-images.json`: the whole tag history, beyond what the
//!   engine embeds), or a distroless image of `data/distroless.json` with one of its standard tags, or
//!   `nginxinc/nginx-unprivileged` with a tag the official nginx image published (it publishes nginx's
//!   version tags: `data/images-roles.json`'s source), or a Red Hat `-runtime` image
//!   (`data/runtime-siblings.json`) with the tag of the input's JDK image;
//! - is no distroless `-debian12` image: the rewrite never chooses one (a bookworm builder's programs run
//!   on debian13);
//! - if it replaces the input's image of the same stage (a pinned builder), names a release at least as
//!   new as the one the input's tag resolves to today;
//! - is in support: the conversion has no SF108 warning about the runtime image of the rewrite (that
//!   finding fires only when the runtime is past its window for a reason the input's own images do not
//!   show: the user's Node.js 20 kept as `node:20-bookworm-slim` is the user's version, never upgraded,
//!   and SF108 already says so about the input).
//!
//! All judged on the fixtures' day (`support::JUDGED_ON`).

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use slimfile_core::knowledge::releases::{self, named_in};
use slimfile_core::knowledge::tags::{repository_of, resolves_to};
use slimfile_core::report::{ImageRef, Severity, StageBase};
use slimfile_core::{convert, model, syntax, Options, RuntimeFamily, Status};

fn data(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The data files' answer: `Some(true)` when the repository published `tag`, `Some(false)` when it
/// never did, `None` when no file covers the repository.
struct Published {
    official: Value,
    dotnet: Value,
    distroless: Value,
    siblings: Value,
}

impl Published {
    fn new() -> Published {
        Published {
            official: data("official-images.json"),
            dotnet: data("dotnet-images.json"),
            distroless: data("distroless.json"),
            siblings: data("runtime-siblings.json"),
        }
    }

    /// The JDK repository whose `-runtime` sibling `repo` is, for Red Hat's images.
    fn red_hat_jdk(&self, repo: &str) -> Option<String> {
        self.siblings["red_hat"].as_array().unwrap().iter().find_map(|r| {
            let registry = r["registry"].as_str().unwrap();
            (format!("{registry}/{}", r["runtime_repository"].as_str().unwrap()) == repo).then(|| format!("{registry}/{}", r["repository"].as_str().unwrap()))
        })
    }

    fn repository(&self, repo: &str) -> Option<&Value> {
        let r = &self.official["repositories"][repo];
        if r.is_object() {
            return Some(r);
        }
        let r = &self.dotnet["repositories"][repo];
        let r = if r.is_object() { r } else { &self.dotnet["repositories"][format!("docker.io/{repo}")] };
        r.is_object().then_some(r)
    }

    fn tag(&self, repo: &str, tag: &str) -> Option<bool> {
        if repo.starts_with("gcr.io/distroless/") {
            let listed = self.distroless["images"].as_array().unwrap().iter().any(|i| i["image"] == repo);
            return Some(listed && matches!(tag, "latest" | "nonroot" | "debug" | "debug-nonroot"));
        }
        let r = self.repository(repo)?;
        let versions: Vec<&str> = r["versions"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect();
        let words: Vec<&str> = tag.split('-').collect();
        // Every way to read the tag as `version-variant` (an empty version: a variant-only tag).
        let found = (0..=words.len()).any(|i| {
            let (version, variant) = (words[..i].join("-"), words[i..].join("-"));
            let Some(at) = versions.iter().position(|v| *v == version) else { return false };
            r["tags"].as_array().unwrap().iter().any(|g| {
                g["variants"].as_array().unwrap().iter().any(|v| v == variant.as_str())
                    && g["runs"].as_array().unwrap().iter().any(|run| {
                        let lo = versions.iter().position(|v| run[0] == *v).unwrap();
                        let hi = versions.iter().position(|v| run[1] == *v).unwrap();
                        (lo..=hi).contains(&at)
                    })
            })
        });
        Some(found)
    }
}

/// One conversion to check: its name, input and options.
struct Case {
    name: String,
    text: String,
    options: Options,
}

fn fixtures() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let expect: toml::Value = toml::from_str(&std::fs::read_to_string(d.join("expect.toml")).unwrap()).unwrap();
            let mut options = support::options();
            if let Some(o) = expect.get("options") {
                options.target = o.get("target").and_then(|t| t.as_str()).and_then(RuntimeFamily::parse);
                options.non_root = o.get("non_root").and_then(toml::Value::as_bool).unwrap_or(options.non_root);
                options.keep_comments = o.get("keep_comments").and_then(toml::Value::as_bool).unwrap_or(options.keep_comments);
                options.cache_mounts = o.get("cache_mounts").and_then(toml::Value::as_bool).unwrap_or(options.cache_mounts);
                if let Some(date) = o.get("date").and_then(|t| t.as_str()) {
                    options.date = Some(date.to_owned());
                }
            }
            Case { name: format!("fixture {}", d.file_name().unwrap().to_string_lossy()), text: std::fs::read_to_string(d.join("Dockerfile")).unwrap(), options }
        })
        .collect()
}

fn corpus() -> Vec<Case> {
    support::corpus_files()
        .into_iter()
        .map(|p| Case { name: format!("corpus {}", support::corpus_name(&p)), text: String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(), options: support::options() })
        .collect()
}

fn examples() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 10, "the playground's examples are in src/examples");
    files.into_iter().map(|p| Case { name: format!("example {}", p.display()), text: std::fs::read_to_string(&p).unwrap(), options: support::options() }).collect()
}

/// The image each stage is built on (`None` for scratch and `FROM <stage>`).
fn stage_images(text: &str) -> Vec<Option<ImageRef>> {
    let doc = syntax::parse(text);
    model::build(&doc)
        .stages
        .iter()
        .map(|s| match &s.base {
            StageBase::Image { image } => Some(image.clone()),
            _ => None,
        })
        .collect()
}

/// How SF108 begins its finding about the runtime a rewrite chose.
const RUNTIME_PAST: &str = "The runtime image of the rewrite:";

/// Problems of one conversion's output (empty when it holds none).
fn problems(case: &Case, published: &Published) -> Vec<String> {
    let r = convert(&case.text, &case.options);
    let Some(out) = r.output.as_deref().filter(|_| r.status == Status::Converted) else { return vec![] };
    let before = stage_images(&case.text);
    let mut found: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.rule == "SF108" && f.severity == Severity::Warning && f.message.starts_with(RUNTIME_PAST))
        .map(|f| format!("{}: writes a runtime out of support: {}", case.name, f.message))
        .collect();
    for (i, img) in stage_images(out).into_iter().enumerate() {
        let Some(img) = img else { continue };
        let shown = img.resolved.clone();
        if img.raw.contains('$') || before.iter().flatten().any(|b| b.resolved == img.resolved) {
            // The input's own image, or one an ARG names: the user's build pulls it.
            continue;
        }
        let repo = repository_of(&img);
        let tag = img.tag.clone().unwrap_or_else(|| "latest".to_owned());
        if repo.starts_with("gcr.io/distroless/") && repo.ends_with("-debian12") {
            found.push(format!("{}: writes `{shown}`, a debian12 distroless image", case.name));
        }
        let answer = match repo.as_str() {
            "nginxinc/nginx-unprivileged" => published.tag("nginx", &tag),
            _ => match published.red_hat_jdk(&repo) {
                // A Red Hat `-runtime` image is published with the tags of its JDK image (data/runtime-siblings.json):
                // the input's JDK image of the same tag.
                Some(jdk) => Some(before.iter().flatten().any(|b| repository_of(b) == jdk && b.tag.as_deref().unwrap_or("latest") == tag)),
                None => published.tag(&repo, &tag),
            },
        };
        match answer {
            Some(true) => {}
            Some(false) => found.push(format!("{}: writes `{shown}`, a tag never published", case.name)),
            None => found.push(format!("{}: writes `{shown}`, which no data file covers", case.name)),
        }
        // A replaced image of the same stage (a pinned builder) is never on an older release.
        if let Some(Some(old)) = before.get(i) {
            let was = resolves_to(&repository_of(old), old.tag.as_deref().unwrap_or(""));
            if let (Some(was), Some(now)) = (was, named_in(&tag)) {
                if now.runs_programs_of(&was.release) == Some(false) {
                    found.push(format!("{}: `{}` resolves to {}, and the output pins it to `{shown}`", case.name, old.resolved, was.release.name));
                }
            }
        }
    }
    found
}

#[test]
fn every_written_image_was_published_is_in_support_and_no_builder_moves_back() {
    let published = Published::new();
    let cases: Vec<Case> = fixtures().into_iter().chain(corpus()).chain(examples()).collect();
    let converted = cases.iter().filter(|c| convert(&c.text, &c.options).status == Status::Converted).count();
    assert!(converted > 100, "{converted} conversions checked");
    let found: Vec<String> = cases.iter().flat_map(|c| problems(c, &published)).collect();
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

/// The checks themselves catch what they are for: the tags slimfile wrote before it knew which exist.
#[test]
fn the_checks_catch_unpublished_tags_and_moved_back_builders() {
    let published = Published::new();
    assert_eq!(published.tag("golang", "1.17-bookworm"), Some(false));
    assert_eq!(published.tag("node", "10-bookworm-slim"), Some(false));
    assert_eq!(published.tag("mcr.microsoft.com/dotnet/runtime", "2.0"), Some(false));
    assert_eq!(published.tag("microsoft/dotnet", "2.0-runtime"), Some(true));
    assert_eq!(published.tag("golang", "1.17-bullseye"), Some(true));
    assert_eq!(published.tag("node", "lts-bookworm-slim"), Some(true));
    assert_eq!(published.tag("gcr.io/distroless/java17-debian13", "nonroot"), Some(true));
    assert_eq!(published.tag("gcr.io/distroless/nodejs26-debian12", "latest"), Some(false));
    assert_eq!(published.tag("quay.io/x/y", "1"), None);
    // A builder pinned back: python:3.12 resolves to trixie today.
    let trixie = resolves_to("python", "3.12").unwrap().release;
    assert_eq!(named_in("3.12-bookworm").unwrap().runs_programs_of(&trixie), Some(false));
    assert!(releases::is_day(support::JUDGED_ON));
}

/// The out-of-support check catches a runtime past its window: the ASP.NET fixture's runtime,
/// `aspnet:8.0`, is built on Debian 12, in Debian LTS on the fixtures' day and past all its support
/// after 2028-06-30 (a reason the input's own `sdk:8.0` does not show).
#[test]
fn the_check_catches_a_runtime_out_of_support() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert/43-dotnet-aspnet");
    let text = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let today = Case { name: "43 today".into(), text: text.clone(), options: support::options() };
    assert!(problems(&today, &Published::new()).is_empty());
    let mut options = support::options();
    options.date = Some("2028-07-01".into());
    let later = Case { name: "43 in 2028".into(), text, options };
    let found = problems(&later, &Published::new());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("runtime out of support") && found[0].contains("aspnet:8.0"), "{found:?}");
}
