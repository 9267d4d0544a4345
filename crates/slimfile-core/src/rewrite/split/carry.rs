//! The files the runtime stage carries from the builder besides the artifacts: what the original copied
//! or made outside the app folder (configuration, scripts, a log folder a `chown` hands to the app), the
//! paths its command names, and its volumes' folders, owned by the app's user.

use std::collections::HashMap;

use super::user::{numeric_user, UserPlan};
use super::{CopyItem, Runtime, Split};
use crate::analyze::{join_path, made_files, normalize, under, Made, BUILD_CREDENTIAL_FILES, BUILD_ONLY_PATHS};
use crate::rewrite::Ctx;
use crate::shell::SimpleCommand;
use crate::syntax::Kind;

/// Folders the system and the builder's packages share: an archive unpacked whole into one cannot be told
/// apart from what else is there.
const SHARED_FOLDERS: &[&str] = &[
    "/", "/usr", "/usr/local", "/usr/lib", "/usr/share", "/usr/bin", "/bin", "/lib", "/opt", "/etc", "/var", "/var/lib", "/home", "/root",
];

/// Who owns a folder the runtime stage copies from the builder because a `chown` gave it to someone.
pub(super) enum ChownTo {
    /// The runtime image knows the builder's user names (a slim image, where the user is created again).
    Names,
    /// It does not (distroless, scratch): the uid the app runs as, or nobody's business when root runs it.
    Uid(Option<String>),
}

impl ChownTo {
    /// The owner to give in the runtime stage for the original's `owner`: a number as it is, a name where
    /// the runtime knows names, else the uid the app runs as (`None`: root runs it, nobody's business).
    pub(super) fn map(&self, owner: &str) -> Option<String> {
        match self {
            _ if numeric_user(owner) => Some(owner.to_owned()),
            ChownTo::Names => Some(owner.to_owned()),
            ChownTo::Uid(uid) => uid.clone(),
        }
    }
}

/// A file a RUN makes: (where it lands, how the RUN writes it, the owner a chown gives it).
type Target = (String, String, Option<String>);

impl Split<'_, '_> {
    /// Files the runtime reads that were placed outside the copied folders, and the paths the command
    /// names that the build makes. Err: the reasons to refuse.
    pub(super) fn carry_files(&mut self, workdir: &str, user_plan: &UserPlan, runtime: &Runtime) -> Result<(), Vec<String>> {
        let ctx = self.ctx;
        let f = ctx.target();
        let needs = &ctx.analysis.needs;
        let chown_to = if runtime.family.has_shell() { ChownTo::Names } else { ChownTo::Uid(user_plan.runtime_uid()) };
        let refusals = self.carry_outside_copies(&chown_to);
        if !refusals.is_empty() {
            return Err(refusals);
        }
        for p in &needs.paths {
            if self.copies.iter().any(|c| under(p, &c.to)) || under(p, workdir) || self.layout.covers(p) {
                continue;
            }
            self.copies.push(CopyItem { from: p.clone(), to: p.clone(), chown: None });
            self.changes.push(ctx.change(
                "carry-file",
                format!("`{p}`, which the command names, is made by the build outside the app folder: the runtime stage copies it from the builder."),
                f.cmd.or(f.entrypoint),
            ));
        }
        Ok(())
    }

    /// A VOLUME's folder is created root-owned when the image lacks it, and a non-root app cannot write
    /// there. The builder creates each one and the runtime stage copies it owned by the app's user.
    pub(super) fn own_volumes(&mut self, plan: &UserPlan) {
        let ctx = self.ctx;
        let f = ctx.target();
        // None: root, or a named user created in the runtime stage (slim), which can chown itself.
        let Some(uid) = plan.runtime_uid() else { return };
        let target = ctx.model.target().expect("complete document");
        let vols: Vec<String> = f
            .volumes
            .iter()
            .filter(|(_, i)| target.body.contains(i))
            .map(|(v, _)| normalize(v))
            .filter(|v| v != "/" && !v.contains('$'))
            .collect();
        if vols.is_empty() {
            return;
        }
        self.append.push(format!("RUN mkdir -p {}", vols.join(" ")));
        for v in &vols {
            self.copies.retain(|c| c.from != *v);
            self.copies.push(CopyItem { from: v.clone(), to: v.clone(), chown: Some(uid.clone()) });
        }
        self.changes.push(ctx.change(
            "volume-owner",
            format!(
                "The builder creates {} and the runtime stage copies it owned by {uid}: a volume folder the image lacks is created root-owned, and the non-root app could not write to it.",
                vols.join(", ")
            ),
            f.volumes.first().map(|(_, i)| *i),
        ));
    }

    /// Files and folders a COPY or ADD of the original stage named outside the app's folders
    /// ([`Layout::named`](super::app::Layout): configuration and scripts the app reads, `ADD hasher.rb /`),
    /// and what its RUNs made: copied from the builder (which has them, with any later changes) to the same
    /// place. Err-like: the reasons to refuse (an archive unpacked where slimfile cannot tell what the app
    /// needs).
    fn carry_outside_copies(&mut self, chown_to: &ChownTo) -> Vec<String> {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let target = ctx.model.target().expect("complete document");
        let mut wd = initial_workdir(ctx);
        let removed = removed_paths(ctx, target.body.clone());
        let mut written = Vec::new();
        let mut refusals = Vec::new();
        let first_carried = self.copies.len();
        let named = std::mem::take(&mut self.layout.named);
        let build_only = self.build_only_names();
        for i in target.body.clone() {
            let inst = &doc.instructions[i];
            if inst.kind == Kind::Workdir {
                wd = join_path(&wd, inst.arg_text());
            }
            if inst.kind == Kind::Run {
                self.carry_run_writes(i, &wd, &removed, &mut written, chown_to, &mut refusals);
                continue;
            }
            for p in named.iter().filter(|p| p.inst == i) {
                let abs = &p.path;
                let name = abs.rsplit('/').next().unwrap_or_default();
                if self.copies.iter().any(|c| under(abs, &c.to)) || build_only.iter().any(|pat| glob_match(pat, name)) {
                    continue;
                }
                let chown = p.chown.as_deref().and_then(|o| chown_to.map(o));
                self.copies.push(CopyItem { from: abs.clone(), to: abs.clone(), chown });
                self.changes.push(ctx.change(
                    "carry-file",
                    format!("`{abs}` was copied into the original image outside the app folder; the runtime stage copies it from the builder."),
                    Some(i),
                ));
            }
        }
        self.layout.named = named;
        // A file carried on its own and then its folder (`touch /var/log/app/out.log`, then `chown -R app
        // /var/log/app`): the folder's COPY has it.
        let carried: Vec<String> = self.copies[first_carried..].iter().map(|c| c.to.clone()).collect();
        let folded: Vec<&String> = carried.iter().filter(|c| carried.iter().any(|d| d != *c && under(c, d))).collect();
        let mut k = 0;
        self.copies.retain(|c| {
            k += 1;
            k <= first_carried || !folded.contains(&&c.to)
        });
        self.changes.retain(|ch| !(ch.kind == "carry-file" && folded.iter().any(|t| ch.why.starts_with(&format!("`{t}`")))));
        refusals
    }

    /// The names only a compiled app's build reads (`go.mod`, `*.go`, `Dockerfile`): a COPY that names one
    /// outside the app's folders is not carried either.
    fn build_only_names(&self) -> Vec<&'static str> {
        if self.app_files != super::AppFiles::Gather || !self.ctx.options.carry_files {
            return vec![];
        }
        let f = self.ctx.target();
        let groups = crate::knowledge::carry::groups(f.eco.map_or("c", |e| e.as_str()), &f.tools);
        crate::knowledge::carry::build_only(&groups)
            .into_iter()
            .filter(|b| b.kind == crate::knowledge::carry::Match::Name)
            .map(|b| b.pattern)
            .collect()
    }

    /// Files a RUN of the original final stage makes ([`made_files`]: `cat <<EOF > /etc/app.yaml`,
    /// `echo "$V" > version.txt`, `cp`, `curl -o`), touches or hands to a user with `chown`: the app may read them, so the runtime stage copies them, wherever they
    /// are, except where only the build looks ([`BUILD_ONLY_PATHS`]) or under a folder
    /// already copied, or removed again by the stage (`rm`: copying it would fail the build). A relative path
    /// after a `cd` in the same RUN cannot be placed and is left out.
    ///
    /// What `tar -x` or `unzip` unpacks is the same, unless the build uses it ([`Split::build_uses`]: a
    /// toolchain unpacked into /usr/local, `protoc`) or it is the build folder itself; a whole archive
    /// unpacked into a folder the system shares ([`SHARED_FOLDERS`]) cannot be carried without the
    /// builder's other files there: refused.
    #[allow(clippy::too_many_arguments)]
    fn carry_run_writes(
        &mut self,
        i: usize,
        wd: &str,
        removed: &[String],
        written: &mut Vec<String>,
        chown_to: &ChownTo,
        refusals: &mut Vec<String>,
    ) {
        let ctx = self.ctx;
        let cmds = ctx.analysis.commands(i);
        let cds = cmds.iter().any(|c| c.program() == "cd");
        let vars = vars_before(ctx, i);
        let place = |w: &str| place_path(wd, w, cds, &vars);
        for c in cmds {
            let mut targets = self.made_targets(c, i, wd, &place, refusals);
            targets.extend(touched_targets(c, &place, written));
            self.carry_targets(targets, i, removed, written, chown_to);
        }
    }

    /// Redirections and `tee`, `cp`/`install` destinations, `curl`/`wget` downloads, unpacked archives.
    fn made_targets(
        &mut self,
        c: &SimpleCommand,
        i: usize,
        wd: &str,
        place: &dyn Fn(&str) -> Option<String>,
        refusals: &mut Vec<String>,
    ) -> Vec<Target> {
        let ctx = self.ctx;
        let mut targets: Vec<Target> = Vec::new();
        for (w, how) in made_files(c) {
            let Some(abs) = place(&w) else {
                // After a `cd` (or through a variable) the folder is not known: say so rather than
                // guess a path a COPY would not find.
                self.changes.push(ctx.change(
                    "file-left-in-builder",
                    format!(
                        "`{w}` is made by a RUN (`{} … {w}`) in a folder slimfile cannot tell (after a `cd`, or named by a variable): it stays in the builder. If the app needs it at run time, add a COPY --from for it.",
                        c.program()
                    ),
                    Some(i),
                ));
                continue;
            };
            if matches!(how, Made::Extracted | Made::Unpacked) {
                // Unpacked into the build folder (sources, vendored code) or a scratch place: the build's.
                if abs == wd || BUILD_ONLY_PATHS.iter().any(|d| under(&abs, d)) {
                    continue;
                }
                let line = |k: usize| ctx.doc.span(ctx.doc.instructions[k].span.clone()).line;
                if let Some((k, what)) = self.build_uses(i, &abs, how == Made::Unpacked) {
                    self.changes.push(ctx.change(
                        "builder-only-archive",
                        format!(
                            "`{abs}` is unpacked (`{} … {w}`) and {what} at line {}: a tool for the build, it stays in the builder. If the app also needs it at run time, add a COPY --from for it.",
                            c.program(),
                            line(k),
                        ),
                        Some(i),
                    ));
                    continue;
                }
                if how == Made::Unpacked && SHARED_FOLDERS.contains(&abs.as_str()) {
                    refusals.push(format!(
                        "line {} unpacks an archive into {abs} (`{} … {w}`), a folder that also holds the builder's own files; slimfile cannot tell which of them the app needs at run time: name the members to unpack, or unpack it into a folder of its own",
                        line(i),
                        c.program()
                    ));
                    continue;
                }
            }
            let how = if c.writes.contains(&w) {
                format!("{} … > {w}", c.program())
            } else if c.program() == "tee" {
                format!("tee {w}")
            } else {
                format!("{} … {w}", c.program())
            };
            targets.push((abs, how, None));
        }
        targets
    }

    /// The targets not yet under a copied folder, nor build-only, nor removed again: copied to the runtime
    /// stage, each with its change note.
    fn carry_targets(&mut self, targets: Vec<Target>, i: usize, removed: &[String], written: &mut Vec<String>, chown_to: &ChownTo) {
        let ctx = self.ctx;
        for (abs, w, owner) in targets {
            written.push(abs.clone());
            let name = abs.rsplit('/').next().unwrap_or_default();
            if abs == "/"
                || BUILD_ONLY_PATHS.iter().any(|d| under(&abs, d))
                || BUILD_CREDENTIAL_FILES.contains(&name)
                || removed.iter().any(|r| under(&abs, r))
                || self.copies.iter().any(|c| under(&abs, &c.to))
            {
                continue;
            }
            let chown = owner.as_deref().and_then(|o| chown_to.map(o));
            // In the app's folders, which the runtime stage gets: only a new owner needs a COPY of its own.
            if self.layout.covers(&abs) && (owner.is_none() || chown == self.layout.owner) {
                continue;
            }
            self.copies.push(CopyItem { from: abs.clone(), to: abs.clone(), chown });
            self.changes.push(ctx.change(
                "carry-file",
                format!("`{abs}` is made by a RUN of the original image (`{w}`), and the app may use it: the runtime stage copies it from the builder."),
                Some(i),
            ));
        }
    }

    /// Whether the stage's build uses what RUN `i` unpacks at `abs` (`whole`: an archive's whole content
    /// in that folder), and where: PATH names a folder inside it (`ENV PATH=/usr/local/go/bin:$PATH`); a
    /// later RUN runs a program from it (`/opt/protoc/bin/protoc`, or the member `protoc` by name); or a
    /// whole archive lands where programs are found (/usr/local, /usr/local/bin, …) before a build step
    /// (Node.js unpacked into /usr/local, then `npm ci`). The instruction and what it does, for the note.
    fn build_uses(&self, i: usize, abs: &str, whole: bool) -> Option<(usize, String)> {
        let ctx = self.ctx;
        let f = ctx.target();
        let target = ctx.model.target()?;
        const DEFAULT_PATH: &[&str] = &["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
        for (_, v, at) in f.env.iter().filter(|(k, _, _)| k == "PATH") {
            if let Some(d) = v.split(':').find(|d| under(d, abs) && !DEFAULT_PATH.contains(d)) {
                return Some((*at, format!("PATH names {d}, inside it,")));
            }
        }
        let name = abs.rsplit('/').next().unwrap_or(abs);
        for k in target.body.clone().filter(|&k| k > i && ctx.doc.instructions[k].kind == Kind::Run) {
            for c in ctx.analysis.commands(k) {
                let p = c.program();
                if (p.starts_with('/') && under(p, abs)) || (!whole && !p.is_empty() && p == name) {
                    return Some((k, format!("a later RUN runs `{p}`")));
                }
            }
        }
        let on_path = |d: &str| DEFAULT_PATH.contains(&d) || DEFAULT_PATH.contains(&format!("{d}/bin").as_str()) || d == "/";
        if whole && on_path(abs) {
            if let Some(step) = f.steps.iter().find(|s| s.inst > i) {
                let shown: Vec<&str> = step.cmd.argv.iter().take(2).map(String::as_str).collect();
                return Some((step.inst, format!("the build step `{}` that follows may run a program from it", shown.join(" "))));
            }
        }
        None
    }
}

/// `touch` makes files; `chown` hands a file or folder to the app's user (a log folder, a data folder): the
/// app writes there at run time. `mv file.tmp file`: a written file that moves is written where it lands.
fn touched_targets(c: &SimpleCommand, place: &dyn Fn(&str) -> Option<String>, written: &[String]) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    if c.program() == "touch" {
        targets.extend(c.positional(0).filter_map(|w| place(w).map(|abs| (abs, format!("touch {w}"), None))));
    }
    if c.program() == "chown" {
        let mut args = c.positional(0);
        if let Some(owner) = args.next() {
            for w in args {
                if let Some(abs) = place(w) {
                    targets.push((abs, format!("chown {owner} {w}"), Some(owner.to_owned())));
                }
            }
        }
    }
    if c.program() == "mv" {
        let args: Vec<&str> = c.positional(0).collect();
        if let Some((dest, sources)) = args.split_last() {
            for src in sources.iter().filter_map(|s| place(s)).filter(|s| written.contains(s)) {
                if let Some(d) = place(dest) {
                    let landed = if dest.ends_with('/') {
                        format!("{d}/{}", src.rsplit('/').next().unwrap_or_default())
                    } else {
                        d
                    };
                    targets.push((landed, format!("mv … {dest}"), None));
                }
            }
        }
    }
    targets
}

/// The absolute paths `rm`, `unlink` or `mv` (its sources) removes in the RUNs of `body` (relative ones
/// resolved against the WORKDIR; none after a `cd`, whose folder is unknown here; none with a variable or
/// glob).
pub(super) fn removed_paths(ctx: &Ctx, body: std::ops::Range<usize>) -> Vec<String> {
    let mut out = Vec::new();
    walk_commands(ctx, body, |wd, cd, c, vars| {
        let gone: Vec<&str> = match c.program() {
            "rm" | "unlink" => c.positional(0).collect(),
            "mv" => {
                let mut args: Vec<&str> = c.positional(0).collect();
                args.pop(); // the destination
                args
            }
            _ => return,
        };
        out.extend(gone.into_iter().filter_map(|p| place_path(wd, p, cd, vars)));
    });
    out
}

/// Each command of the RUNs of `body`, with the WORKDIR in force and whether a `cd` came before it in
/// its RUN.
fn walk_commands(ctx: &Ctx, body: std::ops::Range<usize>, mut visit: impl FnMut(&str, bool, &SimpleCommand, &HashMap<String, String>)) {
    let mut wd = initial_workdir(ctx);
    for i in body {
        let inst = &ctx.doc.instructions[i];
        // Only WORKDIR and RUN name paths here: the variables are gathered for those alone.
        if !matches!(inst.kind, Kind::Workdir | Kind::Run) {
            continue;
        }
        let vars = vars_before(ctx, i);
        if inst.kind == Kind::Workdir {
            wd = join_path(&wd, &crate::shell::lex::expand(inst.arg_text(), &vars).text);
        }
        let mut cd = false;
        for c in ctx.analysis.commands(i) {
            cd |= c.program() == "cd";
            visit(&wd, cd, c, &vars);
        }
    }
}

/// Where a path a RUN names lands: absolute, or against the WORKDIR `wd`; `None` when it cannot be told
/// from the Dockerfile (a variable, a glob, `~`, or a relative path after a `cd`).
fn place_path(wd: &str, p: &str, after_cd: bool, vars: &HashMap<String, String>) -> Option<String> {
    // A variable the Dockerfile sets (`ENV HOME /home/anon`, then `chown -R anon $HOME`) is known.
    let e = crate::shell::lex::expand(p, vars);
    let p = e.text.as_str();
    let unknown = !e.unresolved.is_empty() || p.contains(['$', '*', '?', '`', '~']) || (!p.starts_with('/') && after_cd);
    (!unknown).then(|| join_path(wd, p))
}

/// The ENV and ARG values the target stage's instruction `i` sees.
fn vars_before(ctx: &Ctx, i: usize) -> HashMap<String, String> {
    let f = ctx.target();
    let args = f.args.iter().filter_map(|(k, v, j)| Some((k, v.as_ref()?, j)));
    let env = f.env.iter().map(|(k, v, j)| (k, v, j));
    let mut all: Vec<(&String, &String, &usize)> = args.chain(env).filter(|(_, _, j)| **j < i).collect();
    all.sort_by_key(|(_, _, j)| **j);
    all.into_iter().map(|(k, v, _)| (k.clone(), v.clone())).collect()
}

/// The WORKDIR the target stage starts in: its base image's (golang's `/go`) or the stage it is built FROM.
pub(super) fn initial_workdir(ctx: &Ctx) -> String {
    let target = ctx.model.target().expect("complete document");
    match target.base {
        crate::report::StageBase::Stage { index } => ctx.analysis.stages[index].workdir.clone(),
        _ => ctx.target().role.and_then(|r| r.workdir).unwrap_or("/").to_owned(),
    }
}

/// A shell pattern of `*` and `?` (the names of `data/carry.json`) against a file name.
pub(super) fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|k| go(rest, &n[k..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    go(&p, &n)
}

/// The folders RUN `chown` hands to a user in `body`: (path, owner), in order (`chown -R app:app /app`).
pub(super) fn chowned_folders(ctx: &Ctx, body: std::ops::Range<usize>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk_commands(ctx, body, |wd, cd, c, vars| {
        let mut args = c.positional(0);
        if c.program() != "chown" {
            return;
        }
        if let Some(owner) = args.next() {
            out.extend(args.filter_map(|p| place_path(wd, p, cd, vars)).map(|p| (p, owner.to_owned())));
        }
    });
    out
}
