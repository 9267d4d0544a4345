//! The app's own files besides the program: the folders the build context was copied into (each COPY read
//! against the WORKDIR in force at it), the WORKDIR, and what the context put into `/`.
//!
//! An interpreted app's folder is its program and is copied whole. A compiled app may read files next to
//! it at run time (templates, static files, `.env`, migrations): the builder gathers everything in its
//! folders except what only the build reads (`data/carry.json`) into a staging folder, and the runtime
//! stage copies that with one `COPY --from` to the same paths. A shell-less runtime cannot run the
//! gathering, so the builder does, with what every builder has (`find`, `cp`, `mkdir`: GNU and busybox).

use super::carry::{removed_paths, ChownTo};
use super::render::copy_paths;
use super::user::UserPlan;
use super::{CopyItem, Runtime, Split};
use crate::analyze::{under, Placed, BUILD_ONLY_PATHS};
use crate::knowledge::carry::{self, BuildOnly, Match, STAGING};
use crate::syntax::Args;

/// Where the builder keeps a copy of a build context copied into `/`, to read its names.
const CONTEXT_COPY: &str = "/tmp/slimfile-context";

/// How the runtime stage gets the app's own files besides the program; the strategy chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppFiles {
    /// Only files named in the Dockerfile (a static site: nginx serves the build output the strategy copies).
    Named,
    /// The app's folders, whole: an interpreted app's folder is its program.
    Whole,
    /// A compiled app: its folders' files except what only the build reads.
    Gather,
}

/// Where the app's own files are.
#[derive(Debug, Default)]
pub(super) struct Layout {
    /// Folders that hold them, none inside another: where the context was copied, the WORKDIR.
    pub(super) roots: Vec<String>,
    /// The COPY/ADD instructions that put unnamed files into `/` (`COPY . .` before any WORKDIR).
    pub(super) at_root: Vec<usize>,
    /// Files and folders named by a COPY or ADD outside the roots (`ADD hasher.rb /`, `COPY app.yml /etc/app/`).
    pub(super) named: Vec<Placed>,
    /// Whether the runtime stage gets the roots (and `/`'s entries): not when carry_files is off.
    pub(super) carried: bool,
    /// The owner the runtime stage gives them (`--chown`).
    pub(super) owner: Option<String>,
}

impl Layout {
    /// Whether `p` is in what the runtime stage gets of the app's folders.
    pub(super) fn covers(&self, p: &str) -> bool {
        self.carried && (self.roots.iter().any(|r| under(p, r)) || (!self.at_root.is_empty() && !carry::system_root_entry(top(p))))
    }
}

/// The first component of an absolute path (`/app/x` → `app`).
fn top(p: &str) -> &str {
    p.trim_start_matches('/').split('/').next().unwrap_or("")
}

impl Split<'_, '_> {
    /// Where the target stage's COPY and ADD put the app's files, and which folders hold them.
    pub(super) fn layout(&self) -> Layout {
        let ctx = self.ctx;
        let f = ctx.target();
        let target = ctx.model.target().expect("complete document");
        let removed = removed_paths(ctx, target.body.clone());
        let gone = |p: &str| removed.iter().any(|r| under(p, r)) || BUILD_ONLY_PATHS.iter().any(|d| under(p, d));
        let mut layout = Layout::default();
        let mut roots: Vec<String> = Vec::new();
        for p in f.placed.iter().filter(|p| target.body.contains(&p.inst)) {
            if p.unnamed && p.path == "/" {
                if self.app_files != AppFiles::Named {
                    layout.at_root.push(p.inst);
                }
            } else if p.unnamed && !gone(&p.path) && self.app_files != AppFiles::Named {
                roots.push(p.path.clone());
            }
        }
        if self.app_files != AppFiles::Named {
            roots.push(self.workdir.clone().unwrap_or_else(|| f.workdir.clone()));
        }
        if self.app_files == AppFiles::Gather {
            // Where a build step ran (a clone's folder): what it leaves there may be read too.
            roots.extend(f.steps.iter().filter(|s| target.body.contains(&s.inst)).map(|s| s.workdir.clone()));
        }
        roots.retain(|r| r != "/" && !gone(r));
        roots.sort();
        roots.dedup();
        let nested: Vec<String> = roots.iter().filter(|r| roots.iter().any(|o| o != *r && under(r, o))).cloned().collect();
        roots.retain(|r| !nested.contains(r));
        layout.roots = roots;
        // What the runtime stage does not get as a folder of the app's is carried as named (a static site's
        // runtime gets the files a COPY put outside the site).
        layout.carried = true;
        let named_mode = self.app_files == AppFiles::Named;
        let final_wd = self.workdir.clone().unwrap_or_else(|| f.workdir.clone());
        for p in f.placed.iter().filter(|p| target.body.contains(&p.inst) && (!p.unnamed || named_mode && p.path != "/")) {
            // A static site's runtime needs nothing of the app's folder but the site the strategy copies.
            if named_mode && (under(&p.path, &final_wd) || p.workdir != "/" && under(&p.path, &p.workdir)) {
                continue;
            }
            if !gone(&p.path) && !layout.covers(&p.path) && !layout.named.iter().any(|n| under(&p.path, &n.path)) {
                layout.named.retain(|n| !under(&n.path, &p.path));
                layout.named.push(p.clone());
            }
        }
        layout
    }

    /// The app's files for the runtime stage, as the strategy's [`AppFiles`] says: the builder's gathering
    /// lines, the COPY lines (in `self.app_copies`), their owner and the change notes. Err: the reasons to
    /// refuse.
    pub(super) fn plan_app(&mut self, user_plan: &UserPlan, runtime: &Runtime) -> Result<(), Vec<String>> {
        let ctx = self.ctx;
        let f = ctx.target();
        let mut layout = self.layout();
        // A folder the strategy copies on its own (a publish folder that is the WORKDIR) is not gathered again.
        let artifacts: Vec<String> = self.copies.iter().map(|c| c.from.clone()).collect();
        layout.roots.retain(|r| !artifacts.iter().any(|a| under(r, a)));
        let chown_to = if runtime.family.has_shell() { ChownTo::Names } else { ChownTo::Uid(user_plan.runtime_uid()) };
        let owner = self.app_owner(user_plan, &chown_to, &layout);
        layout.owner = owner.clone();
        layout.carried = self.app_files == AppFiles::Whole || (self.app_files == AppFiles::Gather && ctx.options.carry_files);
        let workdir = self.workdir.clone().unwrap_or_else(|| f.workdir.clone());
        if let (Some(o), false) = (&owner, self.app_files == AppFiles::Named) {
            // The app's working directory is where it writes (a .NET app's content root, its publish folder):
            // copied before the WORKDIR line, which would create it root-owned.
            let (own, rest): (Vec<CopyItem>, Vec<CopyItem>) = std::mem::take(&mut self.copies).into_iter().partition(|c| under(&workdir, &c.to) && c.chown.is_none());
            self.copies = rest;
            self.app_copies.extend(own.into_iter().map(|c| CopyItem { chown: Some(o.clone()), ..c }));
        }
        match self.app_files {
            AppFiles::Named => {}
            AppFiles::Whole => {
                if layout.roots.is_empty() && layout.at_root.is_empty() && layout.named.is_empty() {
                    return Err(vec!["the app's files are made by RUN in / (no COPY places them and there is no WORKDIR), beside the operating system's, so slimfile cannot tell them apart; add a WORKDIR".to_owned()]);
                }
                // With a context in `/`, the roots outside the system's folders are in its gathering.
                for r in layout.roots.iter().filter(|r| layout.at_root.is_empty() || carry::system_root_entry(top(r))) {
                    self.app_copies.push(CopyItem { from: r.clone(), to: r.clone(), chown: owner.clone() });
                }
                if !layout.at_root.is_empty() {
                    self.stage(&layout, &[], owner.as_deref());
                }
            }
            AppFiles::Gather => {
                let staged = !layout.roots.is_empty() || !layout.at_root.is_empty();
                if staged && ctx.options.carry_files {
                    let groups = carry::groups(f.eco.map_or("c", |e| e.as_str()), &f.tools);
                    let excluded = carry::build_only(&groups);
                    self.stage(&layout, &excluded, owner.as_deref());
                } else if staged {
                    let mut places = layout.roots.clone();
                    if !layout.at_root.is_empty() {
                        places.push("/".to_owned());
                    }
                    self.findings.push(ctx.ask(
                        "SF301",
                        format!(
                            "The carry_files option is off: the runtime stage gets the program only, and the files in {} stay in the builder. If the program reads some of them at run time (templates, static files, configuration), turn carry_files on or add a COPY --from for those.",
                            places.join(", ")
                        ),
                        None,
                    ));
                }
            }
        }
        if let Some(owner) = &owner {
            if ctx.target().user.is_none() {
                self.own_framework_folders(owner, &layout);
            }
            self.own_app_note(owner, &layout, &workdir);
        }
        self.layout = layout;
        Ok(())
    }

    /// Who owns the app's folders in the runtime stage: the user it runs as, when the original ran as root
    /// (and so could write anywhere in them) and the runtime user is another; else the owner the original
    /// gave them (`COPY --chown`, `RUN chown -R app /app`), as the runtime user knows it, when it gave all
    /// of them the same.
    fn app_owner(&self, user_plan: &UserPlan, chown_to: &ChownTo, layout: &Layout) -> Option<String> {
        let ctx = self.ctx;
        let f = ctx.target();
        if f.user.is_none() && ctx.options.non_root {
            if let Some(o) = self.app_owner.clone().or_else(|| user_plan.runtime_uid()) {
                return Some(o);
            }
        }
        let target = ctx.model.target().expect("complete document");
        let chowned = super::carry::chowned_folders(ctx, target.body.clone());
        let mut places: Vec<&str> = layout.roots.iter().map(String::as_str).collect();
        if !layout.at_root.is_empty() {
            places.push("/");
        }
        let owners: Vec<Option<String>> = places
            .iter()
            .map(|r| {
                let by_run = chowned.iter().rev().find(|(p, _)| under(r, p)).map(|(_, o)| o.clone());
                by_run.or_else(|| {
                    let of_copies: Vec<Option<&String>> = f
                        .placed
                        .iter()
                        .filter(|p| target.body.contains(&p.inst) && under(&p.path, r))
                        .map(|p| p.chown.as_ref())
                        .collect();
                    let first = of_copies.first().copied().flatten()?;
                    of_copies.iter().all(|o| *o == Some(first)).then(|| first.clone())
                })
            })
            .collect();
        let first = owners.first().cloned().flatten()?;
        if !owners.iter().all(|o| o.as_ref() == Some(&first)) {
            return None;
        }
        chown_to.map(&first)
    }

    /// The builder's lines that gather the app's files into [`STAGING`], without what `excluded` names, the
    /// artifacts the runtime stage copies on its own and the places only a build looks; and the one COPY
    /// of it.
    fn stage(&mut self, layout: &Layout, excluded: &[&BuildOnly], owner: Option<&str>) {
        let mut starts: Vec<String> = layout.roots.clone();
        let mut tests: Vec<String> = Vec::new();
        if !layout.at_root.is_empty() {
            // Roots outside the system's folders are in `/`'s gathering already.
            starts = std::iter::once("/".to_owned()).chain(layout.roots.iter().filter(|r| carry::system_root_entry(top(r))).cloned()).collect();
            tests.extend(carry::ROOT_ENTRIES.iter().map(|e| format!("-path {}", sh_quote(&format!("/{e}")))));
        }
        for b in excluded {
            match b.kind {
                Match::Name => tests.push(format!("-name {}", sh_quote(b.pattern))),
                Match::Subpath => tests.push(format!("-path {}", sh_quote(&format!("*/{}", b.pattern)))),
                Match::Path => {
                    for s in &starts {
                        tests.push(format!("-path {}", sh_quote(&format!("{}/{}", s.trim_end_matches('/'), b.pattern))));
                    }
                }
            }
        }
        // What the runtime stage copies on its own (the program, a publish folder) and the places only a
        // build looks (a module cache in /go/pkg).
        let own: Vec<String> = self.copies.iter().map(|c| c.from.clone()).chain(BUILD_ONLY_PATHS.iter().map(|p| (*p).to_owned())).collect();
        let mut pruned: Vec<String> = if layout.at_root.is_empty() { vec![] } else { carry::ROOT_ENTRIES.iter().map(|e| format!("/{e}")).collect() };
        for p in own {
            if starts.iter().any(|s| under(&p, s) && p != *s) && !pruned.iter().any(|d| under(&p, d)) {
                tests.push(format!("-path {}", sh_quote(&p)));
                pruned.push(p);
            }
        }
        // The shell text, line by line, of one RUN: the check of a context in `/`, then the gathering.
        let mut body: Vec<String> = Vec::new();
        let mut lines = vec![format!("# slimfile: the files the app may read at run time are gathered in {STAGING} (see the change note).")];
        if !layout.at_root.is_empty() {
            lines.extend(self.context_copies(layout));
            let names = carry::ROOT_ENTRIES.iter().map(|e| sh_quote(e)).collect::<Vec<_>>().join("|");
            body.push(format!("for p in {CONTEXT_COPY}/* {CONTEXT_COPY}/.[!.]* {CONTEXT_COPY}/..?*; do [ -e \"$p\" ] || [ -L \"$p\" ] || continue; case \"${{p##*/}}\" in"));
            body.push(format!(
                "  {names}) echo \"slimfile: the build context's ${{p##*/}} went into /${{p##*/}}, among the system's files: copy the context into a folder of its own (WORKDIR /app before COPY . .)\" >&2; exit 1 ;;"
            ));
            body.push(format!("esac; done && rm -rf {CONTEXT_COPY} &&"));
        }
        let mut line = format!("find {} \\(", starts.iter().map(|s| sh_quote(s)).collect::<Vec<_>>().join(" "));
        for (k, t) in tests.iter().enumerate() {
            let piece = if k == 0 { format!(" {t}") } else { format!(" -o {t}") };
            if line.len() + piece.len() > 100 {
                body.push(std::mem::take(&mut line));
                line = "  ".to_owned();
            }
            line.push_str(&piece);
        }
        if tests.is_empty() {
            // `find X \( \)` is an error: nothing is left out.
            body.push(format!("{} -print > {STAGING}.list &&", line.trim_end_matches(" \\(")));
        } else {
            body.push(format!("{line} \\) -prune -o \\( -type d -o -type f -o -type l \\) -print > {STAGING}.list &&"));
        }
        body.push(format!(
            "mkdir -p {STAGING} && while IFS= read -r p; do if [ -d \"$p\" ] && [ ! -L \"$p\" ]; then mkdir -p \"{STAGING}$p\"; else cp -Pp \"$p\" \"{STAGING}$p\" || exit 1; fi; done < {STAGING}.list"
        ));
        let esc = self.ctx.doc.escape;
        let last = body.len() - 1;
        for (k, b) in body.into_iter().enumerate() {
            let head = if k == 0 { "RUN " } else { "    " };
            let tail = if k == last { String::new() } else { format!(" {esc}") };
            lines.push(format!("{head}{b}{tail}"));
        }
        self.gather_lines = lines;
        self.app_copies.push(CopyItem { from: format!("{STAGING}/"), to: "/".to_owned(), chown: owner.map(str::to_owned) });
        self.staging_note(layout, excluded);
    }

    /// A build context copied into `/`: the builder copies it again, to read its names.
    fn context_copies(&self, layout: &Layout) -> Vec<String> {
        let doc = self.ctx.doc;
        layout
            .at_root
            .iter()
            .filter_map(|&i| {
                let inst = &doc.instructions[i];
                let Args::Copy { sources, .. } = &inst.args else { return None };
                (!sources.iter().any(|s| s.contains("://"))).then(|| format!("{} {} {CONTEXT_COPY}/", inst.kind.as_str(), sources.join(" ")))
            })
            .collect()
    }

    /// The change note of the gathering: what is carried from where, and what is left out.
    fn staging_note(&mut self, layout: &Layout, excluded: &[&BuildOnly]) {
        let ctx = self.ctx;
        let line = |i: usize| ctx.doc.span(ctx.doc.instructions[i].span.clone()).line;
        let mut kinds: Vec<(&str, Vec<String>)> = Vec::new();
        for b in excluded {
            let shown = match b.kind {
                Match::Name => b.pattern.to_owned(),
                Match::Path => format!("./{}", b.pattern),
                Match::Subpath => format!("…/{}", b.pattern),
            };
            match kinds.iter_mut().find(|(c, _)| *c == b.category) {
                Some((_, v)) => v.push(shown),
                None => kinds.push((b.category, vec![shown])),
            }
        }
        let left_out: Vec<String> = kinds.iter().map(|(c, v)| format!("{c}: {}", v.join(", "))).collect();
        let mut places: Vec<String> = layout.roots.iter().filter(|r| layout.at_root.is_empty() || carry::system_root_entry(top(r))).cloned().collect();
        if !layout.at_root.is_empty() {
            places.insert(
                0,
                format!(
                    "every entry of / that is not the system's (the build context was copied into / at line {}, before any WORKDIR; the build stops, naming it, if the context has a folder named as one of the system's, whose files could not be told apart)",
                    line(layout.at_root[0])
                ),
            );
        }
        let why = if left_out.is_empty() {
            format!("The app's files are carried: the builder gathers {} in {STAGING}, and the runtime stage copies them to the same paths with one COPY.", places.join(", "))
        } else {
            format!(
                "The files the app may read at run time are carried: the builder gathers {} in {STAGING}, leaving out only what the build reads — {} (`./`: at the folder's top) — and the runtime stage copies them to the same paths with one COPY. Templates, static files, .env and other configuration stay next to the program. To copy only the program, turn the carry_files option off (`--no-carry-files`).",
                places.join(", "),
                left_out.join("; ")
            )
        };
        self.changes.push(ctx.change("carry-app-files", why, layout.at_root.first().copied()));
        if !excluded.is_empty() {
            self.findings.push(ctx.ask(
                "SF301",
                format!(
                    "The runtime stage carries the files of {} except {} (change `carry-app-files`). If the program reads a file that list leaves out, add a COPY --from for it; to copy only the program, turn the carry_files option off.",
                    if layout.at_root.is_empty() { layout.roots.join(", ") } else { "/".to_owned() },
                    // The categories the exclusions really have: a C project's list has no tests.
                    {
                        let names: Vec<String> = kinds.iter().map(|(c, _)| (*c).to_owned()).collect();
                        crate::rewrite::shared::and_list(&names, names.len())
                    }
                ),
                None,
            ));
        }
    }

    /// Folders a framework writes to that an ENV names outside the app's folders (Django's MEDIA_ROOT):
    /// the builder creates each and the runtime stage copies it owned by the app's user, as for a volume.
    fn own_framework_folders(&mut self, owner: &str, layout: &Layout) {
        let ctx = self.ctx;
        let f = ctx.target();
        let Some(eco) = f.eco else { return };
        for w in carry::writable(eco.as_str()) {
            for var in w.env {
                let Some((_, value, at)) = f.env.iter().rev().find(|(k, _, _)| k == var) else { continue };
                let dir = crate::analyze::normalize(value);
                if !value.starts_with('/') || value.contains('$') || dir == "/" || layout.covers(&dir) || self.copies.iter().any(|c| under(&dir, &c.to)) {
                    continue;
                }
                self.append.push(format!("RUN mkdir -p {}", sh_quote(&dir)));
                self.copies.push(CopyItem { from: dir.clone(), to: dir.clone(), chown: Some(owner.to_owned()) });
                self.changes.push(ctx.change(
                    "writable-folder",
                    format!("{} writes to {var} ({dir}): {}. The builder creates it and the runtime stage copies it owned by {owner}, the user the app runs as, so the writes the original (root) could make keep working.", w.framework, w.why),
                    Some(*at),
                ));
            }
        }
    }

    /// The note of an app folder given to the runtime user.
    fn own_app_note(&mut self, owner: &str, layout: &Layout, workdir: &str) {
        let ctx = self.ctx;
        let f = ctx.target();
        let mut owned: Vec<String> = if layout.carried { layout.roots.clone() } else { vec![] };
        if layout.carried && !layout.at_root.is_empty() {
            owned.insert(0, "the entries of / the app brought".to_owned());
        }
        // Besides the folders: what else the runtime stage gives the user (a publish folder that is the WORKDIR).
        let given: Vec<&CopyItem> = self.app_copies.iter().chain(&self.copies).filter(|c| c.to != "/" && c.chown.as_deref() == Some(owner)).collect();
        let also: Vec<String> = given.iter().filter(|c| !owned.contains(&c.to)).map(|c| c.to.clone()).collect();
        let artifact_owned = given.iter().any(|c| !layout.roots.contains(&c.to));
        owned.extend(also);
        if owned.is_empty() {
            return;
        }
        let conventions: Vec<String> = f
            .eco
            .into_iter()
            .flat_map(|e| carry::writable(e.as_str()))
            .filter(|w| !w.paths.is_empty())
            .map(|w| format!("{} writes {}", w.framework, w.paths.iter().map(|p| format!("{}/{p}", workdir.trim_end_matches('/'))).collect::<Vec<_>>().join(", ")))
            .collect();
        let program = if self.app_files == AppFiles::Gather && !artifact_owned {
            " The program itself stays root-owned."
        } else {
            ""
        };
        let one = owned.len() == 1 && layout.at_root.is_empty();
        let why = if f.user.is_none() {
            format!(
                "{} belong{} to {owner}, the user the final image runs as: the original ran as root and could write anywhere in its app folder (uploads, logs, caches{}), and so can the app here.{program} Elsewhere the app can write only to /tmp and its volumes: turn the non-root option off (`--root`) if it writes outside.",
                owned.join(", "),
                if one { "s" } else { "" },
                if conventions.is_empty() { String::new() } else { format!("; {}", conventions.join("; ")) }
            )
        } else {
            format!(
                "{} keep{} the owner the original gave {} (COPY --chown, RUN chown), as {owner}.",
                owned.join(", "),
                if one { "s" } else { "" },
                if one { "it" } else { "them" }
            )
        };
        self.changes.push(ctx.change("app-owner", why, f.user.as_ref().map(|(_, i)| *i)));
    }

    /// The COPY lines of the app's files (before the runtime stage's WORKDIR, so that the folders they
    /// create get their owner).
    pub(super) fn write_app_copies(&self, out: &mut String, nl: &str) {
        for c in &self.app_copies {
            let chown = c.chown.as_ref().map(|o| format!(" --chown={o}")).unwrap_or_default();
            out.push_str(&format!("COPY --from={}{chown} {}{nl}", self.builder_name, copy_paths(&c.from, &c.to)));
        }
    }
}

/// A word for `sh`: as it is when it holds only plain characters, else in single quotes.
fn sh_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c)) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
