//! Java: Maven or Gradle builds the jar in the original stage; it runs on distroless/java of the same JDK
//! major version, or on the JRE image of the builder's line when the command needs a shell or no
//! distroless image has that version. `boot`: `spring-boot:run` and `bootRun` become a packaged jar;
//! `tool_options`: `$JAVA_OPTS` becomes JAVA_TOOL_OPTIONS.

mod boot;
mod tool_options;

pub use boot::boot_run;
pub(crate) use tool_options::tool_options;

use super::images;
use super::shared::{add_cache_mounts, missing_packages};
use super::split::{json_array, AppFiles, Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, normalize, ArtKind, Eco, StageFacts};
use crate::knowledge::runtimes;
use crate::knowledge::siblings::{self, Sibling};
use crate::report::RuntimeFamily;

/// `java [opts] -jar JAR [args]` → (opts, jar, args).
pub fn java_jar(argv: &[String]) -> Option<(Vec<String>, String, Vec<String>)> {
    let prog = argv.first()?.rsplit('/').next()?;
    if prog != "java" {
        return None;
    }
    let j = argv.iter().position(|a| a == "-jar")?;
    let jar = argv.get(j + 1)?.clone();
    Some((argv[1..j].to_vec(), jar, argv[j + 2..].to_vec()))
}

/// The distroless java image for a JDK major version: the newest maintained one
/// ([`images::distroless`]; the JVM is the image's own, so the builder's glibc does not bound it). Err:
/// why there is none.
pub fn distroless_java(ctx: &Ctx, version: &str) -> Result<&'static runtimes::RuntimeImage, String> {
    images::distroless(ctx, "distroless/java", Some(version), None)
}

pub fn temurin_jre(version: &str) -> String {
    format!("eclipse-temurin:{version}-jre")
}

/// The JRE for a jar built in stage `f`: the builder image's own runtime sibling of the same Java version
/// when the data knows one (`eclipse-temurin:17-jdk-alpine` → `17-jre-alpine`, the deprecated
/// `java:openjdk-8-jdk-alpine` → `eclipse-temurin:8-jre-alpine`), else Temurin's JRE of that version.
pub fn jre_for(f: &StageFacts, version: &str) -> String {
    if let Some(img) = &f.image {
        if let Sibling::Jre { registry, repository, tag, java } = siblings::jre_sibling(&img.registry, &img.repository, img.tag.as_deref()) {
            if java == version {
                return match registry {
                    Some(r) => format!("{r}/{repository}:{tag}"),
                    None => format!("{repository}:{tag}"),
                };
            }
        }
    }
    temurin_jre(version)
}

/// What to copy for a jar: Quarkus's fast-jar is the whole `quarkus-app` folder.
pub fn jar_copy(jar_abs: &str) -> String {
    match jar_abs.rsplit_once('/') {
        Some((dir, _)) if dir.ends_with("/quarkus-app") => dir.to_owned(),
        _ => jar_abs.to_owned(),
    }
}

pub fn rewrite(ctx: &Ctx) -> Outcome {
    let f = ctx.target();
    let eco = Some(Eco::Java);
    let mut split = Split::new(ctx);
    let Jar { built, at: jar_abs, opts, jar, args, from_boot, resolved } = match the_jar(ctx, &mut split) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let Some(version) = f.version.clone() else {
        return refused(eco, ["the JDK version of the builder is not in its tag, so no runtime of the same Java version can be chosen".to_owned()]);
    };
    let target = ctx.options.target;
    if let Some(t) = target {
        if !matches!(t, RuntimeFamily::DistrolessJava | RuntimeFamily::Slim) {
            return refused(eco, [format!("a Java app does not run on {}: it needs a JRE (distroless/java or slim)", t.as_str())]);
        }
    }
    let extra = missing_packages(ctx, RuntimeFamily::DistrolessJava);
    // A shell that only expands $JAVA_OPTS is no need on distroless/java: the JVM reads JAVA_TOOL_OPTIONS.
    let tool = tool_options(ctx, f);
    let opts: Vec<String> = match &tool {
        Some(t) => t.without_variable(&opts),
        None => opts,
    };
    // A command that is replaced (spring-boot:run), only needs the shell for $JAVA_OPTS, or only to expand
    // the jar's pattern once the project's build file names the jar (`java -jar target/*.jar`, `sh -c "exec
    // java -jar …"`) needs no shell: it becomes exec form.
    let plain_words = opts.iter().chain(&args).all(|w| crate::shell::shell_syntax(w).is_none());
    let replaced = tool.is_some() || from_boot || (resolved && plain_words);
    let from_command = |r: &String| (r.contains("CMD") || r.contains("ENTRYPOINT")) && !r.contains("HEALTHCHECK");
    let shell_reasons: Vec<String> = ctx.analysis.needs.shell.iter().filter(|r| !(replaced && from_command(r))).cloned().collect();
    let needs_shell = !shell_reasons.is_empty();
    let chosen = (target != Some(RuntimeFamily::Slim) && !needs_shell && extra.is_empty()).then(|| distroless_java(ctx, &version));
    let no_image = chosen.as_ref().and_then(|c| c.as_ref().err().cloned());
    let runtime = match chosen.and_then(Result::ok) {
        Some(img) => {
            let has_opts = !opts.is_empty();
            // The original's own words `java [opts] -jar JAR`: each stays in the instruction it came from
            // (ENTRYPOINT stays ENTRYPOINT, CMD stays CMD), naming the image's java by its path.
            let argv = final_argv(ctx.doc, f).unwrap_or_default();
            let image_ep: Vec<String> = img.entrypoint.iter().map(|w| (*w).to_owned()).collect();
            let words = opts.len() + 3;
            let as_written = !from_boot
                && tool.is_none()
                && argv.len() >= words
                && argv[0].rsplit('/').next() == Some("java")
                && argv[1..words - 2] == opts[..]
                && argv[words - 2] == "-jar"
                && argv[words - 1] == jar;
            let (command, note, at) = if as_written {
                let java = image_ep.first().cloned().unwrap_or_else(|| "/usr/bin/java".to_owned());
                let with: Vec<String> = std::iter::once(java).chain(opts.iter().cloned()).chain(["-jar".to_owned(), jar.clone()]).collect();
                let command = split.keep_kinds(&argv, words, with, &image_ep);
                let entrypoint: Vec<&str> = image_ep.iter().map(String::as_str).collect();
                let note = super::split::interpreter_note("distroless/java", &entrypoint, &command, f.entrypoint.is_some());
                (command, note, f.entrypoint.or(f.cmd))
            } else {
                let (ep, cmd) = distroless_command(opts, &jar, args, from_boot && f.entrypoint.is_some());
                let note = match &ep {
                    None => format!("The command is now `CMD {}`: distroless/java's ENTRYPOINT is `java -jar`.", json_array(cmd.as_deref().unwrap_or_default())),
                    Some(e) if has_opts => format!("The command is now `ENTRYPOINT {}`: the JVM options come before -jar, which distroless/java's own ENTRYPOINT cannot take.", json_array(e)),
                    Some(e) => format!("The command is now `ENTRYPOINT {}`: it was an ENTRYPOINT, so `docker run` arguments still follow the jar; it replaces distroless/java's own (`java -jar`).", json_array(e)),
                };
                ((ep, cmd), note, f.cmd.or(f.entrypoint))
            };
            split.command = Some(command);
            if let Some(t) = &tool {
                t.apply(ctx, &mut split);
            }
            split.changes.push(ctx.change("interpreter-entrypoint", note, at));
            Runtime::new(
                RuntimeFamily::DistrolessJava,
                img.image.to_owned(),
                format!("the jar needs only a Java {version} runtime, which distroless/java has without a shell or package manager.{}", images::release_words(None, "", img)),
            )
        }
        None => {
            let no_image = no_image.unwrap_or_else(|| format!("no distroless/java image runs Java {version}"));
            if target == Some(RuntimeFamily::DistrolessJava) {
                return refused(eco, [if needs_shell {
                    format!("{}, and distroless/java has no shell", shell_reasons.join("; "))
                } else if !extra.is_empty() {
                    format!("the app needs {} at run time, which distroless cannot install", extra.join(", "))
                } else {
                    no_image
                }]);
            }
            if from_boot {
                // The JRE runs the packaged jar, in the instruction kind the original used.
                let mut java = vec!["java".to_owned(), "-jar".to_owned(), jar.clone()];
                java.extend(args);
                split.command = Some(if f.entrypoint.is_some() { (Some(java), None) } else { (None, Some(java)) });
            }
            let why = if needs_shell {
                format!("{}; the JRE image keeps a shell and drops the JDK and build tools.", shell_reasons.join("; "))
            } else if !extra.is_empty() {
                format!("the app needs {} at run time; the JRE image can install it.", extra.join(", "))
            } else {
                format!("{no_image}; the JRE image of the same version runs the jar.")
            };
            let mut r = Runtime::new(RuntimeFamily::Slim, jre_for(f, &version), why);
            r.packages = missing_packages(ctx, RuntimeFamily::Slim);
            r
        }
    };
    let to = jar_copy(&jar_abs);
    split.copy(if from_boot { built } else { to.clone() }, to);
    split.app_files = AppFiles::Gather;
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "maven" | "gradle")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.gradle", "Maven and Gradle");
    }
    split.into_outcome(runtime, "java", eco)
}

/// The jar the command runs.
struct Jar {
    /// Its path in the builder.
    built: String,
    /// Its path in the final image.
    at: String,
    /// The JVM options.
    opts: Vec<String>,
    /// The jar as the final command names it.
    jar: String,
    /// The app's arguments.
    args: Vec<String>,
    /// It comes from a `spring-boot:run` or `bootRun` the builder now packages.
    from_boot: bool,
    /// The project's build file named it (the command's own words did not).
    resolved: bool,
}

/// The jar the command runs. Err: the refusal.
fn the_jar(ctx: &Ctx, split: &mut Split) -> Result<Jar, Outcome> {
    let f = ctx.target();
    let eco = Some(Eco::Java);
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    if let Some(run) = boot_run(&argv) {
        let run = run.map_err(|why| refused(eco, [why]))?;
        let packaged = run.package(ctx, split).map_err(|why| refused(eco, [why]))?;
        return Ok(Jar { built: packaged.built, at: packaged.at, opts: vec![], jar: packaged.jar, args: run.app_args, from_boot: true, resolved: true });
    }
    let Some((opts, jar, args)) = java_jar(&argv) else {
        return Err(refused(
            eco,
            [format!(
                "the final command (`{}`) does not run `java -jar <file>`, so slimfile cannot tell which jar and classpath the app needs",
                argv.join(" ")
            )],
        ));
    };
    let mut resolved = false;
    let jar = if jar.contains('*') && !jar.contains('$') {
        match built_jar(ctx, &jar) {
            Some(Ok((built, note))) => {
                split.changes.push(note);
                resolved = true;
                built
            }
            Some(Err(why)) => return Err(refused(eco, [why])),
            None => {
                return Err(refused(
                    eco,
                    [format!("the jar path `{jar}` is a pattern; name the jar file so that it can be copied (or give slimfile the project's pom.xml or build.gradle)")],
                ))
            }
        }
    } else {
        jar
    };
    if jar.contains('$') {
        return Err(refused(eco, [format!("the jar path `{jar}` is a variable; name the jar file so that it can be copied")]));
    }
    let jar_abs = normalize(&if jar.starts_with('/') { jar.clone() } else { format!("{}/{jar}", f.workdir) });
    if !produced(f, &jar_abs) {
        return Err(refused(eco, [format!("no Maven or Gradle step in this stage writes `{jar_abs}`, which the command runs")]));
    }
    Ok(Jar { built: jar_abs.clone(), at: jar_abs, opts, jar, args, from_boot: false, resolved })
}

/// The jar the project's pom.xml or build.gradle says the build writes, as the command names it
/// (relative to the WORKDIR, or absolute as `pattern` is), with the change note; `None` without either
/// file; Err when the file says the pattern matches no jar, or two.
pub fn built_jar(ctx: &Ctx, pattern: &str) -> Option<Result<(String, crate::report::Change), String>> {
    let f = ctx.target();
    let project = ctx.project?;
    let (file, artifact, how) = if let Some(pom) = &project.maven {
        (pom.path.clone(), pom.artifact(), pom.how())
    } else {
        let g = project.gradle.as_ref()?;
        if g.two_jars() {
            if let Ok(a) = g.artifact() {
                let plain = a.replace(".jar", "-plain.jar");
                if crate::context::dockerignore::matches(pattern, &plain) || crate::context::dockerignore::matches(&normalize(&format!("{}/{pattern}", f.workdir)), &normalize(&format!("{}/{plain}", f.workdir))) {
                    project.cite(&g.path);
                    return Some(Err(format!(
                        "`{pattern}` matches two jars: {} builds {a} with the Spring Boot plugin and the plain {plain} beside it, and java -jar takes the first, the plain one; name the jar, or disable the plain jar (`jar {{ enabled = false }}`)",
                        g.path
                    )));
                }
            }
        }
        (g.path.clone(), g.artifact(), g.how())
    };
    let artifact = match artifact {
        Ok(a) => a,
        Err(e) => return Some(Err(format!("the jar path `{pattern}` is a pattern, and {e}"))),
    };
    let absolute = pattern.starts_with('/');
    let candidate = if absolute { normalize(&format!("{}/{artifact}", f.workdir)) } else { artifact.clone() };
    if !crate::context::dockerignore::matches(pattern, &candidate) {
        return Some(Err(format!("the jar path `{pattern}` does not match {artifact}, the jar {file} builds")));
    }
    let file = project.cite(&file);
    let note = ctx.change(
        "jar-name",
        format!("{file} builds {artifact} ({how}): the final image runs that jar, which `{pattern}` names."),
        f.cmd.or(f.entrypoint),
    );
    Some(Ok((candidate, note)))
}

/// distroless/java's command: its ENTRYPOINT is `java -jar`, so CMD is the jar and its arguments; JVM options,
/// or an original ENTRYPOINT (whose `docker run` arguments must still follow the jar's), need an ENTRYPOINT
/// of its own.
fn distroless_command(opts: Vec<String>, jar: &str, args: Vec<String>, entrypoint: bool) -> super::split::ExecCommand {
    if opts.is_empty() && !entrypoint {
        let mut c = vec![jar.to_owned()];
        c.extend(args);
        return (None, Some(c));
    }
    let mut e = vec!["/usr/bin/java".to_owned()];
    e.extend(opts);
    e.push("-jar".into());
    e.push(jar.to_owned());
    if entrypoint {
        e.extend(args);
        return (Some(e), None);
    }
    (Some(e), (!args.is_empty()).then_some(args))
}

/// Whether a build step of the stage writes the jar (a jar artifact, or a file in a jar folder).
pub fn produced(f: &StageFacts, jar_abs: &str) -> bool {
    f.artifacts.iter().any(|a| {
        a.kind == ArtKind::Jar && (a.path == jar_abs || jar_abs.starts_with(&format!("{}/", a.path.trim_end_matches('/'))))
    })
}
