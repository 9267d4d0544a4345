//! `build.gradle` / `build.gradle.kts` and `settings.gradle(.kts)`: the jar `gradle build` writes.
//!
//! The facts it relies on (Gradle's documentation):
//! - The jar is `build/libs/${archivesName}-${version}.jar`; `archivesName` (formerly
//!   `archivesBaseName`) defaults to the project's name, `version` is omitted when unspecified, and
//!   `archiveFileName` on the task replaces the whole name
//!   (<https://docs.gradle.org/current/dsl/org.gradle.api.tasks.bundling.Jar.html>,
//!   <https://docs.gradle.org/current/userguide/base_plugin.html>).
//! - The root project's name is `rootProject.name` from the settings file, else its folder's name
//!   (<https://docs.gradle.org/current/userguide/multi_project_builds.html#naming_recommendations>).
//! - With the Spring Boot plugin (`org.springframework.boot`), `bootJar` writes the executable jar under
//!   that name, and since Spring Boot 2.5 the `jar` task still writes a plain jar named `…-plain.jar`
//!   beside it unless it is disabled (<https://docs.spring.io/spring-boot/gradle-plugin/packaging.html>).
//!
//! Build scripts are programs: this reads the common assignments as text (`version = '1.0'`,
//! `rootProject.name = "app"`, `archivesName = …`, `archiveFileName = …` inside `bootJar { }` or
//! `jar { }`, `enabled = false` inside `jar { }`, plugin ids), nothing computed, and says it cannot tell
//! when a value is not a plain string.

use super::BuildContext;

#[derive(Clone, Debug, Default)]
pub struct Gradle {
    pub path: String,
    /// The settings file it read the name from, if any.
    pub settings: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub archives_name: Option<String>,
    /// `archiveFileName` of bootJar (with Spring Boot) or jar.
    pub file_name: Option<String>,
    pub spring_boot: bool,
    /// `jar { enabled = false }`.
    pub plain_jar_disabled: bool,
    /// The settings `include` subprojects.
    pub multi_project: bool,
    /// A value it needs is computed, not a plain string.
    pub computed: Vec<String>,
}

pub fn read(ctx: &BuildContext, root: &str, folder_name: &str) -> Option<Gradle> {
    let (path, text) = ["build.gradle.kts", "build.gradle"].iter().find_map(|n| {
        let p = format!("{root}{n}");
        ctx.files.get(&p).map(|t| (p, t))
    })?;
    let mut g = Gradle { path, ..Gradle::default() };
    if let Some((sp, st)) = ["settings.gradle.kts", "settings.gradle"].iter().find_map(|n| {
        let p = format!("{root}{n}");
        ctx.files.get(&p).map(|t| (p, t))
    }) {
        for line in st.lines() {
            let t = line.trim();
            if let Some(v) = assignment(t, "rootProject.name") {
                g.name = Some(v);
                g.settings = Some(sp.clone());
            }
            if t.starts_with("include") {
                g.multi_project = true;
            }
        }
    }
    if g.name.is_none() && !folder_name.is_empty() {
        g.name = Some(folder_name.to_owned());
    }
    let mut blocks: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.split("//").next().unwrap_or("").trim();
        let block = blocks.last().map(String::as_str).unwrap_or("");
        if t.contains("org.springframework.boot") && (t.starts_with("id") || t.starts_with("apply")) {
            g.spring_boot = true;
        }
        match block {
            "" => {
                if let Some(v) = assignment_or_computed(t, "version", &mut g.computed) {
                    g.version = Some(v);
                }
                for key in ["archivesBaseName", "archivesName", "base.archivesName"] {
                    if let Some(v) = assignment_or_computed(t, key, &mut g.computed) {
                        g.archives_name = Some(v);
                    }
                }
            }
            "base" => {
                if let Some(v) = assignment_or_computed(t, "archivesName", &mut g.computed) {
                    g.archives_name = Some(v);
                }
            }
            "bootJar" | "tasks.bootJar" | "tasks.named<BootJar>(\"bootJar\")" | "jar" | "tasks.jar" => {
                let boot = block.contains("ootJar");
                if let Some(v) = assignment_or_computed(t, "archiveFileName", &mut g.computed) {
                    if boot || !g.spring_boot {
                        g.file_name = Some(v);
                    }
                }
                if !boot && (t == "enabled = false" || t == "isEnabled = false") {
                    g.plain_jar_disabled = true;
                }
            }
            _ => {}
        }
        for c in t.chars() {
            match c {
                '{' => blocks.push(t.split('{').next().unwrap_or("").trim().to_owned()),
                '}' => {
                    blocks.pop();
                }
                _ => {}
            }
        }
    }
    Some(g)
}

/// `key = 'v'`, `key = "v"`, `key 'v'`, `key.set("v")`.
fn assignment(t: &str, key: &str) -> Option<String> {
    let rest = t.strip_prefix(key)?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(".set(")).unwrap_or(rest).trim().trim_end_matches(')').trim();
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = rest[1..].strip_suffix(q)?;
    (!inner.contains(['$', q])).then(|| inner.to_owned())
}

/// An assignment to `key`; a value that is not a plain string is noted as computed.
fn assignment_or_computed(t: &str, key: &str, computed: &mut Vec<String>) -> Option<String> {
    let v = assignment(t, key);
    let assigns = t.strip_prefix(key).is_some_and(|r| {
        let r = r.trim_start();
        r.starts_with('=') || r.starts_with(".set(")
    });
    if v.is_none() && assigns {
        computed.push(key.to_owned());
    }
    v
}

impl Gradle {
    /// The executable jar, relative to the project's folder, or why the build scripts cannot say.
    pub fn artifact(&self) -> Result<String, String> {
        if self.multi_project {
            return Err(format!("{} includes subprojects, each with its own build/libs/", self.settings.as_deref().unwrap_or(&self.path)));
        }
        if let Some(c) = self.computed.first() {
            return Err(format!("{}'s {c} is computed, not written as a string", self.path));
        }
        if let Some(f) = &self.file_name {
            return Ok(format!("build/libs/{f}"));
        }
        let base = self.archives_name.clone().or_else(|| self.name.clone()).ok_or_else(|| format!("{} does not name the project", self.path))?;
        Ok(match self.version.as_deref() {
            Some(v) if v != "unspecified" => format!("build/libs/{base}-{v}.jar"),
            _ => format!("build/libs/{base}.jar"),
        })
    }

    /// How the build scripts name the jar, for a change note.
    pub fn how(&self) -> String {
        self.settings.as_ref().map_or_else(|| "its project name and version".to_owned(), |s| format!("the name in {s} and its version"))
    }

    /// Whether `build/libs/` also holds the plain jar beside the executable one.
    pub fn two_jars(&self) -> bool {
        self.spring_boot && !self.plain_jar_disabled && self.file_name.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradle(files: &[(&str, &str)], folder: &str) -> Gradle {
        let mut ctx = BuildContext::default();
        for (p, t) in files {
            ctx.files.insert((*p).into(), (*t).into());
        }
        read(&ctx, "", folder).unwrap()
    }

    const BOOT: &str = "plugins {\n    id 'java'\n    id 'org.springframework.boot' version '3.3.4'\n    id 'io.spring.dependency-management' version '1.1.6'\n}\n\ngroup = 'com.example'\nversion = '0.0.1-SNAPSHOT'\n\njava {\n    toolchain {\n        languageVersion = JavaLanguageVersion.of(21)\n    }\n}\n";

    #[test]
    fn groovy_and_kotlin_scripts() {
        let g = gradle(&[("build.gradle", BOOT), ("settings.gradle", "rootProject.name = 'demo'\n")], "app");
        assert_eq!(g.artifact(), Ok("build/libs/demo-0.0.1-SNAPSHOT.jar".into()));
        assert!(g.two_jars());
        let no_plain = format!("{BOOT}\njar {{\n    enabled = false\n}}\n");
        assert!(!gradle(&[("build.gradle", &no_plain)], "app").two_jars());
        let named = format!("{BOOT}\ntasks.named<BootJar>(\"bootJar\") {{\n    archiveFileName.set(\"service.jar\")\n}}\n");
        assert_eq!(gradle(&[("build.gradle.kts", &named)], "app").artifact(), Ok("build/libs/service.jar".into()));
        // No settings: the folder's name.
        let g = gradle(&[("build.gradle.kts", "plugins { java }\nversion = \"1.2\"\n")], "work");
        assert_eq!(g.artifact(), Ok("build/libs/work-1.2.jar".into()));
        let computed = gradle(&[("build.gradle", "version = System.getenv('V')\n")], "x");
        assert!(computed.artifact().unwrap_err().contains("version is computed"));
        let multi = gradle(&[("build.gradle", BOOT), ("settings.gradle", "rootProject.name = 'x'\ninclude 'api', 'core'\n")], "x");
        assert!(multi.artifact().unwrap_err().contains("subprojects"));
    }
}
