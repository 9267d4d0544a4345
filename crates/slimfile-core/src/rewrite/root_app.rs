//! Interpreted apps whose files live in `/` (no WORKDIR): the runtime stage cannot copy the app folder
//! from the builder (that would be the whole builder), but it can repeat the stage's own COPY and ADD
//! lines, which put the same files from the build context into the same places, when no RUN of the stage
//! does anything but install dependencies outside `/` (apk, apt-get, pip, gem, bundle install, removing
//! caches). The packages those RUNs install (site-packages, the gems) come from the builder as usual.

use super::split::Split;
use super::Ctx;
use crate::shell::{commands, SimpleCommand};
use crate::syntax::{Command, Kind};

/// The COPY and ADD instructions of the target stage to repeat in the runtime stage (none: the app is what
/// the package manager installs), or the reason the app's files at `/` cannot be put together again there
/// (naming the RUN that could change them).
pub fn context_copies(ctx: &Ctx) -> Result<Vec<usize>, String> {
    let doc = ctx.doc;
    let stage = ctx.model.target().expect("complete document");
    let mut copies = vec![];
    for i in stage.body.clone() {
        let inst = &doc.instructions[i];
        match inst.kind {
            Kind::Copy | Kind::Add => copies.push(i),
            Kind::Run => {
                let script = match inst.command() {
                    Some(Command::Shell(s)) => s.clone(),
                    Some(Command::Exec(v)) => v.join(" "),
                    None => String::new(),
                };
                if let Some(c) = commands(&script, doc.escape).into_iter().find(|c| !installs_only(c)) {
                    return Err(format!(
                        "the app's files live in / beside the operating system (no WORKDIR), and `{}` (line {}) may write there, so the runtime stage cannot put the app together from the build context again; add a WORKDIR",
                        c.argv.join(" "),
                        doc.lines.line(inst.span.start)
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(copies)
}

/// Folders a RUN may clean up in without touching the app's files.
const CACHES: &[&str] = &["/root/", "/tmp/", "/var/cache/", "/var/lib/apt/lists", "/usr/local/bundle/cache"];

fn in_cache(path: &str) -> bool {
    CACHES.iter().any(|c| path.starts_with(c))
}

/// A command that installs dependencies where the image keeps them (or cleans a cache), and writes
/// nothing into `/` beside the app.
fn installs_only(c: &SimpleCommand) -> bool {
    if !c.writes.is_empty() {
        return false;
    }
    let argv: Vec<&str> = c.argv.iter().map(String::as_str).collect();
    let Some((prog, args)) = argv.split_first() else { return true };
    let prog = prog.rsplit('/').next().unwrap_or(prog);
    match prog {
        "apk" => matches!(args.first(), Some(&("add" | "del" | "update" | "upgrade" | "--no-cache" | "-U" | "--update"))),
        "apt-get" | "apt" => args.iter().any(|a| matches!(*a, "update" | "install" | "clean" | "autoremove" | "purge" | "remove")),
        "pip" | "pip3" => pip_install(args),
        p if p.starts_with("pip3.") => pip_install(args),
        p if p.starts_with("python") => args.first() == Some(&"-m") && args.get(1) == Some(&"pip") && pip_install(&args[2..]),
        "gem" => args.first() == Some(&"install") && !args.iter().any(|a| a.starts_with("--install-dir") || *a == "-i"),
        "bundle" => bundle_install(args),
        "rm" => args.iter().filter(|a| !a.starts_with('-')).all(|a| in_cache(a)),
        // A download into a temporary folder: what runs it next is judged on its own.
        "curl" | "wget" => args
            .windows(2)
            .any(|w| matches!(w[0], "-o" | "--output" | "-O" | "--output-document") && in_cache(w[1])),
        // Shell builtins that write nothing (their redirections are `writes`, above).
        "set" | "export" | "cd" | "true" | ":" | "echo" | "printf" => true,
        _ => false,
    }
}

/// `pip install` into the interpreter's site-packages: requirements files and package names, not the
/// folder itself (`.`, `-e`), nor another place (`--user`, `--target`, `--prefix`, `--root`).
fn pip_install(args: &[&str]) -> bool {
    if args.first() != Some(&"install") {
        return matches!(args.first(), Some(&("--upgrade" | "-U"))) && pip_install(&args[1..]) || args.is_empty();
    }
    let mut takes_value = false;
    for a in &args[1..] {
        if std::mem::take(&mut takes_value) {
            continue;
        }
        match *a {
            "-e" | "--editable" | "--user" | "-t" | "--target" | "--prefix" | "--root" | "--src" => return false,
            "-r" | "--requirement" | "-c" | "--constraint" | "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links"
            | "--trusted-host" | "--platform" | "--python-version" | "--only-binary" | "--no-binary" => takes_value = true,
            a if a.starts_with("--editable") || a.starts_with("--target") || a.starts_with("--prefix") || a.starts_with("--root") => return false,
            a if a.starts_with('-') => {}
            a if a.starts_with('.') || a.starts_with('/') || a.starts_with('~') => return false,
            _ => {}
        }
    }
    true
}

/// `bundle install` into GEM_HOME, with no option that writes `.bundle/config` beside the Gemfile
/// (`--deployment`, `--path`, `--without`…): only `--jobs` and `--retry`.
fn bundle_install(args: &[&str]) -> bool {
    match args.split_first() {
        None => true,
        Some((&("install" | "check"), rest)) => {
            let mut takes_value = false;
            rest.iter().all(|a| {
                if std::mem::take(&mut takes_value) {
                    return a.parse::<u32>().is_ok();
                }
                match *a {
                    "--jobs" | "-j" | "--retry" => {
                        takes_value = true;
                        true
                    }
                    a => a.strip_prefix("--jobs=").or(a.strip_prefix("-j")).or(a.strip_prefix("--retry=")).is_some_and(|n| n.parse::<u32>().is_ok()),
                }
            })
        }
        _ => false,
    }
}

/// The runtime stage repeats the COPY and ADD lines, after the dependencies copied from the builder.
pub fn repeat(ctx: &Ctx, split: &mut Split, copies: &[usize]) {
    split.extra.extend(copies.iter().map(|&i| ctx.doc.instructions[i].text(ctx.doc).to_owned()));
    let why = if copies.is_empty() {
        "The image has no WORKDIR and copies no files of its own: the app is what the package manager installs, \
         which the runtime stage copies from the builder."
    } else {
        "The app's files live in / (no WORKDIR), so the runtime stage repeats the stage's COPY lines: the same files \
         from the build context land in the same places, and the dependencies installed in the builder are copied \
         beside them."
    };
    split.changes.push(ctx.change("app-files-from-context", why, copies.first().copied()));
}

#[cfg(test)]
mod tests {
    use super::installs_only;
    use crate::shell::commands;

    fn all(script: &str) -> bool {
        commands(script, '\\').iter().all(installs_only)
    }

    #[test]
    fn dependency_installs_leave_the_app_files_alone() {
        assert!(all("apk add --no-cache build-base && pip install --no-cache-dir -r /requirements.txt"));
        assert!(all("python3 -m pip install --upgrade pip && pip3 install gunicorn==22.0.0"));
        assert!(all("bundle install --jobs 4 --retry 3 && rm -rf /usr/local/bundle/cache/*.gem /root/.bundle"));
        assert!(all("gem install bundler -v 2.5.0 && bundle install -j4"));
        assert!(all("apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*"));
        assert!(all("set -x && cd /tmp && wget -q https://example.org/x.tar.gz -O /tmp/x.tar.gz"));
    }

    #[test]
    fn commands_that_write_beside_the_app_are_not_repeatable() {
        assert!(!all("pip install -e ."));
        assert!(!all("pip install ."));
        assert!(!all("pip install --user -r requirements.txt"));
        assert!(!all("pip install --target=/deps flask"));
        assert!(!all("bundle install --deployment"));
        assert!(!all("bundle install --without development test"));
        assert!(!all("bundle config set --local without development"));
        assert!(!all("python manage.py collectstatic --noinput"));
        assert!(!all("rm -rf /tests"));
        assert!(!all("echo ok > /ready"));
        assert!(!all("mkdir /data"));
        assert!(!all("wget https://example.org/app.py -O /app.py"));
        assert!(!all("curl -fsSL https://example.org/install.sh | sh"));
    }
}
