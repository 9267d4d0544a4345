//! Base images and their sizes (`data/images.json`), and the rule that matches a tag slimfile has no
//! figure for to the nearest one it has.
//!
//! # Matching rule
//!
//! [`lookup`] normalises the reference (`docker.io` for an empty or Docker Hub registry, `library/`
//! before a one-part Docker Hub name, `latest` for a missing tag, a digest dropped, a known short
//! repository name such as `distroless/static` resolved to the one it stands for), then:
//!
//! 1. **Exact**: an entry whose tag or alias is the tag (`golang:1.22`, `node:20-alpine`,
//!    `gcr.io/distroless/static-debian12:nonroot`). `exact: true`, no assumption.
//! 2. Otherwise the tag is split into a version (`1.22.3`) and a variant (`bookworm`); a channel
//!    word stands for its version (`node:lts-alpine` is `24` + `alpine`). The variants tried, in
//!    order: the tag's own; the same with the Alpine release dropped (`alpine3.20` is `alpine`);
//!    the same with the Debian or Ubuntu codename dropped (`slim-bookworm` is `slim`,
//!    `jdk-noble` is `jdk`); and for a bare version of an official image the Debian release it
//!    resolves to today (`golang:1.26` is `-trixie`, `golang:1.22.3` is `-bookworm`: the image
//!    knowledge), then the repository's measured default (`-bookworm`, whose sizes stand in for a
//!    release with none). The first variant with entries is used.
//! 3. Among that variant's entries the version is matched: the entry whose version is a prefix of
//!    the tag's at a dot (`1.22.3` → `1.22`, "same minor version"; `22.13.0` → `22`, "same major
//!    version"); else, for a less precise tag (`golang:1`), the newest entry inside it; else, a
//!    version newer than any known gets the newest known, an older one the oldest known, and one in
//!    between the nearest (closest at the first component that differs, the newer on a tie). A tag
//!    with no version (`golang:alpine`, `python:latest`) gets the newest entry of its variant.
//!
//! Every match but the first carries `exact: false` and a plain-English `assumption`, e.g.
//! "golang:1.22.3 was matched to golang:1.22-bookworm (same minor version; a bare version is the
//! -bookworm variant)". An unknown repository, or a variant none of the rules recognise
//! (`golang:1.22-windowsservercore`), gives `None`: slimfile does not guess.

/// One entry of the file, as the engine uses it (the derivation, date and digest stay in the file).
#[derive(Clone, Debug)]
pub struct ImageEntry {
    pub registry: &'static str,
    pub repository: &'static str,
    pub tag: &'static str,
    pub aliases: &'static [&'static str],
    /// The version the tag names (`1.22`, `3.12`, `24.04`), `None` for images slimfile tracks unversioned.
    pub version: Option<&'static str>,
    /// The rest of the tag (`bookworm`, `slim`, `alpine`, `jdk`, `debug`); empty for the default image.
    pub variant: &'static str,
    /// Bytes pulled for linux/amd64: the sum of the compressed layers, as Docker Hub's tag page shows.
    pub compressed: Option<u64>,
    /// Bytes on disk once unpacked, as `docker images` shows.
    pub uncompressed: Option<u64>,
    /// `compressed` was read from a published source (the file's `measured`), not derived.
    pub compressed_measured: bool,
    /// `uncompressed` was read from a published source, not derived.
    pub uncompressed_measured: bool,
    /// Where the figures come from; the estimate's basis quotes it.
    pub source: &'static str,
}

impl ImageEntry {
    /// `golang:1.22-bookworm`, `mcr.microsoft.com/dotnet/sdk:8.0`, `gcr.io/distroless/static-debian12:nonroot`.
    pub fn reference(&self) -> String {
        display(self.registry, self.repository, self.tag)
    }

    pub fn compressed_measured(&self) -> bool {
        self.compressed_measured
    }

    pub fn uncompressed_measured(&self) -> bool {
        self.uncompressed_measured
    }

    /// The on-disk size, or when none is recorded the pull size times the toolchain ratio
    /// (`ratios.toolchain`); the bool is true when the figure is not a measurement.
    pub fn uncompressed_or_estimate(&self) -> Option<(u64, bool)> {
        if let Some(u) = self.uncompressed {
            return Some((u, !self.uncompressed_measured));
        }
        let ratio = ratio("toolchain")?;
        self.compressed.map(|c| ((c as f64 * ratio).round() as u64, true))
    }
}

// RATIOS, CHANNELS, DEFAULTS, REPOSITORY_ALIASES (each without its `source`, which stays in the file),
// IMAGES.
include!(concat!(env!("OUT_DIR"), "/images.rs"));

/// Every entry, in the file's order.
pub fn all() -> &'static [ImageEntry] {
    IMAGES
}

/// `value` of `key` in a table sorted by key.
fn get<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table.binary_search_by(|(k, _)| (*k).cmp(key)).ok().map(|i| table[i].1)
}

/// A ratio of uncompressed to compressed size (`toolchain`, `os`, `dotnet`, `alpine`).
pub fn ratio(name: &str) -> Option<f64> {
    get(RATIOS, name)
}

#[derive(Clone, Debug)]
pub struct ImageMatch {
    pub entry: &'static ImageEntry,
    /// The reference was one the knowledge base has (tag or alias), not a nearest match.
    pub exact: bool,
    /// What was assumed to match it, in a sentence a report can show; `None` when exact.
    pub assumption: Option<String>,
}

const CODENAMES: &[&str] = &[
    "bookworm", "bullseye", "buster", "stretch", "trixie", "forky", "jammy", "noble", "focal", "bionic", "resolute",
    "oracular", "plucky",
];

fn normalize_registry(registry: &str) -> &str {
    match registry {
        "" | "docker.io" | "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io",
        r => r,
    }
}

fn display(registry: &str, repository: &str, tag: &str) -> String {
    let name = if registry == "docker.io" {
        repository.strip_prefix("library/").unwrap_or(repository).to_owned()
    } else {
        format!("{registry}/{repository}")
    };
    format!("{name}:{tag}")
}

/// `1.22.3-bookworm` → (`Some("1.22.3")`, `bookworm`); `alpine` → (`None`, `alpine`);
/// `1.22rc1-alpine` → (`Some("1.22")`, `alpine`).
fn split_tag(tag: &str) -> (Option<String>, String) {
    let bytes = tag.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() {
        return (None, tag.to_owned());
    }
    let mut end = 0;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    let version = tag[..end].trim_end_matches('.').to_owned();
    let mut rest = &tag[end..];
    // pre-release markers (`rc1`, `beta2`, `-rc`) belong to the version, not the variant
    for pre in ["rc", "beta", "alpha"] {
        if let Some(r) = rest
            .strip_prefix(pre)
            .or_else(|| rest.strip_prefix(&format!("-{pre}")[..]))
        {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    (Some(version), rest.trim_start_matches('-').to_owned())
}

fn parse_version(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect()
}

fn cmp_versions(a: &str, b: &str) -> std::cmp::Ordering {
    parse_version(a).cmp(&parse_version(b))
}

fn strip_alpine_release(variant: &str) -> String {
    variant
        .split('-')
        .map(|p| match p.strip_prefix("alpine") {
            Some(rest) if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.') => "alpine",
            _ => p,
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn strip_codename(variant: &str) -> String {
    variant
        .split('-')
        .filter(|p| !CODENAMES.contains(p))
        .collect::<Vec<_>>()
        .join("-")
}

/// The variants to try for a tag's variant, in order, each with the note to add when it is not the tag's own.
/// `resolved`: the Debian release a bare tag resolves to today (the image knowledge), tried before the
/// repository's measured default.
fn variant_candidates(repository: &str, variant: &str, resolved: Option<&str>) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = vec![(variant.to_owned(), None)];
    let alp = strip_alpine_release(variant);
    if alp != variant {
        out.push((alp.clone(), Some(format!("the -{variant} variant was sized as -{alp}"))));
    }
    let plain = strip_codename(&alp);
    if plain != alp {
        let note = if plain.is_empty() {
            format!("the -{variant} variant was sized as the default image")
        } else {
            format!("the -{variant} variant was sized as -{plain}")
        };
        out.push((plain.clone(), Some(note)));
    }
    if plain.is_empty() {
        let default = get(DEFAULTS, repository).filter(|d| !d.is_empty());
        if let Some(release) = resolved.filter(|_| variant.is_empty() && default.is_some()) {
            out.push((release.to_owned(), Some(format!("a bare version is the -{release} variant"))));
        }
        if let Some(def) = default {
            let note = match resolved {
                Some(release) if variant.is_empty() && release != def => {
                    format!("a bare version is the -{release} variant, sized as -{def}: no -{release} size is known")
                }
                _ if variant.is_empty() => format!("a bare version is the -{def} variant"),
                _ => format!("the -{variant} variant was sized as -{def}"),
            };
            out.push((def.to_owned(), Some(note)));
        }
    }
    let mut seen = Vec::new();
    out.retain(|(v, _)| {
        let new = !seen.contains(v);
        seen.push(v.clone());
        new
    });
    out
}

fn precision_word(entry_version: &str) -> &'static str {
    match entry_version.split('.').count() {
        1 => "same major version",
        2 => "same minor version",
        _ => "same version",
    }
}

/// Looks up `registry`/`repository`:`tag` (see the module documentation for the rule).
/// `registry` is e.g. `docker.io` (or empty), `gcr.io`, `mcr.microsoft.com`; `repository` is
/// `library/golang` (or `golang`) on Docker Hub and e.g. `distroless/static-debian12` on gcr.io.
pub fn lookup(registry: &str, repository: &str, tag: Option<&str>) -> Option<ImageMatch> {
    let registry = normalize_registry(registry);
    let mut repository = repository.to_owned();
    if registry == "docker.io" && !repository.contains('/') {
        repository = format!("library/{repository}");
    }
    let tag_raw = tag
        .map(|t| t.split('@').next().unwrap_or(""))
        .filter(|t| !t.is_empty())
        .unwrap_or("latest");
    let asked = display(registry, &repository, tag_raw);

    let mut notes: Vec<String> = Vec::new();
    if let Some(target) = get(REPOSITORY_ALIASES, &repository) {
        notes.push(format!(
            "{} stands for {}",
            display(registry, &repository, tag_raw).split(':').next().unwrap_or(""),
            target
        ));
        repository = target.to_owned();
    }
    let entries: Vec<&'static ImageEntry> = IMAGES
        .iter()
        .filter(|e| e.registry == registry && e.repository == repository)
        .collect();
    if entries.is_empty() {
        return language_line(registry, &repository, tag_raw, &asked);
    }

    // 1. exact tag or alias
    if let Some(e) = entries
        .iter()
        .find(|e| e.tag == tag_raw || e.aliases.contains(&tag_raw))
    {
        let exact = notes.is_empty();
        let assumption = (!exact).then(|| format!("{asked} was matched to {} ({})", e.reference(), notes.join("; ")));
        return Some(ImageMatch {
            entry: e,
            exact,
            assumption,
        });
    }

    // 2. version and variant
    let (mut version, mut variant) = split_tag(tag_raw);
    if variant == "latest" {
        variant.clear();
    }
    if version.is_none() {
        let (word, rest) = variant.split_once('-').unwrap_or((variant.as_str(), ""));
        // The aliases official-images publishes today (`current` → 26), then the table's own channels.
        let derived = repository.strip_prefix("library/").and_then(|short| super::tags::alias(short, word)).map(|(line, _)| line);
        if let Some(v) = derived.or_else(|| get(CHANNELS, &repository).and_then(|ch| get(ch, word))) {
            notes.push(format!("{word} is {v} in the knowledge base"));
            version = Some(v.to_owned());
            variant = rest.to_owned();
        }
    }

    // The Debian release a bare official tag resolves to today (`golang:1.26` → trixie).
    let resolved = (registry == "docker.io" && variant.is_empty())
        .then(|| repository.strip_prefix("library/"))
        .flatten()
        .and_then(|short| super::tags::resolves_to(short, tag_raw))
        .filter(|r| r.release.distro == "debian")
        .map(|r| r.release.name);
    for (cand, note) in variant_candidates(&repository, &variant, resolved) {
        let pool: Vec<&'static ImageEntry> = entries.iter().copied().filter(|e| e.variant == cand).collect();
        if pool.is_empty() {
            continue;
        }
        if let Some(n) = note {
            notes.push(n);
        }
        let (entry, why) = match_version(&pool, version.as_deref(), &repository);
        notes.insert(0, why);
        let assumption = format!("{asked} was matched to {} ({})", entry.reference(), notes.join("; "));
        return Some(ImageMatch {
            entry,
            exact: false,
            assumption: Some(assumption),
        });
    }
    None
}

/// A distroless image of a language version the table does not hold (`nodejs26-debian13`): the nearest
/// version of the same language on the same Debian release (`nodejs24-debian13`), as an assumption. The
/// images of one language differ by the runtime's own size, a few MB from version to version.
fn language_line(registry: &str, repository: &str, tag: &str, asked: &str) -> Option<ImageMatch> {
    let (name, release) = repository.strip_prefix("distroless/")?.rsplit_once('-')?;
    let language = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let version = &name[language.len()..];
    if version.is_empty() {
        return None;
    }
    let pool: Vec<(&'static ImageEntry, &str)> = IMAGES
        .iter()
        .filter(|e| e.registry == registry && (e.tag == tag || e.aliases.contains(&tag)))
        .filter_map(|e| {
            let (n, r) = e.repository.strip_prefix("distroless/")?.rsplit_once('-')?;
            let v = n.strip_prefix(language)?;
            (r == release && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())).then_some((e, v))
        })
        .collect();
    let distance = |v: &str| (v.parse::<i64>().unwrap_or(0) - version.parse::<i64>().unwrap_or(0)).abs();
    let (entry, _) = pool.into_iter().min_by_key(|(e, v)| (distance(v), std::cmp::Reverse(e.repository)))?;
    Some(ImageMatch {
        entry,
        exact: false,
        assumption: Some(format!("{asked} was matched to {} (the nearest version of the same language and release)", entry.reference())),
    })
}

fn newest<'a>(pool: &[&'a ImageEntry]) -> &'a ImageEntry {
    pool.iter()
        .copied()
        .max_by(|a, b| cmp_versions(a.version.unwrap_or("0"), b.version.unwrap_or("0")))
        .expect("pool is not empty")
}

fn match_version(
    pool: &[&'static ImageEntry],
    version: Option<&str>,
    repository: &str,
) -> (&'static ImageEntry, String) {
    let short = repository.strip_prefix("library/").unwrap_or(repository);
    let Some(v) = version else {
        let e = newest(pool);
        return (e, "the tag names no version; the newest known was taken".to_owned());
    };
    let versioned: Vec<&'static ImageEntry> = pool.iter().copied().filter(|e| e.version.is_some()).collect();
    if versioned.is_empty() {
        return (pool[0], format!("slimfile does not track {short} versions"));
    }
    // the entry whose version is a prefix of the tag's, the most precise one
    let prefix = versioned
        .iter()
        .copied()
        .filter(|e| {
            let ev = e.version.unwrap_or("");
            v == ev || v.starts_with(&format!("{ev}."))
        })
        .max_by_key(|e| e.version.unwrap_or("").len());
    if let Some(e) = prefix {
        return (e, precision_word(e.version.unwrap_or("")).to_owned());
    }
    // a less precise tag: the newest entry inside it
    let inside: Vec<&'static ImageEntry> = versioned
        .iter()
        .copied()
        .filter(|e| e.version.unwrap_or("").starts_with(&format!("{v}.")))
        .collect();
    if !inside.is_empty() {
        let e = newest(&inside);
        return (e, format!("the newest known {short} {v}.x"));
    }
    let newest_e = newest(&versioned);
    let oldest_e = versioned
        .iter()
        .copied()
        .min_by(|a, b| cmp_versions(a.version.unwrap_or("0"), b.version.unwrap_or("0")))
        .expect("not empty");
    let nv = newest_e.version.unwrap_or("0");
    let ov = oldest_e.version.unwrap_or("0");
    if cmp_versions(v, nv).is_gt() {
        return (
            newest_e,
            format!("{short} {v} is newer than any version slimfile knows; the newest known was taken"),
        );
    }
    if cmp_versions(v, ov).is_lt() {
        return (
            oldest_e,
            format!("{short} {v} is older than any version slimfile knows; the oldest known was taken"),
        );
    }
    // in between: closest at the first differing component, the newer on a tie
    let want = parse_version(v);
    let key = |e: &ImageEntry| {
        let have = parse_version(e.version.unwrap_or("0"));
        let n = want.len().max(have.len());
        let mut first = n;
        let mut diff = 0u64;
        for i in 0..n {
            let a = want.get(i).copied().unwrap_or(0);
            let b = have.get(i).copied().unwrap_or(0);
            if a != b {
                first = i;
                diff = a.abs_diff(b);
                break;
            }
        }
        // later first-difference = closer; smaller diff = closer
        (std::cmp::Reverse(first), diff)
    };
    let mut best = versioned[0];
    for e in versioned.iter().copied().skip(1) {
        let (kb, ke) = (key(best), key(e));
        if ke < kb
            || (ke == kb
                && cmp_versions(
                    e.version.unwrap_or("0"),
                    best.version.unwrap_or("0"),
                )
                .is_gt())
        {
            best = e;
        }
    }
    (best, format!("nearest known {short} version to {v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(registry: &str, repo: &str, tag: &str) -> &'static ImageEntry {
        let m = lookup(registry, repo, Some(tag)).unwrap_or_else(|| panic!("{repo}:{tag} not found"));
        assert!(m.exact, "{repo}:{tag} should be exact, got {:?}", m.assumption);
        assert!(m.assumption.is_none());
        m.entry
    }

    #[test]
    fn loads() {
        assert!(IMAGES.len() >= 150, "{}", IMAGES.len());
        for e in IMAGES {
            assert!(
                e.compressed.is_some() || e.uncompressed.is_some(),
                "{} has no size",
                e.reference()
            );
            if let (Some(c), Some(u)) = (e.compressed, e.uncompressed) {
                assert!(c <= u, "{}: compressed {c} > uncompressed {u}", e.reference());
            }
        }
        for (_, r) in RATIOS {
            assert!(*r > 1.0);
        }
        for table in [DEFAULTS, REPOSITORY_ALIASES].into_iter().chain(CHANNELS.iter().map(|c| c.1)) {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0), "sorted for binary search");
        }
        // tags and aliases are unique per repository
        let mut seen = std::collections::HashSet::new();
        for e in IMAGES {
            for t in std::iter::once(&e.tag).chain(e.aliases.iter()) {
                assert!(
                    seen.insert((e.registry, e.repository, *t)),
                    "duplicate {}:{t}",
                    e.repository
                );
            }
        }
    }

    #[test]
    fn common_tags_are_exact() {
        assert_eq!(exact("docker.io", "library/golang", "1.22").tag, "1.22-bookworm");
        assert_eq!(exact("", "golang", "1.22-alpine").compressed, Some(73_268_522));
        assert_eq!(exact("docker.io", "library/node", "20-alpine").tag, "20-alpine");
        assert_eq!(exact("docker.io", "library/node", "22").tag, "22-bookworm");
        assert_eq!(
            exact("docker.io", "library/python", "3.12-slim").compressed,
            Some(43_178_734)
        );
        assert_eq!(
            exact("docker.io", "library/ubuntu", "22.04").compressed,
            Some(29_736_517)
        );
        assert_eq!(
            exact("docker.io", "library/eclipse-temurin", "21-jre").compressed,
            Some(121_136_054)
        );
        assert_eq!(
            exact("docker.io", "library/debian", "bookworm-slim").compressed,
            Some(28_232_590)
        );
        assert_eq!(exact("docker.io", "library/alpine", "3.20").compressed, Some(3_623_844));
        assert_eq!(exact("gcr.io", "distroless/static-debian12", "nonroot").tag, "latest");
        assert_eq!(
            exact("gcr.io", "distroless/nodejs20-debian12", "debug-nonroot").variant,
            "debug"
        );
        assert_eq!(
            exact("mcr.microsoft.com", "dotnet/aspnet", "8.0").repository,
            "dotnet/aspnet"
        );
        assert_eq!(exact("docker.io", "library/scratch", "latest").compressed, Some(0));
        assert_eq!(
            exact("docker.io", "library/nginx", "alpine").compressed,
            Some(26_310_566)
        );
        assert_eq!(
            exact("docker.io", "library/busybox", "latest").compressed,
            Some(2_226_327)
        );
        assert!(exact("docker.io", "library/golang", "1.25-bookworm").uncompressed_measured());
    }

    #[test]
    fn nearest_match_with_assumption() {
        let m = lookup("docker.io", "library/golang", Some("1.22.3-bookworm")).unwrap();
        assert!(!m.exact);
        assert_eq!(m.entry.tag, "1.22-bookworm");
        assert_eq!(
            m.assumption.as_deref(),
            Some("golang:1.22.3-bookworm was matched to golang:1.22-bookworm (same minor version)")
        );

        let m = lookup("docker.io", "golang", Some("1.22.3")).unwrap();
        assert_eq!(m.entry.tag, "1.22-bookworm");
        assert_eq!(
            m.assumption.as_deref(),
            Some("golang:1.22.3 was matched to golang:1.22-bookworm (same minor version; a bare version is the -bookworm variant)")
        );

        let m = lookup("docker.io", "library/python", Some("3.12.1-slim")).unwrap();
        assert_eq!(m.entry.tag, "3.12-slim");
        assert!(m.assumption.unwrap().contains("same minor version"));

        let m = lookup("docker.io", "library/node", Some("lts")).unwrap();
        assert_eq!(m.entry.version, Some("24"));
        assert!(!m.exact);
        let m = lookup("docker.io", "library/node", Some("lts-alpine")).unwrap();
        assert_eq!(
            (m.entry.version, m.entry.variant),
            (Some("24"), "alpine")
        );
        // An alias official-images publishes (`current`, node:current-slim of real app node-bulletin-board):
        // the line it stands for today, here the nearest the table holds.
        let m = lookup("docker.io", "library/node", Some("current-slim")).unwrap();
        assert_eq!(m.entry.tag, "24-bookworm-slim", "{:?}", m.assumption);
        assert!(m.assumption.as_deref().unwrap().contains("current is 26 in the knowledge base"), "{:?}", m.assumption);
        // A distroless language image the table lacks: the nearest version on the same release.
        let m = lookup("gcr.io", "distroless/nodejs26-debian13", Some("nonroot")).unwrap();
        assert_eq!(m.entry.repository, "distroless/nodejs24-debian13");
        assert!(m.assumption.unwrap().contains("nearest version of the same language and release"));
        assert!(lookup("gcr.io", "distroless/nodejs26-debian14", Some("nonroot")).is_none());
        let m = lookup("docker.io", "library/node", Some("22.13.0-bookworm-slim")).unwrap();
        assert_eq!(m.entry.tag, "22-bookworm-slim");
        assert!(m.assumption.unwrap().contains("same major version"));

        // newer than any known: the newest known of that variant
        let m = lookup("docker.io", "library/golang", Some("1.31-alpine")).unwrap();
        assert_eq!(m.entry.tag, "1.25-alpine");
        assert!(m.assumption.unwrap().contains("newer than any version"));
        // older than any known
        let m = lookup("docker.io", "library/golang", Some("1.11")).unwrap();
        assert_eq!(m.entry.version, Some("1.20"));
        // in between: nearest
        let m = lookup("docker.io", "library/rust", Some("1.83-slim")).unwrap();
        assert_eq!(m.entry.tag, "1.85-slim-bookworm");
        // a bare version is sized as the release it resolves to today, or says it is not
        let m = lookup("docker.io", "library/golang", Some("1.26")).unwrap();
        assert_eq!(m.entry.tag, "1.25-bookworm");
        assert!(
            m.assumption.as_deref().unwrap().contains("a bare version is the -trixie variant, sized as -bookworm: no -trixie size is known"),
            "{:?}",
            m.assumption
        );
        let m = lookup("docker.io", "library/node", Some("26")).unwrap();
        assert!(m.assumption.as_deref().unwrap().contains("the -trixie variant, sized as -bookworm"), "{:?}", m.assumption);
        let m = lookup("docker.io", "library/golang", Some("1.22.3")).unwrap();
        assert!(m.assumption.as_deref().unwrap().ends_with("(same minor version; a bare version is the -bookworm variant)"));
        // less precise tag
        let m = lookup("docker.io", "library/golang", Some("1")).unwrap();
        assert_eq!(m.entry.tag, "1.25-bookworm");
        // variant normalisation
        let m = lookup("docker.io", "library/golang", Some("1.22-alpine3.19")).unwrap();
        assert_eq!(m.entry.tag, "1.22-alpine");
        assert!(m
            .assumption
            .unwrap()
            .contains("-alpine3.19 variant was sized as -alpine"));
        let m = lookup("docker.io", "library/eclipse-temurin", Some("21-jdk-noble")).unwrap();
        assert_eq!(m.entry.tag, "21-jdk");
        let m = lookup("docker.io", "library/python", Some("3.11-slim-bullseye")).unwrap();
        assert_eq!(m.entry.tag, "3.11-slim");
        // no version: the newest of the variant
        let m = lookup("docker.io", "library/golang", None).unwrap();
        assert_eq!(m.entry.tag, "1.25-bookworm");
        let m = lookup("docker.io", "library/golang", Some("alpine")).unwrap();
        assert_eq!(m.entry.tag, "1.25-alpine");
        // short distroless names
        let m = lookup("gcr.io", "distroless/static", Some("nonroot")).unwrap();
        assert_eq!(m.entry.repository, "distroless/static-debian12");
        assert!(!m.exact);
        // digests are ignored
        let m = lookup("docker.io", "library/alpine", Some("3.20@sha256:abc")).unwrap();
        assert!(m.exact);
        // unversioned images
        let m = lookup("docker.io", "library/nginx", Some("1.27-alpine")).unwrap();
        assert_eq!(m.entry.tag, "alpine");
    }

    #[test]
    fn unknown_is_none() {
        assert!(lookup("docker.io", "library/no-such-image", Some("1")).is_none());
        assert!(lookup("quay.io", "library/golang", Some("1.22")).is_none());
        assert!(lookup("docker.io", "library/golang", Some("1.22-windowsservercore-ltsc2022")).is_none());
    }

    #[test]
    fn split() {
        assert_eq!(split_tag("1.22.3-bookworm"), (Some("1.22.3".into()), "bookworm".into()));
        assert_eq!(split_tag("alpine"), (None, "alpine".into()));
        assert_eq!(split_tag("1.22rc1-alpine"), (Some("1.22".into()), "alpine".into()));
        assert_eq!(split_tag("24.04"), (Some("24.04".into()), String::new()));
        assert_eq!(strip_alpine_release("jre-alpine3.20"), "jre-alpine");
        assert_eq!(strip_codename("slim-bookworm"), "slim");
    }
}
