//! The artifacts a build writes (`go build -o`, `target/release`, jars, publish folders) and the `cp` of
//! them elsewhere.

use std::collections::HashMap;

use super::facts::{Art, ArtKind, Step};
use super::paths::join_path;
use crate::shell::{expand, SimpleCommand};

/// `cp target/release/app /usr/local/bin/` after a build: the artifact now also lives at the destination.
pub(super) fn moved_artifacts(c: &SimpleCommand, workdir: &str, vars: &HashMap<String, String>, inst: usize, arts: &mut Vec<Art>) {
    let args: Vec<String> = c.argv.iter().skip(1).filter(|a| !a.starts_with('-')).map(|a| expand(a, vars).text).collect();
    if args.len() < 2 || c.program() == "ln" && !c.has_flag(&["-s", "-sf", "-fs"]) {
        return;
    }
    let dest = join_path(workdir, &args[args.len() - 1]);
    let dest_is_dir = args[args.len() - 1].ends_with('/') || args.len() > 2;
    for src in &args[..args.len() - 1] {
        let src_abs = join_path(workdir, src);
        let glob = src.contains('*');
        let from = arts.iter().find(|a| {
            let dir = a.path.trim_end_matches('/');
            src_abs == a.path || src_abs.starts_with(&format!("{dir}/"))
        });
        let Some(from) = from.cloned() else { continue };
        let name = src_abs.rsplit('/').next().unwrap_or("");
        let path = if dest_is_dir && !glob { format!("{}/{name}", dest.trim_end_matches('/')) } else { dest.clone() };
        let kind = match from.kind {
            ArtKind::Folder if !glob => ArtKind::Binary,
            ArtKind::Folder => ArtKind::Binary,
            k => k,
        };
        let kind = if path.ends_with(".jar") { ArtKind::Jar } else { kind };
        arts.push(Art { path, kind, inst });
    }
}

/// What a build command writes, where it can be read from the command alone.
pub(super) fn artifacts_of(step: &Step, out: &mut Vec<Art>) {
    let c = &step.cmd;
    let wd = &step.workdir;
    match (step.tool, c.arg(1)) {
        ("go", "build") => {
            if let Some(o) = c.option(&["-o"]) {
                let path = join_path(wd, o);
                out.push(Art { path, kind: ArtKind::Binary, inst: step.inst });
            }
        }
        // `go get` without -d (GOPATH mode, before Go 1.17) builds and installs like `go install`.
        ("go", "install") | ("go", "get") if !(c.arg(1) == "get" && c.has_flag(&["-d"])) => {
            let gopath = step.var("GOPATH").unwrap_or("/go").to_owned();
            let gobin = step.var("GOBIN").map(str::to_owned).unwrap_or(format!("{gopath}/bin"));
            // `go install example.com/cmd/app@latest` → $GOBIN/app
            for p in c.positional(1) {
                let name = p.split('@').next().unwrap_or(p).trim_end_matches("/...").rsplit('/').next().unwrap_or("");
                if !name.is_empty() && name != "." && !name.contains("...") {
                    out.push(Art { path: format!("{gobin}/{name}"), kind: ArtKind::Binary, inst: step.inst });
                }
            }
        }
        ("cargo", "build") => {
            let profile = if c.has_flag(&["--release", "-r"]) { "release" } else { "debug" };
            let profile = c.option(&["--profile"]).unwrap_or(profile);
            let target_dir = step
                .var("CARGO_TARGET_DIR")
                .map(|d| join_path(wd, d))
                .unwrap_or_else(|| join_path(wd, "target"));
            let triple = c.option(&["--target"]).map(|t| format!("/{t}")).unwrap_or_default();
            let dir = format!("{target_dir}{triple}/{profile}");
            if let Some(bin) = c.option(&["--bin"]) {
                out.push(Art { path: format!("{dir}/{bin}"), kind: ArtKind::Binary, inst: step.inst });
            } else {
                // The binary's name is in Cargo.toml: record the folder; the strategy looks for the name.
                out.push(Art { path: dir, kind: ArtKind::Folder, inst: step.inst });
            }
        }
        ("cargo", "install") => {
            let root = c
                .option(&["--root"])
                .map(|r| join_path(wd, r))
                .or_else(|| step.var("CARGO_HOME").map(str::to_owned))
                .unwrap_or_else(|| "/usr/local/cargo".to_owned());
            out.push(Art { path: format!("{root}/bin"), kind: ArtKind::Folder, inst: step.inst });
        }
        ("maven", _) if c.argv.iter().any(|a| a == "package" || a == "install" || a == "verify") => {
            out.push(Art { path: join_path(wd, "target"), kind: ArtKind::Jar, inst: step.inst });
        }
        ("gradle", _) if c.argv.iter().any(|a| a.contains("build") || a.contains("Jar") || a.contains("jar")) => {
            out.push(Art { path: join_path(wd, "build/libs"), kind: ArtKind::Jar, inst: step.inst });
        }
        ("dotnet", "publish") => {
            let o = c.option(&["-o", "--output"]).map(|o| join_path(wd, o));
            if let Some(o) = o {
                out.push(Art { path: o, kind: ArtKind::Publish, inst: step.inst });
            }
        }
        ("npm" | "yarn" | "pnpm", "run" | "build") if c.argv.iter().any(|a| a == "build") => {
            out.push(Art { path: wd.clone(), kind: ArtKind::StaticSite, inst: step.inst });
        }
        ("pip", "install") => {
            if let Some(t) = c.option(&["--target", "-t", "--prefix", "--root"]) {
                out.push(Art { path: join_path(wd, t), kind: ArtKind::Folder, inst: step.inst });
            }
        }
        _ => {}
    }
    if matches!(c.program(), "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++") {
        if let Some(o) = c.option(&["-o"]) {
            out.push(Art { path: join_path(wd, o), kind: ArtKind::Binary, inst: step.inst });
        }
    }
    if step.tool == "pip" || step.tool == "uv" {
        if let Some(v) = step.var("VIRTUAL_ENV") {
            if !out.iter().any(|a| a.path == *v) {
                out.push(Art { path: v.to_owned(), kind: ArtKind::Venv, inst: step.inst });
            }
        }
    }
}
