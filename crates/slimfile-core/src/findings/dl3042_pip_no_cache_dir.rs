use crate::shell::is_pip_install;
use super::{Ctx, Hit};
use crate::syntax::Kind;
use crate::shell::key_values;

declare_rule! {
    /// ## What it does
    /// Checks for `pip install` (or `python -m pip install`) in the final image without `--no-cache-dir`.
    ///
    /// Passes with `--no-cache-dir`, with `PIP_NO_CACHE_DIR` set to a true value (`1`, `true`, `on`, `yes`)
    /// on the command or by an earlier `ENV`/`ARG` of the stage (or a stage it is built `FROM`), or with a
    /// `RUN --mount=type=cache` (or `tmpfs`) on pip's cache folder (`…/.cache/pip`, `…/.cache`). Builder
    /// stages are not checked: their cache never reaches the final image.
    ///
    /// ## Why is this bad?
    /// pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image that cache is never used
    /// again, and it is often as big as the installed packages themselves.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    pub struct PipNoCacheDir {
        id: "DL3042",
        name: "pip-no-cache-dir",
        severity: Warning,
        applies_to: FinalImage,
        summary: "Avoid pip's cache with `pip install --no-cache-dir`",
    }
}

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes")
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    // PIP_NO_CACHE_DIR before each instruction: looked up once per stage, then followed forward (a lookup
    // per instruction made the rule quadratic in the number of ENV lines).
    let mut value: Option<(usize, Option<String>)> = None;
    for (stage, i, inst) in ctx.final_instructions() {
        let current = match value.take() {
            Some((s, v)) if s == stage => v,
            _ => ctx.env_before(stage, i, "PIP_NO_CACHE_DIR"),
        };
        let mut next = current.clone();
        if matches!(inst.kind, Kind::Env | Kind::Arg) {
            if let Some((_, v)) = key_values(inst.arg_text()).into_iter().rev().find(|(k, _)| k == "PIP_NO_CACHE_DIR") {
                if inst.kind == Kind::Env || v.is_some() {
                    next = Some(v.unwrap_or_default());
                }
            }
        }
        value = Some((stage, next));
        let mounted =
            ctx.cache_mount(inst, |t| t.ends_with("/.cache/pip") || t.ends_with("/.cache") || t.ends_with("/pip"));
        if mounted {
            continue;
        }
        let env_set = current.is_some_and(|v| truthy(&v));
        for c in ctx.commands(i) {
            if !is_pip_install(c) || c.has_flag(&["--no-cache-dir"]) || env_set {
                continue;
            }
            if c.env.iter().any(|(k, v)| k == "PIP_NO_CACHE_DIR" && truthy(v)) {
                continue;
            }
            let shown: Vec<&str> = c.argv.iter().map(String::as_str).take(6).collect();
            let more = if c.argv.len() > 6 { " …" } else { "" };
            out.push(ctx.hit(
                &META,
                META.severity,
                i,
                Some(stage),
                format!(
                    "`{}{more}` keeps pip's download cache in the final image: add `--no-cache-dir`",
                    shown.join(" ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::lines;

    #[test]
    fn pip_install_without_the_flag() {
        let text = "FROM python:3.12-slim\nRUN pip install -r requirements.txt\nRUN python3 -m pip install flask\n";
        assert_eq!(lines(text, "DL3042"), [2, 3]);
    }

    #[test]
    fn the_flag_the_variable_or_a_cache_mount_passes() {
        let text = "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nRUN PIP_NO_CACHE_DIR=1 pip install x\nRUN --mount=type=cache,target=/root/.cache/pip pip install y\n";
        assert!(lines(text, "DL3042").is_empty());
        let text = "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n";
        assert!(lines(text, "DL3042").is_empty());
    }

    #[test]
    fn the_variable_counts_from_where_it_is_set() {
        let text = "FROM python:3.12-slim\nRUN pip install a\nENV PIP_NO_CACHE_DIR=1\nARG PIP_NO_CACHE_DIR\nRUN pip install b\nENV PIP_NO_CACHE_DIR=0\nRUN pip install c\n";
        assert_eq!(lines(text, "DL3042"), [2, 7]);
    }

    #[test]
    fn builder_stages_are_not_checked() {
        let text = "FROM python:3.12 AS build\nRUN pip install --prefix=/install flask\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n";
        assert!(lines(text, "DL3042").is_empty());
    }
}
