//! The container engines: which one is there, and the commands that build an image, read its size and
//! configuration, run it, and run a health check in it. docker and podman take the same commands (podman
//! builds without buildx); buildah, as root, needs no daemon: `--storage-driver vfs` and
//! `--isolation chroot`, each run in a working container made with `buildah from`. podman and buildah
//! build in Docker's image format: the OCI format has no HEALTHCHECK, and would drop the image's own.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::args::{EngineName, HealthCmd};

use super::run::{stop_group, tail};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Docker,
    Podman,
    Buildah,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Docker => "docker",
            Engine::Podman => "podman",
            Engine::Buildah => "buildah",
        }
    }

    /// The program and the global arguments every call starts with.
    fn base(self) -> Command {
        let mut c = Command::new(self.name());
        if self == Engine::Buildah {
            c.args(["--storage-driver", "vfs"]);
        }
        c
    }

    /// The engine asked for, or the first that works: docker (buildx and a daemon), podman, buildah.
    pub fn detect(wanted: Option<EngineName>) -> Result<Engine, String> {
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

    /// Builds `dockerfile` as `tag`, the build's output in `log`, stopped after `timeout` seconds.
    pub fn build(self, dockerfile: &Path, context: &Path, tag: &str, log: &Path, timeout: u64) -> Result<(), String> {
        let mut c = self.base();
        match self {
            Engine::Docker => c.args(["buildx", "build", "--load"]),
            Engine::Podman => c.args(["build", "--format", "docker"]),
            Engine::Buildah => c.args(["bud", "--isolation", "chroot", "--layers", "--format", "docker"]),
        };
        c.arg("-f").arg(dockerfile).arg("-t").arg(tag).arg(context);
        let shown = format!("{c:?}");
        let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        let mut child =
            c.stdin(Stdio::null()).stdout(file).stderr(err).process_group(0).spawn().map_err(|e| format!("{shown}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(timeout);
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
        Ok(())
    }

    /// The image's size on disk (uncompressed), as `docker images` shows it. For buildah: the sum of the
    /// uncompressed layer tars in the image's manifest (`buildah images` prints only a rounded "121 MB").
    pub fn image_size(self, tag: &str) -> Result<u64, String> {
        let mut c = self.base();
        match self {
            Engine::Docker | Engine::Podman => c.args(["image", "inspect", "--format", "{{.Size}}", tag]),
            Engine::Buildah => c.args(["inspect", "--type", "image", tag]),
        };
        let out = output(c)?;
        if self != Engine::Buildah {
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

    /// Entrypoint and command (or `run_args` in place of the command), user, working folder, first
    /// EXPOSEd port and HEALTHCHECK of an image.
    pub fn image_config(self, tag: &str, run_args: &[String]) -> Result<ImageConfig, String> {
        let mut c = self.base();
        match self {
            Engine::Docker | Engine::Podman => c.args(["image", "inspect", tag]),
            Engine::Buildah => c.args(["inspect", "--type", "image", tag]),
        };
        let out = output(c)?;
        let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("inspect {tag}: {e}"))?;
        let config = match self {
            Engine::Buildah => v.pointer("/OCIv1/config").cloned(),
            _ => v.pointer("/0/Config").cloned(),
        }
        .unwrap_or_default();
        let list = |k: &str| -> Vec<String> {
            config.get(k).and_then(|x| x.as_array()).map_or(vec![], |a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
        };
        let text = |k: &str| config.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
        let mut argv = list("Entrypoint");
        argv.extend(if run_args.is_empty() { list("Cmd") } else { run_args.to_vec() });
        let port = config
            .get("ExposedPorts")
            .and_then(|p| p.as_object())
            .and_then(|p| p.keys().filter_map(|k| k.strip_suffix("/tcp").unwrap_or(k).parse().ok()).min());
        Ok(ImageConfig { argv, port, user: text("User"), workdir: text("WorkingDir"), healthcheck: own_healthcheck(self, &v) })
    }

    /// Makes buildah's working container `name` from `tag` (docker and podman need none).
    pub fn create(self, tag: &str, name: &str) -> Result<(), String> {
        if self == Engine::Buildah {
            let mut c = self.base();
            c.args(["from", "--pull-never", "--name", name, tag]);
            output(c)?;
        }
        Ok(())
    }

    /// Removes the container `name`, whatever state it is in.
    pub fn remove(self, name: &str) {
        let mut c = self.base();
        match self {
            Engine::Buildah => c.args(["rm", name]),
            Engine::Docker | Engine::Podman => c.args(["rm", "-f", name]),
        };
        let _ = output(c);
    }

    /// The command that runs `tag` the way `docker run` would, in the container `name`.
    pub fn run_command(self, tag: &str, cfg: &ImageConfig, run_args: &[String], name: &str) -> Command {
        let mut c = self.base();
        match self {
            Engine::Docker | Engine::Podman => {
                c.args(["run", "--rm", "--network", "host", "--name", name, tag]).args(run_args);
            }
            Engine::Buildah => {
                c.args(["run", "--isolation", "chroot"]);
                c.args(self.user_and_workdir(cfg));
                c.arg(name).arg("--").args(&cfg.argv);
            }
        }
        c
    }

    /// The command that runs a health check in the image: in the running container `name` while a server
    /// runs (`exec`; buildah: in its working container), else after the command has ended (buildah: in
    /// the working container it ran in; docker and podman: in a new container of the image).
    pub fn health_command(self, check: &HealthCmd, tag: &str, cfg: &ImageConfig, name: &str, server_running: bool) -> Command {
        let mut c = self.base();
        match self {
            Engine::Buildah => {
                c.args(["run", "--isolation", "chroot"]);
                c.args(self.user_and_workdir(cfg));
                c.arg(name).arg("--").args(&check.argv);
            }
            Engine::Docker | Engine::Podman if server_running => {
                c.args(["exec", name]).args(&check.argv);
            }
            Engine::Docker | Engine::Podman => {
                let (program, args) = check.argv.split_first().expect("a health check has a program");
                c.args(["run", "--rm", "--network", "host", "--entrypoint", program, tag]).args(args);
            }
        }
        c
    }

    fn user_and_workdir(self, cfg: &ImageConfig) -> Vec<String> {
        let mut a = vec![];
        if !cfg.user.is_empty() {
            a.extend(["--user".to_owned(), cfg.user.clone()]);
        }
        if !cfg.workdir.is_empty() {
            a.extend(["--workingdir".to_owned(), cfg.workdir.clone()]);
        }
        a
    }
}

/// Entrypoint, cmd, user and working directory of an image.
pub struct ImageConfig {
    pub argv: Vec<String>,
    /// The first EXPOSEd TCP port.
    pub port: Option<u16>,
    pub user: String,
    pub workdir: String,
    /// The image's own HEALTHCHECK (none, or `NONE`: `None`).
    pub healthcheck: Option<HealthCmd>,
}

/// The HEALTHCHECK in an image's configuration, as `inspect` prints it: docker's `Config.Healthcheck`,
/// podman's `Healthcheck`, buildah's Docker configuration (`Docker.config.Healthcheck`). Its test is
/// `["CMD", PROGRAM, ARG…]`, `["CMD-SHELL", COMMAND]` (run by the image's SHELL, `/bin/sh -c` by default,
/// as Docker runs it), `["NONE"]` or empty (no check).
pub fn own_healthcheck(engine: Engine, inspected: &serde_json::Value) -> Option<HealthCmd> {
    let configs: &[&str] = match engine {
        Engine::Buildah => &["/Docker/config"],
        Engine::Docker | Engine::Podman => &["/0/Config", "/0"],
    };
    let (config, check) = configs.iter().filter_map(|p| inspected.pointer(p)).find_map(|c| Some((c, c.get("Healthcheck")?)))?;
    let words = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|t| t.as_array()).map_or(vec![], |a| a.iter().filter_map(|w| w.as_str().map(str::to_owned)).collect())
    };
    let test = words(check.get("Test"));
    let argv = match test.split_first() {
        Some((kind, rest)) if kind == "CMD" && !rest.is_empty() => rest.to_vec(),
        Some((kind, [command])) if kind == "CMD-SHELL" => {
            let shell = words(config.get("Shell"));
            let mut argv = if shell.is_empty() { vec!["/bin/sh".to_owned(), "-c".to_owned()] } else { shell };
            argv.push(command.clone());
            argv
        }
        _ => return None,
    };
    let quoted: Vec<String> = test.iter().map(|w| serde_json::Value::from(w.as_str()).to_string()).collect();
    Some(HealthCmd { text: format!("[{}]", quoted.join(", ")), argv })
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn argv(engine: Engine, inspected: serde_json::Value) -> Option<(String, Vec<String>)> {
        own_healthcheck(engine, &inspected).map(|h| (h.text, h.argv))
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_images_own_healthcheck_is_read_from_its_configuration() {
        // buildah inspect: the Docker configuration (the OCI one has no health check).
        let buildah = json!({"OCIv1": {"config": {"Cmd": ["server.js"]}},
            "Docker": {"config": {"Cmd": ["server.js"], "Healthcheck": {"Test": ["CMD", "/nodejs/bin/node", "healthcheck.js"],
                "Interval": 30000000000u64, "Timeout": 3000000000u64, "Retries": 3}}}});
        assert_eq!(
            argv(Engine::Buildah, buildah),
            Some((r#"["CMD", "/nodejs/bin/node", "healthcheck.js"]"#.to_owned(), words(&["/nodejs/bin/node", "healthcheck.js"])))
        );
        // docker image inspect: a shell-form check runs with /bin/sh -c, or the image's SHELL.
        let docker = json!([{"Config": {"Healthcheck": {"Test": ["CMD-SHELL", "node healthcheck.js"]}}}]);
        assert_eq!(
            argv(Engine::Docker, docker),
            Some((r#"["CMD-SHELL", "node healthcheck.js"]"#.to_owned(), words(&["/bin/sh", "-c", "node healthcheck.js"])))
        );
        let shell = json!([{"Config": {"Shell": ["/bin/bash", "-o", "pipefail", "-c"], "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost | grep ok"]}}}]);
        assert_eq!(argv(Engine::Docker, shell).unwrap().1, words(&["/bin/bash", "-o", "pipefail", "-c", "curl -f localhost | grep ok"]));
        // podman image inspect keeps it beside the OCI configuration.
        let podman = json!([{"Config": {"Cmd": ["app"]}, "Healthcheck": {"Test": ["CMD", "/app", "--health"]}}]);
        assert_eq!(argv(Engine::Podman, podman).unwrap().1, words(&["/app", "--health"]));
        // HEALTHCHECK NONE, an empty test, a test without a program, or none at all: no check.
        for none in [
            json!({"Docker": {"config": {"Healthcheck": {"Test": ["NONE"]}}}}),
            json!({"Docker": {"config": {"Healthcheck": {"Test": []}}}}),
            json!({"Docker": {"config": {"Healthcheck": {"Test": ["CMD"]}}}}),
            json!({"Docker": {"config": {"Cmd": ["app"]}}, "OCIv1": {"config": {}}}),
        ] {
            assert_eq!(argv(Engine::Buildah, none.clone()), None, "{none}");
        }
        // buildah's check is never taken from a docker-shaped answer, nor the other way round.
        assert_eq!(argv(Engine::Docker, json!({"Docker": {"config": {"Healthcheck": {"Test": ["CMD", "x"]}}}})), None);
    }
}
