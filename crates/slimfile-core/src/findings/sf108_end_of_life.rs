use super::{from_text, stage_image, Ctx, Hit, Scope};
use crate::knowledge::distroless::{self, Unmaintained};
use crate::knowledge::releases;
use crate::knowledge::support::{self, Support};
use crate::knowledge::tags::{self, Published};
use crate::report::{Finding, ImageRef, Severity};

declare_rule! {
    /// ## What it does
    /// Checks every image a stage the final image needs is built `FROM` (builders included) against the
    /// support windows of the image knowledge (docs/knowledge.md): the version its tag names (Node.js 16,
    /// Python 3.8, Go 1.22, .NET Core 2.0, nginx 1.27), the Linux release it is built on (Debian 10
    /// buster, Ubuntu 20.04 focal, Alpine 3.14), and, for a distroless image, whether the distroless
    /// project still maintains it. Each finding names the day support ended and the maintained
    /// alternative. After a conversion it checks the runtime image the rewrite uses too, when that one is
    /// past its window for a reason the input's own images do not show. It applies whatever the rewrite
    /// does: converted, unchanged or refused.
    ///
    /// Windows are judged on the report's `knowledge.judged_on` day (today in the CLI and the
    /// playground). The severity follows the phase:
    /// - **warning**: past all support: the version's end of life, a distroless image no longer
    ///   maintained, a Linux release past its security support with no extended support the image still
    ///   gets (Ubuntu's ESM is Ubuntu Pro, which official images do not carry), or an image tag no longer
    ///   updated on a release in extended support;
    /// - **info**: a Debian release past its regular security support but inside Debian LTS, on an image
    ///   tag that is still updated (Debian 12 bookworm: regular support ended 2026-07-11, Debian LTS runs
    ///   to 2028-06-30, and the official images still publish bookworm tags). It still gets security
    ///   fixes; plan the move to the next release.
    ///
    /// ## Why is this bad?
    /// An image past its support window gets no security fixes: every vulnerability found after that day
    /// stays in it, and scanners report them. A rewrite cannot fix this for you: moving to another language
    /// version or release changes how the app builds and runs, so slimfile keeps the versions you chose
    /// and says what is past its window instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:16-buster
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci --omit=dev
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// Node.js 16 reached its end of life on 2023-09-11 and Debian 10 (buster) left Debian LTS on
    /// 2024-06-30. Use instead a maintained line on a maintained release:
    /// ```dockerfile
    /// FROM node:22-trixie
    /// ```
    pub struct EndOfLife {
        id: "SF108",
        name: "end-of-life-image",
        severity: Warning,
        applies_to: UsedStages,
        summary: "An image past its support window gets no security fixes",
    }
}

/// One finding: its severity and message, and what ended (to leave out a second finding of the same).
struct Past {
    severity: Severity,
    message: String,
    key: Key,
}

/// What ended: a version of a family (`node` `16`), or a distroless image by name.
#[derive(Clone, PartialEq, Eq)]
enum Key {
    Version(&'static str, &'static str),
    Image(String),
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    for stage in &ctx.model.stages {
        if ctx.scope(stage.index) == Scope::Unused {
            continue;
        }
        let Some(image) = stage_image(ctx.model, stage.index) else { continue };
        let shown = from_text(ctx.doc, ctx.model, stage.index);
        for p in past(image, &shown, ctx.on) {
            out.push(ctx.hit(&META, p.severity, stage.from, Some(stage.index), p.message));
        }
    }
}

/// The findings on the runtime image a rewrite uses (`image`, as its `FROM` names it), leaving out what
/// ended for the input's own images too (`inputs`: their references): those have their findings already.
pub fn runtime_image(image: &ImageRef, on: &str, inputs: &[&ImageRef]) -> Vec<Finding> {
    let seen: Vec<Key> = inputs.iter().flat_map(|i| past(i, &i.raw, on)).map(|p| p.key).chain(inputs.iter().flat_map(|i| ended_keys(i, on))).collect();
    past(image, &image.raw, on)
        .into_iter()
        .filter(|p| !seen.contains(&p.key))
        .map(|p| Finding {
            rule: META.id.to_owned(),
            severity: p.severity,
            message: format!("The runtime image of the rewrite: {}", p.message),
            span: None,
            stage: None,
        })
        .collect()
}

/// What of the rewrite's runtime image is past its window, in the words SF108 uses, for its change note
/// (`None` when all is maintained or the knowledge does not say).
pub fn runtime_note(image: &ImageRef, on: &str) -> Option<String> {
    // Past support only: a release Debian LTS still covers is a plan, not a warning.
    let all: Vec<String> = past(image, &image.raw, on).into_iter().filter(|p| p.severity == Severity::Warning).map(|p| p.message).collect();
    (!all.is_empty()).then(|| all.join("; "))
}

/// Every version that ended for an image, found or not (a release left out because the product's finding
/// covers it still counts as seen).
fn ended_keys(image: &ImageRef, on: &str) -> Vec<Key> {
    let repository = tags::repository_of(image);
    let tag = image.tag.as_deref().unwrap_or("latest");
    support::end_of_life(&repository, tag, on).into_iter().map(|e| Key::Version(e.support.family, e.support.version)).collect()
}

/// What of `image` (written `shown`) is past its window on `on`.
fn past(image: &ImageRef, shown: &str, on: &str) -> Vec<Past> {
    if image.unresolved {
        return vec![];
    }
    let repository = tags::repository_of(image);
    let tag = image.tag.as_deref().unwrap_or("latest");
    if let Some(d) = distroless::image(&repository) {
        return distroless_past(&d, shown, on).into_iter().collect();
    }
    let ended = support::end_of_life(&repository, tag, on);
    let current = tags::tag_current(&repository, tag);
    let product_ended = ended.iter().any(|e| !is_release(&e.support));
    let mut out = Vec::new();
    for e in &ended {
        let s = e.support;
        let key = Key::Version(s.family, s.version);
        if !is_release(&s) {
            // The oldest newer line still maintained: the smallest move, not the only one.
            let alt = e.alternative.map(|a| format!("; the nearest maintained line is {}{}", name(&a), tag_hint(&repository, tag, &[(s.version, a.version)], true))).unwrap_or_default();
            out.push(Past {
                severity: Severity::Warning,
                message: format!("`{shown}` is {}, which reached its end of life {} and gets no security fixes{alt}", name(&s), when(s.eol)),
                key,
            });
            continue;
        }
        let hint = |a: &Support| {
            // The tag's own style: a codename for a codename (`bookworm-slim` → `trixie-slim`), a number for a number.
            let mut words: Vec<(&str, &str)> = s.codename.zip(a.codename).into_iter().collect();
            words.push((s.version, a.version));
            format!("{}{}", name(a), tag_hint(&repository, tag, &words, false))
        };
        let alt = e.alternative.map(|a| format!("; maintained: {}", hint(&a))).unwrap_or_default();
        let extended = s.extended.filter(|x| !releases::ended(x, on));
        let distro_updates = s.codename.is_some_and(|c| tags::tag_current(s.family, c) == Some(true));
        match extended {
            Some(x) if s.family == "debian" && distro_updates && current != Some(false) => out.push(Past {
                severity: Severity::Info,
                message: format!(
                    "`{shown}` is built on {}, past its regular security support since {}: Debian LTS covers it until {x} and the official images are still updated; plan the move to {}",
                    name(&s),
                    s.eol.unwrap_or("?"),
                    e.alternative.map_or("a newer release".to_owned(), |a| hint(&a))
                ),
                key,
            }),
            // The image is not updated any more: the product's finding says why and what to move to.
            Some(_) if product_ended => {}
            Some(x) => out.push(Past {
                severity: Severity::Warning,
                message: format!(
                    "`{shown}` is built on {}, whose {} ended {}; {} until {x}, {}{alt}",
                    name(&s),
                    if s.family == "ubuntu" { "standard support" } else { "regular security support" },
                    when(s.eol),
                    match s.family {
                        "ubuntu" => "Ubuntu Pro's extended security maintenance runs",
                        "debian" => "Debian LTS runs",
                        _ => "extended support runs",
                    },
                    if current == Some(false) { "but this tag is no longer updated" } else { "which the official images do not get" }
                ),
                key,
            }),
            None => out.push(Past {
                severity: Severity::Warning,
                message: format!(
                    "`{shown}` is built on {}, past all its support: security support ended {}{}{alt}",
                    name(&s),
                    when(s.eol),
                    s.extended.map(|x| format!(", {} on {x}", if s.family == "debian" { "Debian LTS" } else { "extended support" })).unwrap_or_default()
                ),
                key,
            }),
        }
    }
    out
}

/// A distroless image the project no longer maintains.
fn distroless_past(d: &distroless::DistrolessImage, shown: &str, on: &str) -> Option<Past> {
    let why = d.unmaintained(on)?;
    let reason = match why {
        Unmaintained::NoLongerListed { since } => format!(
            "is no longer updated: the distroless README stopped listing it on {since}{}",
            d.eol.map(|e| format!(" (its end of life: {e}, SUPPORT_POLICY.md)")).unwrap_or_default()
        ),
        Unmaintained::PastEndOfLife { eol } => format!("reached its end of life {} (distroless's SUPPORT_POLICY.md)", when(Some(eol))),
        Unmaintained::LanguageEnded(s) => format!("ships {}, which reached its end of life {}", name(&s), when(s.eol)),
    };
    // The same language version on a maintained release, else the language's maintained line.
    let alternative = distroless::newest_maintained(d.family, d.version, None, on).or_else(|| {
        let next = d.language()?.alternative(on)?;
        distroless::newest_maintained(d.family, Some(next.version), None, on)
    });
    Some(Past {
        severity: Severity::Warning,
        message: format!(
            "`{shown}` {reason}{}",
            alternative.map(|a| format!("; maintained: `{}`", a.image)).unwrap_or_default()
        ),
        key: Key::Image(d.image.to_owned()),
    })
}

fn is_release(s: &Support) -> bool {
    matches!(s.family, "debian" | "ubuntu" | "alpine")
}

/// `Node.js 16`, `Debian 10 (buster)`, `.NET 2.0`, `Go 1.22`.
fn name(s: &Support) -> String {
    let family = match s.family {
        "node" => "Node.js",
        "python" => "Python",
        "go" => "Go",
        "ruby" => "Ruby",
        "java" => "Java",
        "dotnet" => ".NET",
        "debian" => "Debian",
        "ubuntu" => "Ubuntu",
        "alpine" => "Alpine",
        other => other,
    };
    match s.codename {
        Some(c) if is_release(s) => format!("{family} {} ({c})", s.version),
        _ => format!("{family} {}", s.version),
    }
}

/// `on 2023-09-11`, or `at the end of 2026-01` for a month.
fn when(eol: Option<&str>) -> String {
    match eol {
        Some(m) if m.len() == 7 => format!("at the end of {m}"),
        Some(d) => format!("on {d}"),
        None => "on a day the knowledge does not give".to_owned(),
    }
}

/// ` (`node:22-slim`)`: the same tag with one word replaced (`(old, new)`: a version, a codename), when
/// the image published it; with `drop_release`, also without the release the tag names (`16-buster` →
/// `22`), for when that one is gone too. Empty when none was published.
fn tag_hint(repository: &str, tag: &str, replace: &[(&str, &str)], drop_release: bool) -> String {
    let words: Vec<&str> = tag.split('-').collect();
    let mut candidates: Vec<Vec<&str>> = Vec::new();
    for (old, new) in replace {
        let Some(at) = words.iter().position(|w| w == old).or_else(|| words.iter().position(|w| tags::version_of(repository, w).as_deref() == Some(*old))) else {
            continue;
        };
        let mut w = words.clone();
        w[at] = new;
        candidates.push(w.clone());
        if drop_release {
            candidates.push(w.into_iter().filter(|x| releases::release(x).is_none()).collect());
        }
    }
    let display = repository.strip_prefix("library/").unwrap_or(repository);
    candidates
        .into_iter()
        .map(|w| w.join("-"))
        .find(|t| t != tag && !t.is_empty() && tags::tag_published(repository, t) == Published::Yes)
        .map(|t| format!(" (`{display}:{t}`)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::findings::testing::run;
    use crate::report::Severity;

    /// The findings of SF108, judged on `on`.
    fn eol(text: &str, on: &str) -> Vec<(u32, Severity, String)> {
        let doc = crate::syntax::parse(text);
        let model = crate::model::build(&doc);
        let analysis = crate::analyze::analyze(&doc, &model);
        crate::findings::check(&doc, &model, &analysis, None, on)
            .into_iter()
            .filter(|f| f.rule == "SF108")
            .map(|f| (f.span.map_or(0, |s| s.line), f.severity, f.message))
            .collect()
    }

    const TODAY: &str = "2026-12-03";

    #[test]
    fn product_and_release() {
        let f = eol("FROM node:16-buster\nCMD [\"node\", \"a.js\"]\n", TODAY);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!((f[0].0, f[0].1), (1, Severity::Warning));
        assert!(f[0].2.contains("Node.js 16") && f[0].2.contains("2023-09-11") && f[0].2.contains("Node.js 22"), "{}", f[0].2);
        assert!(f[1].2.contains("Debian 10 (buster)") && f[1].2.contains("past all its support") && f[1].2.contains("Debian 13"), "{}", f[1].2);
    }

    #[test]
    fn debian_12_is_info_while_in_lts() {
        let f = eol("FROM debian:bookworm-slim\n", TODAY);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].1, Severity::Info);
        assert!(f[0].2.contains("Debian LTS covers it until 2028-06-30") && f[0].2.contains("debian:trixie-slim"), "{}", f[0].2);
        // Past Debian LTS, a warning.
        assert_eq!(eol("FROM debian:bookworm-slim\n", "2028-07-01")[0].1, Severity::Warning);
        // Before its regular support ended: nothing.
        assert!(eol("FROM debian:bookworm-slim\n", "2026-07-01").is_empty());
        assert!(eol("FROM debian:trixie-slim\n", TODAY).is_empty());
    }

    #[test]
    fn a_frozen_tag_of_an_ended_version_gets_the_version_finding_only() {
        let f = eol("FROM golang:1.22\n", TODAY);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].2.contains("Go 1.22"));
    }

    #[test]
    fn distroless_images() {
        let f = eol("FROM gcr.io/distroless/java17-debian12\n", TODAY);
        assert_eq!(f.len(), 1);
        assert!(f[0].2.contains("2026-02-27") && f[0].2.contains("gcr.io/distroless/java17-debian13"), "{}", f[0].2);
        assert!(eol("FROM gcr.io/distroless/static-debian13:nonroot\n", TODAY).is_empty());
        // static-debian12: maintained until September 2026.
        assert!(eol("FROM gcr.io/distroless/static-debian12\n", "2026-08-22").is_empty());
        assert!(eol("FROM gcr.io/distroless/static-debian12\n", TODAY)[0].2.contains("static-debian13"));
    }

    #[test]
    fn unused_stages_and_maintained_images_pass() {
        assert!(eol("FROM node:16 AS old\nFROM node:24-trixie-slim\n", TODAY).is_empty());
        assert!(run("FROM golang:1.27\n").iter().all(|f| f.rule != "SF108"));
    }

    /// The image of a one-line `FROM` Dockerfile.
    fn image(reference: &str) -> crate::report::ImageRef {
        let model = crate::model::build(&crate::syntax::parse(&format!("FROM {reference}\n")));
        super::stage_image(&model, 0).unwrap().clone()
    }

    #[test]
    fn runtime_images() {
        let input = image("node:20");
        // The runtime shares Node.js 20 with the input: nothing new.
        assert!(super::runtime_image(&image("node:20-bookworm-slim"), TODAY, &[&input]).is_empty());
        let go = image("golang:1.26");
        let f = super::runtime_image(&image("gcr.io/distroless/base-debian12"), TODAY, &[&go]);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("The runtime image of the rewrite: `gcr.io/distroless/base-debian12`"), "{}", f[0].message);
    }
}
