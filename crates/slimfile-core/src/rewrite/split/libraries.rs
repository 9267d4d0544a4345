//! The library gate: one RUN at the end of the builder that lists every shared library the files the
//! runtime stage copies link, and holds it against what the runtime image has.
//!
//! - A runtime without a package manager (distroless, scratch) has the libraries `data/runtimes.json`
//!   lists ([`Against::Libraries`]): one outside the list stops the build, naming the library, the file
//!   that links it, its package when the builder can tell, and the fix.
//! - A runtime with one (a slim image) gets the packages that hold them ([`Against::Packages`]), the way
//!   the official images keep their own runtime libraries (docker-library/python: `ldd … | dpkg-query
//!   --search`; its Alpine variant: `scanelf --needed … | apk add so:…`): the builder resolves each
//!   library to its package and writes the list to [`PACKAGE_LIST`], which the runtime stage installs.
//!   A library every image of the distribution has (glibc, libgcc, libstdc++; musl: `system_libraries`
//!   in data/runtimes.json), one the runtime image has at the same path (the python image's own libpython)
//!   or one the copied files bring themselves needs no package; one no package holds stops the build.
//!   Package names are used only where builder and runtime are one release of one distribution
//!   ([`Split::plan_gate`]); elsewhere, a finding (SF309) says the build does not check.
//!
//! The builder's files are found by walking the copied paths: the executables and the files named like
//! shared objects (`*.so`, `*.so.*`, Node's `*.node`) that start with the ELF magic. A glibc builder
//! reads what each links with `ldd` (transitively, resolved as its loader does) and the owner with
//! `dpkg-query --search`; an Alpine builder with `scanelf --needed` (pax-utils; musl-utils depends on
//! it, so every Alpine image has it) and `apk info --who-owns`, writing `so:<soname>` for apk to resolve
//! in the runtime's own release. The lines are POSIX sh that BusyBox runs too.
//!
//! What the gate cannot see: a library loaded with `dlopen` (ctypes, ffi, a plugin) is not linked, so
//! `ldd` does not list it; a file name with a newline is skipped. Java (native code inside jars, unpacked
//! and loaded with `dlopen`) and static sites served by nginx get no gate.

use super::{Runtime, Split};
use crate::analyze::{Distro, Eco};
use crate::knowledge::carry::STAGING;
use crate::knowledge::{releases, tags};
use crate::knowledge::{images_roles, runtimes};
use crate::report::RuntimeFamily;

/// Where the builder writes the packages the runtime stage installs.
pub const PACKAGE_LIST: &str = "/tmp/slimfile-runtime-packages";

/// How the builder reads what a file links and which package holds a library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// glibc: `ldd`, `dpkg-query --search` (Debian, Ubuntu).
    Glibc,
    /// musl: `scanelf --needed`, `apk info --who-owns` (Alpine).
    Musl,
}

impl Shape {
    pub fn manager(self) -> &'static str {
        match self {
            Shape::Glibc => "apt",
            Shape::Musl => "apk",
        }
    }
}

/// What the runtime image has.
#[derive(Clone, Copy, Debug)]
pub enum Against<'a> {
    /// A runtime without a package manager and the sonames it has (none for distroless/static or scratch).
    Libraries { image: &'a str, sonames: &'a [&'a str] },
    /// A runtime with a package manager; `has`: shell patterns of library paths it has outside any package
    /// (`/usr/local/lib/libpython*`).
    Packages { image: &'a str, has: &'a [&'a str] },
}

/// The gate's lines (a comment, then one RUN continued with `escape`), for the files at `carried` (the
/// paths the runtime stage copies from the builder, absolute). `None` when a path cannot be quoted for
/// the shell (command substitution, a newline) or nothing is carried.
pub fn gate(shape: Shape, against: Against, carried: &[String], escape: char) -> Option<Vec<String>> {
    gate_with(shape, against, carried, &[], escape)
}

/// [`gate`], where `brought` are folders whose files the runtime stage gets through a gathering (the
/// app's folders, staged in the builder and copied from there): a library `ldd` resolves inside one comes
/// with the app, like one inside `carried`.
pub fn gate_with(shape: Shape, against: Against, carried: &[String], brought: &[String], escape: char) -> Option<Vec<String>> {
    let brought: Vec<String> = brought.iter().map(|p| quote(p.trim_end_matches('/'))).collect::<Option<Vec<_>>>()?;
    let paths: Vec<String> = carried.iter().map(|p| quote(p.trim_end_matches('/'))).collect::<Option<Vec<_>>>()?;
    if paths.is_empty() {
        return None;
    }
    let discover = matches!(against, Against::Packages { .. });
    let (tool, package) = match shape {
        Shape::Glibc => ("ldd", "libc-bin"),
        Shape::Musl => ("scanelf", "pax-utils"),
    };
    let mut body: Vec<String> = vec![format!(
        "command -v {tool} > /dev/null || {{ echo 'slimfile: the library gate needs {tool} ({package}) in the builder' >&2; exit 1; }};"
    )];
    let elf = if shape == Shape::Glibc { "elf=\"$(printf '\\177ELF')\"; " } else { "" };
    let list = if discover { format!(" : > {PACKAGE_LIST};") } else { String::new() };
    // The C locale: grep matches bytes, sort orders the same in every image.
    body.push(format!("export LC_ALL=C; {elf}tab=\"$(printf '\\t')\"; fail=0;{list}"));
    body.extend(list_needed(shape, &paths));
    body.push("while IFS=\"$tab\" read -r f so path; do".to_owned());
    // What the copied files bring themselves needs nothing from the runtime.
    let inside: Vec<String> = paths.iter().chain(&brought).flat_map(|p| [p.clone(), format!("{p}/*")]).collect();
    body.push(format!("  case \"$path\" in {}) continue ;; /*) ;; *) path= ;; esac;", inside.join("|")));
    body.extend(decide(shape, against));
    // The discovered list shows in the build log, so a reviewer sees what the runtime stage installs.
    let sort = if discover {
        format!(" sort -u -o {PACKAGE_LIST} {PACKAGE_LIST}; echo \"slimfile: the runtime stage installs: $(tr '\\n' ' ' < {PACKAGE_LIST})\";")
    } else {
        String::new()
    };
    body.push(format!("done < /tmp/slimfile-needed; rm -f /tmp/slimfile-needed;{sort} exit \"$fail\""));
    let mut lines = vec![comment(against)];
    let n = body.len();
    for (k, b) in body.into_iter().enumerate() {
        let lead = if k == 0 { "RUN " } else { "    " };
        let tail = if k + 1 < n { format!(" {escape}") } else { String::new() };
        lines.push(format!("{lead}{b}{tail}"));
    }
    Some(lines)
}

fn comment(against: Against) -> String {
    match against {
        Against::Libraries { image, sonames: [] } => {
            format!("# slimfile: the library gate: the build stops if a file the runtime stage copies links a shared library ({image} has none).")
        }
        Against::Libraries { image, .. } => {
            format!("# slimfile: the library gate: the build stops if a file the runtime stage copies links a shared library {image} does not have.")
        }
        Against::Packages { image, .. } => format!(
            "# slimfile: the library gate: the packages of the shared libraries the copied files link go to {PACKAGE_LIST}, which {image} installs."
        ),
    }
}

/// The lines that write `/tmp/slimfile-needed`: one `file<TAB>soname<TAB>path` per library a copied ELF
/// file links (the path empty when the builder does not have it either), one line per library and path.
/// Files built for the other libc (a musl binary among glibc ones) are skipped: they cannot run there.
fn list_needed(shape: Shape, paths: &[String]) -> Vec<String> {
    let all = paths.join(" ");
    match shape {
        Shape::Glibc => vec![
            format!("find {all} -type f \\( -perm -100 -o -name '*.so' -o -name '*.so.*' -o -name '*.node' \\) -exec grep -l \"^$elf\" {{}} + 2>/dev/null |"),
            "while IFS= read -r f; do deps=\"$(ldd \"$f\" 2>/dev/null)\"; case \"$deps\" in *libc.musl-*) continue ;; esac;".to_owned(),
            // `libpq.so.5 => /usr/lib/x86_64-linux-gnu/libpq.so.5 (0x…)` or `libfoo.so.1 => not found`; the path
            // may hold spaces.
            "  printf '%s\\n' \"$deps\" | while read -r so arrow path; do".to_owned(),
            "    if [ \"$arrow\" = \"=>\" ]; then printf '%s\\t%s\\t%s\\n' \"$f\" \"$so\" \"${path% (0x*}\"; fi; done;".to_owned(),
            "done | sort -t \"$tab\" -u -k2,3 > /tmp/slimfile-needed;".to_owned(),
        ],
        Shape::Musl => {
            vec![
                format!("scanelf --recursive --needed --nobanner --format '%n %F' {all} 2>/dev/null |"),
                "while read -r needed f; do [ -n \"$f\" ] || continue; case \"$needed\" in /*) continue ;; *libc.so.6*) continue ;; esac;".to_owned(),
                "  for so in $(echo \"$needed\" | tr ',' ' '); do path=;".to_owned(),
                "    for d in \"${f%/*}\" /lib /usr/local/lib /usr/lib; do if [ -e \"$d/$so\" ]; then path=\"$d/$so\"; break; fi; done;".to_owned(),
                format!("    [ -n \"$path\" ] || path=\"$(find {all} -name \"$so\" 2>/dev/null | head -n 1)\";"),
                "    printf '%s\\t%s\\t%s\\n' \"$f\" \"$so\" \"$path\"; done;".to_owned(),
                "done | sort -t \"$tab\" -u -k2,3 > /tmp/slimfile-needed;".to_owned(),
            ]
        }
    }
}

/// The shell text that prints the package holding `$path` (nothing when none does).
fn owner(shape: Shape) -> &'static str {
    match shape {
        Shape::Glibc => "dpkg-query --search \"*${path#/usr}\" 2>/dev/null | awk -F': ' '!/^diversion/ { sub(/[:,].*/, \"\", $1); print $1; exit }'",
        Shape::Musl => "apk info --who-owns \"$path\" 2>/dev/null | sed -n 's/.* is owned by //p' | sed 's/-[0-9][^-]*-r[0-9]*$//' | head -n 1",
    }
}

/// The loop body after the copied files' own libraries are skipped: what the runtime has passes, the rest
/// stops the build or becomes a package.
fn decide(shape: Shape, against: Against) -> Vec<String> {
    let mut v = Vec::new();
    let not_found = "  if [ -z \"$path\" ]; then printf 'slimfile: %s links %s, which the builder does not have either, so it cannot start there\\n' \"$f\" \"$so\" >&2; fail=1; continue; fi;";
    match against {
        Against::Libraries { image, sonames } => {
            if !sonames.is_empty() {
                // Exact sonames: Debian 10's libssl.so.1.1 is not the libssl.so.3 of distroless/base-debian12.
                v.push(format!("  case \"$so\" in {}) continue ;; esac;", sonames.join("|")));
            }
            v.push(not_found.to_owned());
            let manager = if shape == Shape::Glibc { "dpkg-query" } else { "apk" };
            v.push(format!("  pkg=; if command -v {manager} > /dev/null; then pkg=\"$({})\"; fi;", owner(shape)));
            let (why, fix) = if sonames.is_empty() {
                (format!("and {image} has no shared libraries"), "link it statically, or convert with the slim target (--target slim)")
            } else {
                (format!("which {image} does not have"), "convert with the slim target (--target slim)")
            };
            v.push(format!(
                "  printf 'slimfile: %s links %s (%s%s), {why}: {fix}, whose runtime stage installs %s\\n' \"$f\" \"$so\" \"$path\" \"${{pkg:+, package $pkg}}\" \"${{pkg:-the package that holds it}}\" >&2; fail=1;"
            ));
        }
        Against::Packages { image, has } => {
            // What every image of the builder's distribution has (glibc, musl): the runtime has it too.
            v.push(format!("  case \"$so\" in {}) continue ;; esac;", runtimes::system_libraries(shape.manager()).join("|")));
            if !has.is_empty() {
                v.push(format!("  case \"$path\" in {}) continue ;; esac;", has.join("|")));
            }
            v.push(not_found.to_owned());
            match shape {
                Shape::Glibc => {
                    v.push(format!("  pkg=\"$({})\";", owner(shape)));
                    v.push(format!("  if [ -n \"$pkg\" ]; then echo \"$pkg\" >> {PACKAGE_LIST}; continue; fi;"));
                }
                Shape::Musl => {
                    v.push(format!("  if apk info --who-owns \"$path\" > /dev/null 2>&1; then echo \"so:$so\" >> {PACKAGE_LIST}; continue; fi;"));
                }
            }
            v.push(format!(
                "  printf 'slimfile: %s links %s (%s), which no package of the builder holds and {image} does not have: copy it to the runtime stage (COPY --from) or install it from a package\\n' \"$f\" \"$so\" \"$path\" >&2; fail=1;"
            ));
        }
    }
    v
}

/// What the gate holds the copied files against, decided before the runtime stage is written (its install
/// line depends on it).
#[derive(Clone, Debug)]
pub(super) enum GatePlan {
    /// No gate: nothing the runtime runs comes from the builder as a file of its own (a static site), or
    /// slimfile cannot check it (a finding says what).
    Skip,
    Check { shape: Shape, image: String, sonames: &'static [&'static str] },
    /// `has`: paths the runtime image has outside any package; `why`: why package names mean the same in
    /// the builder and the runtime.
    Discover { shape: Shape, image: String, has: &'static [&'static str], why: String },
}

impl GatePlan {
    pub(super) fn discovers(&self) -> bool {
        matches!(self, GatePlan::Discover { .. })
    }
}

impl Split<'_, '_> {
    /// The gate for `runtime`. Java's jars carry their native code inside the archive, loaded with
    /// `dlopen` once unpacked, and nginx serves files: neither has anything the gate can read.
    pub(super) fn plan_gate(&mut self, runtime: &Runtime, eco: Option<Eco>) -> GatePlan {
        let f = self.ctx.target();
        if runtime.family == RuntimeFamily::Nginx || eco == Some(Eco::Java) {
            return GatePlan::Skip;
        }
        let shape = match f.distro {
            Distro::Debian { .. } | Distro::Ubuntu { .. } => Some(Shape::Glibc),
            Distro::Alpine { .. } => Some(Shape::Musl),
            _ => None,
        };
        let image = runtime.image.clone();
        if runtime.family == RuntimeFamily::Scratch {
            return GatePlan::Check { shape: shape.unwrap_or(Shape::Glibc), image, sonames: &[] };
        }
        if runtime.distroless() {
            return match runtimes::IMAGES.iter().find(|r| r.image == image).and_then(|r| r.libraries) {
                // A glibc distribution without dpkg still has ldd; the message then names no package.
                Some(sonames) => GatePlan::Check { shape: shape.unwrap_or(Shape::Glibc), image, sonames },
                None => self.cannot_check(format!("slimfile does not list the shared libraries of `{image}`")),
            };
        }
        let Some(shape) = shape else {
            return self.cannot_check(format!("the builder's distribution is unknown, so slimfile cannot tell how to find the packages of `{image}`"));
        };
        let runtime_manager = if image.contains("alpine") { "apk" } else { "apt" };
        if shape.manager() != runtime_manager {
            return self.cannot_check(format!(
                "the builder installs packages with {} and `{image}` with {runtime_manager}, so a package the builder names means nothing there",
                shape.manager()
            ));
        }
        // The runtime is the very image the builder starts from, and the build installs no OS package: every
        // library a copied file can link is in the runtime as well, so a gate could find nothing.
        let builder = self.builder_image_name();
        if same_image(&builder, &image) && f.installs.is_empty() {
            let same = if builder == image {
                format!("the builder and the runtime are the same image (`{image}`)")
            } else {
                format!("the builder's `{builder}` and the runtime's `{image}` are the same image (the tag resolves to that release today)")
            };
            self.changes.push(self.ctx.change(
                "no-library-gate",
                format!("No library gate: {same} and the build installs no OS package, so every shared library the copied files link is in the runtime too."),
                None,
            ));
            return GatePlan::Skip;
        }
        let why = match shape {
            Shape::Musl => format!("apk resolves each soname (`so:libpq.so.5`) to a package of `{image}`'s own Alpine release"),
            Shape::Glibc => match self.same_release(&image) {
                Ok(why) => why,
                Err(why) => return self.cannot_check(why),
            },
        };
        // The image's own libraries (python's libpython) are in its slim variant too.
        let same_line = f.role.filter(|r| r.repository.strip_prefix("library/") == Some(repository_of(&image)));
        self.dlopen_note();
        GatePlan::Discover { shape, image, has: same_line.map_or(&[][..], |r| r.local_libraries), why }
    }

    /// The full python, ruby and node images ship many libraries with their headers (buildpack-deps), so a
    /// package compiled from source links one the Dockerfile never names: the gate finds it. One the app
    /// loads with `dlopen` it cannot see: say so.
    fn dlopen_note(&mut self) {
        let ctx = self.ctx;
        let f = ctx.target();
        let tag = f.image.as_ref().and_then(|i| i.tag.clone()).unwrap_or_default();
        let interpreted = f.role.is_some_and(|r| r.toolchain && matches!(r.ecosystem, Some("python" | "ruby" | "node")));
        if !interpreted || tag.contains("slim") || tag.contains("alpine") {
            return;
        }
        // The project's lockfile named every package, and the data knows which load what (a change note
        // says so: `python::full_image_note`).
        if self.changes.iter().any(|c| c.kind == "full-image-libraries") {
            return;
        }
        self.findings.push(ctx.ask(
            "SF309",
            "The builder is the full image, which ships many libraries with their headers (libpq, libxml2, libjpeg…), so a \
             package compiled from source may link one the Dockerfile never names. The build checks that: the library gate \
             at the end of the builder finds every library the copied files link, and the runtime stage installs its \
             package. A library the app loads with dlopen (Python's ctypes, cffi's ffi.dlopen, Ruby's ffi gem, Node's \
             ffi-napi) is not linked, so ldd cannot see it: if the app loads one, install its package in the runtime stage.",
            Some(ctx.model.target().expect("complete").from),
        ));
    }

    /// Package names mean the same only in one release of one distribution: the builder's (its tag, or the
    /// release it is pinned to) and the runtime's must be the same. Ok: how that shows; Err: why not.
    fn same_release(&self, image: &str) -> Result<String, String> {
        let f = self.ctx.target();
        let builder = self.builder_image_name();
        let distro = |img: &str| if repository_of(img) == "ubuntu" { "Ubuntu" } else { "Debian" };
        let of_builder = match &f.distro {
            Distro::Debian { codename: Some(c) } => Some(c.clone()),
            Distro::Ubuntu { tag } => images_roles::ubuntu_codename(tag.as_deref()),
            // A tag that names no release: the one the image knowledge says it resolves to.
            _ => release_of(&builder).or_else(|| {
                f.release
                    .filter(|r| r.basis != crate::analyze::ReleaseBasis::BeforeTables && r.release.distro == "debian")
                    .map(|r| r.release.name.to_owned())
            }),
        };
        let of_runtime = release_of(image);
        let cut_slim = |img: &str| tag_of(img).split('-').filter(|p| *p != "slim").collect::<Vec<_>>().join("-");
        match (of_builder, of_runtime) {
            (Some(b), Some(r)) if b == r && builder == image => Ok(format!("the builder and the runtime are both `{image}` ({} {b})", distro(image))),
            (Some(b), Some(r)) if b == r => Ok(format!("the builder (`{builder}`) and `{image}` are both {} {b}", distro(image))),
            (Some(b), Some(r)) => Err(format!("the builder is {} {b} and `{image}` is {r}, so a package the builder names may not exist there", distro(image))),
            _ if !builder.is_empty() && cut_slim(&builder) == cut_slim(image) => Ok(format!(
                "`{image}` and the builder (`{builder}`) are variants of one tag, which their publisher builds on one release"
            )),
            _ => Err(format!(
                "slimfile cannot show that the builder (`{builder}`) and `{image}` are the same release, so a package the builder names may be another there; name the release in both tags (`-bookworm`)"
            )),
        }
    }

    /// No gate, and a finding that says so.
    fn cannot_check(&mut self, why: String) -> GatePlan {
        let ctx = self.ctx;
        self.findings.push(ctx.ask(
            "SF309",
            format!(
                "The build does not check the shared libraries the copied files link: {why}. A file that links a library the \
                 runtime image lacks fails at start (\"error while loading shared libraries\")."
            ),
            None,
        ));
        GatePlan::Skip
    }

    /// The gate's lines at `at`, the end of the builder, once the runtime stage has said what it copies.
    pub(super) fn insert_gate(&mut self, out: &mut String, at: usize, nl: &str) {
        let ctx = self.ctx;
        // Everything the runtime stage copies from the builder: the strategy's copies and the app's files (the
        // interpreted app's folders, a compiled app's gathering), whose executables and shared objects the
        // gate reads like any other copied file's.
        let mut carried: Vec<String> = Vec::new();
        for c in self.copies.iter().chain(&self.app_copies) {
            if !carried.contains(&c.from) {
                carried.push(c.from.clone());
            }
        }
        // The gathering holds copies of the app's folders: a library resolved in one of them is carried too.
        let brought: Vec<String> = if self.app_copies.iter().any(|c| c.from.starts_with(STAGING)) { self.layout.roots.clone() } else { vec![] };
        let (lines, why) = match &self.gate {
            GatePlan::Skip => return,
            GatePlan::Check { shape, image, sonames } => {
                (gate_with(*shape, Against::Libraries { image, sonames }, &carried, &brought, ctx.doc.escape), check_why(image, sonames.is_empty()))
            }
            GatePlan::Discover { shape, image, has, why } => (
                gate_with(*shape, Against::Packages { image, has }, &carried, &brought, ctx.doc.escape),
                discover_why(*shape, image, has, why),
            ),
        };
        let Some(lines) = lines else {
            self.cannot_check("a path the runtime stage copies cannot be named in the shell".to_owned());
            return;
        };
        let text: String = lines.iter().map(|l| format!("{l}{nl}")).collect();
        out.insert_str(at, &text);
        self.changes.push(ctx.change("check-libraries", why, None));
    }
}

/// The change note of a gate that checks against a library list.
pub fn check_why(image: &str, none: bool) -> String {
    if none {
        format!(
            "The builder's library gate (the RUN after the build) checks that nothing the runtime stage copies links a shared \
             library: `{image}` has none, so a file that links one stops the build with its name, instead of the container at its start."
        )
    } else {
        format!(
            "The builder's library gate (the RUN after the build) checks with `ldd` every shared library the files the \
             runtime stage copies link against the libraries `{image}` has (listed in the RUN line): one it lacks (a \
             library a crate, a cgo package or a native extension links, which the Dockerfile does not show) stops the \
             build with its name, the file that links it and its package, instead of the container at its start."
        )
    }
}

fn discover_why(shape: Shape, image: &str, has: &[&str], why: &str) -> String {
    let (list, owner) = match shape {
        Shape::Glibc => ("lists with `ldd`", "writes the package that holds each one (`dpkg-query --search`)"),
        Shape::Musl => ("lists with `scanelf --needed`", "writes each one a package holds (`apk info --who-owns`) as its soname"),
    };
    let own = if has.is_empty() { String::new() } else { format!(", one `{image}` has itself ({})", has.join(", ")) };
    format!(
        "The builder's library gate (the RUN after the build) {list} every shared library the files the runtime stage \
         copies link and {owner} to {PACKAGE_LIST}; the runtime stage installs them, so the build discovers what a \
         dependency compiled from source links. A library every image of the distribution has{own} or one the \
         copied files bring needs no package; one no package holds stops the build with its name. The list means the same in \
         the runtime: {why}."
    )
}

/// The repository of an image reference, without registry or tag (`python:3.11-slim` → `python`).
fn repository_of(image: &str) -> &str {
    let name = image.rsplit_once(':').filter(|(_, t)| !t.contains('/')).map_or(image, |(n, _)| n);
    name.strip_prefix("docker.io/").unwrap_or(name).strip_prefix("library/").unwrap_or(name)
}

fn tag_of(image: &str) -> &str {
    image.rsplit_once(':').filter(|(_, t)| !t.contains('/')).map_or("latest", |(_, t)| t)
}

/// The Debian or Ubuntu release an image reference names (`python:3.11-slim-bookworm` → bookworm,
/// `ubuntu:22.04` → jammy).
fn release_of(image: &str) -> Option<String> {
    if repository_of(image) == "ubuntu" {
        return images_roles::ubuntu_codename(Some(tag_of(image)));
    }
    images_roles::codename_in_tag(tag_of(image)).map(|c| c.codename.to_owned())
}

/// A path as one shell word: single-quoted when plain; double-quoted when it uses an ARG or ENV
/// (`${APP_HOME}/bin`, which the RUN's shell expands as the COPY does). `None` for what neither can hold.
fn quote(p: &str) -> Option<String> {
    if p.is_empty() || p.contains(['\n', '\r']) {
        return None;
    }
    if !p.contains('$') {
        return Some(format!("'{}'", p.replace('\'', "'\\''")));
    }
    // Only plain variable references: `$(…)`, backquotes and quotes would change what the shell runs.
    if p.contains("$(") || p.contains(['`', '"', '\\']) {
        return None;
    }
    Some(format!("\"{p}\""))
}

/// `a` and `b` name the same image today: the same reference, or one names the release the other's tag
/// resolves to and is otherwise the same tag (`node:20-slim` and `node:20-bookworm-slim`, `python:3.11-slim`
/// and `python:3.11-slim-trixie`, `golang:1.22` and `golang:1.22-bookworm`).
fn same_image(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (ra, rb) = (crate::image::parse_ref(a, a, false), crate::image::parse_ref(b, b, false));
    if ra.registry != rb.registry || ra.repository != rb.repository || ra.digest.is_some() || rb.digest.is_some() {
        return false;
    }
    let repository = tags::repository_of(&ra);
    let (ta, tb) = (ra.tag.as_deref().unwrap_or("latest"), rb.tag.as_deref().unwrap_or("latest"));
    // `named` names its release; `floating` names none and resolves to that release today.
    let one_way = |named: &str, floating: &str| {
        let Some(release) = releases::named_in(named) else { return false };
        if releases::named_in(floating).is_some() {
            return false;
        }
        let word = release.name;
        let without = named.split('-').filter(|w| *w != word).collect::<Vec<_>>().join("-");
        let without = if without.is_empty() { "latest".to_owned() } else { without };
        without == floating && tags::resolves_to(&repository, floating).is_some_and(|r| r.release.name == word)
    };
    one_way(ta, tb) || one_way(tb, ta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(quote("/app").as_deref(), Some("'/app'"));
        assert_eq!(quote("/my app/it's").as_deref(), Some("'/my app/it'\\''s'"));
        assert_eq!(quote("${APP_HOME}/bin").as_deref(), Some("\"${APP_HOME}/bin\""));
        assert_eq!(quote("$(pwd)/bin"), None);
        assert_eq!(quote("/a\nb"), None);
    }

    #[test]
    fn one_run_continued_with_the_files_escape() {
        let lines = gate(Shape::Glibc, Against::Libraries { image: "gcr.io/distroless/cc-debian12", sonames: &["libc.so.6"] }, &["/app".to_owned()], '`').unwrap();
        assert!(lines[0].starts_with("# slimfile:"));
        assert!(lines[1].starts_with("RUN "));
        assert_eq!(lines.iter().filter(|l| l.starts_with("RUN ")).count(), 1);
        assert!(lines[1..lines.len() - 1].iter().all(|l| l.ends_with(" `")), "{lines:#?}");
        assert!(!lines.last().unwrap().ends_with('`'));
    }

    #[test]
    fn the_same_image_under_two_names() {
        // A tag that names no release and the tag that names the one it resolves to (the knowledge's tables).
        for (a, b) in [("node:20-slim", "node:20-bookworm-slim"), ("python:3.11-slim", "python:3.11-slim-trixie"), ("golang:1.22", "golang:1.22-bookworm")] {
            let release = tags::resolves_to(a.split(':').next().unwrap(), a.split(':').nth(1).unwrap()).map(|r| r.release.name);
            assert_eq!(same_image(a, b), b.contains(release.unwrap_or("?")), "{a} {b} ({release:?})");
            assert!(same_image(a, b), "{a} is {b} today");
            assert!(same_image(b, a), "{b} is {a} today");
        }
        assert!(same_image("node:20-slim", "node:20-slim"));
        // Another release, another variant, another version, another repository.
        for (a, b) in [("node:20-slim", "node:20-trixie-slim"), ("node:20-slim", "node:20-bookworm"), ("node:20-slim", "node:22-bookworm-slim"), ("node:20-slim", "docker.io/someone/node:20-bookworm-slim"), ("golang:1.22", "golang:1.22-alpine")] {
            assert!(!same_image(a, b), "{a} {b}");
        }
    }
}
