//! Compose and Bake files: each service (or target) that builds an image, with its real context,
//! Dockerfile, target stage and health check.
//!
//! Compose (the Compose Specification, <https://github.com/compose-spec/compose-spec/blob/main/build.md>,
//! `services.healthcheck` in `05-services.md`):
//! - `build: PATH` is the context; `build: {context, dockerfile, target, dockerfile_inline}` the long
//!   form. A relative context is relative to the compose file's folder, the Dockerfile relative to the
//!   context (default `Dockerfile`); a context that is a URL (git, http) is not a folder here.
//! - `healthcheck.test` is `["CMD", …]`, `["CMD-SHELL", "…"]`, `["NONE"]` or a string (run by the shell,
//!   as `CMD-SHELL`); `disable: true` turns it off. It runs inside the container: a run-time need.
//! - `${VAR}`, `${VAR:-default}` and `${VAR-default}` are interpolated from the environment; `$$` is `$`.
//!
//! Bake (<https://docs.docker.com/build/bake/reference/>): `target "NAME" { context = "…" dockerfile =
//! "…" target = "…" }` in HCL, or the same under `"target"` in JSON; paths relative to the bake file's
//! folder. Only plain string attributes are read; a target whose values use variables or functions is
//! reported and left out.

use std::path::{Path, PathBuf};

use slimfile_core::context::HealthCheck;
use yaml_rust2::{Yaml, YamlLoader};

/// One image a compose or bake file builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// `service web` (compose) or `target web` (bake).
    pub what: String,
    pub context: PathBuf,
    pub dockerfile: PathBuf,
    /// The stage to build; `None`: the last one.
    pub target: Option<String>,
    pub healthcheck: Option<HealthCheck>,
}

/// Whether a file name is one `docker compose` or `docker buildx bake` reads.
pub fn kind(path: &str) -> Option<&'static str> {
    let name = Path::new(path).file_name()?.to_str()?;
    let compose = matches!(name, "compose.yaml" | "compose.yml" | "docker-compose.yml" | "docker-compose.yaml")
        || (name.starts_with("compose.") || name.starts_with("docker-compose.")) && (name.ends_with(".yml") || name.ends_with(".yaml"));
    if compose {
        Some("compose")
    } else if name == "docker-bake.hcl" || name == "docker-bake.json" || (name.starts_with("docker-bake.") && (name.ends_with(".hcl") || name.ends_with(".json"))) {
        Some("bake")
    } else {
        None
    }
}

/// The builds of a compose or bake file, and the services it skips with why (for stderr).
pub fn builds(path: &str, text: &str) -> Result<(Vec<Build>, Vec<String>), String> {
    let dir = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), Path::to_path_buf);
    match kind(path) {
        Some("bake") if path.ends_with(".json") => bake_json(text, &dir, path),
        Some("bake") => bake_hcl(text, &dir, path),
        _ => compose(text, &dir, path),
    }
}

fn compose(text: &str, dir: &Path, file: &str) -> Result<(Vec<Build>, Vec<String>), String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        let m = e.marker();
        format!("{file}:{}:{}: {}", m.line(), m.col() + 1, e.info())
    })?;
    let doc = docs.first().ok_or_else(|| format!("{file}: empty compose file"))?;
    let Yaml::Hash(services) = &doc["services"] else { return Err(format!("{file}: no services")) };
    let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or(file);
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for (k, svc) in services {
        let Some(service) = k.as_str() else { continue };
        let build = &svc["build"];
        let (context, dockerfile, target) = match build {
            Yaml::String(c) => (interpolate(c), "Dockerfile".to_owned(), None),
            Yaml::Hash(_) => {
                if !build["dockerfile_inline"].is_badvalue() {
                    skipped.push(format!("{file}: service {service} writes its Dockerfile inline (dockerfile_inline): not checked"));
                    continue;
                }
                (
                    build["context"].as_str().map_or(".".to_owned(), interpolate),
                    build["dockerfile"].as_str().map_or("Dockerfile".to_owned(), interpolate),
                    build["target"].as_str().map(interpolate),
                )
            }
            _ => {
                skipped.push(format!("{file}: service {service} builds nothing (image only)"));
                continue;
            }
        };
        if context.contains("://") || context.starts_with("git@") {
            skipped.push(format!("{file}: service {service} builds from {context}, not a folder here"));
            continue;
        }
        let ctx_dir = dir.join(&context);
        let hc = &svc["healthcheck"];
        let healthcheck = (hc["disable"].as_bool() != Some(true)).then(|| match &hc["test"] {
            Yaml::String(s) => Some(vec!["CMD-SHELL".to_owned(), s.clone()]),
            Yaml::Array(a) => Some(a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()),
            _ => None,
        });
        let healthcheck = healthcheck.flatten().filter(|t| !t.is_empty() && t[0] != "NONE").map(|test| HealthCheck { source: format!("{name} (service {service})"), test });
        out.push(Build { what: format!("service {service}"), dockerfile: ctx_dir.join(&dockerfile), context: ctx_dir, target, healthcheck });
    }
    Ok((out, skipped))
}

/// `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$$` from the environment.
fn interpolate(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let (Some(inner), Some(end)) = (after.strip_prefix('{'), after.find('}')) {
            let expr = &inner[..end - 1];
            let (var, default) = match expr.split_once(":-").or_else(|| expr.split_once('-')) {
                Some((v, d)) => (v, Some(d)),
                None => (expr, None),
            };
            let value = std::env::var(var).ok().filter(|v| !v.is_empty() || !expr.contains(":-"));
            out.push_str(&value.or(default.map(str::to_owned)).unwrap_or_default());
            rest = &after[end + 1..];
        } else {
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            out.push_str(&std::env::var(&after[..end]).unwrap_or_default());
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

fn bake_target(name: &str, ctx: Option<&str>, dockerfile: Option<&str>, target: Option<&str>, dir: &Path) -> Build {
    let context = dir.join(ctx.unwrap_or("."));
    Build {
        what: format!("target {name}"),
        dockerfile: context.join(dockerfile.unwrap_or("Dockerfile")),
        context,
        target: target.map(str::to_owned),
        healthcheck: None,
    }
}

fn bake_json(text: &str, dir: &Path, file: &str) -> Result<(Vec<Build>, Vec<String>), String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("{file}:{}:{}: {e}", e.line(), e.column()))?;
    let targets = v.get("target").and_then(|t| t.as_object()).ok_or_else(|| format!("{file}: no target"))?;
    let s = |t: &serde_json::Value, k: &str| t.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let mut out = Vec::new();
    for (name, t) in targets {
        out.push(bake_target(name, s(t, "context").as_deref(), s(t, "dockerfile").as_deref(), s(t, "target").as_deref(), dir));
    }
    Ok((out, vec![]))
}

/// `target "NAME" { key = "value" … }` blocks of an HCL bake file, their plain string attributes.
fn bake_hcl(text: &str, dir: &Path, file: &str) -> Result<(Vec<Build>, Vec<String>), String> {
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    // The open target block: its name, its string attributes, whether a needed one is computed.
    type Block = (String, Vec<(String, String)>, bool);
    let mut current: Option<Block> = None;
    let mut depth = 0usize;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or("").split(" #").next().unwrap_or("").trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if depth == 0 {
            if let Some(rest) = line.strip_prefix("target ") {
                let name = rest.trim().trim_end_matches('{').trim().trim_matches('"').to_owned();
                current = Some((name, vec![], false));
            }
        } else if depth == 1 {
            if let (Some((_, attrs, computed)), Some((k, v))) = (current.as_mut(), line.split_once('=')) {
                let v = v.trim();
                match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    Some(s) if !s.contains("${") => attrs.push((k.trim().to_owned(), s.to_owned())),
                    _ if matches!(k.trim(), "context" | "dockerfile" | "target") => *computed = true,
                    _ => {}
                }
            }
        }
        depth += line.matches('{').count();
        let closes = line.matches('}').count();
        if closes > depth {
            return Err(format!("{file}:{}: a '}}' closes nothing", n + 1));
        }
        depth -= closes;
        if depth == 0 {
            if let Some((name, attrs, computed)) = current.take() {
                let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
                if computed {
                    skipped.push(format!("{file}: target {name} computes its context, dockerfile or target (variables, functions): not checked"));
                } else {
                    out.push(bake_target(&name, get("context"), get("dockerfile"), get("target"), dir));
                }
            }
        }
    }
    Ok((out, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_services() {
        let text = "services:\n  web:\n    build: ./web\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n  api:\n    build:\n      context: services/api\n      dockerfile: docker/Dockerfile.prod\n      target: runtime\n    healthcheck:\n      test: wget -qO- localhost:8080/health || exit 1\n  db:\n    image: postgres:16\n  off:\n    build: .\n    healthcheck:\n      disable: true\n      test: [\"CMD\", \"true\"]\n";
        let (b, skipped) = builds("deploy/compose.yaml", text).unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].what, "service web");
        assert_eq!(b[0].dockerfile, Path::new("deploy/./web/Dockerfile"));
        assert_eq!(b[0].healthcheck.as_ref().unwrap().test, ["CMD", "curl", "-f", "http://localhost"]);
        assert_eq!(b[0].healthcheck.as_ref().unwrap().source, "compose.yaml (service web)");
        assert_eq!(b[1].dockerfile, Path::new("deploy/services/api/docker/Dockerfile.prod"));
        assert_eq!(b[1].target.as_deref(), Some("runtime"));
        assert_eq!(b[1].healthcheck.as_ref().unwrap().test[0], "CMD-SHELL");
        assert!(b[2].healthcheck.is_none(), "disabled");
        assert_eq!(skipped, ["deploy/compose.yaml: service db builds nothing (image only)"]);
        let e = builds("compose.yaml", "services:\n  a: [\n").unwrap_err();
        assert!(e.starts_with("compose.yaml:"), "{e}");
        assert_eq!(kind("docker-compose.prod.yml"), Some("compose"));
        assert_eq!(kind("Dockerfile"), None);
    }

    #[test]
    fn interpolation() {
        std::env::set_var("SLIMFILE_TEST_CTX", "svc");
        assert_eq!(interpolate("./${SLIMFILE_TEST_CTX}/x"), "./svc/x");
        assert_eq!(interpolate("${SLIMFILE_TEST_UNSET:-app}"), "app");
        assert_eq!(interpolate("$$HOME"), "$HOME");
    }

    #[test]
    fn bake_files() {
        let hcl = "group \"default\" {\n  targets = [\"api\", \"web\"]\n}\n\ntarget \"api\" {\n  context = \"./api\"\n  dockerfile = \"Dockerfile\"\n  target = \"prod\"\n}\n\ntarget \"web\" {\n  context = \"web\"\n  args = {\n    NODE = \"20\"\n  }\n}\n\ntarget \"vers\" {\n  context = \"${ROOT}/x\"\n}\n";
        let (b, skipped) = builds("docker-bake.hcl", hcl).unwrap();
        assert_eq!(b.iter().map(|b| b.what.as_str()).collect::<Vec<_>>(), ["target api", "target web"]);
        assert_eq!(b[0].target.as_deref(), Some("prod"));
        assert_eq!(b[1].dockerfile, Path::new("./web/Dockerfile"));
        assert_eq!(skipped.len(), 1);
        let json = r#"{"target": {"api": {"context": "api", "dockerfile": "Dockerfile.api"}}}"#;
        let (b, _) = builds("docker-bake.json", json).unwrap();
        assert_eq!(b[0].dockerfile, Path::new("./api/Dockerfile.api"));
    }
}
