//! The runtime sibling of a Java development image: the JRE image of the same vendor, Java version and
//! distribution (`eclipse-temurin:17-jdk-jammy` → `17-jre-jammy`), the maintained successor's JRE for a
//! deprecated image (`openjdk:8-jdk-alpine` → `eclipse-temurin:8-jre-alpine`), or Red Hat's `-runtime`
//! repository (`ubi8/openjdk-21` → `ubi8/openjdk-21-runtime`). `data/runtime-siblings.json`, derived by
//! `scripts/runtime-siblings.py`, whose docstring gives the rule [`twin`] follows.

/// Why an image family is deprecated, with its source (shown in the report).
#[derive(Clone, Debug)]
pub struct Deprecation {
    pub since: &'static str,
    pub notice: &'static str,
    pub source: &'static str,
}

/// An official image family whose JDK tags have JRE twins (or, deprecated, a successor's).
#[derive(Clone, Debug)]
pub struct Family {
    pub registry: &'static str,
    pub repository: &'static str,
    pub runtime_repository: &'static str,
    /// Words before the version (`open` in `open-17-jdk`); a trailing `?` makes one optional.
    pub prefix: &'static [&'static str],
    /// `jre` ends the tag when the tag names no kind (`8-alpine3.18` → `8-alpine3.18-jre`), instead of
    /// following the version.
    pub insert_at_end: bool,
    /// The major-level JRE tags ever published (sorted).
    pub published: &'static [&'static str],
    /// JDK tags whose twin was never published (sorted).
    pub no_twin: &'static [&'static str],
    /// A deprecated family's variants (first variant word) → the successor tag's suffix.
    pub variants: &'static [(&'static str, &'static str)],
    pub deprecated: Option<Deprecation>,
}

/// A Red Hat JDK repository and its `-runtime` sibling (same tags).
#[derive(Clone, Debug)]
pub struct RedHat {
    pub registry: &'static str,
    pub repository: &'static str,
    pub runtime_repository: &'static str,
    pub java: &'static str,
}

// JDK_ONLY, SUCCESSOR_CURRENT, FAMILIES, RED_HAT.
include!(concat!(env!("OUT_DIR"), "/runtime_siblings.rs"));

/// A program only a JDK has (`javac`, `jar`, `jcmd`…), or a Java build tool.
pub fn jdk_only(program: &str) -> bool {
    JDK_ONLY.binary_search(&program).is_ok()
}

/// What the knowledge says of an image as a Java runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sibling {
    /// Not a Java development image slimfile knows.
    Unknown,
    /// Already a JRE (`17-jre-jammy`): nothing to swap.
    Runtime,
    /// The runtime sibling: registry (`None` for Docker Hub), repository name as written in FROM
    /// (`eclipse-temurin`), tag, and the Java major version.
    Jre { registry: Option<&'static str>, repository: String, tag: String, java: String },
    /// A JDK whose runtime sibling does not exist (or is not known to): why, as a clause.
    None(String),
}

/// The words of a tag: (prefix, version words, kind, the other words with `{kind}` where the kind was).
struct Words<'t> {
    prefix: Vec<&'t str>,
    version: Vec<&'t str>,
    kind: Option<&'t str>,
    rest: Vec<&'t str>,
}

fn split<'t>(tag: &'t str, prefix: &[&str]) -> Option<Words<'t>> {
    let mut words: std::collections::VecDeque<&str> = tag.split('-').collect();
    let mut pre = Vec::new();
    for p in prefix {
        let (p, optional) = match p.strip_suffix('?') {
            Some(p) => (p, true),
            None => (*p, false),
        };
        if words.front() == Some(&p) {
            pre.push(words.pop_front()?);
        } else if !optional {
            return None;
        }
    }
    let first = words.pop_front().filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    let mut version = vec![first];
    // Java 8's build word belongs to the version (`8u302-b08`).
    if first.contains('u') && words.front().is_some_and(|w| w.len() > 1 && w.starts_with('b') && w[1..].chars().all(|c| c.is_ascii_digit())) {
        version.push(words.pop_front()?);
    }
    let mut kind = None;
    let mut rest = Vec::new();
    for w in words {
        if matches!(w, "jdk" | "jre") && kind.is_none() {
            kind = Some(w);
            rest.push("{kind}");
        } else {
            rest.push(w);
        }
    }
    Some(Words { prefix: pre, version, kind, rest })
}

fn major(version: &str) -> &str {
    let end = version.find(|c: char| !c.is_ascii_digit()).unwrap_or(version.len());
    &version[..end]
}

/// The JRE twin of a JDK tag by the family's rule; `at_major`: with the version cut to its major.
/// `None`: the tag already names the JRE, or has no version.
pub fn twin(tag: &str, family: &Family, at_major: bool) -> Option<String> {
    let w = split(tag, family.prefix)?;
    if w.kind == Some("jre") {
        return None;
    }
    let version: Vec<&str> = if at_major { vec![major(w.version[0])] } else { w.version.clone() };
    let mut words: Vec<&str> = w.prefix.clone();
    words.extend(version);
    match w.kind {
        Some(_) => words.extend(w.rest.iter().map(|x| if *x == "{kind}" { "jre" } else { x })),
        None if family.insert_at_end => {
            words.extend(&w.rest);
            words.push("jre");
        }
        None => {
            words.push("jre");
            words.extend(&w.rest);
        }
    }
    Some(words.join("-"))
}

/// A deprecated family's successor tag for `tag` (JDK or JRE): `<major>-jre<suffix>`, when its variant
/// has a counterpart and the tag is no pre-release.
pub fn successor_tag(tag: &str, family: &Family) -> Option<String> {
    let w = split(tag, family.prefix)?;
    let variant: Vec<&str> = w.rest.iter().copied().filter(|x| *x != "{kind}").collect();
    let first = variant.first().copied().unwrap_or("");
    let key = if first.starts_with("alpine") { "alpine" } else { first };
    if variant.iter().any(|x| x.starts_with("ea") || *x == "rc") {
        return None;
    }
    let suffix = family.variants.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)?;
    Some(format!("{}-jre{suffix}", major(w.version[0])))
}

/// The official-image family of a repository (`library/openjdk`).
pub fn family(registry: &str, repository: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.registry == registry && f.repository == repository)
}

fn short(repository: &str) -> String {
    repository.strip_prefix("library/").unwrap_or(repository).to_owned()
}

/// The runtime sibling of `registry/repository:tag` (an absent tag is `latest`).
pub fn jre_sibling(registry: &str, repository: &str, tag: Option<&str>) -> Sibling {
    if let Some(r) = RED_HAT.iter().find(|r| r.registry == registry && r.repository == repository) {
        return red_hat(r, tag);
    }
    if let Some(r) = RED_HAT.iter().find(|r| r.registry == registry && r.runtime_repository == repository) {
        let _ = r;
        return Sibling::Runtime;
    }
    let Some(f) = family(registry, repository) else { return Sibling::Unknown };
    let tag = tag.unwrap_or("latest");
    let Some(w) = split(tag, f.prefix) else {
        return Sibling::None(format!("its tag `{tag}` names no Java version, so no JRE of the same version can be chosen"));
    };
    if w.kind == Some("jre") {
        return Sibling::Runtime;
    }
    let java = major(w.version[0]).to_owned();
    if f.deprecated.is_some() {
        return match successor_tag(tag, f) {
            Some(t) if SUCCESSOR_CURRENT.binary_search(&t.as_str()).is_ok() => {
                Sibling::Jre { registry: None, repository: short(f.runtime_repository), tag: t, java }
            }
            Some(t) => Sibling::None(format!("{} publishes no maintained `{t}` (Java {java})", short(f.runtime_repository))),
            None => Sibling::None(format!(
                "its variant (`{tag}`) has no {} counterpart with the same package manager",
                short(f.runtime_repository)
            )),
        };
    }
    let (Some(exact), Some(at_major)) = (twin(tag, f, false), twin(tag, f, true)) else {
        return Sibling::Runtime;
    };
    if f.published.binary_search(&at_major.as_str()).is_err() || f.no_twin.binary_search(&tag).is_ok() {
        return Sibling::None(format!("{} has published no JRE image `{exact}` beside it", short(f.runtime_repository)));
    }
    Sibling::Jre { registry: None, repository: short(f.runtime_repository), tag: exact, java }
}

/// Red Hat's images: the `-runtime` repository has the same tags (`latest`, `1.20`); a build-numbered tag
/// (`1.18-2`) is the JDK image's own build.
fn red_hat(r: &RedHat, tag: Option<&str>) -> Sibling {
    let tag = tag.unwrap_or("latest");
    let plain = tag == "latest" || tag.split('.').count() == 2 && tag.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !plain {
        return Sibling::None(format!(
            "its tag `{tag}` names one build of the JDK image, and the runtime image's builds are numbered on their own"
        ));
    }
    Sibling::Jre { registry: Some(r.registry), repository: r.runtime_repository.to_owned(), tag: tag.to_owned(), java: r.java.to_owned() }
}

/// The deprecation of an image family, and the successor's tag for `tag` (JDK or JRE) when it is current.
pub fn deprecation(registry: &str, repository: &str, tag: Option<&str>) -> Option<(&'static Deprecation, Option<String>)> {
    let f = family(registry, repository)?;
    let d = f.deprecated.as_ref()?;
    let successor = successor_tag(tag.unwrap_or("latest"), f)
        .filter(|t| SUCCESSOR_CURRENT.binary_search(&t.as_str()).is_ok())
        .map(|t| format!("{}:{t}", short(f.runtime_repository)));
    Some((d, successor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jre(registry: &str, repository: &str, tag: &str) -> String {
        match jre_sibling(registry, repository, Some(tag)) {
            Sibling::Jre { registry, repository, tag, java } => {
                format!("{}{repository}:{tag} ({java})", registry.map(|r| format!("{r}/")).unwrap_or_default())
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn temurin_tags_name_their_jre_twin() {
        assert_eq!(jre("docker.io", "library/eclipse-temurin", "17-jdk-jammy"), "eclipse-temurin:17-jre-jammy (17)");
        assert_eq!(jre("docker.io", "library/eclipse-temurin", "21"), "eclipse-temurin:21-jre (21)");
        assert_eq!(jre("docker.io", "library/eclipse-temurin", "17-alpine"), "eclipse-temurin:17-jre-alpine (17)");
        assert_eq!(jre("docker.io", "library/eclipse-temurin", "17.0.9_9-jdk-jammy"), "eclipse-temurin:17.0.9_9-jre-jammy (17)");
        assert_eq!(jre("docker.io", "library/eclipse-temurin", "8u302-b08-jdk"), "eclipse-temurin:8u302-b08-jre (8)");
        assert_eq!(jre_sibling("docker.io", "library/eclipse-temurin", Some("17-jre-focal")), Sibling::Runtime);
        // Temurin 16 had no JRE image; 17_35 was a JDK-only build.
        assert!(matches!(jre_sibling("docker.io", "library/eclipse-temurin", Some("16-jdk")), Sibling::None(_)));
        assert!(matches!(jre_sibling("docker.io", "library/eclipse-temurin", Some("17_35-jdk")), Sibling::None(_)));
    }

    #[test]
    fn other_vendors() {
        assert_eq!(jre("docker.io", "library/sapmachine", "21-jdk-headless-ubuntu-jammy"), "sapmachine:21-jre-headless-ubuntu-jammy (21)");
        assert_eq!(jre("docker.io", "library/ibm-semeru-runtimes", "open-17-jdk-jammy"), "ibm-semeru-runtimes:open-17-jre-jammy (17)");
        assert_eq!(jre("docker.io", "library/amazoncorretto", "8-alpine3.18"), "amazoncorretto:8-alpine3.18-jre (8)");
        // Corretto publishes no JRE of 17.
        assert!(matches!(jre_sibling("docker.io", "library/amazoncorretto", Some("17")), Sibling::None(_)));
        assert_eq!(
            jre("registry.access.redhat.com", "ubi8/openjdk-21", "1.20"),
            "registry.access.redhat.com/ubi8/openjdk-21-runtime:1.20 (21)"
        );
        assert!(matches!(jre_sibling("registry.access.redhat.com", "ubi8/openjdk-21", Some("1.18-2")), Sibling::None(_)));
    }

    #[test]
    fn deprecated_images_move_to_temurin() {
        assert_eq!(jre("docker.io", "library/openjdk", "8-jdk-alpine"), "eclipse-temurin:8-jre-alpine (8)");
        assert_eq!(jre("docker.io", "library/openjdk", "11-jdk-slim-buster"), "eclipse-temurin:11-jre (11)");
        assert_eq!(jre("docker.io", "library/openjdk", "8u212-jdk-alpine3.9"), "eclipse-temurin:8-jre-alpine (8)");
        assert_eq!(jre("docker.io", "library/java", "openjdk-8-jdk-alpine"), "eclipse-temurin:8-jre-alpine (8)");
        assert_eq!(jre("docker.io", "library/java", "8"), "eclipse-temurin:8-jre (8)");
        // No maintained Temurin of Java 7 or 14; Oracle Linux has no counterpart.
        assert!(matches!(jre_sibling("docker.io", "library/java", Some("7")), Sibling::None(_)));
        assert!(matches!(jre_sibling("docker.io", "library/openjdk", Some("14-jdk")), Sibling::None(_)));
        assert!(matches!(jre_sibling("docker.io", "library/openjdk", Some("17-jdk-oraclelinux8")), Sibling::None(_)));
        assert_eq!(jre_sibling("docker.io", "library/openjdk", Some("8-jre-alpine")), Sibling::Runtime);
        let (d, successor) = deprecation("docker.io", "library/openjdk", Some("8-jre-alpine")).unwrap();
        assert_eq!(d.since, "2022-07");
        assert_eq!(successor.as_deref(), Some("eclipse-temurin:8-jre-alpine"));
    }

    #[test]
    fn jdk_tools() {
        assert!(jdk_only("javac") && jdk_only("jcmd") && jdk_only("mvn"));
        assert!(!jdk_only("java") && !jdk_only("keytool"));
    }
}
