use super::dl3020_add_local_file::is_git;
use super::{Ctx, Hit, Scope};
use crate::syntax::{Args, Kind};

declare_rule! {
    /// ## What it does
    /// Checks for `ADD` of an `http://` or `https://` URL without `--checksum`.
    ///
    /// Git sources (`ADD https://github.com/org/repo.git#v1.2.3 /src`) are not checked. Every stage the
    /// final image needs is checked: an unverified download is as risky in a builder as in the final image.
    /// In the final image the message also says that the downloaded file stays in a layer (`ADD` does not
    /// unpack remote archives).
    ///
    /// hadolint has no rule for this (its DL3020 leaves URLs alone).
    ///
    /// ## Why is this bad?
    /// Without a checksum the build trusts whatever the server returns: a compromised or changed file goes
    /// into the image unnoticed, and two builds of the same Dockerfile can differ. With
    /// `--checksum=sha256:…` BuildKit verifies the download and fails the build on a mismatch.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim AS build
    /// ADD https://example.com/releases/tool-1.2.3-linux-amd64 /usr/local/bin/tool
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim AS build
    /// # the digest published with the release (or `sha256sum` of a download you trust)
    /// ADD --checksum=sha256:<digest> \
    ///     https://example.com/releases/tool-1.2.3-linux-amd64 /usr/local/bin/tool
    /// ```
    pub struct AddUrlUnverified {
        id: "SF104",
        name: "add-url-unverified",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Verify files that ADD downloads with `--checksum`",
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for (stage, i, inst) in ctx.used_instructions() {
        if inst.kind != Kind::Add || inst.flag("checksum").is_some() {
            continue;
        }
        let Args::Copy { sources, .. } = &inst.args else { continue };
        let urls: Vec<&str> = sources
            .iter()
            .map(String::as_str)
            .filter(|s| {
                let l = s.to_ascii_lowercase();
                (l.starts_with("http://") || l.starts_with("https://")) && !is_git(s)
            })
            .collect();
        if urls.is_empty() {
            continue;
        }
        let stays = if ctx.scope(stage) == Scope::Final {
            ", and the downloaded file stays in a layer of the final image"
        } else {
            ""
        };
        out.push(ctx.hit(
            &META,
            META.severity,
            i,
            Some(stage),
            format!(
                "ADD downloads {} without `--checksum=sha256:…`, so nothing verifies what the server sends{stays}",
                urls.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn add_of_a_url_without_checksum() {
        let text = "FROM alpine:3.20 AS build\nADD https://example.com/tool /usr/bin/tool\nFROM alpine:3.20\nCOPY --from=build /usr/bin/tool /usr/bin/tool\nADD http://example.com/a.txt /a.txt\n";
        assert_eq!(lines(text, "SF104"), [2, 5]);
        let m = messages(text, "SF104");
        assert!(!m[0].contains("final image") && m[1].contains("final image"), "{m:?}");
    }

    #[test]
    fn checksum_git_and_local_pass() {
        let text = "FROM alpine:3.20\nADD --checksum=sha256:abc https://example.com/tool /tool\nADD https://github.com/a/b.git#v1 /src\nADD app.tar.gz /\n";
        assert!(lines(text, "SF104").is_empty());
    }
}
