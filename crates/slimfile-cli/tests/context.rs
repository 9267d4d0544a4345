//! The build context as a user meets it: the Dockerfile's folder read by default, --context and
//! --no-context, compose and bake files with several services, `slimfile dockerignore`, and the limits.

mod common;

use common::{run_in, sandbox, text};
use serde_json::Value;

const NODE_DOCKERFILE: &str = "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nEXPOSE 3000\nCMD [\"npm\", \"start\"]\n";
const PACKAGE_JSON: &str = "{\n  \"name\": \"api\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\n    \"start\": \"node server.js\"\n  },\n  \"dependencies\": {\n    \"express\": \"^4.19.2\"\n  }\n}\n";
const LOCK: &str = "{\n  \"name\": \"api\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"name\": \"api\"},\n    \"node_modules/express\": {\"version\": \"4.19.2\"}\n  }\n}\n";

const RUST_DOCKERFILE: &str = "FROM rust:1.80\nWORKDIR /usr/src/worker\nCOPY . .\nRUN cargo build --release\nCMD [\"cargo\", \"run\", \"--release\"]\n";
const CARGO_TOML: &str = "[package]\nname = \"queue-worker\"\nversion = \"0.4.0\"\nedition = \"2021\"\n\n[dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\n";

const GO_DOCKERFILE: &str = "FROM golang:1.22-bookworm AS prod\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /bin/web ./cmd/web\nEXPOSE 8080\nCMD [\"/bin/web\"]\n\nFROM prod AS debug\nRUN go install github.com/go-delve/delve/cmd/dlv@latest\nCMD [\"dlv\", \"exec\", \"/bin/web\"]\n";

const COMPOSE: &str = "\
name: shop
services:
  api:
    build: ./api
    ports: [\"3000:3000\"]
  worker:
    build:
      context: services/worker
  web:
    build:
      context: web
      dockerfile: docker/Dockerfile
      target: prod
    healthcheck:
      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/healthz\"]
      interval: 10s
  db:
    image: postgres:16
";

/// The project, in a sandbox of its own for each test (they run in parallel).
fn shop(name: &str) -> std::path::PathBuf {
    sandbox(
        &format!("context-shop-{name}"),
        &[
            ("compose.yaml", COMPOSE),
            ("api/Dockerfile", NODE_DOCKERFILE),
            ("api/package.json", PACKAGE_JSON),
            ("api/package-lock.json", LOCK),
            ("api/server.js", "require('express')().listen(3000);\n"),
            ("services/worker/Dockerfile", RUST_DOCKERFILE),
            ("services/worker/Cargo.toml", CARGO_TOML),
            ("services/worker/src/main.rs", "fn main() {}\n"),
            ("web/docker/Dockerfile", GO_DOCKERFILE),
            ("web/go.mod", "module example.com/web\n\ngo 1.22\n"),
            ("web/cmd/web/main.go", "package main\n\nfunc main() {}\n"),
        ],
    )
}

#[test]
fn a_compose_file_with_three_services() {
    let dir = shop("compose");
    let o = run_in(Some(&dir), &["convert", "compose.yaml", "--format", "json"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "slimfile: compose.yaml: service db builds nothing (image only)\n");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = v.as_array().unwrap();
    let files: Vec<(&str, &str)> = all.iter().map(|f| (f["file"].as_str().unwrap(), f["service"].as_str().unwrap())).collect();
    assert_eq!(files, [("api/Dockerfile", "service api"), ("services/worker/Dockerfile", "service worker"), ("web/docker/Dockerfile", "service web")]);
    // api: package.json's start script, read from the service's own context.
    let api = &all[0]["report"];
    assert_eq!(api["runtime"], "distroless/nodejs");
    assert!(api["output"].as_str().unwrap().contains("CMD [\"server.js\"]"));
    assert_eq!(api["context"]["files_used"], serde_json::json!(["package.json"]));
    // worker: the binary named by Cargo.toml.
    let worker = &all[1]["report"];
    assert!(worker["output"].as_str().unwrap().contains("target/release/queue-worker"), "{}", worker["output"]);
    assert!(!worker["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "SF302"));
    // web: its `prod` stage (the target), and the health check's curl kept.
    let web = &all[2]["report"];
    assert_eq!(web["runtime"], "slim");
    let out = web["output"].as_str().unwrap();
    assert!(out.contains("curl") && !out.contains("dlv"), "{out}");
    assert!(web["changes"].as_array().unwrap().iter().any(|c| c["why"].as_str().unwrap().starts_with("compose.yaml (service web)'s healthcheck runs `curl`")));

    // check: every service, named, with the conversion note.
    let o = run_in(Some(&dir), &["check", "compose.yaml", "--no-fail", "--format", "json"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let services: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["service"].as_str().unwrap()).collect();
    assert_eq!(services, ["service api", "service worker", "service web"]);
    assert_eq!(v["summary"]["converting"], 3);
    let o = run_in(Some(&dir), &["check", "compose.yaml", "--no-fail"], "");
    let tty = text(&o.stdout);
    assert!(tty.contains("api/Dockerfile: service api\n") && tty.contains("3 files checked"), "{tty}");
    // --write leaves the web Dockerfile alone: compose builds one of its stages, not the last.
    let o = run_in(Some(&dir), &["convert", "compose.yaml", "--write"], "");
    assert!(text(&o.stderr).contains("web/docker/Dockerfile: not rewritten: service web builds one of its stages"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("web/docker/Dockerfile")).unwrap(), GO_DOCKERFILE);
    assert!(std::fs::read_to_string(dir.join("api/Dockerfile")).unwrap().contains("gcr.io/distroless/nodejs22"));
}

#[test]
fn a_bake_file() {
    let dir = shop("bake");
    std::fs::write(dir.join("docker-bake.hcl"), "target \"api\" {\n  context = \"api\"\n}\n\ntarget \"worker\" {\n  context = \"services/worker\"\n  dockerfile = \"Dockerfile\"\n}\n").unwrap();
    let o = run_in(Some(&dir), &["check", "docker-bake.hcl", "--no-fail", "--format", "json"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["api/Dockerfile", "services/worker/Dockerfile"]);
}

#[test]
fn the_dockerfiles_folder_by_default_or_another_or_none() {
    let dir = shop("flags");
    let convert = |args: &[&str]| {
        let o = run_in(Some(&dir), args, "");
        serde_json::from_slice::<Value>(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o.stderr)))
    };
    let by_default = convert(&["convert", "api/Dockerfile", "--format", "json"]);
    assert_eq!(by_default["runtime"], "distroless/nodejs");
    let none = convert(&["convert", "api/Dockerfile", "--format", "json", "--no-context"]);
    assert_eq!(none["runtime"], "slim");
    assert!(none.get("context").is_none(), "no context field without a context");
    assert!(none["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "SF306"));
    // The Dockerfile from standard input: the context only when named.
    let o = run_in(Some(&dir), &["convert", "-", "--format", "json", "--context", "api"], NODE_DOCKERFILE);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["runtime"], "distroless/nodejs");
    let o = run_in(Some(&dir), &["convert", "-", "--format", "json"], NODE_DOCKERFILE);
    assert_eq!(serde_json::from_slice::<Value>(&o.stdout).unwrap()["runtime"], "slim");
    let o = run_in(Some(&dir), &["convert", "api/Dockerfile", "--context", "nowhere"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--context: cannot read the context nowhere"), "{}", text(&o.stderr));
    let o = run_in(Some(&dir), &["convert", "api/Dockerfile", "--context", "api", "--no-context"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn limits_are_said_and_the_rest_still_read() {
    let dir = shop("limits");
    let big = format!("{{\"name\": \"api\", \"lockfileVersion\": 3, \"pad\": \"{}\"}}", "x".repeat(5 << 20));
    std::fs::write(dir.join("api/package-lock.json"), big).unwrap();
    let o = run_in(Some(&dir), &["convert", "api/Dockerfile", "--format", "json"], "");
    assert_eq!(o.status.code(), Some(0));
    let err = text(&o.stderr);
    assert!(err.contains("slimfile: context api: package-lock.json is 5.0 MiB, over the 4 MiB slimfile reads of one file: not read"), "{err}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["runtime"], "distroless/nodejs", "package.json still answers");
}

#[test]
fn dockerignore_prints_and_writes_a_proposal() {
    let dir = sandbox(
        "context-dockerignore",
        &[
            ("Dockerfile", NODE_DOCKERFILE),
            ("package.json", PACKAGE_JSON),
            ("package-lock.json", LOCK),
            ("server.js", "\n"),
            (".env", "SESSION_SECRET=c4f3b4b3\n"),
            ("node_modules/express/index.js", "\n"),
            (".dockerignore", "*.log\n"),
        ],
    );
    let o = run_in(Some(&dir), &["dockerignore"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let proposal = text(&o.stdout);
    assert!(proposal.starts_with("*.log\n\n"), "{proposal}");
    assert!(proposal.contains("\nnode_modules\n") && proposal.contains("\n.env\n"), "{proposal}");
    assert!(text(&o.stderr).contains("SF107"), "{}", text(&o.stderr));
    // check reports it (a warning: a secret) and never prints the secret.
    let o = run_in(Some(&dir), &["check", "--format", "json"], "");
    let out = text(&o.stdout);
    assert!(out.contains("\"rule\": \"SF107\"") && out.contains("\"severity\": \"warning\"") && !out.contains("c4f3b4b3"), "{out}");
    let o = run_in(Some(&dir), &["dockerignore", "--write"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.join(".dockerignore")).unwrap(), proposal);
    let o = run_in(Some(&dir), &["dockerignore"], "");
    assert_eq!(text(&o.stdout), proposal);
    assert!(text(&o.stderr).contains("nothing to add"), "{}", text(&o.stderr));
}
