//! What `convert` and `check` work on: each Dockerfile with its text and build context. A compose or bake
//! file stands for the Dockerfiles its services build, each with its own context, target stage and
//! health check.

use std::sync::Arc;

use slimfile_core::context::BuildContext;

use crate::args::ContextFlags;
use crate::compose;
use crate::context::{default_dir, Contexts};
use crate::files::{self, Ignore};

/// One Dockerfile to convert or check.
pub struct Job {
    /// The path as given or found (`-` for standard input): where `--write` writes, what the config is
    /// looked up for.
    pub input: String,
    /// How reports name it.
    pub name: String,
    /// The compose service or bake target that builds it.
    pub service: Option<String>,
    /// The text the engine reads: the whole file, or up to the end of a compose `target` stage.
    pub text: String,
    /// False when `text` is not the whole file (a `target` stage): `--write` leaves it alone.
    pub whole: bool,
    pub context: Arc<BuildContext>,
}

/// The jobs of the command line's inputs; what could not be read was said on stderr (the bool: some
/// input failed).
pub fn jobs(inputs: &[String], ignore: Ignore, flags: &ContextFlags) -> Result<(Vec<Job>, bool), String> {
    let expanded = files::expand(inputs, ignore)?;
    let mut contexts = Contexts::default();
    let mut out = Vec::new();
    let mut failed = false;
    let fail = |e: String| {
        eprintln!("slimfile: {e}");
        true
    };
    for input in &expanded {
        let (name, text) = match files::read(input) {
            Ok(r) => r,
            Err(e) => {
                failed |= fail(e);
                continue;
            }
        };
        if input != "-" && compose::kind(input).is_some() {
            failed |= from_compose(input, &text, flags, &mut contexts, &mut out);
            continue;
        }
        let context = match (&flags.context, flags.no_context, input.as_str()) {
            (_, true, _) | (None, false, "-") => Arc::new(BuildContext::default()),
            (Some(dir), false, _) => match contexts.get(std::path::Path::new(dir)) {
                Ok(c) => c,
                Err(e) => return Err(format!("--context: {e}")),
            },
            (None, false, file) => contexts.get(&default_dir(file)).unwrap_or_else(|e| {
                eprintln!("slimfile: {e}");
                Arc::new(BuildContext::default())
            }),
        };
        out.push(Job { input: input.clone(), name, service: None, text, whole: true, context });
    }
    Ok((out, failed))
}

/// The Dockerfiles a compose or bake file builds. True when one could not be read.
fn from_compose(file: &str, text: &str, flags: &ContextFlags, contexts: &mut Contexts, out: &mut Vec<Job>) -> bool {
    let (builds, skipped) = match compose::builds(file, text) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("slimfile: {e}");
            return true;
        }
    };
    for s in skipped {
        eprintln!("slimfile: {s}");
    }
    let mut failed = false;
    for b in builds {
        let path = clean(&b.dockerfile);
        let (name, whole_text) = match files::read(&path) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("slimfile: {file}: {}: {e}", b.what);
                failed = true;
                continue;
            }
        };
        let (text, whole) = match &b.target {
            Some(t) => match up_to_stage(&whole_text, t) {
                Some(cut) => (cut, cut_is_whole(&whole_text, t)),
                None => {
                    eprintln!("slimfile: {file}: {} builds the stage `{t}`, which {name} does not have", b.what);
                    failed = true;
                    continue;
                }
            },
            None => (whole_text, true),
        };
        let mut context = if flags.no_context {
            BuildContext::default()
        } else {
            match contexts.get(&b.context) {
                Ok(c) => (*c).clone(),
                Err(e) => {
                    eprintln!("slimfile: {file}: {}: {e}", b.what);
                    BuildContext::default()
                }
            }
        };
        context.healthchecks.extend(b.healthcheck.clone());
        out.push(Job { input: path.clone(), name, service: Some(b.what.clone()), text, whole, context: Arc::new(context) });
    }
    failed
}

/// A path as users write it: `./web/./docker/../Dockerfile` → `web/Dockerfile`.
fn clean(p: &std::path::Path) -> String {
    use std::path::Component;
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|l| l != "..") => {
                parts.pop();
            }
            Component::RootDir => parts.push(String::new()),
            c => parts.push(c.as_os_str().to_string_lossy().into_owned()),
        }
    }
    match parts.as_slice() {
        [] => ".".to_owned(),
        [root] if root.is_empty() => "/".to_owned(),
        _ => parts.join("/"),
    }
}

/// The Dockerfile up to the end of stage `target` (what `docker build --target` builds: later stages are
/// not). Line numbers stay those of the file.
fn up_to_stage(text: &str, target: &str) -> Option<String> {
    let doc = slimfile_core::syntax::parse(text);
    let model = slimfile_core::model::build(&doc);
    let stage = model.stages.iter().find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(target)))?;
    let last = stage.body.clone().last().unwrap_or(stage.from);
    let end = doc.instructions[last].span.end;
    let rest = &text[end..];
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
    Some(text[..line_end].to_owned())
}

/// Whether stage `target` is the last one (the cut is the whole file).
fn cut_is_whole(text: &str, target: &str) -> bool {
    let doc = slimfile_core::syntax::parse(text);
    let model = slimfile_core::model::build(&doc);
    model.stages.last().and_then(|s| s.name.as_deref()).is_some_and(|n| n.eq_ignore_ascii_case(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_stage_ends_the_text() {
        let text = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM build AS test\nRUN go test ./...\n\nFROM alpine AS prod\nCOPY --from=build /app /app\n";
        assert_eq!(up_to_stage(text, "test").unwrap(), "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM build AS test\nRUN go test ./...\n");
        assert_eq!(up_to_stage(text, "PROD").unwrap(), text);
        assert!(cut_is_whole(text, "prod") && !cut_is_whole(text, "test"));
        assert!(up_to_stage(text, "nope").is_none());
    }

    #[test]
    fn paths_are_cleaned() {
        assert_eq!(clean(std::path::Path::new("././api/Dockerfile")), "api/Dockerfile");
        assert_eq!(clean(std::path::Path::new("deploy/../web/./docker/Dockerfile")), "web/docker/Dockerfile");
        assert_eq!(clean(std::path::Path::new("../x/Dockerfile")), "../x/Dockerfile");
        assert_eq!(clean(std::path::Path::new("/srv/./app/Dockerfile")), "/srv/app/Dockerfile");
    }
}
