//! Java: Maven or Gradle builds the jar in the original stage; it runs on distroless/java of the same JDK
//! major version, or on the JRE image of the builder's line when the command needs a shell or no
//! distroless image has that version. `boot`: `spring-boot:run` and `bootRun` become a packaged jar;
//! `tool_options`: `$JAVA_OPTS` becomes JAVA_TOOL_OPTIONS.

mod boot;
mod tool_options;

pub use boot::boot_run;
pub(crate) use tool_options::tool_options;

use super::shared::{add_cache_mounts, missing_packages};
use super::split::{json_array, Runtime, Split};
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

/// The distroless java image for a JDK major version (debian12 first, as it has 17 and 21).
pub fn distroless_java(version: &str) -> Option<&'static runtimes::RuntimeImage> {
    runtimes::find("distroless/java", "debian12", Some(version)).or_else(|| runtimes::find("distroless/java", "debian13", Some(version)))
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
    let (built, jar_abs, opts, jar, args, from_boot) = match the_jar(ctx, &mut split) {
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
    // A command that is replaced (spring-boot:run) or only needs the shell for $JAVA_OPTS needs no shell.
    let needs_shell = ctx
        .analysis
        .needs
        .shell
        .iter()
        .any(|r| (tool.is_none() && !from_boot) || r.contains("HEALTHCHECK") || !(r.contains("CMD") || r.contains("ENTRYPOINT")));
    let opts: Vec<String> = match &tool {
        Some(t) => t.without_variable(&opts),
        None => opts,
    };
    let distroless = (target != Some(RuntimeFamily::Slim) && !needs_shell && extra.is_empty()).then(|| distroless_java(&version)).flatten();
    let runtime = match distroless {
        Some(img) => {
            let has_opts = !opts.is_empty();
            let (ep, cmd) = distroless_command(opts, &jar, args, from_boot && f.entrypoint.is_some());
            split.command = Some((ep.clone(), cmd.clone()));
            if let Some(t) = &tool {
                t.apply(ctx, &mut split);
            }
            split.changes.push(ctx.change(
                "interpreter-entrypoint",
                match ep {
                    None => format!("The command is now `CMD {}`: distroless/java's ENTRYPOINT is `java -jar`.", json_array(&cmd.unwrap_or_default())),
                    Some(e) if has_opts => format!("The command is now `ENTRYPOINT {}`: the JVM options come before -jar, which distroless/java's own ENTRYPOINT cannot take.", json_array(&e)),
                    Some(e) => format!("The command is now `ENTRYPOINT {}`: it was an ENTRYPOINT, so `docker run` arguments still follow the jar; it replaces distroless/java's own (`java -jar`).", json_array(&e)),
                },
                f.cmd.or(f.entrypoint),
            ));
            Runtime::new(RuntimeFamily::DistrolessJava, img.image.to_owned(), format!("the jar needs only a Java {version} runtime, which distroless/java has without a shell or package manager."))
        }
        None => {
            if target == Some(RuntimeFamily::DistrolessJava) {
                return refused(eco, [if needs_shell {
                    format!("{}, and distroless/java has no shell", ctx.analysis.needs.shell.join("; "))
                } else {
                    format!("no distroless/java image exists for Java {version}")
                }]);
            }
            if from_boot {
                // The JRE runs the packaged jar, in the instruction kind the original used.
                let mut java = vec!["java".to_owned(), "-jar".to_owned(), jar.clone()];
                java.extend(args);
                split.command = Some(if f.entrypoint.is_some() { (Some(java), None) } else { (None, Some(java)) });
            }
            let why = if needs_shell {
                format!("{}; the JRE image keeps a shell and drops the JDK and build tools.", ctx.analysis.needs.shell.join("; "))
            } else if !extra.is_empty() {
                format!("the app needs {} at run time; the JRE image can install it.", extra.join(", "))
            } else {
                format!("no distroless/java image exists for Java {version}; the JRE image of the same version runs the jar.")
            };
            let mut r = Runtime::new(RuntimeFamily::Slim, jre_for(f, &version), why);
            r.packages = missing_packages(ctx, RuntimeFamily::Slim);
            r
        }
    };
    let to = jar_copy(&jar_abs);
    split.copy(if from_boot { built } else { to.clone() }, to);
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "maven" | "gradle")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.gradle", "Maven and Gradle");
    }
    split.into_outcome(runtime, "java", eco)
}

/// The jar the command runs: (its path in the builder, its path in the final image, the JVM options, the jar
/// as the command names it, its arguments, whether it comes from a `spring-boot:run` or `bootRun` the
/// builder now packages). Err: the refusal.
#[allow(clippy::type_complexity)]
fn the_jar(ctx: &Ctx, split: &mut Split) -> Result<(String, String, Vec<String>, String, Vec<String>, bool), Outcome> {
    let f = ctx.target();
    let eco = Some(Eco::Java);
    let argv = final_argv(ctx.doc, f).unwrap_or_default();
    if let Some(run) = boot_run(&argv) {
        let run = run.map_err(|why| refused(eco, [why]))?;
        run.package(ctx, split);
        return Ok((boot::BUILT_JAR.to_owned(), boot::BOOT_JAR.to_owned(), vec![], boot::BOOT_JAR.to_owned(), run.app_args, true));
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
    if jar.contains('*') || jar.contains('$') {
        return Err(refused(eco, [format!("the jar path `{jar}` is a pattern or a variable; name the jar file so that it can be copied")]));
    }
    let jar_abs = normalize(&if jar.starts_with('/') { jar.clone() } else { format!("{}/{jar}", f.workdir) });
    if !produced(f, &jar_abs) {
        return Err(refused(eco, [format!("no Maven or Gradle step in this stage writes `{jar_abs}`, which the command runs")]));
    }
    Ok((jar_abs.clone(), jar_abs, opts, jar, args, false))
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
