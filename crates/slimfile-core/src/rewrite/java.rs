//! Java: Maven or Gradle builds the jar in the original stage; it runs on distroless/java of the same JDK
//! major version, or on eclipse-temurin's JRE when the command needs a shell (`$JAVA_OPTS`) or no
//! distroless image has that version.

use super::shared::{add_cache_mounts, app_folder, missing_packages};
use super::split::{Runtime, Split};
use super::{refused, Ctx, Outcome};
use crate::analyze::{final_argv, normalize, ArtKind, Eco, StageFacts};
use crate::knowledge::runtimes;
use crate::knowledge::siblings::{self, Sibling};
use crate::report::RuntimeFamily;
use crate::shell::exact_words;
use crate::syntax::Command;

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
    let _ = app_folder;
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
    // A shell that only expands $JAVA_OPTS is no need on distroless/java: the JVM reads JAVA_TOOL_OPTIONS.
    let tool = tool_options(ctx, f);
    let needs_shell = ctx
        .analysis
        .needs
        .shell
        .iter()
        .any(|r| tool.is_none() || r.contains("HEALTHCHECK") || !(r.contains("CMD") || r.contains("ENTRYPOINT")));
    let opts: Vec<String> = match &tool {
        Some(t) => t.without_variable(&opts),
        None => opts,
    };
    let distroless = (target != Some(RuntimeFamily::Slim) && !needs_shell && extra.is_empty()).then(|| distroless_java(&version)).flatten();
    let runtime = match distroless {
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
            if let Some(t) = &tool {
                t.apply(ctx, &mut split);
            }
            split.changes.push(ctx.change(
                "interpreter-entrypoint",
                match ep {
                    None => format!("The command is now `CMD {}`: distroless/java's ENTRYPOINT is `java -jar`.", super::split::json_array(&cmd.unwrap_or_default())),
                    Some(e) => format!("The command is now `ENTRYPOINT {}`: the JVM options come before -jar, which distroless/java's own ENTRYPOINT cannot take.", super::split::json_array(&e)),
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
    let from = jar_copy(&jar_abs);
    split.copy(from.clone(), from);
    if ctx.options.cache_mounts {
        let insts: Vec<usize> = f.steps.iter().filter(|s| matches!(s.tool, "maven" | "gradle")).map(|s| s.inst).collect();
        add_cache_mounts(ctx, &mut split, &insts, "--mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.gradle", "Maven and Gradle");
    }
    split.into_outcome(runtime, "java", eco)
}

/// Variables a Java image's command expands into the JVM's options (`java $JAVA_OPTS -jar app.jar`): the
/// Spring Boot and Docker guides' name, and the names Red Hat's run-java.sh and common images read.
const OPTION_VARIABLES: &[&str] = &["JAVA_OPTS", "JAVA_OPTIONS", "JVM_OPTS"];

/// A command that ran through a shell only to expand an options variable into the JVM's options.
pub(super) struct ToolOptions {
    var: String,
    /// Where the command is.
    pub(super) inst: usize,
    /// The command as written.
    text: String,
    /// The Dockerfile gives the variable a value (`ENV JAVA_OPTS="-Xmx512m"`).
    set: bool,
}

impl ToolOptions {
    /// The runtime stage passes the variable's value to the JVM as JAVA_TOOL_OPTIONS, which every JVM reads
    /// itself since Java 5 (JVM TI specification, "The JAVA_TOOL_OPTIONS Environment Variable":
    /// https://docs.oracle.com/javase/8/docs/platform/jvmti/jvmti.html#tooloptions); a change says what
    /// happens to the old name.
    fn apply(&self, ctx: &Ctx, split: &mut Split) {
        if let Some(line) = self.env_line() {
            split.runtime_env.push(line);
        }
        split.changes.push(self.change(ctx));
    }

    /// `ENV JAVA_TOOL_OPTIONS="${JAVA_OPTS}"`, when the Dockerfile gives the variable a value.
    pub(super) fn env_line(&self) -> Option<String> {
        self.set.then(|| format!("ENV JAVA_TOOL_OPTIONS=\"${{{}}}\"", self.var))
    }

    /// The words of the command without the variable (`java -jar app.jar`).
    pub(super) fn without_variable(&self, argv: &[String]) -> Vec<String> {
        argv.iter().filter(|o| **o != format!("${}", self.var) && **o != format!("${{{}}}", self.var)).cloned().collect()
    }

    pub(super) fn change(&self, ctx: &Ctx) -> crate::report::Change {
        let var = &self.var;
        ctx.change(
            "java-tool-options",
            format!(
                "`{}` ran through a shell only to expand ${var} into the JVM's options. distroless/java has no shell, and the JVM reads JAVA_TOOL_OPTIONS itself, so {}the command runs in exec form. The variable's name changes: pass JVM options at run time as `docker run -e JAVA_TOOL_OPTIONS=…`; a `-e {var}=…` is now ignored. The JVM prints `Picked up JAVA_TOOL_OPTIONS: …` to stderr when it starts.",
                self.text,
                if self.set { format!("the runtime stage sets `ENV JAVA_TOOL_OPTIONS=\"${{{var}}}\"` (the value this Dockerfile gives {var}) and ") } else { String::new() }
            ),
            Some(self.inst),
        )
    }
}

/// The command, when a shell runs it only to expand one options variable among the JVM's options
/// (before `-jar`): every other word needs no shell (`sh -c` and `exec` allowed), and the Dockerfile does
/// not set JAVA_TOOL_OPTIONS itself.
pub(super) fn tool_options(ctx: &Ctx, f: &StageFacts) -> Option<ToolOptions> {
    if f.env.iter().any(|(k, _, _)| k == "JAVA_TOOL_OPTIONS") {
        return None;
    }
    let inst = f.entrypoint.filter(|_| f.cmd.is_none()).or(f.cmd.filter(|_| f.entrypoint.is_none()))?;
    let script = match ctx.doc.instructions[inst].command()? {
        Command::Shell(s) => s.trim().to_owned(),
        Command::Exec(v) => match v.as_slice() {
            [sh, c, script] if crate::shell::is_shell(crate::shell::basename(sh)) && c == "-c" => script.trim().to_owned(),
            _ => return None,
        },
    };
    let vars = crate::shell::referenced_vars(&script);
    let [var] = vars.as_slice() else { return None };
    if !OPTION_VARIABLES.contains(&var.as_str()) {
        return None;
    }
    let words: Vec<&str> = script.split_whitespace().collect();
    let at = words.iter().position(|w| *w == format!("${var}") || *w == format!("${{{var}}}"))?;
    let jar_at = words.iter().position(|w| *w == "-jar")?;
    if words.iter().filter(|w| w.contains('$')).count() != 1 || at >= jar_at {
        return None;
    }
    let rest: Vec<&str> = words.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, w)| *w).collect();
    let argv = exact_words(&rest.join(" "))?;
    let argv: &[String] = if argv.first().is_some_and(|w| w == "exec") { &argv[1..] } else { &argv };
    java_jar(argv)?;
    let set = f.env.iter().any(|(k, v, _)| k == var && !v.trim().is_empty());
    Some(ToolOptions { var: var.clone(), inst, text: script, set })
}

/// Whether a build step of the stage writes the jar (a jar artifact, or a file in a jar folder).
pub fn produced(f: &StageFacts, jar_abs: &str) -> bool {
    f.artifacts.iter().any(|a| {
        a.kind == ArtKind::Jar && (a.path == jar_abs || jar_abs.starts_with(&format!("{}/", a.path.trim_end_matches('/'))))
    })
}
