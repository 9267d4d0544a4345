//! The user the runtime stage runs as: the original's, distroless's `nonroot`, a numeric uid on scratch,
//! or root where the app needs it; created again in a slim image when the builder created it.

use super::render::doc_text;
use super::{Runtime, Split};
use crate::analyze::Distro;
use crate::report::{Change, RuntimeFamily};
use crate::shell::{shell_syntax, SimpleCommand};

#[derive(Default)]
pub(super) struct UserPlan {
    pub(super) tag: Option<String>,
    pub(super) line: Option<String>,
    pub(super) create: Option<String>,
    pub(super) changes: Vec<Change>,
}

impl UserPlan {
    /// The `uid:gid` the runtime stage runs as when it is a number there (distroless's `nonroot`, a numeric
    /// USER); `None` for root or for a named user of an image with /etc/passwd.
    pub(super) fn runtime_uid(&self) -> Option<String> {
        if self.tag.as_deref() == Some("nonroot") || self.line.as_deref() == Some("USER nonroot") {
            return Some("65532:65532".to_owned());
        }
        let u = self.line.as_deref()?.strip_prefix("USER ")?.trim();
        numeric_user(u).then(|| if u.contains(':') { u.to_owned() } else { format!("{u}:{u}") })
    }
}

/// The original target stage's USER, as the user plans read it.
#[derive(Clone, Copy)]
struct OriginalUser<'a> {
    /// The name (or uid) and the USER instruction.
    orig: Option<(&'a str, usize)>,
    /// `USER root` or `USER 0`, said explicitly.
    explicit_root: bool,
    numeric: bool,
    /// The original ran as another user than root, or the non-root option asks for one.
    wants_nonroot: bool,
}

impl Split<'_, '_> {
    pub(super) fn plan_user(&self, runtime: &Runtime) -> UserPlan {
        let f = self.ctx.target();
        let orig = f.user.as_ref().map(|(u, i)| (u.as_str(), *i));
        let explicit_root = orig.is_some_and(|(u, _)| u == "root" || u == "0" || u.starts_with("0:") || u.starts_with("root:"));
        let user = OriginalUser {
            orig,
            explicit_root,
            numeric: orig.is_some_and(|(u, _)| numeric_user(u)),
            wants_nonroot: (self.ctx.options.non_root || orig.is_some()) && !explicit_root,
        };
        if runtime.distroless() {
            self.distroless_user(&user)
        } else if runtime.family == RuntimeFamily::Scratch {
            self.scratch_user(&user)
        } else {
            self.passwd_user(runtime, &user)
        }
    }

    /// On distroless: `nonroot` (uid 65532, the `:nonroot` tag), a numeric USER, or root as the original
    /// said or as the app needs.
    fn distroless_user(&self, user: &OriginalUser) -> UserPlan {
        let ctx = self.ctx;
        let needs = &ctx.analysis.needs;
        let OriginalUser { orig, explicit_root, numeric, wants_nonroot } = *user;
        let mut plan = UserPlan::default();
        if !needs.root.is_empty() && wants_nonroot && !numeric {
            plan.changes.push(ctx.change(
                "runs-as-root",
                format!("The final image keeps running as root because {}.", needs.root.join("; ")),
                None,
            ));
            return plan;
        }
        if explicit_root || !wants_nonroot {
            match orig {
                // Said explicitly: kept as written (distroless has root in its /etc/passwd).
                Some((_, i)) if explicit_root => plan.line = Some(doc_text(ctx.doc, i)),
                _ => plan.changes.push(ctx.change(
                    "runs-as-root",
                    "The final image runs as root, as the original did (the non-root option is off).",
                    None,
                )),
            }
            return plan;
        }
        if numeric {
            let (u, i) = orig.expect("numeric implies a user");
            plan.line = Some(format!("USER {u}"));
            plan.changes.push(ctx.change("keep-user", format!("USER {u} is kept: a numeric user needs no /etc/passwd entry."), Some(i)));
            return plan;
        }
        plan.tag = Some("nonroot".to_owned());
        let why = match orig {
            Some((u, i)) => {
                plan.line = Some("USER nonroot".to_owned());
                plan.changes.push(ctx.change(
                    "map-user",
                    format!(
                        "USER {u} became distroless's `nonroot` user (uid 65532): the user `{u}` was created in the \
                         original image and does not exist in distroless."
                    ),
                    Some(i),
                ));
                return plan;
            }
            None => "The final image runs as the unprivileged `nonroot` user (uid 65532, `:nonroot` tag) instead of root. \
                     Turn the non-root option off if the app must write outside /tmp, its volumes and the folders it owns, or bind a port below 1024."
                .to_owned(),
        };
        plan.changes.push(ctx.change("non-root", why, None));
        plan
    }

    /// On scratch, which has no /etc/passwd: a numeric user only.
    fn scratch_user(&self, user: &OriginalUser) -> UserPlan {
        let ctx = self.ctx;
        let needs = &ctx.analysis.needs;
        let OriginalUser { orig, explicit_root, numeric, wants_nonroot } = *user;
        let mut plan = UserPlan::default();
        // scratch has no /etc/passwd: only numeric users exist. The original's own USER is kept (as a uid)
        // whatever the non-root option says, as on distroless: that option only adds a user.
        if numeric {
            let (u, i) = orig.expect("numeric implies a user");
            plan.line = Some(format!("USER {u}"));
            plan.changes.push(ctx.change("keep-user", format!("USER {u} is kept: scratch has no /etc/passwd, and a numeric user needs none."), Some(i)));
        } else if let (true, Some((u, i))) = (explicit_root, orig) {
            plan.line = Some("USER 0:0".to_owned());
            plan.changes.push(ctx.change(
                "keep-user",
                format!("USER {u} is kept as `USER 0:0`: scratch has no /etc/passwd to look the name up in."),
                Some(i),
            ));
        } else if wants_nonroot && !needs.root.is_empty() {
            plan.changes.push(ctx.change(
                "runs-as-root",
                format!("The final image keeps running as root because {}.", needs.root.join("; ")),
                orig.map(|(_, i)| i),
            ));
        } else if !wants_nonroot {
            if !explicit_root {
                plan.changes.push(ctx.change(
                    "runs-as-root",
                    "The final image runs as root, as the original did (the non-root option is off).",
                    None,
                ));
            }
        } else {
            plan.line = Some("USER 65532:65532".to_owned());
            plan.changes.push(ctx.change(
                "non-root",
                format!(
                    "The final image runs as uid 65532 (scratch has no user names){}.",
                    orig.map_or(String::new(), |(u, _)| format!("; `{u}` existed only in the original image"))
                ),
                orig.map(|(_, i)| i),
            ));
        }
        plan
    }

    /// Images with a shell and /etc/passwd: keep the original user, creating it when it was created in the
    /// original image.
    fn passwd_user(&self, runtime: &Runtime, user: &OriginalUser) -> UserPlan {
        let ctx = self.ctx;
        let f = ctx.target();
        let OriginalUser { orig, explicit_root, numeric, .. } = *user;
        let mut plan = UserPlan::default();
        if let Some((u, i)) = orig {
            if !explicit_root && !numeric {
                let name = u.split(':').next().unwrap_or(u);
                // The original's own commands give the user the same uid, so it still owns the files copied
                // from the builder (COPY --from keeps their owner); a generic system user would get another.
                let own = self.original_user_commands(name);
                let create = own.clone().unwrap_or_else(|| match &f.distro {
                    Distro::Alpine { .. } => format!("RUN addgroup -S {name} && adduser -S -G {name} {name}"),
                    _ => format!("RUN groupadd --system {name} && useradd --system --gid {name} --no-create-home {name}"),
                });
                // Users every Debian, Ubuntu and Alpine image already has (base-passwd, busybox's passwd).
                let system_user = matches!(name, "nobody" | "daemon" | "bin" | "sys" | "www-data" | "mail" | "games" | "operator");
                let exists_in_runtime = system_user
                    || runtime.family == RuntimeFamily::DotnetAspnet && name == "app"
                    || runtime.family == RuntimeFamily::DotnetRuntime && name == "app"
                    || runtime.image.contains("nginx") && name == "nginx"
                    || runtime.image.starts_with("node:") && name == "node";
                if !exists_in_runtime {
                    plan.create = Some(create);
                    let how = if own.is_some() {
                        " with the original's own commands, so it keeps its uid and still owns the files copied from the builder"
                    } else {
                        ""
                    };
                    plan.changes.push(ctx.change(
                        "create-user",
                        format!("The runtime stage creates the user `{name}` again{how}: it was created in the builder, which the final image no longer inherits."),
                        Some(i),
                    ));
                }
            }
            plan.line = Some(doc_text(ctx.doc, i));
        }
        plan
    }

    /// (`adduser`, `useradd`, `addgroup`, `groupadd`), or `None` when there are none or one holds shell
    /// syntax that would not survive being written again word by word.
    fn original_user_commands(&self, name: &str) -> Option<String> {
        let ctx = self.ctx;
        let target = ctx.model.target()?;
        let cmds: Vec<&SimpleCommand> = target.body.clone().flat_map(|i| ctx.analysis.commands(i)).collect();
        let user = cmds
            .iter()
            .find(|c| matches!(c.program(), "adduser" | "useradd") && c.positional(0).last() == Some(name))?;
        let groups = cmds.iter().filter(|c| {
            matches!(c.program(), "addgroup" | "groupadd")
                && c.positional(0).last().is_some_and(|g| g == name || user.argv.iter().any(|a| a == g))
        });
        let creating: Vec<_> = groups.chain(std::iter::once(user)).collect();
        let plain = |w: &String| !w.is_empty() && !w.contains(char::is_whitespace) && shell_syntax(w).is_none();
        if !creating.iter().all(|c| c.env.is_empty() && c.argv.iter().all(plain)) {
            return None;
        }
        let line: Vec<String> = creating.iter().map(|c| c.argv.join(" ")).collect();
        Some(format!("RUN {}", line.join(" && ")))
    }
}

/// `1000` or `1000:1000`: a user no /etc/passwd needs to name.
pub(super) fn numeric_user(u: &str) -> bool {
    u.split(':').next().is_some_and(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use crate::{convert, Options, Status};

    #[test]
    fn a_system_user_is_not_created_again() {
        // `nobody` exists in every Debian image: `useradd nobody` would fail the build.
        let text = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER nobody\nCMD [\"python\", \"app.py\"]\n";
        let r = convert(text, &Options::default());
        assert_eq!(r.status, Status::Converted, "{:?}", r.reasons);
        let out = r.output.unwrap();
        assert!(!out.contains("useradd"), "{out}");
        assert!(out.contains("USER nobody"), "{out}");
    }
}
