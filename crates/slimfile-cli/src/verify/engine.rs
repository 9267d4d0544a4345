//! The container engines: which one is there, and the commands that build an image, read its size and
//! configuration, run it, and run a health check in it. docker and podman take the same commands (podman
//! builds without buildx); buildah, as root, needs no daemon: `--storage-driver vfs` and
//! `--isolation chroot`, each run in a working container made with `buildah from`.

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
            Engine::Podman => c.args(["build"]),
            Engine::Buildah => c.args(["bud", "--isolation", "chroot", "--layers"]),
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

    /// Entrypoint and command (or `run_args` in place of the command), user, working folder and first
    /// EXPOSEd port of an image.
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
        Ok(ImageConfig { argv, port, user: text("User"), workdir: text("WorkingDir") })
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
