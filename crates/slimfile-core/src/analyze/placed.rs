//! Where a stage's COPY and ADD put files from the build context (or a download), each destination read
//! against the WORKDIR in force at that instruction: `COPY . .` before any WORKDIR lands in `/` (or in the
//! image's own WORKDIR, golang's `/go`), `ADD hasher.rb /` is the file `/hasher.rb`.

use super::facts::Placed;
use super::paths::join_path;

/// What one COPY or ADD (no `--from`) at `workdir` puts where. `dest` is expanded; `sources` as written.
pub(super) fn placed(inst: usize, workdir: &str, sources: &[String], heredoc: bool, dest: &str, chown: Option<&str>) -> Vec<Placed> {
    if dest.contains('$') || dest.is_empty() {
        return vec![];
    }
    let abs = join_path(workdir, dest);
    let chown = chown.map(str::to_owned);
    let into_folder = dest.ends_with('/') || matches!(dest, "." | "./") || sources.len() > 1 || sources.iter().any(|s| has_glob(s));
    if heredoc || !into_folder {
        // One source to a path of its own: the file (or the folder's contents) is `abs`.
        return vec![Placed { inst, path: abs, unnamed: false, chown, workdir: workdir.to_owned() }];
    }
    let mut out: Vec<Placed> = Vec::new();
    for s in sources {
        let name = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let url = s.contains("://");
        if url {
            // ADD <url> <folder>/: the file keeps the URL's last path segment as its name.
            if !name.is_empty() && !name.contains(['?', '$']) {
                out.push(Placed { inst, path: join_path(&abs, name), unnamed: false, chown: chown.clone(), workdir: workdir.to_owned() });
            }
            continue;
        }
        if looks_like_a_file(s) {
            out.push(Placed { inst, path: join_path(&abs, name), unnamed: false, chown: chown.clone(), workdir: workdir.to_owned() });
        } else if !out.iter().any(|p| p.unnamed) {
            // The build context, a folder of it, a pattern or an archive ADD unpacks: its files land in `abs`
            // under names the Dockerfile does not show.
            out.push(Placed { inst, path: abs.clone(), unnamed: true, chown: chown.clone(), workdir: workdir.to_owned() });
        }
    }
    out
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// A source that names one file: a name with an extension (`hasher.rb`, `package.json`) or a dotfile
/// (`.env`), not the context (`.`), a folder (`src/`), a pattern or an archive ADD would unpack.
fn looks_like_a_file(s: &str) -> bool {
    if s.ends_with('/') || has_glob(s) || s.contains('$') {
        return false;
    }
    let name = s.rsplit('/').next().unwrap_or(s);
    if matches!(name, "" | "." | "..") {
        return false;
    }
    const ARCHIVES: &[&str] = &[".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"];
    if ARCHIVES.iter().any(|a| name.ends_with(a)) {
        return false;
    }
    name.starts_with('.') || name.chars().skip(1).any(|c| c == '.')
}

#[cfg(test)]
mod tests {
    use super::placed;

    fn at(wd: &str, sources: &[&str], dest: &str) -> Vec<(String, bool)> {
        let s: Vec<String> = sources.iter().map(|s| (*s).to_owned()).collect();
        placed(0, wd, &s, false, dest, None).into_iter().map(|p| (p.path, p.unnamed)).collect()
    }

    #[test]
    fn destinations_follow_the_workdir_in_force() {
        assert_eq!(at("/", &["."], "."), [("/".to_owned(), true)]);
        assert_eq!(at("/go", &["."], "."), [("/go".to_owned(), true)]);
        assert_eq!(at("/src", &["go.mod", "go.sum"], "./"), [("/src/go.mod".to_owned(), false), ("/src/go.sum".to_owned(), false)]);
        assert_eq!(at("/", &["hasher.rb"], "/"), [("/hasher.rb".to_owned(), false)]);
        assert_eq!(at("/", &["config.yml"], "/etc/app/config.yml"), [("/etc/app/config.yml".to_owned(), false)]);
        assert_eq!(at("/app", &["templates"], "templates"), [("/app/templates".to_owned(), false)]);
        assert_eq!(at("/app", &["templates/", "static"], "./"), [("/app".to_owned(), true)]);
        assert_eq!(at("/app", &["package*.json"], "./"), [("/app".to_owned(), true)]);
        assert_eq!(at("/", &["rootfs.tar.gz"], "/"), [("/".to_owned(), true)]);
        assert_eq!(at("/", &[".env"], "/app/"), [("/app/.env".to_owned(), false)]);
        assert_eq!(at("/", &["https://example.com/x/tool.sh"], "/usr/local/bin/"), [("/usr/local/bin/tool.sh".to_owned(), false)]);
        assert!(at("/", &["."], "$APP").is_empty());
    }
}
