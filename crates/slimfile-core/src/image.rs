//! Image references: `[registry/]repository[:tag][@digest]`, as the Docker reference grammar reads them.

use crate::report::ImageRef;

/// Splits `resolved` (ARGs already substituted). `raw` is kept as written.
pub fn parse_ref(raw: &str, resolved: &str, unresolved: bool) -> ImageRef {
    let (name, digest) = match resolved.split_once('@') {
        Some((n, d)) => (n, Some(d.to_owned())),
        None => (resolved, None),
    };
    // The tag is after the last ':' that follows the last '/'.
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(name[last_slash + i + 1..].to_owned())),
        None => (name, None),
    };
    let (registry, repository) = match name.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            (first.to_owned(), rest.to_owned())
        }
        _ => ("docker.io".to_owned(), name.to_owned()),
    };
    let registry = if registry == "index.docker.io" || registry == "registry-1.docker.io" {
        "docker.io".to_owned()
    } else {
        registry
    };
    let repository = if registry == "docker.io" && !repository.contains('/') {
        format!("library/{repository}")
    } else {
        repository
    };
    ImageRef {
        raw: raw.to_owned(),
        resolved: resolved.to_owned(),
        registry,
        repository,
        tag: tag.filter(|t| !t.is_empty()),
        digest,
        unresolved,
    }
}

/// The short name people use: `golang` for `docker.io/library/golang`, `dotnet/sdk` for
/// `mcr.microsoft.com/dotnet/sdk`, `distroless/static-debian12` for gcr.io.
pub fn short_name(r: &ImageRef) -> &str {
    r.repository.strip_prefix("library/").unwrap_or(&r.repository)
}

/// The last path component: `golang`, `sdk`, `static-debian12`.
pub fn base_name(r: &ImageRef) -> &str {
    r.repository.rsplit('/').next().unwrap_or(&r.repository)
}

/// `name:tag` as it would be written back (registry kept unless docker.io).
pub fn display(r: &ImageRef) -> String {
    let mut s = if r.registry == "docker.io" { short_name(r).to_owned() } else { format!("{}/{}", r.registry, r.repository) };
    if let Some(t) = &r.tag {
        s.push(':');
        s.push_str(t);
    }
    if let Some(d) = &r.digest {
        s.push('@');
        s.push_str(d);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = parse_ref("golang:1.22", "golang:1.22", false);
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("docker.io", "library/golang", Some("1.22")));
        let r = parse_ref("x", "mcr.microsoft.com/dotnet/sdk:8.0", false);
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("mcr.microsoft.com", "dotnet/sdk", Some("8.0")));
        assert_eq!(base_name(&r), "sdk");
        let r = parse_ref("x", "localhost:5000/app@sha256:abc", false);
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref(), r.digest.as_deref()), ("localhost:5000", "app", None, Some("sha256:abc")));
        let r = parse_ref("x", "bitnami/nginx:1.25", false);
        assert_eq!((r.registry.as_str(), r.repository.as_str()), ("docker.io", "bitnami/nginx"));
        assert_eq!(display(&parse_ref("x", "gcr.io/distroless/static-debian12:nonroot", false)), "gcr.io/distroless/static-debian12:nonroot");
        assert_eq!(display(&parse_ref("x", "node:20-alpine", false)), "node:20-alpine");
    }
}
