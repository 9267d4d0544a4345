//! Paths as a Dockerfile names them, and the places only a build looks.

/// `p` resolved against `workdir` (unless absolute) and normalized.
pub fn join_path(workdir: &str, p: &str) -> String {
    if p.starts_with('/') {
        normalize(p)
    } else {
        normalize(&format!("{}/{}", workdir.trim_end_matches('/'), p))
    }
}

/// `p` is the folder `dir` or inside it.
pub fn under(p: &str, dir: &str) -> bool {
    p == dir || p.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// `/a/./b/../c/` → `/a/c`.
pub fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Where only a build or the package manager looks: files a RUN writes there are not carried to the
/// runtime stage (`echo … > /etc/apt/sources.list.d/x.list`, `2> /dev/null`, `>> /etc/passwd` — users are
/// made by the runtime stage's own plan, and distroless has its own `/etc/passwd`).
pub const BUILD_ONLY_PATHS: &[&str] = &[
    "/dev", "/proc", "/sys", "/run", "/var/run", "/tmp", "/var/tmp", "/var/cache", "/var/lib/apt",
    // The package managers' logs; an app's own log folder (`mkdir /var/log/app && chown app …`) is carried.
    "/var/log/apt", "/var/log/dpkg.log", "/var/log/alternatives.log", "/var/log/apk.log", "/var/log/dnf.log",
    "/var/log/yum.log",
    "/var/lib/dpkg", "/var/lib/apk", "/etc/apt", "/etc/apk", "/etc/yum.repos.d", "/etc/dnf", "/etc/passwd",
    "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d", "/etc/profile",
    "/etc/profile.d", "/etc/bash.bashrc", "/etc/environment", "/etc/ssl", "/etc/pip.conf", "/root/.cache",
    "/root/.npm", "/root/.npmrc", "/root/.m2", "/root/.gradle", "/root/.cargo", "/root/.bashrc", "/root/.profile",
    "/root/.netrc", "/root/.ssh", "/root/.git-credentials", "/root/.gitconfig", "/root/.docker", "/root/.config",
    "/usr/local/cargo", "/go/pkg",
];

/// Credentials a build writes for itself, wherever they are: never carried to the runtime stage.
pub const BUILD_CREDENTIAL_FILES: &[&str] = &[".npmrc", ".netrc", ".pypirc", ".git-credentials", ".dockercfg"];
