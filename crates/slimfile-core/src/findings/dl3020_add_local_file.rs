use super::{Ctx, Hit};
use crate::syntax::{Args, Kind};

declare_rule! {
    /// ## What it does
    /// Checks for `ADD` of local files or folders that are not archives, where `COPY` does the same thing.
    ///
    /// `ADD` of a tar archive (which `ADD` unpacks), of an `http(s)://` URL or of a Git repository is left
    /// to other rules. Sources with a variable (`$X`) are not checked. Every stage the final image needs is
    /// checked.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it unpacks local archives and fetches URLs. Using it for plain files makes
    /// the reader wonder which of those it does, and a file that later turns out to be a tarball gets
    /// unpacked by surprise. `COPY` says exactly what happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ADD requirements.txt app/ /srv/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt app/ /srv/
    /// ```
    pub struct AddLocalFile {
        id: "DL3020",
        name: "add-local-file",
        severity: Error,
        applies_to: UsedStages,
        summary: "Use COPY instead of ADD for files and folders",
    }
}

/// The compressions BuildKit recognises for a local tar archive, and the usual tar suffixes.
const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tlz",
    ".tar.lzma",
    ".tar.z",
    ".tz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".lzma",
    ".lz",
];

pub fn is_url(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    s.starts_with("http://") || s.starts_with("https://") || is_git(src)
}

/// A Git source of `ADD`: `git@host:repo`, `git://…`, `ssh://…`, or an https URL ending in `.git` (before a
/// `#ref`).
pub fn is_git(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    let path = s.split('#').next().unwrap_or(&s);
    s.starts_with("git@") || s.starts_with("git://") || s.starts_with("ssh://") || path.ends_with(".git")
}

fn is_archive(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    ARCHIVE_SUFFIXES.iter().any(|x| s.ends_with(x))
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, inst) in ctx.used_instructions() {
        if inst.kind != Kind::Add {
            continue;
        }
        let Args::Copy { sources, heredocs, .. } = &inst.args else { continue };
        let local: Vec<&str> =
            sources.iter().map(String::as_str).filter(|s| !is_url(s) && !is_archive(s) && !s.contains('$')).collect();
        if local.is_empty() && heredocs.is_empty() {
            continue;
        }
        // `ADD --from=stage` and `--checksum` only make sense for what ADD alone does: leave them.
        if inst.flag("checksum").is_some() {
            continue;
        }
        let what = if local.is_empty() { "a heredoc".to_owned() } else { format!("`{}`", local.join("`, `")) };
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!(
                "ADD of {what} only copies: use COPY, which says so (ADD also unpacks archives and downloads URLs)"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn add_of_local_files() {
        let text = "FROM alpine:3.20\nADD app.py /app/\nADD rootfs.tar.gz config.yml /\n";
        assert_eq!(lines(text, "DL3020"), [2, 3]);
    }

    #[test]
    fn archives_urls_and_copy_pass() {
        let text = "FROM alpine:3.20\nADD rootfs.tar.xz /\nADD https://example.com/x.tgz /tmp/\nADD https://github.com/a/b.git#v1 /src\nCOPY app.py /app/\n";
        assert!(lines(text, "DL3020").is_empty());
    }

    #[test]
    fn builder_stages_are_checked_unused_ones_are_not() {
        let text = "FROM alpine:3.20 AS build\nADD main.c /src/\nFROM alpine:3.20 AS unused\nADD x /x\nFROM scratch\nCOPY --from=build /src /src\n";
        assert_eq!(lines(text, "DL3020"), [2]);
    }
}
