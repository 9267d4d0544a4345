//! `pom.xml`: the jar (or war) `mvn package` writes.
//!
//! The facts it relies on (Maven's POM reference, <https://maven.apache.org/pom.html>):
//! - The build writes `target/${finalName}.${packaging}`; `build/finalName` defaults to
//!   `${artifactId}-${version}`, and `packaging` to `jar` ("The Basics", "The BaseBuild Element Set").
//! - `version` may be inherited from `parent/version`; `${…}` names `properties` or `project.*` values.
//! - The Spring Boot Maven plugin (`org.springframework.boot:spring-boot-maven-plugin`) repackages that
//!   file in place into an executable jar, runnable with `java -jar`, and keeps the original as
//!   `.jar.original` (<https://docs.spring.io/spring-boot/maven-plugin/packaging.html>); `mvn
//!   spring-boot:run` runs the application from the sources instead.
//! - A POM with `packaging` `pom` and `modules` builds its modules, each into its own `target/`.
//!
//! The XML reader takes elements, text, comments, CDATA, processing instructions and a DOCTYPE, and no
//! more: entities other than the five predefined ones are kept as written.

use std::collections::BTreeMap;

use super::BuildContext;

#[derive(Clone, Debug, Default)]
pub struct Pom {
    pub path: String,
    pub artifact_id: Option<String>,
    pub version: Option<String>,
    pub packaging: String,
    pub final_name: Option<String>,
    pub spring_boot: bool,
    pub modules: Vec<String>,
}

pub fn read(ctx: &BuildContext, root: &str, bad: &mut dyn FnMut(&str, u32, u32, &str)) -> Option<Pom> {
    let path = format!("{root}pom.xml");
    let text = ctx.files.get(&path)?;
    let elements = match elements(text) {
        Ok(e) => e,
        Err((line, column, m)) => {
            bad(&path, line, column, &m);
            return None;
        }
    };
    let first = |p: &str| elements.iter().find(|(k, _)| k == p).map(|(_, v)| v.trim().to_owned());
    let all = |p: &str| elements.iter().filter(|(k, _)| k == p).map(|(_, v)| v.trim().to_owned()).collect::<Vec<_>>();
    let mut props: BTreeMap<String, String> = elements
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("project/properties/").filter(|n| !n.contains('/')).map(|n| (n.to_owned(), v.trim().to_owned())))
        .collect();
    let artifact_id = first("project/artifactId");
    let version = first("project/version").or_else(|| first("project/parent/version"));
    for (k, v) in [("artifactId", &artifact_id), ("version", &version)] {
        if let Some(v) = v {
            props.insert(format!("project.{k}"), v.clone());
            props.insert(k.to_owned(), v.clone());
        }
    }
    let resolve = |s: String| substitute(&s, &props);
    Some(Pom {
        artifact_id: artifact_id.clone().and_then(resolve),
        version: version.clone().and_then(resolve),
        packaging: first("project/packaging").unwrap_or_else(|| "jar".to_owned()),
        final_name: first("project/build/finalName").map(|f| resolve(f).unwrap_or_default()),
        spring_boot: all("project/build/plugins/plugin/artifactId").iter().any(|a| a == "spring-boot-maven-plugin"),
        modules: all("project/modules/module"),
        path,
    })
}

/// `${name}` replaced from `props`; `None` when one is unknown.
fn substitute(s: &str, props: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    for _ in 0..32 {
        let Some(at) = rest.find("${") else {
            out.push_str(rest);
            return Some(out);
        };
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}')? + at;
        out.push_str(props.get(&rest[at + 2..end])?);
        rest = &rest[end + 1..];
    }
    None
}

impl Pom {
    /// The file `mvn package` writes, relative to the POM's folder (`target/app-1.0.jar`), or why the
    /// POM cannot say.
    pub fn artifact(&self) -> Result<String, String> {
        if self.packaging == "pom" {
            return Err(format!("{} builds the modules {}, each into its own target/", self.path, self.modules.join(", ")));
        }
        let name = match &self.final_name {
            Some(f) if !f.is_empty() => f.clone(),
            Some(_) => return Err(format!("{}'s finalName uses a property it does not define", self.path)),
            None => match (&self.artifact_id, &self.version) {
                (Some(a), Some(v)) => format!("{a}-{v}"),
                _ => return Err(format!("{} does not name its artifactId and version (or uses a property it does not define)", self.path)),
            },
        };
        Ok(format!("target/{name}.{}", self.packaging))
    }

    /// How the POM names the artifact, for a change note.
    pub fn how(&self) -> String {
        match &self.final_name {
            Some(f) => format!("finalName {f}"),
            None => format!(
                "artifactId {}, version {}",
                self.artifact_id.as_deref().unwrap_or("?"),
                self.version.as_deref().unwrap_or("?")
            ),
        }
    }
}

/// Every element's path from the root (`project/build/finalName`) with its direct text, in document
/// order. Err: (line, column, message).
pub fn elements(text: &str) -> Result<Vec<(String, String)>, (u32, u32, String)> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    let place = |i: usize| {
        let before = &text[..i.min(text.len())];
        (before.matches('\n').count() as u32 + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1)
    };
    let err = |i: usize, m: &str| {
        let (l, c) = place(i);
        Err((l, c, m.to_owned()))
    };
    while i < b.len() {
        if b[i] != b'<' {
            let end = text[i..].find('<').map_or(b.len(), |e| e + i);
            if let Some((_, at)) = stack.last() {
                out[*at].1.push_str(&unescape(&text[i..end]));
            }
            i = end;
            continue;
        }
        let rest = &text[i..];
        let skip_to = |close: &str| rest.find(close).map(|e| i + e + close.len());
        if rest.starts_with("<!--") {
            i = match skip_to("-->") {
                Some(e) => e,
                None => return err(i, "unterminated comment"),
            };
        } else if rest.starts_with("<![CDATA[") {
            let Some(e) = rest.find("]]>") else { return err(i, "unterminated CDATA") };
            if let Some((_, at)) = stack.last() {
                out[*at].1.push_str(&rest[9..e]);
            }
            i += e + 3;
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            i = match skip_to(">") {
                Some(e) => e,
                None => return err(i, "unterminated declaration"),
            };
        } else if let Some(close) = rest.strip_prefix("</") {
            let Some(e) = close.find('>') else { return err(i, "unterminated closing tag") };
            let name = local(close[..e].trim());
            match stack.pop() {
                Some((open, _)) if open == name => {}
                Some((open, _)) => return err(i, &format!("</{name}> closes <{open}>")),
                None => return err(i, &format!("</{name}> closes nothing")),
            }
            i += 2 + e + 1;
        } else {
            let Some(e) = tag_end(rest) else { return err(i, "unterminated tag") };
            let inner = &rest[1..e];
            let self_closing = inner.ends_with('/');
            let name = local(inner.trim_end_matches('/').split_whitespace().next().unwrap_or(""));
            if name.is_empty() {
                return err(i, "a tag without a name");
            }
            let full: String = stack.iter().map(|(n, _)| n.as_str()).chain(std::iter::once(name.as_str())).collect::<Vec<_>>().join("/");
            out.push((full, String::new()));
            if !self_closing {
                if stack.len() >= 64 {
                    return err(i, "elements nested more than 64 deep");
                }
                stack.push((name, out.len() - 1));
            }
            i += e + 1;
        }
    }
    match stack.last() {
        Some((open, _)) => err(b.len(), &format!("<{open}> is not closed")),
        None => Ok(out),
    }
}

/// The `>` that ends a tag, outside quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (k, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(k),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// A name without its namespace prefix.
fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_owned()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.4</version>
    <relativePath/> <!-- lookup parent from repository -->
  </parent>
  <groupId>com.example</groupId>
  <artifactId>demo</artifactId>
  <version>0.0.1-SNAPSHOT</version>
  <properties>
    <java.version>21</java.version>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    fn pom(text: &str) -> Pom {
        let mut ctx = BuildContext::default();
        ctx.files.insert("pom.xml".into(), text.into());
        read(&ctx, "", &mut |_, l, c, m| panic!("{l}:{c}: {m}")).unwrap()
    }

    #[test]
    fn the_jar_a_spring_boot_pom_builds() {
        let p = pom(POM);
        assert_eq!(p.artifact(), Ok("target/demo-0.0.1-SNAPSHOT.jar".to_owned()));
        assert!(p.spring_boot);
        let named = POM.replace("<plugins>", "<finalName>${project.artifactId}</finalName>\n    <plugins>");
        assert_eq!(pom(&named).artifact(), Ok("target/demo.jar".to_owned()));
        let war = POM.replace("<properties>", "<packaging>war</packaging>\n  <properties>");
        assert_eq!(pom(&war).artifact(), Ok("target/demo-0.0.1-SNAPSHOT.war".to_owned()));
        let inherited = POM.replace("<version>0.0.1-SNAPSHOT</version>", "");
        assert_eq!(pom(&inherited).artifact(), Ok("target/demo-3.3.4.jar".to_owned()));
        let unknown = POM.replace("0.0.1-SNAPSHOT", "${revision}");
        assert!(pom(&unknown).artifact().unwrap_err().contains("property"));
        let parent = "<project><artifactId>all</artifactId><packaging>pom</packaging><modules><module>api</module></modules></project>";
        assert!(pom(parent).artifact().unwrap_err().contains("modules api"));
    }

    #[test]
    fn bad_xml_has_a_place() {
        let mut ctx = BuildContext::default();
        ctx.files.insert("pom.xml".into(), "<project>\n  <artifactId>x</version>\n</project>".into());
        let mut seen = vec![];
        assert!(read(&ctx, "", &mut |_, l, c, m| seen.push(format!("{l}:{c}: {m}"))).is_none());
        assert_eq!(seen, ["2:16: </version> closes <artifactId>"]);
        assert!(elements("<a><!-- x").is_err());
        assert!(elements("<a>").unwrap_err().2.contains("not closed"));
        assert_eq!(elements("<a x='>'>t&amp;u<![CDATA[<v>]]></a>").unwrap(), [("a".to_owned(), "t&u<v>".to_owned())]);
    }
}
