//! The image knowledge on real cases: tags that never existed, what today's tags resolve to, support
//! windows and the distroless choice, as a rewrite strategy asks (knowledge as of `releases::as_of()`,
//! "today" given explicitly where a window decides).

use slimfile_core::knowledge::distroless;
use slimfile_core::knowledge::releases::{self, release};
use slimfile_core::knowledge::support::{self, end_of_life, of_tag};
use slimfile_core::knowledge::tags::{alias, resolves_to, tag_current, tag_published, variant_exists, version_of, Published};

const TODAY: &str = "2026-12-03";

#[test]
fn pins_that_never_existed() {
    // Go 1.17 left the official image before bookworm was added; Node 10 too.
    assert_eq!(tag_published("golang", "1.17-bookworm"), Published::No);
    assert_eq!(variant_exists("golang", "1.17", "bookworm"), Published::No);
    assert_eq!(tag_published("golang", "1.17"), Published::Yes);
    assert_eq!(tag_published("golang", "1.17-bullseye"), Published::Yes);
    assert_eq!(tag_published("node", "10-bookworm-slim"), Published::No);
    assert_eq!(tag_published("node", "10-buster-slim"), Published::Yes);
    assert_eq!(tag_published("library/node", "10-slim"), Published::Yes);
    // A patch version before bookworm was added to its line, and one after.
    assert_eq!(tag_published("golang", "1.20.0-bookworm"), Published::No);
    assert_eq!(tag_published("golang", "1.20.5-bookworm"), Published::Yes);
    assert_eq!(tag_published("python", "3.9.7-slim-bookworm"), Published::No);
    assert_eq!(tag_published("python", "3.9-slim-bookworm"), Published::Yes);
    // Versions that were never released, though they sort inside a run.
    assert_eq!(tag_published("golang", "1.22.99-bookworm"), Published::No);
    assert_eq!(tag_published("golang", "1.28"), Published::No);
    assert_eq!(tag_published("node", "22.99-slim"), Published::No);
    // slimfile writes eclipse-temurin's major versions only: its other versions are not in the tables.
    assert_eq!(tag_published("eclipse-temurin", "17-jre"), Published::Yes);
    assert_eq!(tag_published("eclipse-temurin", "17.0.20_8-jre"), Published::Unknown);
    // openjdk 17 was gone from the official image before bookworm: slimfile writes no openjdk tag, so
    // the engine's tables do not hold it; the data file does (knowledge_data.rs).
    assert_eq!(tag_published("openjdk", "17-jdk-slim-bookworm"), Published::Unknown);
    // Versions whose tags were all gone before 2021 are not in the engine's tables either.
    assert_eq!(tag_published("golang", "1.11-bookworm"), Published::Unknown);
    assert_eq!(tag_published("node", "8-bookworm-slim"), Published::Unknown);
    assert_eq!(tag_published("golang", "1.15-bookworm"), Published::No); // 1.15 was updated until 2021-08
    // Windows, snapshot and pre-release tags are not in the tables.
    assert_eq!(tag_published("golang", "1.22-windowsservercore-ltsc2022"), Published::Unknown);
    assert_eq!(tag_published("debian", "bookworm-20240110-slim"), Published::Unknown);
    assert_eq!(tag_published("python", "3.15.0rc1-slim"), Published::Unknown);
    assert_eq!(tag_published("quay.io/someone/app", "1.0"), Published::Unknown);
}

#[test]
fn dotnet_tags() {
    // .NET Core 2.0 never reached mcr.microsoft.com: it lived on Docker Hub as microsoft/dotnet.
    for t in ["2.0", "2.0.0", "2.0-runtime"] {
        assert_eq!(tag_published("mcr.microsoft.com/dotnet/runtime", t), Published::No, "{t}");
        assert_eq!(tag_published("mcr.microsoft.com/dotnet/aspnet", t), Published::No, "{t}");
    }
    // The old names are in the data file, not in the engine's tables (slimfile writes none of them).
    assert_eq!(tag_published("microsoft/dotnet", "2.0-runtime"), Published::Unknown);
    // 2.1 was published under the new names too (syndicated).
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/runtime", "2.1"), Published::Yes);
    assert_eq!(tag_current("mcr.microsoft.com/dotnet/runtime", "2.1"), Some(false));
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/aspnet", "8.0"), Published::Yes);
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/aspnet", "8.0.30"), Published::Yes);
    // An SDK's version number is not a runtime's.
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/aspnet", "8.0.100"), Published::No);
    assert_eq!(tag_current("mcr.microsoft.com/dotnet/aspnet", "8.0"), Some(true));
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/aspnet", "8.0-bookworm-slim"), Published::Yes);
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/runtime-deps", "8.0-alpine"), Published::Yes);
    assert_eq!(tag_published("mcr.microsoft.com/dotnet/sdk", "8.0"), Published::Unknown); // slimfile writes no SDK tag
    // .NET 8 images are Debian 12; .NET 10's are Ubuntu 24.04.
    assert_eq!(resolves_to("mcr.microsoft.com/dotnet/aspnet", "8.0").unwrap().release.name, "bookworm");
    assert_eq!(resolves_to("mcr.microsoft.com/dotnet/aspnet", "10.0").unwrap().release.name, "noble");
}

#[test]
fn what_tags_resolve_to_today() {
    for (repo, tag) in [("golang", "1.27"), ("python", "3.14"), ("node", "26"), ("rust", "1"), ("ruby", "4.0"), ("golang", "1.26"), ("python", "3.12-slim")] {
        let r = resolves_to(repo, tag).unwrap_or_else(|| panic!("{repo}:{tag}"));
        assert_eq!(r.release.name, "trixie", "{repo}:{tag}");
        assert!(!r.named && r.since.is_some_and(|d| d >= "2025-08-01"), "{repo}:{tag}: {r:?}");
        assert_eq!(tag_current(repo, tag), Some(true), "{repo}:{tag}");
    }
    // Node's LTS lines stayed on bookworm; node 26 came out on trixie.
    assert_eq!(resolves_to("node", "22").unwrap().release.name, "bookworm");
    assert_eq!(resolves_to("node", "lts-slim").unwrap().release.name, "bookworm");
    assert_eq!(resolves_to("node", "26-slim").unwrap().since, Some("2026-05-06"));
    // A tag that names its release resolves to it.
    let r = resolves_to("golang", "1.22-bookworm").unwrap();
    assert!(r.named && r.release.name == "bookworm" && r.since.is_none());
    // Tags no longer updated keep the release they had when last published.
    assert_eq!(resolves_to("golang", "1.17").unwrap().release.name, "bullseye");
    assert_eq!(tag_current("golang", "1.17"), Some(false));
    assert_eq!(resolves_to("node", "10-slim").unwrap().release.name, "stretch");
    assert_eq!(resolves_to("python", "3.9-slim").unwrap().release.name, "trixie");
    // Other families: Ubuntu-based Temurin, Alpine, the debian image's suites, the untagged default.
    assert_eq!(resolves_to("eclipse-temurin", "17-jre").unwrap().release.name, "resolute");
    assert_eq!(resolves_to("eclipse-temurin", "17-jre-focal").unwrap().release.name, "focal");
    assert_eq!(tag_current("eclipse-temurin", "17-jre-focal"), Some(false));
    assert_eq!(resolves_to("golang", "1.22-alpine").unwrap().release.distro, "alpine");
    assert_eq!(resolves_to("debian", "stable-slim").unwrap().release.name, "trixie");
    assert_eq!(resolves_to("debian", "12").unwrap().release.name, "bookworm");
    assert!(resolves_to("maven", "3.9-eclipse-temurin-17").is_none()); // not in the engine's tables
    assert_eq!(resolves_to("maven", "3.9-eclipse-temurin-17-noble").unwrap().release.name, "noble"); // named
    assert_eq!(resolves_to("golang", "").unwrap().release.name, "trixie");
    assert!(resolves_to("golang", "no-such-tag").is_none());
    // Distroless images name their release.
    assert_eq!(resolves_to("gcr.io/distroless/cc-debian12", "nonroot").unwrap().release.name, "bookworm");
}

#[test]
fn aliases() {
    assert_eq!(alias("node", "lts"), Some(("24", "24.19.0")));
    assert_eq!(alias("node", "current").map(|a| a.0), Some("26"));
    assert_eq!(alias("golang", "latest").map(|a| a.0), Some("1"));
    assert_eq!(alias("nginx", "stable").map(|a| a.0), Some("1.30"));
    assert_eq!(alias("debian", "stable"), None); // a suite of its own, not a version alias
    assert_eq!(alias("node", "dubnium"), None); // Node 10's codename: no longer published
    assert_eq!(version_of("node", "lts-slim").as_deref(), Some("24"));
    assert_eq!(version_of("node", "jod-alpine").as_deref(), Some("22"));
    assert_eq!(version_of("golang", "1.22.3-bookworm").as_deref(), Some("1.22.3"));
    assert_eq!(version_of("golang", "bookworm"), None);
}

#[test]
fn support_windows() {
    let node20 = support::support("node", "20").unwrap();
    assert_eq!(node20.eol, Some("2026-04-30"));
    assert!(node20.ended(TODAY) && !node20.ended("2026-04-30") && node20.ended("2026-05-01"));
    assert_eq!(node20.alternative(TODAY).unwrap().version, "22");
    for v in ["10", "16", "20"] {
        assert!(of_tag("node", &format!("{v}-slim")).unwrap().ended(TODAY), "node {v}");
    }
    assert!(!of_tag("node", "lts").unwrap().ended(TODAY));
    for v in ["3.7", "3.8", "3.9"] {
        let s = of_tag("python", &format!("{v}-slim")).unwrap();
        assert!(s.ended(TODAY), "python {v}");
        assert_eq!(s.alternative(TODAY).unwrap().version, "3.11", "python {v}: 3.10 ended 2026-10");
    }
    assert!(!of_tag("python", "3.13").unwrap().ended(TODAY));
    // Debian: buster and bullseye are past regular support; bookworm ended it 2026-07-11 (LTS runs on).
    let buster = support::of_release(&release("buster").unwrap()).unwrap();
    assert!(buster.ended(TODAY));
    let bookworm = support::support("debian", "bookworm").unwrap();
    assert_eq!((bookworm.eol, bookworm.extended), (Some("2026-07-11"), Some("2028-06-30")));
    assert_eq!(bookworm.alternative(TODAY).unwrap().codename, Some("trixie"));
    assert!(!support::support("debian", "13").unwrap().ended(TODAY));
    // .NET Core 2.0 and 8.0; nginx 1.27; Go 1.25 (two newer majors since 2026-08-19).
    assert!(support::support("microsoft/dotnet", "2.0").unwrap().ended(TODAY));
    let net8 = of_tag("mcr.microsoft.com/dotnet/aspnet", "8.0").unwrap();
    assert_eq!(net8.eol, Some("2026-11-10"));
    assert_eq!(net8.alternative(TODAY).unwrap().version, "10.0");
    let nginx = of_tag("nginx", "1.27-alpine").unwrap();
    assert!(nginx.ended(TODAY));
    assert_eq!(nginx.alternative(TODAY).unwrap().version, "1.30");
    assert_eq!(support::support("go", "1.25").unwrap().eol, Some("2026-08-19"));
    assert!(!of_tag("golang", "1.26").unwrap().ended(TODAY));
    // Temurin 17 (a month), Ubuntu focal (standard support over), Ruby 3.2.
    assert_eq!(support::support("java", "17").unwrap().eol, Some("2027-10"));
    assert!(of_tag("ubuntu", "focal").unwrap().ended(TODAY));
    assert!(of_tag("ruby", "3.2-slim").unwrap().ended(TODAY));
    assert_eq!(support::newest_maintained("node", TODAY).unwrap().version, "26");
    assert_eq!(support::newest_maintained("python", TODAY).unwrap().version, "3.15"); // planned for 2026-10-01
    assert_eq!(support::newest_maintained("python", releases::as_of()).unwrap().version, "3.14");
}

#[test]
fn end_of_life_of_bases() {
    // Both the product and the release.
    let e = end_of_life("node", "16-buster", TODAY);
    let what: Vec<(&str, &str)> = e.iter().map(|x| (x.support.family, x.support.version)).collect();
    assert_eq!(what, [("node", "16"), ("debian", "10")]);
    assert_eq!(e[0].alternative.unwrap().version, "22");
    assert_eq!(e[1].alternative.unwrap().version, "13");
    // Maintained today: nothing.
    assert!(end_of_life("golang", "1.27", TODAY).is_empty());
    assert!(end_of_life("node", "24-trixie-slim", TODAY).is_empty());
    // Only the release.
    let e = end_of_life("golang", "1.26-bookworm", TODAY);
    assert_eq!(e.iter().map(|x| x.support.family).collect::<Vec<_>>(), ["debian"]);
}

#[test]
fn distroless_images() {
    // java17-debian12: no longer listed (since 2026-02-27), and past its January 2026 end of life.
    let j = distroless::image("gcr.io/distroless/java17-debian12").unwrap();
    assert_eq!((j.listed_until, j.eol), (Some("2026-02-27"), Some("2026-01")));
    assert!(!j.maintained(releases::as_of()) && !j.maintained(TODAY));
    assert_eq!(j.unmaintained(TODAY), Some(distroless::Unmaintained::NoLongerListed { since: "2026-02-27" }));
    // base-debian12 is still listed, but its end of life is September 2026.
    let b = distroless::image("gcr.io/distroless/base-debian12").unwrap();
    assert!(b.maintained("2026-08-22") && !b.maintained(TODAY));
    assert_eq!(b.unmaintained(TODAY), Some(distroless::Unmaintained::PastEndOfLife { eol: "2026-09" }));
    // nodejs20-debian13: listed until Node 20's end; python3-debian12: no longer listed.
    let n = distroless::image("gcr.io/distroless/nodejs22-debian13").unwrap();
    assert!(n.maintained(TODAY) && n.language().unwrap().version == "22");
    assert!(distroless::find("distroless/java", "debian13", Some("17")).unwrap().maintained(TODAY));
    assert_eq!(distroless::find("distroless/python3", "debian12", None).unwrap().version, Some("3.11"));
    // nodejs26 was never built for debian12; the standard tags only.
    assert_eq!(tag_published("gcr.io/distroless/nodejs26-debian12", "latest"), Published::No);
    assert_eq!(tag_published("gcr.io/distroless/nodejs26-debian13", "nonroot"), Published::Yes);
    assert_eq!(tag_current("gcr.io/distroless/java17-debian12", "nonroot"), Some(false));
    assert_eq!(tag_published("gcr.io/distroless/java", "11"), Published::Unknown);
}

#[test]
fn newest_maintained_runtime() {
    let bookworm = &release("bookworm").unwrap();
    let trixie = &release("trixie").unwrap();
    let pick = |family: &str, version: Option<&str>, builder: Option<&releases::Release>| {
        distroless::newest_maintained(family, version, builder, TODAY).map(|i| i.image)
    };
    // Never a release older than the builder's, never one out of support.
    assert_eq!(pick("distroless/cc", None, Some(bookworm)), Some("gcr.io/distroless/cc-debian13"));
    assert_eq!(pick("distroless/cc", None, Some(trixie)), Some("gcr.io/distroless/cc-debian13"));
    assert_eq!(pick("distroless/static", None, None), Some("gcr.io/distroless/static-debian13"));
    assert_eq!(pick("distroless/cc", None, Some(&release("resolute").unwrap())), None);
    assert_eq!(pick("distroless/cc", None, Some(&release("noble").unwrap())), Some("gcr.io/distroless/cc-debian13"));
    // Version-bound runtimes only where that major exists and is maintained.
    assert_eq!(pick("distroless/java", Some("17"), Some(bookworm)), Some("gcr.io/distroless/java17-debian13"));
    assert_eq!(pick("distroless/nodejs", Some("22"), Some(bookworm)), Some("gcr.io/distroless/nodejs22-debian13"));
    assert_eq!(pick("distroless/nodejs", Some("20"), Some(bookworm)), None);
    assert_eq!(pick("distroless/python3", Some("3.11"), Some(bookworm)), None);
    assert_eq!(pick("distroless/python3", Some("3.13"), Some(trixie)), Some("gcr.io/distroless/python3-debian13"));
    // On the knowledge date, debian12 was still within its window: debian13 is newer anyway.
    assert_eq!(
        distroless::newest_maintained("distroless/base", None, Some(bookworm), releases::as_of()).map(|i| i.image),
        Some("gcr.io/distroless/base-debian13")
    );
}
