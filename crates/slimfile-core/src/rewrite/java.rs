//! Java: Maven or Gradle builds the jar in the original stage; it runs on distroless/java of the same JDK
//! major version, or on eclipse-temurin's JRE when the command needs a shell (`$JAVA_OPTS`) or no
//! distroless image has that version.

use super::shared::{add_cache_mounts, missing_packages};
use super::split::{AppFiles, Runtime, Split};
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

/// The distroless java image for a JDK major version (debian12 first, as it has 17 and 21).
pub fn distroless_java(version: &str) -> Option<&'static runtimes::RuntimeImage> {
    runtimes::find("distroless/java", "debian12", Some(version)).or_else(|| runtimes::find("distroless/java", "debian13", Some(version)))
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
    let Some((opts, jar, args)) = java_jar(&argv) else {
        return refused(
            eco,
            [format!(
                "the final command (`{}`) does not run `java -jar <file>`, so slimfile cannot tell which jar and classpath the app needs",
                argv.join(" ")
            )],
        );
    };
    if jar.contains('*') || jar.contains('$') {
        return refused(eco, [format!("the jar path `{jar}` is a pattern or a variable; name the jar file so that it can be copied")]);
    }
    let jar_abs = normalize(&if jar.starts_with('/') { jar.clone() } else { format!("{}/{jar}", f.workdir) });
    if !produced(f, &jar_abs) {
        return refused(eco, [format!("no Maven or Gradle step in this stage writes `{jar_abs}`, which the command runs")]);
    }
    let mut split = Split::new(ctx);
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
    let needs_shell = !ctx.analysis.needs.shell.is_empty();
    let distroless = (target != Some(RuntimeFamily::Slim) && !needs_shell && extra.is_empty()).then(|| distroless_java(&version)).flatten();
    let runtime = match distroless {
        Some(img) => {
            // distroless/java's ENTRYPOINT is `java -jar`: CMD is the jar and its arguments.
            let image_ep: Vec<String> = img.entrypoint.iter().map(|w| (*w).to_owned()).collect();
            let java = image_ep.first().cloned().unwrap_or_else(|| "/usr/bin/java".to_owned());
            let with: Vec<String> = std::iter::once(java).chain(opts.iter().cloned()).chain(["-jar".to_owned(), jar.clone()]).collect();
            let _ = args;
            let command = split.keep_kinds(&argv, opts.len() + 3, with, &image_ep);
            split.changes.push(ctx.change(
                "interpreter-entrypoint",
                super::split::interpreter_note("distroless/java", img.entrypoint, &command, f.entrypoint.is_some()),
                f.entrypoint.or(f.cmd),
            ));
            split.command = Some(command);
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
            let why = if needs_shell {
                format!("{}; eclipse-temurin's JRE image keeps a shell and drops the JDK and build tools.", ctx.analysis.needs.shell.join("; "))
            } else if !extra.is_empty() {
                format!("the app needs {} at run time; eclipse-temurin's JRE image can install it.", extra.join(", "))
            } else {
                format!("no distroless/java image exists for Java {version}; eclipse-temurin's JRE image of the same version runs the jar.")
            };
            let mut r = Runtime::new(RuntimeFamily::Slim, temurin_jre(&version), why);
            r.packages = missing_packages(ctx, RuntimeFamily::Slim);
            r
        }
    };
    let from = jar_copy(&jar_abs);
    split.copy(from.clone(), from);
    split.app_files = AppFiles::Gather;
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "maven" | "gradle")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.gradle", "Maven and Gradle");
    }
    split.into_outcome(runtime, "java", eco)
}

/// Whether a build step of the stage writes the jar (a jar artifact, or a file in a jar folder).
pub fn produced(f: &StageFacts, jar_abs: &str) -> bool {
    f.artifacts.iter().any(|a| {
        a.kind == ArtKind::Jar && (a.path == jar_abs || jar_abs.starts_with(&format!("{}/", a.path.trim_end_matches('/'))))
    })
}
