use crate::shell::packages::{self, is_apt, Action};
use super::{Ctx, Hit};
use crate::syntax::Kind;

declare_rule! {
    /// ## What it does
    /// Checks for `apt-get install` (or `apt install`) in the final image without
    /// `--no-install-recommends`.
    ///
    /// Passes with `--no-install-recommends`, with `-o APT::Install-Recommends=false` (or `=0`), or when an
    /// earlier `RUN` of the final image's stages writes `APT::Install-Recommends "false"` (or `"0"`) into
    /// the apt configuration.
    ///
    /// Builder stages are not checked: recommended packages there cost build time, not image size, because
    /// the final image only copies files out of them. (hadolint checks every stage.)
    ///
    /// ## Why is this bad?
    /// By default apt also installs every package the requested ones *recommend*: documentation, optional
    /// helpers, sometimes whole toolchains. They are rarely needed in a container and can double the size
    /// of what `apt-get install` adds.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y python3 && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends python3 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct NoInstallRecommends {
        id: "DL3015",
        name: "no-install-recommends",
        severity: Info,
        applies_to: FinalImage,
        summary: "Avoid recommended packages with `apt-get install --no-install-recommends`",
    }
}

fn disables_recommends(text: &str) -> bool {
    let Some(at) = text.find("Install-Recommends") else { return false };
    let after = &text[at + "Install-Recommends".len()..];
    let value: String = after
        .trim_start_matches(|c: char| c == '=' || c == '"' || c == '\'' || c.is_whitespace())
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    value == "0" || value.eq_ignore_ascii_case("false")
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let mut configured = false;
    for (stage, i, inst) in ctx.chain_instructions() {
        for c in ctx.commands(i) {
            if !is_apt(c) {
                continue;
            }
            let Some(install) = packages::read(c, &Default::default()).filter(|p| p.action == Action::Install) else {
                continue;
            };
            let names: Vec<&str> = install.names().collect();
            let flag = c.has_flag(&["--no-install-recommends"]) || c.argv.iter().any(|a| disables_recommends(a));
            if flag || configured || names.is_empty() {
                continue;
            }
            out.push(ctx.hit(
                &META,
                META.severity,
                i,
                Some(stage),
                format!(
                    "`{} install {}` also installs the packages {} recommend{} into the final image: add `--no-install-recommends`",
                    c.program(),
                    names.join(" "),
                    if names.len() == 1 { "it" } else { "they" },
                    if names.len() == 1 { "s" } else { "" }
                ),
            ));
        }
        let text = inst.text(ctx.doc);
        if inst.kind == Kind::Run && text.contains("apt.conf") && disables_recommends(text) {
            configured = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::{lines, messages};

    #[test]
    fn install_without_the_flag_in_the_final_image() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl git && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(lines(text, "DL3015"), [2]);
        assert!(messages(text, "DL3015")[0].contains("apt-get install curl git"));
    }

    #[test]
    fn the_flag_or_apt_configuration_passes() {
        let text = "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y -o APT::Install-Recommends=false git\n";
        assert!(lines(text, "DL3015").is_empty());
        let text = "FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/norecs\nRUN apt-get install -y curl\n";
        assert!(lines(text, "DL3015").is_empty());
    }

    #[test]
    fn builders_are_not_checked_but_inherited_stages_are() {
        let builder =
            "FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(lines(builder, "DL3015").is_empty());
        let inherited = "FROM debian:12 AS base\nRUN apt-get install -y curl\nFROM base\n";
        assert_eq!(lines(inherited, "DL3015"), [2]);
    }
}
