//! The Python packages an app installs: `poetry.lock` or `uv.lock` (every package, dependencies of
//! dependencies included), else `requirements*.txt`, else `pyproject.toml`'s dependencies.
//!
//! The facts it relies on:
//! - Requirement lines (<https://pip.pypa.io/en/stable/reference/requirements-file-format/>): a name
//!   with extras and a version specifier, `#` comments, `-r FILE` includes, `-c`, `-e`, `--index-url` and
//!   other options, environment markers after `;`. A hand-written file lists what the app imports, not
//!   what those packages depend on, pinned or not; `pip-compile` writes the whole set, pinned with `==`,
//!   each line annotated `# via …` or with `--hash` (<https://pip-tools.readthedocs.io/en/latest/>): only
//!   such a file counts as the whole set.
//! - Names compare after PEP 503 normalisation: lower case, runs of `-`, `_`, `.` as one `-`
//!   (<https://peps.python.org/pep-0503/#normalized-names>).
//! - pyproject.toml: PEP 621's `[project] dependencies` (<https://packaging.python.org/en/latest/specifications/pyproject-toml/>),
//!   Poetry's `[tool.poetry.dependencies]` table, whose `python` key is the interpreter
//!   (<https://python-poetry.org/docs/pyproject/#dependencies-and-dependency-groups>).
//! - poetry.lock and uv.lock hold one `[[package]]` table per installed package with its `name`
//!   (uv.lock lists the project itself too, which is not a dependency).
//!
//! Which packages carry native code, and what it links, is data (`data/project-packages.json`).

use super::toml;
use super::BuildContext;

#[derive(Clone, Debug, Default)]
pub struct Deps {
    /// The file the set was read from.
    pub file: String,
    /// Normalised names.
    pub packages: Vec<String>,
    /// The set is whole: a lockfile, or pip-compile's output.
    pub complete: bool,
}

pub fn normalize(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

pub fn read(ctx: &BuildContext, root: &str, bad: &mut dyn FnMut(&str, u32, u32, &str)) -> Option<Deps> {
    let project_name = ctx.files.get(&format!("{root}pyproject.toml")).and_then(|t| toml::parse(t).ok()).and_then(|d| d.str("project", "name").map(normalize));
    for lock in ["poetry.lock", "uv.lock"] {
        let path = format!("{root}{lock}");
        let Some(text) = ctx.files.get(&path) else { continue };
        match toml::parse(text) {
            Ok(doc) => {
                let packages: Vec<String> = doc
                    .array("package")
                    .iter()
                    .filter_map(|t| doc.str(t, "name").map(normalize))
                    .filter(|n| Some(n) != project_name.as_ref())
                    .collect();
                return Some(Deps { file: path, packages, complete: true });
            }
            Err(e) => bad(&path, e.line, e.column, &e.message),
        }
    }
    let mut req: Vec<&String> = ctx.files.keys().filter(|p| is_requirements(p, root)).collect();
    req.sort_by_key(|p| (p.contains("dev") || p.contains("test") || p.contains("lint") || p.contains("doc"), p.len()));
    if let Some(path) = req.first() {
        let mut d = Deps { file: (*path).clone(), complete: true, ..Deps::default() };
        requirements(ctx, path, &mut d, 0);
        let compiled = ctx.files.get(*path).is_some_and(|t| t.contains("# via") || t.contains("--hash="));
        d.complete &= compiled && !d.packages.is_empty();
        d.packages.sort();
        d.packages.dedup();
        return Some(d);
    }
    let path = format!("{root}pyproject.toml");
    let text = ctx.files.get(&path)?;
    let doc = match toml::parse(text) {
        Ok(d) => d,
        Err(e) => {
            bad(&path, e.line, e.column, &e.message);
            return None;
        }
    };
    let mut packages: Vec<String> = doc.get("project", "dependencies").map(toml::Value::strings).unwrap_or_default().iter().filter_map(|r| requirement_name(r)).collect();
    packages.extend(doc.keys("tool.poetry.dependencies").into_iter().filter(|k| *k != "python").map(normalize));
    Some(Deps { file: path, packages, complete: false })
}

fn is_requirements(p: &str, root: &str) -> bool {
    let Some(rel) = p.strip_prefix(root) else { return false };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    (name.starts_with("requirements") && name.ends_with(".txt") && !rel.contains('/')) || (rel.starts_with("requirements/") && name.ends_with(".txt"))
}

fn requirements(ctx: &BuildContext, path: &str, d: &mut Deps, depth: usize) {
    let Some(text) = ctx.files.get(path) else {
        d.complete = false;
        return;
    };
    let dir = path.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"));
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(inc) = line.strip_prefix("-r ").or_else(|| line.strip_prefix("--requirement ")) {
            if depth < 8 {
                requirements(ctx, &format!("{dir}{}", inc.trim()), d, depth + 1);
            }
            continue;
        }
        if line.starts_with('-') {
            // -e, -c, --index-url, --hash continuation lines: not a pinned name.
            if line.starts_with("-e") || line.starts_with("--editable") {
                d.complete = false;
            }
            continue;
        }
        match requirement_name(line) {
            Some(n) => {
                if !line.contains("==") {
                    d.complete = false;
                }
                d.packages.push(n);
            }
            None => d.complete = false,
        }
    }
}

/// The normalised name of a requirement (`Flask[async]>=3 ; python_version>"3.8"` → `flask`).
fn requirement_name(r: &str) -> Option<String> {
    let r = r.split(';').next()?.trim();
    if r.contains("://") || r.starts_with('.') || r.starts_with('/') {
        return None;
    }
    let end = r.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(r.len());
    let name = &r[..end];
    (!name.is_empty()).then(|| normalize(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(files: &[(&str, &str)]) -> Deps {
        let mut ctx = BuildContext::default();
        for (p, t) in files {
            ctx.files.insert((*p).into(), (*t).into());
        }
        read(&ctx, "", &mut |f, l, c, m| panic!("{f}:{l}:{c}: {m}")).unwrap()
    }

    #[test]
    fn requirement_files() {
        let d = deps(&[("requirements.txt", "# web\nFlask==3.0.3\nWerkzeug==3.0.4\n    # via flask\n-r requirements/base.txt\n--index-url https://example.org/simple\n"), ("requirements/base.txt", "psycopg2==2.9.9 ; python_version >= \"3.8\"\n"), ("requirements-dev.txt", "pytest\n")]);
        assert_eq!(d.file, "requirements.txt");
        assert_eq!(d.packages, ["flask", "psycopg2", "werkzeug"]);
        assert!(d.complete, "pip-compile's output, every line pinned");
        let d = deps(&[("requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\n")]);
        assert!(!d.complete, "pinned by hand: what flask depends on is not listed");
        let d = deps(&[("requirements.txt", "flask>=3\nPyYAML\n")]);
        assert_eq!(d.packages, ["flask", "pyyaml"]);
        assert!(!d.complete);
        assert_eq!(normalize("Typing_Extensions"), "typing-extensions");
        assert_eq!(normalize("zope.interface"), "zope-interface");
    }

    #[test]
    fn locks_and_pyproject() {
        let lock = "[[package]]\nname = \"Flask\"\nversion = \"3.0.3\"\n\n[[package]]\nname = \"blinker\"\nversion = \"1.8.2\"\n\n[package.dependencies]\nx = \"1\"\n";
        let d = deps(&[("poetry.lock", lock), ("requirements.txt", "django\n")]);
        assert_eq!((d.file.as_str(), d.packages.clone(), d.complete), ("poetry.lock", vec!["flask".to_owned(), "blinker".to_owned()], true));
        let uv = "version = 1\n\n[[package]]\nname = \"shop\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"fastapi\"\n";
        let d = deps(&[("uv.lock", uv), ("pyproject.toml", "[project]\nname = \"shop\"\n")]);
        assert_eq!(d.packages, ["fastapi"]);
        let d = deps(&[("pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"fastapi>=0.110\", \"uvicorn[standard]\"]\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"^2\"\n")]);
        assert_eq!(d.packages, ["fastapi", "uvicorn", "requests"]);
        assert!(!d.complete);
    }
}
