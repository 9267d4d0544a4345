//! Java: Maven or Gradle builds the jar in the original stage; it runs on distroless/java of the same JDK
//! major version, or on eclipse-temurin's JRE when the command needs a shell (`$JAVA_OPTS`) or no
//! distroless image has that version.

use super::shared::{add_cache_mounts, app_folder, missing_packages};
use super::images;
use super::split::{Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, normalize, ArtKind, Eco, StageFacts};
use crate::knowledge::runtimes;
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
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    let mut split = Split::new(ctx);
    let mut resolved = false;
    let mut packaged_here = false;
    let (opts, jar, args) = match java_jar(&argv) {
        Some(j) => j,
        None => match spring_boot_run(ctx, &mut split, &argv) {
            Some(Ok(jar)) => {
                (resolved, packaged_here) = (true, true);
                (vec![], jar, vec![])
            }
            Some(Err(why)) => return refused(eco, [why]),
            None => {
                return refused(
                    eco,
                    [format!(
                        "the final command (`{}`) does not run `java -jar <file>`, so slimfile cannot tell which jar and classpath the app needs",
                        argv.join(" ")
                    )],
                )
            }
        },
    };
    let jar = if jar.contains('*') && !jar.contains('$') {
        match built_jar(ctx, &jar) {
            Some(Ok((built, note))) => {
                split.changes.push(note);
                resolved = true;
                built
            }
            Some(Err(why)) => return refused(eco, [why]),
            None => return refused(eco, [format!("the jar path `{jar}` is a pattern; name the jar file so that it can be copied (or give slimfile the project's pom.xml or build.gradle)")]),
        }
    } else {
        jar
    };
    if jar.contains('$') {
        return refused(eco, [format!("the jar path `{jar}` is a variable; name the jar file so that it can be copied")]);
    }
    let jar_abs = normalize(&if jar.starts_with('/') { jar.clone() } else { format!("{}/{jar}", f.workdir) });
    if !packaged_here && !produced(f, &jar_abs) {
        return refused(eco, [format!("no Maven or Gradle step in this stage writes `{jar_abs}`, which the command runs")]);
    }
    let _ = app_folder;
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
    // A command that needed a shell only to expand the jar's pattern (`java -jar target/*.jar`, `sh -c "exec
    // java -jar …"`) needs none once the project's build file names the jar: it becomes exec form.
    let plain_words = opts.iter().chain(&args).all(|w| crate::shell::shell_syntax(w).is_none());
    let from_command = |r: &String| (r.contains("CMD") || r.contains("ENTRYPOINT")) && !r.contains("HEALTHCHECK");
    let shell_reasons: Vec<String> = ctx.analysis.needs.shell.iter().filter(|r| !(resolved && plain_words && from_command(r))).cloned().collect();
    let needs_shell = !shell_reasons.is_empty();
    let chosen = (target != Some(RuntimeFamily::Slim) && !needs_shell && extra.is_empty()).then(|| distroless_java(ctx, &version));
    let no_image = chosen.as_ref().and_then(|c| c.as_ref().err().cloned());
    let runtime = match chosen.and_then(Result::ok) {
        Some(img) => {
            // distroless/java's ENTRYPOINT is `java -jar`: CMD is the jar and its arguments.
            let (ep, cmd) = if opts.is_empty() {
                let mut c = vec![jar.clone()];
                c.extend(args);
                (None, Some(c))
            } else {
                let mut e = vec!["/usr/bin/java".to_owned()];
                e.extend(opts);
                e.push("-jar".into());
                e.push(jar.clone());
                (Some(e), (!args.is_empty()).then_some(args))
            };
            split.command = Some((ep.clone(), cmd.clone()));
            split.changes.push(ctx.change(
                "interpreter-entrypoint",
                match ep {
                    None => format!("The command is now `CMD {}`: distroless/java's ENTRYPOINT is `java -jar`.", super::split::json_array(&cmd.unwrap_or_default())),
                    Some(e) => format!("The command is now `ENTRYPOINT {}`: the JVM options come before -jar, which distroless/java's own ENTRYPOINT cannot take.", super::split::json_array(&e)),
                },
                f.cmd.or(f.entrypoint),
            ));
            Runtime::new(
                RuntimeFamily::DistrolessJava,
                img.image.to_owned(),
                format!("the jar needs only a Java {version} runtime, which distroless/java has without a shell or package manager.{}", images::release_words(None, "", img)),
            )
        }
        None => {
            if target == Some(RuntimeFamily::DistrolessJava) {
                return refused(eco, [if needs_shell {
                    format!("{}, and distroless/java has no shell", shell_reasons.join("; "))
                } else if !extra.is_empty() {
                    format!("the app needs {} at run time, which distroless cannot install", extra.join(", "))
                } else {
                    no_image.clone().unwrap_or_else(|| format!("no distroless/java image runs Java {version}"))
                }]);
            }
            let why = if needs_shell {
                format!("{}; eclipse-temurin's JRE image keeps a shell and drops the JDK and build tools.", shell_reasons.join("; "))
            } else if !extra.is_empty() {
                format!("the app needs {} at run time; eclipse-temurin's JRE image can install it.", extra.join(", "))
            } else {
                format!("{}; eclipse-temurin's JRE image of the same version runs the jar.", no_image.clone().unwrap_or_else(|| format!("no distroless/java image runs Java {version}")))
            };
            let mut r = Runtime::new(RuntimeFamily::Slim, temurin_jre(&version), why);
            r.packages = missing_packages(ctx, RuntimeFamily::Slim);
            r
        }
    };
    let from = jar_copy(&jar_abs);
    split.copy(from.clone(), from);
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "maven" | "gradle")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.gradle", "Maven and Gradle");
    }
    split.into_outcome(runtime, "java", eco)
}

/// Maven flags that change nothing the packaged jar does.
const QUIET_MAVEN_FLAGS: &[&str] = &["-B", "--batch-mode", "-q", "--quiet", "-e", "--errors", "-ntp", "--no-transfer-progress", "-o", "--offline"];

/// `mvn spring-boot:run` (or `./mvnw`) compiles and starts the app from its sources at every start, with the
/// JDK and Maven in the image. When the project's pom.xml names the jar and uses the Spring Boot plugin
/// (whose `repackage` goal, bound to `package`, makes the jar runnable with `java -jar`), the builder
/// packages it once and the runtime runs that jar: the jar path relative to the WORKDIR. `None`: not such
/// a command; Err: the blocker.
fn spring_boot_run(ctx: &Ctx, split: &mut Split, argv: &[String]) -> Option<Result<String, String>> {
    let prog = argv.first()?;
    if !matches!(prog.rsplit('/').next()?, "mvn" | "mvnw") || !argv.iter().any(|a| a == "spring-boot:run") {
        return None;
    }
    let f = ctx.target();
    let command = argv.join(" ");
    let Some((project, pom)) = ctx.project.and_then(|p| p.maven.as_ref().map(|m| (p, m))) else {
        return Some(Err(format!(
            "`{command}` compiles and starts the app from its sources with Maven; give slimfile the project's pom.xml (the jar `package` builds) so that the builder packages it once and the runtime runs it with java -jar"
        )));
    };
    let other: Vec<&str> = argv[1..].iter().map(String::as_str).filter(|a| *a != "spring-boot:run" && !QUIET_MAVEN_FLAGS.contains(a)).collect();
    if !other.is_empty() {
        return Some(Err(format!(
            "`{command}` gives Maven {}, which java -jar does not take the same way: package the jar and run it with java -jar in the Dockerfile",
            other.join(" ")
        )));
    }
    let file = project.cite(&pom.path);
    if !pom.spring_boot {
        return Some(Err(format!("`{command}` runs the app with the Spring Boot plugin, which {file} does not declare, so the jar `package` builds is not one java -jar can run")));
    }
    let artifact = match pom.artifact() {
        Ok(a) if a.ends_with(".jar") => a,
        Ok(a) => return Some(Err(format!("`{command}` runs the app from its sources, and {file} packages it as {a}, which java -jar does not run"))),
        Err(e) => return Some(Err(format!("`{command}` runs the app from its sources, and {e}"))),
    };
    let package = format!("{prog} -B package -DskipTests");
    split.append.push(format!("RUN {package}"));
    split.changes.push(ctx.change(
        "jar-name",
        format!("{file} builds {artifact} ({}) with the Spring Boot plugin, which makes it runnable with java -jar: the final image runs that jar.", pom.how()),
        f.cmd.or(f.entrypoint),
    ));
    split.changes.push(ctx.change(
        "spring-boot-run-to-package",
        format!(
            "`{command}` compiled and started the app with Maven at every start and needed the JDK and Maven in the image; the builder now packages it once (`{package}`: spring-boot:run runs no tests either)."
        ),
        f.cmd.or(f.entrypoint),
    ));
    Some(Ok(artifact))
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
        (g.path.clone(), g.artifact(), g.settings.clone().map_or_else(|| "its project name and version".to_owned(), |s| format!("the name in {s} and its version")))
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

/// Whether a build step of the stage writes the jar (a jar artifact, or a file in a jar folder).
pub fn produced(f: &StageFacts, jar_abs: &str) -> bool {
    f.artifacts.iter().any(|a| {
        a.kind == ArtKind::Jar && (a.path == jar_abs || jar_abs.starts_with(&format!("{}/", a.path.trim_end_matches('/'))))
    })
}
