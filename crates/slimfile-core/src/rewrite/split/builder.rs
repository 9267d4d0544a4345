//! The builder stage: the target stage as `AS build` (its base pinned to a Debian release where the runtime
//! needs it), with the strategy's edits and appended lines, minus what only matters at run time; and the
//! `ldd` check of the program the runtime stage runs.

use std::ops::Range;

use super::{Runtime, Split, Writer, RUNTIME_ONLY};
use crate::analyze::Distro;
use crate::knowledge::runtimes;
use crate::syntax::{Args, Kind};

impl Split<'_, '_> {
    /// Directives, global ARGs and the stages before the target, verbatim.
    pub(super) fn stages_before_target(&self, w: &mut Writer) -> String {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let target = ctx.model.target().expect("complete document");
        let mut out = String::new();
        out.push_str(doc.slice(doc.directives.clone()));
        let first_from = ctx.model.stages.first().map_or(doc.instructions.len(), |s| s.from);
        for i in 0..first_from {
            w.instruction(&mut out, i, &[]);
        }
        for (si, stage) in ctx.model.stages.iter().enumerate() {
            if si == target.index {
                break;
            }
            for i in stage.from..stage.body.end {
                w.instruction(&mut out, i, &[]);
            }
        }
        out
    }

    /// Pins the builder to a Debian release so builder and runtime agree on glibc (and Python's ABI).
    /// Returns the distroless release (`debian12`) to use. Ubuntu or unknown builders give `None`.
    pub fn pin_debian_release(&mut self) -> Option<&'static str> {
        let f = self.ctx.target();
        match &f.distro {
            Distro::Debian { codename: Some(c) } => runtimes::distroless_release(c),
            Distro::Debian { codename: None } => {
                let img = f.image.as_ref()?;
                let def = &runtimes::DEFAULT_RELEASE;
                let codename = def.codename;
                let release = runtimes::distroless_release(codename)?;
                // Only the official images whose tags take a `-<codename>` suffix are pinned.
                if !matches!(
                    img.repository.as_str(),
                    "library/golang" | "library/rust" | "library/node" | "library/python" | "library/ruby"
                        | "library/buildpack-deps" | "library/debian"
                ) || img.digest.is_some()
                    || img.unresolved
                {
                    return None;
                }
                let tag = img.tag.clone().unwrap_or_default();
                let new_tag = if img.repository == "library/debian" {
                    if tag.is_empty() || tag == "latest" { codename.to_owned() } else { return None }
                } else if tag.is_empty() || tag == "latest" {
                    codename.to_owned()
                } else if let Some(rest) = tag.strip_suffix("-slim") {
                    // node names the release before `-slim`; python, ruby and rust after it.
                    if img.repository == "library/node" {
                        format!("{rest}-{codename}-slim")
                    } else {
                        format!("{rest}-slim-{codename}")
                    }
                } else if tag.contains('-') {
                    return None;
                } else {
                    format!("{tag}-{codename}")
                };
                let new = if img.raw.contains('$') {
                    // `golang:${GO_VERSION}`: keep the ARG, so `--build-arg GO_VERSION=…` still works, and add
                    // the release after it. Only a plain `name:${VAR}` reference can take a suffix.
                    let (name, raw_tag) = img.raw.rsplit_once(':')?;
                    if name.contains('$') || tag.is_empty() || tag.contains('-') || !raw_tag.ends_with('}') && !raw_tag.starts_with('$') {
                        return None;
                    }
                    format!("{name}:{raw_tag}-{codename}")
                } else {
                    let name = img.repository.strip_prefix("library/").unwrap_or(&img.repository);
                    format!("{name}:{new_tag}")
                };
                self.builder_image = Some((new, def.why.to_owned()));
                Some(release)
            }
            _ => None,
        }
    }

    /// Writes the builder: the target stage minus what only matters at run time. Returns the instructions
    /// that move to the runtime stage.
    pub(super) fn write_builder(&mut self, out: &mut String, w: &mut Writer, runtime: &Runtime) -> Vec<usize> {
        let ctx = self.ctx;
        let doc = ctx.doc;
        let target = ctx.model.target().expect("complete document");
        let nl = w.nl;
        let from_i = target.from;
        let mut from_edits: Vec<(Range<usize>, String)> = Vec::new();
        if let Args::From { image_span, alias, .. } = &doc.instructions[from_i].args {
            if let Some((img, why)) = &self.builder_image {
                from_edits.push((image_span.clone(), img.clone()));
                self.changes.push(ctx.change(
                    "pin-builder-release",
                    format!("The builder is pinned to `{img}` so that it and `{}` share one Debian release: {why}", runtime.image),
                    Some(from_i),
                ));
            }
            if alias.is_none() {
                let end = doc.instructions[from_i].span.end;
                from_edits.push((end..end, format!(" AS {}", self.builder_name)));
            }
        }
        self.changes.push(ctx.change(
            "add-builder-stage",
            format!(
                "The original stage is now the builder `{}`: it keeps the compilers, package managers and sources, \
                 and none of them reach the final image.",
                self.builder_name
            ),
            Some(from_i),
        ));
        w.instruction(out, from_i, &from_edits);
        let body: Vec<usize> = target.body.clone().collect();
        let last_run = body.iter().rev().find(|&&i| doc.instructions[i].kind == Kind::Run).copied();
        let mut moved: Vec<usize> = Vec::new();
        for &i in &body {
            for (_, line) in self.insert_before.iter().filter(|(at, _)| *at == i) {
                out.push_str(line);
                out.push_str(nl);
            }
            let inst = &doc.instructions[i];
            let is_runtime_only = RUNTIME_ONLY.contains(&inst.kind);
            let trailing_user = inst.kind == Kind::User && last_run.is_none_or(|r| r < i);
            if is_runtime_only || trailing_user {
                moved.push(i);
                continue;
            }
            w.instruction(out, i, &self.edits);
        }
        let gather = std::mem::take(&mut self.gather_lines);
        self.append.extend(gather);
        if let Some(lines) = self.library_check(runtime) {
            self.append.extend(lines);
        }
        for line in &self.append {
            out.push_str(line);
            out.push_str(nl);
        }
        out.push_str(nl);
        moved
    }

    /// The builder's last lines when the runtime is a distroless image whose shared libraries the data
    /// lists ([`runtimes::RuntimeImage::libraries`]) and the program it runs is copied from the builder:
    /// `ldd` names what the program links, and one the runtime lacks stops the build with its name. A
    /// library slimfile could not see (a crate that links the rust image's zlib, a cgo package's own C
    /// library) then fails the build with a reason instead of the container at its start ("error while
    /// loading shared libraries").
    fn library_check(&mut self, runtime: &Runtime) -> Option<Vec<String>> {
        let ctx = self.ctx;
        let program = match &self.command {
            Some((ep, cmd)) => ep.as_ref().and_then(|e| e.first()).or(cmd.as_ref().and_then(|c| c.first())).cloned(),
            None => crate::analyze::final_argv(ctx.doc, ctx.target()).and_then(|a| a.into_iter().next()),
        }?;
        let built = self.copies.iter().find_map(|c| {
            if c.to == program || (!program.contains('/') && c.to.rsplit('/').next() == Some(program.as_str())) {
                Some(c.from.clone())
            } else {
                program.strip_prefix(&format!("{}/", c.to.trim_end_matches('/'))).map(|rest| format!("{}/{rest}", c.from.trim_end_matches('/')))
            }
        })?;
        let lines = ldd_check(&runtime.image, &runtime.packages, &built, ctx.doc.escape)?;
        self.changes.push(ctx.change("check-libraries", check_libraries_why(&built, &runtime.image), None));
        Some(lines)
    }
}

/// The lines of the builder check for a program at `built` (an absolute path of plain characters) bound
/// for `image` (a runtime whose libraries the data lists: a distroless image, or alpine with `installed`
/// packages of known libraries): `ldd` names what it links, and one `image` lacks stops the build with the
/// library's name. `None` when there is no list, the path is not plain, or the file's escape character is
/// not `\` (the lines continue with it).
///
/// glibc's `ldd` prints `libssl.so.3 => /lib/… (0x…)`, its loader as `/lib64/ld-linux-x86-64.so.2 (0x…)`
/// and the vDSO as `linux-vdso.so.1 (0x…)`; musl's prints the loader as `/lib/ld-musl-x86_64.so.1
/// (0x…)` and libc as `libc.musl-x86_64.so.1 => /lib/ld-musl-x86_64.so.1 (0x…)`. The first word of each
/// line is what is checked: a path (the loader) passes, a soname must be in the list.
pub fn ldd_check(image: &str, installed: &[String], built: &str, escape: char) -> Option<Vec<String>> {
    let (libraries, fix): (Vec<&str>, &str) = match runtimes::IMAGES.iter().find(|r| r.image == image && !r.libraries.is_empty()) {
        Some(img) => (img.libraries.to_vec(), "convert with the slim target (--target slim) and install the package that holds $so in the runtime stage"),
        None if image.starts_with("alpine:") => (runtimes::ALPINE.with(installed)?, "add the package that holds $so to the runtime stage's apk add"),
        None => return None,
    };
    if escape != '\\' || !built.starts_with('/') || !built.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c)) {
        return None;
    }
    Some(vec![
        format!("# slimfile: the build stops if {built} links a shared library {image} does not have."),
        format!("RUN ldd {built} > /tmp/slimfile-ldd 2>&1 || true; \\"),
        "    while read -r so _; do case \"$so\" in \\".to_owned(),
        // Exact sonames: Debian 10's libssl.so.1.1 is not the libssl.so.3 of distroless/base-debian12.
        format!("      /*|{}) ;; \\", libraries.join("|")),
        format!("      lib*.so*) echo \"slimfile: {built} links $so, which {image} does not have: {fix}\" >&2; exit 1 ;; \\"),
        "    esac; done < /tmp/slimfile-ldd".to_owned(),
    ])
}

/// The change note of [`ldd_check`].
pub fn check_libraries_why(built: &str, image: &str) -> String {
    format!(
        "The builder checks with `ldd` that {built} links only shared libraries `{image}` has (listed in the RUN line): a library slimfile cannot see in the Dockerfile (one a crate or a cgo package links) stops the build with its name, instead of the container at its start."
    )
}
