//! The refusals before anything is written: what the runtime image cannot do (run a shell, install
//! packages), packages from another package manager, and packages from a source the build set up.

use super::{Runtime, Split};

impl Split<'_, '_> {
    /// Err: the reasons to refuse; Ok: the repositories the runtime stage's install repeats (apk's
    /// `--repository URL` of the build's install).
    pub(super) fn preflight(&self, runtime: &Runtime) -> Result<Vec<String>, Vec<String>> {
        // Every tag written was published (`rewrite::images`).
        let pin = self.builder_image.as_ref().map(|(img, _)| img.as_str());
        let published: Vec<String> = [Some(runtime.image.as_str()), pin].into_iter().flatten().filter_map(|i| super::super::images::check_published(i).err()).collect();
        if !published.is_empty() {
            return Err(published);
        }
        if !runtime.family.has_shell() {
            self.shell_needs(runtime)?;
        }
        let runtime_manager = if runtime.image.contains("alpine") { "apk" } else { "apt" };
        self.foreign_packages(runtime, runtime_manager)?;
        self.package_sources(runtime, runtime_manager)
    }

    /// A runtime without a shell: no command, HEALTHCHECK or package install that needs one.
    fn shell_needs(&self, runtime: &Runtime) -> Result<(), Vec<String>> {
        let needs = &self.ctx.analysis.needs;
        let shell_reasons: Vec<String> = needs
            .shell
            .iter()
            .filter(|r| !(self.command.is_some() && (r.contains("CMD") || r.contains("ENTRYPOINT")) && !r.contains("HEALTHCHECK")))
            .cloned()
            .collect();
        if !shell_reasons.is_empty() {
            return Err(shell_reasons
                .into_iter()
                .map(|r| format!("{r}, and {} has no shell", runtime.family.as_str()))
                .collect());
        }
        if !runtime.packages.is_empty() {
            return Err(vec![format!(
                "the app needs {} at run time, and {} has no package manager to install it",
                runtime.packages.join(", "),
                runtime.family.as_str()
            )]);
        }
        Ok(())
    }

    /// The runtime stage installs with its image's package manager: names read from another manager's
    /// install (`apk add` on what looks like a Debian image) mean other packages there, or none (else
    /// `apk add perl` would become `apt-get install perl`, a build package on the next pass).
    fn foreign_packages(&self, runtime: &Runtime, runtime_manager: &str) -> Result<(), Vec<String>> {
        let f = self.ctx.target();
        // A name counts for the manager that installed it for run time, or whose `-dev` package it is the
        // library of (apk's perl-dev stands for apk's perl; apt's perl as a build tool does not count).
        let (mut same, mut other) = (std::collections::HashSet::new(), std::collections::HashSet::new());
        for p in &f.packages {
            let is_same = p.manager == runtime_manager;
            let set = if is_same { &mut same } else { &mut other };
            if !is_same || p.role != crate::knowledge::packages::Role::Build {
                set.insert(p.name.as_str());
            }
            set.extend(p.runtime.iter().map(String::as_str));
        }
        let foreign: Vec<&str> = runtime
            .packages
            .iter()
            .map(String::as_str)
            .filter(|name| other.contains(name) && !same.contains(name))
            .collect();
        if !foreign.is_empty() {
            return Err(vec![format!(
                "the app needs {} at run time, installed with another package manager than the runtime image `{}` uses ({runtime_manager})",
                foreign.join(", "),
                runtime.image
            )]);
        }
        Ok(())
    }

    /// The runtime stage installs from its image's default sources, plus the repositories the build's
    /// install named (`apk add --repository URL`): a package from a source the build set up would be
    /// missing there, or another build of it.
    fn package_sources(&self, runtime: &Runtime, runtime_manager: &str) -> Result<Vec<String>, Vec<String>> {
        let f = self.ctx.target();
        let doc = self.ctx.doc;
        let mut from_extra: Vec<(u32, Vec<&str>)> = Vec::new();
        let mut repositories: Vec<String> = Vec::new();
        for name in &runtime.packages {
            // The installs that bring it: by its name, or as the library of a `-dev` package.
            let bringing: Vec<&crate::analyze::PkgUse> = f
                .packages
                .iter()
                .filter(|p| p.manager == runtime_manager && (p.name == *name || p.runtime.contains(name)))
                .collect();
            if let Some(at) = bringing.iter().find_map(|p| p.extra_source) {
                let line = doc.span(doc.instructions[at].span.clone()).line;
                match from_extra.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, names)) => names.push(name),
                    None => from_extra.push((line, vec![name])),
                }
            }
            for r in bringing.iter().flat_map(|p| &p.repositories) {
                if !repositories.contains(r) {
                    repositories.push(r.clone());
                }
            }
        }
        if !from_extra.is_empty() {
            return Err(from_extra
                .into_iter()
                .map(|(line, names)| {
                    let (them, are) =
                        if names.len() == 1 { ("it", "it may be missing or a different build") } else { ("them", "they may be missing or different builds") };
                    format!(
                        "the app needs {} at run time, from a package source the build sets up (line {line}); the \
                         runtime stage would install {them} from `{}`'s default sources, where {are}",
                        names.join(", "),
                        runtime.image
                    )
                })
                .collect());
        }
        Ok(repositories)
    }
}
