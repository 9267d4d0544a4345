use super::{Ctx, Hit};
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks whether the last `USER` of the final image is `root` (or `0`, `root:…`, `0:…`). The final
    /// image's `USER` is the last one in the last stage or, when it has none, in the stages it is built
    /// `FROM`. `USER root` in a builder stage is fine: nothing runs from a builder once the build is done.
    ///
    /// A final image with no `USER` at all is SF105.
    ///
    /// ## Why is this bad?
    /// A container that runs as root gives an attacker who exploits the app root inside the container,
    /// and a much shorter way out of it (a kernel or runtime bug, a mounted socket, a writable host path).
    /// Switch to root for the steps that need it, then back to an unprivileged user.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN useradd --uid 10001 app
    /// USER app
    /// COPY app /app
    /// USER root
    /// CMD ["/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN useradd --uid 10001 app
    /// COPY app /app
    /// USER 10001
    /// CMD ["/app"]
    /// ```
    pub struct LastUserRoot {
        id: "DL3002",
        name: "last-user-root",
        severity: Warning,
        applies_to: FinalImage,
        summary: "The last USER of the final image should not be root",
    }
}

/// Whether a `USER` argument names root: `root`, `0`, `root:root`, `0:0`.
pub fn is_root(user: &str) -> bool {
    let name = user.trim().split(':').next().unwrap_or("").trim();
    name == "root" || name == "0"
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some((stage, i, inst)) = ctx.chain_instructions().filter(|(_, _, inst)| inst.kind == Kind::User).last() else {
        return;
    };
    let user = inst.arg_text().trim();
    if !is_root(user) {
        return;
    }
    out.push(ctx.hit(
        &META,
        META.severity,
        i,
        Some(stage),
        format!("`USER {user}` is the last USER of the final image, so the app runs as root: switch to an unprivileged user after the steps that need root"),
    ));
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn last_user_root_in_the_final_image() {
        let text = "FROM debian:12\nUSER app\nUSER root\nCMD [\"/app\"]\n";
        assert_eq!(lines(text, "DL3002"), [3]);
        let inherited = "FROM debian:12 AS base\nUSER 0:0\nFROM base\nCMD [\"/app\"]\n";
        assert_eq!(lines(inherited, "DL3002"), [2]);
    }

    #[test]
    fn non_root_last_or_root_only_in_a_builder_passes() {
        let text = "FROM debian:12\nUSER root\nRUN true\nUSER 10001\n";
        assert!(lines(text, "DL3002").is_empty());
        let builder = "FROM debian:12 AS build\nUSER root\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n";
        assert!(lines(builder, "DL3002").is_empty());
        let overridden = "FROM debian:12 AS base\nUSER root\nFROM base\nUSER app\n";
        assert!(lines(overridden, "DL3002").is_empty());
    }
}
