//! Image references and `--map`: which local stand-in replaces each FROM image and `COPY --from` image
//! in the temporary copies of the two Dockerfiles (the user's file is only read), and the image a final
//! stage starts from.

use std::collections::BTreeMap;

/// `ubuntu` → `docker.io/library/ubuntu:latest`; digests are kept.
pub fn normalize(reference: &str) -> String {
    let r = reference.trim();
    let (name, suffix) = match r.find('@') {
        Some(at) => (&r[..at], r[at..].to_owned()),
        None => {
            let slash = r.rfind('/').map_or(0, |s| s + 1);
            match r[slash..].find(':') {
                Some(c) => (&r[..slash + c], r[slash + c..].to_owned()),
                None => (r, ":latest".to_owned()),
            }
        }
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name.to_owned()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{suffix}")
}

/// Image references and their stand-ins, read from a map file.
#[derive(Debug, Default)]
pub struct ImageMap {
    exact: BTreeMap<String, String>,
    /// `repository:*` → stand-in (the key is the normalized repository).
    any_tag: BTreeMap<String, String>,
}

impl ImageMap {
    pub fn parse(text: &str) -> Result<ImageMap, String> {
        let mut m = ImageMap::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().filter(|w| *w != "->" && *w != "=>").collect();
            let [from, to] = words[..] else {
                return Err(format!("line {}: expected 'IMAGE  STAND-IN', got '{line}'", n + 1));
            };
            if let Some(repo) = from.strip_suffix(":*") {
                let repo = normalize(repo);
                m.any_tag.insert(repo.trim_end_matches(":latest").to_owned(), to.to_owned());
            } else {
                m.exact.insert(normalize(from), to.to_owned());
            }
        }
        Ok(m)
    }

    pub fn get(&self, reference: &str) -> Option<&str> {
        if reference.contains('$') {
            return None;
        }
        let n = normalize(reference);
        if let Some(s) = self.exact.get(&n) {
            return Some(s);
        }
        let repo = match n.find('@') {
            Some(at) => &n[..at],
            None => &n[..n.rfind(':').unwrap_or(n.len())],
        };
        self.any_tag.get(repo).map(String::as_str)
    }

    /// `text` with the images of FROM lines and `COPY --from=<image>` replaced by their stand-ins; the
    /// list says what was replaced.
    pub fn apply(&self, text: &str) -> (String, Vec<(String, String)>) {
        let mut out = String::with_capacity(text.len());
        let mut done = vec![];
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let first = trimmed.split_whitespace().next().unwrap_or("");
            let mut words: Vec<String> = vec![];
            let mut changed = false;
            if first.eq_ignore_ascii_case("FROM") {
                // FROM [--platform=…] IMAGE [AS NAME]
                let mut seen_image = false;
                for w in trimmed.split_whitespace() {
                    if !seen_image && !w.eq_ignore_ascii_case("FROM") && !w.starts_with("--") {
                        seen_image = true;
                        if let Some(s) = self.get(w) {
                            done.push((w.to_owned(), s.to_owned()));
                            words.push(s.to_owned());
                            changed = true;
                            continue;
                        }
                    }
                    words.push(w.to_owned());
                }
            } else if first.eq_ignore_ascii_case("COPY") || first.eq_ignore_ascii_case("ADD") {
                for w in trimmed.split_whitespace() {
                    if let Some(img) = w.strip_prefix("--from=") {
                        if let Some(s) = self.get(img).filter(|_| img.contains(':') || img.contains('/')) {
                            done.push((img.to_owned(), s.to_owned()));
                            words.push(format!("--from={s}"));
                            changed = true;
                            continue;
                        }
                    }
                    words.push(w.to_owned());
                }
            }
            if changed {
                let end = if line.ends_with("\r\n") { "\r\n" } else if line.ends_with('\n') { "\n" } else { "" };
                out.push_str(indent);
                out.push_str(&words.join(" "));
                out.push_str(end);
            } else {
                out.push_str(line);
            }
        }
        (out, done)
    }
}

/// The image the final stage starts from (through `FROM <stage>`), `None` for scratch or ARG-built names.
pub fn final_base(text: &str) -> Option<String> {
    let mut stages: Vec<(String, Option<String>)> = vec![];
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        if words.first().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) && words.len() >= 2 {
            let alias = (words.len() >= 4 && words[2].eq_ignore_ascii_case("AS")).then(|| words[3].to_ascii_lowercase());
            stages.push((words[1].to_owned(), alias));
        }
    }
    let mut image = stages.last()?.0.clone();
    for _ in 0..stages.len() {
        match stages.iter().find(|(_, a)| a.as_deref() == Some(image.to_ascii_lowercase().as_str())) {
            Some((base, _)) => image = base.clone(),
            None => break,
        }
    }
    (!image.eq_ignore_ascii_case("scratch") && !image.contains('$')).then_some(image)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_references() {
        assert_eq!(normalize("ubuntu"), "docker.io/library/ubuntu:latest");
        assert_eq!(normalize("golang:1.22-bookworm"), "docker.io/library/golang:1.22-bookworm");
        assert_eq!(normalize("nginxinc/nginx-unprivileged:1.27"), "docker.io/nginxinc/nginx-unprivileged:1.27");
        assert_eq!(normalize("gcr.io/distroless/static-debian12:nonroot"), "gcr.io/distroless/static-debian12:nonroot");
        assert_eq!(normalize("localhost:5000/x"), "localhost:5000/x:latest");
    }

    #[test]
    fn maps_from_lines_in_a_copy() {
        let m = ImageMap::parse(
            "# comment\nubuntu  localhost/debian:bookworm\ngolang:*  localhost/golang:bookworm\n\
             gcr.io/distroless/static-debian12:nonroot localhost/distroless-static:nonroot\n",
        )
        .unwrap();
        let text = "FROM ubuntu:latest AS build\nRUN echo FROM ubuntu\nfrom --platform=$BUILDPLATFORM golang:1.22 AS b\r\n\
                    FROM build\nCOPY --from=gcr.io/distroless/static-debian12:nonroot /etc/passwd /p\nCOPY --from=build /a /a\n";
        let (out, done) = m.apply(text);
        assert_eq!(
            out,
            "FROM localhost/debian:bookworm AS build\nRUN echo FROM ubuntu\nfrom --platform=$BUILDPLATFORM localhost/golang:bookworm AS b\r\n\
             FROM build\nCOPY --from=localhost/distroless-static:nonroot /etc/passwd /p\nCOPY --from=build /a /a\n"
        );
        assert_eq!(done.len(), 3);
        assert!(ImageMap::parse("just-one-word\n").is_err());
    }

    #[test]
    fn finds_the_final_base() {
        assert_eq!(final_base("FROM a:1 AS build\nFROM scratch\n"), None);
        assert_eq!(final_base("FROM a:1 AS build\nFROM --platform=x b:2 AS run\n").as_deref(), Some("b:2"));
        assert_eq!(final_base("FROM a:1 AS Build\nFROM build\n").as_deref(), Some("a:1"));
    }
}
