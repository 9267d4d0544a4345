use super::{Ctx, Hit, Scope};
use crate::report::Severity;
use crate::syntax::Kind;
use crate::shell::key_values;

declare_rule! {
    /// ## What it does
    /// Checks for `ARG` and `ENV` names that say they hold a secret, the way BuildKit's
    /// `SecretsUsedInArgOrEnv` check does: a name with one of the `_`-separated words `apikey`, `auth`,
    /// `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token` (any case:
    /// `GITHUB_TOKEN`, `db_password`, `AWS_SECRET_ACCESS_KEY`), unless another of its words is `public`,
    /// `file` or `version` (`PUBLIC_KEY`, `KEY_FILE`). Every `ARG` is reported; an `ENV` only when it gives
    /// the variable a value.
    ///
    /// Severity: *warning* in the final image's stages and for `ARG`s before the first `FROM`; *info* in a
    /// builder stage, whose `ENV` does not reach the final image (the value is still in the build's cache,
    /// provenance and logs, and a literal is in the Dockerfile). hadolint's DL3064 is the same idea with a
    /// different word list.
    ///
    /// ## Why is this bad?
    /// Build arguments are recorded in the image history and build provenance, and `ENV` values are part
    /// of the image configuration: anyone who can pull the image can read them. A literal value is also
    /// committed with the Dockerfile. Pass secrets the build needs with a secret mount (they are never
    /// stored), and secrets the app needs at run time through the runtime environment.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    /// ```
    /// and build with `docker build --secret id=npm_token,env=NPM_TOKEN .`
    pub struct SecretsInArgOrEnv {
        id: "DL3064",
        name: "secrets-in-arg-or-env",
        severity: Warning,
        applies_to: UsedStages,
        summary: "Do not pass secrets in ARG or ENV: use RUN --mount=type=secret",
    }
}

const SECRET_WORDS: &[&str] =
    &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
const ALLOW_WORDS: &[&str] = &["public", "file", "version"];

/// BuildKit's test: a `_`-separated word of the name is a secret word and none is an allowed word.
pub fn is_secret_name(name: &str) -> bool {
    let words: Vec<String> = name.split('_').map(str::to_ascii_lowercase).collect();
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())) && !words.iter().any(|w| ALLOW_WORDS.contains(&w.as_str()))
}

fn hits_of(ctx: &Ctx<'_>, stage: Option<usize>, i: usize, out: &mut Vec<Hit>) {
    let inst = &ctx.doc.instructions[i];
    let severity = match stage {
        Some(s) if ctx.scope(s) == Scope::Builder => Severity::Info,
        _ => META.severity,
    };
    for (name, value) in key_values(inst.arg_text()) {
        if !is_secret_name(&name) {
            continue;
        }
        let literal = value.as_deref().is_some_and(|v| !v.is_empty() && !v.trim_start().starts_with('$'));
        let message = match inst.kind {
            Kind::Arg => format!(
                "ARG {name} looks like a secret, and build arguments are kept in the image history and build provenance{}: use `RUN --mount=type=secret,id={},env={name}` where it is needed",
                if literal { " (and this default is committed with the Dockerfile)" } else { "" },
                name.to_ascii_lowercase()
            ),
            _ => {
                if value.as_deref().is_none_or(str::is_empty) {
                    continue;
                }
                format!(
                    "ENV {name} looks like a secret, and ENV values are stored in the image configuration{}: pass it at run time, or use `RUN --mount=type=secret` for the build",
                    if literal { " (and this value is committed with the Dockerfile)" } else { "" }
                )
            }
        };
        out.push(ctx.hit(&META, severity, i, stage, message));
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let first_from = ctx.model.stages.first().map_or(ctx.doc.instructions.len(), |s| s.from);
    for i in 0..first_from {
        if ctx.doc.instructions[i].kind == Kind::Arg {
            hits_of(ctx, None, i, out);
        }
    }
    let found: Vec<(usize, usize)> = ctx
        .used_instructions()
        .filter(|(_, _, inst)| matches!(inst.kind, Kind::Arg | Kind::Env))
        .map(|(s, i, _)| (s, i))
        .collect();
    for (s, i) in found {
        hits_of(ctx, Some(s), i, out);
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;
    use crate::findings::testing::{hits, messages};
    use crate::report::Severity;

    #[test]
    fn names_like_buildkit() {
        for n in [
            "GITHUB_TOKEN",
            "db_password",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "apikey",
            "AUTH",
            "NPM_AUTH_TOKEN",
            "PRIVATE_KEY",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in ["MONKEY", "PUBLIC_KEY", "KEY_FILE", "NODE_VERSION", "TOKENIZER", "PATH", "PASSWORDLESS"] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn secrets_in_arg_and_env() {
        let text = "ARG GH_TOKEN\nFROM alpine:3.20 AS build\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2\nFROM alpine:3.20\nCOPY --from=build /a /a\nENV API_KEY=$API_KEY\nARG NODE_VERSION=20\n";
        assert_eq!(
            hits(text, "DL3064"),
            [(1, Severity::Warning), (3, Severity::Info), (4, Severity::Info), (7, Severity::Warning)]
        );
        let m = messages(text, "DL3064");
        assert!(m[2].contains("committed with the Dockerfile"), "{m:?}");
        assert!(m[0].contains("--mount=type=secret,id=gh_token,env=GH_TOKEN"), "{m:?}");
    }

    #[test]
    fn ordinary_names_and_cleared_env_pass() {
        let text = "FROM alpine:3.20\nARG VERSION=1\nENV PATH=/x:$PATH NODE_ENV=production\nENV API_TOKEN=\n";
        assert!(hits(text, "DL3064").is_empty());
    }
}
